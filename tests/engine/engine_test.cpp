#include "engine/engine.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <thread>

#include "engine/apps/basic/join.hpp"
#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/basic/tee.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::Hold;
using testing::Leaky;

EngineOptions manual(ManualClock& clock, std::vector<std::string>* log = nullptr) {
  EngineOptions o;
  o.clock = &clock;
  o.packets = 4096;
  if (log != nullptr) o.log = [log](const std::string& m) { log->push_back(m); };
  return o;
}

// src -> hold -> sink, with `release` packets per breath let through by hold.
Config held(std::uint32_t release, std::uint32_t burst = 10) {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {100}, .burst_packets = burst});
  c.app<Hold>("hold", {.release = release});
  c.app<Sink>("sink");
  c.link("src.output -> hold.input").link("hold.output -> sink.input");
  return c;
}

TEST(Engine, BreathMovesPacketsThroughAChainInOneBreath) {
  ManualClock clock;
  Engine e(manual(clock));
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 5});
  c.app<Tee>("tee");
  c.app<Sink>("sink");
  c.link("src.output -> tee.input").link("tee.a -> sink.a").link("tee.b -> sink.b");
  e.configure(c);
  e.breathe();
  EXPECT_EQ(e.link("src.output -> tee.input")->counters().txpackets, 5u);
  EXPECT_EQ(e.link("tee.a -> sink.a")->counters().rxpackets, 5u);
  EXPECT_EQ(e.link("tee.b -> sink.b")->counters().rxpackets, 5u);
  EXPECT_EQ(e.pool().in_use(), 0u);
  EXPECT_EQ(e.stats().breaths, 1u);
  EXPECT_EQ(e.stats().frees, 10u);
}

TEST(Engine, PushOrderFollowsLinksNotNames) {
  // Names sort against the flow (z_src upstream of a_sink): still one breath end to end.
  ManualClock clock;
  Engine e(manual(clock));
  Config c;
  c.app<Source>("z_src", {.sizes_bytes = {60}, .burst_packets = 3});
  c.app<Join>("m_join");
  c.app<Join>("b_join");
  c.app<Sink>("a_sink");
  c.link("z_src.output -> m_join.in").link("m_join.output -> b_join.in").link("b_join.output -> a_sink.in");
  e.configure(c);
  e.breathe();
  EXPECT_EQ(e.link("b_join.output -> a_sink.in")->counters().rxpackets, 3u);
}

TEST(Engine, ConfigureRejectsADanglingLinkAndKeepsRunning) {
  ManualClock clock;
  Engine e(manual(clock));
  e.configure(held(1));
  Config bad = held(1);
  bad.link("hold.output2 -> sink.input2");
  EXPECT_THROW(e.configure(bad), ConfigError);
  e.breathe();
  EXPECT_NE(e.app("hold"), nullptr);
  EXPECT_EQ(e.config().links().size(), 2u);
}

TEST(Engine, ReconfigureKeepsQueuedPackets) {
  ManualClock clock;
  Engine e(manual(clock));
  e.configure(held(0));
  for (int i = 0; i < 3; ++i) e.breathe();
  Hold* hold = e.app_as<Hold>("hold");
  ASSERT_NE(hold, nullptr);
  ASSERT_EQ(hold->queued(), 30u);

  e.configure(held(4));  // new spec, same class: reconfigured in place
  EXPECT_EQ(e.app_as<Hold>("hold"), hold);
  EXPECT_EQ(hold->reconfigures, 1);
  EXPECT_EQ(hold->queued(), 30u);
  e.breathe();  // releases 4, receives 10
  EXPECT_EQ(e.link("hold.output -> sink.input")->counters().txpackets, 4u);
  EXPECT_EQ(hold->queued(), 36u);
}

TEST(Engine, LinksKeepTheirPacketsAcrossReconfigureAndRestart) {
  ManualClock clock;
  Engine e(manual(clock));
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 7});
  c.app<testing::Stall>("dst");
  c.link("src.output -> dst.input");
  e.configure(c);
  e.breathe();
  const Link* link = e.link("src.output -> dst.input");
  ASSERT_EQ(link->size(), 7u);

  // Reconfigure src (new sizes): the link and its 7 packets survive.
  Config c2;
  c2.app<Source>("src", {.sizes_bytes = {61}, .burst_packets = 7});
  c2.app<testing::Stall>("dst");
  c2.link("src.output -> dst.input");
  App* src = e.app("src");
  e.configure(c2);
  EXPECT_EQ(e.app("src"), src);
  EXPECT_EQ(e.link("src.output -> dst.input"), link);
  EXPECT_EQ(link->size(), 7u);

  // Restart dst as a Sink (a new class): the link survives, the Sink drains it.
  Config c3;
  c3.app<Source>("src", {.sizes_bytes = {61}, .burst_packets = 7});
  c3.app<Sink>("dst");
  c3.link("src.output -> dst.input");
  e.configure(c3);
  EXPECT_EQ(e.link("src.output -> dst.input"), link);
  e.breathe();
  EXPECT_EQ(link->counters().rxpackets, 14u);  // 7 queued before the restart + 7 new
  EXPECT_EQ(e.pool().in_use(), 0u);
}

