// traffic.hpp — runs one traffic item of a scenario (ping, iperf3 or exec)
// inside the testbed's namespaces and measures it.
//
//   TrafficContext ctx{.bed = bed, .cancelled = flag, .port = 5201, .linger = 2s};
//   ItemReport r = run_traffic_item(item, ctx);   // r.measurement, r.command; checks are not filled
//
// ping:   ping -n -c COUNT -i INTERVAL -s SIZE -W LINGER ADDR in `from`, LANG=C,
//         read by parse_ping_output.
// iperf3: a one-off server (iperf3 -s -1 -p PORT --forceflush) in `server`,
//         awaited until it says it is listening (5 s at most, else the item
//         fails with the server's stderr), then the client with --json in
//         `client`, read by parse_iperf3_json; the server is then stopped.
//         UDP: iperf3 opens its stream with one datagram each way and never
//         resends them, so on a lossy link it can hang before the test
//         starts. When the server has not started the test 3 s after the
//         client, both are stopped and started again, up to 6 attempts; each
//         retry is a note in the report. The intervals' times are moved from
//         the client's start (iperf3's own) to the item's.
// exec:   argv in `host`, its exit code measured. Its environment has
//         SYNNET_HOST (its own host name) and SYNNET_ADDR_<HOST> (each host's
//         first IPv4 address, host name upper-cased), and its stdout/stderr
//         are kept in the report's `output` (the last 4 KiB of each).
// Every process gets the item's deadline (default_deadline() when the
// scenario sets none); a passing deadline kills it and is reported as the
// item's error. When `cancelled` becomes true (Ctrl-C), the running
// processes are terminated at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/report/report.hpp"
#include "harness/run/testbed.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

struct TrafficContext {
  Testbed& bed;
  const std::atomic<bool>& cancelled;
  std::uint16_t port = 5201;                                  // iperf3's port for this item
  std::chrono::nanoseconds linger = std::chrono::seconds(2);  // ping -W: how long to wait for the last replies
  std::vector<std::string> env{};                             // more for exec items, e.g. "SYNNET_API=/run/..."
};

// Runs a ping, iperf3 or exec item (not a parallel group). Never throws for
// what the traffic does; a failure to start a process becomes the item's error.
ItemReport run_traffic_item(const TrafficItem& item, TrafficContext& ctx);

// How long an item should take (for progress), and its deadline when the
// scenario sets none: that length + 15 s (exec: 60 s).
std::chrono::nanoseconds expected_length(const TrafficItem& item);
std::chrono::nanoseconds default_deadline(const TrafficItem& item);
const char* kind_of(const TrafficItem& item);  // "ping", "iperf3", "exec", "parallel"

}  // namespace synnet
