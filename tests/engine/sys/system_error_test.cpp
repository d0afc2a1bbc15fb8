// Tests of SystemError: a std::system_error carrying errno, and the one
// place that decides "this needs root" (is_permission_error).
#include "engine/sys/system_error.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <stdexcept>

namespace synnet {
namespace {

TEST(SystemError, CarriesErrnoAsAGenericErrorCodeAndSaysWhatFailed) {
  const SystemError e(ENODEV, "rawsock: bind to veth0");
  EXPECT_EQ(e.code().value(), ENODEV);
  EXPECT_EQ(e.code(), std::errc::no_such_device);
  EXPECT_STREQ(e.what(), "rawsock: bind to veth0: No such device (errno 19)");
}

TEST(SystemError, AVerbatimMessageIsKeptAsGiven) {
  const SystemError e(EPERM, "netlink: add veth: the kernel said no", SystemError::verbatim);
  EXPECT_STREQ(e.what(), "netlink: add veth: the kernel said no");
  EXPECT_EQ(e.code().value(), EPERM);
}

TEST(SystemError, IsCaughtAsAStdSystemError) {
  try {
    throw SystemError(EACCES, "open");
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), std::errc::permission_denied);
  }
}

TEST(IsPermissionError, OnlyEpermAndEaccesFromASystemErrorCount) {
  EXPECT_TRUE(is_permission_error(SystemError(EPERM, "setns")));
  EXPECT_TRUE(is_permission_error(SystemError(EACCES, "open")));
  EXPECT_TRUE(is_permission_error(std::system_error(EPERM, std::generic_category())));
  EXPECT_FALSE(is_permission_error(SystemError(ENOENT, "open")));
  // Words in a message decide nothing: only the code does.
  EXPECT_FALSE(is_permission_error(std::runtime_error("Operation not permitted: needs root (EPERM)")));
}

}  // namespace
}  // namespace synnet
