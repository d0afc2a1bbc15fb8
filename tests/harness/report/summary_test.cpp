// summary_test.cpp — engine_summary: what the engine did on one link, in
// wire packets, with the drops and errors by their kind (not their name).
#include "harness/report/summary.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

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
