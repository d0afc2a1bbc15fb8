// network_test.cpp — network.hpp as pure functions of parsed scenarios (no
// root): network_of's segments and interfaces, the default addresses
// resolve_network gives, the routes it computes (or keeps), and
// why_unreachable's answer for each way traffic can fail to get there.
#include "harness/scenario/network.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/scenario/scenario.hpp"

namespace synnet {
namespace {

// A scenario from its hosts, switches and links (JSON arrays) with a ping
// between the first two hosts `from` and `to`, which must be reachable.
std::string scenario_text(const std::string& hosts, const std::string& switches, const std::string& links,
                          const std::string& from, const std::string& to) {
  return R"({"name": "net", "hosts": )" + hosts + R"(, "switches": )" + switches + R"(, "links": )" + links +
         R"(, "traffic": [{"ping": {"from": ")" + from + R"(", "to": ")" + to + R"("}}]})";
}

Scenario parse(const std::string& hosts, const std::string& switches, const std::string& links, const std::string& from,
               const std::string& to) {
  return parse_scenario(scenario_text(hosts, switches, links, from, to));
}

const ScenarioHost& host(const Scenario& s, const std::string& name) {
  for (const ScenarioHost& h : s.hosts) {
    if (h.name == name) return h;
  }
  throw std::out_of_range("no host " + name);
}

std::vector<std::string> texts(const std::vector<HostAddress>& addresses) {
  std::vector<std::string> out;
  for (const HostAddress& a : addresses) out.push_back(a.str());
  return out;
}

// "to via v" for each route, in order: easier to read in a failure than the structs.
std::vector<std::string> routes(const ScenarioHost& h) {
  std::vector<std::string> out;
  for (const HostRoute& r : h.routes) out.push_back(r.to + " via " + r.via + (r.ipv6 ? " (v6)" : ""));
  return out;
}

// client - r - server: a router between two host-to-host links.
const char* const kRouterHosts = R"([{"name": "c"}, {"name": "r", "forward": true}, {"name": "s"}])";
const char* const kRouterLinks = R"([{"a": "c", "b": "r"}, {"a": "r", "b": "s"}])";

// ---- network_of: segments and interfaces -------------------------------------------

TEST(NetworkOf, EachHostToHostLinkIsASegmentAndARouterJoinsThemIntoOneNetwork) {
  const Scenario s = parse(kRouterHosts, "[]", kRouterLinks, "c", "s");
  const Network n = network_of(s);
  ASSERT_EQ(n.segments.size(), 2u);
  EXPECT_EQ(n.segments[0].links, (std::vector<std::size_t>{0}));
  EXPECT_EQ(n.segments[1].links, (std::vector<std::size_t>{1}));
  EXPECT_TRUE(n.segments[0].switches.empty());
  EXPECT_EQ(n.segments[0].network, 0u);
  EXPECT_EQ(n.segments[1].network, 0u);
  EXPECT_EQ(n.segment_of_link, (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(n.switch_names.empty());

  // Interfaces: host by host in file order, each in link order.
  ASSERT_EQ(n.interfaces.size(), 4u);
  const auto r = n.interfaces_of("r");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]->ifname, "eth0");
  EXPECT_EQ(r[0]->link, 0u);
  EXPECT_FALSE(r[0]->a_end);  // r is link 0's b
  EXPECT_EQ(r[0]->segment, 0u);
  EXPECT_EQ(r[1]->ifname, "eth1");
  EXPECT_EQ(r[1]->link, 1u);
  EXPECT_TRUE(r[1]->a_end);
  EXPECT_EQ(r[1]->segment, 1u);
  EXPECT_EQ(n.interfaces[0].host, "c");
  EXPECT_EQ(n.interfaces[3].host, "s");
  EXPECT_EQ(n.segments[0].interfaces, (std::vector<std::size_t>{0, 1}));  // c eth0, r eth0
  EXPECT_EQ(n.segments[1].interfaces, (std::vector<std::size_t>{2, 3}));  // r eth1, s eth0

  ASSERT_NE(n.interface_on("r", 1), nullptr);
  EXPECT_EQ(n.interface_on("r", 1)->ifname, "eth1");
  EXPECT_EQ(n.interface_on("c", 1), nullptr);
  EXPECT_TRUE(n.interfaces_of("nobody").empty());
}

TEST(NetworkOf, InterfacesFollowTheOrderOfTheLinksNotOfTheEnds) {
  // h's links: 0 (as b), 1 (as a), 2 (as b): eth0, eth1, eth2 in that order.
  const Scenario s = parse(R"([{"name": "h"}, {"name": "x"}, {"name": "y"}, {"name": "z"}])", "[]",
                           R"([{"a": "x", "b": "h"}, {"a": "h", "b": "y"}, {"a": "z", "b": "h"}])", "h", "x");
  const Network n = network_of(s);
  const auto h = n.interfaces_of("h");
  ASSERT_EQ(h.size(), 3u);
  for (std::size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(h[i]->ifname, "eth" + std::to_string(i));
    EXPECT_EQ(h[i]->link, i);
    EXPECT_EQ(h[i]->segment, i);
  }
  EXPECT_EQ(h[1]->a_end, true);
  EXPECT_EQ(h[2]->a_end, false);
  EXPECT_EQ(n.interfaces_of("z").at(0)->ifname, "eth0");
}

TEST(NetworkOf, ATreeOfSwitchesIsOneSegment) {
  // s1 - s2 - s3 in a line, hosts on each: every link is on one segment.
  const Scenario s =
      parse(R"([{"name": "n1"}, {"name": "n2"}, {"name": "n3"}, {"name": "n4"}])",
            R"([{"name": "s1"}, {"name": "s2"}, {"name": "s3"}])",
            R"([{"a": "n1", "b": "s1"}, {"a": "s1", "b": "s2"}, {"a": "n2", "b": "s2"}, {"a": "s3", "b": "s2"},
                {"a": "n3", "b": "s3"}, {"a": "s1", "b": "n4"}])",
            "n1", "n3");
  const Network n = network_of(s);
  ASSERT_EQ(n.segments.size(), 1u);
  EXPECT_EQ(n.segments[0].links, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(n.segments[0].switches, (std::vector<std::string>{"s1", "s2", "s3"}));  // in the order of their first link
  EXPECT_EQ(n.segments[0].interfaces.size(), 4u);  // the hosts' only: switch ends are no interfaces
  EXPECT_EQ(n.segment_of_link, (std::vector<std::size_t>(6, 0)));
  EXPECT_TRUE(n.is_switch("s2"));
  EXPECT_FALSE(n.is_switch("n2"));
  EXPECT_FALSE(n.is_switch("nobody"));
  EXPECT_EQ(n.interfaces.size(), 4u);
  for (const HostInterface& i : n.interfaces) EXPECT_EQ(i.ifname, "eth0") << i.host;
}

TEST(NetworkOf, TwoSwitchesNotLinkedAreTwoSegmentsAndHostsJoinTheirNetworks) {
  // s1 and s2 are separate segments; the router joins them (one network);
  // the pair x-y is a network of its own.
  const Scenario s = parse(R"([{"name": "a"}, {"name": "r", "forward": true}, {"name": "b"}, {"name": "x"},
                               {"name": "y"}])",
                           R"([{"name": "s1"}, {"name": "s2"}])",
                           R"([{"a": "x", "b": "y"}, {"a": "a", "b": "s1"}, {"a": "r", "b": "s1"},
                               {"a": "r", "b": "s2"}, {"a": "b", "b": "s2"}])",
                           "a", "b");
  const Network n = network_of(s);
  ASSERT_EQ(n.segments.size(), 3u);  // in the order of their first link
  EXPECT_EQ(n.segments[0].links, (std::vector<std::size_t>{0}));
  EXPECT_EQ(n.segments[1].links, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(n.segments[1].switches, (std::vector<std::string>{"s1"}));
  EXPECT_EQ(n.segments[2].links, (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(n.segments[2].switches, (std::vector<std::string>{"s2"}));
  EXPECT_EQ(n.segments[0].network, 0u);
  EXPECT_EQ(n.segments[1].network, 1u);
  EXPECT_EQ(n.segments[2].network, 1u);
}

TEST(NetworkOf, DisjointPairsAreSeparateNetworks) {
  const Scenario s = parse(R"([{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}])", "[]",
                           R"([{"a": "a", "b": "b"}, {"a": "c", "b": "d"}])", "a", "b");
  const Network n = network_of(s);
  ASSERT_EQ(n.segments.size(), 2u);
  EXPECT_EQ(n.segments[0].network, 0u);
  EXPECT_EQ(n.segments[1].network, 1u);
}

// ---- Default addresses -------------------------------------------------------------

TEST(DefaultAddresses, DisjointPairsKeepTheHostIndexPlusOneIn198_18_0) {
  const Scenario s = parse(R"([{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}])", "[]",
                           R"([{"a": "a", "b": "b"}, {"a": "c", "b": "d"}])", "a", "b");
  EXPECT_EQ(texts(host(s, "a").addresses), (std::vector<std::string>{"198.18.0.1/24"}));
  EXPECT_EQ(texts(host(s, "b").addresses), (std::vector<std::string>{"198.18.0.2/24"}));
  EXPECT_EQ(texts(host(s, "c").addresses), (std::vector<std::string>{"198.18.0.3/24"}));
  EXPECT_EQ(texts(host(s, "d").addresses), (std::vector<std::string>{"198.18.0.4/24"}));
  // ... and on the link ends, where the runner reads them.
  EXPECT_EQ(texts(s.links[1].a_addresses), (std::vector<std::string>{"198.18.0.3/24"}));
  EXPECT_EQ(texts(s.links[1].b_addresses), (std::vector<std::string>{"198.18.0.4/24"}));
}

TEST(DefaultAddresses, ARoutersTwoSegmentsGetTwoSubnets) {
  const Scenario s = parse(kRouterHosts, "[]", kRouterLinks, "c", "s");
  EXPECT_EQ(texts(host(s, "c").addresses), (std::vector<std::string>{"198.18.0.1/24"}));
  EXPECT_EQ(texts(host(s, "r").addresses), (std::vector<std::string>{"198.18.0.2/24", "198.18.1.2/24"}));
  EXPECT_EQ(texts(host(s, "s").addresses), (std::vector<std::string>{"198.18.1.3/24"}));
  EXPECT_EQ(texts(s.links[0].b_addresses), (std::vector<std::string>{"198.18.0.2/24"}));  // r's eth0
  EXPECT_EQ(texts(s.links[1].a_addresses), (std::vector<std::string>{"198.18.1.2/24"}));  // r's eth1
}

TEST(DefaultAddresses, EveryHostOnASwitchIsInOneSubnet) {
  const Scenario s = parse(R"([{"name": "n1"}, {"name": "n2"}, {"name": "n3"}])", R"([{"name": "s1"}])",
                           R"([{"a": "n1", "b": "s1"}, {"a": "n2", "b": "s1"}, {"a": "s1", "b": "n3"}])", "n1", "n3");
  EXPECT_EQ(texts(host(s, "n1").addresses), (std::vector<std::string>{"198.18.0.1/24"}));
  EXPECT_EQ(texts(host(s, "n2").addresses), (std::vector<std::string>{"198.18.0.2/24"}));
  EXPECT_EQ(texts(host(s, "n3").addresses), (std::vector<std::string>{"198.18.0.3/24"}));
  EXPECT_TRUE(s.links[2].a_addresses.empty());  // the switch's end
  EXPECT_EQ(texts(s.links[2].b_addresses), (std::vector<std::string>{"198.18.0.3/24"}));
}

TEST(DefaultAddresses, AGivenAddressSetsItsSegmentsSubnet) {
  const Scenario s =
      parse(kRouterHosts, "[]",
            R"([{"a": {"node": "c", "addresses": ["198.18.5.1/24"]}, "b": "r"}, {"a": "r", "b": "s"}])", "c", "s");
  EXPECT_EQ(texts(host(s, "c").addresses), (std::vector<std::string>{"198.18.5.1/24"}));
  // r on c's segment: in 198.18.5.0/24; the other segment takes the first free /24.
  EXPECT_EQ(texts(host(s, "r").addresses), (std::vector<std::string>{"198.18.5.2/24", "198.18.0.2/24"}));
  EXPECT_EQ(texts(host(s, "s").addresses), (std::vector<std::string>{"198.18.0.3/24"}));
}

TEST(DefaultAddresses, AGivenSubnetOtherThanA24IsKept) {
  const Scenario s = parse(R"([{"name": "a", "addresses": ["198.18.4.1/22"]}, {"name": "b"}])", "[]",
                           R"([{"a": "a", "b": "b"}])", "a", "b");
  EXPECT_EQ(texts(host(s, "b").addresses), (std::vector<std::string>{"198.18.4.2/22"}));
}

TEST(DefaultAddresses, ADefaultStepsPastATakenAddress) {
  // b's default 198.18.0.2 is a's: b gets the next free one.
  const Scenario s = parse(R"([{"name": "a", "addresses": ["198.18.0.2/24"]}, {"name": "b"}])", "[]",
                           R"([{"a": "a", "b": "b"}])", "a", "b");
  EXPECT_EQ(texts(host(s, "a").addresses), (std::vector<std::string>{"198.18.0.2/24"}));
  EXPECT_EQ(texts(host(s, "b").addresses), (std::vector<std::string>{"198.18.0.3/24"}));
}

TEST(DefaultAddresses, AHostsOwnAddressesMoveOntoItsOneLinkEnd) {
  const Scenario s = parse(R"([{"name": "a", "addresses": ["198.18.0.7/24", "2001:2::7/64"]}, {"name": "b"}])", "[]",
                           R"([{"a": "b", "b": "a"}])", "a", "b");
  EXPECT_EQ(texts(s.links[0].b_addresses), (std::vector<std::string>{"198.18.0.7/24", "2001:2::7/64"}));
  EXPECT_EQ(texts(host(s, "a").addresses), (std::vector<std::string>{"198.18.0.7/24", "2001:2::7/64"}));
  EXPECT_EQ(texts(host(s, "b").addresses), (std::vector<std::string>{"198.18.0.2/24"}));
}

TEST(DefaultAddresses, AHostsAddressesAreItsInterfacesInOrder) {
  const Scenario s = parse(kRouterHosts, "[]",
                           R"([{"a": "c", "b": {"node": "r", "addresses": ["198.18.2.1/24", "2001:2:0:2::1/64"]}},
                               {"a": {"node": "r", "addresses": ["198.18.3.1/24"]}, "b": "s"}])",
                           "c", "s");
  EXPECT_EQ(texts(host(s, "r").addresses),
            (std::vector<std::string>{"198.18.2.1/24", "2001:2:0:2::1/64", "198.18.3.1/24"}));
  EXPECT_EQ(texts(host(s, "c").addresses), (std::vector<std::string>{"198.18.2.2/24"}));  // index 0 + 1 is taken
  EXPECT_EQ(texts(host(s, "s").addresses), (std::vector<std::string>{"198.18.3.3/24"}));
}

