// measurement.hpp — what one traffic item measured, in base units, whichever
// tool measured it (ping_output.hpp, iperf3_output.hpp, or an exec's exit).
// A figure the tool did not give is absent; expectations on an absent figure
// fail as "not measured" (see expectations.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace synnet {

// One iperf3 interval (its "sum" over streams), times in seconds from the
// item's start (ItemReport::start puts them on the run's clock).
struct IntervalPoint {
  double start = 0, end = 0;
  double bits_per_second = 0;
  std::optional<std::uint64_t> retransmits{};  // tcp: the sender's, in this interval
  std::optional<std::uint64_t> packets{};      // udp: datagrams in this interval
  std::optional<std::uint64_t> lost{};         // udp: of them lost (when the tool says)
  bool operator==(const IntervalPoint&) const = default;
};

// One ping request: its icmp_seq, when it was sent (seconds from the item's
// start: (seq - 1) × interval) and its round trip (absent: no reply).
struct ReplyPoint {
  std::uint32_t seq = 0;
  double t = 0;
  std::optional<double> rtt{};  // seconds
  bool operator==(const ReplyPoint&) const = default;
};

struct Measurement {
  std::optional<double> loss{};        // fraction 0..1 of packets (ping) or datagrams (iperf3 udp) lost
  std::optional<double> throughput{};  // bit/s received (iperf3: the receiver's sum)
  std::optional<double> rtt_min{}, rtt_avg{}, rtt_max{}, rtt_mdev{};  // seconds (ping)
  std::optional<double> jitter{};                                     // seconds (iperf3 udp)
  std::optional<double> gap{};     // seconds: longest run of lost ping replies × interval
  std::optional<int> exit_code{};  // the tool's or command's exit status (absent: killed by a signal)
  std::uint64_t packets_sent = 0;  // what loss is a fraction of (0: not counted)
  std::uint64_t packets_received = 0;
  std::optional<std::uint64_t> retransmits{};  // iperf3 tcp: the sender's retransmits (reported, not checked)
  std::string congestion{};  // iperf3 tcp: the congestion control the sender used ("cubic"); "" when unknown
  std::string error{};       // why the tool's output could not be read, or the tool's own error
  std::vector<IntervalPoint> intervals{};  // iperf3: every interval, in order
  std::vector<ReplyPoint> replies{};       // ping: every request in 1..count it sent, in order
};

}  // namespace synnet
