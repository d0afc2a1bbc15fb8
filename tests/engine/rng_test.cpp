#include "engine/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace synnet {
namespace {

TEST(Rng, SameSeedSameSequence) {
  Rng a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
}

TEST(Rng, DerivedSeedsDependOnSeedAndName) {
  EXPECT_EQ(derive_seed(1, "loss"), derive_seed(1, "loss"));
  EXPECT_NE(derive_seed(1, "loss"), derive_seed(2, "loss"));
  EXPECT_NE(derive_seed(1, "loss"), derive_seed(1, "loss2"));
}

TEST(Rng, UniformIsInRangeWithTheRightMean) {
  Rng r(7);
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // mean of U(0,1) is 0.5, stddev of the mean 1/sqrt(12 n) ≈ 0.00065: 6 sigma
  EXPECT_NEAR(sum / n, 0.5, 0.004);
}

TEST(Rng, BelowStaysBelowAndCoversTheRange) {
  Rng r(9);
  int seen[7] = {};
  for (int i = 0; i < 70000; ++i) {
    const auto x = r.below(7);
    ASSERT_LT(x, 7u);
    ++seen[x];
  }
  for (int count : seen) EXPECT_NEAR(count, 10000, 600);  // > 6 sigma (sigma ≈ 93)
}

}  // namespace
}  // namespace synnet
