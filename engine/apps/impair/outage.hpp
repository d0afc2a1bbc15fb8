// outage.hpp — Outage: the link goes down for a while, once or periodically:
// every packet that arrives during a window is dropped.
//
//   input --> +--------+--> output   outside the windows
//             | Outage |--x          inside: dropped (dropped_outage)
//             +--------+
// Spec (OutageSpec), times in microseconds since the app started (its first now()):
//   start_us    — when the first window opens (default 0).
//   duration_us — how long each window lasts (default 0: no outage).
//   period_us   — 0 (default): one window, [start, start + duration).
//                 Otherwise windows repeat every period_us:
//                 [start + k * period, start + k * period + duration), k = 0, 1, ...;
//                 period_us must then be greater than duration_us.
// Each of the three is at most a week.
// Counters: forwarded, dropped_outage, dropped_no_output (output not linked).
// Conservation: in = out + output txdrop + dropped_outage + dropped_no_output.
// Reconfigurable in place: the start reference stays the app's start, so a new
// schedule is laid over the same timeline.
#pragma once

#include <cstdint>

#include "engine/app.hpp"

namespace synnet {

struct OutageSpec {
  std::uint64_t start_us = 0;
  std::uint64_t duration_us = 0;
  std::uint64_t period_us = 0;
  bool operator==(const OutageSpec&) const = default;
  void validate() const;
};

class Outage final : public App {
 public:
  using Spec = OutageSpec;
  static constexpr std::uint64_t kMaxUs = 7ULL * 24 * 3600 * 1'000'000;  // a week

  Outage(AppContext& ctx, const Spec& spec);
  void push() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;
  // Whether time t (engine clock) falls inside an outage window.
  bool in_outage(Time t) const noexcept;

 private:
  Time origin_;  // the app's start: window times are relative to it
  Duration start_{0};
  Duration duration_{0};
  Duration period_{0};
  std::uint64_t forwarded_ = 0;
  std::uint64_t dropped_outage_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
