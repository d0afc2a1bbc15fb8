// expectations_test.cpp — check_expectations (every figure, bounds, absent
// figures, exit codes), loss_bound_warning's numbers, and format_*.
#include "harness/measure/expectations.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "harness/scenario/units.hpp"

namespace synnet {
namespace {

Bound at_most(double max) { return Bound{.min = std::nullopt, .max = max, .text = "ignored"}; }
Bound at_least(double min) { return Bound{.min = min, .max = std::nullopt, .text = "ignored"}; }
Bound between(double min, double max) { return Bound{.min = min, .max = max, .text = "ignored"}; }

// ---- formatting ------------------------------------------------------------

TEST(FormatPercent, ThreeSignificantDigits) {
  EXPECT_EQ(format_percent(0.0512), "5.12%");
  EXPECT_EQ(format_percent(0.112), "11.2%");
  EXPECT_EQ(format_percent(0.11249), "11.2%");
  EXPECT_EQ(format_percent(0.11251), "11.3%");
  EXPECT_EQ(format_percent(1.0 / 3), "33.3%");
  EXPECT_EQ(format_percent(0.004), "0.4%");
  EXPECT_EQ(format_percent(0.0001234), "0.0123%");
  EXPECT_EQ(format_percent(0.05), "5%");
  EXPECT_EQ(format_percent(0.03), "3%");
  EXPECT_EQ(format_percent(0.07), "7%");
}

TEST(FormatPercent, EdgesAndRoundingUp) {
  EXPECT_EQ(format_percent(0), "0%");
  EXPECT_EQ(format_percent(1), "100%");
  EXPECT_EQ(format_percent(0.99996), "100%");
  EXPECT_EQ(format_percent(0.099996), "10%");
  EXPECT_EQ(format_percent(-0.0), "0%");
}

TEST(FormatRate, Prefixes) {
  EXPECT_EQ(format_rate(0), "0 bit/s");
  EXPECT_EQ(format_rate(1), "1 bit/s");
  EXPECT_EQ(format_rate(500), "500 bit/s");
  EXPECT_EQ(format_rate(1500), "1.5 kbit/s");
  EXPECT_EQ(format_rate(64'000), "64 kbit/s");
  EXPECT_EQ(format_rate(9.54e6), "9.54 Mbit/s");
  EXPECT_EQ(format_rate(9.5449e6), "9.54 Mbit/s");
  EXPECT_EQ(format_rate(20e6), "20 Mbit/s");
  EXPECT_EQ(format_rate(123'456'789), "123 Mbit/s");
  EXPECT_EQ(format_rate(1.25e9), "1.25 Gbit/s");
  EXPECT_EQ(format_rate(40e9), "40 Gbit/s");
  EXPECT_EQ(format_rate(2e12), "2 Tbit/s");
}

TEST(FormatRate, RoundingCrossesToTheNextPrefix) {
  EXPECT_EQ(format_rate(999.4), "999 bit/s");
  EXPECT_EQ(format_rate(999.6), "1 kbit/s");
  EXPECT_EQ(format_rate(999'600), "1 Mbit/s");
  EXPECT_EQ(format_rate(999'400), "999 kbit/s");
  EXPECT_EQ(format_rate(999.96e6), "1 Gbit/s");
}

TEST(FormatSeconds, Units) {
  EXPECT_EQ(format_seconds(0), "0 s");
  EXPECT_EQ(format_seconds(1e-9), "1 ns");
  EXPECT_EQ(format_seconds(5e-7), "500 ns");
  EXPECT_EQ(format_seconds(2.5e-5), "25 us");
  EXPECT_EQ(format_seconds(1.234e-4), "123 us");
  EXPECT_EQ(format_seconds(0.0803), "80.3 ms");
  EXPECT_EQ(format_seconds(0.1), "100 ms");
  EXPECT_EQ(format_seconds(1.0), "1 s");
  EXPECT_EQ(format_seconds(2.1), "2.1 s");
  EXPECT_EQ(format_seconds(3.2), "3.2 s");
  EXPECT_EQ(format_seconds(12.34), "12.3 s");
  EXPECT_EQ(format_seconds(120), "120 s");
  EXPECT_EQ(format_seconds(1234.6), "1235 s");  // never rounds away whole seconds
}

TEST(FormatSeconds, RoundingCrossesToTheNextUnit) {
  EXPECT_EQ(format_seconds(0.0009996), "1 ms");
  EXPECT_EQ(format_seconds(0.99996), "1 s");
  EXPECT_EQ(format_seconds(999.6e-9), "1 us");
  EXPECT_EQ(format_seconds(0.0009994), "999 us");
}

// ---- check_expectations --------------------------------------------------------

TEST(Expectations, NothingExpectedNothingChecked) {
  Measurement m;
  m.loss = 0.5;
  m.exit_code = 1;
  EXPECT_TRUE(check_expectations({}, m, /*is_exec=*/false).empty());
}

TEST(Expectations, EveryFigureInOrder) {
  Expectations e;
  e.loss = at_most(0.01);
  e.throughput = at_least(9e6);
  e.rtt_min = at_least(0.079);
  e.rtt_avg = between(0.079, 0.09);
  e.rtt_max = at_most(0.1);
  e.rtt_mdev = at_most(0.002);
  e.jitter = at_most(5e-4);
  e.gap = between(2.8, 3.4);
  e.exit_code = 0;
  Measurement m;
  m.loss = 0.004;
  m.throughput = 9.54e6;
  m.rtt_min = 0.0795;
  m.rtt_avg = 0.0803;
  m.rtt_max = 0.0812;
  m.rtt_mdev = 0.0004;
  m.jitter = 2.5e-5;
  m.gap = 3.2;
  m.exit_code = 0;
  const std::vector<Check> checks = check_expectations(e, m, false);
  ASSERT_EQ(checks.size(), 9u);
  const std::vector<std::vector<std::string>> want = {
      {"loss", "<= 1%", "0.4%"},           {"throughput", ">= 9 Mbit/s", "9.54 Mbit/s"},
      {"rtt_min", ">= 79 ms", "79.5 ms"},  {"rtt_avg", "79 ms .. 90 ms", "80.3 ms"},
      {"rtt_max", "<= 100 ms", "81.2 ms"}, {"rtt_mdev", "<= 2 ms", "400 us"},
      {"jitter", "<= 500 us", "25 us"},    {"gap", "2.8 s .. 3.4 s", "3.2 s"},
      {"exit_code", "== 0", "0"},
  };
  for (std::size_t i = 0; i < checks.size(); ++i) {
    SCOPED_TRACE(want[i][0]);
    EXPECT_EQ(checks[i].figure, want[i][0]);
    EXPECT_EQ(checks[i].expected, want[i][1]);
    EXPECT_EQ(checks[i].measured, want[i][2]);
    EXPECT_TRUE(checks[i].pass);
    EXPECT_TRUE(checks[i].warning.empty()) << checks[i].warning;
  }
  EXPECT_EQ(checks[0].value, 0.004);
  EXPECT_EQ(checks[1].value, 9.54e6);
  EXPECT_EQ(checks[7].value, 3.2);
  EXPECT_EQ(checks[8].value, 0.0);
}

// One bounded figure: which Expectations field, which Measurement field.
struct Figure {
  const char* name;
  std::function<void(Expectations&, Bound)> expect;
  std::function<void(Measurement&, double)> measure;
};

std::vector<Figure> bounded_figures() {
  return {
      {"loss", [](Expectations& e, Bound b) { e.loss = b; }, [](Measurement& m, double v) { m.loss = v; }},
      {"throughput", [](Expectations& e, Bound b) { e.throughput = b; },
       [](Measurement& m, double v) { m.throughput = v; }},
      {"rtt_min", [](Expectations& e, Bound b) { e.rtt_min = b; }, [](Measurement& m, double v) { m.rtt_min = v; }},
      {"rtt_avg", [](Expectations& e, Bound b) { e.rtt_avg = b; }, [](Measurement& m, double v) { m.rtt_avg = v; }},
      {"rtt_max", [](Expectations& e, Bound b) { e.rtt_max = b; }, [](Measurement& m, double v) { m.rtt_max = v; }},
      {"rtt_mdev", [](Expectations& e, Bound b) { e.rtt_mdev = b; }, [](Measurement& m, double v) { m.rtt_mdev = v; }},
      {"jitter", [](Expectations& e, Bound b) { e.jitter = b; }, [](Measurement& m, double v) { m.jitter = v; }},
      {"gap", [](Expectations& e, Bound b) { e.gap = b; }, [](Measurement& m, double v) { m.gap = v; }},
  };
}

// Checks one figure against `bound` with the measured `value` (absent: not set).
Check check_one(const Figure& f, const Bound& bound, std::optional<double> value, const std::string& error = "") {
  Expectations e;
  f.expect(e, bound);
  Measurement m;
  if (value) f.measure(m, *value);
  m.error = error;
  const std::vector<Check> checks = check_expectations(e, m, false);
  EXPECT_EQ(checks.size(), 1u) << f.name;
  return checks.empty() ? Check{} : checks[0];
}

TEST(Expectations, EveryFigureMinOnlyMaxOnlyBothInclusive) {
  for (const Figure& f : bounded_figures()) {
    SCOPED_TRACE(f.name);
    // Values chosen so each is a plausible figure: 0.25 is 25% loss, 0.25 bit/s, 250 ms.
    const double lo = 0.25, hi = 0.5;
    for (const Bound& b : {at_least(lo), at_most(hi), between(lo, hi)}) {
      const bool has_min = b.min.has_value(), has_max = b.max.has_value();
      EXPECT_EQ(check_one(f, b, lo).figure, f.name);
      EXPECT_TRUE(check_one(f, b, lo).pass) << "min is inclusive";
      EXPECT_TRUE(check_one(f, b, hi).pass) << "max is inclusive";
      EXPECT_TRUE(check_one(f, b, 0.375).pass);
      EXPECT_EQ(check_one(f, b, 0.2499).pass, !has_min);
      EXPECT_EQ(check_one(f, b, 0.5001).pass, !has_max);
      EXPECT_EQ(check_one(f, b, 0.0).pass, !has_min);
      EXPECT_EQ(check_one(f, b, 1e9).pass, !has_max);
    }
  }
}

TEST(Expectations, CheckCarriesTheBoundInBaseUnits) {
  for (const Figure& f : bounded_figures()) {
    SCOPED_TRACE(f.name);
    const Check both = check_one(f, between(0.25, 0.5), 0.3);
    EXPECT_EQ(both.min, 0.25);
    EXPECT_EQ(both.max, 0.5);
    const Check min_only = check_one(f, at_least(0.125), 0.3);
    EXPECT_EQ(min_only.min, 0.125);
    EXPECT_FALSE(min_only.max);
    const Check max_only = check_one(f, at_most(0.75), std::nullopt);  // also when not measured
    EXPECT_FALSE(max_only.min);
    EXPECT_EQ(max_only.max, 0.75);
  }
  const Check unbounded = check_one(bounded_figures()[0], Bound{}, 0.3);
  EXPECT_FALSE(unbounded.min);
  EXPECT_FALSE(unbounded.max);
  // The units are the scenario's: 90 ms is 0.09 s, "5%" 0.05.
  Expectations e;
  e.rtt_avg = Bound{.min = std::nullopt, .max = static_cast<double>(parse_duration("90ms")) / 1e9, .text = ""};
  e.loss = Bound{.min = std::nullopt, .max = parse_percent("5%"), .text = ""};
  const std::vector<Check> checks = check_expectations(e, {}, false);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_DOUBLE_EQ(*checks[0].max, 0.05);
  EXPECT_DOUBLE_EQ(*checks[1].max, 0.09);
}

TEST(Expectations, BoundsInclusiveForValuesComputedDifferently) {
  // 5 lost of 100 and 3 of 60 against "5%" as parsed from the scenario.
  const Bound five{.min = std::nullopt, .max = parse_percent("5%"), .text = "<= 5%"};
  const Figure loss = bounded_figures()[0];
  EXPECT_TRUE(check_one(loss, five, 5.0 / 100).pass);
  EXPECT_TRUE(check_one(loss, five, 3.0 / 60).pass);
  EXPECT_TRUE(check_one(loss, five, 1 - 0.95).pass);  // 0.050000000000000044
  EXPECT_FALSE(check_one(loss, five, 0.0501).pass);
  const Bound seven{.min = parse_percent("3%"), .max = parse_percent("7%"), .text = "3%..7%"};
  EXPECT_TRUE(check_one(loss, seven, 0.3 / 10).pass);
  EXPECT_TRUE(check_one(loss, seven, 0.7 / 10).pass);
  const Bound ms{.min = std::nullopt, .max = static_cast<double>(parse_duration("90ms")) / 1e9, .text = ""};
  EXPECT_TRUE(check_one(bounded_figures()[3], ms, 0.09).pass);
}

TEST(Expectations, ExpectedTextIsBuiltFromTheNumbersNotTheUsersText) {
  const Figure loss = bounded_figures()[0];
  EXPECT_EQ(check_one(loss, between(0.03, 0.07), 0.05).expected, "3% .. 7%");
  EXPECT_EQ(check_one(loss, at_most(0.01), 0).expected, "<= 1%");
  EXPECT_EQ(check_one(loss, at_least(1.0), 1).expected, ">= 100%");
  EXPECT_EQ(check_one(loss, between(0.05, 0.05), 0.05).expected, "== 5%");
  EXPECT_EQ(check_one(loss, at_most(0.001234), 0).expected, "<= 0.1234%");  // a bound keeps its digits
  EXPECT_EQ(check_one(loss, Bound{}, 0.3).expected, "any");
  EXPECT_TRUE(check_one(loss, Bound{}, 0.3).pass);
  EXPECT_EQ(check_one(bounded_figures()[1], at_least(9e6), 1e7).expected, ">= 9 Mbit/s");
  EXPECT_EQ(check_one(bounded_figures()[1], between(19.5e6, 20.25e6), 2e7).expected, "19.5 Mbit/s .. 20.25 Mbit/s");
  EXPECT_EQ(check_one(bounded_figures()[3], at_most(0.09), 0.08).expected, "<= 90 ms");
  EXPECT_EQ(check_one(bounded_figures()[6], at_most(250e-6), 0).expected, "<= 250 us");
}

TEST(Expectations, FailureShowsTheMeasuredValue) {
  const Figure loss = bounded_figures()[0];
  const Check c = check_one(loss, between(0.03, 0.07), 0.112);
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.measured, "11.2%");
  EXPECT_EQ(c.value, 0.112);
  const Check low = check_one(loss, between(0.03, 0.07), 0.01);
  EXPECT_FALSE(low.pass);
  EXPECT_EQ(low.measured, "1%");
}

TEST(Expectations, FailureJustPastTheBoundGetsEnoughDigitsToSeeWhy) {
  const Figure loss = bounded_figures()[0];
  const Check above = check_one(loss, at_most(0.07), 0.07004);
  EXPECT_FALSE(above.pass);
  EXPECT_EQ(above.measured, "7.004%");
  const Check below = check_one(bounded_figures()[1], at_least(9e6), 8.99987e6);
  EXPECT_FALSE(below.pass);
  EXPECT_EQ(below.measured, "8.9999 Mbit/s");
  // A pass at the bound needs no extra digits.
  EXPECT_EQ(check_one(loss, at_most(0.07), 0.0699999999).measured, "7%");
}

TEST(Expectations, NotMeasuredFailsWithAndWithoutError) {
  for (const Figure& f : bounded_figures()) {
    SCOPED_TRACE(f.name);
    const Check plain = check_one(f, at_most(1), std::nullopt);
    EXPECT_FALSE(plain.pass);
    EXPECT_EQ(plain.measured, "not measured");
    EXPECT_FALSE(plain.value.has_value());
    const Check why = check_one(f, at_least(0), std::nullopt, "iperf3: unable to connect");
    EXPECT_FALSE(why.pass);
    EXPECT_EQ(why.measured, "not measured (iperf3: unable to connect)");
  }
}

TEST(Expectations, ExecChecksExitCodeZeroByDefault) {
  Measurement m;
  m.exit_code = 0;
  std::vector<Check> checks = check_expectations({}, m, /*is_exec=*/true);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].figure, "exit_code");
  EXPECT_EQ(checks[0].expected, "== 0");
  EXPECT_EQ(checks[0].measured, "0");
  EXPECT_EQ(checks[0].value, 0.0);
  EXPECT_EQ(checks[0].min, 0.0);
  EXPECT_EQ(checks[0].max, 0.0);
  EXPECT_TRUE(checks[0].pass);

  m.exit_code = 1;
  checks = check_expectations({}, m, true);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].pass);
  EXPECT_EQ(checks[0].measured, "1");
  EXPECT_EQ(checks[0].value, 1.0);
}

TEST(Expectations, ExecExitCodeAsExpected) {
  Expectations e;
  e.exit_code = 3;
  Measurement m;
  m.exit_code = 3;
  std::vector<Check> checks = check_expectations(e, m, true);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].expected, "== 3");
  EXPECT_EQ(checks[0].min, 3.0);
  EXPECT_EQ(checks[0].max, 3.0);
  EXPECT_TRUE(checks[0].pass);
  m.exit_code = 0;
  checks = check_expectations(e, m, true);
  EXPECT_FALSE(checks[0].pass);
  EXPECT_EQ(checks[0].measured, "0");
}

TEST(Expectations, ExecKilledBySignalHasNoExitCodeAndFails) {
  Measurement m;
  m.error = "killed by signal 9 (SIGKILL) at its deadline";
  const std::vector<Check> checks = check_expectations({}, m, true);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].pass);
  EXPECT_EQ(checks[0].measured, "not measured (killed by signal 9 (SIGKILL) at its deadline)");
  EXPECT_FALSE(checks[0].value.has_value());
  m.error.clear();
  EXPECT_EQ(check_expectations({}, m, true)[0].measured, "not measured");
}

