// raw_socket_test.cpp — RawSocket between two namespaces, with real ping and
// iperf3: rings and recvmmsg/sendmmsg, checksums, bulk and segment modes, a
// sender whose interface goes down. The Forwarder and Sender tests defined
// here are every I/O app's contract (io_testing.hpp): instantiated here for
// RawSocket ("packet"), in xdp_socket_test.cpp for XdpSocket. Needs root;
// skips with a reason otherwise (RawSocketSpec's tests need none).
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <thread>

#include "engine/apps/io/raw_socket.hpp"
#include "engine/sys/fd.hpp"
#include "engine/sys/in_netns.hpp"
#include "engine/sys/system_error.hpp"
#include "tests/engine/apps/io/io_testing.hpp"
#include "tests/engine/gso_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::BulkMode;
using testing::BulkRun;
using testing::Forwarder;
using testing::frames;
using testing::Raw;
using testing::Sender;
using testing::tcp_csum_errors;

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
  Process server = Process::spawn(
      topo->b.fd(),
      {.argv = {"iperf3", "-s", "-1", "-B", "198.18.0.2", "--forceflush"}, .deadline = 30s, .kill_grace = 1s});
  ASSERT_TRUE(server.wait_for_output("listening", 2s)) << "iperf3 server did not start: " << server.errors();
  const ProcessResult client =
      run_process(topo->a.fd(), {.argv = {"iperf3", "-c", "198.18.0.2", "-t", "2", "--json"}, .deadline = 30s});
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
    Process server = Process::spawn(
        topo->b.fd(),
        {.argv = {"iperf3", "-s", "-1", "-B", "198.18.0.2", "--forceflush"}, .deadline = 30s, .kill_grace = 1s});
    server.wait_for_output("listening", 2s);
    const ProcessResult client = run_process(
        topo->a.fd(),
        {.argv = {"iperf3", "-c", "198.18.0.2", "-t", "1", "--json", "--connect-timeout", "3000"}, .deadline = 20s});
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
  thread.join();                                       // the engine must end by itself
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_NE(failure.find("app \"wb\": interface \"" + topo->b_wire.b() + "\" was deleted"), std::string::npos)
      << failure;
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
  c.app<RawSocket>("wa", {.ifname = topo.a_wire.b(), .netns = topo.wire.path(), .offloads = Raw::Offloads::segment});
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

TEST(RawSocketSpecTest, SegmentModeNeedsASocketThatReceives) {
  EXPECT_NO_THROW((RawSocketSpec{.ifname = "eth0", .offloads = Raw::Offloads::segment}.validate()));
  EXPECT_NO_THROW(
      (RawSocketSpec{.ifname = "eth0", .rx = Raw::Rx::recvmmsg, .offloads = Raw::Offloads::segment}.validate()));
  try {
    RawSocketSpec{.ifname = "eth0", .rx = Raw::Rx::none, .offloads = Raw::Offloads::segment}.validate();
    FAIL() << "segment without receiving accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "offloads: segment acts on arrival, and a send-only socket (rx = none) receives nothing");
  }
  EXPECT_NO_THROW((RawSocketSpec{.ifname = "eth0", .rx = Raw::Rx::none, .offloads = Raw::Offloads::bulk}.validate()));
}

TEST(RawSocketSpecTest, RingFramesAreZeroOrAPowerOfTwoFromEight) {
  for (const std::uint32_t n : {0u, 8u, 256u, 4096u}) {
    EXPECT_NO_THROW((RawSocketSpec{.ifname = "eth0", .ring_frames = n}.validate())) << n;
  }
  for (const std::uint32_t n : {1u, 4u, 100u}) {
    EXPECT_THROW((RawSocketSpec{.ifname = "eth0", .ring_frames = n}.validate()), std::invalid_argument) << n;
  }
  EXPECT_THROW((RawSocketSpec{.ifname = ""}.validate()), std::invalid_argument);
  EXPECT_THROW((RawSocketSpec{.ifname = "a-name-of-16-chr"}.validate()), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Io, Forwarder, ::testing::Values("packet"), testing::io_name);
INSTANTIATE_TEST_SUITE_P(Io, Sender, ::testing::Values("packet"), testing::io_name);

}  // namespace
}  // namespace synnet
