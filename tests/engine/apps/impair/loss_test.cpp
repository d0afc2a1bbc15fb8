#include "engine/apps/impair/loss.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impairment_rig.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

// Runs `n` decisions of a Loss app in a tiny engine (no packets involved).
struct Decisions {
  std::uint64_t lost = 0, bursts = 0;
};

Decisions decide(LossSpec spec, std::uint64_t n, std::uint64_t seed = 1) {
  ManualClock clock;
  Engine e({.packets = 64, .seed = seed, .clock = &clock, .log = nullptr});
  Config c;
  c.app<Loss>("loss", spec);
  e.configure(c);
  Loss& loss = *e.app_as<Loss>("loss");
  Decisions d;
  bool last = false;
  for (std::uint64_t i = 0; i < n; ++i) {
    const bool lost = loss.lose_next();
    d.lost += lost;
    d.bursts += lost && !last;
    last = lost;
  }
  return d;
}

// |k - n p| within the 99.9% normal approximation of the binomial interval.
void expect_in_binomial_interval(std::uint64_t k, std::uint64_t n, double p) {
  const double mean = static_cast<double>(n) * p, sd = std::sqrt(static_cast<double>(n) * p * (1 - p));
  EXPECT_LE(std::abs(static_cast<double>(k) - mean), 3.29 * sd) << k << " of " << n << " at p = " << p;
}