TEST(Expectations, ToolExitCodeOnlyWhenAsked) {
  Measurement m;
  m.exit_code = 1;
  EXPECT_TRUE(check_expectations({}, m, /*is_exec=*/false).empty());
  Expectations e;
  e.exit_code = 1;
  const std::vector<Check> checks = check_expectations(e, m, false);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].pass);
  EXPECT_EQ(checks[0].expected, "== 1");
}

TEST(Expectations, LossCheckCarriesTheBoundWarning) {
  Expectations e;
  e.loss = at_most(0.01);
  Measurement m;
  m.loss = 0;
  m.packets_sent = 20;
  m.packets_received = 20;
  std::vector<Check> checks = check_expectations(e, m, false);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].pass);
  EXPECT_EQ(checks[0].warning, "loss bound <= 1% rests on 20 packets: one lost packet is 5%; use at least 100 packets");
  m.packets_sent = 100;
  EXPECT_EQ(check_expectations(e, m, false)[0].warning, "");
  m.packets_sent = 0;  // not counted: no warning
  EXPECT_EQ(check_expectations(e, m, false)[0].warning, "");
  // Only the loss check warns.
  e.rtt_avg = at_most(0.1);
  m.packets_sent = 20;
  m.rtt_avg = 0.05;
  checks = check_expectations(e, m, false);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_NE(checks[0].warning, "");
  EXPECT_EQ(checks[1].warning, "");
}

