// Run prefixes, names, the registry of live runs, and cleanup of dead runs.
#include "netns/run_id.hpp"
#include "netns/cleanup.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "engine/sys/system_error.hpp"
#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

TEST(RunPrefix, IsRecognisedOnlyInTheExactShape) {
  EXPECT_EQ(run_prefix_of("snk3f9a-client"), "snk3f9a");
  EXPECT_EQ(run_prefix_of("snk3f9a-"), "");   // no role
  EXPECT_EQ(run_prefix_of("snK3f9a-x"), "");  // upper case
  EXPECT_EQ(run_prefix_of("sn3f9a-x"), "");   // too short
  EXPECT_EQ(run_prefix_of("xyk3f9a-x"), "");  // another family
  EXPECT_EQ(run_prefix_of("eth0"), "");
  EXPECT_EQ(run_prefix_of("lo"), "");
}

TEST(RunPrefix, ABarePrefixIsOneWithNothingAfterIt) {  // registry and state files are named by it
  EXPECT_TRUE(is_run_prefix("snk3f9a"));
  EXPECT_FALSE(is_run_prefix("snk3f9a-"));
  EXPECT_FALSE(is_run_prefix("snk3f9a-x"));
  EXPECT_FALSE(is_run_prefix("snK3f9a"));
  EXPECT_FALSE(is_run_prefix("snk3f9"));
  EXPECT_FALSE(is_run_prefix("xyk3f9a"));
  EXPECT_FALSE(is_run_prefix(""));
}

TEST(RunId, NamesFitIfnamsiz) {
  SYNNET_REQUIRE_ROOT();  // registers under /run
  RunId run = RunId::create();
  EXPECT_EQ(run.prefix().size(), kRunPrefixLength);
  EXPECT_EQ(run_prefix_of(run.name("wire")), run.prefix());
  EXPECT_EQ(run.name("1234567").size(), 15u);
  EXPECT_THROW(run.name("12345678"), SystemError);
  EXPECT_THROW(run.name(""), SystemError);
  EXPECT_TRUE(run_is_alive(run.prefix()));
  const std::string prefix = run.prefix();
  { RunId moved = std::move(run); }
  EXPECT_FALSE(run_is_alive(prefix)) << "a destroyed RunId unregisters";
}

// Forks a child that builds namespaces (and a process inside one), reports its
// run prefix, then waits to be SIGKILLed: the leftovers of a killed run.
std::string killed_run_leaves_leftovers() {
  int pipefd[2];
  EXPECT_EQ(::pipe(pipefd), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipefd[0]);
    try {
      RunId run = RunId::create();
      Netns a = Netns::create(run.name("a"));
      Netns b = Netns::create(run.name("b"));
      Veth v = Veth::create(a, run.name("a0"), b, run.name("b0"));
      Process sleeper = Process::spawn(a.fd(), {.argv = {"sleep", "300"}});
      [[maybe_unused]] auto r = ::write(pipefd[1], run.prefix().data(), run.prefix().size());
      ::pause();
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(pipefd[1]);
  char buf[16] = {};
  const ssize_t n = ::read(pipefd[0], buf, kRunPrefixLength);
  ::close(pipefd[0]);
  std::this_thread::sleep_for(50ms);  // let the sleeper get going
  ::kill(pid, SIGKILL);
  int status;
  ::waitpid(pid, &status, 0);
  return n == static_cast<ssize_t>(kRunPrefixLength) ? std::string(buf, kRunPrefixLength) : "";
}

TEST(Cleanup, RemovesWhatAKilledRunLeftAndNothingElse) {
  SYNNET_REQUIRE_ROOT();
  // Not ours: a namespace without a run prefix, and a live run.
  Netns bystander = Netns::create("synnet-bystander-" + std::to_string(::getpid()));
  RunId live = RunId::create();
  Netns live_ns = Netns::create(live.name("a"));

  const std::string dead = killed_run_leaves_leftovers();
  ASSERT_EQ(dead.size(), kRunPrefixLength);
  ASSERT_EQ(::access(("/run/netns/" + dead + "-a").c_str(), F_OK), 0)
      << "the killed run should have left its namespace";
  EXPECT_FALSE(run_is_alive(dead));

  const CleanupReport report = cleanup(dead);
  EXPECT_EQ(report.runs, std::vector<std::string>{dead});
  EXPECT_EQ(report.namespaces, (std::vector<std::string>{dead + "-a", dead + "-b"}));
  EXPECT_EQ(report.processes.size(), 1u) << "the sleep left inside the namespace";
  for (int pid : report.processes) EXPECT_TRUE(testing::process_gone(pid)) << pid;
  EXPECT_NE(::access(("/run/netns/" + dead + "-a").c_str(), F_OK), 0);
  EXPECT_NE(::access((std::string(kRunRegistryDir) + "/" + dead).c_str(), F_OK), 0);

  // The bystander and the live run survive a cleanup of everything.
  const CleanupReport all = cleanup();
  for (const std::string& run : all.runs) EXPECT_NE(run, live.prefix());
  EXPECT_EQ(::access(bystander.path().c_str(), F_OK), 0);
  EXPECT_EQ(::access(live_ns.path().c_str(), F_OK), 0);
  EXPECT_TRUE(run_is_alive(live.prefix()));
}

}  // namespace
}  // namespace synnet