TEST(Loss, RandomRatiosFallInTheirBinomialIntervals) {
  for (const double ratio : {0.001, 0.01, 0.1, 0.5}) {
    expect_in_binomial_interval(decide({.ratio = ratio}, 1'000'000).lost, 1'000'000, ratio);
  }
  EXPECT_EQ(decide({.ratio = 0}, 100'000).lost, 0u);
  EXPECT_EQ(decide({.ratio = 1}, 100'000).lost, 100'000u);
}

TEST(Loss, ThroughTheEngineEveryPacketIsAccountedFor) {
  ManualClock clock;
  Engine e({.packets = 4096, .seed = 5, .clock = &clock, .log = nullptr});
  Config c;
  c.app<Source>("src", {.sizes_bytes = {100}, .burst_packets = 1000});
  c.app<Loss>("loss", {.ratio = 0.02});
  c.app<Sink>("sink");
  c.link("src.output -> loss.input").link("loss.output -> sink.input");
  e.configure(c);
  for (int i = 0; i < 500; ++i) e.breathe();
  const auto k = e.counters();
  const std::uint64_t in = k.link("src.output -> loss.input").rxpackets;
  EXPECT_EQ(in, 500'000u);
  EXPECT_EQ(in, k.link("loss.output -> sink.input").txpackets + k.at("loss", "dropped_loss"));
  expect_in_binomial_interval(k.at("loss", "dropped_loss"), in, 0.02);
}

TEST(Loss, GilbertElliottBurstsLastOneOverRPackets) {
  const double p = 0.01, r = 0.25;
  const std::uint64_t n = 2'000'000;
  const Decisions d = decide({.model = LossModel::kGilbertElliott, .p = p, .r = r}, n);
  const double mean_burst = static_cast<double>(d.lost) / static_cast<double>(d.bursts);
  // Burst lengths are geometric (mean 1/r, variance (1-r)/r²): 5 standard errors.
  const double se = std::sqrt((1 - r) / (r * r) / static_cast<double>(d.bursts));
  EXPECT_NEAR(mean_burst, 1 / r, 5 * se) << d.bursts << " bursts";
  EXPECT_NEAR(static_cast<double>(d.lost) / static_cast<double>(n), p / (p + r), 0.002);
}

TEST(Loss, Markov4LossRatioMatchesItsStationaryDistribution) {
  const LossSpec spec{.model = LossModel::kMarkov4, .p13 = 0.02, .p31 = 0.3, .p32 = 0.4, .p23 = 0.2, .p14 = 0.01};
  // Stationary distribution of the 4-state chain, by power iteration.
  const double P[4][4] = {{1 - spec.p13 - spec.p14, 0, spec.p13, spec.p14},
                          {0, 1 - spec.p23, spec.p23, 0},
                          {spec.p31, spec.p32, 1 - spec.p31 - spec.p32, 0},
                          {1, 0, 0, 0}};
  std::array<double, 4> pi{1, 0, 0, 0};
  for (int it = 0; it < 10'000; ++it) {
    std::array<double, 4> next{};
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) next[j] += pi[i] * P[i][j];
    pi = next;
  }
  const double expected = pi[2] + pi[3];  // lost in states 3 and 4
  const std::uint64_t n = 2'000'000;
  const double measured = static_cast<double>(decide(spec, n).lost) / static_cast<double>(n);
  EXPECT_NEAR(measured, expected, 0.05 * expected) << "stationary loss " << expected;
}

TEST(Loss, TheSameSeedGivesTheSameDecisions) {
  EXPECT_EQ(decide({.ratio = 0.3}, 10'000, 42).lost, decide({.ratio = 0.3}, 10'000, 42).lost);
  EXPECT_NE(decide({.ratio = 0.3}, 10'000, 42).lost, decide({.ratio = 0.3}, 10'000, 43).lost);
}

// ---- A loss ratio from a trace ----------------------------------------------

ValueTrace loss_trace(std::vector<ValueTrace::Point> points) {
  return ValueTrace{.points = std::move(points), .shape = TraceShape::kStep, .loop = false, .name = "loss.csv"};
}

struct LossTraceTest : testing::ImpairmentRig<Loss> {
  LossTraceTest() : ImpairmentRig("loss", 3, 20'000) {}
  // How many frames sent in [from, until) reached the recorder.
  std::uint64_t delivered_sent_in(Time from, Time until) {
    std::uint64_t n = 0;
    for (const std::uint64_t seq : rec().seqs) n += src().sent_at[seq] >= from && src().sent_at[seq] < until;
    return n;
  }
  std::uint64_t sent_in(Time from, Time until) {
    return static_cast<std::uint64_t>(
        std::count_if(src().sent_at.begin(), src().sent_at.end(), [&](Time t) { return t >= from && t < until; }));
  }
};

TEST_F(LossTraceTest, TheRatioFollowsASteppedTrace) {
  // None lost for 10 ms, all for the next 10 ms, then none again.
  build({.trace = loss_trace({{0, 0}, {10'000, 1}, {20'000, 0}})}, {.per_pull = 10, .remaining = 3000});
  run(100us, Time{30ms});
  ASSERT_EQ(sent_in(Time{0}, Time{30ms}), 3000u);
  EXPECT_EQ(delivered_sent_in(Time{0}, Time{10ms}), 1000u);
  EXPECT_EQ(delivered_sent_in(Time{10ms}, Time{20ms}), 0u);
  EXPECT_EQ(delivered_sent_in(Time{20ms}, Time{30ms}), 1000u);
  EXPECT_EQ(counter("loss", "dropped_loss"), 1000u);
}

TEST_F(LossTraceTest, IntermediateRatiosFallInTheirBinomialIntervals) {
  build({.trace = loss_trace({{0, 0.2}, {10'000, 0.7}, {20'000, 0.05}})}, {.per_pull = 500, .remaining = 150'000});
  run(100us, Time{30ms});
  for (const auto& [from, until, ratio] :
       {std::tuple{Time{0}, Time{10ms}, 0.2}, std::tuple{Time{10ms}, Time{20ms}, 0.7},
        std::tuple{Time{20ms}, Time{30ms}, 0.05}}) {
    const std::uint64_t n = sent_in(from, until);
    ASSERT_EQ(n, 50'000u);
    expect_in_binomial_interval(n - delivered_sent_in(from, until), n, ratio);
  }
}

TEST(LossSpec, ATraceInsteadOfARatio) {
  const auto message = [](const LossSpec& s) {
    try {
      s.validate();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const ValueTrace ok = loss_trace({{0, 0.5}, {1000, 1}});
  EXPECT_EQ(message({.trace = ok}), "no error");
  EXPECT_EQ(message({.ratio = 0.1, .trace = ok}), "ratio: must be 0 with a trace (the trace gives the ratio)");
  EXPECT_EQ(message({.model = LossModel::kGilbertElliott, .p = 0.1, .trace = ok}),
            "trace: only the random model follows a trace, not gilbert_elliott");
  EXPECT_EQ(message({.trace = loss_trace({{0, 0.5}, {1000, 1.5}})}), "trace loss.csv: 1.5 is not in [0, 1]");
  EXPECT_EQ(message({.trace = loss_trace({})}).rfind("trace loss.csv:", 0), 0u);
}

TEST(LossSpec, BadValuesAreRejectedNotClamped) {
  const auto message = [](const LossSpec& s) {
    try {
      s.validate();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({.ratio = 1.5}), "ratio: 1.5 is not in [0, 1]");
  EXPECT_EQ(message({.ratio = -0.1}).rfind("ratio:", 0), 0u);
  EXPECT_EQ(message({.ratio = std::nan("")}).rfind("ratio:", 0), 0u);
  EXPECT_EQ(message({.model = LossModel::kRandom, .p = 0.1}), "p: belongs to the gilbert_elliott model, not random");
  EXPECT_EQ(message({.model = LossModel::kMarkov4, .p13 = 0.7, .p14 = 0.5}), "p13: p13 + p14 must not exceed 1");
  EXPECT_EQ(message({.model = LossModel::kGilbertElliott, .p = 0.1, .r = 0.5}), "no error");
}

}  // namespace
}  // namespace synnet
