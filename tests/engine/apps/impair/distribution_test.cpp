// Each distribution has the mean and standard deviation it is given.
#include "engine/apps/impair/distribution.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace synnet {
namespace {

struct Moments {
  double mean, stddev;
};

Moments measure(Distribution d, double mean, double stddev, int n, std::uint64_t seed) {
  Rng rng(seed);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = sample(d, rng, mean, stddev);
    sum += x;
    sum2 += x * x;
  }
  const double m = sum / n;
  return {m, std::sqrt(sum2 / n - m * m)};
}

class DistributionMoments : public ::testing::TestWithParam<const char*> {};

TEST_P(DistributionMoments, MatchMeanAndStddev) {
  const Distribution d = parse_distribution(GetParam());
  const int n = 400'000;
  const Moments m = measure(d, 10'000.0, 2'000.0, n, 7);
  // The sample mean's standard error is stddev/√n = 3.2: allow 5 of them.
  EXPECT_NEAR(m.mean, 10'000.0, 5 * 2'000.0 / std::sqrt(n)) << GetParam();
  // The sample stddev converges more slowly for heavy tails (pareto): 3%.
  EXPECT_NEAR(m.stddev, 2'000.0, 0.03 * 2'000.0) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(All, DistributionMoments, ::testing::Values("uniform", "normal", "pareto", "paretonormal"));

TEST(Distribution, ShapesDiffer) {
  Rng rng(3);
  double lo = 1e18, hi = -1e18;
  for (int i = 0; i < 100'000; ++i) {
    const double x = sample(Distribution::kUniform, rng, 0.0, 1.0);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  EXPECT_GE(lo, -std::sqrt(3.0));
  EXPECT_LE(hi, std::sqrt(3.0));
  EXPECT_LT(lo, -1.7);  // it does reach the edges
  Rng rng2(3);
  double pareto_min = 1e18;
  for (int i = 0; i < 100'000; ++i) pareto_min = std::min(pareto_min, sample(Distribution::kPareto, rng2, 10.0, 2.0));
  EXPECT_GT(pareto_min, 0.0) << "a Pareto delay is never negative";
}

TEST(Distribution, ZeroStddevIsTheMean) {
  Rng rng(1);
  for (const char* name : {"uniform", "normal", "pareto", "paretonormal"}) {
    EXPECT_EQ(sample(parse_distribution(name), rng, 42.0, 0.0), 42.0) << name;
  }
}

TEST(Distribution, UnknownNamesListTheChoices) {
  try {
    parse_distribution("gauss");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("uniform, normal, pareto, paretonormal"), std::string::npos);
  }
}

}  // namespace
}  // namespace synnet
