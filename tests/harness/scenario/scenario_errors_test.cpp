// scenario_errors_test.cpp — parse_scenario on networks of many hosts:
// a table of malformed scenarios (switches, links and their ends, routes,
// addresses, switch paths, services, sysctls, partitions, change steps),
// each checked for the JSON path and the hint of its error; a few that
// parse, checked field by field; and the JSON Schema held to the same
// examples (python3-jsonschema, as the report tests use it), including the
// ```json examples of scenarios/README.md.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "engine/sys/text_file.hpp"
#include "harness/scenario/network.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Three nodes on a switch, a router r on it too, and a server behind r:
//   n1, n2, n3, r -- s1 (198.18.0.0/24: n1 .1, n2 .2, n3 .3, r .4)
//   r -- srv         (198.18.1.0/24: r .4, srv .5)
// The error cases patch it (RFC 6902).
constexpr const char* kNet = R"({
  "name": "net",
  "hosts": [{"name": "n1"}, {"name": "n2"}, {"name": "n3"}, {"name": "r", "forward": true}, {"name": "srv"}],
  "switches": [{"name": "s1"}],
  "links": [{"a": "n1", "b": "s1"}, {"a": "n2", "b": "s1"}, {"a": "n3", "b": "s1"}, {"a": "r", "b": "s1"},
            {"a": "r", "b": "srv"}],
  "traffic": [{"ping": {"from": "n1", "to": "srv"}}]
})";

// One "add" operation: `value` (JSON) at `path` ("-" appends to an array).
std::string add(const std::string& path, const std::string& value) {
  return R"({"op": "add", "path": ")" + path + R"(", "value": )" + value + "}";
}
template <typename... Ops>
std::string patch(const std::string& first, const Ops&... more) {
  return "[" + (first + ... + (", " + more)) + "]";
}
// A traffic item appended after the ping: it is /traffic/1.
std::string step(const std::string& item) { return patch(add("/traffic/-", item)); }

std::string patched(const std::string& ops) { return OrderedJson::parse(kNet).patch(OrderedJson::parse(ops)).dump(); }

struct BadCase {
  std::string what, patch, path, message;
};