// ---- loss_bound_warning ---------------------------------------------------------

TEST(LossBoundWarning, OnePacketWorthMoreThanTheBound) {
  EXPECT_EQ(loss_bound_warning(at_most(0.01), 20),
            "loss bound <= 1% rests on 20 packets: one lost packet is 5%; use at least 100 packets");
  EXPECT_EQ(loss_bound_warning(at_most(0.01), 99),
            "loss bound <= 1% rests on 99 packets: one lost packet is 1.01%; use at least 100 packets");
  EXPECT_EQ(loss_bound_warning(at_most(0.01), 100), std::nullopt);
  EXPECT_EQ(loss_bound_warning(at_most(0.01), 1'000'000), std::nullopt);
  EXPECT_EQ(loss_bound_warning(at_most(0.003), 10),
            "loss bound <= 0.3% rests on 10 packets: one lost packet is 10%; use at least 334 packets");
  EXPECT_EQ(loss_bound_warning(at_most(0.003), 334), std::nullopt);
  EXPECT_EQ(loss_bound_warning(at_most(0.003), 333).has_value(), true);
}

TEST(LossBoundWarning, OnePacket) {
  EXPECT_EQ(loss_bound_warning(at_most(0.5), 1),
            "loss bound <= 50% rests on 1 packet: one lost packet is 100%; use at least 2 packets");
}

