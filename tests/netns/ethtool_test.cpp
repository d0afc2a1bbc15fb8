// Ethtool netlink features on a veth pair inside a network namespace that
// each test creates and deletes (never the host's interfaces). Needs root;
// skips with a reason otherwise. Setup uses ip(8); the library does not.
#include "netns/ethtool.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "engine/sys/fd.hpp"
#include "engine/sys/system_error.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

// code() and what() of the SystemError that fn throws.
template <class F>
std::pair<int, std::string> system_error_of(F&& fn) {
  try {
    fn();
  } catch (const SystemError& e) {
    return {e.code().value(), e.what()};
  }
  ADD_FAILURE() << "expected a SystemError";
  return {0, ""};
}

// A namespace with a veth pair (veth0, veth1) inside it, built with synnet_netns.
class EthtoolVeth : public ::testing::Test {
 protected:
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    run_.emplace(RunId::create());
    ns_.emplace(Netns::create(run_->name("eth")));
    veth_.emplace(Veth::create(*ns_, "veth0", *ns_, "veth1"));
  }

  // Reverse order of SetUp; runs even when SetUp or the test failed an assertion.
  void TearDown() override {
    veth_.reset();
    const std::string path = ns_ ? ns_->path() : "";
    ns_.reset();
    run_.reset();
    if (!path.empty()) {
      EXPECT_NE(::access(path.c_str(), F_OK), 0) << path << " is left behind";
    }
  }

  std::optional<RunId> run_;
  std::optional<Netns> ns_;
  std::optional<Veth> veth_;
};

TEST_F(EthtoolVeth, ListsTheFeaturesTheVethHas) {
  Ethtool et(ns_->fd());
  const auto features = et.active_features("veth0");
  EXPECT_TRUE(features.count("tx-checksum-ip-generic"));
  EXPECT_TRUE(features.count("rx-gro"));
  EXPECT_FALSE(features.count("tx-checksum-ipv4")) << "veth cannot have it: off and fixed, so not listed";
}

TEST_F(EthtoolVeth, TurnsAllOffloadsOff) {
  Ethtool et(ns_->fd());
  et.set_offloads("veth0", {.tx_checksum = false, .tso = false, .gso = false, .gro = false});
  EXPECT_EQ(et.offloads("veth0"), (Offloads{.tx_checksum = false, .tso = false, .gso = false, .gro = false}));
  const auto features = et.active_features("veth0");
  EXPECT_FALSE(features.at("tx-checksum-ip-generic"));
  EXPECT_FALSE(features.at("tx-tcp-segmentation"));
  EXPECT_FALSE(features.at("tx-generic-segmentation"));
  EXPECT_FALSE(features.at("rx-gro"));
}

TEST_F(EthtoolVeth, TurnsTxChecksumBackOn) {
  Ethtool et(ns_->fd());
  et.set_offloads("veth0", {.tx_checksum = false, .tso = false, .gso = false, .gro = false});
  et.set_offloads("veth0", {.tx_checksum = true});
  const Offloads now = et.offloads("veth0");
  EXPECT_EQ(now.tx_checksum, true);
  EXPECT_EQ(now.tso, false) << "TSO was turned off on purpose and must stay off";
  EXPECT_TRUE(et.active_features("veth0").at("tx-checksum-ip-generic"));
}

// The kernel drops TSO while tx checksumming is off and brings it back with
// it: TSO stays "wanted" all along. (Not the whole group: on Linux 6.18
// tx-tcp-accecn-segmentation stays on, so offloads().tso stays true there.)
TEST_F(EthtoolVeth, TsoFollowsTxChecksum) {
  Ethtool et(ns_->fd());
  et.set_offloads("veth0", {.tso = true});
  et.set_offloads("veth0", {.tx_checksum = false});
  EXPECT_FALSE(et.active_features("veth0").at("tx-tcp-segmentation"));
  EXPECT_FALSE(et.active_features("veth0").at("tx-tcp6-segmentation"));
  et.set_offloads("veth0", {.tx_checksum = true});
  EXPECT_TRUE(et.active_features("veth0").at("tx-tcp-segmentation"));
  EXPECT_TRUE(et.active_features("veth0").at("tx-tcp6-segmentation"));
}

