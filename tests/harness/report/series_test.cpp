// series_test.cpp — SeriesRecorder on a real Engine with a ManualClock: what
// entered and left a direction's chain, its drops by reason and its queue,
// and queueing delay per interval; the engines restarted; since(), latest(), the capacity; and
// the JSON of the control API (harness/control/README.md).
#include "harness/report/series.hpp"

#include "engine/apps/impair/chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impair_testing.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using json_reader::Json;

const DirectionTap kAToB{"ab", "a_to_b", "ab_a_to_b", "a.output", "b.input"};
const DirectionTap kBToA{"ab", "b_to_a", "ab_b_to_a", "c.output", "d.input"};
const std::vector<DirectionTap> kTaps{kAToB, kBToA};

// a -> {loss 50%, delay 10 ms} -> b, and c -> (nothing) -> d: each source sends 10 frames of 100 bytes a breath.
Config two_directions() {
  Config c;
  c.app<testing::SeqSource>("a", {.size = 100, .per_pull = 10, .remaining = 1'000'000});
  c.app<testing::SeqSource>("c", {.size = 60, .per_pull = 10, .remaining = 1'000'000});
  c.app<testing::Recorder>("b").app<testing::Recorder>("d");
  DirectionSpec d;
  d.impairments.loss = LossSpec{.ratio = 0.5};
  d.impairments.latency = LatencySpec{.delay_us = 10'000};
  add_direction(c, "ab_a_to_b", d, "a.output", "b.input");
  add_direction(c, "ab_b_to_a", {}, "c.output", "d.input");
  return c;
}

struct Rig {
  ManualClock clock;
  Engine engine{{.packets = 8192, .seed = 7, .clock = &clock, .log = nullptr}};
  explicit Rig(const Config& c) { engine.configure(c); }
  void breathe(int n) {
    for (int i = 0; i < n; ++i) {
      engine.breathe();
      clock.advance(1ms);
    }
  }
};

TEST(Series, ASampleIsWhatCrossedEachDirectionInTheInterval) {
  Rig rig(two_directions());
  SeriesRecorder series;
  std::uint64_t queued_before = 0;
  std::uint64_t lost = 0, delivered = 0;
  for (int interval = 0; interval < 5; ++interval) {
    rig.breathe(4);  // 40 frames into each direction
    const EngineCounters c = rig.engine.counters();
    const SeriesSample s = series.record(0.1 * (interval + 1), c, kTaps);
    EXPECT_EQ(s.seq, static_cast<std::uint64_t>(interval));
    ASSERT_EQ(s.links.size(), 1u);
    const DirectionSample& ab = s.links.at("ab").at("a_to_b");
    EXPECT_EQ(ab.packets_in, 40u);
    EXPECT_EQ(ab.bytes_in, 4000u);
    EXPECT_EQ(ab.bytes_out, ab.packets_out * 100);
    // Only impairment drops, and what came in is what left, was lost, or waits.
    ASSERT_EQ(ab.drops.size(), 1u);
    const std::uint64_t dropped = ab.drops.at("impairment");
    EXPECT_GT(dropped, 5u);
    EXPECT_LT(dropped, 35u);
    EXPECT_EQ(ab.queue, c.at("ab_a_to_b_latency", "queued"));
    EXPECT_EQ(ab.packets_in + queued_before, ab.packets_out + dropped + ab.queue);
    queued_before = ab.queue;
    lost += dropped;
    delivered += ab.packets_out;
    EXPECT_EQ(lost, c.at("ab_a_to_b_loss", "dropped_loss"));
    EXPECT_EQ(delivered, rig.engine.app_as<testing::Recorder>("b")->seqs.size());
    // The other direction: straight through, nothing lost, nothing held.
    EXPECT_EQ(s.links.at("ab").at("b_to_a"),
              (DirectionSample{.packets_in = 40, .bytes_in = 2400, .packets_out = 40, .bytes_out = 2400}));
  }
  EXPECT_GT(delivered, 0u) << "the delay is shorter than the run";
  EXPECT_GT(queued_before, 0u) << "frames of the last 10 ms wait in the delay";
}

TEST(Series, TheFirstRecordCountsFromZeroAndAQuietIntervalIsZero) {
  Rig rig(two_directions());
  SeriesRecorder series;
  const SeriesSample first = series.record(0, rig.engine.counters(), kTaps);
  EXPECT_EQ(first.links.at("ab").at("a_to_b"), DirectionSample{}) << "nothing has moved before the first breath";
  rig.breathe(1);
  const EngineCounters c = rig.engine.counters();
  series.record(0.1, c, kTaps);
  const SeriesSample quiet = series.record(0.2, c, kTaps);
  const DirectionSample& ab = quiet.links.at("ab").at("a_to_b");
  EXPECT_EQ(ab.packets_in, 0u);
  EXPECT_EQ(ab.packets_out, 0u);
  EXPECT_TRUE(ab.drops.empty()) << "only reasons that occurred";
  EXPECT_EQ(ab.queue, c.at("ab_a_to_b_latency", "queued")) << "a level, not a difference";
  EXPECT_GT(ab.queue, 0u);
}

TEST(Series, DropsAreByReasonIncludingAFullQueueAndAFullLink) {
  // a -> {delay 1 s, limit 3}: the delay line holds 3 and drops the rest (queue_full).
  Config c;
  c.app<testing::SeqSource>("a", {.size = 100, .per_pull = 10, .remaining = 10});
  c.app<testing::Recorder>("b");
  DirectionSpec d;
  d.impairments.loss = LossSpec{.ratio = 0.5};
  d.impairments.latency = LatencySpec{.delay_us = 1'000'000, .limit_packets = 3};
  add_direction(c, "ab_a_to_b", d, "a.output", "b.input");
  // e -> f, no impairment, f never reads: its input link fills and drops (txdrop).
  c.app<testing::SeqSource>("e", {.size = 60, .per_pull = 1100, .remaining = 1100});
  c.app<testing::Stall>("f");
  add_direction(c, "ef_a_to_b", {}, "e.output", "f.input");
  Rig rig(c);
  rig.breathe(1);
  const EngineCounters k = rig.engine.counters();
  SeriesRecorder series;
  const SeriesSample s = series.record(0.1, k, {kAToB, {"ef", "a_to_b", "ef_a_to_b", "e.output", "f.input"}});
  const DirectionSample& ab = s.links.at("ab").at("a_to_b");
  const std::uint64_t lost = k.at("ab_a_to_b_loss", "dropped_loss");
  EXPECT_EQ(ab.packets_in, 10u);
  EXPECT_EQ(ab.queue, 3u);
  EXPECT_EQ(ab.drops, (std::map<std::string, std::uint64_t>{{"impairment", lost}, {"queue_full", 10 - lost - 3}}));
  const DirectionSample& ef = s.links.at("ef").at("a_to_b");
  EXPECT_EQ(ef, (DirectionSample{.packets_in = Link::kCapacity,
                                 .bytes_in = Link::kCapacity * 60,
                                 .packets_out = Link::kCapacity,
                                 .bytes_out = Link::kCapacity * 60,
                                 .drops = {{"queue_full", 1100 - Link::kCapacity}},
                                 .queue = 0}));
}

TEST(Series, EnginesRestartedCountFromTheirNewValues) {
  SeriesRecorder series;
  {
    Rig rig(two_directions());
    rig.breathe(5);  // 50 frames each way
    const SeriesSample s = series.record(0.1, rig.engine.counters(), kTaps);
    EXPECT_EQ(s.links.at("ab").at("b_to_a").packets_in, 50u);
  }
  Rig again(two_directions());
  again.breathe(2);  // 20: below the 50 counted before
  const EngineCounters c = again.engine.counters();
  const SeriesSample s = series.record(0.2, c, kTaps);
  EXPECT_EQ(s.links.at("ab").at("b_to_a"),
            (DirectionSample{.packets_in = 20, .bytes_in = 1200, .packets_out = 20, .bytes_out = 1200}));
  const DirectionSample& ab = s.links.at("ab").at("a_to_b");
  EXPECT_EQ(ab.packets_in, 20u);
  EXPECT_EQ(ab.drops.at("impairment"), c.at("ab_a_to_b_loss", "dropped_loss"));
  // Then differences again.
  again.breathe(1);
  EXPECT_EQ(series.record(0.3, again.engine.counters(), kTaps).links.at("ab").at("b_to_a").packets_in, 10u);
}

TEST(Series, SinceLatestAndTheCapacity) {
  Rig rig(two_directions());
  SeriesRecorder series(3);
  EXPECT_EQ(series.capacity(), 3u);
  EXPECT_FALSE(series.latest().has_value());
  EXPECT_TRUE(series.since(-1).empty());
  EXPECT_TRUE(series.last(10).empty());
  for (int i = 1; i <= 5; ++i) {
    rig.breathe(1);
    series.record(0.1 * i, rig.engine.counters(), kTaps);
  }
  EXPECT_EQ(series.size(), 3u);
  const std::vector<SeriesSample> kept = series.since(-1);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].seq, 2u);
  EXPECT_EQ(kept[2].seq, 4u);
  const std::vector<SeriesSample> recent = series.since(0.35);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].seq, 3u);
  EXPECT_TRUE(series.since(0.5).empty()) << "t > T, not >=";
  ASSERT_TRUE(series.latest().has_value());
  EXPECT_EQ(series.latest()->seq, 4u);
  EXPECT_EQ(*series.latest(), kept[2]);
  EXPECT_EQ(series.last(10), kept) << "no more than are kept";
  const std::vector<SeriesSample> two = series.last(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].seq, 3u);
  EXPECT_EQ(two[1].seq, 4u);
  EXPECT_TRUE(series.last(0).empty());
  EXPECT_EQ(series.dropped(), 2u);
  EXPECT_EQ(SeriesRecorder().capacity(), 6000u);
}

