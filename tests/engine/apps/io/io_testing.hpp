// io_testing.hpp — what the I/O apps' privileged tests share.
//
//   Forwarder   fixture: the PoC topology and an engine forwarding between the
//               wire namespace's two veth ends, through the I/O app named by the
//               test parameter ("packet": RawSocket; "xdp_native", "xdp_generic": XdpSocket)
//   Sender      fixture: an engine that only sends, into the parameter's I/O app on b's wire end
//   frames(n, bytes), tcp_csum_errors(ns), run_bulk(t, rings, loss, mode)
//
// The TEST_Ps on these fixtures are every I/O app's contract:
// raw_socket_test.cpp defines most and instantiates them for "packet",
// xdp_socket_test.cpp for the XDP modes. The fixtures live in a named
// namespace so that both files share one type per suite.
#pragma once

#include <arpa/inet.h>
#include <sys/socket.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/apps/impair/loss.hpp"
#include "engine/apps/io/raw_socket.hpp"
#include "engine/apps/io/xdp_socket.hpp"
#include "engine/engine.hpp"
#include "netns/ethtool.hpp"
#include "netns/process.hpp"
#include "tests/engine/test_apps.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet::testing {

using namespace std::chrono_literals;
using Raw = RawSocketSpec;

inline Raw::Rx rx_path(bool rings) { return rings ? Raw::Rx::ring : Raw::Rx::recvmmsg; }
inline Raw::Tx tx_path(bool rings) { return rings ? Raw::Tx::ring : Raw::Tx::sendmmsg; }
inline XdpSocketSpec::Attach xdp_attach(const std::string& io) {
  return io == "xdp_native" ? XdpSocketSpec::Attach::native : XdpSocketSpec::Attach::generic;
}

// The name a parameterized I/O test gets: its parameter ("packet", "xdp_native", ...).
inline std::string io_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

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
        c.app<RawSocket>(name,
                         {.ifname = ifname, .netns = topo->wire.path(), .rx = rx_path(rings), .tx = tx_path(rings)});
      } else {
        c.app<XdpSocket>(name, {.ifname = ifname, .netns = topo->wire.path(), .attach = xdp_attach(io)});
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
    return run_process(topo->a.fd(),
                       {.argv = {"/usr/bin/ping", "-c", std::to_string(count), "-i", extra, "-W", "1", "198.18.0.2"},
                        .env = {"LANG=C"},
                        .deadline = 30s});
  }

  std::optional<testing::PocTopology> topo;
  std::optional<Engine> engine;
  std::thread thread;
  std::string failure;
};

// The receiver's count of TCP segments with a bad checksum (nstat, absolute values).
inline std::uint64_t tcp_csum_errors(Netns& ns) {
  const ProcessResult r = run_process(ns.fd(), {.argv = {"nstat", "-az", "TcpInCsumErrors"}, .deadline = 5s});
  const auto at = r.out.find("TcpInCsumErrors");
  return at == std::string::npos ? 0 : std::stoull(r.out.substr(at + 15));
}

// Bulk mode: every offload on (TSO, GSO, tx checksums), the hosts' veths
// capped to super-frames a packet holds. `loss` puts a Loss app on a -> b, so
// some super-frames are cut in software: b's kernel then checks our checksums.
// kSegmentOnArrival: wa cuts super-frames on arrival instead
// (RawSocketSpec::Offloads::segment) and wb is a plain port: only wire packets cross the
// engine. kCutOnTransmit: wa is bulk and wb the test parameter's plain port
// (a RawSocket without bulk, or an XdpSocket), which cuts the super-frames it
// is given into wire packets.
enum class BulkMode { kBulk, kSegmentOnArrival, kCutOnTransmit };

struct BulkRun {
  EngineCounters counters;
  std::uint64_t csum_errors_a = 0, csum_errors_b = 0;
  double bps = 0;
};