// ---- Routes ------------------------------------------------------------------------

TEST(Routes, AClientGetsARouteToTheServersSubnetViaTheRouter) {
  const Scenario s = parse(kRouterHosts, "[]", kRouterLinks, "c", "s");
  EXPECT_EQ(routes(host(s, "c")), (std::vector<std::string>{"198.18.1.0/24 via 198.18.0.2"}));
  EXPECT_EQ(routes(host(s, "s")), (std::vector<std::string>{"198.18.0.0/24 via 198.18.1.2"}));
  EXPECT_TRUE(host(s, "r").routes.empty());  // on both subnets itself
  EXPECT_FALSE(host(s, "c").routes_given);
  EXPECT_EQ(host(s, "c").routes[0].path, "");  // computed
  EXPECT_EQ(why_unreachable(s, "c", "198.18.1.3"), "");
  EXPECT_EQ(why_unreachable(s, "s", "198.18.0.1"), "");
}

TEST(Routes, AChainOfTwoRoutersGoesViaTheFirst) {
  // c - r1 - r2 - s: subnets 198.18.0, .1, .2.
  const Scenario s = parse(R"([{"name": "c"}, {"name": "r1", "forward": true}, {"name": "r2", "forward": true},
                               {"name": "s"}])",
                           "[]", R"([{"a": "c", "b": "r1"}, {"a": "r1", "b": "r2"}, {"a": "r2", "b": "s"}])", "c", "s");
  EXPECT_EQ(texts(host(s, "r2").addresses), (std::vector<std::string>{"198.18.1.3/24", "198.18.2.3/24"}));
  EXPECT_EQ(routes(host(s, "c")),
            (std::vector<std::string>{"198.18.1.0/24 via 198.18.0.2", "198.18.2.0/24 via 198.18.0.2"}));
  EXPECT_EQ(routes(host(s, "r1")), (std::vector<std::string>{"198.18.2.0/24 via 198.18.1.3"}));
  EXPECT_EQ(routes(host(s, "r2")), (std::vector<std::string>{"198.18.0.0/24 via 198.18.1.2"}));
  EXPECT_EQ(routes(host(s, "s")),
            (std::vector<std::string>{"198.18.0.0/24 via 198.18.2.3", "198.18.1.0/24 via 198.18.2.3"}));
  EXPECT_EQ(why_unreachable(s, "c", "198.18.2.4"), "");
  EXPECT_EQ(why_unreachable(s, "s", "198.18.0.1"), "");
}

