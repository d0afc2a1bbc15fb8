#include "engine/apps/switch/partition.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/apps/basic/sink.hpp"
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
const MacAddress kRouter = mac("02:00:00:00:00:01"), kBroadcast = mac("ff:ff:ff:ff:ff:ff");

// A and B in different groups; C not named.
PartitionSpec a_b() {
  return {{Partition{{PartitionGroup{{kA}, {"198.18.0.1", "2001:2::1"}}, PartitionGroup{{kB}, {"198.18.0.2"}}}}}};
}

bool cuts(const PartitionTable& t, const Frame& f) { return t.cuts(f.data(), f.size()); }

TEST(PartitionTable, EmptyCutsNothing) {
  const PartitionTable t;
  EXPECT_TRUE(t.empty());
  EXPECT_FALSE(cuts(t, ether(kB, kA)));
}

TEST(PartitionTable, CutsByMacBothWays) {
  const PartitionTable t(a_b());
  EXPECT_TRUE(cuts(t, ether(kB, kA)));
  EXPECT_TRUE(cuts(t, ether(kA, kB)));
  EXPECT_FALSE(cuts(t, ether(kA, kA)));
}

TEST(PartitionTable, HostsNotNamedReachEveryone) {
  const PartitionTable t(a_b());
  EXPECT_FALSE(cuts(t, ether(kC, kA)));
  EXPECT_FALSE(cuts(t, ether(kB, kC)));
  EXPECT_FALSE(cuts(t, ether(kBroadcast, kA)));
  EXPECT_FALSE(cuts(t, ipv4(kC, kA, {198, 18, 0, 1}, {198, 18, 0, 3})));
}

TEST(PartitionTable, CutsByIpThroughARouter) {
  const PartitionTable t(a_b());
  // A -> router (MACs: A, router), IP A -> B: cut by the addresses.
  EXPECT_TRUE(cuts(t, ipv4(kRouter, kA, {198, 18, 0, 1}, {198, 18, 0, 2})));
  // router -> B (MACs: router, B), IP A -> B.
  EXPECT_TRUE(cuts(t, ipv4(kB, kRouter, {198, 18, 0, 1}, {198, 18, 0, 2})));
  // The router's own traffic to A (its address not named): not cut.
  EXPECT_FALSE(cuts(t, ipv4(kA, kRouter, {198, 18, 0, 254}, {198, 18, 0, 1})));
}

TEST(PartitionTable, IpComesBeforeMac) {
  const PartitionTable t(a_b());
  // MACs say A -> B, but the addresses are both A's group: not cut.
  EXPECT_FALSE(cuts(t, ipv4(kB, kA, {198, 18, 0, 1}, {198, 18, 0, 1})));
  // An address not named falls back to the MAC: src by IP (A), dst by MAC (B).
  EXPECT_TRUE(cuts(t, ipv4(kB, kRouter, {198, 18, 0, 1}, {198, 18, 0, 99})));
}

TEST(PartitionTable, GroupsOfEndsAndMacs) {
  const PartitionTable t(a_b());
  const Frame f = ipv4(kRouter, kA, {198, 18, 0, 1}, {198, 18, 0, 2});
  const PartitionTable::Ends e = t.ends(f.data(), f.size());
  EXPECT_EQ(t.source_group(e, 0), 0);
  EXPECT_EQ(t.destination_group(e, 0), 1);
  EXPECT_EQ(t.group_of_mac(0, kB), 1);
  EXPECT_EQ(t.group_of_mac(0, kC), -1);
  EXPECT_EQ(t.group_of_mac(1, kA), -1);  // no partition 1
}

TEST(PartitionTable, AnyPartitionCuts) {
  PartitionSpec s = a_b();
  s.partitions.push_back(Partition{{PartitionGroup{{kA, kB}, {}}, PartitionGroup{{kC}, {}}}});
  const PartitionTable t(s);
  EXPECT_TRUE(cuts(t, ether(kC, kA)));  // the second partition
  EXPECT_TRUE(cuts(t, ether(kB, kA)));  // the first
  EXPECT_FALSE(cuts(t, ether(kC, kRouter)));
}

TEST(PartitionTable, RuntsAreNotCut) {
  const PartitionTable t(a_b());
  EXPECT_FALSE(cuts(t, ether(kB, kA, 13)));
}

TEST(PartitionSpec, ValidationNamesTheField) {
  const auto error = [](const PartitionSpec& s) {
    try {
      s.validate();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  PartitionSpec bad{{Partition{{PartitionGroup{{}, {"198.18.0.0/24"}}}}}};
  EXPECT_EQ(error(bad),
            "partitions[0].groups[0].addresses[0]: \"198.18.0.0/24\" is not an IPv4 or IPv6 address (no prefix "
            "length)");
  bad = {{Partition{{PartitionGroup{{kA}, {}}, PartitionGroup{{kA}, {}}}}}};
  EXPECT_EQ(error(bad),
            "partitions[0].groups[1].macs: 02:00:00:00:00:0a is also in partitions[0].groups[0]: a host is in one "
            "group of a partition");
  bad = {{Partition{{PartitionGroup{{}, {"2001:2::1"}}, PartitionGroup{{}, {"2001:2:0::1"}}}}}};
  EXPECT_NE(error(bad).find("partitions[0].groups[1].addresses[0]: 2001:2:0::1 is also in"), std::string::npos);
  // The same host in two partitions, or twice in one group, is fine.
  PartitionSpec ok = a_b();
  ok.partitions.push_back(a_b().partitions[0]);
  ok.partitions[0].groups[0].macs.push_back(kA);
  EXPECT_EQ(error(ok), "");
  EXPECT_THROW(PartitionTable{bad}, std::invalid_argument);
}

TEST(PartitionFilter, DropsWhatThePartitionCutsAndReconfigures) {
  ManualClock clock;
  Engine e{EngineOptions{.packets = 256, .seed = 1, .clock = &clock, .log = nullptr}};
  const std::vector<Frame> frames{ether(kB, kA), ether(kC, kA), ipv4(kRouter, kA, {198, 18, 0, 1}, {198, 18, 0, 2}),
                                  ether(kA, kB)};
  const auto config = [](const PartitionSpec& spec, const std::vector<Frame>& tx) {
    Config c;
    c.app<testing::SendOnce>("tx", {tx});
    c.app<PartitionFilter>("pf", spec);
    c.app<Sink>("sink");
    c.link("tx.output -> pf.input").link("pf.output -> sink.input");
    return c;
  };
  e.configure(config(a_b(), frames));
  e.breathe();
  EXPECT_EQ(e.counters().at("pf", "forwarded"), 1u);
  EXPECT_EQ(e.counters().at("pf", "dropped_partition"), 3u);
  const EngineCounters counters = e.counters();
  const Counter* c = counters.find("pf", "dropped_partition");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->reason, Drop::partition);
  EXPECT_STREQ(to_string(c->reason), "partition");
  e.configure(config(PartitionSpec{}, {}));  // healed: reconfigured in place, counters kept
  e.configure(config(PartitionSpec{}, frames));
  e.breathe();
  EXPECT_EQ(e.counters().at("pf", "dropped_partition"), 3u);
  EXPECT_EQ(e.counters().at("pf", "forwarded"), 5u);
  EXPECT_EQ(e.pool().in_use(), 0u);
}

}  // namespace
}  // namespace synnet
