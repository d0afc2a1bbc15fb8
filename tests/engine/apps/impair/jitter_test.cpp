#include "engine/apps/impair/jitter.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impairment_rig.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
using testing::SeqSource;
using testing::SeqSourceSpec;

struct JitterTest : testing::ImpairmentRig<Jitter> {
  JitterTest() : ImpairmentRig("jit", 11) {}
};

TEST_F(JitterTest, OrderIsPreservedByDefault) {
  // A frame every 100 us, delays 1 ms ± 500 us: without order preservation many would overtake.
  build({.mean_us = 1000, .stddev_us = 500, .distribution = Distribution::kUniform}, {.remaining = 5000});
  run(100us, Time{600ms});
  ASSERT_EQ(rec().seqs.size(), 5000u);
  for (std::size_t i = 0; i < rec().seqs.size(); ++i) ASSERT_EQ(rec().seqs[i], i) << "a frame overtook another";
}

TEST_F(JitterTest, ReorderingHappensOnlyWhenAsked) {
  build({.mean_us = 1000, .stddev_us = 500, .distribution = Distribution::kUniform, .reorder = true},
        {.remaining = 5000});
  run(100us, Time{600ms});
  ASSERT_EQ(rec().seqs.size(), 5000u);
  std::size_t overtaken = 0;
  for (std::size_t i = 1; i < rec().seqs.size(); ++i) overtaken += rec().seqs[i] < rec().seqs[i - 1];
  EXPECT_GT(overtaken, 500u);
}

TEST_F(JitterTest, AddedDelaysHaveTheConfiguredMoments) {
  // Frames 50 ms apart with 5 ms ± 1 ms of jitter never wait for each other,
  // so each measured delay is one draw (to the 10 us step of the clock).
  build({.mean_us = 5000, .stddev_us = 1000, .distribution = Distribution::kNormal}, {.remaining = 0});
  for (int tick = 0; tick < 4000 * 5000 + 2000; ++tick) {  // 10 us ticks; a frame every 50 ms
    if (tick % 5000 == 0 && tick < 4000 * 5000) src().add(1);
    engine.breathe();
    clock.advance(10us);
  }
  ASSERT_EQ(rec().seqs.size(), 4000u);
  double sum = 0, sum2 = 0;
  for (std::size_t i = 0; i < rec().seqs.size(); ++i) {
    const double d = std::chrono::duration<double, std::micro>(rec().times[i] - src().sent_at[rec().seqs[i]]).count();
    sum += d;
    sum2 += d * d;
  }
  const double n = 4000, mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 5000 + 5, 5 * 1000 / std::sqrt(n) + 10);  // + half a clock step on average
  EXPECT_NEAR(sd, 1000, 60);
}

TEST_F(JitterTest, TheSameSeedGivesTheSameDelays) {
  std::vector<Time> first;
  for (int round = 0; round < 2; ++round) {
    clock.set(Time{0});
    engine.configure(Config{});
    build({.mean_us = 1000, .stddev_us = 300, .reorder = true}, {.remaining = 200});
    run(50us, Time{50ms});
    if (round == 0) first = rec().times;
  }
  EXPECT_EQ(rec().times, first);
}

TEST_F(JitterTest, NegativeDrawsAreCountedAsClampedToZero) {
  build({.mean_us = 100, .stddev_us = 1000, .distribution = Distribution::kNormal, .reorder = true},
        {.remaining = 1000});
  run(10us, Time{200ms});
  const auto c = engine.counters();
  EXPECT_GT(c.at("jit", "clamped_to_zero"), 300u);  // P(N(100, 1000) < 0) = 46%
  EXPECT_EQ(c.link("src.output -> jit.input").rxpackets,
            c.link("jit.output -> rec.input").txpackets + c.at("jit", "queued"));
}

TEST(JitterSpec, Validation) {
  EXPECT_THROW((JitterSpec{.mean_us = 0, .stddev_us = 10, .distribution = Distribution::kPareto}).validate(),
               std::invalid_argument);
  EXPECT_NO_THROW((JitterSpec{.mean_us = 10, .stddev_us = 10, .distribution = Distribution::kPareto}).validate());
}

}  // namespace
}  // namespace synnet
