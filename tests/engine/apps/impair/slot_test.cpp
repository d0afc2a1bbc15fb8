#include "engine/apps/impair/slot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/apps/impair/effects.hpp"
#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impairment_rig.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

struct SlotTest : testing::ImpairmentRig<Slot> {
  SlotTest() : ImpairmentRig("slot", 1, 20'000) {}

  // Breathes at each time the engine asks for (exact slot starts) until `until`.
  void run_to_wakeups(Time until) {
    while (clock.now() <= until) {
      engine.breathe();
      const Time next = engine.next_wakeup();
      if (next == kNever) break;
      clock.set(std::max(next, clock.now() + 1ns));
    }
  }
  // The distinct departure times (the slots' starts) and how many left at each.
  std::vector<std::pair<Time, std::size_t>> bursts() {
    std::vector<std::pair<Time, std::size_t>> out;
    for (const Time t : rec().times) {
      if (out.empty() || out.back().first != t) out.emplace_back(t, 0);
      ++out.back().second;
    }
    return out;
  }
  void expect_in_order() {
    for (std::size_t i = 0; i < rec().seqs.size(); ++i) ASSERT_EQ(rec().seqs[i], i) << "out of order";
  }
};

TEST_F(SlotTest, PacketsLeaveOnlyAtSlotStarts) {
  build({.min_us = 10'000}, {.remaining = 500});  // a frame every 100 us for 50 ms
  run(100us, Time{70ms});
  ASSERT_EQ(rec().seqs.size(), 500u);
  expect_in_order();
  for (std::size_t i = 0; i < rec().seqs.size(); ++i) {
    const Time sent = src().sent_at[i];
    // The first slot start after its arrival: slots start every 10 ms.
    const Time slot = (sent / 10ms + 1) * 10ms;
    ASSERT_EQ(rec().times[i], slot) << "frame " << i << " sent at " << sent.count() << " ns";
  }
  EXPECT_EQ(counter("slot", "slots"), 5u);
  EXPECT_EQ(counter("slot", "forwarded"), 500u);
  EXPECT_EQ(counter("slot", "queued"), 0u);
}

TEST_F(SlotTest, ASlotReleasesAtMostItsPackets) {
  build({.min_us = 10'000, .packets = 10}, {.per_pull = 25, .remaining = 25});
  run(100us, Time{50ms});
  expect_in_order();
  const std::vector<std::pair<Time, std::size_t>> expected = {{Time{10ms}, 10}, {Time{20ms}, 10}, {Time{30ms}, 5}};
  EXPECT_EQ(bursts(), expected);
}

TEST_F(SlotTest, ASlotReleasesAtMostItsBytesButAlwaysItsFirstPacket) {
  build({.min_us = 10'000, .bytes = 1000}, {.size = 300, .per_pull = 10, .remaining = 10});
  run(100us, Time{50ms});
  expect_in_order();
  const std::vector<std::pair<Time, std::size_t>> three_a_slot = {
      {Time{10ms}, 3}, {Time{20ms}, 3}, {Time{30ms}, 3}, {Time{40ms}, 1}};
  EXPECT_EQ(bursts(), three_a_slot);
}

TEST_F(SlotTest, APacketLargerThanTheBytesStillGoesOneASlot) {
  build({.min_us = 10'000, .bytes = 100}, {.size = 300, .per_pull = 3, .remaining = 3});
  run(100us, Time{50ms});
  const std::vector<std::pair<Time, std::size_t>> one_a_slot = {{Time{10ms}, 1}, {Time{20ms}, 1}, {Time{30ms}, 1}};
  EXPECT_EQ(bursts(), one_a_slot);
}

TEST_F(SlotTest, AnIdleSlotMakesANewArrivalWaitAWholeSlot) {
  build({.min_us = 10'000}, {.remaining = 1});
  run(100us, Time{30ms});
  ASSERT_EQ(rec().times.size(), 1u);
  EXPECT_EQ(rec().times[0], Time{10ms});
  src().add(1);  // arrives at 30.1 ms, long after the slot at 10 ms
  run(100us, Time{60ms});
  ASSERT_EQ(rec().times.size(), 2u);
  EXPECT_EQ(rec().times[1] - src().sent_at[1], 10ms);
}

TEST_F(SlotTest, UniformSlotTimesStayInTheirRangeWithTheirMean) {
  constexpr std::size_t n = 2000;
  build({.min_us = 5000, .max_us = 15'000, .packets = 1}, {.per_pull = 1000, .remaining = n});
  run_to_wakeups(Time{100s});
  ASSERT_EQ(rec().times.size(), n);
  expect_in_order();
  double sum = 0;
  for (std::size_t i = 1; i < n; ++i) {
    const Duration gap = rec().times[i] - rec().times[i - 1];
    ASSERT_GE(gap, 5ms);
    ASSERT_LE(gap, 15ms);
    sum += static_cast<double>(gap.count());
  }
  const double sd = 10e6 / std::sqrt(12.0);  // ns
  EXPECT_NEAR(sum / (n - 1), 10e6, 4 * sd / std::sqrt(n - 1.0));
}

TEST_F(SlotTest, SlotTimesFromADistributionHaveItsMean) {
  constexpr std::size_t n = 2000;
  build({.distribution = Distribution::kNormal, .mean_us = 10'000, .stddev_us = 2000, .packets = 1},
        {.per_pull = 1000, .remaining = n});
  run_to_wakeups(Time{100s});
  ASSERT_EQ(rec().times.size(), n);
  expect_in_order();
  double sum = 0, sum2 = 0;
  for (std::size_t i = 1; i < n; ++i) {
    const double gap = static_cast<double>((rec().times[i] - rec().times[i - 1]).count());
    sum += gap;
    sum2 += gap * gap;
  }
  const double mean = sum / (n - 1), stddev = std::sqrt(sum2 / (n - 1) - mean * mean);
  EXPECT_NEAR(mean, 10e6, 4 * 2e6 / std::sqrt(n - 1.0));
  EXPECT_NEAR(stddev, 2e6, 0.2e6);
}

TEST_F(SlotTest, ALimitDropsAndCounts) {
  build({.min_us = 10'000, .limit_packets = 5}, {.per_pull = 8, .remaining = 8});
  engine.breathe();
  EXPECT_EQ(counter("slot", "queued"), 5u);
  EXPECT_EQ(counter("slot", "dropped_queue_full"), 3u);
  run(100us, Time{20ms});
  EXPECT_EQ(rec().seqs.size(), 5u);
}

TEST_F(SlotTest, ReconfigureKeepsHeldPacketsAndDrawsTheNextSlotAnew) {
  build({.min_us = 1'000'000}, {.per_pull = 5, .remaining = 5});
  engine.breathe();  // 5 held, the next slot at 1 s
  clock.set(Time{2ms});
  Config next;
  next.app<testing::SeqSource>("src", {.per_pull = 5, .remaining = 5})
      .app<Slot>("slot", {.min_us = 10'000})
      .app<testing::Recorder>("rec");
  next.link("src.output -> slot.input").link("slot.output -> rec.input");
  Slot* before = engine.app_as<Slot>("slot");
  engine.configure(next);
  EXPECT_EQ(engine.app_as<Slot>("slot"), before);
  EXPECT_EQ(counter("slot", "queued"), 5u);
  run(100us, Time{20ms});
  ASSERT_EQ(rec().times.size(), 5u);
  EXPECT_EQ(rec().times[0], Time{12ms});
  expect_in_order();
}

TEST_F(SlotTest, StopFreesHeldPackets) {
  build({.min_us = 1'000'000}, {.per_pull = 10, .remaining = 10});
  engine.breathe();
  EXPECT_EQ(engine.pool().in_use(), 10u);
  engine.configure(Config{});
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

TEST(SlotSpec, TheWorstDelayIsTheLongestSlot) {
  const auto& row = std::get<Effect<Slot>>(kEffects);
  EXPECT_EQ(row.worst_delay_us({.min_us = 10'000}), 10'000u);
  EXPECT_EQ(row.worst_delay_us({.min_us = 10'000, .max_us = 20'000}), 20'000u);
  EXPECT_EQ(row.worst_delay_us({.distribution = Distribution::kNormal, .mean_us = 10'000, .stddev_us = 2'000}),
            18'000u);
}

TEST(SlotSpec, Validation) {
  const auto message = [](const SlotSpec& s) {
    try {
      s.validate();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({.min_us = 10}), "no error");
  EXPECT_EQ(message({.min_us = 10, .max_us = 20, .packets = 3, .bytes = 1500}), "no error");
  EXPECT_EQ(message({.distribution = Distribution::kNormal, .mean_us = 10, .stddev_us = 2}), "no error");
  EXPECT_EQ(message({}), "min_us: must be above 0");
  EXPECT_EQ(message({.min_us = 20, .max_us = 10}), "max_us: 10 is below min_us (20)");
  EXPECT_EQ(message({.min_us = 3'600'000'001ULL}), "min_us: 3600000001 is more than an hour");
  EXPECT_EQ(message({.min_us = 10, .mean_us = 5}),
            "mean_us: needs a distribution (without one, slots are uniform in [min_us, max_us])");
  EXPECT_EQ(message({.min_us = 10, .distribution = Distribution::kNormal, .mean_us = 5}),
            "min_us: must be 0 with a distribution (it draws from mean_us and stddev_us)");
  EXPECT_EQ(message({.distribution = Distribution::kNormal}), "mean_us: a distribution needs a mean above 0");
  EXPECT_EQ(message({.min_us = 10, .limit_packets = 0}), "limit_packets: must be at least 1");
}

}  // namespace
}  // namespace synnet
