#include "engine/apps/switch/switch.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/impair/outage.hpp"
#include "engine/engine.hpp"
#include "tests/engine/apps/switch/switch_testing.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

using testing::ether;
using testing::Frame;
using testing::ipv4;
using testing::mac;

const MacAddress kA = mac("02:00:00:00:00:0a"), kB = mac("02:00:00:00:00:0b"), kC = mac("02:00:00:00:00:0c");
const MacAddress kD = mac("02:00:00:00:00:0d"), kX = mac("02:00:00:00:00:99"), kY = mac("02:00:00:00:00:98");
const MacAddress kRouter = mac("02:00:00:00:00:01"), kBroadcast = mac("ff:ff:ff:ff:ff:ff");
const MacAddress kMulticast = mac("01:00:5e:00:00:01");

// Ports a, b, c (stations A, B, C), each fed by a SendOnce "in_<port>" and
// sent to the Sink "out" on input <port>; each path's port runs through a
// pass-through Outage "chain_<port>" back into the switch.
struct Net {
  explicit Net(std::size_t packets = 1024)
      : e(EngineOptions{.packets = packets, .seed = 1, .clock = &clock, .log = nullptr}) {}
  ManualClock clock;
  Engine e;
  SwitchSpec spec{.ports = {{"a", {kA}}, {"b", {kB}}, {"c", {kC}}}};
  std::vector<std::string> linked{"a", "b", "c"};
  std::map<std::string, std::uint64_t> seen;  // per port: rx on its output link at the last got()

  Config config(const std::map<std::string, std::vector<Frame>>& frames = {}) const {
    Config c;
    c.app<Switch>("sw", spec);
    c.app<Sink>("out");
    for (const std::string& p : linked) {
      const auto it = frames.find(p);
      c.app<testing::SendOnce>("in_" + p, {it == frames.end() ? std::vector<Frame>{} : it->second});
      c.link("in_" + p + ".output -> sw." + p).link("sw." + p + " -> out." + p);
    }
    for (const SwitchPathSpec& path : spec.paths) {
      c.app<Outage>("chain_" + path.port);
      c.link("sw." + path.port + " -> chain_" + path.port + ".input")
          .link("chain_" + path.port + ".output -> sw." + path.port);
    }
    return c;
  }
  void start() { e.configure(config()); }
  // Sends frames in on port p (the switch and its learned table stay).
  void send(const std::string& p, const std::vector<Frame>& frames) {
    e.configure(config());
    e.configure(config({{p, frames}}));
    e.breathe();
    e.breathe();
  }
  // Frames out on each port since the last call: "a1 b0 c2".
  std::string got() {
    std::string s;
    for (const std::string& p : linked) {
      const std::uint64_t n = e.counters().link("sw." + p + " -> out." + p).rxpackets;
      s += (s.empty() ? "" : " ") + p + std::to_string(n - seen[p]);
      seen[p] = n;
    }
    return s;
  }
  std::uint64_t counter(const std::string& name) const { return e.counters().at("sw", name); }
  Drop reason(const std::string& name) const {
    const EngineCounters c = e.counters();
    const Counter* k = c.find("sw", name);
    return k == nullptr ? Drop::none : k->reason;
  }
};

