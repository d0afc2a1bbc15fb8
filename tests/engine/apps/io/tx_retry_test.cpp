// TxRetry (engine/apps/io/interface.hpp): when an I/O app may send again.
#include <gtest/gtest.h>

#include "engine/apps/io/interface.hpp"

namespace synnet {
namespace {

using std::chrono::milliseconds;

TEST(TxRetry, AfterFailuresWaitsDoublingFromTheFirstWaitUpToTheLast) {
  TxRetry r;
  const Time t{std::chrono::seconds(7)};
  EXPECT_TRUE(r.due(t));
  EXPECT_EQ(r.failed(t), t + milliseconds(1));
  EXPECT_FALSE(r.due(t));
  EXPECT_TRUE(r.due(t + milliseconds(1)));
  EXPECT_EQ(r.failed(t), t + milliseconds(2));
  EXPECT_EQ(r.failed(t), t + milliseconds(4));
  for (int i = 0; i < 10; ++i) r.failed(t);
  EXPECT_EQ(r.failed(t), t + TxRetry::kLast);
  EXPECT_EQ(r.at(), t + TxRetry::kLast);
}

TEST(TxRetry, ASuccessStartsTheWaitsOverAndAResetMakesASendDueAtOnce) {
  TxRetry r;
  const Time t{std::chrono::seconds(7)};
  r.failed(t);
  r.failed(t);
  r.succeeded();
  EXPECT_EQ(r.failed(t), t + TxRetry::kFirst);
  r.failed(t);
  r.reset();
  EXPECT_TRUE(r.due(t));
  EXPECT_EQ(r.failed(t), t + TxRetry::kFirst);
}

TEST(TxRetry, APauseHoldsSendsBackWithoutCountingAFailure) {
  TxRetry r;
  const Time t{std::chrono::seconds(7)};
  EXPECT_EQ(r.pause_until(t + milliseconds(3)), t + milliseconds(3));
  EXPECT_FALSE(r.due(t));
  EXPECT_TRUE(r.due(t + milliseconds(3)));
  EXPECT_EQ(r.failed(t), t + TxRetry::kFirst);
}

}  // namespace
}  // namespace synnet
