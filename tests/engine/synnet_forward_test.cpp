// The synnet-forward command, run as a user runs it: bad arguments exit 2
// and say what is wrong (no root needed); as root, it forwards ping between
// the PoC topology's namespaces for --duration and ends with its reports.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "netns/ethtool.hpp"
#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

ProcessResult forward(std::vector<std::string> args, std::chrono::seconds deadline = 20s) {
  args.insert(args.begin(), SYNNET_FORWARD_PATH);
  return run_process(-1, {.argv = args, .env = {"LANG=C"}, .deadline = deadline});
}

// Whether a ping from a to b crosses within about 4 s (20 tries of 0.2 s): the
// forwarder is up. With --quiet it prints nothing before the end.
bool forwards_within_4s(testing::PocTopology& t) {
  for (int i = 0; i < 20; ++i) {
    if (run_process(t.a.fd(), {.argv = {"ping", "-c", "1", "-W", "0.2", "198.18.0.2"}, .deadline = 5s}).ok())
      return true;
  }
  return false;
}

TEST(SynnetForward, BadArgumentsExitTwoAndSayWhatIsWrong) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"veth0"}, "IF2 is required"},
      {{"--io", "dpdk", "veth0", "veth1"}, "--io: dpdk not in {packet,xdp}"},
      {{"--cpu", "-1", "veth0", "veth1"}, "--cpu"},
      {{"--bulk", "--io", "xdp", "veth0", "veth1"}, "--bulk needs --io packet"},
      {{"--engines", "2", "--io", "xdp", "veth0", "veth1"}, "--engines 2 needs --io packet"},
      {{"--engines", "2", "--cpu", "0", "veth0", "veth1"}, "--cpu would put them on one CPU"},
      {{"--engines", "3", "veth0", "veth1"}, "--engines: Value 3 not in range 1 to 2"},
      {{"--netns", "/nonexistent/ns", "veth0", "veth1"}, "--netns"},
  };
  for (const Case& c : cases) {
    const ProcessResult r = forward(c.args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(c.args) << ": " << r.describe() << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << ::testing::PrintToString(c.args) << ": " << r.err;
  }
  const ProcessResult help = forward({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos) << help.out;
}

TEST(SynnetForward, ACpuThatIsNotThereIsRefusedWithTheCpusThatAre) {
  const ProcessResult r = forward({"--cpu", "1000", "veth0", "veth1"});  // refused before any interface is touched
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("--cpu 1000: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("this machine has CPUs 0 to "), std::string::npos) << r.err;
}

TEST(SynnetForward, ForwardsPingForItsDurationAndEndsWithItsReports) {
  SYNNET_REQUIRE_ROOT();
  testing::PocTopology t;
  Process fwd = Process::spawn(-1, {.argv = {SYNNET_FORWARD_PATH, "--quiet", "--cpu", "0", "--duration", "6", "--netns",
                                             t.wire.path(), t.a_wire.b(), t.b_wire.b()},
                                    .deadline = 30s});
  ASSERT_TRUE(forwards_within_4s(t)) << "no ping crossed synnet-forward within 4 s";
  const ProcessResult ping = run_process(
      t.a.fd(),
      {.argv = {"ping", "-c", "3", "-i", "0.2", "-w", "3", "198.18.0.2"}, .env = {"LANG=C"}, .deadline = 10s});
  EXPECT_TRUE(ping.ok()) << ping.out << ping.err;
  EXPECT_NE(ping.out.find("3 received"), std::string::npos) << ping.out;
  const ProcessResult done = fwd.wait();
  EXPECT_EQ(done.exit_code, 0) << done.describe() << "\n" << done.err;
  EXPECT_NE(done.out.find("sent on if1.output -> if2.input"), std::string::npos) << done.out;
  EXPECT_NE(done.out.find("if1.rx_packets"), std::string::npos) << done.out;
}

// One engine per direction (the default with packet I/O): TCP crosses both
// ways (data a -> b, ACKs back), each direction's frames leave only through
// its send-only socket, nothing is sent twice, and the two engines' reports
// every second come whole, each under its direction's title.
TEST(SynnetForward, ByDefaultCarriesTcpWithAnEnginePerDirection) {
  SYNNET_REQUIRE_ROOT();
  testing::PocTopology t;
  const Offloads off{.tx_checksum = false, .tso = false, .gso = false, .gro = false};  // wire packets only
  t.set_offloads(off, off);
  Process fwd = Process::spawn(
      -1, {.argv = {SYNNET_FORWARD_PATH, "--duration", "8", "--netns", t.wire.path(), t.a_wire.b(), t.b_wire.b()},
           .deadline = 30s});
  ASSERT_TRUE(forwards_within_4s(t)) << "no ping crossed synnet-forward within 4 s";
  Process server = Process::spawn(
      t.b.fd(),
      {.argv = {"iperf3", "-s", "-1", "-B", "198.18.0.2", "--forceflush"}, .deadline = 20s, .kill_grace = 1s});
  server.wait_for_output("listening", 2s);
  const ProcessResult client = run_process(
      t.a.fd(), {.argv = {"iperf3", "-c", "198.18.0.2", "-t", "2", "--connect-timeout", "3000"}, .deadline = 15s});
  EXPECT_TRUE(client.ok()) << client.describe() << "\n" << client.out << client.err;
  server.wait();
  const ProcessResult done = fwd.wait();
  EXPECT_EQ(done.exit_code, 0) << done.describe() << "\n" << done.err;
  const std::string there_title = t.a_wire.b() + " -> " + t.b_wire.b() + ":\n";
  const std::string back_title = t.b_wire.b() + " -> " + t.a_wire.b() + ":\n";
  // Every load line opens a report, right after its title.
  int reports = 0;
  for (auto at = done.out.find("load: "); at != std::string::npos; at = done.out.find("load: ", at + 1), ++reports) {
    const std::string before = done.out.substr(0, at);
    EXPECT_TRUE(before.ends_with(there_title) || before.ends_with(back_title))
        << "a report cut into, or without its title, at byte " << at << ":\n"
        << done.out;
  }
  EXPECT_GE(reports, 10) << "two engines reporting every second for 8 s:\n" << done.out;
  // The final reports come last, one per direction.
  const auto there = done.out.rfind(there_title + "link report:"), back = done.out.rfind(back_title + "link report:");
  ASSERT_NE(there, std::string::npos) << done.out;
  ASSERT_NE(back, std::string::npos) << done.out;
  // Each engine's send-only socket ("tx") received nothing; the frames its
  // receiving socket took all left through it.
  const auto counter = [&](std::size_t from, const std::string& name) -> std::uint64_t {
    const auto at = done.out.find("  " + name + ": ", from);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no counter " << name << " after byte " << from << " in:\n" << done.out;
      return 0;
    }
    return std::stoull(done.out.substr(at + name.size() + 4));
  };
  for (const std::size_t from : {there, back}) {
    EXPECT_EQ(counter(from, "tx.rx_packets"), 0u);
    EXPECT_EQ(counter(from, "rx.rx_oversize"), 0u) << "offloads are off: wire packets only";
    EXPECT_GT(counter(from, "rx.rx_packets"), 1000u) << done.out;
    EXPECT_EQ(counter(from, "tx.tx_packets"), counter(from, "rx.rx_packets"));
  }
}

}  // namespace
}  // namespace synnet
