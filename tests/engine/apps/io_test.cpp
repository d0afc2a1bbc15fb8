// The I/O apps between two namespaces: the seed's PoC, with real ping and
// iperf3, for each way in and out: RawSocket ("packet") and XdpSocket in
// native and generic mode. Needs root; skips with a reason otherwise.
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "engine/apps/impair/loss.hpp"
#include "engine/apps/io/raw_socket.hpp"
#include "engine/apps/io/interface.hpp"
#include "engine/apps/io/xdp_socket.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <thread>

#include "engine/engine.hpp"
#include "engine/sys/fd.hpp"
#include "engine/sys/system_error.hpp"
#include "netns/ethtool.hpp"
#include "netns/process.hpp"
#include "tests/engine/gso_testing.hpp"
#include "tests/engine/test_apps.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

// The PoC topology with offloads off (wire-sized frames, complete checksums)
// and an engine forwarding between the wire namespace's two veth ends, with
// the I/O apps named by the test parameter.
struct Forwarder : ::testing::TestWithParam<std::string> {
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    topo.emplace();
    const Offloads off{.tx_checksum = false, .tso = false, .gso = false, .gro = false};
    topo->set_offloads(off, off);
    engine.emplace();
    engine->configure(network(GetParam()));
  }
  Config network(const std::string& io, bool rings = true) {
    Config c;
    for (const auto& [name, ifname] : {std::pair{"wa", topo->a_wire.b()}, std::pair{"wb", topo->b_wire.b()}}) {
      if (io == "packet") {
        c.app<RawSocket>(name, {.ifname = ifname, .netns = topo->wire.path(), .rx_ring = rings, .tx_ring = rings});
      } else {
        c.app<XdpSocket>(name, {.ifname = ifname, .netns = topo->wire.path(), .attach = io == "xdp_native" ? "native" : "generic"});
      }
    }
    c.link("wa.output -> wb.input").link("wb.output -> wa.input");
    return c;
  }
  int socket_fd(const std::string& app) {
    if (auto* r = engine->app_as<RawSocket>(app)) return r->socket_fd();
    return engine->app_as<XdpSocket>(app)->socket_fd();
  }
  bool packet_io() const { return GetParam() == "packet"; }
  void TearDown() override {
    stop_engine();
    engine.reset();
    topo.reset();
  }
  void start_engine() {
    thread = std::thread([this] {
      try {
        engine->run();
      } catch (const std::exception& e) {
        failure = e.what();
      }
    });
  }
  void stop_engine() {
    if (!thread.joinable()) return;
    engine->stop();
    thread.join();
  }
  ProcessResult ping(int count, const std::string& extra = "0.05") {
    return run_process(topo->a.fd(), {.argv = {"/usr/bin/ping", "-c", std::to_string(count), "-i", extra, "-W", "1",
                                               "198.18.0.2"},
                                      .env = {"LANG=C"},
                                      .deadline = 30s});
  }

  std::optional<testing::PocTopology> topo;
  std::optional<Engine> engine;
  std::thread thread;
  std::string failure;
};

TEST_P(Forwarder, SocketsLiveInTheWireNamespace) {
  // The kernel's answer (SIOCGSKNS), not our bookkeeping: a socket opened in
  // the wrong namespace would bind to an interface of that namespace.
  for (const char* app : {"wa", "wb"}) {
    Fd ns(::ioctl(socket_fd(app), SIOCGSKNS));
    ASSERT_TRUE(ns) << app << ": " << std::strerror(errno);
    struct stat st {};
    ASSERT_EQ(::fstat(ns.get(), &st), 0);
    EXPECT_EQ(st.st_ino, topo->wire.inode()) << app;
  }
}

TEST_P(Forwarder, WithoutTheEngineNoPacketCrosses) {
  const ProcessResult r = ping(3);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("0 received"), std::string::npos) << r.out;
}