TEST(Switch, UnicastToAStaticMacLeavesOnItsPort) {
  Net n;
  n.start();
  n.send("a", {ether(kB, kA), ether(kC, kA), ether(kC, kA)});
  EXPECT_EQ(n.got(), "a0 b1 c2");
  EXPECT_EQ(n.counter("forwarded"), 3u);
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Switch, UnknownUnicastBroadcastAndMulticastFloodToEveryOtherPort) {
  Net n;
  n.start();
  n.send("a", {ether(kX, kA), ether(kBroadcast, kA), ether(kMulticast, kA)});
  EXPECT_EQ(n.got(), "a0 b3 c3");
  EXPECT_EQ(n.counter("flooded"), 3u);
  EXPECT_EQ(n.counter("forwarded"), 0u);
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Switch, AFloodCopyThePoolCannotMakeIsCounted) {
  Net n(4);  // the three frames take three packets: one left for the six copies
  n.linked = {"a", "b", "c", "d"};
  n.spec.ports.push_back({"d", {kD}});
  n.start();
  n.send("a", {ether(kBroadcast, kA), ether(kBroadcast, kA), ether(kBroadcast, kA)});
  const std::uint64_t failed = n.counter("alloc_failed");
  EXPECT_GT(failed, 0u);
  const std::string got = n.got();
  std::uint64_t delivered = 0;
  for (std::size_t i = 1; i < got.size(); i += 3) delivered += static_cast<std::uint64_t>(got[i] - '0');
  EXPECT_EQ(delivered + failed, 9u) << got;
  EXPECT_EQ(n.counter("flooded"), 3u);
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Switch, LearnsSourcesAndMovesThem) {
  Net n;
  n.spec.ports[2].macs.clear();  // port c: no static station
  n.start();
  n.send("a", {ether(kX, kA)});  // X unknown: flooded
  EXPECT_EQ(n.got(), "a0 b1 c1");
  n.send("c", {ether(kA, kX)});  // learns X on c; A is static on a
  EXPECT_EQ(n.got(), "a1 b0 c0");
  EXPECT_EQ(n.counter("learned"), 1u);
  n.send("a", {ether(kX, kA)});  // now known
  EXPECT_EQ(n.got(), "a0 b0 c1");
  n.send("b", {ether(kA, kX)});  // X moves to b
  EXPECT_EQ(n.got(), "a1 b0 c0");
  EXPECT_EQ(n.counter("moved"), 1u);
  EXPECT_EQ(n.counter("learned"), 1u);
  n.send("a", {ether(kX, kA), ether(kX, kA)});
  EXPECT_EQ(n.got(), "a0 b2 c0");
  n.send("c", {ether(kA, kB)});  // a static MAC seen elsewhere never moves
  n.got();
  n.send("a", {ether(kB, kA)});
  EXPECT_EQ(n.got(), "a0 b1 c0");
}

TEST(Switch, MovesAMacSeenBackOnAPortItLeft) {
  Net n;
  n.start();
  n.send("a", {ether(kA, kX), ether(kA, kX)});  // X learned on a
  n.send("b", {ether(kA, kX)});                 // X moves to b
  n.send("a", {ether(kA, kX)});                 // and back to a: a's remembered source must not hide it
  EXPECT_EQ(n.counter("moved"), 2u);
  n.got();
  n.send("c", {ether(kX, kC)});
  EXPECT_EQ(n.got(), "a1 b0 c0");
}

TEST(Switch, LearningOffAndTableFull) {
  Net n;
  n.spec.max_learned = 1;
  n.start();
  n.send("c", {ether(kA, kX), ether(kA, kY), ether(kA, kY), ether(kA, kMulticast)});
  EXPECT_EQ(n.counter("learned"), 1u);
  EXPECT_EQ(n.counter("learn_table_full"), 2u);  // Y, twice; a multicast source is never learned
  n.got();
  n.send("a", {ether(kX, kA), ether(kY, kA)});
  EXPECT_EQ(n.got(), "a0 b1 c2");  // X known on c; Y flooded

  Net off;
  off.spec.learning = false;
  off.start();
  off.send("c", {ether(kA, kX)});
  off.send("a", {ether(kX, kA)});
  EXPECT_EQ(off.counter("learned"), 0u);
  EXPECT_EQ(off.got(), "a1 b1 c1");
}

TEST(Switch, SamePortAndRuntsAreDropped) {
  Net n;
  n.start();
  n.send("a", {ether(kA, kX), ether(kB, kA, 13), ether(kB, kA, 14)});
  EXPECT_EQ(n.got(), "a0 b1 c0");
  EXPECT_EQ(n.counter("dropped_same_port"), 1u);
  EXPECT_EQ(n.counter("dropped_runt"), 1u);
  EXPECT_EQ(n.reason("dropped_runt"), Drop::invalid);
  EXPECT_EQ(n.reason("dropped_same_port"), Drop::no_output);
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Switch, PathsCarryUnicastBetweenTheirPorts) {
  Net n;
  n.spec.paths = {{"a", "b", "ab"}};
  n.start();
  n.send("a", {ether(kB, kA), ether(kC, kA), ether(kBroadcast, kA)});
  EXPECT_EQ(n.got(), "a0 b2 c2");
  EXPECT_EQ(n.e.counters().link("sw.ab -> chain_ab.input").rxpackets, 1u);  // only the unicast a -> b
  EXPECT_EQ(n.counter("forwarded"), 2u);
  EXPECT_EQ(n.counter("returned"), 1u);
  n.send("b", {ether(kA, kB)});  // the other direction has no path
  EXPECT_EQ(n.got(), "a1 b0 c0");
  EXPECT_EQ(n.e.counters().link("sw.ab -> chain_ab.input").rxpackets, 1u);
}