const std::vector<BadCase>& bad_cases() {
  static const std::vector<BadCase> cases = {
      // Nodes and links
      {"a link to an unknown node", patch(add("/links/0/b", R"("s9")")), "/links/0/b",
       "no host or switch \"s9\" (did you mean \"s1\"?)"},
      {"a link end object naming an unknown node", patch(add("/links/0/a", R"({"node": "n9"})")), "/links/0/a/node",
       "no host or switch \"n9\""},
      {"a link from a node to itself", patch(add("/links/0/b", R"("n1")")), "/links/0/b",
       "\"n1\" is also \"a\": a link joins two different nodes"},
      {"three switches in a ring",
       patch(add("/switches/-", R"({"name": "s2"})"), add("/switches/-", R"({"name": "s3"})"),
             add("/links/-", R"({"a": "s1", "b": "s2"})"), add("/links/-", R"({"a": "s2", "b": "s3"})"),
             add("/links/-", R"({"a": "s3", "b": "s1"})")),
       "/links/7",
       "link \"s3-s1\" closes a loop of switches (s3 and s1 are already joined): the engine's switches run no "
       "spanning tree; remove a link of the loop"},
      {"two links between the same two switches",
       patch(add("/switches/-", R"({"name": "s2"})"), add("/links/-", R"({"a": "s1", "b": "s2"})"),
             add("/links/-", R"({"a": "s2", "b": "s1"})")),
       "/links/6", "closes a loop of switches (s2 and s1 are already joined)"},
      {"a host named twice", patch(add("/hosts/1/name", R"("n1")")), "/hosts/1/name",
       "\"n1\" is already the name of host at /hosts/0"},
      {"a switch with a host's name", patch(add("/switches/0/name", R"("n2")")), "/switches/0/name",
       "\"n2\" is already the name of host at /hosts/1 (hosts and switches share one set of names)"},
      {"a switch name that is no name", patch(add("/switches/0/name", R"("S1")")), "/switches/0/name",
       "\"S1\" is not a switch name: a lowercase letter, then lowercase letters and digits"},
      {"a switch on no link", patch(add("/switches/-", R"({"name": "s2"})")), "/switches/1",
       "switch \"s2\" is on no link: link hosts to it"},
      {"a link to a switch with io xdp", patch(add("/links/0/io", R"("xdp")")), "/links/0/io",
       "a link to a switch uses \"packet\" I/O"},
      // Addresses
      {"an address outside the ranges on a link end",
       patch(add("/links/0/a", R"({"node": "n1", "addresses": ["10.0.0.1/24"]})")), "/links/0/a/addresses/0",
       "\"10.0.0.1/24\" is outside 198.18.0.0/15"},
      {"two hosts with the same address on link ends",
       patch(add("/links/0/a", R"({"node": "n1", "addresses": ["198.18.0.9/24"]})"),
             add("/links/1/a", R"({"node": "n2", "addresses": ["198.18.0.9/24"]})")),
       "/links/1/a/addresses/0", "address 198.18.0.9 is already host \"n1\"'s (/links/0/a/addresses/0)"},
      {"the broadcast address of a subnet",
       patch(add("/links/0/a", R"({"node": "n1", "addresses": ["198.18.0.255/24"]})")), "/links/0/a/addresses/0",
       "\"198.18.0.255/24\" is the broadcast address of its subnet /24, not a host's: pick one between them"},
      {"the network address of a subnet", patch(add("/links/0/a", R"({"node": "n1", "addresses": ["198.18.0.0/24"]})")),
       "/links/0/a/addresses/0", "\"198.18.0.0/24\" is the network address of its subnet /24"},
      {"host addresses while on two links", patch(add("/hosts/3/addresses", R"(["198.18.0.9/24"])")),
       "/hosts/3/addresses",
       "host \"r\" is on 2 links: give each link end its addresses instead, e.g. \"a\": {\"node\": \"r\", "
       "\"addresses\": [\"198.18.1.1/24\"]}"},
      {"host addresses and its link end's too",
       patch(add("/hosts/0/addresses", R"(["198.18.0.9/24"])"),
             add("/links/0/a", R"({"node": "n1", "addresses": ["198.18.0.8/24"]})")),
       "/links/0/a/addresses", "host \"n1\" has \"addresses\" of its own (/hosts/0/addresses): give them once"},
      {"addresses on a switch end", patch(add("/links/0/b", R"({"node": "s1", "addresses": ["198.18.0.9/24"]})")),
       "/links/0/b/addresses", "\"s1\" is a switch: addresses belong to the hosts' ends"},
      {"empty addresses on a link end", patch(add("/links/0/a", R"({"node": "n1", "addresses": []})")),
       "/links/0/a/addresses", "is empty: give at least one address, or leave the key out for the default"},
      {"two segments of one network with one subnet",
       patch(add("/links/0/a", R"({"node": "n1", "addresses": ["198.18.1.1/24"]})"),
             add("/links/4/b", R"({"node": "srv", "addresses": ["198.18.1.9/24"]})")),
       "/links/4",
       "its segment's subnet 198.18.1.0/24 overlaps 198.18.1.0/24 of link \"n1-s1\", which is on the same "
       "network: give the segments different subnets"},
      // Routes
      {"a route via an address on no segment of the host",
       patch(add("/hosts/0/routes", R"([{"to": "198.18.7.0/24", "via": "198.18.5.1"}])")), "/hosts/0/routes/0/via",
       "198.18.5.1 is on none of host \"n1\"'s segments: a route goes via a neighbour's address (its subnets: "
       "198.18.0.0/24)"},
      {"a route \"to\" that is not a prefix",
       patch(add("/hosts/0/routes", R"([{"to": "everywhere", "via": "198.18.0.4"}])")), "/hosts/0/routes/0/to",
       "(give a prefix, e.g. \"198.18.2.0/24\", or \"default\")"},
      {"a route via the other family",
       patch(add("/hosts/0/routes", R"([{"to": "198.18.7.0/24", "via": "2001:2::4"}])")), "/hosts/0/routes/0/via",
       "\"2001:2::4\" is not of the same family as \"198.18.7.0/24\""},
      {"a route via a prefix", patch(add("/hosts/0/routes", R"([{"to": "default", "via": "198.18.0.4/24"}])")),
       "/hosts/0/routes/0/via", "is not an IPv4 or IPv6 address (a neighbour's, without a length)"},
      {"a route via the host's own address",
       patch(add("/hosts/0/routes", R"([{"to": "default", "via": "198.18.0.1"}])")), "/hosts/0/routes/0/via",
       "198.18.0.1 is host \"n1\"'s own address"},
      {"a route without via", patch(add("/hosts/0/routes", R"([{"to": "default"}])")), "/hosts/0/routes/0",
       "missing \"via\""},
      {"two routes to one prefix (the kernel refuses the second)",
       patch(add("/hosts/0/routes", R"([{"to": "198.18.1.0/24", "via": "198.18.0.4"},
                                        {"to": "198.18.1.0/24", "via": "198.18.0.2"}])")),
       "/hosts/0/routes/1/to", "a route to 198.18.1.0/24 is already at /hosts/0/routes/0: give each prefix once"},
      {"two default routes", patch(add("/hosts/0/routes", R"([{"to": "default", "via": "198.18.0.4"},
                                                               {"to": "default", "via": "198.18.0.2"}])")),
       "/hosts/0/routes/1/to", "a route to default is already at /hosts/0/routes/0"},
      // Switch paths
      {"a switch path naming a host not on that switch",
       patch(add("/switches/0/paths", R"([{"from": "n1", "to": "srv", "loss": "5%"}])")), "/switches/0/paths/0/to",
       "host \"srv\" is not linked to switch \"s1\": a path joins two hosts on the same switch"},
      {"a switch path naming a switch", patch(add("/switches/0/paths", R"([{"from": "s1", "to": "n2"}])")),
       "/switches/0/paths/0/from", "\"s1\" is a switch; a host is needed here"},
      {"a switch path naming an unknown host", patch(add("/switches/0/paths", R"([{"from": "n1", "to": "n7"}])")),
       "/switches/0/paths/0/to", "no host \"n7\""},
      {"a switch path from a host to itself", patch(add("/switches/0/paths", R"([{"from": "n1", "to": "n1"}])")),
       "/switches/0/paths/0/to", "\"n1\" is also \"from\""},
      {"a duplicate switch path",
       patch(add("/switches/0/paths", R"([{"from": "n1", "to": "n2"}, {"from": "n1", "to": "n2", "loss": "5%"}])")),
       "/switches/0/paths/1", "a path from \"n1\" to \"n2\" is already at /switches/0/paths/0"},
      {"a switch path with a_to_b (its impairments are its own keys)",
       patch(add("/switches/0/paths", R"([{"from": "n1", "to": "n2", "a_to_b": {"loss": "5%"}}])")),
       "/switches/0/paths/0/a_to_b", "unknown key"},
      // Traces and queues (no file is read: each is refused before)
      {"a rate with both rate and trace",
       patch(add("/links/4/a_to_b", R"({"rate": {"rate": "10Mbit", "trace": "lte.up"}})")),
       "/links/4/a_to_b/rate/trace", "not both"},
      {"a loss trace with a model",
       patch(add("/links/4/a_to_b", R"({"loss": {"model": "random", "ratio": "1%", "trace": "loss.csv"}})")),
       "/links/4/a_to_b/loss/model", "a loss trace is the random model's ratio over time"},
      {"a delay with neither time nor trace", patch(add("/links/4/a_to_b", R"({"delay": {"limit": 10}})")),
       "/links/4/a_to_b/delay", "missing \"time\""},
      {"a codel queue with max_burst",
       patch(add("/links/4/a_to_b",
                 R"({"rate": {"rate": "10Mbit", "queue": {"discipline": "codel", "max_burst": "100ms"}}})")),
       "/links/4/a_to_b/rate/queue/max_burst", "belongs to pie, not codel"},
      // Services and sysctls
      {"a service with an empty argv", patch(add("/hosts/4/services", R"([{"name": "web", "argv": []}])")),
       "/hosts/4/services/0/argv", "is empty: give the program and its arguments"},
      {"two services with one name",
       patch(add("/hosts/4/services", R"([{"name": "web", "argv": ["a"]}, {"name": "web", "argv": ["b"]}])")),
       "/hosts/4/services/1/name", "the host already has a service \"web\""},
      {"a service name with a space", patch(add("/hosts/4/services", R"([{"name": "my web", "argv": ["a"]}])")),
       "/hosts/4/services/0/name", "is not a service name: use letters, digits, '_' and '-'"},
      {"ready with both tcp and exec",
       patch(add("/hosts/4/services", R"([{"name": "web", "argv": ["a"], "ready": {"tcp": 80, "exec": ["b"]}}])")),
       "/hosts/4/services/0/ready", "give \"tcp\" or \"exec\", not both"},
      {"ready on port 0", patch(add("/hosts/4/services", R"([{"name": "web", "argv": ["a"], "ready": {"tcp": 0}}])")),
       "/hosts/4/services/0/ready/tcp", "0 is not in 1..65535"},
      {"a ready timeout of 0",
       patch(add("/hosts/4/services", R"([{"name": "web", "argv": ["a"], "ready": {"timeout": "0s"}}])")),
       "/hosts/4/services/0/ready/timeout", "must be above 0"},
      {"a sysctl that is not net.*", patch(add("/hosts/0/sysctls", R"({"kernel.pid_max": "4194304"})")),
       "/hosts/0/sysctls/kernel.pid_max",
       "\"kernel.pid_max\" is not a network sysctl: only \"net.*\" keys (which each namespace has its own of) can "
       "be set"},
      {"a sysctl value of the wrong type", patch(add("/hosts/0/sysctls", R"({"net.ipv4.ip_forward": true})")),
       "/hosts/0/sysctls/net.ipv4.ip_forward", "expected a string or an integer"},
      {"sysctls as an array", patch(add("/hosts/0/sysctls", R"([["net.ipv4.ip_forward", 1]])")), "/hosts/0/sysctls",
       "expected an object of \"net.*\" keys and their values"},
      // Traffic
      {"congestion on a UDP item",
       patch(add("/traffic/0",
                 R"({"iperf3": {"client": "n1", "server": "n2", "protocol": "udp", "congestion": "cubic"}})")),
       "/traffic/0/iperf3/congestion", "only TCP has a congestion control"},
      {"a congestion control that is no name",
       patch(add("/traffic/0", R"({"iperf3": {"client": "n1", "server": "n2", "congestion": "Cubic"}})")),
       "/traffic/0/iperf3/congestion", "\"Cubic\" is not a congestion control's name (e.g. \"cubic\""},
      {"ping between two hosts with no route (a router without forward)", patch(add("/hosts/3/forward", "false")),
       "/traffic/0/ping/to",
       "host \"n1\" has no route to 198.18.1.5: make a host that joins the segments a router (\"forward\": true), "
       "or give \"routes\""},
      {"ping with a way there and none back",
       patch(add("/hosts/0/routes", R"([{"to": "198.18.1.0/24", "via": "198.18.0.4"}])"), add("/hosts/4/routes", "[]")),
       "/traffic/0/ping/to", "no way back: host \"srv\" has no route to 198.18.0.1"},
      {"ping to a switch", patch(add("/traffic/0/ping/to", R"("s1")")), "/traffic/0/ping/to",
       "\"s1\" is a switch; a host is needed here"},
      {"iperf3 to a host on no link",
       patch(add("/hosts/-", R"({"name": "lone"})"),
             add("/traffic/0", R"({"iperf3": {"client": "n1", "server": "lone"}})")),
       "/traffic/0/iperf3/server", "host \"lone\" is on no link"},
      // Partitions and changes
      {"a partition naming an unknown host", step(R"({"change": {"partition": [["n1"], ["n9"]]}})"),
       "/traffic/1/change/partition/1/0", "no host \"n9\""},
      {"a partition naming a switch", step(R"({"change": {"partition": [["n1"], ["s1"]]}})"),
       "/traffic/1/change/partition/1/0", "\"s1\" is a switch; a host is needed here"},
      {"a partition naming a host twice", step(R"({"change": {"partition": [["n1", "n2"], ["n2"]]}})"),
       "/traffic/1/change/partition/1/0", "host \"n2\" is already in a group of this partition"},
      {"a partition of fewer than two groups", step(R"({"change": {"partition": [["n1", "n2"]]}})"),
       "/traffic/1/change/partition", "needs at least two groups of hosts, e.g. [[\"n1\", \"n2\"], [\"n3\"]]"},
      {"a partition with an empty group", step(R"({"change": {"partition": [["n1"], []]}})"),
       "/traffic/1/change/partition/1", "is empty: a group names at least one host"},
      {"heal false", step(R"({"change": {"heal": false}})"), "/traffic/1/change/heal",
       "the only value is true (it removes every partition)"},
      {"a change step with expect", step(R"({"change": {"heal": true}, "expect": {"loss": {"max": "0%"}}})"),
       "/traffic/1/expect", "a change step takes only \"name\" besides \"change\""},
      {"a change step with engine off", step(R"({"change": {"heal": true}, "engine": "off"})"), "/traffic/1/engine",
       "a change step takes only \"name\" besides \"change\""},
      {"a change inside a parallel group",
       step(R"({"parallel": [{"ping": {"from": "n1", "to": "n2"}}, {"change": {"heal": true}}]})"),
       "/traffic/1/parallel/1/change", "a change is a step between items, not inside a parallel group"},
      {"a change step and a ping in one item",
       step(R"({"change": {"heal": true}, "ping": {"from": "n1", "to": "n2"}})"), "/traffic/1/ping",
       "an item is one of ping, iperf3, exec, parallel or change; this one is already \"change\""},
      {"a change of an unknown link", step(R"({"change": {"link": "n1-s2", "a_to_b": {}}})"), "/traffic/1/change/link",
       "no link \"n1-s2\" (did you mean \"n1-s1\"?)"},
      {"a link change without a link among several", step(R"({"change": {"a_to_b": {"loss": "100%"}}})"),
       "/traffic/1/change", "missing \"link\": the scenario has 5 links (n1-s1, n2-s1, n3-s1, r-s1, r-srv)"},
      {"a link change that changes nothing", step(R"({"change": {"link": "n1-s1"}})"), "/traffic/1/change",
       "changes nothing"},
      {"a change with an unknown key", step(R"({"change": {"partitions": [["n1"], ["n2"]]}})"),
       "/traffic/1/change/partitions", "unknown key (did you mean \"partition\"?)"},
      {"timeline partition and link in one event",
       patch(add("/timeline", R"([{"at": "1s", "partition": [["n1"], ["n2"]], "link": "n1-s1", "a_to_b": {}}])")),
       "/timeline/0",
       "a change is one of: a link's directions (\"link\", \"a_to_b\", \"b_to_a\"), \"partition\" or \"heal\"; give "
       "them as separate changes"},
      {"timeline partition and heal in one event",
       patch(add("/timeline", R"([{"at": "1s", "partition": [["n1"], ["n2"]], "heal": true}])")), "/timeline/0",
       "give them as separate changes"},
      {"a timeline heal without at", patch(add("/timeline", R"([{"heal": true}])")), "/timeline/0", "missing \"at\""},
      // Durations past what std::chrono::nanoseconds holds would wrap to negative ones
      {"a timeline event 317 years in", patch(add("/timeline", R"([{"at": "10000000000s", "heal": true}])")),
       "/timeline/0/at", "\"10000000000s\" is too long: a duration is at most 9223372036s (292 years)"},
      {"an iperf3 duration of 317 years",
       patch(add("/traffic/0", R"({"iperf3": {"client": "n1", "server": "n2", "duration": "10000000000s"}})")),
       "/traffic/0/iperf3/duration", "is too long"},
  };
  return cases;
}