TEST(Engine, RemovedAppsAndLinksGiveTheirPacketsBack) {
  ManualClock clock;
  Engine e(manual(clock));
  e.configure(held(0));
  for (int i = 0; i < 5; ++i) e.breathe();
  EXPECT_EQ(e.pool().in_use(), 50u);  // all held by "hold"
  Config only_src;
  only_src.app<Source>("src", {.sizes_bytes = {100}, .burst_packets = 10});
  e.configure(only_src);
  EXPECT_EQ(e.app("hold"), nullptr);
  EXPECT_EQ(e.pool().in_use(), 0u);
  EXPECT_EQ(e.shutdown(), 0u);
}

// The pool sets a freed traced packet aside (its free() never calls out);
// the engine has its tracer told by the end of the breath, of the
// configure() or of the app's stop() that freed it.
TEST(Engine, TracersHearOfTheirFreedPacketsByTheEndOfTheBreathOrStop) {
  ManualClock clock;
  Engine e(manual(clock));
  testing::RecordingTracer tracer;
  Config c;
  c.app<testing::DropTraced>("drop", {.tracer = &tracer});
  e.configure(c);
  EXPECT_TRUE(tracer.fates.empty());
  e.breathe();
  EXPECT_EQ(tracer.fates, std::vector<TraceFate>{TraceFate::loss});
  e.breathe();
  EXPECT_EQ(tracer.fates.size(), 2u);
  EXPECT_EQ(e.pool().in_use(), 1u);  // the one it holds
  EXPECT_EQ(e.pool().available(), e.pool().capacity() - 1);
  e.configure(Config{});
  EXPECT_EQ(tracer.fates, (std::vector<TraceFate>{TraceFate::loss, TraceFate::loss, TraceFate::none}));
  EXPECT_EQ(e.pool().available(), e.pool().capacity());
  EXPECT_EQ(e.shutdown(), 0u);
}

TEST(Engine, AFailingConstructorLeavesTheRunningNetworkUnchanged) {
  ManualClock clock;
  Engine e(manual(clock));
  e.configure(held(0));
  e.breathe();
  const int instances = Hold::instances;
  Config next = held(0, 20);
  next.app<testing::Failing>("bad");
  try {
    e.configure(next);
    FAIL() << "expected the constructor's exception";
  } catch (const std::runtime_error& err) {
    EXPECT_STREQ(err.what(), "cannot open interface \"nope0\"");
  }
  EXPECT_EQ(Hold::instances, instances);
  EXPECT_EQ(e.app("bad"), nullptr);
  EXPECT_EQ(e.app_as<Hold>("hold")->queued(), 10u);
  e.breathe();  // still the old burst of 10
  EXPECT_EQ(e.app_as<Hold>("hold")->queued(), 20u);
}

TEST(Engine, ALeakIsDetectedAndReported) {
  ManualClock clock;
  std::vector<std::string> log;
  {
    Engine e(manual(clock, &log));
    Config c;
    c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 3});
    c.app<Leaky>("leaky");
    c.link("src.output -> leaky.input");
    e.configure(c);
    e.breathe();
    EXPECT_EQ(e.shutdown(), 3u);
  }
  ASSERT_EQ(log.size(), 1u);  // reported once, not again by the destructor
  EXPECT_NE(log[0].find("3 packets leaked"), std::string::npos) << log[0];
}

TEST(Engine, NoLeakNoMessage) {
  ManualClock clock;
  std::vector<std::string> log;
  {
    Engine e(manual(clock, &log));
    e.configure(held(0));
    e.breathe();
  }
  EXPECT_TRUE(log.empty());
}

TEST(Engine, CountersNameAppsAndLinks) {
  ManualClock clock;
  Engine e(manual(clock));
  e.configure(held(0));
  e.breathe();
  const auto counters = e.counters();
  EXPECT_EQ(counters.at("hold", "queued"), 10u);
  EXPECT_EQ(counters.at("src", "alloc_failed"), 0u);
  EXPECT_EQ(counters.link("src.output -> hold.input").txpackets, 10u);
  EXPECT_EQ(counters.link("src.output -> hold.input").rxbytes, 1000u);
  EXPECT_EQ(counters.link("hold.output -> sink.input").txdrop, 0u);
}

