// engine_group_test.cpp — EngineGroup: a run's engines on threads of their
// own, configured in parts, their counters summed by name. No root needed.
#include "engine/engine_group.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/impair/loss.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

std::uint64_t sink_rx(const EngineCounters& c) { return c.link("src.output -> sink.input").rxpackets; }

// src -> sink: the same app names, hence the same counter names, in every part.
Config source_to_sink() {
  Config c;
  c.app<Source>("src").app<Sink>("sink").link("src.output -> sink.input");
  return c;
}

// Waits (up to 10 s) until `holds` does.
template <class Predicate>
bool eventually(Predicate holds) {
  for (auto end = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < end;) {
    if (holds()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return holds();
}

TEST(EngineGroup, SumsTheCountersThatHaveOneNameInSeveralEngines) {
  EngineGroup engines(2, 7);
  engines.configure({source_to_sink(), source_to_sink()});
  engines.start();
  // Read while running: on the engines' threads, between breaths.
  ASSERT_TRUE(eventually([&] { return sink_rx(engines.counters()) > 1000; }));
  engines.stop();
  const std::uint64_t first = sink_rx(engines.engine(0).counters());
  const std::uint64_t second = sink_rx(engines.engine(1).counters());
  EXPECT_GT(first, 0u);
  EXPECT_GT(second, 0u) << "both engines should have run";
  EXPECT_EQ(sink_rx(engines.counters()), first + second);
}

// src -> 50% loss -> sink, under `prefix`.
void add_lossy(Config& c, const std::string& prefix) {
  c.app<Source>(prefix + "src")
      .app<Loss>(prefix + "loss", {.ratio = 0.5})
      .app<Sink>(prefix + "sink")
      .link(prefix + "src.output -> " + prefix + "loss.input")
      .link(prefix + "loss.output -> " + prefix + "sink.input");
}

TEST(EngineGroup, SplittingAConfigurationChangesNoRandomDecision) {
  // Two lossy paths on one engine, and the same two split over a group's
  // two engines, breathed in step: with the same seed, every loss app drops
  // the same packets (a Source sends the same burst every breath).
  Config both, there, back;
  add_lossy(both, "x_");
  add_lossy(both, "y_");
  add_lossy(there, "x_");
  add_lossy(back, "y_");
  Engine one({.seed = 42});
  one.configure(both);
  EngineGroup engines(2, 42);
  engines.configure({there, back});
  for (int i = 0; i < 50; ++i) {
    one.breathe();
    engines.engine(0).breathe();
    engines.engine(1).breathe();
  }
  const auto split = engines.counters(), whole = one.counters();
  for (const auto& [app, name] : {std::pair{"x_loss", "dropped_loss"}, std::pair{"y_loss", "dropped_loss"},
                                  std::pair{"x_loss", "forwarded"}, std::pair{"y_loss", "forwarded"}}) {
    ASSERT_NE(whole.find(app, name), nullptr) << app << "." << name;
    EXPECT_GT(whole.at(app, name), 100u) << app << "." << name;
    EXPECT_EQ(split.at(app, name), whole.at(app, name)) << app << "." << name;
  }
  EXPECT_NE(whole.at("x_loss", "dropped_loss"), whole.at("y_loss", "dropped_loss")) << "two apps, two streams";
}

TEST(EngineGroup, ReportsAFailedEngineWhileTheOtherRunsOn) {
  EngineGroup engines(2, 1);
  Config gives_up;
  gives_up.app<testing::GiveUp>("wire", {.after_pulls = 3});
  engines.configure({source_to_sink(), gives_up});
  engines.start();
  ASSERT_TRUE(eventually([&] { return !engines.failure().empty(); }));
  EXPECT_NE(engines.failure().find("nope0"), std::string::npos) << engines.failure();
  // The failed engine's counters are read directly, the running one's through
  // its command queue: neither waits for ever.
  const std::uint64_t before = sink_rx(engines.counters());
  ASSERT_TRUE(eventually([&] { return sink_rx(engines.counters()) > before; })) << "engine 0 should run on";
  engines.stop();
}

TEST(EngineGroup, RefusesAWrongCountOrAnInvalidPartBeforeChangingAnyEngine) {
  EngineGroup engines(2, 1);
  engines.configure({source_to_sink(), Config{}});
  EXPECT_THROW(engines.configure({Config{}}), std::invalid_argument);
  Config broken;
  broken.app<Sink>("sink").link("nowhere.output -> sink.input");
  EXPECT_THROW(engines.configure({Config{}, broken}), ConfigError);
  EXPECT_EQ(engines.engine(0).config().apps().size(), 2u) << "engine 0 must keep its configuration";
  engines.start();
  EXPECT_THROW(engines.post_configure({Config{}, broken}), ConfigError);
  EXPECT_THROW(engines.post_configure({Config{}}), std::invalid_argument);
  engines.stop();
  EXPECT_EQ(engines.engine(0).config().apps().size(), 2u) << "nothing may have been posted";
}

TEST(EngineGroup, PostConfigureChangesEachRunningEngineBetweenBreaths) {
  EngineGroup engines(2, 1);
  engines.configure({source_to_sink(), Config{}});
  engines.start();
  for (std::future<void>& done : engines.post_configure({Config{}, source_to_sink()})) done.get();
  EXPECT_TRUE(engines.engine(0).config().apps().empty());
  const std::uint64_t before = sink_rx(engines.counters());
  ASSERT_TRUE(eventually([&] { return sink_rx(engines.counters()) > before; })) << "engine 1 should now forward";
  engines.stop();
  EXPECT_EQ(engines.engine(1).config().apps().size(), 2u);
}

TEST(EngineGroup, ApplyIsAllOrNothing) {
  EngineGroup engines(2, 1);
  engines.configure({source_to_sink(), source_to_sink()});
  engines.start();
  EXPECT_THROW(engines.configure({Config{}, Config{}}), std::logic_error) << "configure() is for stopped engines";
  // Engine 1's part cannot start (its app's constructor throws): engine 0,
  // which took its part, goes back to what it had.
  Config fails;
  fails.app<testing::Failing>("wire");
  Config other;
  other.app<Source>("other").app<Sink>("sink").link("other.output -> sink.input");
  EXPECT_THROW(engines.apply({other, fails}), std::runtime_error);
  engines.stop();  // apply() waited for the rollback
  EXPECT_TRUE(engines.engine(0).config().apps().contains("src")) << "engine 0 should be back to src -> sink";
  EXPECT_FALSE(engines.engine(0).config().apps().contains("other"));
  // A working change applies to both.
  engines.start();
  engines.apply({other, Config{}});
  engines.stop();
  EXPECT_TRUE(engines.engine(0).config().apps().contains("other"));
  EXPECT_TRUE(engines.engine(1).config().apps().empty());
}

TEST(EngineGroup, StopsAndStartsAgain) {
  EngineGroup engines(2, 1);
  engines.configure({source_to_sink(), source_to_sink()});
  engines.start();
  EXPECT_TRUE(engines.running());
  engines.stop();
  EXPECT_FALSE(engines.running());
  const std::uint64_t stopped_at = sink_rx(engines.counters());
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(sink_rx(engines.counters()), stopped_at) << "stopped engines move nothing";
  engines.start();
  ASSERT_TRUE(eventually([&] { return sink_rx(engines.counters()) > stopped_at; }));
  engines.stop();
  EXPECT_TRUE(engines.failure().empty()) << engines.failure();
}

}  // namespace
}  // namespace synnet
