// End-to-end `synnet-test attach`, as root, on a namespace that plays a
// container (tests/netns/container_testing.hpp): the delay it adds shows in
// ping's RTT and an HTTP server in the container stays reachable through it;
// Ctrl-C restores `ip -j addr` / `ip -j route` exactly; SIGUSR1 re-reads the
// profile without losing a queued packet (and keeps the running impairments
// when the new one is bad); a
// SIGKILLed attach is restored by `synnet-test --cleanup`; bad targets exit 2
// and change nothing; --json and --html write the run's report after the
// restore; a real podman container (tests/netns/podman_testing.hpp), attached
// by its PID, is delayed both ways and restored exactly. Skips when not root.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "netns/attachment.hpp"
#include "netns/process.hpp"
#include "tests/harness/report/report_schema.hpp"
#include "tests/netns/container_testing.hpp"
#include "tests/netns/podman_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

class AttachRun : public ::testing::Test {
 protected:
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    net_.emplace();
    // Its link-local IPv6 address comes a moment after the link is up, and is
    // "tentative" for a second or two (DAD): start from the settled state,
    // the same in two looks 300 ms apart.
    for (auto end = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < end;) {
      before_ = net_->ip_state();
      std::this_thread::sleep_for(300ms);
      if (before_ == net_->ip_state() && before_.find("tentative") == std::string::npos &&
          before_.find(R"("type":"local","dst":"fe80::)") != std::string::npos) {
        break;
      }
    }
    namespaces_ = testing::dir_entries(kNetnsRunDir).size();
  }
  void TearDown() override {
    if (IsSkipped()) return;
    EXPECT_TRUE(settles_to_before()) << "after:\n" << net_->ip_state() << "\nbefore:\n" << before_;
    EXPECT_EQ(testing::dir_entries(kNetnsRunDir).size(), namespaces_) << "a run left a namespace behind";
    EXPECT_TRUE(testing::dir_entries(kAttachStateDir).empty()) << "a state file was left behind";
  }

  // `synnet-test attach --netns NETNS --dev eth0 ARGS...`; NETNS: ctr's path unless given.
  Process attach(std::vector<std::string> args, std::string netns = "") {
    if (netns.empty()) netns = net_->ctr.path();
    args.insert(args.begin(), {SYNNET_TEST_BINARY, "attach", "--netns", netns, "--dev", "eth0"});
    Process p = Process::spawn(-1, {.argv = args, .deadline = 120s});
    wait_for_log(p, " restores it");  // the end of the "attached to ..." banner
    return p;
  }

  static void wait_for_log(Process& p, const std::string& text) {
    for (auto end = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < end;) {
      if (p.errors().find(text) != std::string::npos) return;
      if (!p.running()) break;
      std::this_thread::sleep_for(20ms);
    }
    FAIL() << "no \"" << text << "\" from synnet-test attach: " << p.errors();
  }

  // The client's minimum RTT to the container over 3 pings, in ms.
  double min_rtt_ms() const {
    return min_rtt_ms(run_process(
        net_->cl.fd(),
        {.argv = {"ping", "-c", "3", "-i", "0.2", "-W", "1", "198.18.7.2"}, .env = {"LANG=C"}, .deadline = 20s}));
  }

  // The minimum RTT ping printed, in ms (iputils: "rtt min/avg/max/mdev = 0.1/...", busybox:
  // "round-trip min/avg/max = 0.1/..."); -1 when it failed.
  static double min_rtt_ms(const ProcessResult& ping) {
    const auto line = ping.out.find("min/avg/max");
    const auto at = ping.out.find(" = ", line);
    if (!ping.ok() || line == std::string::npos || at == std::string::npos) return -1;
    return std::stod(ping.out.substr(at + 3));
  }

  // `ip` shows an IPv6 address as tentative for a moment after it is back: wait for the same state.
  bool settles_to_before() const {
    for (auto end = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < end;) {
      if (net_->ip_state() == before_) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::optional<testing::ContainerNet> net_;
  std::string before_;
  std::size_t namespaces_ = 0;
};

TEST_F(AttachRun, DelaysTrafficKeepsAServerReachableAndRestoresExactly) {
  const std::string dir = std::filesystem::temp_directory_path() / ("synnet-attach-" + net_->run.prefix());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/index.html") << "hello from the container\n";
  // http.server's own HTTPServer looks up its host name (DNS, which is not there): plain TCPServer.
  Process server = Process::spawn(
      net_->ctr.fd(),
      {.argv = {"/usr/bin/python3", "-c",
                "import http.server, socketserver, sys\n"
                "s = socketserver.TCPServer(('198.18.7.2', 8080), http.server.SimpleHTTPRequestHandler)\n"
                "print('listening', flush=True)\n"
                "s.serve_forever()\n"},
       .cwd = dir,
       .deadline = 120s});
  ASSERT_TRUE(server.wait_for_output("listening", 10s)) << server.errors();
  EXPECT_LT(min_rtt_ms(), 5.0) << "before: a direct path";

  Process p = attach({"--delay", "50ms"});
  const double rtt = min_rtt_ms();
  EXPECT_GE(rtt, 100.0) << p.errors();
  EXPECT_LT(rtt, 110.0) << p.errors();
  const ProcessResult get = run_process(
      net_->cl.fd(), {.argv = {"curl", "-sS", "-m", "10", "http://198.18.7.2:8080/index.html"}, .deadline = 20s});
  EXPECT_EQ(get.out, "hello from the container\n") << get.err;

  // An upload into the container: the client's TSO hands the bridge 64 KB
  // super-frames, which the engine must cut into wire packets (it did not
  // once, and dropped them as oversize: TCP crawled at 0.26 Mbit/s).
  Process iperf = Process::spawn(net_->ctr.fd(),
                                 {.argv = {"iperf3", "-s", "-1", "-B", "198.18.7.2", "--forceflush"}, .deadline = 90s});
  ASSERT_TRUE(iperf.wait_for_output("listening", 10s)) << iperf.errors();
  const ProcessResult upload =
      run_process(net_->cl.fd(), {.argv = {"iperf3", "-c", "198.18.7.2", "-n", "20M", "--json"}, .deadline = 60s});
  EXPECT_TRUE(upload.ok()) << upload.describe() << upload.err;
  const auto received = nlohmann::json::parse(upload.out, nullptr, false);
  ASSERT_FALSE(received.is_discarded()) << upload.out;
  EXPECT_GE(received["end"]["sum_received"]["bytes"].get<double>(), 20e6) << upload.out;

  ::kill(p.pid(), SIGINT);
  const ProcessResult r = p.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("restored eth0"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("rx_oversize"), std::string::npos) << "nothing dropped as oversize: " << r.err;
  EXPECT_NE(r.err.find("up "), std::string::npos) << "the engine's summary: " << r.err;
  EXPECT_TRUE(settles_to_before());
  EXPECT_LT(min_rtt_ms(), 5.0) << "after: a direct path again";
  server.terminate();
  std::filesystem::remove_all(dir);
}

TEST_F(AttachRun, SighupReReadsTheProfileAndKeepsItWhenTheNewOneIsBad) {
  const std::string profile =
      std::filesystem::temp_directory_path() / ("synnet-attach-" + net_->run.prefix() + ".json");
  std::ofstream(profile) << R"({"a_to_b": {"delay": "50ms"}, "b_to_a": {"delay": "50ms"}})";
  // The namespace given the way a container's is: by the PID of a process inside it.
  Process inside = Process::spawn(net_->ctr.fd(), {.argv = {"sleep", "60"}, .deadline = 90s});
  Process p = attach({"--profile", profile}, std::to_string(inside.pid()));
  EXPECT_NE(p.errors().find("in /proc/" + std::to_string(inside.pid()) + "/ns/net"), std::string::npos) << p.errors();
  EXPECT_GE(min_rtt_ms(), 100.0);

  // Pings every 10 ms cross the change: what the 50 ms delay holds must not be dropped.
  Process pings = Process::spawn(
      net_->cl.fd(),
      {.argv = {"ping", "-c", "150", "-i", "0.01", "-W", "1", "198.18.7.2"}, .env = {"LANG=C"}, .deadline = 30s});
  std::this_thread::sleep_for(500ms);
  std::ofstream(profile, std::ios::trunc) << R"({"a_to_b": {"delay": "5ms"}, "b_to_a": {"delay": "5ms"}})";
  ::kill(p.pid(), SIGUSR1);
  wait_for_log(p, "re-read");
  const ProcessResult crossed = pings.wait();
  EXPECT_NE(crossed.out.find("150 packets transmitted, 150 received"), std::string::npos)
      << "a reload must keep the queued packets: " << crossed.out;
  double rtt = min_rtt_ms();
  EXPECT_GE(rtt, 10.0);
  EXPECT_LT(rtt, 15.0) << p.errors();

  std::ofstream(profile, std::ios::trunc) << R"({"a_to_b": {"delay": "5 ms"}})";
  ::kill(p.pid(), SIGUSR1);
  wait_for_log(p, "impairments unchanged");
  EXPECT_NE(p.errors().find("/a_to_b/delay: \"5 ms\" is not a duration"), std::string::npos) << p.errors();
  rtt = min_rtt_ms();
  EXPECT_GE(rtt, 10.0);
  EXPECT_LT(rtt, 15.0);

  ::kill(p.pid(), SIGHUP);  // a closed terminal: restores and ends, as SIGTERM does
  EXPECT_EQ(p.wait().exit_code, 0);
  std::filesystem::remove(profile);
}

TEST_F(AttachRun, RestoresByItselfAtTheEndOfItsDuration) {
  const auto t0 = std::chrono::steady_clock::now();
  Process p = attach({"--duration", "1.5", "--delay", "1ms"});
  const ProcessResult r = p.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("the duration is over"), std::string::npos) << r.err;
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 1500ms);
}