TEST(ScenarioNetworkErrors, TheBaseOfTheCasesIsValid) { EXPECT_NO_THROW(parse_scenario(kNet)); }

TEST(ScenarioNetworkErrors, EachMalformedNetworkNamesItsPathAndHint) {
  ASSERT_GE(bad_cases().size(), 25u);
  for (const BadCase& c : bad_cases()) {
    SCOPED_TRACE("case: " + c.what + ": " + c.patch);
    std::string text;
    ASSERT_NO_THROW(text = patched(c.patch));
    try {
      parse_scenario(text);
      ADD_FAILURE() << "no error; expected " << c.path << ": ..." << c.message;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.path(), c.path) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

// ---- Scenarios that parse ---------------------------------------------------------

// The README's example: three nodes on a switch, cut apart and healed between pings.
constexpr const char* kClusterScenario = R"({
  "$schema": "./synnet-scenario.schema.json",
  "name": "cluster-partition",
  "hosts": [{"name": "n1"}, {"name": "n2"}, {"name": "n3"}],
  "switches": [{"name": "s1", "paths": [{"from": "n1", "to": "n3", "loss": "5%", "delay": "20ms"}]}],
  "links": [{"a": "n1", "b": "s1"}, {"a": "n2", "b": "s1"}, {"a": "n3", "b": "s1", "b_to_a": {"delay": "5ms"}}],
  "timeline": [{"at": "1s", "heal": true}, {"at": "500ms", "partition": [["n1"], ["n2"]]}],
  "traffic": [
    {"name": "before", "ping": {"from": "n1", "to": "n3"}, "expect": {"loss": {"max": "0%"}}},
    {"name": "cut", "change": {"partition": [["n1", "n2"], ["n3"]]}},
    {"ping": {"from": "n1", "to": "n3"}, "expect": {"loss": {"min": "100%"}}},
    {"change": {"heal": true}},
    {"change": {"link": "n3-s1", "a_to_b": {"loss": "100%"}}},
    {"name": "after", "ping": {"from": "n2", "to": "n3"}}
  ]
})";

