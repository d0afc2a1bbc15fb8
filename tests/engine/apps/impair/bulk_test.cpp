// Bulk mode's promise: Loss, Rate and Mtu act per wire packet when packets are
// GSO super-frames. Loss decides per wire packet (the same wire packets as when
// they arrive one by one) and cuts; Rate charges by wire packets and cuts
// where only some may go; Mtu judges the wire packets' size.
#include <gtest/gtest.h>

#include <set>

#include "engine/apps/impair/loss.hpp"
#include "engine/apps/impair/mtu.hpp"
#include "engine/apps/impair/rate.hpp"
#include "engine/engine.hpp"
#include "tests/engine/gso_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::SuperFrame;

// Sends `count` TCPv4 super-frames, one per pull, frame k starting at TCP
// sequence number k * 1,000,000; with `cut`, each as its wire packets instead.
struct GsoSourceSpec {
  SuperFrame shape;
  std::uint32_t count = 1;
  bool cut = false;
  bool operator==(const GsoSourceSpec&) const = default;
};

class GsoSource final : public App {
 public:
  using Spec = GsoSourceSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  GsoSource(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec) {}
  void pull() override {
    if (sent_ == spec_.count) return;
    SuperFrame sf = spec_.shape;
    sf.first_seq = sent_++ * 1'000'000;
    Packet* p = pool().allocate();
    sf.build(*p);
    if (!gso_parse(*p)) throw std::logic_error("GsoSource: gso_parse refused its frame");
    if (!spec_.cut) {
      output()->transmit(p);
      return;
    }
    for (std::uint32_t i = 0; i < wire_packets(*p); ++i) output()->transmit(gso_segment(*p, i, pool()));
    pool().free(p);
  }

 private:
  Spec spec_;
  std::uint32_t sent_ = 0;
};

// Takes everything; records the TCP sequence number of every wire packet that
// arrived (a whole super-frame's too), checks the checksums of plain frames.
class WireRecorder final : public App {
 public:
  using Spec = GsoSourceSpec;  // the shape of what arrives
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {}); }
  WireRecorder(AppContext& ctx, const Spec& spec) : App(ctx), shape_(spec.shape) {}
  void push() override {
    while (!input()->empty()) {
      Packet* p = input()->receive();
      const std::uint32_t seq = testing::get32(p->data + shape_.l4() + 4);
      if (wire_packets(*p) > 1) {
        ++super_frames;
        for (std::uint32_t i = 0; i < wire_packets(*p); ++i) seqs.insert(seq + i * p->offload.gso_size);
      } else {
        testing::expect_valid_checksums(*p, shape_);
        seqs.insert(seq);
      }
      times.push_back(now());
      pool().free(p);
    }
  }
  std::set<std::uint32_t> seqs;
  std::vector<Time> times;
  std::uint64_t super_frames = 0;

 private:
  SuperFrame shape_;
};

struct Bulk : ::testing::Test {
  ManualClock clock;
  std::optional<Engine> engine;

  // src -> app (named "x") -> rec, one breath every `step` until `until`.
  template <class A>
  void run(const typename A::Spec& spec, const GsoSourceSpec& source, Duration step = 1us, Time until = Time{1ms}) {
    engine.reset();
    clock.set(Time{0});
    engine.emplace(EngineOptions{.packets = 4096, .seed = 7, .clock = &clock, .log = nullptr});
    Config c;
    c.app<GsoSource>("src", source).template app<A>("x", spec).template app<WireRecorder>("rec", source);
    c.link("src.output -> x.input").link("x.output -> rec.input");
    engine->configure(c);
    while (clock.now() <= until) {
      engine->breathe();
      clock.advance(step);
    }
  }
  std::uint64_t counter(const std::string& app, const std::string& name) { return engine->counters().at(app, name); }
  WireRecorder& rec() { return *engine->app_as<WireRecorder>("rec"); }
};

const SuperFrame k4x1000{.payload = 4000, .gso_size = 1000, .first_seq = 0};  // 4 wire packets of 1066 bytes