TEST_P(Forwarder, PingCrossesWithoutDuplicates) {
  start_engine();
  const ProcessResult r = ping(50);
  stop_engine();
  EXPECT_TRUE(r.ok()) << r.describe() << "\n" << r.out;
  EXPECT_NE(r.out.find("50 packets transmitted, 50 received"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DUP!"), std::string::npos) << "looped or duplicated frames:\n" << r.out;
  const auto c = engine->counters();
  EXPECT_EQ(c.at("wb", "tx_packets"), c.at("wa", "rx_packets")) << "every frame from a went to b";
  EXPECT_EQ(c.at("wa", "tx_packets"), c.at("wb", "rx_packets"));
  EXPECT_GE(c.at("wa", "rx_packets"), 50u);  // the echo requests, plus ARP
  EXPECT_LE(c.at("wa", "rx_packets"), 60u) << "more frames than ping and ARP explain: duplicates?";
  EXPECT_TRUE(failure.empty()) << failure;
}

TEST_P(Forwarder, PingCrossesWithRecvmmsgAndSendmmsgInsteadOfRings) {
  if (!packet_io()) GTEST_SKIP() << "recvmmsg/sendmmsg are RawSocket's paths without rings";
  engine->configure(network("packet", false));
  start_engine();
  const ProcessResult r = ping(30);
  stop_engine();
  EXPECT_NE(r.out.find("30 packets transmitted, 30 received"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DUP!"), std::string::npos) << r.out;
  const auto c2 = engine->counters();
  EXPECT_EQ(c2.at("wb", "tx_packets"), c2.at("wa", "rx_packets"));
  EXPECT_GT(c2.at("wb", "tx_kicks"), 0u);
  EXPECT_EQ(c2.at("wa", "rx_ring") + c2.at("wa", "tx_ring"), 0u) << "the rings should be off";
  EXPECT_EQ(engine->pool().in_use(), 0u);
}

TEST_P(Forwarder, TcpIperf3CrossesAndPacketsAreConserved) {
  start_engine();
  Process server = Process::spawn(topo->b.fd(), {.argv = {"iperf3", "-s", "-1", "-B", "198.18.0.2", "--forceflush"}, .deadline = 30s, .kill_grace = 1s});
  ASSERT_TRUE(server.wait_for_output("listening", 2s)) << "iperf3 server did not start: " << server.errors();
  const ProcessResult client = run_process(
      topo->a.fd(), {.argv = {"iperf3", "-c", "198.18.0.2", "-t", "2", "--json"}, .deadline = 30s});
  ASSERT_TRUE(client.ok()) << client.describe() << "\n" << client.out << client.err;
  server.wait();
  stop_engine();

  const auto json = nlohmann::json::parse(client.out);
  const double bps = json["end"]["sum_received"]["bits_per_second"].get<double>();
  RecordProperty("tcp_gbps", std::to_string(bps / 1e9));
  EXPECT_GT(bps, 50e6) << "TCP through the engine should move far more than 50 Mbit/s";

  const auto c = engine->counters();
  if (packet_io()) {
    EXPECT_EQ(c.at("wa", "rx_csum_partial") + c.at("wb", "rx_csum_partial"), 0u)
        << "offloads are off: checksums are complete";
  }
  // Conservation: what each socket received = what the other sent + counted drops.
  const LinkCounters &ab = c.link("wa.output -> wb.input"), &ba = c.link("wb.output -> wa.input");
  EXPECT_EQ(c.at("wa", "rx_packets"), ab.txpackets + ab.txdrop);
  EXPECT_EQ(ab.rxpackets, c.at("wb", "tx_packets") + c.at("wb", "tx_oversize"));
  EXPECT_EQ(c.at("wb", "rx_packets"), ba.txpackets + ba.txdrop);
  EXPECT_EQ(ba.rxpackets, c.at("wa", "tx_packets") + c.at("wa", "tx_oversize"));
  EXPECT_EQ(ab.txpackets, ab.rxpackets) << "the stopped engine left packets on a link";
  EXPECT_EQ(engine->pool().in_use(), 0u);
}

// The receiver's count of TCP segments with a bad checksum (nstat, absolute values).
std::uint64_t tcp_csum_errors(Netns& ns) {
  const ProcessResult r = run_process(ns.fd(), {.argv = {"nstat", "-az", "TcpInCsumErrors"}, .deadline = 5s});
  const auto at = r.out.find("TcpInCsumErrors");
  return at == std::string::npos ? 0 : std::stoull(r.out.substr(at + 15));
}

TEST_P(Forwarder, ChecksumsAreCompletedWhenTxChecksumOffloadStaysOn) {
  if (!packet_io()) GTEST_SKIP() << "completing partial checksums is RawSocket's (it sees TP_STATUS_CSUMNOTREADY)";
  // Frames stay wire-sized (no TSO/GSO) but carry partial checksums.
  const Offloads csum_on{.tx_checksum = true, .tso = false, .gso = false, .gro = false};
  Ethtool(topo->a.fd()).set_offloads(topo->a_wire.a(), csum_on);
  Ethtool(topo->b.fd()).set_offloads(topo->b_wire.a(), csum_on);
  for (const bool rings : {true, false}) {  // the status comes from the ring header, or from PACKET_AUXDATA
    SCOPED_TRACE(rings ? "rings" : "recvmmsg/sendmmsg");
    engine->configure(network("packet", rings));
    start_engine();
    Process server = Process::spawn(topo->b.fd(), {.argv = {"iperf3", "-s", "-1", "-B", "198.18.0.2", "--forceflush"},
                                                   .deadline = 30s, .kill_grace = 1s});
    server.wait_for_output("listening", 2s);
    const ProcessResult client = run_process(
        topo->a.fd(), {.argv = {"iperf3", "-c", "198.18.0.2", "-t", "1", "--json", "--connect-timeout", "3000"}, .deadline = 20s});
    server.wait();
    stop_engine();
    ASSERT_TRUE(client.ok()) << client.describe() << "\n" << client.out << client.err;
    const auto c = engine->counters();
    EXPECT_EQ(c.at("wa", "rx_ring"), rings ? 1u : 0u);
    EXPECT_GT(c.at("wa", "rx_csum_partial"), 1000u) << "tx checksum offload is on: frames should arrive partial";
    EXPECT_EQ(c.at("wa", "rx_csum_dropped") + c.at("wb", "rx_csum_dropped"), 0u);
    EXPECT_EQ(tcp_csum_errors(topo->b), 0u) << "b received TCP segments with bad checksums";
    EXPECT_EQ(tcp_csum_errors(topo->a), 0u);
    engine->configure(Config{});  // new sockets (and counters) for the next round
  }
}

// Bulk mode: every offload on (TSO, GSO, tx checksums), the hosts' veths
// capped to super-frames a packet holds. `loss` puts a Loss app on a -> b, so
// some super-frames are cut in software: b's kernel then checks our checksums.
// kSegmentOnArrival: wa cuts super-frames on arrival instead
// (RawSocketSpec::segment) and wb is a plain port: only wire packets cross the
// engine. kCutOnTransmit: wa is bulk and wb the test parameter's plain port
// (a RawSocket without bulk, or an XdpSocket), which cuts the super-frames it
// is given into wire packets.
enum class BulkMode { kBulk, kSegmentOnArrival, kCutOnTransmit };

struct BulkRun {
  EngineCounters counters;
  std::uint64_t csum_errors_a = 0, csum_errors_b = 0;
  double bps = 0;
};

BulkRun run_bulk(Forwarder& t, bool rings, double loss, BulkMode mode = BulkMode::kBulk) {
  t.engine->configure(Config{});  // SetUp's sockets go first (an XDP program on wa takes TSO from a's veth)
  const Offloads on{.tx_checksum = true, .tso = true, .gso = true};
  // Cut on transmit: b's side carries wire packets only (an XdpSocket could not
  // complete the partial checksums of b's replies: AF_XDP has no such metadata).
  const Offloads b_side = mode == BulkMode::kCutOnTransmit ? Offloads{.tx_checksum = false, .tso = false, .gso = false} : on;
  t.topo->set_offloads(on, b_side);
  for (auto [ns, ifname] : {std::pair{&t.topo->a, t.topo->a_wire.a()}, std::pair{&t.topo->b, t.topo->b_wire.a()}}) {
    const ProcessResult r = run_process(ns->fd(), {.argv = {"ip", "link", "set", "dev", ifname, "gso_max_size",
                                                            std::to_string(RawSocket::kBulkGsoMaxSize)},
                                                   .deadline = 5s});
    EXPECT_TRUE(r.ok()) << r.describe() << r.err;
  }
  Config c;
  const bool segment = mode == BulkMode::kSegmentOnArrival;
  c.app<RawSocket>("wa", {.ifname = t.topo->a_wire.b(), .netns = t.topo->wire.path(), .rx_ring = rings,
                          .tx_ring = rings, .bulk = !segment, .segment = segment});
  if (mode == BulkMode::kCutOnTransmit && !t.packet_io()) {
    c.app<XdpSocket>("wb", {.ifname = t.topo->b_wire.b(), .netns = t.topo->wire.path(),
                            .attach = t.GetParam() == "xdp_native" ? "native" : "generic"});
  } else {
    c.app<RawSocket>("wb", {.ifname = t.topo->b_wire.b(), .netns = t.topo->wire.path(), .rx_ring = rings,
                            .tx_ring = rings, .bulk = mode == BulkMode::kBulk});
  }
  if (loss > 0) {
    c.app<Loss>("loss", {.ratio = loss});
    c.link("wa.output -> loss.input").link("loss.output -> wb.input");
  } else {
    c.link("wa.output -> wb.input");
  }
  c.link("wb.output -> wa.input");
  t.engine->configure(c);
  t.start_engine();
  Process server = Process::spawn(t.topo->b.fd(), {.argv = {"iperf3", "-s", "-1", "-B", "198.18.0.2", "--forceflush"},
                                                   .deadline = 30s, .kill_grace = 1s});
  server.wait_for_output("listening", 2s);
  const ProcessResult client = run_process(
      t.topo->a.fd(), {.argv = {"iperf3", "-c", "198.18.0.2", "-t", "2", "--json", "--connect-timeout", "3000"}, .deadline = 20s});
  server.wait();
  t.stop_engine();
  EXPECT_TRUE(client.ok()) << client.describe() << "\n" << client.out << client.err;
  BulkRun r;
  if (client.ok() && !client.out.empty()) r.bps = nlohmann::json::parse(client.out)["end"]["sum_received"]["bits_per_second"].get<double>();
  r.counters = t.engine->counters();
  r.csum_errors_a = tcp_csum_errors(t.topo->a);
  r.csum_errors_b = tcp_csum_errors(t.topo->b);
  EXPECT_TRUE(t.failure.empty()) << t.failure;
  return r;
}

TEST_P(Forwarder, BulkModeCarriesTcpSuperFramesWholeWithOffloadsOn) {
  if (!packet_io()) GTEST_SKIP() << "bulk mode is RawSocket's (PACKET_VNET_HDR); AF_XDP has no offload metadata";
  for (const bool rings : {true, false}) {  // the vnet header in the ring frame, or as the first iovec
    SCOPED_TRACE(rings ? "rings" : "recvmmsg/sendmmsg");
    const BulkRun r = run_bulk(*this, rings, 0);
    const auto& c = r.counters;
    RecordProperty(rings ? "bulk_tcp_gbps" : "bulk_mmsg_tcp_gbps", std::to_string(r.bps / 1e9));
    EXPECT_GT(r.bps, 50e6);
    EXPECT_GT(c.at("wa", "rx_gso_frames"), 1000u) << "TSO is on: super-frames should arrive";
    EXPECT_GT(c.at("wa", "rx_gso_segments"), 2 * c.at("wa", "rx_gso_frames")) << "each stands for several wire packets";
    EXPECT_EQ(c.at("wa", "rx_oversize") + c.at("wb", "rx_oversize"), 0u)
        << "gso_max_size keeps super-frames in a packet";
    EXPECT_EQ(c.at("wa", "rx_gso_malformed") + c.at("wb", "rx_gso_malformed"), 0u);
    EXPECT_EQ(c.at("wa", "rx_csum_dropped") + c.at("wb", "rx_csum_dropped"), 0u);
    EXPECT_EQ(r.csum_errors_b, 0u) << "b received TCP segments with bad checksums";
    EXPECT_EQ(r.csum_errors_a, 0u);
    // Conservation, in frames and, for the super-frames, in wire packets.
    const LinkCounters &ab = c.link("wa.output -> wb.input"), &ba = c.link("wb.output -> wa.input");
    EXPECT_EQ(c.at("wa", "rx_packets"), ab.txpackets + ab.txdrop);
    EXPECT_EQ(ab.rxpackets, c.at("wb", "tx_packets") + c.at("wb", "tx_oversize"));
    EXPECT_EQ(c.at("wb", "rx_packets"), ba.txpackets + ba.txdrop);
    EXPECT_EQ(ba.rxpackets, c.at("wa", "tx_packets") + c.at("wa", "tx_oversize"));
    EXPECT_EQ(c.at("wb", "tx_oversize") + c.at("wa", "tx_oversize"), 0u);
    if (ab.txdrop == 0) {
      EXPECT_EQ(c.at("wb", "tx_gso_frames"), c.at("wa", "rx_gso_frames"));
      EXPECT_EQ(c.at("wb", "tx_gso_segments"), c.at("wa", "rx_gso_segments"));
    }
    EXPECT_EQ(engine->pool().in_use(), 0u);
    engine->configure(Config{});  // new sockets (and counters) for the next round
  }
}

TEST_P(Forwarder, BulkModeLossCutsSuperFramesIntoWirePacketsTheReceiverAccepts) {
  if (!packet_io()) GTEST_SKIP() << "bulk mode is RawSocket's (PACKET_VNET_HDR)";
  const BulkRun r = run_bulk(*this, true, 0.01);
  const auto& c = r.counters;
  EXPECT_GT(r.bps, 10e6);
  EXPECT_GT(c.at("loss", "segmented"), 10u) << "1% of the wire packets lost: super-frames must be cut";
  EXPECT_GT(c.at("loss", "dropped_loss"), 0u);
  EXPECT_EQ(c.at("loss", "dropped_no_buffer"), 0u);
  EXPECT_EQ(r.csum_errors_b, 0u) << "the wire packets cut in software carry bad checksums";
  // What Loss took in, in wire packets, left it or was counted.
  const LinkCounters& in = c.link("wa.output -> loss.input");
  if (in.txdrop == 0) {
    EXPECT_EQ(c.at("wa", "rx_packets") - c.at("wa", "rx_gso_frames") + c.at("wa", "rx_gso_segments"),
              c.at("loss", "forwarded") + c.at("loss", "dropped_loss"));
  }
  EXPECT_EQ(engine->pool().in_use(), 0u);
}

TEST_P(Forwarder, SegmentModeCutsSuperFramesIntoWirePacketsOnArrival) {
  if (!packet_io()) GTEST_SKIP() << "segment mode is RawSocket's (PACKET_VNET_HDR)";
  for (const bool rings : {true, false}) {
    SCOPED_TRACE(rings ? "rings" : "recvmmsg/sendmmsg");
    const BulkRun r = run_bulk(*this, rings, 0, BulkMode::kSegmentOnArrival);
    const auto& c = r.counters;
    EXPECT_GT(r.bps, 50e6);
    EXPECT_GT(c.at("wa", "rx_gso_frames"), 1000u) << "TSO is on upstream: super-frames should arrive";
    EXPECT_EQ(c.at("wa", "rx_segment_dropped") + c.at("wa", "rx_oversize") + c.at("wa", "rx_csum_dropped"), 0u);
    EXPECT_EQ(c.at("wb", "tx_gso_frames") + c.at("wb", "tx_oversize") + c.at("wb", "tx_csum_dropped"), 0u)
        << "only complete wire packets leave";
    EXPECT_EQ(r.csum_errors_b, 0u) << "b received TCP segments with bad checksums";
    // Every wire packet that arrived crossed the link (or was counted there) and left.
    const LinkCounters& ab = c.link("wa.output -> wb.input");
    EXPECT_EQ(c.at("wa", "rx_packets") - c.at("wa", "rx_gso_frames") + c.at("wa", "rx_gso_segments"),
              ab.txpackets + ab.txdrop);
    EXPECT_EQ(ab.rxpackets, c.at("wb", "tx_packets"));
    EXPECT_EQ(engine->pool().in_use(), 0u);
    engine->configure(Config{});
  }
}

// A plain port given super-frames by a bulk port sends the wire packets they
// stand for, in order, with complete checksums (before: it dropped every one
// larger than its MTU as tx_oversize, and TCP through it stalled).
TEST_P(Forwarder, APlainPortCutsSuperFramesFromABulkPortIntoWirePackets) {
  for (const bool rings : packet_io() ? std::vector<bool>{true, false} : std::vector<bool>{true}) {
    SCOPED_TRACE(rings ? "rings" : "recvmmsg/sendmmsg");
    const BulkRun r = run_bulk(*this, rings, 0, BulkMode::kCutOnTransmit);
    const auto& c = r.counters;
    EXPECT_GT(r.bps, 50e6);
    EXPECT_GT(c.at("wa", "rx_gso_frames"), 1000u) << "TSO is on upstream: super-frames should arrive";
    EXPECT_GT(c.at("wb", "tx_segmented"), 1000u) << "wb should have cut them";
    EXPECT_EQ(c.at("wb", "tx_segment_dropped") + c.at("wb", "tx_oversize") + c.at("wb", "tx_csum_dropped"), 0u);
    EXPECT_EQ(r.csum_errors_b, 0u) << "b received TCP segments with bad checksums";
    // Every wire packet wa received left through wb (or was counted on the link).
    const LinkCounters& ab = c.link("wa.output -> wb.input");
    if (ab.txdrop == 0) {
      EXPECT_EQ(c.at("wa", "rx_packets") - c.at("wa", "rx_gso_frames") + c.at("wa", "rx_gso_segments"),
                c.at("wb", "tx_packets"));
    }
    EXPECT_EQ(engine->pool().in_use(), 0u);
    engine->configure(Config{});
  }
}

TEST_P(Forwarder, AnInterfaceDeletedUnderTheEngineEndsItWithAClearError) {
  start_engine();
  std::this_thread::sleep_for(100ms);
  const auto t0 = std::chrono::steady_clock::now();
  topo->wire.netlink().delete_link(topo->b_wire.b());  // also removes b's end
  thread.join();  // the engine must end by itself
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_NE(failure.find("app \"wb\": interface \"" + topo->b_wire.b() + "\" was deleted"), std::string::npos)
      << failure;
}

// Stopping leaves the interfaces as they were: no XDP program left attached
// (libxdp detaches by ifindex, so it must do so in the wire namespace), and a
// new engine binds them again.
TEST_P(Forwarder, AStoppedEngineLeavesNoXdpProgramAndTheInterfacesBindAgain) {
  engine.reset();
  for (const std::string& ifname : {topo->a_wire.b(), topo->b_wire.b()}) {
    const ProcessResult r = run_process(topo->wire.fd(), {.argv = {"ip", "-d", "link", "show", "dev", ifname}, .deadline = 10s});
    ASSERT_TRUE(r.ok()) << r.err;
    EXPECT_EQ(r.out.find("prog/xdp"), std::string::npos) << ifname << " kept an XDP program:\n" << r.out;
  }
  engine.emplace();
  EXPECT_NO_THROW(engine->configure(network(GetParam())));
}

TEST_P(Forwarder, AMissingInterfaceIsAClearConfigureError) {
  Config c;
  if (packet_io()) {
    c.app<RawSocket>("x", {.ifname = "nosuch0", .netns = topo->wire.path()});
  } else {
    c.app<XdpSocket>("x", {.ifname = "nosuch0", .netns = topo->wire.path()});
  }
  try {
    engine->configure(c);
    FAIL();
  } catch (const SystemError& e) {
    EXPECT_NE(std::string(e.what()).find(" on \"nosuch0\" in " + topo->wire.path() + ": no such interface"),
              std::string::npos)
        << e.what();
  }
}

// `n` frames of `bytes` bytes each, to an unknown unicast MAC (b's kernel
// counts and drops them), with the Ethernet type `ethertype`.
std::vector<std::vector<std::uint8_t>> frames(std::size_t n, std::size_t bytes, std::uint16_t ethertype = 0x88b5) {
  std::vector<std::uint8_t> f(bytes, 0x41);
  const std::uint8_t head[14] = {0x02, 0, 0, 0, 0, 0x99, 0x02, 0, 0, 0, 0, 0x01,
                                 static_cast<std::uint8_t>(ethertype >> 8), static_cast<std::uint8_t>(ethertype & 0xff)};
  std::memcpy(f.data(), head, sizeof head);
  return std::vector<std::vector<std::uint8_t>>(n, f);
}

// An engine that only sends: SendOnce into the I/O app (the test parameter)
// on the wire end of b's veth; b's interface counts what arrives.
struct Sender : ::testing::TestWithParam<std::string> {
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    topo.emplace();
    // Else the wire end's own IPv6 chatter (MLD, router solicitations) reaches b's count.
    topo->wire.set_sysctl("net.ipv6.conf.all.disable_ipv6", "1");
  }
  void configure(const std::vector<std::vector<std::uint8_t>>& burst) {
    Config c;
    c.app<testing::SendOnce>("burst", {.frames = burst});
    if (GetParam() == "packet") {
      c.app<RawSocket>("tx", {.ifname = topo->b_wire.b(), .netns = topo->wire.path(), .receive = false});
    } else {
      c.app<XdpSocket>("tx", {.ifname = topo->b_wire.b(), .netns = topo->wire.path(), .attach = "native"});
    }
    c.link("burst.output -> tx.input");
    engine.configure(c);
  }
  void TearDown() override {
    engine.configure(Config{});
    topo.reset();
  }
  std::uint64_t arrived() { return topo->b.netlink().link_info(topo->b_wire.a()).rx_packets; }
  void run_for(Duration d) { engine.run({.duration = d}); }

  std::optional<testing::PocTopology> topo;
  Engine engine;
};

// Frames sent while the interface was down wait in the TX ring and leave
// once it is up, though nothing new comes: 10 frames the ring holds, 1500 fill
// it and the rest wait on the link.
TEST_P(Sender, FramesQueuedWhileTheInterfaceWasDownLeaveOnceItIsUp) {
  for (const std::size_t n : {std::size_t{10}, std::size_t{1500}}) {
    SCOPED_TRACE(std::to_string(n) + " frames");
    if (n != 10) {  // a fresh interface and engine
      TearDown();
      SetUp();
    }
    configure(frames(n, 60));  // the burst comes at the first breath
    topo->wire.netlink().set_up(topo->b_wire.b(), false);
    const std::uint64_t before = arrived();
    run_for(500ms);
    EXPECT_EQ(arrived(), before);
    // Tries while down back off to one per 50 ms (TxRetry): 1, 2, 4 ... 32 ms,
    // then 50, so about 15 in 500 ms, not 500.
    std::uint64_t tries = 0;
    for (const Counter& k : engine.counters().apps) {
      if (k.app == "tx" && k.name.rfind("tx_error_", 0) == 0) tries += k.value;
    }
    EXPECT_LT(tries, 40u);
    topo->wire.netlink().set_up(topo->b_wire.b());
    run_for(300ms);
    EXPECT_EQ(arrived() - before, n);
  }
}

// A burst larger than what one send() takes (an AF_XDP socket in copy mode
// sends 32 frames per call) leaves whole, though no frame follows it.
TEST_P(Sender, ABurstLeavesWholeWithoutMoreTraffic) {
  configure(frames(900, 60));
  const std::uint64_t before = arrived();
  run_for(300ms);
  EXPECT_EQ(arrived() - before, 900u);
}

// The kernel refuses an untagged frame longer than MTU + 14 (only an
// 802.1Q-tagged one may have 4 bytes more). Such a frame is dropped and
// counted before it reaches the TX ring, and never holds up the frames
// behind it; a tagged frame of the same length leaves.
TEST_P(Sender, AFrameTheKernelWouldRefuseIsCountedAndHoldsUpNothing) {
  if (GetParam() != "packet") GTEST_SKIP() << "the rule is AF_PACKET's; an AF_XDP socket hands the frame to the driver";
  std::vector<std::vector<std::uint8_t>> burst = frames(1, 1500 + 14 + 4);
  for (const auto& f : frames(5, 60)) burst.push_back(f);
  burst.push_back(frames(1, 1500 + 14 + 4, 0x8100)[0]);
  configure(burst);
  const std::uint64_t before = arrived();
  run_for(300ms);
  EXPECT_EQ(arrived() - before, 6u);
  EXPECT_EQ(engine.counters().at("tx", "tx_oversize"), 1u);
}

// Down, then deleted: the engine ends with the reason, though the socket
// heard of the deletion only as "down" (SO_ERROR is set once, at down).
TEST_P(Sender, AnInterfaceDownThenDeletedEndsTheEngine) {
  configure(frames(10, 60));
  topo->wire.netlink().set_up(topo->b_wire.b(), false);
  std::thread deleter([this] {
    std::this_thread::sleep_for(300ms);
    topo->wire.netlink().delete_link(topo->b_wire.b());
  });
  try {
    run_for(3s);
    ADD_FAILURE() << "the engine ran on after its interface was deleted";
  } catch (const EngineFailure& e) {
    EXPECT_NE(std::string(e.what()).find("was deleted"), std::string::npos) << e.what();
  }
  deleter.join();
}

// The socket of a configuration that replaces another on the same interface
// binds, though the kernel releases the old socket's queue asynchronously.
TEST_P(Sender, ASocketReplacedAtOnceBindsAgain) {
  for (int i = 0; i < 5; ++i) {
    configure(frames(1, 60));
    engine.configure(Config{});
  }
}

INSTANTIATE_TEST_SUITE_P(Io, Sender, ::testing::Values("packet", "xdp_native"));

// Segment mode cuts each super-frame into its wire packets (44 here). Into a
// link with less room than that, the packets past the room were lost as the
// link's txdrop. Now a frame is read only while the link has room for what
// it may become, and the rest wait in the kernel's ring. 40 super-frames
// (1760 wire packets) into a link of 1024 that nobody reads.
TEST(SegmentMode, ReadsASuperFrameOnlyWhileItsWirePacketsFitTheLink) {
  SYNNET_REQUIRE_ROOT();
  testing::PocTopology topo;
  const Offloads on{.tx_checksum = true, .tso = true, .gso = true};
  topo.set_offloads(on, on);
  Engine engine;
  Config c;
  c.app<RawSocket>("wa", {.ifname = topo.a_wire.b(), .netns = topo.wire.path(), .segment = true});
  c.app<testing::Stall>("stall", {});
  c.link("wa.output -> stall.input");
  engine.configure(c);

  // Sent into a's veth as a TSO sender would (PACKET_VNET_HDR): each arrives
  // on wa whole, as one super-frame.
  constexpr std::uint16_t kMss = 1448;
  constexpr std::size_t kSegments = 44, kFrames = 40;
  const testing::SuperFrame sf{.payload = kSegments * kMss, .gso_size = kMss};
  auto frame = std::make_unique<Packet>();
  sf.build(*frame);
  struct {
    std::uint8_t flags, gso_type;
    std::uint16_t hdr_len, gso_size, csum_start, csum_offset;
  } vnet{1, 1, static_cast<std::uint16_t>(sf.header()), kMss, frame->offload.csum_start, frame->offload.csum_offset};
  Fd sock = socket_in_netns(topo.a.path(), AF_PACKET, SOCK_RAW, 0, "test");
  const int one = 1;
  ASSERT_EQ(::setsockopt(sock.get(), SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one), 0) << std::strerror(errno);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_IP);
  to.sll_ifindex = topo.a.netlink().link_info(topo.a_wire.a()).ifindex;
  for (std::size_t i = 0; i < kFrames; ++i) {
    iovec iov[2] = {{&vnet, sizeof vnet}, {frame->data, frame->length}};
    msghdr m{};
    m.msg_name = &to;
    m.msg_namelen = sizeof to;
    m.msg_iov = iov;
    m.msg_iovlen = 2;
    ASSERT_EQ(::sendmsg(sock.get(), &m, 0), static_cast<ssize_t>(sizeof vnet + frame->length)) << std::strerror(errno);
  }

  engine.run({.duration = 300ms});
  const auto n = engine.counters();
  const LinkCounters& link = n.link("wa.output -> stall.input");
  EXPECT_EQ(link.txdrop, 0u);
  EXPECT_EQ(link.txpackets, n.at("wa", "rx_gso_frames") * kSegments) << "whole super-frames only";
  EXPECT_GT(link.txpackets, Link::kCapacity - 128) << "the link filled up to the last frame that fit";
  EXPECT_LT(n.at("wa", "rx_gso_frames"), kFrames) << "the rest wait in the kernel's ring";
}

TEST(RawSocketSpecTest, BulkAndSegmentExcludeEachOther) {
  const RawSocketSpec both{.ifname = "eth0", .bulk = true, .segment = true};
  try {
    both.validate();
    FAIL() << "bulk and segment together";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "segment: cuts super-frames on arrival, bulk carries them whole: choose one");
  }
  EXPECT_NO_THROW((RawSocketSpec{.ifname = "eth0", .segment = true}.validate()));
  try {
    RawSocketSpec{.ifname = "eth0", .segment = true, .receive = false}.validate();
    FAIL() << "segment without receiving accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "segment: acts on arrival, and a send-only socket (receive = false) receives nothing");
  }
}

TEST(XdpSocketBind, ASecondSocketOnTheSameQueueSaysWhy) {
  SYNNET_REQUIRE_ROOT();
  testing::PocTopology topo;
  Engine engine;
  Config c;
  c.app<XdpSocket>("one", {.ifname = topo.a_wire.b(), .netns = topo.wire.path()});
  c.app<XdpSocket>("two", {.ifname = topo.a_wire.b(), .netns = topo.wire.path()});
  try {
    engine.configure(c);
    FAIL() << "two AF_XDP sockets bound the same queue";
  } catch (const SystemError& e) {
    EXPECT_NE(std::string(e.what()).find("xdpsock on \"" + topo.a_wire.b() + "\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("already uses this interface or queue"), std::string::npos) << e.what();
  }
  EXPECT_EQ(engine.app("one"), nullptr) << "a failed configure changes nothing";
}

INSTANTIATE_TEST_SUITE_P(Io, Forwarder, ::testing::Values("packet", "xdp_native", "xdp_generic"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace synnet