TEST(ScenarioNetworkParse, AClusterOnASwitchWithPartitionAndHealSteps) {
  const Scenario s = parse_scenario(kClusterScenario);
  ASSERT_EQ(s.switches.size(), 1u);
  EXPECT_EQ(s.switches[0].name, "s1");
  EXPECT_EQ(s.switches[0].path, "/switches/0");
  ASSERT_EQ(s.switches[0].paths.size(), 1u);
  const SwitchPath& p = s.switches[0].paths[0];
  EXPECT_EQ(p.from, "n1");
  EXPECT_EQ(p.to, "n3");
  EXPECT_EQ(p.path, "/switches/0/paths/0");
  ASSERT_TRUE(p.impairments.impairments.loss.has_value());
  EXPECT_DOUBLE_EQ(p.impairments.impairments.loss->ratio, 0.05);
  EXPECT_TRUE(p.impairments.impairments.latency.has_value());
  EXPECT_FALSE(p.impairments.impairments.rate.has_value());

  ASSERT_EQ(s.links.size(), 3u);
  EXPECT_EQ(s.links[2].name, "n3-s1");
  EXPECT_EQ(s.links[0].io, LinkIo::kPacket);
  EXPECT_TRUE(s.links[0].b_addresses.empty());
  for (const ScenarioHost& h : s.hosts) {
    EXPECT_TRUE(h.routes.empty()) << h.name;  // one segment: nothing to route
    ASSERT_EQ(h.addresses.size(), 1u);
  }
  EXPECT_EQ(s.hosts[2].addresses[0].str(), "198.18.0.3/24");

  // The timeline is sorted by "at".
  ASSERT_EQ(s.timeline.size(), 2u);
  EXPECT_EQ(s.timeline[0].at, std::chrono::milliseconds(500));
  ASSERT_TRUE(std::holds_alternative<PartitionChange>(s.timeline[0].change));
  EXPECT_EQ(std::get<PartitionChange>(s.timeline[0].change).groups,
            (std::vector<std::vector<std::string>>{{"n1"}, {"n2"}}));
  EXPECT_EQ(s.timeline[0].path, "/timeline/1");
  EXPECT_TRUE(std::holds_alternative<HealChange>(s.timeline[1].change));

  ASSERT_EQ(s.traffic.size(), 6u);
  EXPECT_TRUE(std::holds_alternative<PingSpec>(s.traffic[0].what));
  const auto* cut = std::get_if<ChangeStep>(&s.traffic[1].what);
  ASSERT_NE(cut, nullptr);
  EXPECT_EQ(s.traffic[1].name, "cut");
  EXPECT_EQ(s.traffic[1].path, "/traffic/1");
  ASSERT_TRUE(std::holds_alternative<PartitionChange>(cut->change));
  EXPECT_EQ(std::get<PartitionChange>(cut->change).groups,
            (std::vector<std::vector<std::string>>{{"n1", "n2"}, {"n3"}}));
  EXPECT_EQ(s.traffic[2].name, "ping-2");
  const auto* heal = std::get_if<ChangeStep>(&s.traffic[3].what);
  ASSERT_NE(heal, nullptr);
  EXPECT_EQ(s.traffic[3].name, "change-3");  // a change step's default name
  EXPECT_TRUE(std::holds_alternative<HealChange>(heal->change));
  const auto* link = std::get_if<ChangeStep>(&s.traffic[4].what);
  ASSERT_NE(link, nullptr);
  ASSERT_TRUE(std::holds_alternative<LinkChange>(link->change));
  const LinkChange& lc = std::get<LinkChange>(link->change);
  EXPECT_EQ(lc.link, "n3-s1");
  ASSERT_TRUE(lc.a_to_b.has_value());
  EXPECT_DOUBLE_EQ(lc.a_to_b->impairments.loss->ratio, 1.0);
  EXPECT_FALSE(lc.b_to_a.has_value());
}

