// ping_fuzz.cpp — libFuzzer target for parse_ping_output
// (harness/measure/ping_output.hpp). Each input is
//   bytes 0-1   the count: (byte 0 | byte 1 << 8) % 4096 (0 included)
//   byte 2      the interval: 1 + byte 2 milliseconds
//   the rest    what ping printed
// parse_ping_output throws nothing. Checked: output without a summary line
// gives an error and nothing else; with one, the loss is a fraction in
// [0, 1], there is one reply entry per request in 1..min(count, transmitted),
// in order, each sent at (seq - 1) × interval, and the longest gap is a
// whole number of intervals no longer than all of them. A broken invariant
// or an exception crashes the fuzzer.
#include <chrono>
#include <cmath>
#include <cstdint>

#include "harness/measure/ping_output.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using synnet::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::uint32_t count = (data[0] | std::uint32_t{data[1]} << 8) % 4096;
  const std::chrono::milliseconds interval(1 + data[2]);
  const synnet::Measurement m = synnet::parse_ping_output(synnet::fuzz::text_of(data + 3, size - 3), count, interval);
  if (!m.error.empty()) {
    check(!m.loss && !m.gap && m.replies.empty() && m.packets_sent == 0, "an error comes alone");
    return 0;
  }
  check(!m.loss || (*m.loss >= 0 && *m.loss <= 1), "the loss is a fraction in [0, 1]");
  check(m.loss.has_value() == (m.packets_sent > 0), "a loss when ping sent something");
  const std::uint64_t last = std::min<std::uint64_t>(count, m.packets_sent);
  check(m.replies.size() == last, "one reply entry per request sent, up to count");
  const double interval_s = std::chrono::duration<double>(interval).count();
  for (std::size_t i = 0; i < m.replies.size(); ++i) {
    check(m.replies[i].seq == i + 1, "reply entries are requests 1, 2, ...");
    check(m.replies[i].t == static_cast<double>(i) * interval_s, "request seq is sent at (seq - 1) x interval");
    check(!m.replies[i].rtt || *m.replies[i].rtt >= 0, "a round trip is not negative");
  }
  check(m.gap.has_value() == (last > 0), "a gap when requests were sent");
  if (m.gap) {
    const double intervals = *m.gap / interval_s;
    check(intervals >= 0 && intervals <= static_cast<double>(last) + 1e-9, "the gap is within the requests sent");
    check(std::fabs(intervals - std::round(intervals)) < 1e-6, "the gap is a whole number of intervals");
  }
  return 0;
}