TEST(Series, ReadersOnOtherThreadsSeeWholeSamples) {
  Rig rig(two_directions());
  SeriesRecorder series(50);
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      for (const SeriesSample& s : series.since(-1)) {
        if (s.links.at("ab").at("b_to_a").packets_in != 10) ADD_FAILURE() << "sample " << s.seq;
      }
      (void)series.latest();
    }
  });
  for (int i = 1; i <= 200; ++i) {
    rig.breathe(1);
    series.record(0.1 * i, rig.engine.counters(), kTaps);
  }
  done = true;
  reader.join();
  EXPECT_EQ(series.latest()->seq, 199u);
}

TEST(Series, QueueDelayIsTheMeanWaitOfWhatLeftTheRateQueue) {
  // a -> {rate 8 Mbit/s, burst 1000 bytes} -> b: 10 frames of 1000 bytes at
  // once, one leaves per ms, so frame i waits i ms (breaths every 1 ms).
  Config c;
  c.app<testing::SeqSource>("a", {.size = 1000, .per_pull = 10, .remaining = 10});
  c.app<testing::Recorder>("b");
  DirectionSpec d;
  d.impairments.rate = RateSpec{.rate_bps = 8'000'000, .burst_bytes = 1000};
  add_direction(c, "ab_a_to_b", d, "a.output", "b.input");
  Rig rig(c);
  SeriesRecorder series;
  const DirectionTap tap{"ab", "a_to_b", "ab_a_to_b", "a.output", "b.input"};
  rig.breathe(5);  // 0..4 ms: frames 0..4 leave
  const DirectionSample first = series.record(0.1, rig.engine.counters(), {tap}).links.at("ab").at("a_to_b");
  EXPECT_EQ(first.packets_out, 5u);
  EXPECT_EQ(first.queue, 5u);
  ASSERT_TRUE(first.queue_delay);
  EXPECT_DOUBLE_EQ(*first.queue_delay, 0.002);  // (0 + 1 + 2 + 3 + 4) ms / 5
  rig.breathe(5);                               // 5..9 ms: frames 5..9
  const DirectionSample second = series.record(0.2, rig.engine.counters(), {tap}).links.at("ab").at("a_to_b");
  EXPECT_EQ(second.packets_out, 5u);
  ASSERT_TRUE(second.queue_delay);
  EXPECT_DOUBLE_EQ(*second.queue_delay, 0.007);  // (5 + ... + 9) ms / 5: only this interval's
  rig.breathe(5);
  const DirectionSample quiet = series.record(0.3, rig.engine.counters(), {tap}).links.at("ab").at("a_to_b");
  EXPECT_FALSE(quiet.queue_delay) << "nothing left a queue: no delay to say, not 0";
  // A direction without a queue never has one.
  const SeriesSample other = series.record(0.4, rig.engine.counters(), kTaps);
  EXPECT_FALSE(other.links.at("ab").at("b_to_a").queue_delay);
}