TEST(Routes, TheShortestPathInHopsWins) {
  // c's subnet reaches s's two ways: through r1 and r2 (two hops) or through
  // r3 (one hop): the route goes via r3 although r1 comes first.
  const Scenario s = parse(R"([{"name": "c"}, {"name": "r1", "forward": true}, {"name": "r2", "forward": true},
                               {"name": "r3", "forward": true}, {"name": "s"}])",
                           R"([{"name": "sc"}, {"name": "ss"}])",
                           R"([{"a": "c", "b": "sc"}, {"a": "r1", "b": "sc"}, {"a": "r3", "b": "sc"},
                               {"a": "r1", "b": "r2"}, {"a": "r2", "b": "ss"}, {"a": "r3", "b": "ss"},
                               {"a": "s", "b": "ss"}])",
                           "c", "s");
  // Segments: sc (198.18.0), r1-r2 (198.18.1), ss (198.18.2).
  EXPECT_EQ(texts(host(s, "r3").addresses), (std::vector<std::string>{"198.18.0.4/24", "198.18.2.4/24"}));
  EXPECT_EQ(routes(host(s, "c")),
            (std::vector<std::string>{"198.18.1.0/24 via 198.18.0.2", "198.18.2.0/24 via 198.18.0.4"}));
}

TEST(Routes, TiesGoToTheRouterThatComesFirstInTheFile) {
  // Two routers join the same two switches; r2 is listed before r1.
  const Scenario s = parse(R"([{"name": "c"}, {"name": "r2", "forward": true}, {"name": "r1", "forward": true},
                               {"name": "s"}])",
                           R"([{"name": "s1"}, {"name": "s2"}])",
                           R"([{"a": "c", "b": "s1"}, {"a": "r1", "b": "s1"}, {"a": "r2", "b": "s1"},
                               {"a": "r1", "b": "s2"}, {"a": "r2", "b": "s2"}, {"a": "s", "b": "s2"}])",
                           "c", "s");
  EXPECT_EQ(texts(host(s, "r2").addresses), (std::vector<std::string>{"198.18.0.2/24", "198.18.1.2/24"}));
  EXPECT_EQ(texts(host(s, "r1").addresses), (std::vector<std::string>{"198.18.0.3/24", "198.18.1.3/24"}));
  EXPECT_EQ(routes(host(s, "c")), (std::vector<std::string>{"198.18.1.0/24 via 198.18.0.2"}));  // r2's
  EXPECT_EQ(routes(host(s, "s")), (std::vector<std::string>{"198.18.0.0/24 via 198.18.1.2"}));
}

