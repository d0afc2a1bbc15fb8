#include <gtest/gtest.h>

#include "engine/apps/basic/filter.hpp"
#include "engine/apps/basic/join.hpp"
#include "engine/apps/basic/repeater.hpp"
#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/basic/tee.hpp"
#include "engine/engine.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

struct BasicApps : ::testing::Test {
  ManualClock clock;
  Engine engine{EngineOptions{.packets = 4096, .seed = 1, .clock = &clock, .log = nullptr}};
  const LinkCounters& at(std::string_view link) { return engine.link(link)->counters(); }
};

TEST_F(BasicApps, SourceCyclesSizes) {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60, 100, 1500}, .burst_packets = 600});
  c.app<Sink>("sink");
  c.link("src.output -> sink.input");
  engine.configure(c);
  engine.breathe();
  EXPECT_EQ(at("src.output -> sink.input").rxpackets, 600u);
  EXPECT_EQ(at("src.output -> sink.input").rxbytes, 200u * (60 + 100 + 1500));
}

TEST_F(BasicApps, SourceSendsOnlyWhatTheLinkHasRoomFor) {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 1000});
  c.app<testing::Stall>("stall");
  c.link("src.output -> stall.input");
  engine.configure(c);
  engine.breathe();
  engine.breathe();
  EXPECT_EQ(at("src.output -> stall.input").txpackets, Link::kCapacity);
  EXPECT_EQ(at("src.output -> stall.input").txdrop, 0u);
}

TEST_F(BasicApps, SourceWaitsWhenThePoolIsEmpty) {
  Engine small{EngineOptions{.packets = 50, .seed = 1, .clock = &clock, .log = nullptr}};
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 100});
  c.app<testing::Stall>("stall");
  c.link("src.output -> stall.input");
  small.configure(c);
  small.breathe();
  EXPECT_EQ(small.link("src.output -> stall.input")->counters().txpackets, 50u);
  EXPECT_EQ(small.counters().at("src", "alloc_failed"), 1u);
}

TEST_F(BasicApps, TeeCopiesToEveryOutput) {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {80}, .burst_packets = 10});
  c.app<Tee>("tee");
  c.app<Sink>("sink");
  c.link("src.output -> tee.input").link("tee.x -> sink.x").link("tee.y -> sink.y").link("tee.z -> sink.z");
  engine.configure(c);
  engine.breathe();
  for (const char* l : {"tee.x -> sink.x", "tee.y -> sink.y", "tee.z -> sink.z"}) {
    EXPECT_EQ(at(l).rxpackets, 10u) << l;
    EXPECT_EQ(at(l).rxbytes, 800u) << l;
  }
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

TEST_F(BasicApps, TeeWithoutOutputsDropsAndCounts) {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {80}, .burst_packets = 10});
  c.app<Tee>("tee");
  c.link("src.output -> tee.input");
  engine.configure(c);
  engine.breathe();
  EXPECT_EQ(engine.counters().at("tee", "dropped_no_output"), 10u);
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

TEST_F(BasicApps, JoinMergesInputs) {
  Config c;
  c.app<Source>("a", {.sizes_bytes = {60}, .burst_packets = 3});
  c.app<Source>("b", {.sizes_bytes = {70}, .burst_packets = 4});
  c.app<Join>("join");
  c.app<Sink>("sink");
  c.link("a.output -> join.a").link("b.output -> join.b").link("join.output -> sink.input");
  engine.configure(c);
  engine.breathe();
  EXPECT_EQ(at("join.output -> sink.input").rxpackets, 7u);
  EXPECT_EQ(at("join.output -> sink.input").rxbytes, 3u * 60 + 4u * 70);
}

TEST_F(BasicApps, RepeaterReplaysWhatItStored) {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60, 61}, .burst_packets = 2});
  c.app<Repeater>("rep", {.max_packets = 2});
  c.app<Sink>("sink");
  c.link("src.output -> rep.input").link("rep.output -> sink.input");
  engine.configure(c);
  engine.breathe();  // rep stores 2 (pull comes before push: nothing repeated yet)
  engine.breathe();  // rep repeats 102, and drops the 2 new ones (full)
  EXPECT_EQ(at("rep.output -> sink.input").rxpackets, Link::kCapacity / 10);
  EXPECT_EQ(at("rep.output -> sink.input").rxbytes, 51u * 60 + 51u * 61);
  const auto counters = engine.counters();
  EXPECT_EQ(counters.at("rep", "stored"), 2u);
  EXPECT_EQ(counters.at("rep", "dropped_full"), 2u);
  engine.configure(Config{});
  EXPECT_EQ(engine.pool().in_use(), 0u);  // stop() returned the stored packets
}

TEST_F(BasicApps, FilterRunsTheCallableAndCountsDrops) {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60, 61, 62}, .burst_packets = 30});
  c.app<Filter>("f", FilterSpec([](Packet& p) {
                  p.data[0] = 0xee;  // map: change the packet
                  return p.length != 61;
                }));
  c.app<testing::Stall>("out");
  c.link("src.output -> f.input").link("f.output -> out.input");
  engine.configure(c);
  engine.breathe();
  const auto counters = engine.counters();
  EXPECT_EQ(counters.at("f", "forwarded"), 20u);
  EXPECT_EQ(counters.at("f", "dropped"), 10u);
  EXPECT_EQ(engine.link("f.output -> out.input")->front()->data[0], 0xee);
}

TEST_F(BasicApps, FilterSpecsCompareByCallableIdentity) {
  const FilterSpec a([](Packet&) { return true; });
  const FilterSpec copy = a;
  const FilterSpec b([](Packet&) { return true; });
  EXPECT_EQ(a, copy);
  EXPECT_NE(a, b);
  Config c;
  EXPECT_THROW(c.app<Filter>("f", FilterSpec{}), ConfigError);
}

}  // namespace
}  // namespace synnet