inline BulkRun run_bulk(Forwarder& t, bool rings, double loss, BulkMode mode = BulkMode::kBulk) {
  t.engine->configure(Config{});  // SetUp's sockets go first (an XDP program on wa takes TSO from a's veth)
  const Offloads on{.tx_checksum = true, .tso = true, .gso = true};
  // Cut on transmit: b's side carries wire packets only (an XdpSocket could not
  // complete the partial checksums of b's replies: AF_XDP has no such metadata).
  const Offloads b_side =
      mode == BulkMode::kCutOnTransmit ? Offloads{.tx_checksum = false, .tso = false, .gso = false} : on;
  t.topo->set_offloads(on, b_side);
  for (auto [ns, ifname] : {std::pair{&t.topo->a, t.topo->a_wire.a()}, std::pair{&t.topo->b, t.topo->b_wire.a()}}) {
    const ProcessResult r = run_process(ns->fd(), {.argv = {"ip", "link", "set", "dev", ifname, "gso_max_size",
                                                            std::to_string(RawSocket::kBulkGsoMaxSize)},
                                                   .deadline = 5s});
    EXPECT_TRUE(r.ok()) << r.describe() << r.err;
  }
  Config c;
  const bool segment = mode == BulkMode::kSegmentOnArrival;
  c.app<RawSocket>("wa", {.ifname = t.topo->a_wire.b(),
                          .netns = t.topo->wire.path(),
                          .rx = rx_path(rings),
                          .tx = tx_path(rings),
                          .offloads = segment ? Raw::Offloads::segment : Raw::Offloads::bulk});
  if (mode == BulkMode::kCutOnTransmit && !t.packet_io()) {
    c.app<XdpSocket>("wb",
                     {.ifname = t.topo->b_wire.b(), .netns = t.topo->wire.path(), .attach = xdp_attach(t.GetParam())});
  } else {
    c.app<RawSocket>("wb", {.ifname = t.topo->b_wire.b(),
                            .netns = t.topo->wire.path(),
                            .rx = rx_path(rings),
                            .tx = tx_path(rings),
                            .offloads = mode == BulkMode::kBulk ? Raw::Offloads::bulk : Raw::Offloads::wire});
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
  Process server = Process::spawn(
      t.topo->b.fd(),
      {.argv = {"iperf3", "-s", "-1", "-B", "198.18.0.2", "--forceflush"}, .deadline = 30s, .kill_grace = 1s});
  server.wait_for_output("listening", 2s);
  const ProcessResult client = run_process(
      t.topo->a.fd(),
      {.argv = {"iperf3", "-c", "198.18.0.2", "-t", "2", "--json", "--connect-timeout", "3000"}, .deadline = 20s});
  server.wait();
  t.stop_engine();
  EXPECT_TRUE(client.ok()) << client.describe() << "\n" << client.out << client.err;
  BulkRun r;
  if (client.ok() && !client.out.empty())
    r.bps = nlohmann::json::parse(client.out)["end"]["sum_received"]["bits_per_second"].get<double>();
  r.counters = t.engine->counters();
  r.csum_errors_a = tcp_csum_errors(t.topo->a);
  r.csum_errors_b = tcp_csum_errors(t.topo->b);
  EXPECT_TRUE(t.failure.empty()) << t.failure;
  return r;
}

// `n` frames of `bytes` bytes each, to an unknown unicast MAC (b's kernel
// counts and drops them), with the Ethernet type `ethertype`.
inline std::vector<std::vector<std::uint8_t>> frames(std::size_t n, std::size_t bytes,
                                                     std::uint16_t ethertype = 0x88b5) {
  std::vector<std::uint8_t> f(bytes, 0x41);
  const std::uint8_t head[14] = {0x02,
                                 0,
                                 0,
                                 0,
                                 0,
                                 0x99,
                                 0x02,
                                 0,
                                 0,
                                 0,
                                 0,
                                 0x01,
                                 static_cast<std::uint8_t>(ethertype >> 8),
                                 static_cast<std::uint8_t>(ethertype & 0xff)};
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
      c.app<RawSocket>("tx", {.ifname = topo->b_wire.b(), .netns = topo->wire.path(), .rx = Raw::Rx::none});
    } else {
      c.app<XdpSocket>(
          "tx", {.ifname = topo->b_wire.b(), .netns = topo->wire.path(), .attach = XdpSocketSpec::Attach::native});
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

}  // namespace synnet::testing