TEST(Routes, IPv6SubnetsGetRoutesViaTheRoutersIPv6Address) {
  const Scenario s = parse(kRouterHosts, "[]",
                           R"([{"a": {"node": "c", "addresses": ["198.18.0.1/24", "2001:2:0:1::1/64"]},
                                "b": {"node": "r", "addresses": ["198.18.0.2/24", "2001:2:0:1::2/64"]}},
                               {"a": {"node": "r", "addresses": ["198.18.1.2/24", "2001:2:0:2::2/64"]},
                                "b": {"node": "s", "addresses": ["198.18.1.3/24", "2001:2:0:2::3/64"]}}])",
                           "c", "s");
  EXPECT_EQ(routes(host(s, "c")),
            (std::vector<std::string>{"198.18.1.0/24 via 198.18.0.2", "2001:2:0:2::/64 via 2001:2:0:1::2 (v6)"}));
  EXPECT_EQ(why_unreachable(s, "c", "2001:2:0:2::3"), "");
  EXPECT_EQ(why_unreachable(s, "s", "2001:2:0:1::1"), "");
}

TEST(Routes, AHostWithRoutesOfItsOwnKeepsThem) {
  const Scenario s = parse(R"([{"name": "c", "routes": [{"to": "default", "via": "198.18.0.2"}]},
                               {"name": "r", "forward": true}, {"name": "s", "routes": []}])",
                           "[]", kRouterLinks, "c", "r");
  const ScenarioHost& c = host(s, "c");
  EXPECT_TRUE(c.routes_given);
  ASSERT_EQ(c.routes.size(), 1u);
  EXPECT_EQ(c.routes[0], (HostRoute{"default", "198.18.0.2", false, "/hosts/0/routes/0"}));
  EXPECT_EQ(why_unreachable(s, "c", "198.18.1.3"), "");  // the default route goes via r
  // s gave none: it has none, so it cannot answer c.
  EXPECT_TRUE(host(s, "s").routes_given);
  EXPECT_TRUE(host(s, "s").routes.empty());
  EXPECT_NE(why_unreachable(s, "s", "198.18.0.1").find("host \"s\" has no route to 198.18.0.1"), std::string::npos);
}

