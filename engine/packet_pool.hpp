// packet_pool.hpp — the Engine's preallocated freelist of packets.
//
// The pool reserves `capacity` packets in one anonymous mapping (pages are
// touched only when a packet is first used) and hands them out LIFO, so a
// busy engine keeps reusing the same few, cache-hot buffers.
//
//   PacketPool pool(capacity);
//   Packet* p = pool.try_allocate();  // nullptr when exhausted (hot path)
//   Packet* p = pool.allocate();      // throws PoolExhausted when exhausted
//   Packet* c = pool.try_clone(*p);   // copy of p, nullptr when exhausted
//   pool.free(p);                     // back to the freelist
//   pool.tell_tracers();              // after frees of traced packets: see below
//   pool.in_use(), pool.available(), pool.capacity()
//   pool.frees(), pool.freed_bytes()  // for the load report
//
// A traced packet (packet_trace.hpp) that is freed waits, set aside, until
// tell_tracers() tells its tracer and puts it back on the freelist: the
// Engine calls it after every breath, every configure() and every app's
// stop(). free() itself never calls out: a call the compiler cannot see
// through, even on an untaken branch, makes it store and reload the pool's
// state around every free of a loop (basic1 measures it: tests/bench/RESULTS.md).
//
// Not thread-safe: one pool belongs to one engine, used on its thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "engine/packet.hpp"

namespace synnet {

class PoolExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PacketPool {
 public:
  explicit PacketPool(std::size_t capacity);
  ~PacketPool();
  PacketPool(const PacketPool&) = delete;
  PacketPool& operator=(const PacketPool&) = delete;

  Packet* try_allocate() noexcept {
    if (nfree_ == 0) return nullptr;
    Packet* p = freelist_[--nfree_];
    p->length = 0;
    p->offload = {};
    return p;
  }

  Packet* allocate();

  Packet* try_clone(const Packet& src) noexcept {
    Packet* p = try_allocate();
    if (p != nullptr) copy_packet_data(*p, src);
    return p;
  }

  void free(Packet* p) noexcept {
#ifndef NDEBUG
    check_owned(p);
#endif
    ++frees_;
    freed_bytes_ += p->length;
    if (p->trace.tracer != nullptr) [[unlikely]] {
      traced_freed_[ntraced_freed_++] = p;  // a frame the verdict capture follows: dropped
      return;
    }
    freelist_[nfree_++] = p;
  }

  // Tells the tracer of each traced packet freed since the last call (its
  // fate is in p.trace), forgets the trace and puts the packet on the freelist.
  void tell_tracers() noexcept {
    if (ntraced_freed_ != 0) [[unlikely]]
      tell_tracers_now();
  }

  bool owns(const Packet* p) const noexcept;
  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t available() const noexcept { return nfree_; }
  std::size_t in_use() const noexcept { return capacity_ - nfree_ - ntraced_freed_; }
  std::uint64_t frees() const noexcept { return frees_; }
  std::uint64_t freed_bytes() const noexcept { return freed_bytes_; }

 private:
  void check_owned(const Packet* p) const noexcept;
  [[gnu::cold, gnu::noinline]] void tell_tracers_now() noexcept;

  std::size_t capacity_;
  Packet* base_ = nullptr;
  std::unique_ptr<Packet*[]> freelist_;
  std::size_t nfree_ = 0;
  std::unique_ptr<Packet*[]> traced_freed_;  // freed, their tracers not told yet
  std::size_t ntraced_freed_ = 0;
  std::uint64_t frees_ = 0;
  std::uint64_t freed_bytes_ = 0;
};

}  // namespace synnet
