// delay_line.hpp — DelayLine: packets held until their due time, for the
// apps that delay (Latency, Jitter, Reorder).
//
//   DelayLine line(pool);
//   line.hold(p, due, in_order);  // in_order: never before the packet held last
//   line.release(out, now);       // transmits every packet due by now, in due order
//   line.drop_due(now);           // frees every packet due by now (no output to send to)
//   line.next_due()               // kNever when empty (for AppContext::wake_at)
//   line.size(), line.clear()     // clear() frees what it holds
//
// In order (what a wire does): a packet's due time is raised to the previous
// packet's, so none overtakes another, and the queue is a FIFO. Out of
// order: packets leave strictly by due time (ties keep arrival order).
// The queue grows with the packets in flight; callers enforce their limit.
// When the output link is full, due packets wait (they are not dropped).
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "engine/clock.hpp"
#include "engine/link.hpp"

namespace synnet {

class DelayLine {
 public:
  explicit DelayLine(PacketPool& pool) : pool_(&pool) {}
  ~DelayLine() { clear(); }
  DelayLine(const DelayLine&) = delete;
  DelayLine& operator=(const DelayLine&) = delete;

  void hold(Packet* p, Time due, bool in_order) {
    if (in_order && due < last_due_) due = last_due_;
    last_due_ = std::max(last_due_, due);
    heap_.push(Entry{due, seq_++, p});
  }

  // Returns how many packets were transmitted.
  std::uint64_t release(Link* out, Time now) noexcept {
    std::uint64_t n = 0;
    while (!heap_.empty() && heap_.top().due <= now && !out->full()) {
      out->transmit(heap_.top().packet);
      heap_.pop();
      ++n;
    }
    return n;
  }

  // Returns how many packets were freed.
  std::uint64_t drop_due(Time now) noexcept {
    std::uint64_t n = 0;
    while (!heap_.empty() && heap_.top().due <= now) {
      pool_->free(heap_.top().packet);
      heap_.pop();
      ++n;
    }
    return n;
  }

  Time next_due() const noexcept { return heap_.empty() ? kNever : heap_.top().due; }
  std::size_t size() const noexcept { return heap_.size(); }

  void clear() noexcept {
    while (!heap_.empty()) {
      pool_->free(heap_.top().packet);
      heap_.pop();
    }
  }

 private:
  struct Entry {
    Time due;
    std::uint64_t seq;  // arrival order, to break ties
    Packet* packet;
    bool operator>(const Entry& o) const noexcept { return due != o.due ? due > o.due : seq > o.seq; }
  };
  PacketPool* pool_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  std::uint64_t seq_ = 0;
  Time last_due_{0};
};

}  // namespace synnet
