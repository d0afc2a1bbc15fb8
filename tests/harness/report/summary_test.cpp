// summary_test.cpp — describe(DirectionSpec): the one-line text of a
// direction's impairments that logs and reports print, and engine_summary's
// line of what the engine did on a link, in wire packets, with the drops
// and errors by their kind (not their name).
#include "harness/report/summary.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

TEST(Describe, AnEmptyDirectionIsNone) { EXPECT_EQ(describe(DirectionSpec{}), "none"); }

TEST(Describe, EveryEffectInChainOrder) {
  DirectionSpec d;
  ImpairmentSpec& i = d.impairments;
  i.reorder = ReorderSpec{.ratio = 0.25, .delay_us = 1'000};
  i.slot = SlotSpec{.min_us = 10'000, .max_us = 20'000};
  i.jitter = JitterSpec{.mean_us = 5'000, .stddev_us = 2'000};
  i.latency = LatencySpec{.delay_us = 40'000};
  i.rate = RateSpec{.rate_bps = 10'000'000};
  i.duplicate = DuplicateSpec{.ratio = 0.01};
  i.corrupt = CorruptSpec{.ratio = 0.001};
  i.loss = LossSpec{.ratio = 0.05};
  i.outage = OutageSpec{.start_us = 2'000'000, .duration_us = 500'000};
  i.mtu = MtuSpec{.mtu_bytes = 1400};
  EXPECT_EQ(describe(d),
            "mtu 1400, outage 500 ms at 2 s, loss 5%, corrupt 0.1%, duplicate 1%, rate 10 Mbit/s, delay 40 ms, "
            "jitter 5 ms ± 2 ms, slot 10 ms..20 ms, reorder 25%");
}

TEST(Describe, ASlotAndTracesByTheirNames) {
  DirectionSpec d;
  d.impairments.slot = SlotSpec{.min_us = 10'000};
  EXPECT_EQ(describe(d), "slot 10 ms");
  d.impairments.slot = SlotSpec{.distribution = Distribution::kNormal, .mean_us = 10'000, .stddev_us = 2'000};
  EXPECT_EQ(describe(d), "slot 10 ms ± 2 ms");
  d.impairments = {};
  const ValueTrace rtt{.points = {{0, 40'000}}, .shape = TraceShape::kStep, .loop = false, .name = "rtt.csv"};
  const ValueTrace loss{.points = {{0, 0.1}}, .shape = TraceShape::kStep, .loop = false, .name = "loss.csv"};
  d.impairments.latency = LatencySpec{.trace = rtt};
  d.impairments.loss = LossSpec{.trace = loss};
  EXPECT_EQ(describe(d), "loss trace loss.csv, delay trace rtt.csv");
}

TEST(Describe, ALossModelOtherThanRandomIsNamed) {
  DirectionSpec d;
  d.impairments.loss = LossSpec{};
  d.impairments.loss->ratio = 0.1;
  EXPECT_EQ(describe(d), "loss 10%");
  d.impairments.loss = LossSpec{};
  d.impairments.loss->model = LossModel::kGilbertElliott;
  d.impairments.loss->p = 0.01;
  EXPECT_EQ(describe(d), "loss gilbert_elliott");
  d.impairments.loss->model = LossModel::kMarkov4;
  EXPECT_EQ(describe(d), "loss markov4");
}

TEST(Describe, FlowRulesAreCountedNotDescribed) {
  DirectionSpec d;
  d.impairments.latency = LatencySpec{.delay_us = 1'000};
  d.flows.push_back({FlowRule{.output = "", .protocol = 17}, ImpairmentSpec{.loss = LossSpec{.ratio = 0.5}}});
  EXPECT_EQ(describe(d), "delay 1 ms, 1 flow rule");
  d.flows.push_back(d.flows.front());
  EXPECT_EQ(describe(d), "delay 1 ms, 2 flow rules");
  d.impairments = {};
  EXPECT_EQ(describe(d), "2 flow rules");
}

Counter counter(std::string app, std::string name, CounterKind kind, std::uint64_t value, Drop reason = Drop::none) {
  return Counter{std::move(app), std::move(name), kind, reason, value};
}

TEST(EngineSummary, CountsWirePacketsAndListsEachDirectionsDropsErrorsAndAlterations) {
  EngineCounters c;
  c.apps = {
      counter("l0_a", "rx_packets", CounterKind::packets, 10),
      counter("l0_a", "rx_gso_frames", CounterKind::packets, 2),
      counter("l0_a", "rx_gso_segments", CounterKind::packets, 8),
      counter("l0_a", "rx_oversize", CounterKind::drop, 1, Drop::invalid),
      counter("l0_a", "rx_ring", CounterKind::gauge, 1),
      counter("l0_a", "tx_packets", CounterKind::packets, 4),
      counter("l0_a", "tx_error_ENOBUFS", CounterKind::error, 2),
      counter("l0_a_to_b_loss", "dropped_loss", CounterKind::drop, 3, Drop::impairment),
      counter("l0_a_to_b_loss", "loss_bursts", CounterKind::events, 3),
      counter("l0_a_to_b_corrupt", "corrupted", CounterKind::altered, 5),
      counter("l0_a_to_b_corrupt", "forwarded", CounterKind::packets, 12),
      counter("l0_b", "tx_packets", CounterKind::packets, 13),
      counter("l0_b", "tx_kicks", CounterKind::events, 9),
  };
  c.links[LinkSpec::parse("l0_a_to_b_loss.output -> l0_a_to_b_corrupt.input")] = {.txpackets = 13, .txdrop = 1};
  EXPECT_EQ(
      engine_summary(c, "l0"),
      "up 16 packets in, 13 out (a.rx_oversize 1, loss.dropped_loss 3, corrupt.corrupted 5, loss.output txdrop 1); "
      "down 0 packets in, 4 out (a.tx_error_ENOBUFS 2)");
}

TEST(EngineSummary, NothingInParenthesesWithoutDrops) {
  EngineCounters c;
  c.apps = {counter("l0_a", "rx_packets", CounterKind::packets, 3),
            counter("l0_b", "tx_packets", CounterKind::packets, 3),
            counter("l0_a_to_b_loss", "dropped_loss", CounterKind::drop, 0, Drop::impairment)};
  EXPECT_EQ(engine_summary(c, "l0"), "up 3 packets in, 3 out; down 0 packets in, 0 out");
}

}  // namespace
}  // namespace synnet
