// expectations.hpp — checks what a traffic item measured against what its
// scenario expects, one Check per expectation, and warns when a loss bound
// rests on too few packets to mean anything.
//
//   std::vector<Check> checks = check_expectations(item.expect, measurement, /*is_exec=*/false);
//   for (const Check& c : checks) if (!c.pass) ...;   // c.figure "loss", c.expected "<= 1%", c.measured "0.4%"
//   std::optional<std::string> w = loss_bound_warning(bound, 20);
//
// Bounds are inclusive (with a relative slack of 1e-9, so 5 lost of 100
// meets "<= 5%" whatever the binary rounding). Check::expected is built from
// Bound::min/max, not Bound::text, so every report reads alike: "3% .. 7%",
// ">= 9 Mbit/s", "<= 90 ms", "== 5%" (min == max), "== 0" (exit codes).
//
// Formatting: loss in %, throughput in bit/s with an SI prefix ("9.54 Mbit/s"),
// times in the most readable of s / ms / us / ns ("80.3 ms"), exit codes as
// integers. Measured values get 3 significant digits (never rounding away
// whole units: 1234.6 s is "1235 s"); bounds keep up to 6 ("0.1234%"); a
// failed value gets more digits until it differs from the bound it broke
// ("7.004%" against "<= 7%"). Check::min and max carry the bound as numbers
// in the figure's base units (an exit code: both the code expected). A figure that was not measured fails with
// measured "not measured" plus the measurement's error when it has one
// ("not measured (killed by signal 9)").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/measure/measurement.hpp"
#include "harness/scenario/scenario.hpp"
#include "harness/scenario/units.hpp"

namespace synnet {

struct Check {
  std::string figure;    // "loss", "throughput", "rtt_avg", "gap", "exit_code", ...
  std::string expected;  // e.g. "3% .. 7%", ">= 9 Mbit/s", "<= 90 ms", "== 0"
  std::string measured;  // e.g. "5.12%", or "not measured (iperf3: unable to connect)"
  bool pass = false;
  std::optional<double> value{};       // the measured figure in base units, for the JSON report
  std::string warning{};               // e.g. the loss-bound warning; empty when none
  std::optional<double> min{}, max{};  // the bound in base units (as value), for the report's plots
};

// One Check per expectation that is set, in the order loss, throughput,
// rtt_min, rtt_avg, rtt_max, rtt_mdev, jitter, gap, exit_code. For an exec item
// (is_exec) with no exit_code expectation, exit_code == 0 is checked.
std::vector<Check> check_expectations(const Expectations& expect, const Measurement& m, bool is_exec);

// A warning when `packets` is too few for a loss bound to mean anything: when
// one packet is worth more than the bound's width (max - min; an absent min
// is 0%, an absent max 100%, so "<= 1%" is 1% wide), or, for a bound with
// both min and max, when two binomial standard errors at the bound's middle p,
// 2 sqrt(p (1-p) / n), exceed half its width. A one-sided bound says nothing
// about where the loss lies, so only the first criterion applies to it. The
// count it names is the smallest for which both criteria hold, e.g.
//   loss bound <= 1% rests on 20 packets: one lost packet is 5%; use at least 100 packets
//   loss bound 3% .. 7% rests on 50 packets: the binomial spread (±6.16% at 5%)
//     is wider than the bound; use at least 475 packets
// "<= 0%" and ">= 100%" are exact claims and never warn; any other zero-width
// bound ("== 5%") always does. nullopt when the bound is fine or packets is 0
// (not counted). check_expectations puts it in the loss Check's warning,
// with Measurement::packets_sent as the count.
std::optional<std::string> loss_bound_warning(const Bound& bound, std::uint64_t packets);

// Formatting shared with the report.

}  // namespace synnet