// n1 - s1 - r - s2 - n2: two switches, a router between them.
constexpr const char* kTwoHops = R"({
  "name": "two-hops",
  "hosts": [{"name": "n1"}, {"name": "r", "forward": true}, {"name": "n2"}],
  "switches": [{"name": "s1"}, {"name": "s2"}],
  "links": [{"a": "n1", "b": "s1"}, {"a": "r", "b": "s1"}, {"a": "r", "b": "s2", "mtu": 9000},
            {"a": {"node": "n2", "addresses": ["198.18.7.9/24", "2001:2:0:7::9/64"]}, "b": "s2"}],
  "traffic": [
    {"ping": {"from": "n1", "to": "n2"}},
    {"iperf3": {"client": "n2", "server": "n1", "congestion": "bbr", "duration": "2s"},
     "expect": {"throughput": {"min": "1Mbit"}}}
  ]
})";

TEST(ScenarioNetworkParse, TwoHopsThroughARouter) {
  const Scenario s = parse_scenario(kTwoHops);
  ASSERT_EQ(s.hosts.size(), 3u);
  EXPECT_TRUE(s.hosts[1].forward);
  EXPECT_FALSE(s.hosts[0].forward);
  // r: eth0 on s1's subnet, eth1 on n2's (set by n2's given address).
  ASSERT_EQ(s.hosts[1].addresses.size(), 2u);
  EXPECT_EQ(s.hosts[1].addresses[0].str(), "198.18.0.2/24");
  EXPECT_EQ(s.hosts[1].addresses[1].str(), "198.18.7.2/24");
  ASSERT_EQ(s.hosts[0].routes.size(), 1u);
  EXPECT_EQ(s.hosts[0].routes[0].to, "198.18.7.0/24");
  EXPECT_EQ(s.hosts[0].routes[0].via, "198.18.0.2");
  // r has no IPv6 address: n2's IPv6 subnet gets no route (there is no next hop of that family).
  ASSERT_EQ(s.hosts[2].routes.size(), 1u);
  EXPECT_EQ(s.hosts[2].routes[0].to, "198.18.0.0/24");
  EXPECT_EQ(s.hosts[2].routes[0].via, "198.18.7.2");
  EXPECT_EQ(s.links[2].mtu, 9000u);

  const Network n = network_of(s);
  EXPECT_EQ(n.segments.size(), 2u);
  EXPECT_EQ(n.interfaces_of("r").at(1)->ifname, "eth1");

  const auto* iperf = std::get_if<Iperf3Spec>(&s.traffic[1].what);
  ASSERT_NE(iperf, nullptr);
  EXPECT_EQ(iperf->congestion, "bbr");
  EXPECT_EQ(iperf->protocol, Iperf3Protocol::kTcp);
}