TEST(LossBoundWarning, MinOnlyIsMeasuredFromItUpToAll) {
  // ">= 1%": the width is 99%, one packet of 2 is fine.
  EXPECT_EQ(loss_bound_warning(at_least(0.01), 2), std::nullopt);
  EXPECT_EQ(loss_bound_warning(at_least(0.01), 1),
            "loss bound >= 1% rests on 1 packet: one lost packet is 100%; use at least 2 packets");
  EXPECT_EQ(loss_bound_warning(at_least(0.9), 9),
            "loss bound >= 90% rests on 9 packets: one lost packet is 11.1%; use at least 10 packets");
}

TEST(LossBoundWarning, BinomialSpreadWiderThanTheBound) {
  // p = 5%: 2 sqrt(0.05 * 0.95 / 50) = 6.16%, more than half the width (2%).
  // It fits from n = 4 * 0.0475 / 0.02^2 = 475 on.
  EXPECT_EQ(loss_bound_warning(between(0.03, 0.07), 50),
            "loss bound 3% .. 7% rests on 50 packets: the binomial spread (±6.16% at 5%) is wider than the bound; "
            "use at least 475 packets");
  EXPECT_TRUE(loss_bound_warning(between(0.03, 0.07), 474).has_value());
  EXPECT_EQ(loss_bound_warning(between(0.03, 0.07), 475), std::nullopt);
  // As parsed from the scenario file.
  EXPECT_EQ(loss_bound_warning(between(parse_percent("3%"), parse_percent("7%")), 475), std::nullopt);
  EXPECT_TRUE(loss_bound_warning(between(parse_percent("3%"), parse_percent("7%")), 474).has_value());
}

