// The seed's "Clumsy" app: forward even-sized packets, drop odd-sized ones, count the drops.
#include "engine/apps/examples/clumsy.hpp"

#include <gtest/gtest.h>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/engine.hpp"

namespace synnet {
namespace {

TEST(Clumsy, ForwardsEvenDropsOddAndCountsEveryPacket) {
  ManualClock clock;
  Engine e({.packets = 4096, .seed = 1, .clock = &clock, .log = nullptr});
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60, 61, 64, 1501}, .burst_packets = 100});
  c.app<Clumsy>("clumsy");
  c.app<Sink>("sink");
  c.link("src.output -> clumsy.input").link("clumsy.output -> sink.input");
  e.configure(c);
  for (int i = 0; i < 10; ++i) e.breathe();

  const auto counters = e.counters();
  const std::uint64_t in = counters.link("src.output -> clumsy.input").rxpackets;
  const std::uint64_t out = counters.link("clumsy.output -> sink.input").txpackets;
  EXPECT_EQ(in, 1000u);
  EXPECT_EQ(out, 500u);
  EXPECT_EQ(counters.at("clumsy", "forwarded"), 500u);
  EXPECT_EQ(counters.at("clumsy", "dropped_odd_size"), 500u);
  EXPECT_EQ(in, out + counters.at("clumsy", "dropped_odd_size") + counters.at("clumsy", "dropped_no_output"));
  EXPECT_EQ(counters.link("clumsy.output -> sink.input").rxbytes, 250u * 60 + 250u * 64);
  EXPECT_EQ(e.pool().in_use(), 0u);
}

TEST(Clumsy, AnUnlinkedOutputDropsWithItsOwnReason) {
  ManualClock clock;
  Engine e({.packets = 1024, .seed = 1, .clock = &clock, .log = nullptr});
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 10});
  c.app<Clumsy>("clumsy");
  c.link("src.output -> clumsy.input");
  e.configure(c);
  e.breathe();
  EXPECT_EQ(e.counters().at("clumsy", "dropped_no_output"), 10u);
  EXPECT_EQ(e.counters().at("clumsy", "dropped_odd_size"), 0u);
}

}  // namespace
}  // namespace synnet