TEST(Routes, AGivenPrefixIsStoredInItsCanonicalForm) {
  const Scenario s = parse(R"([{"name": "c", "routes": [{"to": "198.18.1.0/24", "via": "198.18.0.2"},
                                                        {"to": "2001:2:0:0002:0::/64", "via": "2001:2::2"}]},
                               {"name": "r", "forward": true}, {"name": "s"}])",
                           "[]",
                           R"([{"a": {"node": "c", "addresses": ["198.18.0.1/24", "2001:2::1/64"]},
                                "b": {"node": "r", "addresses": ["198.18.0.2/24", "2001:2::2/64"]}},
                               {"a": "r", "b": "s"}])",
                           "c", "r");
  EXPECT_EQ(routes(host(s, "c")),
            (std::vector<std::string>{"198.18.1.0/24 via 198.18.0.2", "2001:2:0:2::/64 via 2001:2::2 (v6)"}));
}

TEST(Routes, AHostThatDoesNotForwardLeavesNoRouteAcrossIt) {
  const Scenario s = parse(R"([{"name": "c"}, {"name": "m"}, {"name": "s"}])", "[]",
                           R"([{"a": "c", "b": "m"}, {"a": "m", "b": "s"}])", "c", "m");
  EXPECT_TRUE(host(s, "c").routes.empty());
  EXPECT_TRUE(host(s, "s").routes.empty());
  EXPECT_TRUE(host(s, "m").routes.empty());
  // m is on both subnets itself: it reaches both ends.
  EXPECT_EQ(why_unreachable(s, "m", "198.18.1.3"), "");
  EXPECT_EQ(why_unreachable(s, "m", "198.18.0.1"), "");
}

