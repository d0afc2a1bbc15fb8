// Tests for engine/engine_counters.{hpp,cpp} and engine/counter.hpp: typed
// counters as apps emit them, their lookup, and how engines' counters add up.
#include "engine/engine_counters.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace synnet {
namespace {

EngineCounters one_engine(std::uint64_t forwarded, std::uint64_t queued, std::uint64_t txdrop) {
  EngineCounters c;
  c.apps.push_back({"loss", "forwarded", CounterKind::packets, Drop::none, forwarded});
  c.apps.push_back({"loss", "dropped_loss", CounterKind::drop, Drop::impairment, 2});
  c.apps.push_back({"rate", "queued_packets", CounterKind::gauge, Drop::none, queued});
  c.links[LinkSpec::parse("loss.output -> rate.input")] = LinkCounters{10, 1000, 9, 900, txdrop};
  return c;
}

TEST(CounterVisitor, EachCallNamesItsKindAndADropItsReason) {
  std::vector<Counter> seen;
  const CounterVisitor emit([&](std::string_view name, CounterKind kind, Drop reason, std::uint64_t value) {
    seen.push_back({"app", std::string(name), kind, reason, value});
  });
  emit.packets("forwarded", 1);
  emit.drop("dropped_loss", Drop::impairment, 2);
  emit.gauge("queued", 3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (Counter{"app", "forwarded", CounterKind::packets, Drop::none, 1}));
  EXPECT_TRUE(seen[1].is_drop());
  EXPECT_EQ(seen[1].reason, Drop::impairment);
  EXPECT_EQ(seen[2].kind, CounterKind::gauge);
  EXPECT_STREQ(to_string(CounterKind::drop), "drop");
  EXPECT_STREQ(to_string(Drop::queue_full), "queue_full");
  EXPECT_STREQ(to_string(Drop::none), "");
}

TEST(EngineCounters, FindsAppCountersByAppAndNameAndLinksByAnySpelling) {
  const EngineCounters c = one_engine(5, 1, 0);
  EXPECT_EQ(c.at("loss", "forwarded"), 5u);
  EXPECT_EQ(c.find("loss", "nothing"), nullptr);
  EXPECT_THROW(c.at("loss", "nothing"), std::out_of_range);
  EXPECT_EQ(c.link("loss.output->rate.input").rxpackets, 9u);
  EXPECT_EQ(c.link("loss.output -> rate.input").txbytes, 1000u);
  EXPECT_THROW(c.link("a.output -> b.input"), std::out_of_range);
}

TEST(EngineCounters, AllListsLinksByTheirOneSpellingWithTxdropAsAQueueFullDrop) {
  const std::vector<Counter> all = one_engine(5, 1, 4).all();
  ASSERT_EQ(all.size(), 3u + 5u);
  const Counter& txdrop = all.back();
  EXPECT_EQ(txdrop, (Counter{"loss.output -> rate.input", "txdrop", CounterKind::drop, Drop::queue_full, 4}));
  EXPECT_EQ(all[3].name, "txpackets");
  EXPECT_EQ(all[3].kind, CounterKind::packets);
}

TEST(EngineCounters, MergeSumsCountsAndLinksButNotGauges) {
  EngineCounters sum = one_engine(5, 7, 1);
  sum.merge(one_engine(6, 3, 2));
  EXPECT_EQ(sum.at("loss", "forwarded"), 11u);
  EXPECT_EQ(sum.at("loss", "dropped_loss"), 4u);
  EXPECT_EQ(sum.at("rate", "queued_packets"), 7u) << "a gauge keeps the larger level";
  EXPECT_EQ(sum.link("loss.output -> rate.input").txdrop, 3u);
  EXPECT_EQ(sum.link("loss.output -> rate.input").rxpackets, 18u);
  EXPECT_EQ(sum.apps.size(), 3u) << "same (app, name): one counter";
}

TEST(EngineCounters, MergeAddsNewAppsInNameOrderKeepingEachAppsEmitOrder) {
  EngineCounters sum;
  sum.apps.push_back({"b", "z", CounterKind::packets, Drop::none, 1});
  sum.apps.push_back({"b", "a", CounterKind::packets, Drop::none, 1});
  EngineCounters other;
  other.apps.push_back({"a", "x", CounterKind::events, Drop::none, 1});
  sum.merge(other);
  ASSERT_EQ(sum.apps.size(), 3u);
  EXPECT_EQ(sum.apps[0].app, "a");
  EXPECT_EQ(sum.apps[1].name, "z");
  EXPECT_EQ(sum.apps[2].name, "a");
}

}  // namespace
}  // namespace synnet