TEST(Switch, UnknownPortsDropAndUnlinkedOutputsCount) {
  Net n;
  n.linked = {"a", "b", "c", "zz"};
  n.spec.ports[2].macs = {kC, kD};
  n.start();
  n.send("zz", {ether(kA, kX)});
  EXPECT_EQ(n.counter("dropped_unknown_port"), 1u);
  n.linked = {"a", "b"};  // c not linked now
  n.start();
  n.send("a", {ether(kD, kA), ether(kBroadcast, kA)});
  EXPECT_EQ(n.counter("dropped_no_output"), 1u);
  EXPECT_EQ(n.counter("flooded"), 1u);
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

// Hosts A, B (ports a, b) in two groups; C (port c) named by no group.
PartitionSpec a_b() {
  return {{Partition{{PartitionGroup{{kA}, {"198.18.0.1"}}, PartitionGroup{{kB}, {"198.18.0.2"}}}}}};
}

TEST(Switch, APartitionCutsByMac) {
  Net n;
  n.spec.partition = a_b();
  n.start();
  n.send("a", {ether(kB, kA), ether(kC, kA)});
  n.send("b", {ether(kA, kB), ether(kC, kB)});
  EXPECT_EQ(n.got(), "a0 b0 c2");
  EXPECT_EQ(n.counter("dropped_partition"), 2u);
  EXPECT_EQ(n.reason("dropped_partition"), Drop::partition);
  EXPECT_EQ(n.reason("dropped_partition_flood"), Drop::partition);
  EXPECT_EQ(n.reason("alloc_failed"), Drop::no_buffer);
}

TEST(Switch, APartitionCutsByIpThroughARouter) {
  Net n;
  n.spec.ports[2].macs = {kRouter};  // port c: a router
  n.spec.partition = a_b();
  n.start();
  // A to B through the router: the MACs are A's and the router's, the addresses A's and B's.
  n.send("a", {ipv4(kRouter, kA, {198, 18, 0, 1}, {198, 18, 0, 2})});
  // The router forwarding it on to B.
  n.send("c", {ipv4(kB, kRouter, {198, 18, 0, 1}, {198, 18, 0, 2})});
  EXPECT_EQ(n.got(), "a0 b0 c0");
  EXPECT_EQ(n.counter("dropped_partition"), 2u);
  // A host not named keeps talking to both.
  n.send("c",
         {ipv4(kB, kRouter, {198, 18, 0, 9}, {198, 18, 0, 2}), ipv4(kA, kRouter, {198, 18, 0, 9}, {198, 18, 0, 1})});
  EXPECT_EQ(n.got(), "a1 b1 c0");
}

TEST(Switch, FloodsSkipPortsOfOtherGroups) {
  Net n;
  n.linked = {"a", "b", "c", "d"};
  n.spec.ports.push_back({"d", {}});  // no static station: always flooded to
  n.spec.partition = a_b();
  n.start();
  n.send("a", {ether(kBroadcast, kA), ether(kX, kA)});
  EXPECT_EQ(n.got(), "a0 b0 c2 d2");
  EXPECT_EQ(n.counter("dropped_partition_flood"), 2u);
  EXPECT_EQ(n.counter("flooded"), 2u);
  n.send("c", {ether(kBroadcast, kC)});  // C is in no group: everyone
  EXPECT_EQ(n.got(), "a1 b1 c0 d1");
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Switch, ReconfigureKeepsLearnedEntries) {
  Net n;
  n.start();
  n.send("c", {ether(kA, kX), ether(kA, kY)});
  EXPECT_EQ(n.counter("learned"), 2u);
  n.spec.ports[1].macs.push_back(kY);  // Y now static on b: its learned entry goes
  n.spec.partition = a_b();
  n.start();
  EXPECT_EQ(n.counter("learned"), 1u);
  n.got();
  n.send("a", {ether(kX, kA), ether(kY, kA)});
  EXPECT_EQ(n.got(), "a0 b1 c1");
  n.spec.ports.erase(n.spec.ports.begin() + 2);  // port c goes, and X with it
  n.linked = {"a", "b"};
  n.start();
  EXPECT_EQ(n.counter("learned"), 0u);
}

TEST(Switch, ReconfigureKeepsWhatTheNewLimitHolds) {
  Net n;
  n.start();
  n.send("c", {ether(kA, kX), ether(kA, kY)});
  n.spec.max_learned = 1;
  n.start();
  EXPECT_EQ(n.counter("learned"), 1u);
  n.spec.learning = false;
  n.start();
  EXPECT_EQ(n.counter("learned"), 0u);
}

TEST(Switch, CountersAddUp) {
  Net n;
  n.linked = {"a", "b", "c", "zz"};
  n.spec.paths = {{"a", "b", "ab"}, {"c", "a", "ca"}};
  n.spec.partition = a_b();
  n.spec.ports[2].macs.push_back(kRouter);
  const std::map<std::string, std::vector<Frame>> frames{
      {"a",
       {ether(kB, kA), ether(kC, kA), ether(kA, kA), ether(kX, kA), ether(kBroadcast, kA), ether(kB, kA, 10),
        ipv4(kRouter, kA, {198, 18, 0, 1}, {198, 18, 0, 2})}},
      {"b", {ether(kC, kB), ether(kBroadcast, kB), ether(kB, kB)}},
      {"c", {ether(kA, kC), ether(kB, kC), ether(kY, kC)}},
      {"zz", {ether(kA, kC)}}};
  n.e.configure(n.config(frames));
  n.e.breathe();
  n.e.breathe();
  const EngineCounters c = n.e.counters();
  std::uint64_t in = 0;
  for (const auto& [link, counts] : c.links) {
    if (link.to_app == "sw") in += counts.rxpackets;
  }
  EXPECT_EQ(in, 15u);  // 14 sent, and c -> a back from its path
  std::uint64_t out = 0;
  for (const char* name : {"forwarded", "returned", "flooded", "dropped_runt", "dropped_partition", "dropped_same_port",
                           "dropped_no_output", "dropped_unknown_port"}) {
    out += c.at("sw", name);
  }
  EXPECT_EQ(out, in);
  EXPECT_EQ(c.at("sw", "returned"), 1u);  // c -> a; a -> b is cut by the partition before its path
  EXPECT_EQ(c.at("sw", "dropped_partition"), 2u);
  EXPECT_EQ(c.at("sw", "flooded"), 4u);  // X, broadcast from a and b, Y
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

std::string error(const SwitchSpec& s) {
  try {
    s.validate();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(SwitchSpec, ValidationNamesTheField) {
  const SwitchSpec ok{.ports = {{"a", {kA}}, {"b", {kB}}}, .paths = {{"a", "b", "ab"}, {"b", "a", "ba"}}};
  EXPECT_EQ(error(ok), "");
  SwitchSpec s = ok;
  s.ports[1].name = "a";
  EXPECT_EQ(error(s), "ports[1].name \"a\": already the name of ports[0]");
  s = ok;
  s.ports[1].name = "b.x";
  EXPECT_EQ(error(s), "ports[1].name \"b.x\": use letters, digits, '_' and '-'");
  s = ok;
  s.ports[1].macs.push_back(kA);
  EXPECT_EQ(error(s), "ports[1].macs: 02:00:00:00:00:0a is also on ports[0] (\"a\")");
  s = ok;
  s.ports[1].macs.push_back(kBroadcast);
  EXPECT_EQ(error(s), "ports[1].macs: ff:ff:ff:ff:ff:ff is multicast: a station's MAC is unicast");
  s = ok;
  s.paths[0].to = "c";
  EXPECT_EQ(error(s), "paths[0].to: no port named \"c\"");
  s = ok;
  s.paths[0].to = "a";
  EXPECT_EQ(error(s), "paths[0]: from and to are both \"a\"");
  s = ok;
  s.paths[0].port = "b";
  EXPECT_EQ(error(s), "paths[0].port \"b\": already the name of a switch port");
  s = ok;
  s.paths[1].port = "ab";
  EXPECT_EQ(error(s), "paths[1].port \"ab\": already another path's port");
  s = ok;
  s.paths[1] = {"a", "b", "ab2"};
  EXPECT_EQ(error(s), "paths[1]: a path from \"a\" to \"b\" is already there");
  s = ok;
  s.max_learned = Switch::kMaxLearned + 1;
  EXPECT_EQ(error(s), "max_learned: 1048577 is more than 1048576");
  s = ok;
  s.partition = {{Partition{{PartitionGroup{{}, {"nope"}}}}}};
  EXPECT_EQ(error(s),
            "partition.partitions[0].groups[0].addresses[0]: \"nope\" is not an IPv4 or IPv6 address (no "
            "prefix length)");
}

}  // namespace
}  // namespace synnet
