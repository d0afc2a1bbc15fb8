// iperf3_fuzz.cpp — libFuzzer target for parse_iperf3_json
// (harness/measure/iperf3_output.hpp). Each input is iperf3's output, read
// as UDP and as TCP. parse_iperf3_json throws nothing. Checked, for both: a
// loss is a fraction in [0, 1]; no more datagrams received than sent; no
// error, for UDP, means a jitter, and a loss when something was sent; TCP has no packet counts and UDP no retransmits;
// the intervals have the protocol's fields only. A broken invariant or an exception crashes the fuzzer.
#include <cstdint>

#include "harness/measure/iperf3_output.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using synnet::fuzz::check;

void check_measurement(const synnet::Measurement& m, bool udp) {
  check(!m.loss || (*m.loss >= 0 && *m.loss <= 1), "the loss is a fraction in [0, 1]");
  check(m.packets_received <= m.packets_sent, "no more datagrams received than sent");
  if (m.error.empty() && udp) {
    check(m.jitter.has_value(), "no error, UDP: a jitter");
    check(m.loss.has_value() == (m.packets_sent > 0), "no error, UDP: a loss when datagrams were sent");
  }
  if (!udp) check(!m.loss && m.packets_sent == 0 && !m.jitter, "TCP: no datagram counts");
  if (udp) check(!m.retransmits && m.congestion.empty(), "UDP: no retransmits");
  for (const synnet::IntervalPoint& p : m.intervals) {
    check(udp || (!p.packets && !p.lost), "a TCP interval has no datagram counts");
    check(!udp || !p.retransmits, "a UDP interval has no retransmits");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = synnet::fuzz::text_of(data, size);
  check_measurement(synnet::parse_iperf3_json(text, /*udp=*/true), true);
  check_measurement(synnet::parse_iperf3_json(text, /*udp=*/false), false);
  return 0;
}
