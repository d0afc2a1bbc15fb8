// Building and tearing down topologies: an exception half-way leaves nothing,
// and 100 cycles leave nothing.
#include <gtest/gtest.h>

#include "netns/rtnetlink.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using testing::Leftovers;
using testing::PocTopology;

// The PoC topology, but its last step fails (an address that is not one).
struct BrokenTopology : PocTopology {
  Address broken = Address::add(b, b_wire.a(), "198.18.0.300/24");
};

TEST(Topology, AnExceptionHalfWayLeavesNothingBehind) {
  SYNNET_REQUIRE_ROOT();
  const Leftovers before = Leftovers::count();
  EXPECT_THROW(BrokenTopology{}, NetlinkError);
  EXPECT_EQ(Leftovers::count(), before);
}

TEST(Topology, OneHundredCyclesLeaveNothingBehind) {
  SYNNET_REQUIRE_ROOT();
  { PocTopology warm_up; }  // first use opens lazily-created things (e.g. /run/netns mount)
  const Leftovers before = Leftovers::count();
  for (int i = 0; i < 100; ++i) {
    PocTopology t;
    ASSERT_TRUE(t.wire.netlink().has_link(t.a_wire.b()));
  }
  EXPECT_EQ(Leftovers::count(), before);
}

}  // namespace
}  // namespace synnet