TEST_F(AttachRun, WritesTheRunsReportAsJsonAndHtmlAfterTheRestore) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("synnet-attach-report-" + net_->run.prefix());
  std::filesystem::create_directories(dir);
  const std::string json_path = dir / "attach.json", html_path = dir / "attach.html";
  Process p = attach({"--duration", "1.5", "--delay", "1ms", "--seed", "9", "--json", json_path, "--html", html_path});
  EXPECT_GT(min_rtt_ms(), 2.0) << "the delay is in place";
  const ProcessResult r = p.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream json_in(json_path);
  const nlohmann::json report = nlohmann::json::parse(json_in, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(report.is_object()) << "no JSON report in " << json_path << "; " << r.err;
  EXPECT_EQ(testing::report_schema_errors(report, SYNNET_SOURCE_DIR), "");
  EXPECT_EQ(report["scenario"], "attach");
  EXPECT_EQ(report["seed"], 9);
  EXPECT_EQ(report["passed"], true) << report.dump(2);
  EXPECT_GE(report["seconds"].get<double>(), 1.5);
  EXPECT_FALSE(report["counters"]["apps"].empty());
  std::ifstream html_in(html_path);
  const std::string html{std::istreambuf_iterator<char>(html_in), std::istreambuf_iterator<char>()};
  EXPECT_NE(html.find("<title>PASS attach — synnet-test report</title>"), std::string::npos) << html.substr(0, 300);
  std::filesystem::remove_all(dir);
}

