// output_testing.hpp — helpers for the tool-output parser tests: captured
// fixtures and approximate comparison of measured figures.
//
//   std::string out = fixture("ping_all_replies.txt");    // tests/harness/measure/fixtures/<name>
//   EXPECT_TRUE(Is(m.rtt_avg, 0.000064));                  // present and equal up to rounding
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>

namespace synnet::testing {

inline std::string fixture(const std::string& name) {
  const std::string path = std::string(SYNNET_SOURCE_DIR) + "/tests/harness/measure/fixtures/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `actual` is present and equal to `expected` up to rounding (unit
// conversions divide by 1000, so exact decimal values are not exact doubles).
inline ::testing::AssertionResult Is(const std::optional<double>& actual, double expected) {
  if (!actual) return ::testing::AssertionFailure() << "absent, expected " << expected;
  if (std::fabs(*actual - expected) <= 1e-12 * std::fabs(expected) || *actual == expected) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << std::setprecision(17) << *actual << ", expected " << expected;
}

}  // namespace synnet::testing
