#include "engine/apps/impair/rate.hpp"

#include <gtest/gtest.h>

#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impairment_rig.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
using testing::SeqSource;
using testing::SeqSourceSpec;

struct RateTest : testing::ImpairmentRig<Rate> {
  RateTest() : ImpairmentRig("rate") {}
};

TEST_F(RateTest, PacketsArePacedExactly) {
  // 8 Mbit/s = 1 byte/us; 1000-byte frames and a 1000-byte bucket: one every 1 ms.
  build({.rate_bps = 8'000'000, .burst_bytes = 1000}, {.size = 1000, .per_pull = 10, .remaining = 10});
  run(1us, Time{20ms});
  ASSERT_EQ(rec().times.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(rec().times[i], Time{std::chrono::milliseconds(i)}) << i;
}

TEST_F(RateTest, QueueWaitIsSummedOverDequeuedPackets) {
  // As above: frame i waits i ms (0 for the first, sent in the breath it came).
  build({.rate_bps = 8'000'000, .burst_bytes = 1000}, {.size = 1000, .per_pull = 10, .remaining = 10});
  run(1us, Time{4500us});  // frames 0..4 have gone
  EXPECT_EQ(counter("rate", "dequeued"), 5u);
  EXPECT_EQ(counter("rate", "queue_wait_ns"), std::uint64_t{(0 + 1 + 2 + 3 + 4) * 1'000'000});
  EXPECT_EQ(counter("rate", "queued_packets"), 5u);  // still waiting: not counted yet
  run(1us, Time{20ms});
  EXPECT_EQ(counter("rate", "dequeued"), 10u);
  EXPECT_EQ(counter("rate", "queue_wait_ns"), std::uint64_t{45'000'000});  // 0 + 1 + ... + 9 ms
  // Its kind says what it is, so reports neither sum it with packets nor take it for a level.
  bool seen = false;
  for (const Counter& k : engine.counters().apps) {
    if (k.app == "rate" && k.name == "queue_wait_ns") {
      EXPECT_EQ(k.kind, CounterKind::time);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

TEST_F(RateTest, QueueWaitOfPacketsArrivingOverTime) {
  // One frame every 0.5 ms against one per ms: the queue grows and each waits
  // 0.5 ms longer than the one before.
  build({.rate_bps = 8'000'000, .burst_bytes = 1000}, {.size = 1000, .per_pull = 1});
  for (int tick = 0; tick < 8; ++tick) {  // 8 frames at 0, 0.5, ... 3.5 ms
    engine.app_as<SeqSource>("src")->add(1);
    engine.breathe();
    clock.advance(500us);
  }
  run(500us, Time{20ms});
  ASSERT_EQ(rec().times.size(), 8u);
  EXPECT_EQ(counter("rate", "dequeued"), 8u);
  std::uint64_t waited = 0;
  for (std::size_t i = 0; i < 8; ++i)
    waited += static_cast<std::uint64_t>((rec().times[i] - Time{500us * static_cast<int>(i)}).count());
  EXPECT_EQ(counter("rate", "queue_wait_ns"), waited);
  EXPECT_EQ(waited, std::uint64_t{(0 + 500 + 1000 + 1500 + 2000 + 2500 + 3000 + 3500) * 1000});
}

TEST_F(RateTest, OverheadIsCharged) {
  // 24 bytes of overhead per frame: one every 1.024 ms.
  build({.rate_bps = 8'000'000, .burst_bytes = 1000, .overhead_bytes = 24},
        {.size = 1000, .per_pull = 5, .remaining = 5});
  run(1us, Time{10ms});
  ASSERT_EQ(rec().times.size(), 5u);
  EXPECT_EQ(rec().times[4] - rec().times[3], 1024us);
}

// Offers 1.5x the rate: 8 Mbit/s is 1000 frames of 1000 bytes per second, so
// 3 frames every 2 ms; the engine breathes every 100 us for `seconds`.
void offer_one_and_a_half(RateTest& t, int seconds) {
  for (int tick = 0; tick < seconds * 10'000; ++tick) {
    if (tick % 20 == 0) t.engine.app_as<SeqSource>("src")->add(3);
    t.engine.breathe();
    t.clock.advance(100us);
  }
}

std::vector<std::uint64_t> bytes_per_second(const Recorder& rec, int seconds) {
  std::vector<std::uint64_t> out(static_cast<std::size_t>(seconds), 0);
  for (std::size_t i = 0; i < rec.times.size(); ++i) {
    const auto s = static_cast<std::size_t>(rec.times[i] / 1s);
    if (s < out.size()) out[s] += 1000;
  }
  return out;
}

TEST_F(RateTest, AShaperDeliversTheRateInEverySecond) {
  build({.rate_bps = 8'000'000}, {.size = 1000, .per_pull = 3});
  offer_one_and_a_half(*this, 6);
  const auto windows = bytes_per_second(rec(), 6);
  for (std::size_t s = 1; s < windows.size(); ++s) {  // after the first second, as the fidelity target says
    EXPECT_NEAR(static_cast<double>(windows[s]), 1'000'000.0, 10'000.0) << "second " << s;
  }
  EXPECT_GT(counter("rate", "dropped_queue_full"), 2000u) << "the excess half must be tail-dropped";
  EXPECT_EQ(engine.counters().link("src.output -> rate.input").rxpackets,
            engine.counters().link("rate.output -> rec.input").txpackets + counter("rate", "dropped_queue_full") +
                counter("rate", "queued_packets"));
  EXPECT_LE(counter("rate", "queued_bytes"), 64u * 1024);
}

TEST_F(RateTest, APolicerDropsWhatExceedsTheBucketInsteadOfQueueing) {
  build({.rate_bps = 8'000'000, .mode = RateMode::kPolicer}, {.size = 1000, .per_pull = 3});
  offer_one_and_a_half(*this, 3);
  const auto windows = bytes_per_second(rec(), 3);
  for (std::size_t s = 1; s < windows.size(); ++s) EXPECT_LE(windows[s], 1'010'000u) << "second " << s;
  EXPECT_EQ(counter("rate", "queued_packets"), 0u);
  EXPECT_EQ(counter("rate", "dequeued"), 0u);  // no queue, so no queueing delay
  EXPECT_EQ(counter("rate", "queue_wait_ns"), 0u);
  EXPECT_GT(counter("rate", "dropped_policed"), 0u);
  EXPECT_EQ(engine.counters().link("src.output -> rate.input").rxpackets,
            engine.counters().link("rate.output -> rec.input").txpackets + counter("rate", "dropped_policed"));
}

TEST_F(RateTest, ReconfigureKeepsTheQueueAndAppliesTheNewRate) {
  build({.rate_bps = 8'000'000}, {.size = 1000, .per_pull = 3});
  offer_one_and_a_half(*this, 1);
  const std::uint64_t queued = counter("rate", "queued_packets");
  ASSERT_GT(queued, 10u);
  Rate* rate = engine.app_as<Rate>("rate");
  Config c;
  c.app<SeqSource>("src", {.size = 1000, .per_pull = 3})
      .app<Rate>("rate", {.rate_bps = 4'000'000})
      .app<Recorder>("rec");
  c.link("src.output -> rate.input").link("rate.output -> rec.input");
  engine.configure(c);
  EXPECT_EQ(engine.app_as<Rate>("rate"), rate);
  EXPECT_EQ(counter("rate", "queued_packets"), queued);
  const std::size_t before = rec().times.size();
  offer_one_and_a_half(*this, 2);
  const double bytes = static_cast<double>(rec().times.size() - before) * 1000;
  EXPECT_NEAR(bytes, 1'000'000.0, 10'000.0) << "4 Mbit/s for 2 s is 1 MB";
}

TEST(RateSpec, Validation) {
  EXPECT_THROW((RateSpec{}).validate(), std::invalid_argument);  // no rate
  EXPECT_THROW((RateSpec{.rate_bps = 1000, .queue_bytes = 10, .mode = RateMode::kPolicer}).validate(),
               std::invalid_argument);
  EXPECT_NO_THROW((RateSpec{.rate_bps = 1000}).validate());
}

}  // namespace
}  // namespace synnet
