// InterfaceSnapshot: a saved configuration survives JSON and is checked when
// read back (no root); as root, an interface's addresses and routes taken,
// flushed and applied again are exactly what `ip -j` showed before, also on
// another interface, and applying twice is harmless.
#include "netns/interface_snapshot.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/netns/container_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

TEST(InterfaceSnapshotJson, RoundTripsAndRejectsWhatIsNotASnapshot) {
  InterfaceSnapshot s;
  s.addresses.push_back(std::vector<std::uint8_t>(24, 0));
  s.addresses.back()[0] = 24;  // nlmsg_len = 24: a header and an ifaddrmsg
  EXPECT_EQ(InterfaceSnapshot::from_json(s.to_json()), s);

  EXPECT_THROW(InterfaceSnapshot::from_json({{"addresses", {"zz"}}, {"routes", nlohmann::json::array()}}),
               std::invalid_argument);
  EXPECT_THROW(InterfaceSnapshot::from_json({{"addresses", {"180000"}}, {"routes", nlohmann::json::array()}}),
               std::invalid_argument);  // shorter than its headers
  EXPECT_THROW(InterfaceSnapshot::from_json({{"addresses", nlohmann::json::array()}}), std::invalid_argument);
}

class InterfaceSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override { SYNNET_REQUIRE_ROOT(); }
};

std::string addresses_and_routes(testing::ContainerNet& net, const std::string& dev) {
  std::string s =
      testing::ContainerNet::ip({"-n", net.ctr.name(), "-j", "addr", "show", "dev", dev, "scope", "global"});
  for (const char* family : {"-4", "-6"}) {
    s += testing::ContainerNet::ip({"-n", net.ctr.name(), "-j", family, "route", "show", "table", "all", "dev", dev});
  }
  return s;
}

TEST_F(InterfaceSnapshotTest, PutsBackAddressesAndRoutesExactly) {
  testing::ContainerNet net;
  const int eth0 = net.ctr.netlink().ifindex("eth0");
  const InterfaceSnapshot s = InterfaceSnapshot::take(net.ctr.fd(), eth0);
  // (The link-local address comes a moment after the link is up: it may or may not be in the list.)
  EXPECT_EQ(s.describe().rfind("198.18.7.2/24, 2001:2:0:7::2/64", 0), 0u) << s.describe();
  EXPECT_NE(s.describe().find("; routes: default via 198.18.7.1, 198.19.0.0/16 via 198.18.7.3, "
                              "2001:2:0:99::/64 via 2001:2:0:7::1"),
            std::string::npos)
      << s.describe();
  const std::string before = addresses_and_routes(net, "eth0");

  testing::ContainerNet::ip({"-n", net.ctr.name(), "addr", "flush", "dev", "eth0", "scope", "global"});
  EXPECT_NE(addresses_and_routes(net, "eth0"), before);
  s.apply(net.ctr.fd(), eth0);
  EXPECT_EQ(addresses_and_routes(net, "eth0"), before);
  s.apply(net.ctr.fd(), eth0);  // everything exists already: fine
  EXPECT_EQ(addresses_and_routes(net, "eth0"), before);
}

}  // namespace
}  // namespace synnet
