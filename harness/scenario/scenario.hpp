// scenario.hpp — a scenario file, validated: what `synnet-test` builds, runs
// and checks. The JSON format is documented in scenarios/README.md and in the
// JSON Schema scenarios/synnet-scenario.schema.json.
//
//   Scenario s = parse_scenario(*read_text("scenarios/lossy-link.json"), "scenarios");   // throws ScenarioError
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
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/apps/impair/chain.hpp"
#include "harness/scenario/address.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

// A scenario's errors are the JSON reader's: what() "<json path>: <message>", path().
using ScenarioError = json_reader::JsonError;

// A route a host has: `to` (a prefix, "198.18.2.0/24", or "default") via a
// neighbour's address on one of its segments.
struct HostRoute {
  std::string to;   // "198.18.2.0/24", "2001:2:0:2::/64" or "default"
  std::string via;  // "198.18.1.1": an address of a host on a segment this host is on
  bool ipv6 = false;
  std::string path{};  // its JSON path when the file gave it ("" when computed)
  bool operator==(const HostRoute&) const = default;
};

// How a service shows it is ready: a TCP port listening in its host's
// namespace, or a command that exits 0; neither: as soon as it started.
struct ServiceReady {
  std::optional<std::uint16_t> tcp{};
  std::vector<std::string> exec{};
  std::chrono::nanoseconds timeout = std::chrono::seconds(10);
};

// A program that runs on a host for the whole run: started after the network
// is up and before the first traffic item, stopped (SIGTERM, then SIGKILL) at
// teardown. One that ends before teardown fails the run unless expect_exit.
struct ServiceSpec {
  std::string name;  // unique on its host
  std::vector<std::string> argv;
  ServiceReady ready{};
  bool expect_exit = false;
  std::string path{};  // its JSON path, for messages
};

// A host: a network namespace with an interface "eth<i>" per link it is on
// (in link order).
struct ScenarioHost {
  std::string name;                    // [a-z][a-z0-9]{0,6}, not "wire": it names the namespace
  std::vector<HostAddress> addresses;  // all of them, in interface order (its links' ends' addresses)
  bool forward = false;                // a router: IP forwarding between its interfaces
  std::vector<HostRoute> routes{};     // the file's "routes", or the computed ones (network.hpp)
  bool routes_given = false;           // "routes" was in the file: no route is computed for it
  std::vector<ServiceSpec> services{};
  std::vector<std::pair<std::string, std::string>> sysctls{};  // "net.*" key, value; in file order
  std::string path{};                                          // its JSON path, for messages
};

// An impairment chain between two hosts on one switch, one direction.
struct SwitchPath {
  std::string from, to;  // host names, both linked to the switch
  DirectionSpec impairments{};
  std::string path{};
};

// An L2 segment the engine runs: every node linked to it is on one broadcast domain.
struct ScenarioSwitch {
  std::string name;  // as a host's name; hosts and switches share one namespace of names
  std::vector<SwitchPath> paths{};
  std::string path{};
};

// How the engine reaches a link's veths.
enum class LinkIo { kPacket, kXdp };  // "packet" (AF_PACKET rings) or "xdp"

// A link: node a <-> engine <-> node b, impaired per direction. A node is a
// host or a switch; a switch-to-switch link stays inside the engine.
struct ScenarioLink {
  std::string name;                                       // default "<a>-<b>"; the timeline refers to links by name
  std::string a, b;                                       // node names
  std::vector<HostAddress> a_addresses{}, b_addresses{};  // a host end's interface addresses (none for a switch)
  LinkIo io = LinkIo::kPacket;
  std::uint32_t mtu = 1500;  // of the veths
  DirectionSpec a_to_b{}, b_to_a{};
  std::string path{};  // its JSON path, for messages
};

// A change to a running network:
// the named link's directions that are set are replaced by these (queued
// packets are kept by the apps that stay) ...
struct LinkChange {
  std::string link;
  std::optional<DirectionSpec> a_to_b{}, b_to_a{};
};
// ... every path between hosts of different groups is cut, both ways (hosts
// named in no group keep talking to everyone); partitions add up ...
struct PartitionChange {
  std::vector<std::vector<std::string>> groups;  // host names; at least two groups
};
// ... or every partition is removed.
struct HealChange {};
using NetworkChange = std::variant<LinkChange, PartitionChange, HealChange>;

// At `at` after the traffic starts, `change` is applied.
struct TimelineEvent {
  std::chrono::nanoseconds at{0};
  NetworkChange change;
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
  std::string congestion{};  // TCP congestion control (iperf3 -C); empty: the sender's default
};

struct ExecSpec {
  std::string host;
  std::vector<std::string> argv;
};

// A step between traffic items: the change is applied when the run reaches
// it, before the next item starts.
struct ChangeStep {
  NetworkChange change;
};

struct TrafficItem;
// Items that run at the same time; the group ends when all of them have.
struct ParallelGroup {
  std::vector<TrafficItem> items;
};

struct TrafficItem {
  std::string name;  // unique; default "<kind>-<index>"
  std::variant<PingSpec, Iperf3Spec, ExecSpec, ParallelGroup, ChangeStep> what;
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
  std::vector<ScenarioSwitch> switches{};
  std::vector<ScenarioLink> links;
  std::vector<TimelineEvent> timeline{};  // sorted by `at`
  std::vector<TrafficItem> traffic;
};

// Parses and validates a scenario file's text (JSON). Throws ScenarioError.
// Files it names (traces) are read relative to `dir`, the scenario file's
// directory; empty: the current directory (a profile, the control API).
Scenario parse_scenario(std::string_view json_text, const std::filesystem::path& dir = {});

// A change to a running network of scenario `s`, as a traffic step's "change"
// object (a timeline event's body without "at": {"link": ..., "a_to_b": ...},
// {"partition": [...]} or {"heal": true}); what the control API's bodies are.
// Errors are at JSON Pointers into `change`. Throws ScenarioError.
NetworkChange parse_change(const Scenario& s, const json_reader::Json& change);

// The keys an object of each kind may have, as parse_scenario accepts them
// (a test holds the JSON Schema to the same lists). Kinds: "scenario",
// "host", "route", "service", "ready", "switch", "switch_path", "link",
// "link_end", "change", "direction", "flow", "match", "loss", "delay", "jitter",
// "rate", "queue", "reorder", "outage", "timeline", "traffic", "ping", "iperf3",
// "exec", "expect", "bound". Throws std::invalid_argument for another kind.
const std::vector<std::string>& scenario_keys(std::string_view object_kind);

}  // namespace synnet