TEST(LossBoundWarning, BothReasonsAndTheLargerCount) {
  EXPECT_EQ(loss_bound_warning(between(0.03, 0.07), 20),
            "loss bound 3% .. 7% rests on 20 packets: one lost packet is 5%, and the binomial spread (±9.75% at 5%) "
            "is wider than the bound; use at least 475 packets");
  // 1% .. 2%: a packet needs n >= 100, the spread n >= 4 * 0.015 * 0.985 / 0.005^2 = 2364.
  EXPECT_EQ(loss_bound_warning(between(0.01, 0.02), 50),
            "loss bound 1% .. 2% rests on 50 packets: one lost packet is 2%, and the binomial spread (±3.44% at 1.5%) "
            "is wider than the bound; use at least 2364 packets");
}

TEST(LossBoundWarning, ExactClaimsNeverWarn) {
  EXPECT_EQ(loss_bound_warning(at_most(0), 1), std::nullopt);
  EXPECT_EQ(loss_bound_warning(at_most(0), 10), std::nullopt);
  EXPECT_EQ(loss_bound_warning(at_least(1), 5), std::nullopt);
  EXPECT_EQ(loss_bound_warning(between(0, 0), 5), std::nullopt);
  EXPECT_EQ(loss_bound_warning(between(1, 1), 5), std::nullopt);
}

