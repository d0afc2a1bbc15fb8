// netns_testing.hpp — helpers for the netns integration tests and the
// netns-setup benchmark.
//
//   SYNNET_REQUIRE_ROOT();        // GTEST_SKIP with a reason unless CAP_NET_ADMIN + CAP_SYS_ADMIN
//   Leftovers before = Leftovers::count();  ... EXPECT_EQ(Leftovers::count(), before);
//   process_gone(pid)            // exited, or a zombie nobody reaps
//   PocTopology t;                // the seed's PoC: namespaces a, b and wire; a <-> wire <-> b veths
#pragma once

#include <dirent.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "netns/address.hpp"
#include "netns/ethtool.hpp"
#include "netns/netns.hpp"
#include "netns/run_id.hpp"
#include "netns/veth.hpp"

namespace synnet::testing {

inline bool has_admin_caps() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  const auto has = [&](int cap) { return (data[cap / 32].effective & (1u << (cap % 32))) != 0; };
  return has(CAP_NET_ADMIN) && has(CAP_SYS_ADMIN);
}

#define SYNNET_REQUIRE_ROOT()                                                                     \
  do {                                                                                            \
    if (!::synnet::testing::has_admin_caps()) {                                                   \
      GTEST_SKIP() << "needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to build namespaces; run as " \
                      "root: sudo ctest -L privileged";                                           \
    }                                                                                             \
  } while (0)

// True when pid no longer runs: gone, or a zombie (PID 1 here may never reap
// orphans, so a killed orphan can stay a zombie).
inline bool process_gone(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

inline std::vector<std::string> dir_entries(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(path.c_str())) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    }
    ::closedir(d);
  }
  return names;
}

// What a run could leave behind, counted from this process's point of view.
struct Leftovers {
  std::size_t namespaces = 0;  // entries in /run/netns
  std::size_t links = 0;       // interfaces in this namespace
  std::size_t mounts = 0;      // mounts under /run/netns
  std::size_t fds = 0;         // open file descriptors of this process
  std::size_t children = 0;    // child processes of this process

  static Leftovers count() {
    Leftovers l;
    l.namespaces = dir_entries(kNetnsRunDir).size();
    l.links = dir_entries("/sys/class/net").size();
    std::ifstream mountinfo("/proc/self/mountinfo");
    for (std::string line; std::getline(mountinfo, line);) {
      if (line.find(" /run/netns/") != std::string::npos) ++l.mounts;
    }
    l.fds = dir_entries("/proc/self/fd").size();
    for (const std::string& task : dir_entries("/proc/self/task")) {
      std::ifstream children("/proc/self/task/" + task + "/children");
      for (int pid; children >> pid;) ++l.children;
    }
    return l;
  }
  bool operator==(const Leftovers&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const Leftovers& l) {
  return out << "{namespaces " << l.namespaces << ", links " << l.links << ", mounts " << l.mounts << ", fds " << l.fds
             << ", children " << l.children << "}";
}

// The seed's PoC topology: hosts a (198.18.0.1) and b (198.18.0.2), each with
// a veth to the run's wire namespace, where the engine would forward between
// the outer ends. Members are built in order and torn down in reverse.
struct PocTopology {
  RunId run = RunId::create();
  Netns a = Netns::create(run.name("a"));
  Netns b = Netns::create(run.name("b"));
  Netns wire = Netns::create(run.name("wire"));
  Veth a_wire = Veth::create(a, run.name("a0"), wire, run.name("wa"));
  Veth b_wire = Veth::create(b, run.name("b0"), wire, run.name("wb"));
  Address a_addr = Address::add(a, a_wire.a(), "198.18.0.1/24");
  Address b_addr = Address::add(b, b_wire.a(), "198.18.0.2/24");

  PocTopology() {
    for (Netns* ns : {&a, &b, &wire}) ns->netlink().set_up("lo");
    a.netlink().set_up(a_wire.a());
    b.netlink().set_up(b_wire.a());
    wire.netlink().set_up(a_wire.b());
    wire.netlink().set_up(b_wire.b());
  }

  // The offloads of each side's two veth ends: a0 and wa, b0 and wb.
  void set_offloads(const Offloads& a_side, const Offloads& b_side) {
    Ethtool(a.fd()).set_offloads(a_wire.a(), a_side);
    Ethtool(wire.fd()).set_offloads(a_wire.b(), a_side);
    Ethtool(b.fd()).set_offloads(b_wire.a(), b_side);
    Ethtool(wire.fd()).set_offloads(b_wire.b(), b_side);
  }
};

}  // namespace synnet::testing
