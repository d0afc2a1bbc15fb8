// Services in a real namespace (root): ready by TCP listener and by command,
// not ready in time, ending early, expect_exit, a stop that needs SIGKILL, the
// reports' output, and --cleanup killing a service a killed run left behind.
// tcp_listening's parsing needs no root.
#include "harness/run/services.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "harness/run/session.hpp"
#include "netns/cleanup.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

TEST(TcpListening, FindsAListenerOnThePortOnly) {
  const std::string tcp =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n"
      "   1: 0100007F:0050 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n";
  EXPECT_TRUE(tcp_listening(tcp, 8080));
  EXPECT_FALSE(tcp_listening(tcp, 80)) << "port 80 is a connection (01), not a listener (0A)";
  EXPECT_FALSE(tcp_listening(tcp, 8081));
  const std::string tcp6 =
      "  sl  local_address                         remote_address                        st\n"
      "   0: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A\n";
  EXPECT_TRUE(tcp_listening(tcp6, 8081));
  EXPECT_FALSE(tcp_listening("", 8080));
  EXPECT_FALSE(tcp_listening("heading only\n", 8080));
}

// A run's namespace with lo up, and a directory for files the services write.
class ServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    run_.emplace(RunId::create());
    ns_.emplace(Netns::create(run_->name("svc")));
    ns_->netlink().set_up("lo");
    char dir[] = "/tmp/synnet-services-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  int fd() const { return ns_->fd(); }
  // The pid a service wrote to `name` ("echo $$ > file; exec ..."), or -1.
  int pid_in(const std::string& name) const {
    int pid = -1;
    std::ifstream(dir_ + "/" + name) >> pid;
    return pid;
  }
  // sh -c 'echo $$ > <dir>/<pid_file>; <script>': the shell's pid is the service's.
  std::vector<std::string> sh(const std::string& pid_file, const std::string& script) const {
    return {"sh", "-c", "echo $$ > " + dir_ + "/" + pid_file + "; " + script};
  }
  // Ready once it has written its pid file.
  ServiceReady wrote(const std::string& pid_file) const { return {.exec = {"test", "-s", dir_ + "/" + pid_file}}; }

  std::optional<RunId> run_;
  std::optional<Netns> ns_;
  std::string dir_;
};

ServiceSpec spec(std::string name, std::vector<std::string> argv, ServiceReady ready = {}) {
  return {.name = std::move(name), .argv = std::move(argv), .ready = std::move(ready), .path = "/hosts/0/services/0"};
}

std::string setup_error(Services& services, int fd, const ServiceSpec& s) {
  try {
    services.start("n1", fd, s);
  } catch (const SetupError& e) {
    return e.what();
  }
  return "(no SetupError)";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// failure() once it says something, polled as the runner does (or "" after 10 s).
std::string next_failure(Services& services) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  std::string failure;
  while ((failure = services.failure()).empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(50ms);
  }
  return failure;
}

TEST_F(ServicesTest, ReadyWhenItsTcpPortListens) {
  Services services;
  const auto started = std::chrono::steady_clock::now();
  services.start(
      "n1", fd(),
      spec("web", {"python3", "-m", "http.server", "--bind", "127.0.0.1", "18080"}, {.tcp = 18080, .timeout = 10s}));
  const auto took = std::chrono::steady_clock::now() - started;
  // It listens now, in its namespace: a client there gets a page.
  const ProcessResult get = run_process(
      fd(), {.argv = {"python3", "-c",
                      "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:18080/').status)"},
             .deadline = 10s});
  EXPECT_EQ(get.out, "200\n") << get.describe() << get.err;
  EXPECT_LT(took, 10s);
  EXPECT_EQ(services.failure(), "");
  const std::vector<ServiceReport> reports = services.stop();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].host, "n1");
  EXPECT_EQ(reports[0].name, "web");
  EXPECT_EQ(reports[0].command, "python3 -m http.server --bind 127.0.0.1 18080");
  EXPECT_TRUE(reports[0].stopped);
  EXPECT_EQ(reports[0].ended, "killed by SIGTERM");
  EXPECT_EQ(reports[0].failure, "");
  EXPECT_TRUE(contains(reports[0].errors, "\"GET / HTTP/1.1\" 200")) << "its log, captured:\n" << reports[0].errors;
}

