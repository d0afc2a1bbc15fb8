#include "engine/apps/impair/reorder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "engine/engine.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

// Test-only apps: Feeder sends numbered 60-byte frames when told to (the
// number in bytes 14..17); Arrivals records each frame's number and when it came.
struct FeederSpec {
  bool operator==(const FeederSpec&) const = default;
};

class Feeder final : public App {
 public:
  using Spec = FeederSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  Feeder(AppContext& ctx, const Spec&) : App(ctx) {}
  void send(std::uint32_t n) { pending_ += n; }  // on the next pull
  void pull() override {
    for (; pending_ > 0 && !output()->full(); --pending_) {
      Packet* p = pool().try_allocate();
      if (p == nullptr) return;
      std::memset(p->data, 0, 60);
      std::memcpy(p->data + 14, &next_, sizeof next_);
      ++next_;
      p->length = 60;
      output()->transmit(p);
    }
  }

 private:
  std::uint32_t pending_ = 0;
  std::uint32_t next_ = 0;
};

struct Arrival {
  std::uint32_t seq;
  Time at;
  bool operator==(const Arrival&) const = default;
};

struct ArrivalsSpec {
  bool operator==(const ArrivalsSpec&) const = default;
};

class Arrivals final : public App {
 public:
  using Spec = ArrivalsSpec;
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {}); }
  Arrivals(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override {
    while (!input()->empty()) {
      Packet* p = input()->receive();
      Arrival a{0, now()};
      std::memcpy(&a.seq, p->data + 14, sizeof a.seq);
      seen.push_back(a);
      pool().free(p);
    }
  }
  std::vector<Arrival> seen;
};

// Feeder "src" -> Reorder "ro" -> Arrivals "dst" (or nothing, with_output = false).
struct ReorderNet {
  explicit ReorderNet(ReorderSpec spec, std::uint64_t seed = 1, bool with_output = true)
      : e({.packets = 16384, .seed = seed, .clock = &clock, .log = nullptr}), with_output(with_output) {
    e.configure(config(spec));
  }
  Config config(const ReorderSpec& spec) const {
    Config c;
    c.app<Feeder>("src");
    c.app<Reorder>("ro", spec);
    c.link("src.output -> ro.input");
    if (with_output) c.app<Arrivals>("dst").link("ro.output -> dst.input");
    return c;
  }
  void send(std::uint32_t n) { e.app_as<Feeder>("src")->send(n); }
  const std::vector<Arrival>& seen() const { return e.app_as<Arrivals>("dst")->seen; }
  std::uint64_t in() const { return e.link("src.output -> ro.input")->counters().rxpackets; }
  std::uint64_t counter(const std::string& name) const { return e.counters().at("ro", name); }
  void expect_conservation() const {
    const Link* out = with_output ? e.link("ro.output -> dst.input") : nullptr;
    const std::uint64_t sent = out ? out->counters().txpackets + out->counters().txdrop : 0;
    EXPECT_EQ(in(), sent + counter("dropped_queue_full") + counter("dropped_no_output") + counter("queued"));
  }

  ManualClock clock;
  Engine e;
  bool with_output;
};

