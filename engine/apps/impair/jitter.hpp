// jitter.hpp — Jitter: delays every packet by a random time.
//
//   input --> +--------+--> output
//             | Jitter |      each packet leaves after a random delay
//             +--------+
//
// Spec (JitterSpec):
//   mean_us        — mean of the added delay, microseconds
//   stddev_us      — its standard deviation, microseconds
//   distribution   — kUniform, kNormal (default), kPareto or kParetoNormal
//                    (see distribution.hpp: each has exactly this mean and stddev)
//   reorder        — false (default): order is preserved, as on a real wire: a
//                    packet never leaves before the one that arrived before it,
//                    so a long delay also holds back the packets behind it.
//                    true: each packet leaves at its own due time, and packets
//                    may overtake each other (netem's default behaviour).
//   limit_packets  — most packets held at once (default 1,000,000)
// Draws below zero count as zero delay (counted in clamped_to_zero, so a
// distribution that often goes negative is visible).
// Counters: delayed, queued, clamped_to_zero, dropped_queue_full, dropped_no_output.
// Randomness: the app's own stream (AppContext::seed). Reconfigurable in place.
#pragma once

#include <string>

#include "engine/app.hpp"
#include "engine/apps/impair/delay_line.hpp"
#include "engine/apps/impair/distribution.hpp"
#include "engine/rng.hpp"

namespace synnet {

struct JitterSpec {
  std::uint64_t mean_us = 0;
  std::uint64_t stddev_us = 0;
  Distribution distribution = Distribution::kNormal;
  bool reorder = false;
  std::uint32_t limit_packets = 1'000'000;
  bool operator==(const JitterSpec&) const = default;
  void validate() const;
};

class Jitter final : public App {
 public:
  using Spec = JitterSpec;

  Jitter(AppContext& ctx, const Spec& spec) : App(ctx), rng_(ctx.seed()), line_(ctx.pool()) { reconfigure(spec); }
  void pull() override;
  void push() override;
  void stop() override { line_.clear(); }
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

 private:
  Rng rng_;
  Distribution distribution_ = Distribution::kNormal;
  double mean_ns_ = 0, stddev_ns_ = 0;
  bool reorder_ = false;
  std::uint32_t limit_ = 0;
  DelayLine line_;
  std::uint64_t delayed_ = 0, clamped_to_zero_ = 0, dropped_queue_full_ = 0, dropped_no_output_ = 0;
};

}  // namespace synnet
