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
};

}  // namespace synnet