TEST_F(ServicesTest, ReadyWhenItsCommandExitsZero) {
  Services services;
  const std::string flag = dir_ + "/up";
  services.start("n1", fd(),
                 spec("slow", sh("pid", "sleep 0.5; touch " + flag + "; exec sleep 100"),
                      {.exec = {"test", "-e", flag}, .timeout = 10s}));
  EXPECT_EQ(::access(flag.c_str(), F_OK), 0) << "start() returned before the ready command succeeded";
  const int pid = pid_in("pid");
  EXPECT_FALSE(testing::process_gone(pid));
  const std::vector<ServiceReport> reports = services.stop();
  EXPECT_TRUE(testing::process_gone(pid));
  EXPECT_EQ(reports.at(0).failure, "");
}

TEST_F(ServicesTest, NotReadyInTimeIsASetupErrorAndTheServiceIsGone) {
  Services services;
  const std::string error =
      setup_error(services, fd(),
                  spec("web", sh("pid", "echo waiting for nothing; exec sleep 100"), {.tcp = 18081, .timeout = 500ms}));
  EXPECT_TRUE(contains(error,
                       "service \"web\" on host \"n1\" (/hosts/0/services/0): not ready within 500 ms "
                       "(nothing listens on TCP port 18081); its last output:\n  stdout| waiting for nothing"))
      << error;
  const int pid = pid_in("pid");
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(testing::process_gone(pid)) << "start() stops a service that was not ready";
  const std::vector<ServiceReport> reports = services.stop();  // kept for the report
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].failure, "not ready within 500 ms (nothing listens on TCP port 18081)");
  EXPECT_EQ(reports[0].output, "waiting for nothing\n");
  EXPECT_FALSE(reports[0].stopped) << "start() stopped it, not teardown";
  EXPECT_EQ(reports[0].ended, "killed by SIGTERM");
}

TEST_F(ServicesTest, AReadyCommandThatNeverSucceedsSaysHowItLastEnded) {
  Services services;
  const std::string error =
      setup_error(services, fd(),
                  spec("db", {"sleep", "100"}, {.exec = {"sh", "-c", "echo not yet >&2; exit 3"}, .timeout = 300ms}));
  EXPECT_TRUE(contains(error,
                       "not ready within 300 ms; its ready command (sh -c echo not yet >&2; exit 3) last "
                       "exited with status 3: not yet; it printed nothing"))
      << error;
}

TEST_F(ServicesTest, OneThatExitsAtOnceFailsAtStartWithItsOutput) {
  Services services;
  const std::string error =
      setup_error(services, fd(), spec("web", {"sh", "-c", "echo bind: address in use >&2; exit 3"}, {.tcp = 18082}));
  EXPECT_EQ(error,
            "service \"web\" on host \"n1\" (/hosts/0/services/0): exited with status 3 before it was ready; its last "
            "output:\n  stderr| bind: address in use");
  EXPECT_EQ(services.failure(), error) << "the run has failed";
  const std::vector<ServiceReport> reports = services.stop();
  EXPECT_EQ(reports.at(0).ended, "exited with status 3");
  EXPECT_FALSE(reports.at(0).stopped);
  EXPECT_EQ(reports.at(0).errors, "bind: address in use\n");
}

TEST_F(ServicesTest, ACommandThatCannotStartIsASetupError) {
  Services services;
  const std::string error = setup_error(services, fd(), spec("ghost", {"synnet-no-such-command"}));
  EXPECT_TRUE(contains(error,
                       "service \"ghost\" on host \"n1\" (/hosts/0/services/0): could not start: process: "
                       "command \"synnet-no-such-command\" not found"))
      << error;
  const std::vector<ServiceReport> reports = services.stop();
  EXPECT_EQ(reports.at(0).ended, "");
  EXPECT_FALSE(reports.at(0).passed());
}

TEST_F(ServicesTest, OneThatExitsLaterIsReportedByFailure) {
  Services services;
  services.start("n1", fd(), spec("worker", {"sh", "-c", "echo working; sleep 0.3; echo oops >&2; exit 1"}));
  EXPECT_EQ(services.failure(), "");
  EXPECT_EQ(next_failure(services),
            "service \"worker\" on host \"n1\" (/hosts/0/services/0): exited with status 1 before teardown; its last "
            "output:\n  stderr| oops\n  stdout| working");
  const std::vector<ServiceReport> reports = services.stop();
  EXPECT_EQ(reports.at(0).failure, "exited with status 1 before teardown");
  EXPECT_EQ(reports.at(0).output, "working\n");
}

