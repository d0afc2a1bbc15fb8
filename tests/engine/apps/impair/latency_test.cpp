#include "engine/apps/impair/latency.hpp"

#include <gtest/gtest.h>

#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impairment_rig.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
using testing::SeqSource;
using testing::SeqSourceSpec;

struct LatencyTest : testing::ImpairmentRig<Latency> {
  LatencyTest() : ImpairmentRig("lat", 1, 200'000) {}
};

TEST_F(LatencyTest, APacketLeavesExactlyAtItsDueTime) {
  build({.delay_us = 5000}, {.remaining = 1});
  engine.breathe();  // t = 0: sent and queued
  clock.set(Time{4999us});
  engine.breathe();
  EXPECT_TRUE(rec().times.empty()) << "released a microsecond early";
  clock.set(Time{5000us});
  engine.breathe();
  ASSERT_EQ(rec().times.size(), 1u);
  EXPECT_EQ(rec().times[0] - src().sent_at[0], 5000us);
}

TEST_F(LatencyTest, OrderIsKeptAndTheQueueGrowsWithTheLoad) {
  // 100 frames per breath every 10 us for 1 ms of delay: ~10,000 in flight.
  build({.delay_us = 1000}, {.per_pull = 100, .remaining = 50'000});
  std::uint64_t most_queued = 0;
  for (int i = 0; i < 700; ++i) {
    engine.breathe();
    most_queued = std::max(most_queued, counter("lat", "queued"));
    clock.advance(10us);
  }
  EXPECT_GE(most_queued, 10'000u);
  ASSERT_EQ(rec().seqs.size(), 50'000u);
  for (std::size_t i = 0; i < rec().seqs.size(); ++i) {
    ASSERT_EQ(rec().seqs[i], i) << "out of order";
    ASSERT_EQ(rec().times[i] - src().sent_at[i], 1000us) << "frame " << i;
  }
  EXPECT_EQ(counter("lat", "dropped_queue_full"), 0u);
}

TEST_F(LatencyTest, ALimitDropsAndCounts) {
  build({.delay_us = 1000, .limit_packets = 30}, {.per_pull = 50, .remaining = 50});
  engine.breathe();
  EXPECT_EQ(counter("lat", "queued"), 30u);
  EXPECT_EQ(counter("lat", "dropped_queue_full"), 20u);
  clock.advance(1ms);
  engine.breathe();
  // Conservation: in = out + dropped + queued.
  EXPECT_EQ(engine.counters().link("src.output -> lat.input").rxpackets,
            engine.counters().link("lat.output -> rec.input").txpackets + counter("lat", "dropped_queue_full") +
                counter("lat", "queued"));
  EXPECT_EQ(rec().seqs.size(), 30u);
}

TEST_F(LatencyTest, ReconfigureKeepsQueuedPacketsAndTheirDueTimes) {
  build({.delay_us = 10'000}, {.remaining = 1});
  engine.breathe();  // frame 0 due at 10 ms
  Config next;
  next.app<SeqSource>("src", {.remaining = 1}).app<Latency>("lat", {.delay_us = 1000}).app<Recorder>("rec");
  next.link("src.output -> lat.input").link("lat.output -> rec.input");
  Latency* before = engine.app_as<Latency>("lat");
  engine.configure(next);  // the source is unchanged (kept); Latency is reconfigured in place
  EXPECT_EQ(engine.app_as<Latency>("lat"), before);
  src().add(1);
  EXPECT_EQ(counter("lat", "queued"), 1u);
  clock.set(Time{2ms});
  engine.breathe();  // the new frame (due at 3 ms) may not pass the old one (due at 10 ms)
  clock.set(Time{3ms});
  engine.breathe();
  EXPECT_TRUE(rec().seqs.empty()) << "a later frame overtook a queued one";
  clock.set(Time{10ms});
  engine.breathe();
  EXPECT_EQ(rec().seqs.size(), 2u);
}

TEST_F(LatencyTest, StopFreesHeldPackets) {
  build({.delay_us = 1'000'000}, {.per_pull = 10, .remaining = 10});
  engine.breathe();
  EXPECT_EQ(engine.pool().in_use(), 10u);
  engine.configure(Config{});
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

TEST(LatencySpec, Validation) {
  EXPECT_THROW((LatencySpec{.delay_us = 3'600'000'001ULL}).validate(), std::invalid_argument);
  try {
    (LatencySpec{.delay_us = 1, .limit_packets = 0}).validate();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("limit_packets:", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace synnet
