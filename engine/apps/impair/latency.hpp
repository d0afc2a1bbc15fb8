// latency.hpp — Latency: delays every packet by a fixed time, or by a time
// that follows a trace.
//
//   input --> +---------+--> output
//             | Latency |      each packet leaves delay_us after it arrived
//             +---------+
//
// Spec (LatencySpec):
//   delay_us       — added delay, microseconds
//   trace          — set: each packet's delay is the trace's value (in
//                    microseconds, at most an hour) at its arrival, counted
//                    from the app's start (its first now()); delay_us must be 0
//   limit_packets  — most packets held at once (default 1,000,000); beyond it
//                    arriving packets are dropped (dropped_queue_full)
// A packet arriving in a breath at time t is released in the first breath at
// or after t + delay (the engine wakes for it). Order is preserved, also when
// a trace's delay falls: a packet never leaves before one that arrived
// earlier (its due time is at least the previous packet's). The queue grows
// with the packets in flight. reconfigure() keeps queued packets and their due
// times; packets that arrive later never leave before them; a trace keeps the
// app's start as its time 0.
// Counters: delayed, queued (now), dropped_queue_full, dropped_no_output.
#pragma once

#include "engine/app.hpp"
#include "engine/apps/impair/delay_line.hpp"
#include "engine/apps/impair/trace.hpp"

namespace synnet {

struct LatencySpec {
  std::uint64_t delay_us = 0;
  SharedTrace<ValueTrace> trace{};  // the delay over time (values in microseconds) instead of delay_us
  std::uint32_t limit_packets = 1'000'000;
  bool operator==(const LatencySpec&) const = default;
  void validate() const;
};

class Latency final : public App {
 public:
  using Spec = LatencySpec;

  Latency(AppContext& ctx, const Spec& spec) : App(ctx), origin_(ctx.now()), line_(ctx.pool()) { reconfigure(spec); }
  void pull() override;
  void push() override;
  void stop() override { line_.clear(); }
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

 private:
  Duration delay_now() const noexcept;  // for a packet arriving now

  Time origin_;  // the app's start: a trace's time 0
  Duration delay_{0};
  SharedTrace<ValueTrace> trace_;
  std::uint32_t limit_ = 0;
  DelayLine line_;
  std::uint64_t delayed_ = 0, dropped_queue_full_ = 0, dropped_no_output_ = 0;
};

}  // namespace synnet
