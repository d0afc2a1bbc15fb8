// Processes inside a namespace: output, exit status, env, cwd, deadlines, reaping.
#include "netns/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "engine/sys/system_error.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

TEST(Process, CapturesOutputAndExitStatus) {
  const ProcessResult r = run_process(-1, {.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}, .deadline = 10s});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.describe(), "exited with status 3");
}

TEST(Process, InheritedStdioReachesOurFileDescriptors) {
  // Our stdout, for the duration of the test, is a file: the child writes there.
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  ::dup2(::fileno(file), STDOUT_FILENO);
  const ProcessResult r =
      run_process(-1, {.argv = {"sh", "-c", "echo passed-through"}, .deadline = 10s, .inherit_stdio = true});
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out, "") << "nothing is captured";
  char buf[64] = {};
  std::rewind(file);
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, file);
  std::fclose(file);
  EXPECT_EQ(std::string(buf, n), "passed-through\n");
}

TEST(Process, LargeOutputDoesNotBlockTheChild) {
  // 1 MB: more than a pipe holds; the child writes to a memory file, never blocks.
  const ProcessResult r = run_process(-1, {.argv = {"head", "-c", "1000000", "/dev/zero"}, .deadline = 10s});
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out.size(), 1'000'000u);
}

TEST(Process, EnvAndCwdAreApplied) {
  const ProcessResult r = run_process(
      -1, {.argv = {"sh", "-c", "echo $SYNNET_X; pwd"}, .env = {"SYNNET_X=42"}, .cwd = "/tmp", .deadline = 10s});
  EXPECT_EQ(r.out, "42\n/tmp\n");
}

TEST(Process, AMissingCommandIsAClearError) {
  try {
    run_process(-1, {.argv = {"synnet-no-such-command"}});
    FAIL();
  } catch (const SystemError& e) {
    EXPECT_EQ(e.code().value(), ENOENT);
    EXPECT_NE(std::string(e.what()).find("command \"synnet-no-such-command\" not found in PATH="), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(run_process(-1, {.argv = {"true"}, .cwd = "/no/such/dir"}), SystemError);
  EXPECT_THROW(run_process(-1, {.argv = {"true"}, .env = {"NOEQUALS"}}), SystemError);
}

TEST(Process, ADeadlineKillsSleep100) {
  const auto t0 = std::chrono::steady_clock::now();
  const ProcessResult r = run_process(-1, {.argv = {"sleep", "100"}, .deadline = 300ms, .kill_grace = 1s});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_EQ(r.describe(), "killed by SIGTERM (its deadline passed)");
}

TEST(Process, AChildIgnoringSigtermGetsSigkill) {
  const ProcessResult r =
      run_process(-1, {.argv = {"sh", "-c", "trap '' TERM; sleep 100 & wait"}, .deadline = 200ms, .kill_grace = 300ms});
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST(Process, TheWholeProcessGroupGoes) {
  pid_t grandchild = 0;
  {
    Process p = Process::spawn(-1, {.argv = {"sh", "-c", "sleep 100 & echo $!; wait"}});
    for (int i = 0; i < 100 && p.output().empty(); ++i) std::this_thread::sleep_for(10ms);
    grandchild = std::stoi(p.output());
    EXPECT_FALSE(testing::process_gone(grandchild));
  }  // ~Process terminates the group
  for (int i = 0; i < 100 && !testing::process_gone(grandchild); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(testing::process_gone(grandchild)) << "the grandchild outlived its process group";
}

TEST(Process, DestroyingARunningProcessReapsIt) {
  const auto before = testing::Leftovers::count();
  {
    Process p = Process::spawn(-1, {.argv = {"sleep", "100"}, .kill_grace = 1s});
    EXPECT_TRUE(p.running());
  }
  EXPECT_EQ(testing::Leftovers::count(), before);
}

TEST(Process, SignalsBlockedInTheParentAreUnblockedInTheChild) {
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &set, &old);  // as the engine does with stop_signals
  const ProcessResult r = run_process(-1, {.argv = {"sleep", "100"}, .deadline = 200ms, .kill_grace = 2s});
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(r.signal, SIGTERM);
}

TEST(Process, RunsInsideTheNamespaceAndSeesItsSys) {
  SYNNET_REQUIRE_ROOT();
  RunId run = RunId::create();
  Netns ns = Netns::create(run.name("p"));
  const ProcessResult links = run_process(ns.fd(), {.argv = {"ls", "/sys/class/net"}, .deadline = 10s});
  EXPECT_EQ(links.out, "lo\n") << "a fresh namespace's /sys/class/net shows only lo";
  const ProcessResult ip = run_process(ns.fd(), {.argv = {"ip", "-o", "link"}, .deadline = 10s});
  EXPECT_NE(ip.out.find("1: lo:"), std::string::npos);
  EXPECT_EQ(ip.out.find("2:"), std::string::npos) << ip.out;
}

}  // namespace
}  // namespace synnet