TEST(Engine, ReportsLookLikeRush) {
  ManualClock clock;
  Engine e(manual(clock));  // the clock starts at 0: a valid time, not "never"
  Config c;
  c.app<Source>("src", {.sizes_bytes = {100}, .burst_packets = 10});
  c.app<Sink>("sink");
  c.link("src.output -> sink.input");
  e.configure(c);
  std::ostringstream load, links;
  e.report_load(load);  // starts the interval
  for (int i = 0; i < 100; ++i) {
    clock.advance(10ms);
    e.breathe();
  }
  e.report_load(load);
  e.report_links(links);
  EXPECT_NE(load.str().find("load: time: 1.00s fps: 1,000 fpGbps: 0.001 fpb: 10 bpp: 100 breaths/s: 100"),
            std::string::npos)
      << load.str();
  EXPECT_NE(links.str().find("1,000 sent on src.output -> sink.input (loss rate: 0%)"), std::string::npos)
      << links.str();
}

TEST(Engine, TwoEnginesInOneProcessAreIndependent) {
  auto run = [](std::uint32_t size, std::uint64_t* delivered) {
    Engine e({.packets = 2048, .seed = 1, .clock = nullptr, .log = nullptr});
    Config c;
    c.app<Source>("src", {.sizes_bytes = {size}});
    c.app<Sink>("sink");
    c.link("src.output -> sink.input");
    e.configure(c);
    const Link* l = e.link("src.output -> sink.input");
    e.run({.duration = 5s, .until = [l] { return l->counters().rxpackets >= 1'000'000; }});
    *delivered = l->counters().rxbytes / l->counters().rxpackets;
  };
  std::uint64_t a = 0, b = 0;
  std::thread ta(run, 64, &a), tb(run, 1500, &b);
  ta.join();
  tb.join();
  EXPECT_EQ(a, 64u);
  EXPECT_EQ(b, 1500u);
}

TEST(Engine, StopFromAnotherThreadEndsRun) {
  Engine e;
  e.configure(held(0));
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    e.stop();
  });
  const auto t0 = std::chrono::steady_clock::now();
  e.run({.duration = 30s});
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
}

TEST(Engine, PostedCommandsRunOnTheEngineThreadAndCanReconfigure) {
  Engine e;
  e.configure(held(0));
  std::thread harness([&] {
    std::this_thread::sleep_for(20ms);
    auto done = e.post([](Engine& engine) { engine.configure(held(5)); });
    done.get();
    auto bad = e.post([](Engine& engine) {
      Config c = held(5);
      c.link("nowhere.x -> sink.y");
      engine.configure(c);
    });
    EXPECT_THROW(bad.get(), ConfigError);
    e.stop();
  });
  e.run({.duration = 30s});
  harness.join();
  EXPECT_EQ(e.app_as<Hold>("hold")->reconfigures, 1);
}

TEST(Engine, ASignalInStopSignalsEndsRun) {
  Engine e;
  e.configure(held(0));
  // run() blocks SIGUSR1 in this (the only) thread, so the signal waits on the
  // engine's signalfd instead of killing the process.
  e.after(20ms, [] { ::kill(::getpid(), SIGUSR1); });
  const auto t0 = std::chrono::steady_clock::now();
  e.run({.duration = 30s, .stop_signals = {SIGUSR1}});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  sigset_t pending;
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGUSR1));  // consumed, not left to fire later
}

TEST(Engine, AnAppFailureEndsRunWithItsMessage) {
  Engine e;
  Config c = held(0);
  c.app<testing::GiveUp>("io", {.after_pulls = 3});
  e.configure(c);
  try {
    e.run({.duration = 30s});
    FAIL() << "run() should have thrown";
  } catch (const EngineFailure& f) {
    EXPECT_STREQ(f.what(), "app \"io\": interface \"nope0\" was deleted");
  }
  EXPECT_EQ(e.stats().breaths, 3u);
  e.run({.duration = 10ms});  // the failure was reported once; the engine still works
}

TEST(Engine, TimersFireOnTheirPeriod) {
  ManualClock clock;
  Engine e(manual(clock));
  e.configure(held(0));
  int ticks = 0, once = 0;
  e.every(100ms, [&] { ++ticks; });
  e.after(250ms, [&] { ++once; });
  for (int i = 0; i < 100; ++i) {  // 1 s in 10 ms steps
    clock.advance(10ms);
    e.breathe();
  }
  EXPECT_EQ(ticks, 10);
  EXPECT_EQ(once, 1);
}

TEST(Engine, ConfigureGivesNewAppsTheCurrentTime) {
  ManualClock clock;
  Engine e(manual(clock));
  clock.set(Time{5s});
  Config c;
  c.app<testing::Alarm>("alarm", {.after = 1ms});
  e.configure(c);
  EXPECT_EQ(e.now(), Time{5s}) << "an app built now must not see the engine's construction time";
  e.breathe();
  EXPECT_EQ(e.next_wakeup(), Time{5s + 1ms});  // the Alarm asked to run again 1 ms later
}

TEST(Engine, RunNeedsARealTimeClock) {
  ManualClock clock;
  Engine e(manual(clock));
  EXPECT_THROW(e.run({.duration = 1s}), std::logic_error);
}

}  // namespace
}  // namespace synnet