TEST(Series, QueueDelayComesFromTheTimeAndPacketsCountersAlone) {
  const auto counters = [](std::uint64_t dequeued, std::uint64_t wait_ns) {
    EngineCounters c;
    c.apps = {{"ab_a_to_b_rate", "dequeued", CounterKind::packets, Drop::none, dequeued},
              {"ab_a_to_b_rate", "queue_wait_ns", CounterKind::time, Drop::none, wait_ns},
              // Same names, other kinds or another direction's apps: not this queue's.
              {"ab_a_to_b_other", "dequeued", CounterKind::gauge, Drop::none, 1000},
              {"ab_a_to_b_other", "queue_wait_ns", CounterKind::events, Drop::none, 1000},
              {"ab_b_to_a_rate", "dequeued", CounterKind::packets, Drop::none, 7}};
    return c;
  };
  const DirectionTotals totals = direction_totals(counters(4, 8'000'000), kAToB);
  EXPECT_EQ(totals.dequeued, 4u);
  EXPECT_EQ(totals.queue_wait_ns, 8'000'000u);
  EXPECT_FALSE(totals.counts.queue_delay);
  SeriesRecorder series;
  const auto delay = [&](double t, const EngineCounters& c) {
    return series.record(t, c, kTaps).links.at("ab").at("a_to_b").queue_delay;
  };
  EXPECT_EQ(delay(0.1, counters(4, 8'000'000)), 0.002);  // 8 ms over 4, from zero
  EXPECT_EQ(series.latest()->links.at("ab").at("b_to_a").queue_delay, 0.0) << "7 left, no time summed: 0 s";
  EXPECT_EQ(delay(0.2, counters(6, 9'000'000)), 0.0005);        // 1 ms over 2
  EXPECT_EQ(delay(0.3, counters(6, 9'000'000)), std::nullopt);  // none left
  EXPECT_EQ(delay(0.4, counters(2, 6'000'000)), 0.003);         // restarted: 6 ms over 2
}

