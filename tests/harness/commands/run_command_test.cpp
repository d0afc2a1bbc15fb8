// End-to-end `synnet-test run`, as root: 100% loss makes ping fail and 0%
// lets it pass; --delay 50ms gives an RTT of ~100 ms; the command's exit
// status and stdout pass through; a peer command serves it; a bad flag exits
// 125 naming the flag; --json and --html write the run's report (the JSON
// valid against scenarios/synnet-report.schema.json), a report path that
// cannot be written exits 125 before anything is built; in a terminal (a
// pseudo-terminal here), a wrapped shell reads what is typed, and closing the
// terminal tears the run down; nothing is left behind. Skips when not root.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "netns/process.hpp"
#include "tests/harness/report/report_schema.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

ProcessResult synnet_run(std::vector<std::string> args) {
  args.insert(args.begin(), {SYNNET_TEST_BINARY, "run"});
  return run_process(-1, {.argv = args, .deadline = 60s});
}

class WrapRun : public ::testing::Test {
 protected:
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    before_ = testing::Leftovers::count();
  }
  void TearDown() override {
    if (!IsSkipped()) {
      EXPECT_EQ(testing::Leftovers::count(), before_) << "a run left something behind";
    }
  }
  testing::Leftovers before_;
};

TEST_F(WrapRun, FullLossFailsPingAndNoLossPassesIt) {
  const ProcessResult lossy =
      synnet_run({"--loss", "100%", "--", "ping", "-c", "3", "-i", "0.2", "-W", "1", "198.18.0.2"});
  EXPECT_EQ(lossy.exit_code, 1) << lossy.out << lossy.err;
  EXPECT_NE(lossy.out.find("3 packets transmitted, 0 received"), std::string::npos) << lossy.out;
  EXPECT_NE(lossy.err.find("dropped"), std::string::npos) << "the summary names the drops: " << lossy.err;
  const ProcessResult clean =
      synnet_run({"--loss", "0%", "--", "ping", "-c", "3", "-i", "0.2", "-W", "1", "198.18.0.2"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
}

TEST_F(WrapRun, DelayEachWayDoublesIntoTheRoundTrip) {
  const ProcessResult r = synnet_run({"--delay", "50ms", "--", "ping", "-c", "3", "-i", "0.2", "198.18.0.2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto at = r.out.find("rtt min/avg/max/mdev = ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const double min_ms = std::stod(r.out.substr(at + 23));
  EXPECT_GE(min_ms, 100.0);
  EXPECT_LT(min_ms, 105.0);
}

TEST_F(WrapRun, ExitStatusAndOutputPassThrough) {
  const ProcessResult r = synnet_run({"--", "sh", "-c", "echo to $SYNNET_PEER from $SYNNET_SELF; exit 7"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(r.out, "to 198.18.0.2 from 198.18.0.1\n");
}

TEST_F(WrapRun, APeerCommandServesTheCommand) {
  const ProcessResult r = synnet_run({"--rate", "20Mbit", "--peer-cmd", "iperf3 -s -1", "--", "sh", "-c",
                                      "sleep 0.5; iperf3 -c $SYNNET_PEER -t 2 --json | grep -q bits_per_second"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("rate 20 Mbit/s"), std::string::npos) << r.err;
}

TEST_F(WrapRun, TheFarSideCanBeThisMachine) {
  // The run's veth end here carries 198.18.0.2; the server binds to it alone.
  const ProcessResult r =
      synnet_run({"--host", "--delay", "50ms", "--peer-cmd", "exec iperf3 -s -1 -B 198.18.0.2", "--", "sh", "-c",
                  "ping -c 3 -i 0.2 $SYNNET_PEER && sleep 0.3 && "
                  "iperf3 -c $SYNNET_PEER -t 1 --json | grep -q bits_per_second"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("SYNNET_PEER=198.18.0.2 (this machine, on sn"), std::string::npos) << r.err;
  const auto at = r.out.find("rtt min/avg/max/mdev = ");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_GE(std::stod(r.out.substr(at + 23)), 100.0) << "the delay applies between the command and this machine";
}

TEST_F(WrapRun, TheFarSideIsNotThisMachineWhenItsSubnetIsTaken) {
  RunId run = RunId::create();
  Netns here = Netns::current();
  Veth taken = Veth::create(here, run.name("x"), here, run.name("y"));
  Address address = Address::add(here, taken.a(), "198.18.0.9/24");
  const ProcessResult r = synnet_run({"--host", "--", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("--host: 198.18.0.0/24 is already in use on this machine (198.18.0.9/24 on " + taken.a()),
            std::string::npos)
      << r.err;
}

TEST_F(WrapRun, WritesTheRunsReportAsJsonAndHtml) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("synnet-run-report-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string json_path = dir / "run.json", html_path = dir / "run.html";
  const ProcessResult r = synnet_run({"--loss", "1%", "--seed", "5", "--json", json_path, "--html", html_path, "--",
                                      "sh", "-c", "ping -c 5 -i 0.1 -W 1 $SYNNET_PEER >/dev/null; exit 3"});
  EXPECT_EQ(r.exit_code, 3) << "the command's status, reports or not: " << r.err;
  std::ifstream json_in(json_path);
  const nlohmann::json report = nlohmann::json::parse(json_in, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(report.is_object()) << "no JSON report in " << json_path << "; " << r.err;
  EXPECT_EQ(testing::report_schema_errors(report, SYNNET_SOURCE_DIR), "");
  EXPECT_EQ(report["scenario"], "run");
  EXPECT_EQ(report["seed"], 5);
  EXPECT_EQ(report["passed"], false) << "the command exited 3";
  ASSERT_EQ(report["items"].size(), 1u) << report.dump(2);
  const nlohmann::json& item = report["items"][0];
  EXPECT_EQ(item["kind"], "exec");
  EXPECT_EQ(item["command"], "sh -c ping -c 5 -i 0.1 -W 1 $SYNNET_PEER >/dev/null; exit 3");
  EXPECT_EQ(item["measurement"]["exit_code"], 3);
  ASSERT_EQ(item["checks"].size(), 1u);
  EXPECT_EQ(item["checks"][0]["figure"], "exit_code");
  EXPECT_EQ(item["checks"][0]["pass"], false);
  EXPECT_GT(item["seconds"].get<double>(), 0.4) << "5 pings 100 ms apart";
  bool engine_counted = false;
  for (const nlohmann::json& c : report["counters"]["apps"]) {
    engine_counted = engine_counted || (c["name"] == "rx_packets" && c["value"].get<std::uint64_t>() >= 5);
  }
  EXPECT_TRUE(engine_counted) << "the engine's counters at the end: " << report["counters"].dump(2);
  if (report.contains("replay")) {  // JSON version 4
    EXPECT_NE(report["replay"].get<std::string>().find("synnet-test run --loss 1% --seed 5 -- sh -c "),
              std::string::npos)
        << report["replay"];
  }

  std::ifstream html_in(html_path);
  const std::string html{std::istreambuf_iterator<char>(html_in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u) << html.substr(0, 200);
  EXPECT_NE(html.find("<title>FAIL run — synnet-test report</title>"), std::string::npos);
  EXPECT_NE(html.find("<td>exit_code</td>"), std::string::npos);
  EXPECT_NE(html.find("id=\"report-data\""), std::string::npos);
  fs::remove_all(dir);
}

TEST_F(WrapRun, AReportPathThatCannotBeWrittenExits125BeforeAnythingIsBuilt) {
  const auto before = testing::Leftovers::count();
  const ProcessResult r = synnet_run({"--html", "/nonexistent/synnet/run.html", "--", "touch", "/tmp/never"});
  EXPECT_EQ(r.exit_code, 125) << r.err;
  EXPECT_NE(r.err.find("synnet-test run: --html /nonexistent/synnet/run.html: the folder /nonexistent/synnet does "
                       "not exist; create it or pick another path"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("SYNNET_SELF"), std::string::npos) << "nothing was set up: " << r.err;
  EXPECT_EQ(testing::Leftovers::count().namespaces, before.namespaces);
}

// synnet-test in a pseudo-terminal of its own, as a shell in tmux runs it.
class InTerminal {
 public:
  explicit InTerminal(std::vector<std::string> args) {
    args.insert(args.begin(), {SYNNET_TEST_BINARY, "run"});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);  // the child leads a session on the terminal
    if (pid_ == 0) {
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~InTerminal() {
    if (master_ >= 0) ::close(master_);
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool started() const { return pid_ > 0 && master_ >= 0; }
  void type(const std::string& text) { ASSERT_EQ(::write(master_, text.data(), text.size()), ssize_t(text.size())); }
  // Reads the terminal until `text` shows up (true) or `timeout` passes.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (screen_.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) return false;  // the terminal's other side is gone
      screen_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  void hang_up() {
    ::close(master_);
    master_ = -1;
  }
  // Whether synnet-test has stopped, within `timeout`.
  bool wait_stopped(std::chrono::milliseconds timeout) {
    for (const auto until = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < until;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG | WUNTRACED) == pid_ && WIFSTOPPED(status)) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  void continue_it() { ::kill(pid_, SIGCONT); }
  // synnet-test's exit status (128 + N for signal N), once it has ended within `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!exit_status_ && std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      } else {
        std::this_thread::sleep_for(50ms);
      }
    }
    return exit_status_;
  }
  const std::string& screen() const { return screen_; }

 private:
  pid_t pid_ = -1;
  int master_ = -1;
  std::string screen_;
  std::optional<int> exit_status_;
};

TEST_F(WrapRun, AWrappedShellReadsWhatIsTypedInTheTerminal) {
  // Once, the shell ran in a process group that was not the terminal's
  // foreground: its first read stopped it (SIGTTIN) and the screen stayed blank.
  InTerminal t({"--loss", "0%", "--", "bash", "--norc", "--noprofile", "-i"});
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.wait_for("SYNNET_PEER=", 30s)) << t.screen();
  t.type("echo $((6 * 7))-typed\n");
  EXPECT_TRUE(t.wait_for("42-typed", 10s)) << "the shell did not run what was typed:\n" << t.screen();
  t.type("exit 3\n");
  EXPECT_EQ(t.wait_exit(30s), 3) << t.screen();
}

TEST_F(WrapRun, ClosingTheTerminalTearsTheRunDown) {
  InTerminal t({"--loss", "0%", "--", "bash", "--norc", "--noprofile", "-i"});
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.wait_for("SYNNET_PEER=", 30s)) << t.screen();
  t.type("echo $((6 * 7))-typed\n");
  ASSERT_TRUE(t.wait_for("42-typed", 10s)) << t.screen();
  t.hang_up();  // SIGHUP: as SIGTERM, the command first, then the network
  const std::optional<int> status = t.wait_exit(30s);
  ASSERT_TRUE(status.has_value()) << "synnet-test still runs 30 s after its terminal closed";
  // TearDown: no namespace, interface or process left.
}

TEST_F(WrapRun, CtrlZStopsTheCommandAndSynnetTestWithItAndBothGoOn) {
  // Ctrl-Z reaches the command (cat stops), and synnet-test stops with it, as a
  // shell's job would; continued (a shell's fg), it continues cat, which reads again.
  InTerminal t({"--", "cat"});
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.wait_for("SYNNET_PEER=", 30s)) << t.screen();
  std::this_thread::sleep_for(300ms);
  t.type("\x1a");
  ASSERT_TRUE(t.wait_stopped(10s)) << "synnet-test did not stop with its command:\n" << t.screen();
  t.continue_it();
  t.type("after-fg\n");
  EXPECT_TRUE(t.wait_for("after-fg\r\nafter-fg", 10s)) << "cat did not read after fg:\n" << t.screen();
  t.type("\x04");  // end of input: cat exits 0
  EXPECT_EQ(t.wait_exit(30s), 0) << t.screen();
}

TEST_F(WrapRun, ABadFlagExits125AndNamesIt) {
  const ProcessResult r = synnet_run({"--up-rate", "10 Mbps", "--", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("--up-rate: \"10 Mbps\" is not a rate (try \"10Mbit\""), std::string::npos) << r.err;
}

}  // namespace
}  // namespace synnet
