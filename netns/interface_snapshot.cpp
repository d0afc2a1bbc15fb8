// interface_snapshot.cpp — saving and replaying an interface's addresses and
// routes as raw rtnetlink messages; see interface_snapshot.hpp.
#include "netns/interface_snapshot.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "netns/mnl_socket.hpp"

namespace synnet {

namespace {

// The attribute of that type in a message after a fixed header of `header` bytes, or nullptr.
const nlattr* find_attr(const nlmsghdr* nlh, std::size_t header, std::uint16_t type) {
  const nlattr* found = nullptr;
  for_each_attr(mnl_nlmsg_get_payload_offset(nlh, header), mnl_nlmsg_get_payload_tail(nlh), [&](const nlattr* a) {
    if (mnl_attr_get_type(a) == type) found = a;
  });
  return found;
}

std::string ip_text(int family, const nlattr* a) {
  if (a == nullptr) return "?";
  char buf[INET6_ADDRSTRLEN] = "";
  ::inet_ntop(family, mnl_attr_get_payload(a), buf, sizeof buf);
  return buf;
}

InterfaceSnapshot::Message copy_of(const nlmsghdr* nlh) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(nlh);
  return {p, p + nlh->nlmsg_len};
}

// A saved message that is long enough for its header, or an exception.
template <class Header>
const nlmsghdr* header_of(const InterfaceSnapshot::Message& m) {
  if (m.size() < NLMSG_LENGTH(sizeof(Header))) throw std::invalid_argument("a saved netlink message is too short");
  const auto* nlh = reinterpret_cast<const nlmsghdr*>(m.data());
  if (nlh->nlmsg_len != m.size()) throw std::invalid_argument("a saved netlink message has the wrong length");
  return nlh;
}

template <class Header>
nlmsghdr* header_of(InterfaceSnapshot::Message& m) {  // to change it before replaying it
  return const_cast<nlmsghdr*>(header_of<Header>(std::as_const(m)));
}

std::string address_text(const InterfaceSnapshot::Message& m) {
  const nlmsghdr* nlh = header_of<ifaddrmsg>(m);
  const auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(nlh));
  const nlattr* a = find_attr(nlh, sizeof(ifaddrmsg), IFA_LOCAL);
  if (a == nullptr) a = find_attr(nlh, sizeof(ifaddrmsg), IFA_ADDRESS);
  return ip_text(ifa->ifa_family, a) + "/" + std::to_string(ifa->ifa_prefixlen);
}

std::string route_text(const InterfaceSnapshot::Message& m) {
  const nlmsghdr* nlh = header_of<rtmsg>(m);
  const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
  std::string s = rtm->rtm_dst_len == 0 ? "default"
                                        : ip_text(rtm->rtm_family, find_attr(nlh, sizeof(rtmsg), RTA_DST)) + "/" +
                                              std::to_string(rtm->rtm_dst_len);
  if (const nlattr* gw = find_attr(nlh, sizeof(rtmsg), RTA_GATEWAY)) s += " via " + ip_text(rtm->rtm_family, gw);
  return s;
}

constexpr char kHex[] = "0123456789abcdef";

std::string to_hex(const InterfaceSnapshot::Message& m) {
  std::string s;
  for (std::uint8_t b : m) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

InterfaceSnapshot::Message from_hex(const std::string& s) {
  auto nibble = [](char c) -> int {
    const char* p = std::strchr(kHex, c);
    if (c == '\0' || p == nullptr) throw std::invalid_argument("a saved netlink message is not lowercase hex");
    return static_cast<int>(p - kHex);
  };
  if (s.size() % 2 != 0) throw std::invalid_argument("a saved netlink message has an odd number of hex digits");
  InterfaceSnapshot::Message m;
  for (std::size_t i = 0; i < s.size(); i += 2)
    m.push_back(static_cast<std::uint8_t>(nibble(s[i]) * 16 + nibble(s[i + 1])));
  return m;
}

}  // namespace

