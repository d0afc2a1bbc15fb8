// expectations.cpp — checks a Measurement against a traffic item's
// Expectations (one Check per expectation) and the loss-bound warning (see
// expectations.hpp).
#include "harness/measure/expectations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>

namespace synnet {
namespace {

// Digits shown for a measured figure, and for a bound (which the user wrote,
// so it is shown as exactly as a double allows without noise).
constexpr int kMeasuredDigits = 3;
constexpr int kBoundDigits = 6;
constexpr int kMaxDigits = 10;

// Relative slack on comparisons, so that a value equal to a bound in decimal
// (5 of 100 packets vs "5%") is never rejected by a rounding error.
constexpr double kSlack = 1e-9;

using Formatter = std::function<std::string(double, int)>;

bool at_least(double value, double min) { return value >= min - kSlack * std::fabs(min); }
bool at_most(double value, double max) { return value <= max + kSlack * std::fabs(max); }

std::string bound_text(const Bound& b, const Formatter& fmt) {
  if (b.min && b.max) {
    if (*b.min == *b.max) return "== " + fmt(*b.min, kBoundDigits);
    return fmt(*b.min, kBoundDigits) + " .. " + fmt(*b.max, kBoundDigits);
  }
  if (b.min) return ">= " + fmt(*b.min, kBoundDigits);
  if (b.max) return "<= " + fmt(*b.max, kBoundDigits);
  return "any";
}

std::string not_measured(const Measurement& m) {
  return m.error.empty() ? "not measured" : "not measured (" + m.error + ")";
}

Check check_bound(const char* figure, const Bound& b, const std::optional<double>& value, const Measurement& m,
                  const Formatter& fmt) {
  Check c;
  c.figure = figure;
  c.expected = bound_text(b, fmt);
  c.min = b.min;
  c.max = b.max;
  c.value = value;
  if (!value) {
    c.measured = not_measured(m);
    return c;
  }
  const bool min_ok = !b.min || at_least(*value, *b.min);
  const bool max_ok = !b.max || at_most(*value, *b.max);
  c.pass = min_ok && max_ok;
  c.measured = fmt(*value, kMeasuredDigits);
  if (!c.pass) {
    // A failure must not read "<= 7%, measured 7%": add digits until the
    // measured value and the bound it broke differ.
    const double broken = min_ok ? *b.max : *b.min;
    for (int digits = kMeasuredDigits; digits <= kMaxDigits; ++digits) {
      c.measured = fmt(*value, digits);
      if (c.measured != fmt(broken, digits)) break;
    }
  }
  return c;
}

// The smallest n >= 1 for which holds(n) is true, given that holds() is
// monotonic and `estimate` is close to the answer.
std::uint64_t smallest_n(double estimate, const std::function<bool(std::uint64_t)>& holds) {
  std::uint64_t n = estimate < 1 ? 1 : static_cast<std::uint64_t>(std::ceil(std::min(estimate, 1e15)));
  while (n > 1 && holds(n - 1)) --n;
  while (!holds(n)) ++n;
  return n;
}

}  // namespace

std::vector<Check> check_expectations(const Expectations& expect, const Measurement& m, bool is_exec) {
  std::vector<Check> checks;
  const auto add = [&](const char* figure, const std::optional<Bound>& bound, const std::optional<double>& value,
                       const Formatter& fmt) {
    if (bound) checks.push_back(check_bound(figure, *bound, value, m, fmt));
  };
  add("loss", expect.loss, m.loss, format_percent);
  if (expect.loss && !checks.empty()) {
    checks.back().warning = loss_bound_warning(*expect.loss, m.packets_sent).value_or("");
  }
  add("throughput", expect.throughput, m.throughput, format_rate);
  add("rtt_min", expect.rtt_min, m.rtt_min, format_seconds);
  add("rtt_avg", expect.rtt_avg, m.rtt_avg, format_seconds);
  add("rtt_max", expect.rtt_max, m.rtt_max, format_seconds);
  add("rtt_mdev", expect.rtt_mdev, m.rtt_mdev, format_seconds);
  add("jitter", expect.jitter, m.jitter, format_seconds);
  add("gap", expect.gap, m.gap, format_seconds);

  std::optional<int> exit_code = expect.exit_code;
  if (!exit_code && is_exec) exit_code = 0;
  if (exit_code) {
    Check c;
    c.figure = "exit_code";
    c.expected = "== " + std::to_string(*exit_code);
    c.min = c.max = *exit_code;
    if (m.exit_code) {
      c.value = *m.exit_code;
      c.measured = std::to_string(*m.exit_code);
      c.pass = *m.exit_code == *exit_code;
    } else {
      c.measured = not_measured(m);
    }
    checks.push_back(std::move(c));
  }
  return checks;
}

std::optional<std::string> loss_bound_warning(const Bound& bound, std::uint64_t packets) {
  if (packets == 0) return std::nullopt;
  // An absent min is 0, an absent max 100%: the width of "<= 1%" is 1%.
  const double lo = bound.min.value_or(0.0);
  const double hi = bound.max.value_or(1.0);
  const double width = hi - lo;
  const std::string prefix = "loss bound " + bound_text(bound, format_percent) + " rests on " +
                             std::to_string(packets) + (packets == 1 ? " packet: " : " packets: ");
  const double n = static_cast<double>(packets);
  if (width <= 0) {
    // "nothing lost" and "everything lost" are exact claims any count can test.
    if (hi <= 0 || lo >= 1) return std::nullopt;
    return prefix + "a bound of zero width holds only by chance; give it a range";
  }

  std::vector<std::string> reasons;
  std::uint64_t needed = 0;

  // One packet must be worth no more than the width (1/n <= width).
  const auto resolution_holds = [&](std::uint64_t k) { return 1.0 / static_cast<double>(k) <= width * (1 + kSlack); };
  if (!resolution_holds(packets)) reasons.push_back("one lost packet is " + format_percent(1.0 / n));
  needed = std::max(needed, smallest_n(1.0 / width, resolution_holds));

  // A two-sided bound expects the loss near its middle p: two binomial
  // standard errors there, 2 sqrt(p (1-p) / n), must fit in half the width.
  // A one-sided bound ("<= 1%") says nothing about where the loss is, so
  // only the resolution applies to it.
  if (bound.min && bound.max) {
    const double p = (lo + hi) / 2;
    const double half = width / 2;
    const double variance = p * (1 - p);
    const auto spread = [&](std::uint64_t k) { return 2 * std::sqrt(variance / static_cast<double>(k)); };
    const auto spread_holds = [&](std::uint64_t k) {
      // 4 p (1-p) / k <= half^2, without a square root's rounding.
      return 4 * variance <= half * half * static_cast<double>(k) * (1 + kSlack);
    };
    if (!spread_holds(packets)) {
      reasons.push_back("the binomial spread (±" + format_percent(spread(packets)) + " at " + format_percent(p) +
                        ") is wider than the bound");
    }
    needed = std::max(needed, smallest_n(4 * variance / (half * half), spread_holds));
  }

  if (reasons.empty()) return std::nullopt;
  std::string text = prefix + reasons[0];
  for (std::size_t i = 1; i < reasons.size(); ++i) text += ", and " + reasons[i];
  return text + "; use at least " + std::to_string(needed) + " packets";
}

}  // namespace synnet