TEST_F(EthtoolVeth, NamesAFeatureTheKernelKeptOff) {
  Ethtool et(ns_->fd());
  const auto [code, what] = system_error_of([&] { et.set_offloads("veth0", {.tx_checksum = false, .tso = true}); });
  EXPECT_EQ(code, EOPNOTSUPP);
  EXPECT_NE(what.find("tx-tcp-segmentation is off"), std::string::npos) << what;
  EXPECT_NE(what.find("\"veth0\""), std::string::npos) << what;
}

TEST_F(EthtoolVeth, RefusesToChangeAFixedFeatureAndChangesNothing) {
  Ethtool et(ns_->fd());
  const Offloads before = et.offloads("lo");
  // lo's tx checksumming is fixed on; rx-gro is changeable but must stay as it was.
  const auto [code, what] =
      system_error_of([&] { et.set_offloads("lo", {.tx_checksum = false, .gro = !*before.gro}); });
  EXPECT_EQ(code, EOPNOTSUPP);
  EXPECT_NE(what.find("tx-checksum-ip-generic is fixed on"), std::string::npos) << what;
  EXPECT_EQ(et.offloads("lo"), before);
}

TEST_F(EthtoolVeth, UnknownInterfaceIsNamed) {
  Ethtool et(ns_->fd());
  const auto [code, what] = system_error_of([&] { et.active_features("nosuchdev0"); });
  EXPECT_EQ(code, ENODEV);
  EXPECT_NE(what.find("\"nosuchdev0\""), std::string::npos) << what;
  EXPECT_NE(what.find("no device matches name"), std::string::npos) << "the kernel's extended ACK: " << what;
}

TEST_F(EthtoolVeth, UnknownFeatureNameCarriesTheKernelMessage) {
  Ethtool et(ns_->fd());
  const auto [code, what] = system_error_of([&] { et.set_features("veth0", {{"no-such-feature", true}}); });
  EXPECT_EQ(code, EOPNOTSUPP);
  EXPECT_NE(what.find("ethtool: set features on \"veth0\": "), std::string::npos) << what;
  EXPECT_NE(what.find("bit name not found"), std::string::npos) << what;
}

TEST_F(EthtoolVeth, SeesTheLoopbackOfItsNamespace) {
  Ethtool et(ns_->fd());
  const auto features = et.active_features("lo");
  ASSERT_TRUE(features.count("loopback"));
  EXPECT_TRUE(features.at("loopback"));
}

// Capabilities are per thread: drop CAP_NET_ADMIN on a helper thread only.
TEST_F(EthtoolVeth, SettingWithoutCapNetAdminSaysSo) {
  Ethtool et(ns_->fd());
  const bool gro = et.active_features("veth0").at("rx-gro");
  std::pair<int, std::string> error;
  std::thread([&] {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    ASSERT_EQ(::syscall(SYS_capget, &header, data), 0);
    data[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
    ASSERT_EQ(::syscall(SYS_capset, &header, data), 0);
    error = system_error_of([&] { et.set_features("veth0", {{"rx-gro", !gro}}); });
  }).join();
  EXPECT_EQ(error.first, EPERM);
  EXPECT_NE(error.second.find("CAP_NET_ADMIN"), std::string::npos) << error.second;
  EXPECT_NE(error.second.find("\"veth0\""), std::string::npos) << error.second;
  // Nothing changed, and the socket is still in step: the next request works.
  EXPECT_EQ(et.active_features("veth0").at("rx-gro"), gro);
}

}  // namespace
}  // namespace synnet