TEST_F(AttachRun, AKilledAttachIsRestoredByCleanup) {
  Process p = attach({"--loss", "100%"});
  EXPECT_LT(min_rtt_ms(), 0) << "100% loss: no reply";
  ::kill(p.pid(), SIGKILL);
  p.wait();
  EXPECT_NE(net_->ip_state(), before_) << "the interface is still in the dead run's wire namespace";
  const ProcessResult c = run_process(-1, {.argv = {SYNNET_TEST_BINARY, "--cleanup"}, .deadline = 30s});
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.out.find("interface eth0 in " + net_->ctr.path() + ": restored"), std::string::npos) << c.out;
  EXPECT_TRUE(settles_to_before());
  EXPECT_LT(min_rtt_ms(), 5.0) << "a direct path again";
}

// kill -9 at every phase an attach passes (kill_point.hpp): --cleanup restores
// the namespace exactly (ip -j addr and route as before) from whatever it left.
TEST_F(AttachRun, KilledAtEveryPhaseCleanupRestoresExactly) {
  for (const char* phase : {"veths", "engines", "traffic", "teardown"}) {
    SCOPED_TRACE(std::string("killed at ") + phase);
    std::vector<std::string> argv = {
        SYNNET_TEST_BINARY, "attach", "--netns", net_->ctr.path(), "--dev", "eth0", "--loss", "1%", "--duration", "1"};
    const ProcessResult r =
        run_process(-1, {.argv = argv, .env = {std::string("SYNNET_KILL_AT=") + phase}, .deadline = 60s});
    EXPECT_EQ(r.signal, SIGKILL) << "it did not reach " << phase << ": " << r.describe() << "\n" << r.err;
    const bool changed = net_->ip_state() != before_;
    const ProcessResult c = run_process(-1, {.argv = {SYNNET_TEST_BINARY, "--cleanup"}, .deadline = 30s});
    EXPECT_EQ(c.exit_code, 0) << c.err;
    EXPECT_TRUE(settles_to_before()) << "after:\n" << net_->ip_state() << "\nbefore:\n" << before_ << c.out;
    EXPECT_EQ(testing::dir_entries(kNetnsRunDir).size(), namespaces_) << "a namespace is left";
    EXPECT_TRUE(testing::dir_entries(kAttachStateDir).empty()) << "a state file is left";
    std::cout << "  attach | " << phase << " | the namespace " << (changed ? "changed" : "as before")
              << " | after --cleanup: " << (net_->ip_state() == before_ ? "restored exactly" : "NOT RESTORED")
              << std::endl;
  }
}

