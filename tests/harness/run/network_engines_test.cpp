// network_engines_test.cpp — how a scenario's links and switches become the
// two engines' apps, and how changes move a NetworkState. No root needed: a
// Config holds specs, it opens no socket.
#include "harness/run/network_engines.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <typeindex>

#include "engine/apps/io/raw_socket.hpp"
#include "engine/apps/switch/partition.hpp"
#include "engine/apps/switch/switch.hpp"
#include "harness/scenario/network.hpp"
#include "tests/harness/run/config_testing.hpp"

namespace synnet {
namespace {

// Wires for every interface of the scenario's network: "w<i>", MAC 02:00:00:00:00:<i+1>.
Wires wires_for(const Network& n) {
  Wires w{.netns_path = "/run/netns/wire", .ends = {}, .macs = {}};
  for (std::size_t i = 0; i < n.interfaces.size(); ++i) {
    w.ends.push_back("w" + std::to_string(i));
    w.macs.push_back({0x02, 0, 0, 0, 0, static_cast<std::uint8_t>(i + 1)});
  }
  return w;
}

bool has_link(const Config& c, const std::string& text) { return c.links().contains(LinkSpec::parse(text)); }

const Scenario kClusterNetwork = parse_scenario(R"({"name": "c",
  "hosts": [{"name": "n1"}, {"name": "n2"}, {"name": "n3"}],
  "switches": [{"name": "s1", "paths": [{"from": "n1", "to": "n3", "delay": "20ms"}]}],
  "links": [{"a": "n1", "b": "s1", "a_to_b": {"loss": "1%"}}, {"a": "n2", "b": "s1"}, {"a": "s1", "b": "n3"}],
  "traffic": [{"ping": {"from": "n1", "to": "n3"}}]})");

TEST(NetworkEngines, ASwitchSegmentGoesWholeOnOneEngine) {
  const Network n = network_of(kClusterNetwork);
  const EngineConfigs c = network_engines(kClusterNetwork, n, wires_for(n), NetworkState::initial(kClusterNetwork));
  EXPECT_TRUE(c.b_to_a.apps().empty()) << "one segment: the second engine has nothing";
  const Config& e = c.a_to_b;
  ASSERT_TRUE(e.apps().contains("s1"));
  EXPECT_EQ(e.apps().at("s1").type(), typeid(Switch));
  // n1's socket -> its link's a_to_b chain (loss) -> the switch's port named after the link.
  EXPECT_EQ(e.apps().at("n1-s1_a").type(), typeid(RawSocket));
  EXPECT_TRUE(has_link(e, "n1-s1_a.output -> n1-s1_a_to_b_loss.input"));
  EXPECT_TRUE(has_link(e, "n1-s1_a_to_b_loss.output -> s1.n1-s1"));
  EXPECT_TRUE(has_link(e, "s1.n1-s1 -> n1-s1_a.input"));
  // n3 is the link's b end: the switch sends to it through a_to_b.
  EXPECT_TRUE(has_link(e, "s1.s1-n3 -> s1-n3_b.input"));
  EXPECT_TRUE(has_link(e, "s1-n3_b.output -> s1.s1-n3"));
  // The path n1 -> n3: out of the switch through its chain and back in.
  EXPECT_TRUE(has_link(e, "s1.n1_to_n3 -> s1_n1_to_n3_latency.input"));
  EXPECT_TRUE(has_link(e, "s1_n1_to_n3_latency.output -> s1.n1_to_n3"));
  const SwitchSpec& spec = e.apps().at("s1").spec<Switch>();
  ASSERT_EQ(spec.ports.size(), 3u);
  EXPECT_EQ(spec.ports[0].name, "n1-s1");
  EXPECT_EQ(spec.ports[0].macs, (std::vector<MacAddress>{{0x02, 0, 0, 0, 0, 1}}));
  ASSERT_EQ(spec.paths.size(), 1u);
  EXPECT_EQ(spec.paths[0].from, "n1-s1");
  EXPECT_EQ(spec.paths[0].to, "s1-n3");
  EXPECT_TRUE(spec.partition.partitions.empty());
}

TEST(NetworkEngines, APartitionReachesTheSwitchAsEveryHostsMacsAndAddresses) {
  const Network n = network_of(kClusterNetwork);
  NetworkState state = NetworkState::initial(kClusterNetwork);
  EXPECT_EQ(state.apply(kClusterNetwork, PartitionChange{{{"n1", "n2"}, {"n3"}}}), "partition n1,n2 | n3");
  const EngineConfigs c = network_engines(kClusterNetwork, n, wires_for(n), state);
  const SwitchSpec& spec = c.a_to_b.apps().at("s1").spec<Switch>();
  ASSERT_EQ(spec.partition.partitions.size(), 1u);
  const Partition& p = spec.partition.partitions[0];
  ASSERT_EQ(p.groups.size(), 2u);
  EXPECT_EQ(p.groups[0].addresses, (std::vector<std::string>{"198.18.0.1", "198.18.0.2"}));
  EXPECT_EQ(p.groups[1].addresses, (std::vector<std::string>{"198.18.0.3"}));
  EXPECT_EQ(p.groups[1].macs, (std::vector<MacAddress>{{0x02, 0, 0, 0, 0, 3}}));
  EXPECT_EQ(state.apply(kClusterNetwork, HealChange{}), "heal");
  EXPECT_TRUE(state.partitions.empty());
}

// client - router - server: two plain links, an engine per direction each; a
// partition puts a filter at the head of every direction, and only then.
TEST(NetworkEngines, PlainLinksKeepAnEnginePerDirectionAndFilterOnlyWhilePartitioned) {
  const Scenario s = parse_scenario(R"({"name": "h",
    "hosts": [{"name": "c"}, {"name": "r", "forward": true}, {"name": "s"}],
    "links": [{"a": "c", "b": "r"}, {"a": "r", "b": "s"}],
    "traffic": [{"ping": {"from": "c", "to": "s"}}]})");
  const Network n = network_of(s);
  NetworkState state = NetworkState::initial(s);
  EngineConfigs c = network_engines(s, n, wires_for(n), state);
  EXPECT_TRUE(has_link(c.a_to_b, "c-r_a.output -> c-r_b.input"));
  EXPECT_TRUE(has_link(c.b_to_a, "c-r_b.output -> c-r_a.input"));
  EXPECT_FALSE(c.a_to_b.apps().contains("c-r_a_to_b_partition"));
  state.apply(s, PartitionChange{{{"c"}, {"s"}}});
  c = network_engines(s, n, wires_for(n), state);
  ASSERT_TRUE(c.a_to_b.apps().contains("c-r_a_to_b_partition"));
  EXPECT_EQ(c.a_to_b.apps().at("c-r_a_to_b_partition").type(), typeid(PartitionFilter));
  EXPECT_TRUE(has_link(c.a_to_b, "c-r_a.output -> c-r_a_to_b_partition.input"));
  EXPECT_TRUE(c.b_to_a.apps().contains("r-s_b_to_a_partition"));
  state.apply(s, LinkChange{.link = "r-s", .a_to_b = DirectionSpec{}, .b_to_a = {}});
  EXPECT_THROW(state.apply(s, LinkChange{.link = "nope", .a_to_b = DirectionSpec{}, .b_to_a = {}}), std::out_of_range);
}

