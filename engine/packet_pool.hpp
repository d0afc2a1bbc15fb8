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
//   pool.free(p);                     // back to the freelist (a traced packet: its tracer hears of it)
//   pool.in_use(), pool.available(), pool.capacity()
//   pool.frees(), pool.freed_bytes()  // for the load report
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
    if (p->trace.tracer != nullptr) [[unlikely]]
      traced_freed(*p);  // a frame the verdict capture follows: dropped
    ++frees_;
    freed_bytes_ += p->length;
    freelist_[nfree_++] = p;
  }

  bool owns(const Packet* p) const noexcept;
  // Tells a followed packet's tracer it was freed and forgets the trace. Out
  // of line and cold: free() stays as small as it was for everything else.
  [[gnu::cold, gnu::noinline]] static void traced_freed(Packet& p) noexcept;
  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t available() const noexcept { return nfree_; }
  std::size_t in_use() const noexcept { return capacity_ - nfree_; }
  std::uint64_t frees() const noexcept { return frees_; }
  std::uint64_t freed_bytes() const noexcept { return freed_bytes_; }

 private:
  void check_owned(const Packet* p) const noexcept;

  std::size_t capacity_;
  Packet* base_ = nullptr;
  std::unique_ptr<Packet*[]> freelist_;
  std::size_t nfree_ = 0;
  std::uint64_t frees_ = 0;
  std::uint64_t freed_bytes_ = 0;
};

}  // namespace synnet
