// link.hpp — a one-way ring of packets between two app ports.
//
// Single producer, single consumer, both on the engine thread: no locks, no
// atomics. Capacity is a power of two (kCapacity packets). A full link drops
// the packet it is given, frees it and counts it in `txdrop`.
//
//   link.transmit(p)     — enqueue (or drop + count when full)
//   link.receive()       — dequeue; only when !link.empty()
//   link.front()         — peek at the next packet without taking it
//   link.empty(), link.full(), link.size(), link.room()
//   link.counters()      — txpackets, txbytes, rxpackets, rxbytes, txdrop
//   link.clear()         — free every queued packet (link removed)
//
// A cross-thread queue is a different type; this is not one.
#pragma once

#include <cstdint>

#include "engine/packet.hpp"
#include "engine/packet_pool.hpp"

namespace synnet {

struct LinkCounters {
  std::uint64_t txpackets = 0;
  std::uint64_t txbytes = 0;
  std::uint64_t rxpackets = 0;
  std::uint64_t rxbytes = 0;
  std::uint64_t txdrop = 0;
};

class Link {
 public:
  static constexpr std::uint32_t kCapacity = 1024;
  static_assert((kCapacity & (kCapacity - 1)) == 0, "link capacity must be a power of two");

  explicit Link(PacketPool& pool) noexcept : pool_(&pool) {}
  ~Link() { clear(); }
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  bool empty() const noexcept { return write_ == read_; }
  bool full() const noexcept { return write_ - read_ == kCapacity; }
  std::uint32_t size() const noexcept { return write_ - read_; }
  std::uint32_t room() const noexcept { return kCapacity - (write_ - read_); }

  void transmit(Packet* p) noexcept {
    if (full()) {
      ++counters_.txdrop;
      trace_drop(*p, TraceFate::link_full);
      pool_->free(p);
      return;
    }
    ring_[write_ & kMask] = p;
    ++write_;
    ++counters_.txpackets;
    counters_.txbytes += p->length;
  }

  Packet* receive() noexcept {
    Packet* p = ring_[read_ & kMask];
    ++read_;
    ++counters_.rxpackets;
    counters_.rxbytes += p->length;
    return p;
  }

  Packet* front() const noexcept { return ring_[read_ & kMask]; }

  const LinkCounters& counters() const noexcept { return counters_; }

  void clear() noexcept {
    while (!empty()) pool_->free(receive());
  }

 private:
  static constexpr std::uint32_t kMask = kCapacity - 1;
  std::uint32_t read_ = 0;   // free-running; index = read_ & kMask
  std::uint32_t write_ = 0;  // free-running; write_ - read_ = packets queued
  PacketPool* pool_;
  LinkCounters counters_;
  Packet* ring_[kCapacity];
};

}  // namespace synnet