TEST(LossBoundWarning, ZeroWidthElsewhereHoldsOnlyByChance) {
  EXPECT_EQ(loss_bound_warning(between(0.05, 0.05), 1000),
            "loss bound == 5% rests on 1000 packets: a bound of zero width holds only by chance; give it a range");
}

TEST(LossBoundWarning, ExactTiesHoldDespiteRounding) {
  // 1 - 0.8 is 0.19999999999999996 in binary; one packet of 5 is 0.2 and fits.
  EXPECT_EQ(loss_bound_warning(at_least(0.8), 5), std::nullopt);
  EXPECT_TRUE(loss_bound_warning(at_least(0.8), 4).has_value());
  // 40% .. 60%: 2 sqrt(0.25 / 100) = 10%, exactly half the width.
  EXPECT_EQ(loss_bound_warning(between(0.4, 0.6), 100), std::nullopt);
  EXPECT_EQ(loss_bound_warning(between(0.4, 0.6), 99),
            "loss bound 40% .. 60% rests on 99 packets: the binomial spread (±10.1% at 50%) is wider than the bound; "
            "use at least 100 packets");
}

TEST(LossBoundWarning, NotCountedIsNoWarning) {
  EXPECT_EQ(loss_bound_warning(at_most(0.01), 0), std::nullopt);
  EXPECT_EQ(loss_bound_warning(between(0.05, 0.05), 0), std::nullopt);
}

