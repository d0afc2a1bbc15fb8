// scenario.hpp — a scenario file, validated: what `synnet-test` builds, runs
// and checks. The JSON format is documented in scenarios/README.md and in the
// JSON Schema scenarios/synnet-scenario.schema.json.
//
//   Scenario s = parse_scenario(*read_text("scenarios/lossy-link.json"));   // throws ScenarioError
//
// Parsing is strict and complete before anything is created: unknown keys,
// wrong types, bad units and dangling names (a link to a host that does not
// exist) throw ScenarioError, whose what() is "<json path>: <message>", e.g.
//   /links/0/a_to_b/rate: "10 Mbps" is not a rate (try "10Mbit")
// path() is the JSON Pointer of the offending value ("" for the document).
//
// Every quantity is stored in base units (ns, bit/s, fractions, bytes), and
// the impairments directly as the engine's DirectionSpec, so the runner hands
// them to add_direction() unchanged.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/apps/impair/chain.hpp"
#include "harness/scenario/address.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

// A scenario's errors are the JSON reader's: what() "<json path>: <message>", path().
using ScenarioError = json_reader::JsonError;

// A host: a network namespace with one interface on its link.
struct ScenarioHost {
  std::string name;                    // [a-z][a-z0-9]{0,6}, not "wire": it names the namespace
  std::vector<HostAddress> addresses;  // "198.18.0.1/24", "2001:2::1/64"; default: 198.18.0.<index+1>/24
};

// How the engine reaches a link's veths.
enum class LinkIo { kPacket, kXdp };  // "packet" (AF_PACKET rings) or "xdp"

// A link: host a <-> engine <-> host b, impaired per direction.
struct ScenarioLink {
  std::string name;  // default "<a>-<b>"; the timeline refers to links by name
  std::string a, b;  // host names
  LinkIo io = LinkIo::kPacket;
  std::uint32_t mtu = 1500;  // of the veths
  DirectionSpec a_to_b{}, b_to_a{};
};

// At `at` after the traffic starts, the named link's directions that are set
// are replaced by these (queued packets are kept by the apps that stay).
struct TimelineEvent {
  std::chrono::nanoseconds at{0};
  std::string link;
  std::optional<DirectionSpec> a_to_b{}, b_to_a{};
  std::string path;  // its JSON path, for messages
};

// A bound on one measured figure: min <= value <= max (either may be absent).
struct Bound {
  std::optional<double> min{}, max{};
  std::string text;  // as written, e.g. "<= 1%", for reports
};

// What a traffic item must show. Units: loss as a fraction, throughput bit/s,
// times in seconds (double), so reports print them uniformly.
struct Expectations {
  std::optional<Bound> loss{}, throughput{}, rtt_min{}, rtt_avg{}, rtt_max{}, rtt_mdev{}, jitter{};
  std::optional<Bound> gap{};      // ping: the longest run of lost replies, as time (run length × interval)
  std::optional<int> exit_code{};  // exec items default to 0; ping/iperf3 do not check it unless set
};

struct PingSpec {
  std::string from, to;  // host names; `to` is reached at its first IPv4 address (or `to_address`)
  std::string to_address{};
  std::uint32_t count = 10;
  std::chrono::nanoseconds interval = std::chrono::milliseconds(200);
  std::uint32_t size = 56;  // ICMP payload bytes
};

enum class Iperf3Protocol { kTcp, kUdp };

struct Iperf3Spec {
  std::string client, server;  // host names
  Iperf3Protocol protocol = Iperf3Protocol::kTcp;
  std::optional<std::uint64_t> bitrate{};  // bit/s; iperf3's default when absent (1 Mbit/s for UDP)
  std::optional<std::uint32_t> length{};   // bytes per write / datagram
  std::chrono::nanoseconds duration = std::chrono::seconds(5);
  std::uint32_t parallel = 1;
  bool reverse = false;
};

struct ExecSpec {
  std::string host;
  std::vector<std::string> argv;
};

struct TrafficItem;
// Items that run at the same time; the group ends when all of them have.
struct ParallelGroup {
  std::vector<TrafficItem> items;
};

struct TrafficItem {
  std::string name;  // unique; default "<kind>-<index>"
  std::variant<PingSpec, Iperf3Spec, ExecSpec, ParallelGroup> what;
  std::chrono::nanoseconds deadline{0};  // 0: a default derived from the item (see runner)
  bool engine_off = false;  // run with the engine stopped and its sockets closed (the PoC's negative claim)
  Expectations expect{};
  std::string path;  // its JSON path, for messages
};

struct Scenario {
  std::string name;
  std::string description{};
  std::optional<std::uint64_t> seed{};  // absent: chosen at random by the runner, always printed
  std::vector<ScenarioHost> hosts;
  std::vector<ScenarioLink> links;
  std::vector<TimelineEvent> timeline{};  // sorted by `at`
  std::vector<TrafficItem> traffic;
};

// Parses and validates a scenario file's text (JSON). Throws ScenarioError.
Scenario parse_scenario(std::string_view json_text);

// The keys an object of each kind may have, as parse_scenario accepts them
// (a test holds the JSON Schema to the same lists). Kinds: "scenario",
// "host", "link", "direction", "flow", "match", "loss", "delay", "jitter",
// "rate", "reorder", "outage", "timeline", "traffic", "ping", "iperf3",
// "exec", "expect", "bound". Throws std::invalid_argument for another kind.
const std::vector<std::string>& scenario_keys(std::string_view object_kind);

}  // namespace synnet
