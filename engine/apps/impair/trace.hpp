// trace.hpp — recorded link behaviour that impairments follow over time.
//
//   DeliveryTrace t = parse_delivery_trace(text, "lte.up");   // mahimahi's format; throws TraceError
//   t.opportunities_ms    // {0, 0, 1, 3, ...}: one 1500-byte delivery opportunity per entry
//   t.period_ms()         // the last entry: a looping trace starts again after it
//   t.mean_bps()          // what the trace carries on average, for reports
//
//   ValueTrace v{.points = {{0, 40'000}, {1'000'000, 80'000}}, .shape = TraceShape::kLinear, .loop = true};
//   v.at(500'000)         // 60'000: the value half a second after the app started
//
// A DeliveryTrace is mahimahi's link trace, read unchanged: one line per
// delivery opportunity, a whole number of milliseconds since the start, lines
// in non-decreasing order, a timestamp repeated for several opportunities in
// the same millisecond. Each opportunity can carry 1500 bytes (kOpportunityBytes),
// counted in bytes: it may carry several small packets, and the bytes it does
// not use are lost (a packet larger than what is left waits for the next one,
// carrying the bytes it already had over). The trace lasts its last timestamp
// (which must be above 0) and then repeats from the start when it loops.
//
// A ValueTrace is a value over time (delay in microseconds, a loss ratio):
// points at increasing times in microseconds since the app started, the first
// at 0. kStep holds each point's value until the next point; kLinear
// interpolates between neighbours. Past the last point: the last value when not
// looping; when looping, the trace repeats with the last point's time as its
// period (so the last point marks the end of the cycle: with kStep its value
// is never used; with kLinear the value moves towards it).
//
// Specs hold traces as SharedTrace<T>: a shared, immutable copy (cheap to copy
// a spec) compared by content.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace synnet {

inline constexpr std::uint32_t kOpportunityBytes = 1500;

struct DeliveryTrace {
  std::vector<std::uint64_t> opportunities_ms;  // non-decreasing; last > 0
  std::string name;                             // where it came from (a file name), for reports
  bool operator==(const DeliveryTrace&) const = default;
  std::uint64_t period_ms() const noexcept { return opportunities_ms.empty() ? 0 : opportunities_ms.back(); }
  double mean_bps() const noexcept;
  void validate() const;  // throws std::invalid_argument
};

enum class TraceShape { kStep, kLinear };

struct ValueTrace {
  struct Point {
    std::uint64_t at_us = 0;
    double value = 0;
    bool operator==(const Point&) const = default;
  };
  std::vector<Point> points;  // at_us strictly increasing, the first 0
  TraceShape shape = TraceShape::kStep;
  bool loop = false;
  std::string name;  // where it came from (a file name), for reports
  bool operator==(const ValueTrace&) const = default;
  double at(std::uint64_t since_start_us) const noexcept;
  double max_value() const noexcept;
  void validate() const;  // throws std::invalid_argument
};

// A parse error: the 1-based line and what is wrong with it (what() is "line N: ...").
class TraceError : public std::invalid_argument {
 public:
  TraceError(std::size_t line, const std::string& message)
      : std::invalid_argument("line " + std::to_string(line) + ": " + message), line_(line) {}
  std::size_t line() const noexcept { return line_; }

 private:
  std::size_t line_;
};

// mahimahi's format (above). Blank lines are skipped. Errors: an empty trace,
// a line that is not a whole number, a timestamp below the one before it, a
// trace whose last timestamp is 0.
DeliveryTrace parse_delivery_trace(std::string_view text, std::string name);

template <class T>
class SharedTrace {
 public:
  SharedTrace() = default;
  SharedTrace(T trace) : trace_(std::make_shared<const T>(std::move(trace))) {}  // NOLINT: implicit on purpose
  explicit operator bool() const noexcept { return trace_ != nullptr; }
  const T& operator*() const noexcept { return *trace_; }
  const T* operator->() const noexcept { return trace_.get(); }
  bool operator==(const SharedTrace& o) const noexcept {
    return trace_ == o.trace_ || (trace_ && o.trace_ && *trace_ == *o.trace_);
  }

 private:
  std::shared_ptr<const T> trace_;
};

}  // namespace synnet
