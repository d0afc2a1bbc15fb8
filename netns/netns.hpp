// netns.hpp — Netns: a network namespace, named as `ip netns add` names them.
//
//   Netns ns = Netns::create("sn1a2b3-client");   // bind mount at /run/netns/sn1a2b3-client
//   Netns c  = Netns::open("/proc/1234/ns/net");   // someone else's: never removed by us
//   ns.fd(), ns.name(), ns.path(), ns.inode(), ns.owned()
//   ns.netlink().set_up("lo");                     // an RtNetlink socket inside it (opened once)
//   ns.set_sysctl("net.ipv6.conf.all.forwarding", "1");  ns.sysctl("net.ipv4.ip_forward")
//   ns.remove();                                   // owned only; idempotent; the destructor calls it
//   ns.keep();                                     // the destructor leaves it (for synnet-test --cleanup)
//
// Named namespaces are made the way iproute2 makes them (/run/netns is a
// shared mount; the namespace file is a bind mount of a thread's ns/net), so
// `ip netns exec NAME …` works while a run is up. The caller's thread never
// changes namespace: creation happens on a short-lived helper thread.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "engine/sys/fd.hpp"
#include "netns/rtnetlink.hpp"

namespace synnet {

inline constexpr const char* kNetnsRunDir = "/run/netns";

class Netns {
 public:
  static Netns create(const std::string& name);  // throws SystemError; EEXIST if the name is taken
  static Netns open(const std::string& path);    // not owned
  static Netns current();                        // the calling thread's namespace, not owned

  Netns(Netns&& other) noexcept;
  Netns& operator=(Netns&& other) noexcept;
  ~Netns();

  int fd() const noexcept { return fd_.get(); }
  const std::string& name() const noexcept { return name_; }
  const std::string& path() const noexcept { return path_; }
  ino_t inode() const noexcept { return inode_; }
  bool owned() const noexcept { return owned_; }

  RtNetlink& netlink();
  void set_sysctl(const std::string& key, const std::string& value);  // "net.ipv4.ip_forward" or "net/ipv4/ip_forward"
  std::string sysctl(const std::string& key);

  void remove();                            // throws SystemError only for a real failure (not "already gone")
  void keep() noexcept { owned_ = false; }  // leave it for a later cleanup: the destructor will not remove it

 private:
  Netns(Fd fd, std::string name, std::string path, bool owned);

  Fd fd_;
  std::string name_;
  std::string path_;
  ino_t inode_ = 0;
  bool owned_ = false;
  std::unique_ptr<RtNetlink> netlink_;
};

// Removes a named namespace's bind mount and file (as `ip netns del`).
// Returns false when it did not exist.
bool remove_named_netns(const std::string& name);

}  // namespace synnet
