#include "engine/apps/impair/aqm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace synnet {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kBacklog = 100'000;  // bytes: well above an MTU

// ---- CoDel ------------------------------------------------------------------

// One head packet leaves every `step` from `from` to `until` (excluded) with
// `sojourn`; a dropped head is replaced by the next at the same time, which
// CoDel must let through. Returns the drop times.
std::vector<Time> codel_run(Codel& codel, Time from, Time until, Duration step, Duration sojourn) {
  std::vector<Time> drops;
  for (Time t = from; t < until; t += step) {
    if (codel.drop_at_dequeue(t, sojourn, kBacklog)) {
      drops.push_back(t);
      EXPECT_FALSE(codel.drop_at_dequeue(t, sojourn, kBacklog)) << "two drops at once at " << t.count() << " ns";
    }
  }
  return drops;
}

TEST(Codel, DropsNothingWhileTheSojournStaysBelowTarget) {
  Codel codel({.discipline = QueueDiscipline::kCodel});
  EXPECT_TRUE(codel_run(codel, Time{0}, Time{10s}, 100us, 4999us).empty());
  EXPECT_FALSE(codel.dropping());
}

TEST(Codel, DropsAfterAnIntervalAboveTargetThenAtIntervalOverSqrtCount) {
  Codel codel({.discipline = QueueDiscipline::kCodel});
  codel_run(codel, Time{0}, Time{1s}, 100us, 1ms);
  const Duration step = 10us;
  const std::vector<Time> drops = codel_run(codel, Time{1s}, Time{2s}, step, 10ms);
  ASSERT_GE(drops.size(), 6u);
  EXPECT_TRUE(codel.dropping());
  EXPECT_EQ(drops[0], Time{1100ms}) << "the first drop comes one interval after the sojourn went above target";
  // drop_next: the first drop + 100 ms, then + 100 ms / sqrt(count) for each drop after it.
  double next_ns = static_cast<double>(Time{1100ms}.count()) + 100e6;
  for (std::size_t k = 1; k < drops.size(); ++k) {
    EXPECT_GE(static_cast<double>(drops[k].count()), next_ns - 1) << "drop " << k;
    EXPECT_LT(static_cast<double>(drops[k].count()), next_ns + static_cast<double>(step.count())) << "drop " << k;
    next_ns += 100e6 / std::sqrt(static_cast<double>(k + 1));
  }
}

TEST(Codel, LeavesTheDroppingStateWhenTheSojournFallsBelowTarget) {
  Codel codel({.discipline = QueueDiscipline::kCodel});
  ASSERT_FALSE(codel_run(codel, Time{0}, Time{500ms}, 100us, 10ms).empty());
  ASSERT_TRUE(codel.dropping());
  EXPECT_TRUE(codel_run(codel, Time{500ms}, Time{2s}, 100us, 4ms).empty());
  EXPECT_FALSE(codel.dropping());
}

TEST(Codel, ASmallBacklogIsNeverDropped) {
  Codel codel({.discipline = QueueDiscipline::kCodel}, 1514);
  for (Time t{0}; t < Time{2s}; t += 100us) ASSERT_FALSE(codel.drop_at_dequeue(t, 50ms, 1514));
}

TEST(Codel, ReenteringSoonStartsFromTheLastDropRate) {
  Codel codel({.discipline = QueueDiscipline::kCodel});
  // An episode of 5 drops (count 5, entered with count 1), then a short pause.
  std::vector<Time> drops = codel_run(codel, Time{0}, Time{420ms}, 10us, 10ms);
  ASSERT_EQ(drops.size(), 5u);
  codel_run(codel, Time{420ms}, Time{450ms}, 10us, 1ms);
  ASSERT_FALSE(codel.dropping());
  // Above target again: one interval, then a drop with count 5 - 1 = 4, so the
  // next comes 100 ms / sqrt(4) = 50 ms later (not 100 ms).
  drops = codel_run(codel, Time{450ms}, Time{700ms}, 10us, 10ms);
  ASSERT_GE(drops.size(), 2u);
  EXPECT_EQ(drops[0], Time{550ms});
  EXPECT_EQ(drops[1], Time{600ms});
}

TEST(Codel, TargetAndIntervalFromTheSpec) {
  Codel codel({.discipline = QueueDiscipline::kCodel, .target_us = 20'000, .interval_us = 50'000});
  EXPECT_TRUE(codel_run(codel, Time{0}, Time{1s}, 100us, 19ms).empty());
  const std::vector<Time> drops = codel_run(codel, Time{1s}, Time{1200ms}, 100us, 21ms);
  ASSERT_FALSE(drops.empty());
  EXPECT_EQ(drops[0], Time{1050ms});
}

// ---- PIE --------------------------------------------------------------------

struct PieRun {
  std::uint64_t arrivals = 0, drops = 0;
};

// A packet arrives every `step` in [from, until) while the queue delay is `delay`.
PieRun pie_run(Pie& pie, Rng& rng, Time from, Time until, Duration step, Duration delay) {
  PieRun r;
  for (Time t = from; t < until; t += step) {
    ++r.arrivals;
    if (pie.drop_at_enqueue(t, delay, kBacklog, 1500, rng)) ++r.drops;
  }
  return r;
}

