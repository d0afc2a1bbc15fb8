#include "engine/apps/io/interface.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "engine/sys/system_error.hpp"

namespace synnet {

InterfaceInfo interface_info(int sock, const std::string& ifname, const std::string& where) {
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  InterfaceInfo info;
  if (::ioctl(sock, SIOCGIFINDEX, &ifr) != 0) throw SystemError(errno, where + ": no such interface");
  info.ifindex = ifr.ifr_ifindex;
  if (::ioctl(sock, SIOCGIFMTU, &ifr) != 0) throw SystemError(errno, where + ": read MTU");
  info.mtu = static_cast<unsigned>(ifr.ifr_mtu);
  return info;
}

void fail_if_deleted(AppContext& ctx, int sock, const std::string& ifname, int ifindex) noexcept {
  ifreq ifr{};
  ifr.ifr_ifindex = ifindex;
  if (::ioctl(sock, SIOCGIFNAME, &ifr) != 0 && errno == ENODEV) {
    ctx.fail("interface \"" + ifname + "\" was deleted (ifindex " + std::to_string(ifindex) + ")");
  }
}

bool interface_running(int sock, int ifindex) noexcept {
  ifreq ifr{};
  ifr.ifr_ifindex = ifindex;
  if (::ioctl(sock, SIOCGIFNAME, &ifr) != 0 || ::ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) return false;
  return (ifr.ifr_flags & IFF_UP) != 0 && (ifr.ifr_flags & IFF_RUNNING) != 0;
}

int take_socket_error(int sock) noexcept {
  int err = 0;
  socklen_t len = sizeof err;
  return ::getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &len) == 0 ? err : 0;
}

void emit_errno_counters(const CounterVisitor& emit, const std::string& prefix,
                         const std::map<int, std::uint64_t>& counts) {
  for (const auto& [err, n] : counts) {
    const char* name = strerrorname_np(err);
    emit.error(prefix + (name != nullptr ? std::string(name) : std::to_string(err)), n);
  }
}

std::string io_where(const char* kind, const std::string& ifname, const std::string& netns) {
  return std::string(kind) + " on \"" + ifname + "\"" + (netns.empty() ? "" : " in " + netns);
}

}  // namespace synnet
