// engine_link_test.cpp — add_engine_link: one scenario link's apps, split
// over an engine per direction (packet) or whole on the first (xdp). No root
// needed: a Config holds specs, it opens no socket.
#include "harness/run/engine_link.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <typeindex>

#include "engine/apps/io/raw_socket.hpp"
#include "engine/apps/io/xdp_socket.hpp"
#include "tests/harness/run/config_testing.hpp"

namespace synnet {
namespace {

using Raw = RawSocketSpec;

const LinkEnd kA{"l0a", "/run/netns/wire"};
const LinkEnd kB{"l0b", "/run/netns/wire", /*segment=*/true};

LinkDirections lossy_a_to_b() {
  LinkDirections d;
  d.a_to_b.impairments.loss = LossSpec{.ratio = 0.5};
  return d;
}

bool is_socket(const Config& c, const std::string& app) {
  const std::type_index type = c.apps().at(app).type();
  return type == typeid(RawSocket) || type == typeid(XdpSocket);
}

// Follows output links from socket `from` up to the next socket (or a dead
// end); the apps on the way, both ends included.
std::vector<std::string> path_from(const Config& c, std::string from) {
  std::vector<std::string> apps{from};
  for (bool moved = true; moved && (apps.size() == 1 || !is_socket(c, from));) {
    moved = false;
    for (const LinkSpec& l : c.links()) {
      if (l.from_app == from) {
        from = l.to_app;
        apps.push_back(from);
        moved = true;
        break;
      }
    }
  }
  return apps;
}

TEST(EngineLink, APacketLinkGetsAnEnginePerDirectionWithASendOnlySocketOnTheFarEnd) {
  EngineConfigs c;
  add_engine_link(c, "ab", LinkIo::kPacket, kA, kB, lossy_a_to_b());
  ASSERT_NO_THROW(c.a_to_b.validate());
  ASSERT_NO_THROW(c.b_to_a.validate());

  // a -> b: a's end receives (and never sends: no TX ring), b's end only sends.
  EXPECT_EQ(c.a_to_b.apps().at("ab_a"),
            AppSpec::of<RawSocket>({.ifname = "l0a", .netns = "/run/netns/wire", .tx = Raw::Tx::sendmmsg}));
  EXPECT_EQ(c.a_to_b.apps().at("ab_b"),
            AppSpec::of<RawSocket>({.ifname = "l0b", .netns = "/run/netns/wire", .rx = Raw::Rx::none}));
  const std::vector<std::string> there = path_from(c.a_to_b, "ab_a");
  EXPECT_EQ(there.back(), "ab_b");
  EXPECT_GT(there.size(), 2u) << "a -> b should cross its loss";

  // b -> a: the mirror image; b's end keeps its segment mode where it receives.
  EXPECT_EQ(
      c.b_to_a.apps().at("ab_b"),
      AppSpec::of<RawSocket>(
          {.ifname = "l0b", .netns = "/run/netns/wire", .tx = Raw::Tx::sendmmsg, .offloads = Raw::Offloads::segment}));
  EXPECT_EQ(c.b_to_a.apps().at("ab_a"),
            AppSpec::of<RawSocket>({.ifname = "l0a", .netns = "/run/netns/wire", .rx = Raw::Rx::none}));
  EXPECT_EQ(path_from(c.b_to_a, "ab_b"), (std::vector<std::string>{"ab_b", "ab_a"})) << "b -> a has no impairment";

  // No app of one direction's chain is in the other engine.
  for (const auto& [name, spec] : c.a_to_b.apps()) {
    if (name.starts_with("ab_a_to_b")) {
      EXPECT_FALSE(c.b_to_a.apps().contains(name)) << name;
    }
  }
}

TEST(EngineLink, AnXdpLinkStaysWholeOnTheFirstEngine) {
  EngineConfigs c;
  add_engine_link(c, "ab", LinkIo::kXdp, kA, kB, lossy_a_to_b());
  ASSERT_NO_THROW(c.a_to_b.validate());
  EXPECT_TRUE(c.b_to_a.apps().empty()) << "an AF_XDP socket cannot be send-only";
  EXPECT_EQ(c.a_to_b.apps().at("ab_a"), AppSpec::of<XdpSocket>({.ifname = "l0a", .netns = "/run/netns/wire"}));
  EXPECT_EQ(path_from(c.a_to_b, "ab_b"), (std::vector<std::string>{"ab_b", "ab_a"}));
  EXPECT_EQ(path_from(c.a_to_b, "ab_a").back(), "ab_b");
}

TEST(EngineLink, SeveralLinksShareTheTwoEngines) {
  EngineConfigs c;
  add_engine_link(c, "one", LinkIo::kPacket, kA, kB, {});
  add_engine_link(c, "two", LinkIo::kPacket, {"l1a", "/run/netns/wire"}, {"l1b", "/run/netns/wire"}, {});
  ASSERT_NO_THROW(c.a_to_b.validate());
  ASSERT_NO_THROW(c.b_to_a.validate());
  EXPECT_EQ(path_from(c.a_to_b, "two_a"), (std::vector<std::string>{"two_a", "two_b"}));
  EXPECT_EQ(path_from(c.b_to_a, "one_b"), (std::vector<std::string>{"one_b", "one_a"}));
  EXPECT_EQ(c.parts().size(), 2u);
}

using testing::is_source;
using testing::is_target;

TEST(EngineLink, EachDirectionHasATapFromTheReceivingSocketToTheSendingOne) {
  for (const bool partitioned : {false, true}) {
    SCOPED_TRACE(partitioned ? "partitioned" : "not partitioned");
    PartitionSpec partition;
    if (partitioned) partition.partitions.push_back({{PartitionGroup{{}, {"198.18.0.1"}}, PartitionGroup{}}});
    EngineConfigs c;
    add_engine_link(c, "ab", LinkIo::kPacket, kA, kB, lossy_a_to_b(), partition);
    EXPECT_EQ(c.taps, (std::vector<DirectionTap>{{"ab", "a_to_b", "ab_a_to_b", "ab_a.output", "ab_b.input"},
                                                 {"ab", "b_to_a", "ab_b_to_a", "ab_b.output", "ab_a.input"}}));
    // Each tap's ends are linked in its own engine; the apps between them are its chain's.
    EXPECT_TRUE(is_source(c.a_to_b, "ab_a.output"));
    EXPECT_TRUE(is_target(c.a_to_b, "ab_b.input"));
    EXPECT_TRUE(is_source(c.b_to_a, "ab_b.output"));
    EXPECT_TRUE(is_target(c.b_to_a, "ab_a.input"));
    const std::vector<std::string> there = path_from(c.a_to_b, "ab_a");
    for (std::size_t i = 1; i + 1 < there.size(); ++i) {
      EXPECT_TRUE(there[i].starts_with("ab_a_to_b_")) << there[i];
    }
    EXPECT_EQ(there.size(), partitioned ? 4u : 3u) << "the filter and the loss";
  }
  EngineConfigs xdp;
  add_engine_link(xdp, "x", LinkIo::kXdp, kA, kB, {});
  ASSERT_EQ(xdp.taps.size(), 2u);
  EXPECT_EQ(xdp.taps[1], (DirectionTap{"x", "b_to_a", "x_b_to_a", "x_b.output", "x_a.input"}));
  EXPECT_TRUE(is_source(xdp.a_to_b, "x_b.output"));
}

}  // namespace
}  // namespace synnet
