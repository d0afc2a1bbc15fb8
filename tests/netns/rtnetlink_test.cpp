// Veth pairs, link state, addresses and routes over rtnetlink — and real ping across them.
#include "netns/rtnetlink.hpp"

#include <gtest/gtest.h>

#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::PocTopology;

struct TwoHosts : ::testing::Test {
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    run.emplace(RunId::create());
    a.emplace(Netns::create(run->name("a")));
    b.emplace(Netns::create(run->name("b")));
    veth.emplace(Veth::create(*a, run->name("a0"), *b, run->name("b0")));
    for (Netns* ns : {&*a, &*b}) ns->netlink().set_up("lo");
    a->netlink().set_up(veth->a());
    b->netlink().set_up(veth->b());
  }
  void TearDown() override {  // reverse order of SetUp
    veth.reset();
    b.reset();
    a.reset();
    run.reset();
  }
  ProcessResult ping(Netns& from, const std::string& to) {
    return run_process(
        from.fd(),
        {.argv = {"/usr/bin/ping", "-c", "3", "-i", "0.2", "-W", "2", to}, .env = {"LANG=C"}, .deadline = 15s});
  }
  std::optional<RunId> run;
  std::optional<Netns> a, b;
  std::optional<Veth> veth;
};

TEST_F(TwoHosts, EachEndIsCreatedInItsNamespace) {
  EXPECT_TRUE(a->netlink().has_link(veth->a()));
  EXPECT_FALSE(a->netlink().has_link(veth->b()));
  EXPECT_TRUE(b->netlink().has_link(veth->b()));
  EXPECT_FALSE(RtNetlink().has_link(veth->a())) << "nothing may appear in the caller's namespace";
}

TEST_F(TwoHosts, PingCrossesTheVethOverIPv4) {
  Address aa = Address::add(*a, veth->a(), "198.18.0.1/24");
  Address ba = Address::add(*b, veth->b(), "198.18.0.2/24");
  const ProcessResult r = ping(*a, "198.18.0.2");
  EXPECT_TRUE(r.ok()) << r.describe() << "\n" << r.out << r.err;
  EXPECT_NE(r.out.find("3 packets transmitted, 3 received"), std::string::npos) << r.out;
}

TEST_F(TwoHosts, PingCrossesTheVethOverIPv6WithoutWaitingForDad) {
  Address aa = Address::add(*a, veth->a(), "2001:2::1/64");  // 2001:2::/48: RFC 5180 benchmarking
  Address ba = Address::add(*b, veth->b(), "2001:2::2/64");
  const ProcessResult r = ping(*a, "2001:2::2");
  EXPECT_TRUE(r.ok()) << r.describe() << "\n" << r.out << r.err;
  EXPECT_NE(r.out.find("3 packets transmitted, 3 received"), std::string::npos) << r.out;
  const ProcessResult show =
      run_process(a->fd(), {.argv = {"ip", "-6", "-o", "addr", "show", veth->a()}, .deadline = 5s});
  const auto line_start = show.out.find("2001:2::1/64");
  ASSERT_NE(line_start, std::string::npos) << show.out;
  const std::string line = show.out.substr(line_start, show.out.find('\n', line_start) - line_start);
  EXPECT_EQ(line.find("tentative"), std::string::npos) << line;
  EXPECT_NE(line.find("nodad"), std::string::npos) << line;
}

TEST_F(TwoHosts, WithoutTheVethUpNothingCrosses) {
  Address aa = Address::add(*a, veth->a(), "198.18.0.1/24");
  Address ba = Address::add(*b, veth->b(), "198.18.0.2/24");
  b->netlink().set_up(veth->b(), false);
  EXPECT_FALSE(b->netlink().link_info(veth->b()).up);
  const ProcessResult r = run_process(
      a->fd(), {.argv = {"/usr/bin/ping", "-c", "1", "-W", "1", "198.18.0.2"}, .env = {"LANG=C"}, .deadline = 10s});
  EXPECT_EQ(r.exit_code, 1) << r.out;
}

TEST_F(TwoHosts, MtuAndMacAreSetAndReadBack) {
  a->netlink().set_mtu(veth->a(), 9000);
  a->netlink().set_mac(veth->a(), "02:00:00:00:00:01");
  const LinkInfo info = a->netlink().link_info(veth->a());
  EXPECT_EQ(info.mtu, 9000u);
  EXPECT_EQ(info.mac, "02:00:00:00:00:01");
  EXPECT_TRUE(info.up);
  EXPECT_GT(info.ifindex, 0);
}