TEST_F(ServicesTest, ExpectExitAllowsEndingWithStatusZeroOnly) {
  Services services;
  ServiceSpec once = spec("setup", {"sh", "-c", "echo configured"}, {.tcp = 18083});
  once.expect_exit = true;
  services.start("n1", fd(), once);  // done before it was ready: not a failure
  ServiceSpec later = spec("job", {"sh", "-c", "sleep 0.2"});
  later.expect_exit = true;
  services.start("n1", fd(), later);
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(services.failure(), "");
  ServiceSpec failing = spec("bad", {"sh", "-c", "exit 2"});
  failing.expect_exit = true;
  services.start("n1", fd(), failing);
  EXPECT_TRUE(contains(next_failure(services),
                       "exited with status 2 before teardown (expect_exit allows it to end, not "
                       "to fail)"))
      << services.failure();
  const std::vector<ServiceReport> reports = services.stop();
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].output, "configured\n");
  EXPECT_TRUE(reports[0].passed());
  EXPECT_TRUE(reports[1].passed());
  EXPECT_FALSE(reports[1].stopped);
  EXPECT_FALSE(reports[2].passed());
}

TEST_F(ServicesTest, StopKillsAServiceThatIgnoresSigterm) {
  Services services(300ms);
  services.start("n1", fd(),
                 spec("stubborn", sh("pid", "trap '' TERM; echo ignoring TERM; sleep 100 & wait"), wrote("pid")));
  services.start("n1", fd(), spec("polite", sh("pid2", "exec sleep 100"), wrote("pid2")));
  const int stubborn = pid_in("pid");
  const int polite = pid_in("pid2");
  ASSERT_GT(stubborn, 0);
  ASSERT_GT(polite, 0);
  const auto started = std::chrono::steady_clock::now();
  const std::vector<ServiceReport> reports = services.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_TRUE(testing::process_gone(stubborn));
  EXPECT_TRUE(testing::process_gone(polite));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].name, "stubborn") << "reported in start order";
  EXPECT_EQ(reports[0].ended, "killed by SIGKILL (SIGTERM did not end it within 300 ms)");
  EXPECT_EQ(reports[0].output, "ignoring TERM\n");
  EXPECT_EQ(reports[0].failure, "");
  EXPECT_EQ(reports[1].ended, "killed by SIGTERM");
  EXPECT_TRUE(services.stop().empty());
}

TEST_F(ServicesTest, TheDestructorStopsWhatStillRuns) {
  {
    Services services(300ms);
    services.start("n1", fd(), spec("web", sh("pid", "exec sleep 100"), wrote("pid")));
  }
  const int pid = pid_in("pid");
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(testing::process_gone(pid));
}

TEST_F(ServicesTest, WaitingCanBeCancelled) {
  Services services;
  int asked = 0;
  try {
    services.start("n1", fd(), spec("web", {"sleep", "100"}, {.tcp = 18084, .timeout = 30s}),
                   [&] { return ++asked == 3; });
    FAIL() << "no SetupError";
  } catch (const SetupError& e) {
    EXPECT_TRUE(contains(e.what(), "interrupted while waiting for it to be ready")) << e.what();
  }
  EXPECT_EQ(asked, 3);
}

// Forks a child that registers a run, makes a namespace and starts a service
// in it, reports the run prefix, then waits to be SIGKILLed: what a killed
// synnet-test leaves. The service writes its pid to `pid_file`.
std::string killed_run_leaves_a_service(const std::string& pid_file) {
  int pipefd[2];
  EXPECT_EQ(::pipe(pipefd), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipefd[0]);
    try {
      RunId run = RunId::create();
      Netns ns = Netns::create(run.name("n1"));
      Services services;
      services.start("n1", ns.fd(),
                     {.name = "web",
                      .argv = {"sh", "-c", "echo $$ > " + pid_file + "; exec sleep 300"},
                      .ready = {.exec = {"test", "-s", pid_file}}});
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
  ::kill(pid, SIGKILL);
  int status;
  ::waitpid(pid, &status, 0);
  return n == static_cast<ssize_t>(kRunPrefixLength) ? std::string(buf, kRunPrefixLength) : "";
}

TEST_F(ServicesTest, CleanupKillsAServiceAKilledRunLeftBehind) {
  const std::string pid_file = dir_ + "/left";
  const std::string dead = killed_run_leaves_a_service(pid_file);
  ASSERT_EQ(dead.size(), kRunPrefixLength);
  const int pid = pid_in("left");
  ASSERT_GT(pid, 0);
  EXPECT_FALSE(testing::process_gone(pid)) << "the service outlived its run";
  EXPECT_FALSE(run_is_alive(dead));

  const CleanupReport report = cleanup(dead);
  EXPECT_EQ(report.runs, std::vector<std::string>{dead});
  EXPECT_EQ(report.namespaces, std::vector<std::string>{dead + "-n1"});
  EXPECT_NE(std::find(report.processes.begin(), report.processes.end(), pid), report.processes.end());
  EXPECT_TRUE(testing::process_gone(pid));
}

}  // namespace
}  // namespace synnet