// A real container runtime: podman runs an image imported from busybox-static
// in ctr (--network ns:PATH), and attach finds the namespace by the container's
// PID, as a user does with $(podman inspect -f '{{.State.Pid}}' web). 40 ms
// each way shows in ping's RTT from the peer and from inside the container; an
// HTTP download through 40 ms and 10% loss arrives whole, the report counting the drops;
// Ctrl-C and, after a kill -9, --cleanup restore the namespace exactly; podman
// leaves nothing behind. Skips where podman cannot run a container.
TEST_F(AttachRun, APodmanContainerByItsPidIsImpairedBothWaysAndRestoredExactly) {
  if (const std::string why = testing::PodmanContainer::unavailable(); !why.empty()) GTEST_SKIP() << why;
  const std::vector<std::string> traces = testing::PodmanContainer::host_traces();
  testing::PodmanContainer web(net_->run.prefix(), net_->ctr.path(), {"httpd", "-f", "-p", "8080", "-h", "/www"});
  if (!web.error().empty()) GTEST_SKIP() << "podman cannot run a container here: " << web.error();
  const std::string pid = std::to_string(web.pid());
  struct stat container_ns {
  }, ctr_ns{};
  ASSERT_EQ(::stat(("/proc/" + pid + "/ns/net").c_str(), &container_ns), 0);
  ASSERT_EQ(::stat(net_->ctr.path().c_str(), &ctr_ns), 0);
  EXPECT_EQ(container_ns.st_ino, ctr_ns.st_ino) << "the container runs in ctr's namespace";
  const auto container_min_rtt_ms = [&] {
    return min_rtt_ms(web.podman({"exec", web.name(), "ping", "-c", "3", "-i", "0.2", "-W", "1", "198.18.7.1"}));
  };
  const auto get = [&](const std::string& file) {
    return run_process(net_->cl.fd(),
                       {.argv = {"curl", "-sS", "-m", "60", "http://198.18.7.2:8080/" + file}, .deadline = 90s});
  };
  EXPECT_EQ(get("index.html").out, "hello from the podman container\n");
  EXPECT_LT(min_rtt_ms(), 5.0) << "before: a direct path";
  EXPECT_LT(container_min_rtt_ms(), 5.0) << "before: a direct path";

  Process delay = attach({"--delay", "40ms"}, pid);
  const double in = min_rtt_ms(), out = container_min_rtt_ms();
  EXPECT_GE(in, 80.0) << delay.errors();
  EXPECT_LT(in, 90.0) << delay.errors();
  EXPECT_GE(out, 80.0) << delay.errors();
  EXPECT_LT(out, 90.0) << delay.errors();
  std::cout << "  podman | --delay 40ms | min RTT peer -> container " << in << " ms, container -> peer " << out << " ms"
            << std::endl;
  RecordProperty("podman_delay_40ms_rtt_in_ms", std::to_string(in));
  RecordProperty("podman_delay_40ms_rtt_out_ms", std::to_string(out));
  ::kill(delay.pid(), SIGINT);
  EXPECT_EQ(delay.wait().exit_code, 0);
  EXPECT_TRUE(settles_to_before()) << "after:\n" << net_->ip_state() << "\nbefore:\n" << before_;

  const std::string report_path =
      std::filesystem::temp_directory_path() / ("synnet-attach-" + net_->run.prefix() + ".json");
  Process lossy = attach({"--delay", "40ms", "--loss", "10%", "--seed", "7", "--json", report_path}, pid);
  const auto t0 = std::chrono::steady_clock::now();
  const ProcessResult big = get("big.bin");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(big.ok()) << big.describe() << big.err;
  EXPECT_TRUE(big.out == testing::PodmanContainer::big_file())
      << "big.bin came " << big.out.size() << " bytes, changed";
  ::kill(lossy.pid(), SIGINT);
  EXPECT_EQ(lossy.wait().exit_code, 0);
  std::ifstream report_in(report_path);
  const nlohmann::json report = nlohmann::json::parse(report_in, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(report.is_object()) << "no JSON report in " << report_path;
  std::cout << "  podman | --delay 40ms --loss 10% | curl of " << big.out.size() << " bytes in " << seconds << " s |";
  for (const char* direction : {"a_to_b", "b_to_a"}) {  // up (the container's sends), down
    double dropped = 0, forwarded = 0;
    for (const auto& c : report["counters"]["apps"]) {
      if (c["app"].get<std::string>().ends_with(std::string(direction) + "_loss")) {
        if (c["name"] == "dropped_loss") dropped = c["value"].get<double>();
        if (c["name"] == "forwarded") forwarded = c["value"].get<double>();
      }
    }
    EXPECT_GT(dropped, 0) << direction << ": " << report["counters"].dump();
    std::cout << " " << direction << " dropped " << dropped << " of " << dropped + forwarded << " packets ("
              << 100 * dropped / (dropped + forwarded) << "%)";
  }
  std::cout << std::endl;
  std::filesystem::remove(report_path);
  EXPECT_TRUE(settles_to_before()) << "after:\n" << net_->ip_state() << "\nbefore:\n" << before_;

  Process killed = attach({"--loss", "100%"}, pid);
  EXPECT_LT(min_rtt_ms(), 0) << "100% loss: no reply";
  ::kill(killed.pid(), SIGKILL);
  killed.wait();
  const ProcessResult c = run_process(-1, {.argv = {SYNNET_TEST_BINARY, "--cleanup"}, .deadline = 30s});
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.out.find("interface eth0 in /proc/" + pid + "/ns/net: restored"), std::string::npos) << c.out;
  EXPECT_TRUE(settles_to_before()) << "after:\n" << net_->ip_state() << "\nbefore:\n" << before_;

  EXPECT_TRUE(web.running()) << "the container outlives its attaches";
  EXPECT_EQ(get("index.html").out, "hello from the podman container\n");
  EXPECT_LT(container_min_rtt_ms(), 5.0) << "after: a direct path again";
  web.remove();
  EXPECT_EQ(testing::PodmanContainer::host_traces(), traces) << "podman left something outside its directory";
}

