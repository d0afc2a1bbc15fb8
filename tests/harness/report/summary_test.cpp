// summary_test.cpp — describe(DirectionSpec): the one-line text of a
// direction's impairments that logs and reports print, and engine_summary's
// line of what the engine did on a link.
#include "harness/report/summary.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

TEST(Describe, AnEmptyDirectionIsNone) { EXPECT_EQ(describe(DirectionSpec{}), "none"); }

TEST(Describe, EveryEffectInChainOrder) {
  DirectionSpec d;
  ImpairmentSpec& i = d.impairments;
  i.reorder = ReorderSpec{.ratio = 0.25, .delay_us = 1'000};
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
            "jitter 5 ms ± 2 ms, reorder 25%");
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

TEST(EngineSummary, CountsPacketsInAndOutAndNamesEveryDrop) {
  const std::map<std::string, std::uint64_t> counters = {
      {"l0_a.rx_packets", 10},         {"l0_b.tx_packets", 7},       {"l0_a_to_b_loss.dropped_loss", 3},
      {"l0_a_to_b_loss.forwarded", 7}, {"l0_b.rx_packets", 4},       {"l0_a.tx_packets", 4},
      {"l0_b.rx_oversize", 1},         {"l0_a.tx_error_enobufs", 0},
  };
  EXPECT_EQ(engine_summary(counters, "l0"),
            "up 10 packets in, 7 out (loss.dropped_loss 3); down 4 packets in, 4 out (b.rx_oversize 1)");
}

}  // namespace
}  // namespace synnet
