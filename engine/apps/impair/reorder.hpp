// reorder.hpp — Reorder: a delay line that some packets skip, so they arrive
// ahead of packets sent before them (how netem's "reorder" works).
//
//   input --> +---------+--> output   ratio:     sent at once (ahead of the queue)
//             | Reorder |             1 - ratio: wait delay_us in a FIFO, then sent
//             +---------+
// Spec (ReorderSpec):
//   ratio         — probability in [0, 1] that a packet skips the wait (default 0).
//   delay_us      — microseconds every other packet waits (default 0, at most an
//                   hour); must be > 0 when ratio > 0 (else nothing to overtake).
//   limit_packets — most packets waiting at once (default 10,000, at least 1); a
//                   packet that finds the queue full is dropped.
// Delayed packets leave in arrival order, each at its due time (arrival +
// delay_us, or later when the output link is full: due packets wait for room,
// they are not dropped). Reordered packets go straight to the output link.
// Counters: reordered (sent at once), delayed (entered the queue), queued
// (waiting now), dropped_queue_full, dropped_no_output (output not linked when
// a packet was to be sent).
// Conservation: in = out + output txdrop + dropped_queue_full + dropped_no_output + queued.
// Random decisions come from the app's own seeded stream: one draw per packet.
// Reconfigurable in place: waiting packets keep their due times (a later
// packet never leaves before an earlier one), a lower limit_packets drops
// nothing but refuses arrivals until the queue is below it; the stream goes on.
#pragma once

#include <cstddef>
#include <cstdint>
#include "engine/app.hpp"
#include "engine/apps/impair/delay_line.hpp"
#include "engine/rng.hpp"

namespace synnet {

struct ReorderSpec {
  double ratio = 0;
  std::uint64_t delay_us = 0;
  std::uint32_t limit_packets = 10000;
  bool operator==(const ReorderSpec&) const = default;
  void validate() const;
};

class Reorder final : public App {
 public:
  using Spec = ReorderSpec;

  Reorder(AppContext& ctx, const Spec& spec);
  void pull() override;
  void push() override;
  void stop() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;
  std::size_t queued() const noexcept { return line_.size(); }

 private:
  // Sends the packets due by now(), in order, while the output has room, and
  // asks the engine to wake us for the next one.
  void release() noexcept;

  Rng rng_;
  double ratio_ = 0;
  Duration delay_{0};
  std::uint32_t limit_ = 0;
  DelayLine line_;  // in order: a later packet never leaves before an earlier one
  std::uint64_t reordered_ = 0;
  std::uint64_t delayed_ = 0;
  std::uint64_t dropped_queue_full_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