// The count a warning names is the smallest that silences it.
TEST(LossBoundWarning, CountNamedIsTheSmallestThatWouldDo) {
  const std::vector<Bound> bounds = {at_most(0.01),       at_most(0.001),    at_most(0.25),         at_least(0.5),
                                     between(0.03, 0.07), between(0.2, 0.3), between(0.001, 0.002), between(0.45, 0.55),
                                     between(0.0, 0.5),   between(0.9, 1.0), between(0.049, 0.051)};
  for (const Bound& b : bounds) {
    const std::optional<std::string> w = loss_bound_warning(b, 1);
    ASSERT_TRUE(w.has_value());
    SCOPED_TRACE(*w);
    const std::size_t at = w->rfind("use at least ");
    ASSERT_NE(at, std::string::npos);
    const std::uint64_t needed = std::stoull(w->substr(at + 13));
    ASSERT_GT(needed, 1u);
    EXPECT_EQ(loss_bound_warning(b, needed), std::nullopt);
    EXPECT_TRUE(loss_bound_warning(b, needed - 1).has_value());
    EXPECT_EQ(loss_bound_warning(b, needed + 1), std::nullopt);
    EXPECT_EQ(loss_bound_warning(b, 10 * needed), std::nullopt);
    // Every warning on the way names the same count.
    const std::optional<std::string> w2 = loss_bound_warning(b, needed - 1);
    ASSERT_TRUE(w2.has_value());
    EXPECT_EQ(w2->substr(w2->rfind("use at least ")), w->substr(at));
  }
}

}  // namespace
}  // namespace synnet