constexpr const char* kServices = R"({
  "name": "services",
  "hosts": [
    {"name": "web",
     "services": [
       {"name": "http", "argv": ["python3", "-m", "http.server", "8080"], "ready": {"tcp": 8080, "timeout": "5s"}},
       {"name": "setup-1", "argv": ["sh", "-c", "true"], "ready": {"exec": ["test", "-e", "/"]}, "expect_exit": true},
       {"name": "idle", "argv": ["sleep", "infinity"]}
     ],
     "sysctls": {"net.ipv4.tcp_congestion_control": "cubic", "net.core.somaxconn": 1024,
                 "net.ipv6.conf.all.disable_ipv6": "1"}},
    {"name": "cli", "routes": []}
  ],
  "links": [{"a": "cli", "b": "web"}],
  "traffic": [{"exec": {"host": "cli", "argv": ["curl", "-sf", "http://198.18.0.1:8080/"]}}]
})";

TEST(ScenarioNetworkParse, ServicesAndSysctls) {
  const Scenario s = parse_scenario(kServices);
  const ScenarioHost& web = s.hosts[0];
  ASSERT_EQ(web.services.size(), 3u);
  const ServiceSpec& http = web.services[0];
  EXPECT_EQ(http.name, "http");
  EXPECT_EQ(http.argv, (std::vector<std::string>{"python3", "-m", "http.server", "8080"}));
  EXPECT_EQ(http.ready.tcp, std::optional<std::uint16_t>(8080));
  EXPECT_TRUE(http.ready.exec.empty());
  EXPECT_EQ(http.ready.timeout, std::chrono::seconds(5));
  EXPECT_FALSE(http.expect_exit);
  EXPECT_EQ(http.path, "/hosts/0/services/0");
  const ServiceSpec& setup = web.services[1];
  EXPECT_FALSE(setup.ready.tcp.has_value());
  EXPECT_EQ(setup.ready.exec, (std::vector<std::string>{"test", "-e", "/"}));
  EXPECT_EQ(setup.ready.timeout, std::chrono::seconds(10));  // the default
  EXPECT_TRUE(setup.expect_exit);
  const ServiceSpec& idle = web.services[2];
  EXPECT_FALSE(idle.ready.tcp.has_value());
  EXPECT_TRUE(idle.ready.exec.empty());

  // In file order; an integer value as its text.
  EXPECT_EQ(web.sysctls, (std::vector<std::pair<std::string, std::string>>{
                             {"net.ipv4.tcp_congestion_control", "cubic"},
                             {"net.core.somaxconn", "1024"},
                             {"net.ipv6.conf.all.disable_ipv6", "1"},
                         }));
  EXPECT_TRUE(s.hosts[1].routes_given);
  EXPECT_TRUE(s.hosts[1].services.empty());
  EXPECT_TRUE(s.hosts[1].sysctls.empty());
}