TEST(Series, JsonAsTheControlApiShowsIt) {
  SeriesSample s;
  s.seq = 12;
  s.t = 1.2;
  s.links["n1-s1"]["a_to_b"] = {.packets_in = 80,
                                .bytes_in = 120000,
                                .packets_out = 76,
                                .bytes_out = 114000,
                                .drops = {{"impairment", 4}},
                                .queue = 3};
  s.links["n1-s1"]["b_to_a"] = {};
  EXPECT_EQ(sample_json(s).dump(),
            R"({"seq":12,"t":1.2,"links":{"n1-s1":{"a_to_b":{"packets_in":80,"bytes_in":120000,"packets_out":76,)"
            R"("bytes_out":114000,"drops":{"impairment":4},"queue":3,"queue_delay":null},)"
            R"("b_to_a":{"packets_in":0,"bytes_in":0,"packets_out":0,"bytes_out":0,"drops":{},"queue":0,)"
            R"("queue_delay":null}}}})");
  s.links["n1-s1"]["a_to_b"].queue_delay = 0.0125;
  EXPECT_EQ(sample_json(s).at("links").at("n1-s1").at("a_to_b").at("queue_delay"), 0.0125);
  const Json series = series_json({s, s}, 100);
  EXPECT_EQ(series.at("interval_ms"), 100);
  ASSERT_EQ(series.at("samples").size(), 2u);
  EXPECT_EQ(series.at("samples")[1], sample_json(s));
  EXPECT_EQ(series_json({}, 100).dump(), R"({"interval_ms":100,"samples":[]})");
  s.t = 10.401558051;  // a steady clock's reading: the answer says milliseconds
  EXPECT_EQ(sample_json(s).at("t").dump(), "10.402");
}

}  // namespace
}  // namespace synnet
