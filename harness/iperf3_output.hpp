// iperf3_output.hpp — reads an iperf3 client's --json output into a
// Measurement.
//
//   Measurement m = parse_iperf3_json(client_stdout, /*udp=*/true);
//
// TCP: throughput = end.sum_received.bits_per_second (what the receiver got,
// whichever side sends with --reverse), retransmits = end.sum_sent.retransmits.
// UDP: throughput = the receiver's bits_per_second (end.sum_received when
// present, else end.sum), loss = lost_packets / packets, jitter = jitter_ms,
// packets_sent/received from the same. iperf3's own "error" field (e.g.
// "unable to connect to server") goes to `error`, as does text that is not
// iperf3 JSON.
#pragma once

#include <string_view>

#include "harness/measurement.hpp"

namespace synnet {

Measurement parse_iperf3_json(std::string_view json_text, bool udp);

}  // namespace synnet
