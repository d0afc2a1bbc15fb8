// Tests of the session's setup errors (no root needed): the hint to run as
// root comes from the error's code, never from its text.
#include "harness/run/session.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "engine/sys/system_error.hpp"
#include "netns/rtnetlink.hpp"

namespace synnet {
namespace {

constexpr const char* kHint = "run it as root";

TEST(SetupFailure, APermissionErrorSaysToRunAsRoot) {
  const std::string text = setup_failure("setting up the network", SystemError(EPERM, "netns: create")).what();
  EXPECT_EQ(text.rfind("setting up the network: netns: create: Operation not permitted", 0), 0u) << text;
  EXPECT_NE(text.find(kHint), std::string::npos) << text;
}

TEST(SetupFailure, ANetlinkPermissionErrorSaysToRunAsRootToo) {
  const std::string text = setup_failure("setting up the network", NetlinkError(EACCES, "netlink: add veth")).what();
  EXPECT_NE(text.find(kHint), std::string::npos) << text;
}

TEST(SetupFailure, OtherErrorsAreReportedAsTheyAre) {
  EXPECT_STREQ(setup_failure("starting the engine", SystemError(ENODEV, "rawsock")).what(),
               "starting the engine: rawsock: No such device (errno 19)");
  // A message that merely mentions permissions or root is not a permission error.
  const std::string text = setup_failure("x", std::runtime_error("permission bits of the root file")).what();
  EXPECT_EQ(text, "x: permission bits of the root file");
}

TEST(RandomSeed, DiffersBetweenCalls) { EXPECT_NE(random_seed(), random_seed()); }

}  // namespace
}  // namespace synnet
