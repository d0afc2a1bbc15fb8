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
// 3 frames every 2 ms; the engine breathes every 100 us for `how_long`.
void offer_one_and_a_half(RateTest& t, Duration how_long) {
  for (std::int64_t tick = 0; tick < how_long / 100us; ++tick) {
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
  offer_one_and_a_half(*this, 6s);
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
  offer_one_and_a_half(*this, 3s);
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
  offer_one_and_a_half(*this, 1s);
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
  offer_one_and_a_half(*this, 2s);
  const double bytes = static_cast<double>(rec().times.size() - before) * 1000;
  EXPECT_NEAR(bytes, 1'000'000.0, 10'000.0) << "4 Mbit/s for 2 s is 1 MB";
}

// A new rate with the same AQM keeps the AQM's state, as `tc qdisc change`
// does: a link whose rate a timeline or a trace of values steps every 50 ms
// must still see CoDel (or PIE) drop, not restart its interval (its burst
// allowance) at every step. `drops` counts the AQM's drops in the 80 ms
// after the change; a restarted CoDel drops nothing for 100 ms, a restarted
// PIE nothing for 150 ms.
void reconfigured_aqm_goes_on_dropping(RateTest& t, QueueDiscipline d, const char* drops) {
  SCOPED_TRACE(queue_discipline_name(d));
  t.build({.rate_bps = 8'000'000, .aqm = {.discipline = d}}, {.size = 1000, .per_pull = 3});
  offer_one_and_a_half(t, 2s);
  ASSERT_GT(t.counter("rate", drops), 0u) << "1.5x the rate for 2 s: the AQM drops";
  t.build({.rate_bps = 7'900'000, .aqm = {.discipline = d}}, {.size = 1000, .per_pull = 3});  // only the rate changes
  const std::uint64_t before = t.counter("rate", drops);
  offer_one_and_a_half(t, 80ms);  // still at 1.5x
  EXPECT_GT(t.counter("rate", drops), before) << "the AQM started over at the new rate";
}

TEST_F(RateTest, ANewRateKeepsCodelsDroppingState) {
  reconfigured_aqm_goes_on_dropping(*this, QueueDiscipline::kCodel, "dropped_codel");
}

TEST_F(RateTest, ANewRateKeepsPiesProbability) {
  reconfigured_aqm_goes_on_dropping(*this, QueueDiscipline::kPie, "dropped_pie");
}

TEST_F(RateTest, LateBreathsDoNotCostTheShaperItsRate) {
  // 8 Mbit/s with a one-frame bucket, a backlog, and a breath only every
  // 3.5 ms (a busy machine): the link was busy all along, so each breath sends
  // what it would have sent meanwhile, 1000 frames a second, not one per breath.
  build({.rate_bps = 8'000'000, .burst_bytes = 1000, .queue_bytes = 1'000'000},
        {.size = 1000, .per_pull = 4, .remaining = 1'000'000});
  run(3500us, Time{4s});
  const auto windows = bytes_per_second(rec(), 4);
  for (std::size_t s = 1; s < windows.size(); ++s) {
    EXPECT_NEAR(static_cast<double>(windows[s]), 1'000'000.0, 4'000.0) << "second " << s;
  }
}

TEST_F(RateTest, AnIdleShaperStillBurstsNoMoreThanItsBucket) {
  // Idle for a second, then 20 frames at once: the bucket (3 frames) goes at
  // once, the rest at the rate; the idle second is not owed to anyone.
  build({.rate_bps = 8'000'000, .burst_bytes = 3000}, {.size = 1000, .per_pull = 20, .remaining = 0});
  run(100us, Time{1s});
  src().add(20);
  const Time start = clock.now();
  run(100us, Time{1100ms});
  ASSERT_EQ(rec().times.size(), 20u);
  EXPECT_EQ(rec().times[2], start);
  EXPECT_EQ(rec().times[3], start + 1ms);
  EXPECT_EQ(rec().times[19], start + 17ms);
}

// A trace of one opportunity per millisecond, at 1..period ms.
DeliveryTrace every_ms(std::uint64_t period_ms) {
  DeliveryTrace t{.opportunities_ms = {}, .name = "test"};
  for (std::uint64_t ms = 1; ms <= period_ms; ++ms) t.opportunities_ms.push_back(ms);
  return t;
}

TEST_F(RateTest, ATraceSendsOneFullSizePacketPerOpportunity) {
  // A 1514-byte frame is a 1500-byte IP packet: one per opportunity, at its time, looping.
  build({.trace = every_ms(5)}, {.size = 1514, .per_pull = 12, .remaining = 12});
  run(10us, Time{20ms});
  ASSERT_EQ(rec().times.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(rec().times[i], Time{std::chrono::milliseconds(i + 1)}) << i;
  EXPECT_EQ(counter("rate", "opportunities"), 12u);
  EXPECT_EQ(counter("rate", "opportunity_bytes_unused"), 0u);
}

TEST_F(RateTest, AnOpportunityCarriesSeveralSmallPackets) {
  // 514-byte frames are 500 IP bytes: three share each opportunity.
  build({.trace = every_ms(10)}, {.size = 514, .per_pull = 9, .remaining = 9});
  run(10us, Time{5ms});
  ASSERT_EQ(rec().times.size(), 9u);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(rec().times[i], Time{std::chrono::milliseconds(i / 3 + 1)}) << i;
}

TEST_F(RateTest, ALargePacketCarriesItsBytesOverToTheNextOpportunity) {
  // 2014-byte frames are 2000 IP bytes: the first leaves at 2 ms (1500 + 500),
  // the second takes the rest of that one (1000) and 1000 of the third, ...
  build({.trace = every_ms(10)}, {.size = 2014, .per_pull = 3, .remaining = 3});
  run(10us, Time{6ms});
  ASSERT_EQ(rec().times.size(), 3u);
  EXPECT_EQ(rec().times[0], Time{2ms});
  EXPECT_EQ(rec().times[1], Time{3ms});
  EXPECT_EQ(rec().times[2], Time{4ms});
  EXPECT_EQ(counter("rate", "opportunities"), 4u);  // 6000 bytes: four opportunities, all used
  EXPECT_EQ(counter("rate", "opportunity_bytes_unused"), 0u);
}

TEST_F(RateTest, OpportunitiesThatFindTheQueueEmptyAreLost) {
  // Nothing until 5.5 ms: the 5 opportunities before are gone, the frames go
  // at 6, 7, 8 ms; the trace loops every 4 ms (opportunities at 1..4 ms of each loop).
  build({.trace = every_ms(4)}, {.size = 1514, .per_pull = 3, .remaining = 0});
  run(100us, Time{5500us});
  src().add(3);
  run(100us, Time{12ms});
  ASSERT_EQ(rec().times.size(), 3u);
  EXPECT_EQ(rec().times[0], Time{6ms});
  EXPECT_EQ(rec().times[1], Time{7ms});
  EXPECT_EQ(rec().times[2], Time{8ms});
}

TEST_F(RateTest, ATraceThatDoesNotLoopDeliversNothingAfterItsEnd) {
  build({.trace = every_ms(3), .loop = false}, {.size = 1514, .per_pull = 5, .remaining = 5});
  run(100us, Time{20ms});
  EXPECT_EQ(rec().times.size(), 3u);
  EXPECT_EQ(counter("rate", "queued_packets"), 2u);
}

TEST_F(RateTest, ASaturatedTraceDeliversItsOpportunitiesInEveryWindow) {
  // Opportunities at 0, 0, 1, 3, 3, 3, 8 ms of an 8 ms period: 7 per 8 ms
  // (the one at 8 ms falls on the next loop's start). Offered 11 1514-byte
  // frames per 8 ms; every 8 ms window carries exactly 7 (the first 6).
  const DeliveryTrace t{.opportunities_ms = {0, 0, 1, 3, 3, 3, 8}, .name = "bursty"};
  build({.trace = t, .queue_packets = 100}, {.size = 1514, .per_pull = 11});
  for (int tick = 0; tick < 800 * 10; ++tick) {  // 800 ms, a breath every 100 us
    if (tick % 80 == 0) src().add(11);           // 11 frames per 8 ms
    engine.breathe();
    clock.advance(100us);
  }
  std::vector<int> per_window(100, 0);
  for (const Time at : rec().times) ++per_window[static_cast<std::size_t>(at / 8ms)];
  EXPECT_EQ(per_window[0], 6);
  for (std::size_t w = 1; w + 1 < per_window.size(); ++w) EXPECT_EQ(per_window[w], 7) << "window " << w;
  EXPECT_EQ(engine.counters().link("src.output -> rate.input").rxpackets,
            rec().times.size() + counter("rate", "queued_packets") + counter("rate", "dropped_queue_full"));
  EXPECT_GT(counter("rate", "dropped_queue_full"), 0u);
  EXPECT_LE(counter("rate", "queued_packets"), 100u);
}

TEST_F(RateTest, AQueueLimitInPacketsDropsTheTail) {
  build({.rate_bps = 8'000'000, .burst_bytes = 1000, .queue_packets = 4},
        {.size = 100, .per_pull = 10, .remaining = 10});
  engine.breathe();  // 10 frames arrive together: 4 fit in the queue, 6 are dropped; the 4 go at once (the bucket)
  EXPECT_EQ(counter("rate", "dropped_queue_full"), 6u);
  EXPECT_EQ(rec().times.size(), 4u);
}

TEST(RateSpec, Validation) {
  EXPECT_THROW((RateSpec{}).validate(), std::invalid_argument);  // no rate
  EXPECT_THROW((RateSpec{.rate_bps = 1000, .queue_bytes = 10, .mode = RateMode::kPolicer}).validate(),
               std::invalid_argument);
  EXPECT_NO_THROW((RateSpec{.rate_bps = 1000}).validate());
  const DeliveryTrace t{.opportunities_ms = {0, 1}, .name = "t"};
  EXPECT_NO_THROW((RateSpec{.trace = t}).validate());
  EXPECT_THROW((RateSpec{.rate_bps = 1000, .trace = t}).validate(), std::invalid_argument);  // both
  EXPECT_THROW((RateSpec{.trace = t, .burst_bytes = 3000}).validate(), std::invalid_argument);
  EXPECT_THROW((RateSpec{.trace = t, .mode = RateMode::kPolicer}).validate(), std::invalid_argument);
  EXPECT_THROW((RateSpec{.trace = DeliveryTrace{.opportunities_ms = {0, 0}, .name = "zero"}}).validate(),
               std::invalid_argument);  // lasts 0 ms
  EXPECT_THROW((RateSpec{.rate_bps = 1000, .queue_bytes = 10, .queue_packets = 10}).validate(), std::invalid_argument);
}

}  // namespace
}  // namespace synnet
