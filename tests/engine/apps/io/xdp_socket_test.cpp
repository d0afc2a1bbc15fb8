// xdp_socket_test.cpp — XdpSocket between two namespaces: the I/O apps'
// contract (the Forwarder and Sender tests of raw_socket_test.cpp, see
// io_testing.hpp) in native and generic mode, and what is XDP's own: the
// program is detached on stop, and a second socket on a queue says why it
// cannot bind. Needs root; skips with a reason otherwise.
#include <gtest/gtest.h>

#include <string>

#include "engine/apps/io/xdp_socket.hpp"
#include "engine/engine.hpp"
#include "engine/sys/system_error.hpp"
#include "tests/engine/apps/io/io_testing.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using testing::Forwarder;
using testing::Sender;

// Stopping leaves the interfaces as they were: no XDP program left attached
// (libxdp detaches by ifindex, so it must do so in the wire namespace), and a
// new engine binds them again.
TEST_P(Forwarder, AStoppedEngineLeavesNoXdpProgramAndTheInterfacesBindAgain) {
  engine.reset();
  for (const std::string& ifname : {topo->a_wire.b(), topo->b_wire.b()}) {
    const ProcessResult r =
        run_process(topo->wire.fd(), {.argv = {"ip", "-d", "link", "show", "dev", ifname}, .deadline = 10s});
    ASSERT_TRUE(r.ok()) << r.err;
    EXPECT_EQ(r.out.find("prog/xdp"), std::string::npos) << ifname << " kept an XDP program:\n" << r.out;
  }
  engine.emplace();
  EXPECT_NO_THROW(engine->configure(network(GetParam())));
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

INSTANTIATE_TEST_SUITE_P(Io, Forwarder, ::testing::Values("xdp_native", "xdp_generic"), testing::io_name);
INSTANTIATE_TEST_SUITE_P(Io, Sender, ::testing::Values("xdp_native"), testing::io_name);

}  // namespace
}  // namespace synnet