// ---- why_unreachable ----------------------------------------------------------------

TEST(WhyUnreachable, ReachableOnTheSameSegment) {
  const Scenario s = parse(R"([{"name": "n1"}, {"name": "n2"}, {"name": "n3"}])", R"([{"name": "s1"}])",
                           R"([{"a": "n1", "b": "s1"}, {"a": "n2", "b": "s1"}, {"a": "n3", "b": "s1"}])", "n1", "n3");
  EXPECT_EQ(why_unreachable(s, "n1", "198.18.0.3"), "");
  EXPECT_EQ(why_unreachable(s, "n3", "198.18.0.1"), "");
}

TEST(WhyUnreachable, NoRouteSaysWhatWouldMakeOne) {
  const Scenario s = parse(R"([{"name": "c"}, {"name": "m"}, {"name": "s"}])", "[]",
                           R"([{"a": "c", "b": "m"}, {"a": "m", "b": "s"}])", "c", "m");
  EXPECT_EQ(why_unreachable(s, "c", "198.18.1.3"),
            "host \"c\" has no route to 198.18.1.3: make a host that joins the segments a router "
            "(\"forward\": true), or give \"routes\"");
}

TEST(WhyUnreachable, AnAddressOnTheSubnetThatNoHostHas) {
  const Scenario s = parse(R"([{"name": "a"}, {"name": "b"}])", "[]", R"([{"a": "a", "b": "b"}])", "a", "b");
  const std::string why = why_unreachable(s, "a", "198.18.0.99");
  EXPECT_NE(why.find("host \"a\" has no route to 198.18.0.99: no host on its segment (link \"a-b\") has that address"),
            std::string::npos)
      << why;
}

