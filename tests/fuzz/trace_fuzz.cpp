// trace_fuzz.cpp — libFuzzer target for the trace parsers: each input is the
// text of a capacity trace for parse_delivery_trace
// (engine/apps/impair/trace.hpp, mahimahi's format) and of a delay and a
// loss trace for parse_value_trace (harness/scenario/trace_files.hpp).
// Each either throws TraceError (with its line, from 1) or returns a trace
// that validate() accepts: a capacity trace sorted with a period above 0
// and a finite mean rate above 0; a value trace at strictly increasing times
// from 0, delays whole microseconds, losses fractions in [0, 1], and at()
// (step and linear, looping or not) between its smallest and largest value.
// A broken invariant or any other exception crashes the fuzzer.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/apps/impair/trace.hpp"
#include "harness/scenario/trace_files.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace synnet;
using fuzz::check;

void check_line(const TraceError& e) {
  check(e.line() >= 1, "a TraceError's line counts from 1");
  check(e.what()[0] != '\0', "a TraceError says what is wrong");
}

void fuzz_delivery(std::string_view text) {
  DeliveryTrace t;
  try {
    t = parse_delivery_trace(text, "fuzz.up");
  } catch (const TraceError& e) {
    check_line(e);
    return;
  }
  t.validate();  // must not throw
  check(std::is_sorted(t.opportunities_ms.begin(), t.opportunities_ms.end()), "a capacity trace is sorted");
  check(t.period_ms() > 0, "a capacity trace's period is above 0");
  check(std::isfinite(t.mean_bps()) && t.mean_bps() > 0, "a capacity trace's mean rate is finite and above 0");
}

void fuzz_values(std::string_view text, TraceValue kind) {
  ValueTrace t;
  try {
    t = parse_value_trace(text, kind, "fuzz.csv");
  } catch (const TraceError& e) {
    check_line(e);
    return;
  }
  t.validate();  // must not throw
  check(!t.points.empty() && t.points.front().at_us == 0, "a value trace starts at 0");
  double lo = t.points.front().value, hi = lo;
  for (std::size_t i = 0; i < t.points.size(); ++i) {
    const double v = t.points[i].value;
    check(i == 0 || t.points[i - 1].at_us < t.points[i].at_us, "a value trace's times increase");
    check(std::isfinite(v) && v >= 0, "a value is finite and not negative");
    if (kind == TraceValue::kLoss) check(v <= 1, "a loss is a fraction in [0, 1]");
    if (kind == TraceValue::kDelay) check(v == std::floor(v), "a delay is whole microseconds");
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const std::uint64_t period = t.points.back().at_us;
  for (const TraceShape shape : {TraceShape::kStep, TraceShape::kLinear}) {
    for (const bool loop : {false, true}) {
      if (loop && period == 0) continue;  // validate() refuses it
      t.shape = shape;
      t.loop = loop;
      t.validate();
      for (const std::uint64_t at : {std::uint64_t{0}, period / 3, period / 2, period, period + 1, period * 2 + 7}) {
        const double v = t.at(at);
        const double slack = hi * 1e-12;
        check(v >= lo - slack && v <= hi + slack, "at() is between the trace's smallest and largest value");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  fuzz_delivery(text);
  fuzz_values(text, TraceValue::kDelay);
  fuzz_values(text, TraceValue::kLoss);
  return 0;
}