using testing::is_source;
using testing::is_target;

// A host-host link, host-switch links and a switch-switch link: a tap per
// direction, between a socket's or a switch's ports; none for a switch path.
TEST(NetworkEngines, EveryLinkDirectionHasATapAndSwitchPathsNone) {
  const Scenario s = parse_scenario(R"({"name": "t",
    "hosts": [{"name": "n1"}, {"name": "n2"}, {"name": "n3"}, {"name": "n4"}],
    "switches": [{"name": "s1", "paths": [{"from": "n1", "to": "n3", "delay": "20ms"}]}, {"name": "s2"}],
    "links": [{"a": "n1", "b": "s1", "a_to_b": {"loss": "1%"}}, {"a": "s1", "b": "s2", "b_to_a": {"delay": "1ms"}},
              {"a": "s2", "b": "n2"}, {"a": "n3", "b": "s1"}, {"a": "n4", "b": "n3"}],
    "traffic": [{"ping": {"from": "n1", "to": "n2"}}]})");
  const Network n = network_of(s);
  const EngineConfigs c = network_engines(s, n, wires_for(n), NetworkState::initial(s));
  std::vector<DirectionTap> taps = c.taps;
  std::sort(taps.begin(), taps.end(), [](const DirectionTap& x, const DirectionTap& y) {
    return std::tie(x.link, x.direction) < std::tie(y.link, y.direction);
  });
  EXPECT_EQ(taps, (std::vector<DirectionTap>{
                      {"n1-s1", "a_to_b", "n1-s1_a_to_b", "n1-s1_a.output", "s1.n1-s1"},
                      {"n1-s1", "b_to_a", "n1-s1_b_to_a", "s1.n1-s1", "n1-s1_a.input"},
                      {"n3-s1", "a_to_b", "n3-s1_a_to_b", "n3-s1_a.output", "s1.n3-s1"},
                      {"n3-s1", "b_to_a", "n3-s1_b_to_a", "s1.n3-s1", "n3-s1_a.input"},
                      {"n4-n3", "a_to_b", "n4-n3_a_to_b", "n4-n3_a.output", "n4-n3_b.input"},
                      {"n4-n3", "b_to_a", "n4-n3_b_to_a", "n4-n3_b.output", "n4-n3_a.input"},
                      {"s1-s2", "a_to_b", "s1-s2_a_to_b", "s1.s1-s2", "s2.s1-s2"},
                      {"s1-s2", "b_to_a", "s1-s2_b_to_a", "s2.s1-s2", "s1.s1-s2"},
                      {"s2-n2", "a_to_b", "s2-n2_a_to_b", "s2.s2-n2", "s2-n2_b.input"},
                      {"s2-n2", "b_to_a", "s2-n2_b_to_a", "s2-n2_b.output", "s2.s2-n2"},
                  }));
  // Each tap's ends are linked in one engine, with its chain's apps between them.
  for (const DirectionTap& t : c.taps) {
    SCOPED_TRACE(t.link + " " + t.direction);
    const Config& e = is_source(c.a_to_b, t.from) ? c.a_to_b : c.b_to_a;
    EXPECT_TRUE(is_source(e, t.from));
    EXPECT_TRUE(is_target(e, t.to));
  }
  EXPECT_TRUE(c.a_to_b.apps().contains("n1-s1_a_to_b_loss"));
  EXPECT_TRUE(c.a_to_b.apps().contains("s1-s2_b_to_a_latency"));
  EXPECT_TRUE(has_link(c.a_to_b, "s2.s1-s2 -> s1-s2_b_to_a_latency.input"));
  EXPECT_TRUE(has_link(c.a_to_b, "s1-s2_b_to_a_latency.output -> s1.s1-s2"));
}

}  // namespace
}  // namespace synnet
