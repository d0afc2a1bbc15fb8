#include "engine/apps/impair/latency.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "engine/apps/impair/effects.hpp"
#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impairment_rig.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
using testing::SeqSource;
using testing::SeqSourceSpec;

struct LatencyTest : testing::ImpairmentRig<Latency> {
  LatencyTest() : ImpairmentRig("lat", 1, 200'000) {}
};

// An I/O app that takes `read_takes` to read its one frame from a socket
// (the clock moves on during its pull), and notes when it had the frame.
struct SlowReaderSpec {
  ManualClock* clock = nullptr;
  Duration read_takes{0};
  bool operator==(const SlowReaderSpec&) const = default;
};
class SlowReader final : public App {
 public:
  using Spec = SlowReaderSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  SlowReader(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec) {}
  void pull() override {
    if (read_at) return;
    spec_.clock->advance(spec_.read_takes);
    read_at = spec_.clock->now();
    Packet* p = pool().allocate();
    p->length = 100;
    output()->transmit(p);
  }
  std::optional<Time> read_at;

 private:
  Spec spec_;
};

// The delay counts from after the pulls that read the frame, not from the
// breath's start: a frame read 300 us into a breath still waits 5 ms whole
// (a podman container's ping measured 79.983 ms for 2 x 40 ms before).
TEST_F(LatencyTest, TheDelayCountsFromWhenTheFrameWasRead) {
  Config c;
  c.app<SlowReader>("src", {.clock = &clock, .read_takes = 300us})
      .app<Latency>("lat", {.delay_us = 5000})
      .app<Recorder>("rec");
  c.link("src.output -> lat.input").link("lat.output -> rec.input");
  engine.configure(c);
  run(10us, Time{10ms});
  const std::optional<Time> read_at = engine.app_as<SlowReader>("src")->read_at;
  ASSERT_TRUE(read_at.has_value());
  ASSERT_EQ(rec().times.size(), 1u);
  EXPECT_GE(rec().times[0] - *read_at, Duration{5ms});
  EXPECT_LE(rec().times[0] - *read_at, Duration{5ms} + 10us) << "released in the first breath after its due time";
}

TEST_F(LatencyTest, APacketLeavesExactlyAtItsDueTime) {
  build({.delay_us = 5000}, {.remaining = 1});
  engine.breathe();  // t = 0: sent and queued
  clock.set(Time{4999us});
  engine.breathe();
  EXPECT_TRUE(rec().times.empty()) << "released a microsecond early";
  clock.set(Time{5000us});
  engine.breathe();
  ASSERT_EQ(rec().times.size(), 1u);
  EXPECT_EQ(rec().times[0] - src().sent_at[0], 5000us);
}

TEST_F(LatencyTest, OrderIsKeptAndTheQueueGrowsWithTheLoad) {
  // 100 frames per breath every 10 us for 1 ms of delay: ~10,000 in flight.
  build({.delay_us = 1000}, {.per_pull = 100, .remaining = 50'000});
  std::uint64_t most_queued = 0;
  for (int i = 0; i < 700; ++i) {
    engine.breathe();
    most_queued = std::max(most_queued, counter("lat", "queued"));
    clock.advance(10us);
  }
  EXPECT_GE(most_queued, 10'000u);
  ASSERT_EQ(rec().seqs.size(), 50'000u);
  for (std::size_t i = 0; i < rec().seqs.size(); ++i) {
    ASSERT_EQ(rec().seqs[i], i) << "out of order";
    ASSERT_EQ(rec().times[i] - src().sent_at[i], 1000us) << "frame " << i;
  }
  EXPECT_EQ(counter("lat", "dropped_queue_full"), 0u);
}

TEST_F(LatencyTest, ALimitDropsAndCounts) {
  build({.delay_us = 1000, .limit_packets = 30}, {.per_pull = 50, .remaining = 50});
  engine.breathe();
  EXPECT_EQ(counter("lat", "queued"), 30u);
  EXPECT_EQ(counter("lat", "dropped_queue_full"), 20u);
  clock.advance(1ms);
  engine.breathe();
  // Conservation: in = out + dropped + queued.
  EXPECT_EQ(engine.counters().link("src.output -> lat.input").rxpackets,
            engine.counters().link("lat.output -> rec.input").txpackets + counter("lat", "dropped_queue_full") +
                counter("lat", "queued"));
  EXPECT_EQ(rec().seqs.size(), 30u);
}

TEST_F(LatencyTest, ReconfigureKeepsQueuedPacketsAndTheirDueTimes) {
  build({.delay_us = 10'000}, {.remaining = 1});
  engine.breathe();  // frame 0 due at 10 ms
  Config next;
  next.app<SeqSource>("src", {.remaining = 1}).app<Latency>("lat", {.delay_us = 1000}).app<Recorder>("rec");
  next.link("src.output -> lat.input").link("lat.output -> rec.input");
  Latency* before = engine.app_as<Latency>("lat");
  engine.configure(next);  // the source is unchanged (kept); Latency is reconfigured in place
  EXPECT_EQ(engine.app_as<Latency>("lat"), before);
  src().add(1);
  EXPECT_EQ(counter("lat", "queued"), 1u);
  clock.set(Time{2ms});
  engine.breathe();  // the new frame (due at 3 ms) may not pass the old one (due at 10 ms)
  clock.set(Time{3ms});
  engine.breathe();
  EXPECT_TRUE(rec().seqs.empty()) << "a later frame overtook a queued one";
  clock.set(Time{10ms});
  engine.breathe();
  EXPECT_EQ(rec().seqs.size(), 2u);
}

TEST_F(LatencyTest, StopFreesHeldPackets) {
  build({.delay_us = 1'000'000}, {.per_pull = 10, .remaining = 10});
  engine.breathe();
  EXPECT_EQ(engine.pool().in_use(), 10u);
  engine.configure(Config{});
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

// ---- A delay from a trace ---------------------------------------------------

ValueTrace trace_of(std::vector<ValueTrace::Point> points, TraceShape shape, bool loop) {
  return ValueTrace{.points = std::move(points), .shape = shape, .loop = loop, .name = "rtt.csv"};
}

// Each frame's departure: its arrival plus the trace's delay then, but never
// before the frame ahead of it (FIFO).
void expect_trace_delays(const std::vector<Time>& sent, const std::vector<std::uint64_t>& seqs,
                         const std::vector<Time>& times, const ValueTrace& trace) {
  ASSERT_EQ(seqs.size(), sent.size());
  Time previous{0};
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    ASSERT_EQ(seqs[i], i) << "out of order";
    const auto at_us =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(sent[i]).count());
    const Time due = std::max(previous, sent[i] + std::chrono::microseconds(std::llround(trace.at(at_us))));
    ASSERT_EQ(times[i], due) << "frame " << i << " sent at " << at_us << " us";
    previous = due;
  }
}

TEST_F(LatencyTest, ADelayFollowsASteppedTraceThatLoops) {
  // 1 ms for 10 ms, then 3 ms for 10 ms, again and again.
  const ValueTrace t = trace_of({{0, 1000}, {10'000, 3000}, {20'000, 0}}, TraceShape::kStep, true);
  build({.trace = t}, {.remaining = 600});
  run(100us, Time{70ms});
  ASSERT_EQ(rec().seqs.size(), 600u);
  EXPECT_EQ(rec().times[0], Time{1ms});
  EXPECT_EQ(rec().times[150], Time{15ms + 3ms}) << "sent at 15 ms";
  EXPECT_EQ(rec().times[250], Time{25ms + 1ms}) << "sent at 25 ms: the trace looped";
  EXPECT_EQ(rec().times[350], Time{35ms + 3ms});
  expect_trace_delays(src().sent_at, rec().seqs, rec().times, t);
}

TEST_F(LatencyTest, ADelayFollowsALinearTrace) {
  // From 1 ms to 11 ms over the first 10 ms, then 11 ms (the last value: no loop).
  const ValueTrace t = trace_of({{0, 1000}, {10'000, 11'000}}, TraceShape::kLinear, false);
  build({.trace = t}, {.remaining = 200});
  run(100us, Time{40ms});
  ASSERT_EQ(rec().seqs.size(), 200u);
  for (std::size_t i = 0; i < 100; ++i) ASSERT_EQ(rec().times[i], 2 * src().sent_at[i] + 1ms) << "frame " << i;
  for (std::size_t i = 100; i < 200; ++i) ASSERT_EQ(rec().times[i], src().sent_at[i] + 11ms) << "frame " << i;
  expect_trace_delays(src().sent_at, rec().seqs, rec().times, t);
}

TEST_F(LatencyTest, OrderIsKeptWhenATracesDelayFalls) {
  // 10 ms for the first millisecond, then none.
  const ValueTrace t = trace_of({{0, 10'000}, {1'000, 0}}, TraceShape::kStep, false);
  build({.trace = t}, {.remaining = 30});
  run(100us, Time{20ms});
  ASSERT_EQ(rec().seqs.size(), 30u);
  for (std::size_t i = 0; i < 30; ++i) EXPECT_EQ(rec().seqs[i], i);
  // Frames 0..9 (sent at 0..0.9 ms) are due at 10..10.9 ms.
  EXPECT_EQ(rec().times[10], Time{10900us}) << "sent at 1 ms with no delay, behind a frame due at 10.9 ms";
  EXPECT_EQ(rec().times[29], Time{10900us});
  expect_trace_delays(src().sent_at, rec().seqs, rec().times, t);
}

TEST(LatencySpec, TheWorstDelayOfATraceIsItsLargestValue) {
  const auto& row = std::get<Effect<Latency>>(kEffects);
  EXPECT_EQ(row.worst_delay_us({.delay_us = 40'000}), 40'000u);
  EXPECT_EQ(row.worst_delay_us({.trace = trace_of({{0, 1000}, {10, 25'000.5}, {20, 0}}, TraceShape::kLinear, true)}),
            25'001u);
}

TEST(LatencySpec, ATraceInsteadOfADelay) {
  const auto message = [](const LatencySpec& s) {
    try {
      s.validate();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const ValueTrace ok = trace_of({{0, 1000}, {5000, 2000}}, TraceShape::kStep, false);
  EXPECT_EQ(message({.trace = ok}), "no error");
  EXPECT_EQ(message({.delay_us = 5, .trace = ok}), "delay_us: must be 0 with a trace (the trace gives the delay)");
  EXPECT_EQ(message({.trace = trace_of({{0, 4e9}}, TraceShape::kStep, false)}),
            "trace rtt.csv: a delay of more than an hour (3600000000 us)");
  EXPECT_EQ(message({.trace = trace_of({{5, 1}}, TraceShape::kStep, false)}).rfind("trace rtt.csv:", 0), 0u);
}

TEST(LatencySpec, Validation) {
  EXPECT_THROW((LatencySpec{.delay_us = 3'600'000'001ULL}).validate(), std::invalid_argument);
  try {
    (LatencySpec{.delay_us = 1, .limit_packets = 0}).validate();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("limit_packets:", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace synnet
