// engine_group_test.cpp — EngineGroup: a run's engines on threads of their
// own, configured in parts, their counters summed by name. No root needed.
#include "harness/engine_group.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSinkRx = "src.output->sink.input.rxpackets";

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
  ASSERT_TRUE(eventually([&] { return engines.counters().at(kSinkRx) > 1000; }));
  engines.stop();
  const std::uint64_t first = engines.engine(0).counters().at(kSinkRx);
  const std::uint64_t second = engines.engine(1).counters().at(kSinkRx);
  EXPECT_GT(first, 0u);
  EXPECT_GT(second, 0u) << "both engines should have run";
  EXPECT_EQ(engines.counters().at(kSinkRx), first + second);
}

TEST(EngineGroup, EveryEngineHasTheSeedSoASplitChangesNoRandomStream) {
  EngineGroup engines(3, 42);
  for (std::size_t i = 0; i < engines.size(); ++i) EXPECT_EQ(engines.engine(i).seed(), 42u);
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
  const std::uint64_t before = engines.counters().at(kSinkRx);
  ASSERT_TRUE(eventually([&] { return engines.counters().at(kSinkRx) > before; })) << "engine 0 should run on";
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
  const std::uint64_t before = engines.counters().at(kSinkRx);
  ASSERT_TRUE(eventually([&] { return engines.counters().at(kSinkRx) > before; })) << "engine 1 should now forward";
  engines.stop();
  EXPECT_EQ(engines.engine(1).config().apps().size(), 2u);
}

TEST(EngineGroup, StopsAndStartsAgain) {
  EngineGroup engines(2, 1);
  engines.configure({source_to_sink(), source_to_sink()});
  engines.start();
  EXPECT_TRUE(engines.running());
  engines.stop();
  EXPECT_FALSE(engines.running());
  const std::uint64_t stopped_at = engines.counters().at(kSinkRx);
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(engines.counters().at(kSinkRx), stopped_at) << "stopped engines move nothing";
  engines.start();
  ASSERT_TRUE(eventually([&] { return engines.counters().at(kSinkRx) > stopped_at; }));
  engines.stop();
  EXPECT_TRUE(engines.failure().empty()) << engines.failure();
}

}  // namespace
}  // namespace synnet
