// iperf3_output.hpp — reads an iperf3 client's --json output into a
// Measurement.
//
//   Measurement m = parse_iperf3_json(client_stdout, /*udp=*/true);
//
// TCP: throughput = end.sum_received.bits_per_second (what the receiver got,
// whichever side sends with --reverse), retransmits = end.sum_sent.retransmits.
// UDP: throughput = the receiver's bits_per_second (end.sum_received when
// present, else end.sum, which in 3.12 holds the sender's rate), jitter =
// jitter_ms. The receiver's `packets` is the highest sequence number it saw,
// so datagrams lost at the very end are missing from its lost_packets: hence
// packets_sent = end.sum_sent.packets (the sender's count; the receiver's
// `packets` without it), packets_received = packets - lost_packets of the
// receiver's sum, loss = (sent - received) / sent (not lost_percent).
// intervals: every entry of "intervals" (iperf3's default: one a second),
// its "sum" over the streams as the client saw it: start and end (seconds
// from the client's start), bits_per_second; TCP: retransmits when the
// client sends (absent with --reverse); UDP: packets (sent, as the sender;
// received up to the highest sequence number, as the receiver with
// --reverse) and lost (lost_packets, only as the receiver). Intervals marked
// "omitted" are left out; they are kept when the document also has an
// "error" (what was measured before it).
// iperf3's own "error" field (e.g. "unable to connect to server: Connection
// refused") goes to `error` as "iperf3: <text>" — iperf 3.11/3.12 exit 0 in
// that case with --json, so the exit status does not tell. `error` is also
// set for text that is not JSON ("iperf3 output is not JSON: <first 80
// chars>"), a test of the other protocol (start.test_start.protocol), missing
// end sums, and text after the JSON document (kept whole when it starts with
// "iperf3", as iperf3's own late "iperf3: error - ..." does; the figures
// read before it stay).
#pragma once

#include <string_view>

#include "harness/measure/measurement.hpp"

namespace synnet {

Measurement parse_iperf3_json(std::string_view json_text, bool udp);

}  // namespace synnet