TEST_F(AttachRun, BadTargetsExitTwoAndChangeNothing) {
  ProcessResult r = run_process(
      -1, {.argv = {SYNNET_TEST_BINARY, "attach", "--netns", net_->ctr.path(), "--dev", "nope0"}, .deadline = 30s});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no interface \"nope0\" in " + net_->ctr.path() + " (it has: lo, eth0)"), std::string::npos)
      << r.err;

  // synnet-test's own namespace is refused before anything is looked at (lo would be refused too).
  r = run_process(
      -1, {.argv = {SYNNET_TEST_BINARY, "attach", "--netns", "/proc/self/ns/net", "--dev", "lo"}, .deadline = 30s});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is synnet-test's own network namespace"), std::string::npos) << r.err;

  r = run_process(-1,
                  {.argv = {SYNNET_TEST_BINARY, "attach", "--netns", "999999999", "--dev", "eth0"}, .deadline = 30s});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot open the network namespace /proc/999999999/ns/net"), std::string::npos) << r.err;

  r = run_process(
      -1, {.argv = {SYNNET_TEST_BINARY, "attach", "--netns", net_->ctr.path(), "--dev", "eth0", "--rate", "1 Mbps"},
           .deadline = 30s});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--rate: \"1 Mbps\" is not a rate"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace synnet
