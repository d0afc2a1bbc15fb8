#include "engine/clock.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock c(5s);
  EXPECT_EQ(c.now(), Time{5s});
  c.advance(250us);
  EXPECT_EQ(c.now(), Time{5s + 250us});
  c.set(1s);
  EXPECT_EQ(c.now(), Time{1s});
  EXPECT_FALSE(c.real_time());
}

TEST(MonotonicClock, NeverGoesBack) {
  MonotonicClock c;
  Time last = c.now();
  for (int i = 0; i < 1000; ++i) {
    const Time t = c.now();
    EXPECT_GE(t, last);
    last = t;
  }
  EXPECT_TRUE(c.real_time());
}

}  // namespace
}  // namespace synnet
