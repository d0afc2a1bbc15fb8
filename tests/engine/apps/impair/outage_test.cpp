#include "engine/apps/impair/outage.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/engine.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

// Source (10 packets a breath) -> Outage "out" -> Sink.
struct OutageNet {
  explicit OutageNet(OutageSpec spec, Time start = Time{0}, bool with_output = true)
      : clock(start), e({.packets = 4096, .seed = 1, .clock = &clock, .log = nullptr}), with_output(with_output) {
    e.configure(config(spec));
  }
  Config config(const OutageSpec& spec) const {
    Config c;
    c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 10});
    c.app<Outage>("out", spec);
    c.link("src.output -> out.input");
    if (with_output) c.app<Sink>("sink").link("out.output -> sink.input");
    return c;
  }
  std::uint64_t counter(const std::string& name) const { return e.counters().at("out", name); }
  // Breathes at time t; true when that breath's 10 packets were dropped for the outage.
  bool dropped_at(Time t) {
    clock.set(t);
    const std::uint64_t before = counter("dropped_outage");
    e.breathe();
    const std::uint64_t dropped = counter("dropped_outage") - before;
    EXPECT_TRUE(dropped == 0 || dropped == 10) << dropped;
    return dropped == 10;
  }
  void expect_conservation() const {
    const std::uint64_t in = e.link("src.output -> out.input")->counters().rxpackets;
    const Link* l = with_output ? e.link("out.output -> sink.input") : nullptr;
    const std::uint64_t sent = l ? l->counters().txpackets + l->counters().txdrop : 0;
    EXPECT_EQ(in, sent + counter("dropped_outage") + counter("dropped_no_output"));
    EXPECT_EQ(sent, counter("forwarded"));
  }

  ManualClock clock;
  Engine e;
  bool with_output;
};