// ---- The JSON Schema on the same examples --------------------------------------------

// The errors of each document against scenarios/synnet-scenario.schema.json,
// one line each, or "" for a valid one (python3-jsonschema, which ci/install
// installs; its absence is an error, never a pass). One python3 for all of
// them: it takes about a second to start.
std::vector<std::string> schema_errors(const std::vector<std::string>& documents) {
  const std::vector<std::string> failed(documents.size(), "schema check failed");
  char path[] = "/tmp/synnet-scenario-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return failed;
  ::close(fd);
  nlohmann::json all = nlohmann::json::array();
  for (const std::string& d : documents) all.push_back(d);
  std::ofstream(path) << all.dump();
  const std::string script_path = std::string(path) + ".py";
  std::ofstream(script_path)
      << "import json, sys\n"
         "try:\n"
         "    import jsonschema\n"
         "except ImportError:\n"
         "    sys.exit('python3-jsonschema is not installed (ci/install installs it)')\n"
         "schema = json.load(open(sys.argv[2]))\n"
         "jsonschema.Draft202012Validator.check_schema(schema)\n"
         "validator = jsonschema.Draft202012Validator(schema)\n"
         "out = []\n"
         "for text in json.load(open(sys.argv[1])):\n"
         "    errors = validator.iter_errors(json.loads(text))\n"
         "    out.append('\\n'.join(sorted('/' + '/'.join(map(str, e.absolute_path)) + ': ' + e.message\n"
         "                                 for e in errors)))\n"
         "print(json.dumps(out))\n";
  const std::string command =
      "python3 " + script_path + " " + path + " " + SYNNET_SOURCE_DIR + "/scenarios/synnet-scenario.schema.json 2>&1";
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return failed;
  std::array<char, 4096> buf;
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  const int status = ::pclose(p);
  std::remove(path);
  std::remove(script_path.c_str());
  if (status != 0) return std::vector<std::string>(documents.size(), "python3: " + out);
  try {
    return nlohmann::json::parse(out).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    return std::vector<std::string>(documents.size(), "python3 printed: " + out);
  }
}