TEST_F(TwoHosts, PermanentNeighboursNeedNoResolution) {
  Address aa = Address::add(*a, veth->a(), "198.18.0.1/24");
  Address ba = Address::add(*b, veth->b(), "198.18.0.2/24");
  a->netlink().add_neighbor(veth->a(), "198.18.0.2", b->netlink().link_info(veth->b()).mac);
  const ProcessResult shown = run_process(a->fd(), {.argv = {"ip", "neigh", "show", "dev", veth->a()}, .deadline = 5s});
  EXPECT_NE(shown.out.find("198.18.0.2 lladdr " + b->netlink().link_info(veth->b()).mac + " PERMANENT"),
            std::string::npos)
      << shown.out << shown.err;
  // With both entries, the ping's frames are all that crosses: no ARP. (IPv6
  // is off so that no neighbour discovery or MLD adds frames of its own.)
  b->netlink().add_neighbor(veth->b(), "198.18.0.1", a->netlink().link_info(veth->a()).mac);
  for (Netns* ns : {&*a, &*b}) ns->set_sysctl("net.ipv6.conf.all.disable_ipv6", "1");
  const auto a_rx = a->netlink().link_info(veth->a()).rx_packets;
  const auto b_rx = b->netlink().link_info(veth->b()).rx_packets;
  const ProcessResult r = ping(*a, "198.18.0.2");
  EXPECT_NE(r.out.find("3 packets transmitted, 3 received"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(b->netlink().link_info(veth->b()).rx_packets - b_rx, 3u) << "3 echo requests, no ARP request";
  EXPECT_EQ(a->netlink().link_info(veth->a()).rx_packets - a_rx, 3u) << "3 echo replies, no ARP request";
  EXPECT_THROW(a->netlink().add_neighbor(veth->a(), "198.18.0.3", "not-a-mac"), NetlinkError);
}

TEST_F(TwoHosts, TheKernelsExtendedAckTextReachesTheException) {
  try {
    a->netlink().set_mtu(veth->a(), 1'000'000);
    FAIL() << "the kernel accepted an MTU of 1,000,000";
  } catch (const NetlinkError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code().value(), EINVAL);
    EXPECT_NE(what.find("set mtu 1000000 on \"" + veth->a() + "\""), std::string::npos) << what;
    // The kernel's own words (dev_validate_mtu's extended ACK), not just strerror.
    EXPECT_NE(what.find("mtu greater than device maximum"), std::string::npos) << "no extended ACK text in: " << what;
  }
}

TEST_F(TwoHosts, UnknownInterfacesAreNamed) {
  try {
    a->netlink().set_up("nosuch0");
    FAIL();
  } catch (const NetlinkError& e) {
    EXPECT_NE(std::string(e.what()).find("\"nosuch0\""), std::string::npos) << e.what();
  }
  EXPECT_FALSE(a->netlink().delete_link("nosuch0"));  // already gone is not an error
}

TEST_F(TwoHosts, RoutesIncludingDefault) {
  Address aa = Address::add(*a, veth->a(), "198.18.0.1/24");
  Address ba = Address::add(*b, veth->b(), "198.18.0.2/24");
  Address far = Address::add(*b, "lo", "198.19.5.5/32");
  a->netlink().add_route("default", std::string("198.18.0.2"));
  b->netlink().add_route("198.19.0.0/16", std::nullopt, veth->b());
  const ProcessResult routes = run_process(a->fd(), {.argv = {"ip", "route"}, .deadline = 5s});
  EXPECT_NE(routes.out.find("default via 198.18.0.2"), std::string::npos) << routes.out;
  const ProcessResult r = ping(*a, "198.19.5.5");  // only reachable through the default route
  EXPECT_TRUE(r.ok()) << r.describe() << "\n" << r.out;
  Address a6 = Address::add(*a, veth->a(), "2001:2::1/64");
  Address b6 = Address::add(*b, veth->b(), "2001:2::2/64");
  a->netlink().add_route("default", std::string("2001:2::2"));
  const ProcessResult routes6 = run_process(a->fd(), {.argv = {"ip", "-6", "route"}, .deadline = 5s});
  EXPECT_NE(routes6.out.find("default via 2001:2::2"), std::string::npos) << routes6.out;
}

TEST_F(TwoHosts, LinksMoveBetweenNamespaces) {
  Netns c = Netns::create(run->name("c"));
  b->netlink().move_link(veth->b(), c.fd());
  EXPECT_FALSE(b->netlink().has_link(veth->b()));
  EXPECT_TRUE(c.netlink().has_link(veth->b()));
}

TEST_F(TwoHosts, AddressesAreRemovedWithTheirObject) {
  {
    Address aa = Address::add(*a, veth->a(), "198.18.0.1/24");
    EXPECT_THROW(Address::add(*a, veth->a(), "198.18.0.1/24"), NetlinkError);  // EEXIST
  }
  const ProcessResult show = run_process(a->fd(), {.argv = {"ip", "-4", "addr", "show", veth->a()}, .deadline = 5s});
  EXPECT_EQ(show.out.find("198.18.0.1"), std::string::npos) << show.out;
}

TEST(PocTopologyTest, PingsAcrossTheWireOnceItIsBridged) {
  SYNNET_REQUIRE_ROOT();
  PocTopology t;
  const auto ping = [&] {
    return run_process(
        t.a.fd(), {.argv = {"/usr/bin/ping", "-c", "1", "-W", "1", "198.18.0.2"}, .env = {"LANG=C"}, .deadline = 10s});
  };
  EXPECT_EQ(ping().exit_code, 1) << "nothing forwards in the wire namespace yet: no packet may cross";
  // Stand in for the engine with a Linux bridge in the wire namespace.
  ASSERT_TRUE(run_process(t.wire.fd(), {.argv = {"ip", "link", "add", "br0", "type", "bridge"}, .deadline = 5s}).ok());
  for (const std::string& port : {t.a_wire.b(), t.b_wire.b()}) {
    ASSERT_TRUE(run_process(t.wire.fd(), {.argv = {"ip", "link", "set", port, "master", "br0"}, .deadline = 5s}).ok());
  }
  t.wire.netlink().set_up("br0");
  // The bridge's first moments can lose the first ARP request: allow 5 s for a reply.
  const ProcessResult r = run_process(
      t.a.fd(),
      {.argv = {"/usr/bin/ping", "-c", "3", "-i", "0.2", "-w", "5", "198.18.0.2"}, .env = {"LANG=C"}, .deadline = 10s});
  EXPECT_TRUE(r.ok()) << r.describe() << r.out;
}

}  // namespace
}  // namespace synnet
