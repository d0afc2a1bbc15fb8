// runner_test.cpp — what run_scenario computes without running anything: the
// command that replays a run. (A run itself: tests/harness/commands/test_command_test.cpp.)
#include "harness/run/runner.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

TEST(ReplayCommand, TheFileAsGivenPlusTheSeed) {
  EXPECT_EQ(replay_command("scenarios/lossy-link.json", 42), "synnet-test scenarios/lossy-link.json --seed 42");
  EXPECT_EQ(replay_command("/abs/path/a_b-c.v2+x.json", 18446744073709551615u),
            "synnet-test /abs/path/a_b-c.v2+x.json --seed 18446744073709551615");
  EXPECT_EQ(replay_command("", 1), "") << "no file, no command";
}

TEST(ReplayCommand, APathAShellWouldReadIsQuoted) {
  EXPECT_EQ(replay_command("my tests/a.json", 7), "synnet-test 'my tests/a.json' --seed 7");
  EXPECT_EQ(replay_command("it's $HOME.json", 7), R"(synnet-test 'it'\''s $HOME.json' --seed 7)");
  EXPECT_EQ(replay_command("a;rm -rf x", 7), "synnet-test 'a;rm -rf x' --seed 7");
}

TEST(RunSeries, AnHourAtTheSeriesInterval) {
  EXPECT_EQ(kRunSeriesCapacity * LiveNetwork::kSeriesInterval, std::chrono::hours(1));
}

}  // namespace
}  // namespace synnet