InterfaceSnapshot InterfaceSnapshot::take(int netns_fd, int ifindex) {
  MnlSocket sock(NETLINK_ROUTE, netns_fd, "rtnetlink");
  InterfaceSnapshot s;
  std::vector<char> buf(MnlSocket::kBufferSize);

  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETADDR;
  static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)))->ifa_family = AF_UNSPEC;
  sock.dump(nlh, "list the addresses of interface " + std::to_string(ifindex), [&](const nlmsghdr* m) {
    if (m->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(m) < sizeof(ifaddrmsg)) return;
    const auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(m));
    if (static_cast<int>(ifa->ifa_index) == ifindex) s.addresses.push_back(copy_of(m));
  });

  nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETROUTE;
  static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)))->rtm_family = AF_UNSPEC;
  sock.dump(nlh, "list the routes of interface " + std::to_string(ifindex), [&](const nlmsghdr* m) {
    if (m->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(m) < sizeof(rtmsg)) return;
    const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(m));
    if (rtm->rtm_table == RT_TABLE_LOCAL || rtm->rtm_protocol == RTPROT_KERNEL || (rtm->rtm_flags & RTM_F_CLONED))
      return;
    const nlattr* oif = find_attr(m, sizeof(rtmsg), RTA_OIF);
    if (oif != nullptr && static_cast<int>(mnl_attr_get_u32(oif)) == ifindex) s.routes.push_back(copy_of(m));
  });
  return s;
}

void InterfaceSnapshot::apply(int netns_fd, int ifindex) const {
  MnlSocket sock(NETLINK_ROUTE, netns_fd, "rtnetlink");
  // Writes one saved message back as a "create" request; EEXIST is fine.
  auto put = [&](Message m, std::uint16_t type, const std::string& what) {
    nlmsghdr* nlh = reinterpret_cast<nlmsghdr*>(m.data());
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
    nlh->nlmsg_pid = 0;
    try {
      sock.talk(nlh, what);
    } catch (const NetlinkRequestError& e) {
      if (e.code().value() != EEXIST) throw;
    }
  };
  for (Message m : addresses) {
    nlmsghdr* nlh = header_of<ifaddrmsg>(m);
    static_cast<ifaddrmsg*>(mnl_nlmsg_get_payload(nlh))->ifa_index = static_cast<std::uint32_t>(ifindex);
    const std::string what = "add address " + address_text(m);
    put(std::move(m), RTM_NEWADDR, what);
  }
  std::vector<Message> pending;
  for (Message m : routes) {
    nlmsghdr* nlh = header_of<rtmsg>(m);
    auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_get_payload(nlh));
    rtm->rtm_flags &= RTNH_F_ONLINK;  // the kernel refuses DEAD / LINKDOWN in a request
    auto* oif = const_cast<nlattr*>(find_attr(nlh, sizeof(rtmsg), RTA_OIF));
    if (oif == nullptr) throw std::invalid_argument("a saved route has no output interface");
    const std::uint32_t index = static_cast<std::uint32_t>(ifindex);
    std::memcpy(mnl_attr_get_payload(oif), &index, sizeof index);
    pending.push_back(std::move(m));
  }
  // A route through a gateway that another saved route makes reachable needs that one first.
  for (int pass = 0; !pending.empty(); ++pass) {
    std::vector<Message> failed;
    for (Message& m : pending) {
      try {
        put(m, RTM_NEWROUTE, "add route " + route_text(m));
      } catch (const NetlinkRequestError& e) {
        if (pass == 2 || (e.code().value() != ENETUNREACH && e.code().value() != EHOSTUNREACH)) throw;
        failed.push_back(m);
      }
    }
    pending = std::move(failed);
  }
}

std::string InterfaceSnapshot::describe() const {
  std::string s;
  for (const Message& m : addresses) s += (s.empty() ? "" : ", ") + address_text(m);
  if (s.empty()) s = "no addresses";
  std::string r;
  for (const Message& m : routes) r += (r.empty() ? "" : ", ") + route_text(m);
  return s + "; routes: " + (r.empty() ? "none" : r);
}

nlohmann::json InterfaceSnapshot::to_json() const {
  nlohmann::json j = {{"addresses", nlohmann::json::array()}, {"routes", nlohmann::json::array()}};
  for (const Message& m : addresses) j["addresses"].push_back(to_hex(m));
  for (const Message& m : routes) j["routes"].push_back(to_hex(m));
  return j;
}

InterfaceSnapshot InterfaceSnapshot::from_json(const nlohmann::json& j) {
  InterfaceSnapshot s;
  try {
    for (const auto& h : j.at("addresses")) s.addresses.push_back(from_hex(h.get<std::string>()));
    for (const auto& h : j.at("routes")) s.routes.push_back(from_hex(h.get<std::string>()));
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("not a saved interface configuration: ") + e.what());
  }
  for (const Message& m : s.addresses) header_of<ifaddrmsg>(m);  // validates
  for (const Message& m : s.routes) header_of<rtmsg>(m);
  return s;
}

}  // namespace synnet
