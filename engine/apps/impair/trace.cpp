// trace.cpp — DeliveryTrace, ValueTrace and mahimahi's trace format. See trace.hpp.
#include "engine/apps/impair/trace.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace synnet {

double DeliveryTrace::mean_bps() const noexcept {
  if (period_ms() == 0) return 0;
  return static_cast<double>(opportunities_ms.size()) * kOpportunityBytes * 8 * 1000 / static_cast<double>(period_ms());
}

void DeliveryTrace::validate() const {
  if (opportunities_ms.empty()) throw std::invalid_argument("trace " + name + ": has no delivery opportunities");
  if (!std::is_sorted(opportunities_ms.begin(), opportunities_ms.end()))
    throw std::invalid_argument("trace " + name + ": timestamps go backwards");
  if (period_ms() == 0)
    throw std::invalid_argument("trace " + name + ": lasts 0 ms (its last timestamp must be above 0)");
}

double ValueTrace::at(std::uint64_t since_start_us) const noexcept {
  if (points.empty()) return 0;
  const std::uint64_t period = points.back().at_us;
  std::uint64_t t = since_start_us;
  if (loop && period > 0) {
    t %= period;
  } else if (t >= period) {
    return points.back().value;
  }
  // The last point at or before t (points[0] is at 0).
  const auto next =
      std::upper_bound(points.begin(), points.end(), t, [](std::uint64_t x, const Point& p) { return x < p.at_us; });
  const Point& a = *(next - 1);
  if (shape == TraceShape::kStep || next == points.end()) return a.value;
  const double f = static_cast<double>(t - a.at_us) / static_cast<double>(next->at_us - a.at_us);
  return a.value + f * (next->value - a.value);
}

double ValueTrace::max_value() const noexcept {
  double m = 0;
  for (const Point& p : points) m = std::max(m, p.value);
  return m;
}

void ValueTrace::validate() const {
  if (points.empty()) throw std::invalid_argument("trace " + name + ": has no points");
  if (points.front().at_us != 0) throw std::invalid_argument("trace " + name + ": its first point must be at time 0");
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (points[i].at_us <= points[i - 1].at_us)
      throw std::invalid_argument("trace " + name + ": times must increase (point " + std::to_string(i + 1) + ")");
  }
  for (const Point& p : points) {
    if (!std::isfinite(p.value) || p.value < 0)
      throw std::invalid_argument("trace " + name + ": values must be finite and not negative");
  }
  if (loop && points.back().at_us == 0)
    throw std::invalid_argument("trace " + name + ": a looping trace needs a last point after time 0 (its period)");
}

DeliveryTrace parse_delivery_trace(std::string_view text, std::string name) {
  DeliveryTrace t;
  t.name = std::move(name);
  std::size_t line = 0, last_line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view s = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.empty()) continue;
    std::uint64_t ms = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
    if (ec != std::errc{} || ptr != s.data() + s.size()) {
      throw TraceError(line, "\"" + std::string(s.substr(0, 40)) +
                                 "\" is not a whole number of milliseconds (mahimahi's format: one delivery "
                                 "opportunity per line)");
    }
    if (!t.opportunities_ms.empty() && ms < t.opportunities_ms.back()) {
      throw TraceError(line, std::to_string(ms) + " is before " + std::to_string(t.opportunities_ms.back()) +
                                 " on line " + std::to_string(last_line) + " (timestamps must not go backwards)");
    }
    t.opportunities_ms.push_back(ms);
    last_line = line;
  }
  if (t.opportunities_ms.empty()) throw TraceError(line == 0 ? 1 : line, "the trace is empty (no opportunities)");
  if (t.period_ms() == 0)
    throw TraceError(last_line, "the trace lasts 0 ms: its last timestamp must be above 0 (it is the period)");
  return t;
}

}  // namespace synnet
