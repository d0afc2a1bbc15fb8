#include "harness/scenario/units.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

std::string error_of(auto parse, std::string_view text) {
  try {
    parse(text);
  } catch (const UnitError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Units, Rates) {
  EXPECT_EQ(parse_rate("10Mbit"), 10'000'000u);
  EXPECT_EQ(parse_rate("1.5Gbit"), 1'500'000'000u);
  EXPECT_EQ(parse_rate("64kbit"), 64'000u);
  EXPECT_EQ(parse_rate("64Kbit"), 64'000u);
  EXPECT_EQ(parse_rate("800bit"), 800u);
  EXPECT_EQ(parse_rate("0.1Tbit"), 100'000'000'000u);
}

TEST(Units, RateErrorsSayWhatToWrite) {
  // The issue's own example.
  EXPECT_EQ(error_of(parse_rate, "10 Mbps"),
            "\"10 Mbps\" is not a rate (try \"10Mbit\"; units: bit, kbit, Mbit, Gbit, Tbit)");
  EXPECT_NE(error_of(parse_rate, "10Mbps").find("try \"10Mbit\""),
            std::string::npos);  // tc's mbps means bytes: say bits
  EXPECT_NE(error_of(parse_rate, "10mbit").find("try \"10Mbit\""), std::string::npos);
  EXPECT_NE(error_of(parse_rate, "1gbps").find("try \"1Gbit\""), std::string::npos);
  EXPECT_EQ(error_of(parse_rate, "10"), "\"10\" is not a rate: it has no unit (try \"10Mbit\")");
  EXPECT_EQ(error_of(parse_rate, "0Mbit"), "\"0Mbit\" is not a rate: it must be above 0");
  EXPECT_EQ(error_of(parse_rate, "Mbit"), "\"Mbit\" is not a rate: it has no number");
  EXPECT_NE(error_of(parse_rate, "0.5bit").find("too many decimal places for bit"), std::string::npos);
  EXPECT_NE(error_of(parse_rate, "-10Mbit"), "no error");
  EXPECT_NE(error_of(parse_rate, "1.2.3Mbit"), "no error");
  EXPECT_NE(error_of(parse_rate, "99999999999999999999Tbit").find("too large"), std::string::npos);
}

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("40ms"), 40'000'000u);
  EXPECT_EQ(parse_duration("250us"), 250'000u);
  EXPECT_EQ(parse_duration("250\xC2\xB5s"), 250'000u);  // µs
  EXPECT_EQ(parse_duration("1.5s"), 1'500'000'000u);
  EXPECT_EQ(parse_duration("7ns"), 7u);
  EXPECT_EQ(parse_duration("0s"), 0u);
  EXPECT_EQ(error_of(parse_duration, "40"), "\"40\" is not a duration: it has no unit (try \"40ms\")");
  EXPECT_NE(error_of(parse_duration, "40 ms").find("try \"40ms\""), std::string::npos);
  EXPECT_NE(error_of(parse_duration, "2sec").find("try \"2s\""), std::string::npos);
  EXPECT_NE(error_of(parse_duration, "1h").find("units: ns, us, ms, s"), std::string::npos);
  EXPECT_NE(error_of(parse_duration, "1.5ns").find("too many decimal places for ns"), std::string::npos);
}

TEST(Units, Percentages) {
  EXPECT_DOUBLE_EQ(parse_percent("2%"), 0.02);
  EXPECT_DOUBLE_EQ(parse_percent("0.1%"), 0.001);
  EXPECT_DOUBLE_EQ(parse_percent("100%"), 1.0);
  EXPECT_DOUBLE_EQ(parse_percent("0%"), 0.0);
  EXPECT_EQ(error_of(parse_percent, "2"), "\"2\" is not a percentage: it has no unit (try \"2%\")");
  EXPECT_EQ(error_of(parse_percent, "150%"), "\"150%\" is not a percentage: it is above 100%");
  EXPECT_NE(error_of(parse_percent, "0.02"), "no error");  // a fraction, not a percentage: never guessed
}

TEST(Units, Bytes) {
  EXPECT_EQ(parse_bytes("64KiB"), 65'536u);
  EXPECT_EQ(parse_bytes("1.5KiB"), 1'536u);
  EXPECT_EQ(parse_bytes("1MB"), 1'000'000u);
  EXPECT_EQ(parse_bytes("1500B"), 1'500u);
  EXPECT_NE(error_of(parse_bytes, "1.1KiB").find("too many decimal places for B"), std::string::npos);
  EXPECT_NE(error_of(parse_bytes, "64k").find("try \"64KiB\""), std::string::npos);
}

// Found by tests/fuzz/units_fuzz.cpp: 30 decimals (the most a number may
// have) times the unit's scale passed 2^128, and "0.8s" written so was refused.
TEST(Units, ThirtyDecimalsAreExact) {
  EXPECT_EQ(parse_duration("0.800000000000000000000000000000s"), 800'000'000u);
  EXPECT_EQ(parse_bytes("0.000000000931322574615478515625GiB"), 1u);  // 2^-30 GiB
  EXPECT_EQ(parse_rate("1.000000000001000000000000000000Tbit"), 1'000'000'000'001u);
  EXPECT_NE(error_of(parse_rate, "1.000000000000100000000000000000Tbit"), "no error") << "a tenth of a bit";
  EXPECT_NE(error_of(parse_duration, "0.1000000000000000000000000000000s"), "no error") << "31 decimals";
}

// Found by tests/fuzz/units_fuzz.cpp: numbers of 64 digits or more came out
// cut to their first 63 ("%.0f" into a 64-byte buffer): 1e70 as a 63-digit number.
TEST(Units, FormatSignificantPrintsHugeNumbersWhole) {
  const std::string e70 = format_significant(1e70, 3);  // the double nearest 1e70, every digit
  EXPECT_EQ(e70.size(), 71u);
  EXPECT_EQ(e70.substr(0, 17), "10000000000000000");
  const std::string max = format_significant(1.7976931348623157e308, 17);
  EXPECT_EQ(max.size(), 309u);
  EXPECT_EQ(max.substr(0, 17), "17976931348623157");
  EXPECT_EQ(format_significant(-8.829012582159248e246, 14).size(), 248u);
}

TEST(Units, FormatBytesUsesPowersOfAThousand) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1'234'000), "1.23 MB");
  EXPECT_EQ(format_bytes(100'000'000), "100 MB");
}

}  // namespace
}  // namespace synnet