TEST_F(Bulk, LossLosesTheSameWirePacketsWhetherTheyArriveWholeOrCut) {
  const GsoSourceSpec whole{.shape = k4x1000, .count = 500};
  GsoSourceSpec cut = whole;
  cut.cut = true;
  run<Loss>({.ratio = 0.3}, cut, 1us, Time{2ms});
  const std::set<std::uint32_t> one_by_one = rec().seqs;
  const std::uint64_t lost_one_by_one = counter("x", "dropped_loss");
  run<Loss>({.ratio = 0.3}, whole, 1us, Time{2ms});
  EXPECT_EQ(rec().seqs, one_by_one);
  EXPECT_EQ(counter("x", "dropped_loss"), lost_one_by_one);
  EXPECT_NEAR(static_cast<double>(lost_one_by_one), 0.3 * 2000, 100) << "counted in wire packets";
  EXPECT_EQ(counter("x", "forwarded") + counter("x", "dropped_loss"), 2000u) << "wire packets are conserved";
  EXPECT_EQ(rec().seqs.size(), counter("x", "forwarded"));
  EXPECT_GT(counter("x", "segmented"), 0u);
  EXPECT_GT(rec().super_frames, 0u) << "(0.7)^4 of them lose nothing and stay whole";
  EXPECT_EQ(engine->pool().in_use(), 0u);
}

TEST_F(Bulk, LossWithNothingOrEverythingLostNeverCuts) {
  run<Loss>({.ratio = 0}, {.shape = k4x1000, .count = 10});
  EXPECT_EQ(rec().super_frames, 10u);
  EXPECT_EQ(counter("x", "forwarded"), 40u);
  run<Loss>({.ratio = 1}, {.shape = k4x1000, .count = 10});
  EXPECT_EQ(counter("x", "dropped_loss"), 40u);
  EXPECT_EQ(counter("x", "loss_bursts"), 1u);
  EXPECT_EQ(counter("x", "segmented"), 0u);
  EXPECT_TRUE(rec().seqs.empty());
}

TEST_F(Bulk, RateChargesEveryWirePacketWithItsHeadersAndOverhead) {
  // 8 Mbit/s = 1 byte/us. A super-frame stands for 4 x 1066 bytes on the wire,
  // plus 4 x 24 of overhead: 4360 us each, not the 4066 + 24 its length suggests.
  run<Rate>({.rate_bps = 8'000'000, .burst_bytes = 4360, .overhead_bytes = 24}, {.shape = k4x1000, .count = 5}, 1us,
            Time{30ms});
  ASSERT_EQ(rec().times.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(rec().times[i], Time{std::chrono::microseconds(4360 * i)}) << i;
  EXPECT_EQ(counter("x", "forwarded"), 20u);
  EXPECT_EQ(counter("x", "segmented"), 0u) << "a shaper sends super-frames whole";
}

TEST_F(Bulk, APolicerLetsThroughTheWirePacketsTheBucketHolds) {
  // The bucket holds two wire packets (2 x 1090 bytes with overhead) of the four.
  run<Rate>({.rate_bps = 8'000, .burst_bytes = 2180, .overhead_bytes = 24, .mode = RateMode::kPolicer},
            {.shape = k4x1000, .count = 1});
  EXPECT_EQ(rec().seqs, (std::set<std::uint32_t>{0, 1000}));
  EXPECT_EQ(counter("x", "forwarded"), 2u);
  EXPECT_EQ(counter("x", "dropped_policed"), 2u);
  EXPECT_EQ(counter("x", "segmented"), 1u);
  EXPECT_EQ(engine->pool().in_use(), 0u);
}

TEST_F(Bulk, AShaperQueueTakesTheWirePacketsThatFit) {
  // 3000 bytes of queue: two 1066-byte wire packets fit, the other two are tail-dropped.
  run<Rate>({.rate_bps = 8'000'000, .burst_bytes = 1066, .queue_bytes = 3000}, {.shape = k4x1000, .count = 1}, 1us,
            Time{5ms});
  EXPECT_EQ(rec().seqs, (std::set<std::uint32_t>{0, 1000}));
  EXPECT_EQ(counter("x", "dropped_queue_full"), 2u);
  EXPECT_EQ(counter("x", "forwarded"), 2u);
  EXPECT_EQ(engine->pool().in_use(), 0u);
}

TEST_F(Bulk, MtuJudgesTheWirePacketsNotTheSuperFrame) {
  // Each wire packet: 20 (IPv4) + 32 (TCP) + 1000 = 1052 bytes of layer 3.
  run<Mtu>({.mtu_bytes = 1052}, {.shape = k4x1000, .count = 3});
  EXPECT_EQ(rec().super_frames, 3u);
  EXPECT_EQ(counter("x", "forwarded"), 12u);
  run<Mtu>({.mtu_bytes = 1051}, {.shape = k4x1000, .count = 3});
  EXPECT_EQ(counter("x", "dropped_too_big"), 12u);
  EXPECT_TRUE(rec().seqs.empty());
}

}  // namespace
}  // namespace synnet
