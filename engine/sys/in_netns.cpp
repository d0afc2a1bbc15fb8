// in_netns.cpp — opening a namespace, and a socket inside one. See in_netns.hpp.
#include "engine/sys/in_netns.hpp"

#include <fcntl.h>
#include <sys/socket.h>

namespace synnet {

Fd open_netns(const std::string& netns, const std::string& where) {
  Fd ns;
  if (!netns.empty()) {
    ns.reset(::open(netns.c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns) throw SystemError(errno, where + ": open namespace " + netns);
  }
  return ns;
}

Fd socket_in_netns(const std::string& netns, int domain, int type, int protocol, const std::string& where) {
  const Fd ns = open_netns(netns, where);
  Fd sock(in_netns(ns.get(), [&] { return ::socket(domain, type | SOCK_CLOEXEC, protocol); }));
  if (!sock) throw SystemError(errno, where + ": socket" + (errno == EPERM ? " (needs root or CAP_NET_RAW)" : ""));
  return sock;
}

}  // namespace synnet