void expect_invalid(const OutageSpec& spec, const std::string& message) {
  try {
    spec.validate();
    ADD_FAILURE() << "accepted; expected: " << message;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(OutageSpec, ValidationNamesTheFieldAndClampsNothing) {
  expect_invalid({.start_us = 0, .duration_us = 100, .period_us = 100},
                 "period_us: 100 must be 0 (one window) or more than duration_us (100)");
  expect_invalid({.start_us = 0, .duration_us = 100, .period_us = 50},
                 "period_us: 50 must be 0 (one window) or more than duration_us (100)");
  expect_invalid({.start_us = 604'800'000'001}, "start_us: 604800000001 is more than a week (604800000000)");
  expect_invalid({.duration_us = 604'800'000'001}, "duration_us: 604800000001 is more than a week (604800000000)");
  expect_invalid({.period_us = 604'800'000'001}, "period_us: 604800000001 is more than a week (604800000000)");
  EXPECT_NO_THROW((OutageSpec{.start_us = 5, .duration_us = 100, .period_us = 0}.validate()));
  EXPECT_NO_THROW((OutageSpec{.start_us = 5, .duration_us = 100, .period_us = 101}.validate()));
  EXPECT_NO_THROW((OutageSpec{}.validate()));
  Config c;
  EXPECT_THROW(c.app<Outage>("out", {.duration_us = 10, .period_us = 10}), ConfigError);
}

TEST(Outage, OneWindowDropsExactlyInsideIt) {
  OutageNet n({.start_us = 1000, .duration_us = 500});
  EXPECT_FALSE(n.dropped_at(Time{0}));
  EXPECT_FALSE(n.dropped_at(Time{1000us} - 1ns));
  EXPECT_TRUE(n.dropped_at(Time{1000us}));
  EXPECT_TRUE(n.dropped_at(Time{1200us}));
  EXPECT_TRUE(n.dropped_at(Time{1500us} - 1ns));
  EXPECT_FALSE(n.dropped_at(Time{1500us}));
  EXPECT_FALSE(n.dropped_at(Time{1000ms}));  // no period: never again
  EXPECT_EQ(n.counter("dropped_outage"), 30u);
  EXPECT_EQ(n.counter("forwarded"), 40u);
  n.expect_conservation();
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Outage, PeriodicWindowsRepeatEveryPeriod) {
  OutageNet n({.start_us = 100, .duration_us = 30, .period_us = 100});
  std::uint64_t expected_drops = 0;
  for (std::int64_t us = 0; us < 2000; us += 5) {
    const bool inside = us >= 100 && (us - 100) % 100 < 30;  // [100,130), [200,230), ...
    expected_drops += inside ? 10 : 0;
    EXPECT_EQ(n.dropped_at(Time{std::chrono::microseconds(us)}), inside) << us << "us";
  }
  EXPECT_EQ(n.counter("dropped_outage"), expected_drops);
  EXPECT_EQ(expected_drops, 19u * 6 * 10);  // 19 windows, 6 breaths in each
  n.expect_conservation();
}

TEST(Outage, WindowEdgesAreHalfOpen) {
  OutageNet n({.start_us = 100, .duration_us = 30, .period_us = 100});
  const Outage& o = *n.e.app_as<Outage>("out");
  EXPECT_FALSE(o.in_outage(Time{100us} - 1ns));
  EXPECT_TRUE(o.in_outage(Time{100us}));
  EXPECT_TRUE(o.in_outage(Time{130us} - 1ns));
  EXPECT_FALSE(o.in_outage(Time{130us}));
  EXPECT_FALSE(o.in_outage(Time{200us} - 1ns));
  EXPECT_TRUE(o.in_outage(Time{200us}));
  EXPECT_TRUE(o.in_outage(Time{100us + 1'000'000 * 100us}));
  EXPECT_FALSE(o.in_outage(Time{130us + 1'000'000 * 100us}));
}

TEST(Outage, TimesAreRelativeToTheAppsStart) {
  OutageNet n({.start_us = 1000, .duration_us = 500}, Time{5s});
  EXPECT_FALSE(n.dropped_at(Time{5s}));
  EXPECT_FALSE(n.dropped_at(Time{1000us}));  // before the app existed: no window there
  EXPECT_TRUE(n.dropped_at(Time{5s + 1000us}));
  EXPECT_FALSE(n.dropped_at(Time{5s + 1500us}));
  n.expect_conservation();
}

TEST(Outage, ZeroDurationNeverDrops) {
  OutageNet n({.start_us = 0, .duration_us = 0, .period_us = 10});
  for (std::int64_t us = 0; us < 100; ++us) EXPECT_FALSE(n.dropped_at(Time{std::chrono::microseconds(us)}));
  EXPECT_EQ(n.counter("forwarded"), 1000u);
  n.expect_conservation();
}

TEST(Outage, ReconfigureKeepsTheStartReference) {
  OutageNet n({.start_us = 1000, .duration_us = 500});
  EXPECT_FALSE(n.dropped_at(Time{10ms}));
  Outage* before = n.e.app_as<Outage>("out");
  n.e.configure(n.config({.start_us = 20'000, .duration_us = 5000}));
  EXPECT_EQ(n.e.app_as<Outage>("out"), before);
  EXPECT_FALSE(n.dropped_at(Time{20ms} - 1ns));
  EXPECT_TRUE(n.dropped_at(Time{20ms}));  // 20ms after the app started, not after the reconfigure
  EXPECT_FALSE(n.dropped_at(Time{25ms}));
  EXPECT_FALSE(n.dropped_at(Time{30ms}));
  EXPECT_EQ(n.counter("dropped_outage"), 10u);
  n.expect_conservation();
}

TEST(Outage, AnUnlinkedOutputDropsWithItsOwnReasonOutsideWindows) {
  OutageNet n({.start_us = 1000, .duration_us = 500}, Time{0}, false);
  n.dropped_at(Time{0});
  n.dropped_at(Time{1000us});
  EXPECT_EQ(n.counter("dropped_no_output"), 10u);
  EXPECT_EQ(n.counter("dropped_outage"), 10u);
  n.expect_conservation();
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

}  // namespace
}  // namespace synnet