TEST(WhyUnreachable, ANextHopThatDoesNotForward) {
  // c routes via m, which is no router.
  const Scenario s = parse(R"([{"name": "c", "routes": [{"to": "198.18.1.0/24", "via": "198.18.0.2"}]},
                               {"name": "m"}, {"name": "s"}])",
                           "[]", R"([{"a": "c", "b": "m"}, {"a": "m", "b": "s"}])", "c", "m");
  EXPECT_EQ(why_unreachable(s, "c", "198.18.1.3"),
            "host \"c\" routes it via \"m\" (198.18.0.2), which does not forward: give it \"forward\": true");
}

TEST(WhyUnreachable, ANextHopThatNoHostHas) {
  const Scenario s = parse(R"([{"name": "c", "routes": [{"to": "198.18.9.0/24", "via": "198.18.0.77"}]},
                               {"name": "s"}])",
                           "[]", R"([{"a": "c", "b": "s"}])", "c", "s");
  EXPECT_EQ(why_unreachable(s, "c", "198.18.9.1"), "host \"c\" routes it via 198.18.0.77, which no host has");
}

TEST(WhyUnreachable, ALoopOfGivenRoutes) {
  // r1 and r2 send 198.18.9.0/24 to each other.
  const Scenario s = parse(R"([{"name": "c", "routes": [{"to": "default", "via": "198.18.0.2"}]},
                {"name": "r1", "forward": true, "routes": [{"to": "198.18.9.0/24", "via": "198.18.0.3"}]},
                {"name": "r2", "forward": true, "routes": [{"to": "198.18.9.0/24", "via": "198.18.0.2"}]}])",
                           R"([{"name": "s1"}])",
                           R"([{"a": "c", "b": "s1"}, {"a": "r1", "b": "s1"}, {"a": "r2", "b": "s1"}])", "c", "r1");
  const std::string why = why_unreachable(s, "c", "198.18.9.1");
  EXPECT_EQ(why.rfind("the routes toward 198.18.9.1 go round in a loop (c, r1, r2, r1", 0), 0u) << why;
}

TEST(WhyUnreachable, NoRouteOnAHopFurtherOnNamesThePathSoFar) {
  // c's default goes to r, which has no route of its own to 198.18.9.0/24.
  const Scenario s = parse(R"([{"name": "c", "routes": [{"to": "default", "via": "198.18.0.2"}]},
                               {"name": "r", "forward": true}, {"name": "s"}])",
                           "[]", kRouterLinks, "c", "s");
  const std::string why = why_unreachable(s, "c", "198.18.9.1");
  EXPECT_NE(why.find("host \"r\" has no route to 198.18.9.1 (reached through c, r)"), std::string::npos) << why;
}

}  // namespace
}  // namespace synnet