TEST(Pie, TheProbabilityStaysZeroUnderTarget) {
  Pie pie({.discipline = QueueDiscipline::kPie});
  Rng rng(1);
  EXPECT_EQ(pie_run(pie, rng, Time{0}, Time{10s}, 100us, 14ms).drops, 0u);
  EXPECT_EQ(pie.probability(), 0.0);
}

TEST(Pie, TheProbabilityRisesUnderAStandingDelayAboveTarget) {
  Pie pie({.discipline = QueueDiscipline::kPie});
  Rng rng(1);
  pie_run(pie, rng, Time{0}, Time{1s}, 100us, 30ms);
  const double after_1s = pie.probability();
  EXPECT_GT(after_1s, 0.0);
  const PieRun r = pie_run(pie, rng, Time{1s}, Time{10s}, 100us, 30ms);
  EXPECT_GT(pie.probability(), after_1s);
  EXPECT_GT(r.drops, 0u);
}

TEST(Pie, TheProbabilityDecaysWhenTheQueueEmpties) {
  Pie pie({.discipline = QueueDiscipline::kPie});
  Rng rng(1);
  pie_run(pie, rng, Time{0}, Time{3s}, 100us, 100ms);
  const double congested = pie.probability();
  ASSERT_GT(congested, 0.05);
  pie_run(pie, rng, Time{3s}, Time{4s}, 1ms, 0ms);
  EXPECT_LT(pie.probability(), congested / 2);
  // A long idle spell is caught up lazily, at the next arrival.
  pie.drop_at_enqueue(Time{100s}, 0ms, 0, 1500, rng);
  EXPECT_LT(pie.probability(), 1e-6);
}

TEST(Pie, NoDropDuringTheBurstAllowance) {
  Pie pie({.discipline = QueueDiscipline::kPie, .max_burst_us = 1'000'000});
  Rng rng(1);
  const PieRun burst = pie_run(pie, rng, Time{0}, Time{990ms}, 100us, 100ms);
  EXPECT_GT(pie.probability(), 0.05) << "PIE would drop here without the burst allowance";
  EXPECT_EQ(burst.drops, 0u);
  EXPECT_GT(pie_run(pie, rng, Time{990ms}, Time{1200ms}, 100us, 100ms).drops, 0u);
}

TEST(Pie, DropsArrivalsWithItsProbability) {
  Pie pie({.discipline = QueueDiscipline::kPie});
  Rng rng(7);
  pie_run(pie, rng, Time{0}, Time{2s}, 1ms, 60ms);
  const double p = pie.probability();
  ASSERT_GT(p, 0.05);
  ASSERT_LT(p, 0.95);
  // Arrivals at one instant: no update in between, p is fixed.
  constexpr int n = 200'000;
  int drops = 0;
  for (int i = 0; i < n; ++i) drops += pie.drop_at_enqueue(Time{2s}, 60ms, kBacklog, 1500, rng) ? 1 : 0;
  const double sigma = std::sqrt(p * (1 - p) / n);
  EXPECT_NEAR(static_cast<double>(drops) / n, p, 5 * sigma);
}

TEST(Pie, NoDropWithABacklogOfTwoPacketsOrLess) {
  Pie pie({.discipline = QueueDiscipline::kPie});
  Rng rng(1);
  pie_run(pie, rng, Time{0}, Time{3s}, 100us, 100ms);
  ASSERT_GT(pie.probability(), 0.05);
  for (int i = 0; i < 10'000; ++i) ASSERT_FALSE(pie.drop_at_enqueue(Time{3s}, 100ms, 2 * 1514, 1500, rng));
}

// ---- AqmSpec ----------------------------------------------------------------

std::string error_of(const AqmSpec& s) {
  try {
    s.validate();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(AqmSpec, Validation) {
  EXPECT_EQ(error_of({}), "");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kCodel, .target_us = 1, .interval_us = 2}), "");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kPie, .target_us = 1, .max_burst_us = 2}), "");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kDropTail, .target_us = 5000}),
            "target_us: belongs to the codel and pie disciplines, not droptail");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kPie, .interval_us = 5000}),
            "interval_us: belongs to the codel discipline, not pie");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kCodel, .max_burst_us = 5000}),
            "max_burst_us: belongs to the pie discipline, not codel");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kDropTail, .max_burst_us = 5000}),
            "max_burst_us: belongs to the pie discipline, not droptail");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kCodel, .target_us = 3'600'000'001ULL}),
            "target_us: 3600000001 is more than an hour");
  EXPECT_EQ(error_of({.discipline = QueueDiscipline::kCodel, .interval_us = 3'600'000'001ULL}),
            "interval_us: 3600000001 is more than an hour");
  EXPECT_STREQ(queue_discipline_name(QueueDiscipline::kDropTail), "droptail");
  EXPECT_STREQ(queue_discipline_name(QueueDiscipline::kCodel), "codel");
  EXPECT_STREQ(queue_discipline_name(QueueDiscipline::kPie), "pie");
}

}  // namespace
}  // namespace synnet