TEST(ScenarioNetworkSchema, AcceptsTheScenariosThatParse) {
  const std::vector<std::string> texts = {kNet, kClusterScenario, kTwoHops, kServices};
  for (const std::string& text : texts) ASSERT_NO_THROW(parse_scenario(text)) << text;
  const std::vector<std::string> errors = schema_errors(texts);
  ASSERT_EQ(errors.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(errors[i], "") << texts[i];
}

// scenario_test.cpp's ScenarioFiles parses them; this holds them to the schema.
TEST(ScenarioNetworkSchema, AcceptsEveryScenarioFileInTheRepository) {
  const std::filesystem::path dir = std::filesystem::path(SYNNET_SOURCE_DIR) / "scenarios";
  std::vector<std::string> names, texts;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path& p = entry.path();
    if (p.extension() != ".json" || p.stem().extension() == ".schema") continue;
    names.push_back(p.filename().string());
    texts.push_back(read_text(p).value());
  }
  ASSERT_FALSE(texts.empty());
  const std::vector<std::string> errors = schema_errors(texts);
  ASSERT_EQ(errors.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(errors[i], "") << names[i];
}

// Every ```json block of scenarios/README.md is a whole scenario: it parses
// and the schema accepts it.
TEST(ScenarioNetworkSchema, TheReadmesExamplesParseAndAreValid) {
  const std::string readme = read_text(std::filesystem::path(SYNNET_SOURCE_DIR) / "scenarios" / "README.md").value();
  std::vector<std::string> examples;
  for (std::size_t at = readme.find("```json\n"); at != std::string::npos; at = readme.find("```json\n", at)) {
    const std::size_t begin = at + 8;
    const std::size_t end = readme.find("```", begin);
    ASSERT_NE(end, std::string::npos);
    examples.push_back(readme.substr(begin, end - begin));
    at = end + 3;
  }
  ASSERT_GE(examples.size(), 2u);
  const std::vector<std::string> errors = schema_errors(examples);
  ASSERT_EQ(errors.size(), examples.size());
  for (std::size_t i = 0; i < examples.size(); ++i) {
    SCOPED_TRACE("README example " + std::to_string(i) + ":\n" + examples[i]);
    try {
      parse_scenario(examples[i]);
    } catch (const ScenarioError& e) {
      ADD_FAILURE() << e.what();
    }
    EXPECT_EQ(errors[i], "");
  }
}

// What the schema can say, it says as the parser does: these malformed cases
// above are refused by the schema too (the others need the parser: names that
// exist, addresses, routes).
TEST(ScenarioNetworkSchema, RefusesWhatItCanExpress) {
  const std::vector<std::string> whats = {"heal false",
                                          "a partition of fewer than two groups",
                                          "a partition with an empty group",
                                          "a change step with expect",
                                          "a change step with engine off",
                                          "a change inside a parallel group",
                                          "a change step and a ping in one item",
                                          "ready with both tcp and exec",
                                          "ready on port 0",
                                          "a sysctl that is not net.*",
                                          "a sysctl value of the wrong type",
                                          "sysctls as an array",
                                          "congestion on a UDP item",
                                          "a congestion control that is no name",
                                          "a service with an empty argv",
                                          "a service name with a space",
                                          "a switch name that is no name",
                                          "a route via a prefix",
                                          "a route without via",
                                          "a switch path with a_to_b (its impairments are its own keys)",
                                          "a rate with both rate and trace",
                                          "a loss trace with a model",
                                          "a delay with neither time nor trace",
                                          "a codel queue with max_burst",
                                          "timeline partition and link in one event",
                                          "timeline partition and heal in one event",
                                          "a timeline heal without at",
                                          "a change with an unknown key",
                                          "empty addresses on a link end",
                                          "a link change that changes nothing"};
  std::vector<std::string> texts;
  for (const std::string& what : whats) {
    const auto it =
        std::find_if(bad_cases().begin(), bad_cases().end(), [&](const BadCase& c) { return c.what == what; });
    ASSERT_NE(it, bad_cases().end()) << what;
    texts.push_back(patched(it->patch));
  }
  const std::vector<std::string> errors = schema_errors(texts);
  ASSERT_EQ(errors.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_NE(errors[i], "") << whats[i];
}

}  // namespace
}  // namespace synnet