void expect_invalid(const ReorderSpec& spec, const std::string& message) {
  try {
    spec.validate();
    ADD_FAILURE() << "accepted; expected: " << message;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(ReorderSpec, ValidationNamesTheFieldAndClampsNothing) {
  expect_invalid({.ratio = 1.5, .delay_us = 10}, "ratio: 1.5 is not in [0, 1]");
  expect_invalid({.ratio = -0.25, .delay_us = 10}, "ratio: -0.25 is not in [0, 1]");
  expect_invalid({.ratio = 0.5, .delay_us = 0},
                 "delay_us: must be > 0 when ratio > 0 (ratio is 0.5): packets can only overtake packets that wait");
  expect_invalid({.ratio = 0, .delay_us = 3'600'000'001}, "delay_us: 3600000001 is more than an hour");
  expect_invalid({.ratio = 0, .delay_us = 10, .limit_packets = 0}, "limit_packets: 0 is not >= 1");
  EXPECT_NO_THROW((ReorderSpec{.ratio = 0, .delay_us = 0}.validate()));
  EXPECT_NO_THROW((ReorderSpec{.ratio = 1, .delay_us = 3'600'000'000, .limit_packets = 1}.validate()));
  Config c;
  EXPECT_THROW(c.app<Reorder>("ro", {.ratio = 0.1}), ConfigError);
}

TEST(Reorder, ADelayedPacketLeavesExactlyAtItsDueTimeNotOneBreathEarlier) {
  ReorderNet n({.ratio = 0, .delay_us = 1000});
  n.send(1);
  n.e.breathe();
  EXPECT_EQ(n.counter("queued"), 1u);
  n.clock.advance(1ms - 1ns);
  n.e.breathe();
  EXPECT_TRUE(n.seen().empty());
  n.clock.advance(1ns);
  n.e.breathe();
  ASSERT_EQ(n.seen().size(), 1u);
  EXPECT_EQ(n.seen()[0], (Arrival{0, Time{1ms}}));
  EXPECT_EQ(n.counter("delayed"), 1u);
  EXPECT_EQ(n.counter("queued"), 0u);
  n.expect_conservation();
}

TEST(Reorder, DelayedPacketsLeaveInOrderEachAtItsOwnDueTime) {
  ReorderNet n({.ratio = 0, .delay_us = 1000});
  for (int i = 0; i < 3; ++i) {  // two packets at 0, 300 and 600us
    n.send(2);
    n.e.breathe();
    n.clock.advance(300us);
  }
  for (Time t : {Time{1000us}, Time{1300us}, Time{1600us}}) {
    n.clock.set(t);
    n.e.breathe();
  }
  EXPECT_EQ(n.seen(),
            (std::vector<Arrival>{{0, 1000us}, {1, 1000us}, {2, 1300us}, {3, 1300us}, {4, 1600us}, {5, 1600us}}));
  n.expect_conservation();
}

TEST(Reorder, ALateBreathSendsEverythingDueInOrder) {
  ReorderNet n({.ratio = 0, .delay_us = 1000});
  for (int i = 0; i < 3; ++i) {
    n.send(2);
    n.e.breathe();
    n.clock.advance(300us);
  }
  n.clock.set(Time{10ms});
  n.e.breathe();
  ASSERT_EQ(n.seen().size(), 6u);
  for (std::uint32_t i = 0; i < 6; ++i) EXPECT_EQ(n.seen()[i], (Arrival{i, 10ms}));
  n.expect_conservation();
}

TEST(Reorder, ReorderedPacketsGoAtOnceAheadOfTheDelayedOnes) {
  ReorderNet n({.ratio = 0.5, .delay_us = 1000});
  n.send(1000);
  n.e.breathe();
  const std::uint64_t ahead = n.counter("reordered");
  EXPECT_EQ(n.seen().size(), ahead);
  EXPECT_EQ(n.counter("delayed") + ahead, 1000u);
  EXPECT_EQ(n.counter("queued"), n.counter("delayed"));
  EXPECT_LE(std::abs(static_cast<double>(ahead) - 500), 3.29 * std::sqrt(250.0));
  n.clock.advance(1ms);
  n.e.breathe();
  ASSERT_EQ(n.seen().size(), 1000u);
  std::uint64_t inversions = 0;
  for (std::size_t i = 0; i < n.seen().size(); ++i) {
    const Arrival& a = n.seen()[i];
    EXPECT_EQ(a.at, i < ahead ? Time{0} : Time{1ms}) << i;
    // Within each group, the order of sending.
    if (i > 0 && i != ahead) {
      EXPECT_GT(a.seq, n.seen()[i - 1].seq) << i;
    }
    if (i > 0 && a.seq < n.seen()[i - 1].seq) ++inversions;
  }
  EXPECT_EQ(inversions, 1u);  // the delayed group starts behind the last packet sent ahead
  n.expect_conservation();
}

TEST(Reorder, RatioMatchesTheBinomialWithin99_9Percent) {
  ReorderNet n({.ratio = 0.1, .delay_us = 100});
  for (int i = 0; i < 100; ++i) {
    n.send(1000);
    n.e.breathe();
    n.clock.advance(10us);
  }
  EXPECT_EQ(n.in(), 100000u);
  const double np = 100000 * 0.1;
  EXPECT_LE(std::abs(static_cast<double>(n.counter("reordered")) - np), 3.29 * std::sqrt(np * 0.9))
      << n.counter("reordered");
  EXPECT_EQ(n.counter("dropped_queue_full"), 0u);
  n.expect_conservation();
}

TEST(Reorder, RatioOneSendsEverythingAtOnceInOrder) {
  ReorderNet n({.ratio = 1, .delay_us = 1000, .limit_packets = 1});
  n.send(100);
  n.e.breathe();
  ASSERT_EQ(n.seen().size(), 100u);
  for (std::uint32_t i = 0; i < 100; ++i) EXPECT_EQ(n.seen()[i], (Arrival{i, Time{0}}));
  EXPECT_EQ(n.counter("reordered"), 100u);
  EXPECT_EQ(n.counter("dropped_queue_full"), 0u);  // the queue limit is for waiting packets only
  n.expect_conservation();
}

TEST(Reorder, ZeroDelayAndRatioZeroPassesStraightThrough) {
  ReorderNet n({.ratio = 0, .delay_us = 0});
  n.send(10);
  n.e.breathe();
  EXPECT_EQ(n.seen().size(), 10u);
  EXPECT_EQ(n.counter("queued"), 0u);
  EXPECT_EQ(n.counter("reordered"), 0u);
  n.expect_conservation();
}

TEST(Reorder, AFullQueueDropsTheArrivingPacket) {
  ReorderNet n({.ratio = 0, .delay_us = 1000, .limit_packets = 5});
  n.send(8);
  n.e.breathe();
  EXPECT_EQ(n.counter("queued"), 5u);
  EXPECT_EQ(n.counter("dropped_queue_full"), 3u);
  n.expect_conservation();
  n.clock.advance(1ms);
  n.e.breathe();
  ASSERT_EQ(n.seen().size(), 5u);
  EXPECT_EQ(n.seen().back().seq, 4u);  // the first five were kept
  n.expect_conservation();
}

TEST(Reorder, SameSeedSameOrderOtherSeedOther) {
  auto run = [](std::uint64_t seed) {
    ReorderNet n({.ratio = 0.3, .delay_us = 50}, seed);
    for (int i = 0; i < 50; ++i) {
      n.send(40);
      n.e.breathe();
      n.clock.advance(20us);
    }
    n.clock.advance(1ms);
    n.e.breathe();
    EXPECT_EQ(n.seen().size(), 2000u);
    return n.seen();
  };
  EXPECT_EQ(run(3), run(3));
  EXPECT_NE(run(3), run(4));
}

TEST(Reorder, ReconfigureKeepsQueuedPacketsAndTheirDueTimes) {
  ReorderNet n({.ratio = 0, .delay_us = 1000});
  n.send(10);
  n.e.breathe();
  Reorder* before = n.e.app_as<Reorder>("ro");
  n.e.configure(n.config({.ratio = 0, .delay_us = 100, .limit_packets = 20}));
  EXPECT_EQ(n.e.app_as<Reorder>("ro"), before);
  EXPECT_EQ(n.counter("queued"), 10u);
  n.clock.set(Time{100us});
  n.send(1);  // due at 200us by the new delay, but never before the ten ahead of it
  n.e.breathe();
  n.clock.set(Time{200us});
  n.e.breathe();
  EXPECT_TRUE(n.seen().empty());
  n.clock.set(Time{1ms});
  n.e.breathe();
  ASSERT_EQ(n.seen().size(), 11u);
  for (std::uint32_t i = 0; i < 11; ++i) EXPECT_EQ(n.seen()[i], (Arrival{i, Time{1ms}}));
  n.expect_conservation();
}

TEST(Reorder, ALowerLimitKeepsWhatIsQueuedAndRefusesArrivals) {
  ReorderNet n({.ratio = 0, .delay_us = 1000});
  n.send(10);
  n.e.breathe();
  n.e.configure(n.config({.ratio = 0, .delay_us = 1000, .limit_packets = 4}));
  n.send(2);
  n.e.breathe();
  EXPECT_EQ(n.counter("queued"), 10u);
  EXPECT_EQ(n.counter("dropped_queue_full"), 2u);
  n.expect_conservation();
}

TEST(Reorder, StopFreesTheQueuedPackets) {
  ReorderNet n({.ratio = 0, .delay_us = 1000});
  n.send(100);
  n.e.breathe();
  EXPECT_EQ(n.e.pool().in_use(), 100u);
  n.e.configure(Config{});
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Reorder, AnUnlinkedOutputDropsWithItsOwnReasonWhenAPacketIsDue) {
  ReorderNet n({.ratio = 0.5, .delay_us = 1000}, 1, false);
  n.send(100);
  n.e.breathe();
  const std::uint64_t queued = n.counter("queued");
  EXPECT_EQ(n.counter("dropped_no_output"), 100 - queued);
  EXPECT_EQ(n.counter("reordered"), 0u);  // counts packets sent, and none was
  n.clock.advance(1ms);
  n.e.breathe();
  EXPECT_EQ(n.counter("dropped_no_output"), 100u);
  n.expect_conservation();
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Reorder, DuePacketsWaitForRoomOnAFullOutputLink) {
  ManualClock clock;
  Engine e({.packets = 4096, .seed = 1, .clock = &clock, .log = nullptr});
  Config c;
  c.app<Feeder>("src");
  c.app<Reorder>("ro", {.ratio = 0, .delay_us = 1000});
  c.app<testing::Stall>("stall");
  c.link("src.output -> ro.input").link("ro.output -> stall.input");
  e.configure(c);
  e.app_as<Feeder>("src")->send(1000);
  e.breathe();
  e.app_as<Feeder>("src")->send(1000);
  e.breathe();
  clock.advance(1ms);
  e.breathe();
  const LinkCounters& out = e.link("ro.output -> stall.input")->counters();
  EXPECT_EQ(out.txpackets, Link::kCapacity);
  EXPECT_EQ(out.txdrop, 0u);
  EXPECT_EQ(e.counters().at("ro", "queued"), 2000u - Link::kCapacity);
}

TEST(Reorder, TheEngineSleepsUntilTheNextPacketIsDue) {
  // A real clock: without wake_at the engine would block until the end of the run.
  Engine e({.packets = 1024, .seed = 1, .log = nullptr});
  Config c;
  c.app<Feeder>("src");
  c.app<Reorder>("ro", {.ratio = 0, .delay_us = 20'000});
  c.app<Arrivals>("dst");
  c.link("src.output -> ro.input").link("ro.output -> dst.input");
  e.configure(c);
  e.app_as<Feeder>("src")->send(1);
  const Time start = e.now();
  const auto* dst = e.app_as<Arrivals>("dst");
  e.run({.duration = 5s, .until = [dst] { return !dst->seen.empty(); }});
  ASSERT_EQ(dst->seen.size(), 1u);
  EXPECT_GE(dst->seen[0].at - start, 20ms);
  EXPECT_LT(dst->seen[0].at - start, 2s);
  EXPECT_GT(e.stats().blocked, 5ms);  // it slept rather than spun
}

}  // namespace
}  // namespace synnet
