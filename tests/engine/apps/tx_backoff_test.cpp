// TxBackoff (engine/apps/io/interface.hpp): when an I/O app tries a failed send again.
#include <gtest/gtest.h>

#include "engine/apps/io/interface.hpp"

namespace synnet {
namespace {

using std::chrono::milliseconds;

TEST(TxBackoff, DoublesFromTheFirstWaitUpToTheLastAndStartsOverAfterAReset) {
  TxBackoff b;
  const Time t{std::chrono::seconds(7)};
  EXPECT_EQ(b.after_error(t), t + milliseconds(1));
  EXPECT_EQ(b.after_error(t), t + milliseconds(2));
  EXPECT_EQ(b.after_error(t), t + milliseconds(4));
  for (int i = 0; i < 10; ++i) b.after_error(t);
  EXPECT_EQ(b.after_error(t), t + TxBackoff::kLast);
  b.reset();
  EXPECT_EQ(b.after_error(t), t + TxBackoff::kFirst);
}

}  // namespace
}  // namespace synnet
