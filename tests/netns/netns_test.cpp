// Named namespaces: created as `ip netns add` does, opened by path, sysctls, removal.
#include "netns/netns.hpp"

#include <gtest/gtest.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstring>

#include "engine/sys/in_netns.hpp"
#include "engine/sys/system_error.hpp"
#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

TEST(Netns, CreatedNamespacesWorkWithIpNetnsExec) {
  SYNNET_REQUIRE_ROOT();
  RunId run = RunId::create();
  Netns ns = Netns::create(run.name("x"));
  EXPECT_TRUE(ns.owned());
  EXPECT_EQ(ns.path(), "/run/netns/" + run.name("x"));
  EXPECT_NE(ns.inode(), Netns::current().inode());
  // A person debugging a run uses ip(8): it must see and enter the namespace.
  const ProcessResult list = run_process(-1, {.argv = {"ip", "netns", "list"}, .deadline = 10s});
  EXPECT_NE(list.out.find(run.name("x")), std::string::npos) << list.out;
  const ProcessResult exec =
      run_process(-1, {.argv = {"ip", "netns", "exec", run.name("x"), "ip", "-o", "link"}, .deadline = 10s});
  ASSERT_TRUE(exec.ok()) << exec.describe() << exec.err;
  EXPECT_NE(exec.out.find("lo:"), std::string::npos);
  EXPECT_EQ(exec.out.find("eth0"), std::string::npos) << "a fresh namespace has only lo";
}

TEST(Netns, RemoveIsIdempotentAndTheNameIsFreeAgain) {
  SYNNET_REQUIRE_ROOT();
  RunId run = RunId::create();
  Netns ns = Netns::create(run.name("x"));
  ns.remove();
  ns.remove();
  EXPECT_EQ(ns.fd(), -1);
  EXPECT_FALSE(remove_named_netns(run.name("x")));  // already gone
  Netns again = Netns::create(run.name("x"));
  EXPECT_GE(again.fd(), 0);
}

TEST(Netns, ADuplicateNameIsAClearError) {
  SYNNET_REQUIRE_ROOT();
  RunId run = RunId::create();
  Netns ns = Netns::create(run.name("x"));
  try {
    Netns::create(run.name("x"));
    FAIL() << "expected EEXIST";
  } catch (const SystemError& e) {
    EXPECT_EQ(e.code().value(), EEXIST);
    EXPECT_NE(std::string(e.what()).find("a namespace with this name exists"), std::string::npos) << e.what();
  }
  EXPECT_GE(ns.fd(), 0);  // the first one is untouched
}

TEST(Netns, OpenByPathDoesNotOwn) {
  SYNNET_REQUIRE_ROOT();
  RunId run = RunId::create();
  Netns ns = Netns::create(run.name("x"));
  {
    Netns opened = Netns::open(ns.path());
    EXPECT_FALSE(opened.owned());
    EXPECT_EQ(opened.inode(), ns.inode());
    EXPECT_EQ(opened.name(), run.name("x"));
  }
  EXPECT_EQ(::access(ns.path().c_str(), F_OK), 0) << "closing an opened namespace must not remove it";
  // A process's namespace, as for a container found by its PID.
  Process p = Process::spawn(ns.fd(), {.argv = {"sleep", "10"}});
  Netns by_pid = Netns::open("/proc/" + std::to_string(p.pid()) + "/ns/net");
  EXPECT_EQ(by_pid.inode(), ns.inode());
}

TEST(Netns, SysctlsArePerNamespace) {
  SYNNET_REQUIRE_ROOT();
  RunId run = RunId::create();
  Netns ns = Netns::create(run.name("x"));
  const std::string host_before = Netns::current().sysctl("net.ipv4.ip_forward");
  ns.set_sysctl("net.ipv4.ip_forward", "1");
  EXPECT_EQ(ns.sysctl("net.ipv4.ip_forward"), "1");
  EXPECT_EQ(ns.sysctl("net/ipv4/ip_forward"), "1");
  EXPECT_EQ(Netns::current().sysctl("net.ipv4.ip_forward"), host_before);
  EXPECT_THROW(ns.set_sysctl("net.ipv4.no_such_key", "1"), SystemError);
}

TEST(Netns, SocketsOpenedWithInNetnsBelongToThatNamespace) {
  SYNNET_REQUIRE_ROOT();
  RunId run = RunId::create();
  Netns ns = Netns::create(run.name("x"));
  const ino_t caller = Netns::current().inode();
  Fd sock(in_netns(ns.fd(), [] { return ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); }));
  ASSERT_TRUE(sock) << std::strerror(errno);
  Fd sock_ns(::ioctl(sock.get(), SIOCGSKNS));  // the kernel's answer: the socket's namespace
  ASSERT_TRUE(sock_ns) << std::strerror(errno);
  struct stat st {};
  ASSERT_EQ(::fstat(sock_ns.get(), &st), 0);
  EXPECT_EQ(st.st_ino, ns.inode());
  EXPECT_EQ(Netns::current().inode(), caller) << "the calling thread must not have moved";
  // Exceptions cross back to the caller.
  EXPECT_THROW(in_netns(ns.fd(), []() -> int { throw std::runtime_error("inside"); }), std::runtime_error);
}

TEST(Netns, WithoutPrivilegesTheErrorSaysWhatToDo) {
  SYNNET_REQUIRE_ROOT();  // to drop to an unprivileged user, we must start as root
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipefd[0]);
    if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) ::_exit(3);
    std::string message = "no error";
    try {
      Netns::create("synnet-unprivileged-test");
    } catch (const std::exception& e) {
      message = e.what();
    }
    [[maybe_unused]] auto r = ::write(pipefd[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(pipefd[1]);
  std::string message;
  char buf[512];
  for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;) message.append(buf, static_cast<std::size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(message.find("run as root"), std::string::npos) << message;
  EXPECT_EQ(::access("/run/netns/synnet-unprivileged-test", F_OK), -1);
}

}  // namespace
}  // namespace synnet
