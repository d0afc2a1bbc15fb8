// runner_test.cpp — what run_scenario computes without running anything: the
// command that replays a run, and how a sysctl read back is compared. (A run
// itself: tests/harness/commands/test_command_test.cpp.)
#include "harness/run/runner.hpp"
#include "harness/run/testbed.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

TEST(SysctlWords, TheKernelsTabsAndNewlineAreTheSameValue) {
  // The kernel reads tcp_rmem back as "4096\t131072\t33554432\n"; a run once
  // refused that as "the kernel did not take the value".
  EXPECT_EQ(sysctl_words("4096\t131072\t33554432\n"), sysctl_words("4096 131072 33554432"));
  EXPECT_EQ(sysctl_words("  reno \n"), std::vector<std::string>{"reno"});
  EXPECT_NE(sysctl_words("4096 131072 6291456"), sysctl_words("4096 131072 33554432"));
  EXPECT_TRUE(sysctl_words("").empty());
}

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
