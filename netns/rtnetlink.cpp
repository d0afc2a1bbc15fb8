#include "netns/rtnetlink.hpp"

#include <linux/netlink.h>
#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "engine/sys/in_netns.hpp"
#include "engine/sys/text.hpp"

namespace synnet {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
using LinkPtr = std::unique_ptr<rtnl_link, Deleter<rtnl_link, rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, Deleter<rtnl_addr, rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, Deleter<rtnl_route, rtnl_route_put>>;
using NeighPtr = std::unique_ptr<rtnl_neigh, Deleter<rtnl_neigh, rtnl_neigh_put>>;
using NlAddrPtr = std::unique_ptr<nl_addr, Deleter<nl_addr, nl_addr_put>>;
using CachePtr = std::unique_ptr<nl_cache, Deleter<nl_cache, nl_cache_free>>;

NlAddrPtr parse_addr(const std::string& text, int family, const std::string& what) {
  nl_addr* a = nullptr;
  if (nl_addr_parse(text.c_str(), family, &a) < 0) {
    throw NetlinkError(EINVAL, what + ": " + in_quotes(text) + " is not an address");
  }
  return NlAddrPtr(a);
}

// errno for a libnl error code, for replies that libnl handled itself (it
// installs its own error callback for some requests, e.g. rtnl_link_get_kernel).
int errno_of(int nl_result) {
  switch (-nl_result) {
    case NLE_NODEV: return ENODEV;
    case NLE_EXIST: return EEXIST;
    case NLE_PERM: return EPERM;
    case NLE_NOACCESS: return EACCES;
    case NLE_INVAL: return EINVAL;
    case NLE_RANGE: return ERANGE;
    case NLE_NOADDR: return EADDRNOTAVAIL;
    case NLE_OBJ_NOTFOUND: return ENOENT;
    case NLE_NOMEM: return ENOMEM;
    case NLE_BUSY: return EBUSY;
    case NLE_OPNOTSUPP: return EOPNOTSUPP;
    case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
    default: return EIO;
  }
}

// libnl error callback: keeps the kernel's errno and extended-ACK message.
int capture_error(sockaddr_nl*, nlmsgerr* e, void* arg) {
  auto* out = static_cast<std::pair<int, std::string>*>(arg);
  out->first = -e->error;
  out->second.clear();
  const auto* hdr = reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(e) - NLMSG_HDRLEN);
  if ((hdr->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return NL_STOP;
  // TLVs follow the nlmsgerr, after the echoed request unless the kernel capped it.
  std::size_t offset = sizeof(nlmsgerr);
  if ((hdr->nlmsg_flags & NLM_F_CAPPED) == 0) offset += e->msg.nlmsg_len - NLMSG_HDRLEN;
  const std::size_t payload = hdr->nlmsg_len - NLMSG_HDRLEN;
  if (offset >= payload) return NL_STOP;
  const auto* attr = reinterpret_cast<const nlattr*>(reinterpret_cast<const char*>(e) + offset);
  int remaining = static_cast<int>(payload - offset);
  for (; nla_ok(attr, remaining); attr = nla_next(attr, &remaining)) {
    if (nla_type(attr) == NLMSGERR_ATTR_MSG) {
      out->second = static_cast<const char*>(nla_data(attr));
      break;
    }
  }
  return NL_STOP;
}

}  // namespace

RtNetlink::RtNetlink(int netns_fd) {
  sock_ = in_netns(netns_fd, [] {
    nl_sock* s = nl_socket_alloc();
    if (s == nullptr) throw NetlinkError(ENOMEM, "netlink: cannot allocate a socket");
    if (const int r = nl_connect(s, NETLINK_ROUTE); r < 0) {
      nl_socket_free(s);
      throw NetlinkError(EIO, std::string("netlink: connect: ") + nl_geterror(r));
    }
    return s;
  });
  const int one = 1;
  ::setsockopt(nl_socket_get_fd(sock_), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  ::setsockopt(nl_socket_get_fd(sock_), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  nl_socket_modify_err_cb(sock_, NL_CB_CUSTOM, capture_error, &error_);
}

RtNetlink::~RtNetlink() { nl_socket_free(sock_); }

bool RtNetlink::check(int nl_result, const std::string& what, int ok_errno) {
  if (nl_result >= 0) {
    error_ = {};
    return true;
  }
  // The kernel's errno when it sent an error reply; otherwise libnl's own error.
  const int err = error_.first != 0 ? error_.first : errno_of(nl_result);
  std::string text = error_.first != 0 ? std::string(std::strerror(err)) + " (errno " + std::to_string(err) + ")"
                                       : std::string(nl_geterror(nl_result));
  const std::string kernel = error_.second;
  error_ = {};
  if (ok_errno != 0 && err == ok_errno) return false;
  std::string message = "netlink: " + what + ": " + text;
  if (!kernel.empty()) message += ": " + kernel;
  if (err == EPERM) message += " (this needs root or CAP_NET_ADMIN: run as root, e.g. with sudo)";
  throw NetlinkError(err, message);
}

void RtNetlink::add_veth(const std::string& name, int name_netns_fd, const std::string& peer, int peer_netns_fd) {
  const std::string what = "add veth " + in_quotes(name) + " with peer " + in_quotes(peer);
  LinkPtr link(rtnl_link_veth_alloc());
  if (!link) throw NetlinkError(ENOMEM, "netlink: " + what + ": out of memory");
  rtnl_link_set_name(link.get(), name.c_str());
  if (name_netns_fd >= 0) rtnl_link_set_ns_fd(link.get(), name_netns_fd);
  LinkPtr peer_link(rtnl_link_veth_get_peer(link.get()));
  rtnl_link_set_name(peer_link.get(), peer.c_str());
  if (peer_netns_fd >= 0) rtnl_link_set_ns_fd(peer_link.get(), peer_netns_fd);
  check(rtnl_link_add(sock_, link.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

bool RtNetlink::delete_link(const std::string& name) {
  LinkPtr link(rtnl_link_alloc());
  rtnl_link_set_name(link.get(), name.c_str());
  return check(rtnl_link_delete(sock_, link.get()), "delete link " + in_quotes(name), ENODEV);
}

// A request that changes the link called `name` (rtnl_link_change needs the
// original's ifindex and a link object holding only the changes).
void RtNetlink::change_link(const std::string& name, const std::string& what,
                            const std::function<void(rtnl_link*)>& edit) {
  LinkPtr orig(rtnl_link_alloc());
  rtnl_link_set_ifindex(orig.get(), ifindex(name));
  rtnl_link_set_name(orig.get(), name.c_str());
  LinkPtr change(rtnl_link_alloc());
  edit(change.get());
  check(rtnl_link_change(sock_, orig.get(), change.get(), 0), what);
}

void RtNetlink::set_up(const std::string& name, bool up) {
  change_link(name, "set link " + in_quotes(name) + (up ? " up" : " down"), [up](rtnl_link* c) {
    if (up) {
      rtnl_link_set_flags(c, IFF_UP);
    } else {
      rtnl_link_unset_flags(c, IFF_UP);
    }
  });
}

void RtNetlink::set_mtu(const std::string& name, unsigned mtu) {
  change_link(name, "set mtu " + std::to_string(mtu) + " on " + in_quotes(name),
              [mtu](rtnl_link* c) { rtnl_link_set_mtu(c, mtu); });
}

void RtNetlink::set_mac(const std::string& name, const std::string& mac) {
  const std::string what = "set mac " + mac + " on " + in_quotes(name);
  NlAddrPtr addr = parse_addr(mac, AF_LLC, "netlink: " + what);
  change_link(name, what, [&](rtnl_link* c) { rtnl_link_set_addr(c, addr.get()); });
}

void RtNetlink::move_link(const std::string& name, int netns_fd) {
  change_link(name, "move link " + in_quotes(name) + " to another namespace",
              [netns_fd](rtnl_link* c) { rtnl_link_set_ns_fd(c, netns_fd); });
}

namespace {

AddrPtr address_for(int ifindex, const std::string& prefix, const std::string& what) {
  NlAddrPtr local = parse_addr(prefix, AF_UNSPEC, "netlink: " + what);
  AddrPtr addr(rtnl_addr_alloc());
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_local(addr.get(), local.get());
  rtnl_addr_set_prefixlen(addr.get(), static_cast<int>(nl_addr_get_prefixlen(local.get())));
  if (nl_addr_get_family(local.get()) == AF_INET6) {
    rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);  // usable at once: no 1–2 s of duplicate detection
  }
  return addr;
}

}  // namespace

void RtNetlink::add_address(const std::string& name, const std::string& prefix) {
  const std::string what = "add address " + prefix + " to " + in_quotes(name);
  AddrPtr addr = address_for(ifindex(name), prefix, what);
  check(rtnl_addr_add(sock_, addr.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

bool RtNetlink::delete_address(const std::string& name, const std::string& prefix) {
  const std::string what = "delete address " + prefix + " from " + in_quotes(name);
  if (!has_link(name)) return false;
  AddrPtr addr = address_for(ifindex(name), prefix, what);
  return check(rtnl_addr_delete(sock_, addr.get(), 0), what, EADDRNOTAVAIL);
}

void RtNetlink::add_route(const std::string& destination, const std::optional<std::string>& via,
                          const std::optional<std::string>& dev) {
  std::string what = "add route " + destination;
  if (via) what += " via " + *via;
  if (dev) what += " dev " + in_quotes(*dev);
  if (!via && !dev) throw NetlinkError(EINVAL, "netlink: " + what + ": give a gateway (via), a device, or both");
  // The family comes from the gateway when the destination is "default".
  int family = AF_UNSPEC;
  NlAddrPtr gateway;
  if (via) {
    gateway = parse_addr(*via, AF_UNSPEC, "netlink: " + what);
    family = nl_addr_get_family(gateway.get());
  }
  NlAddrPtr dst = parse_addr(destination, family == AF_UNSPEC ? AF_INET : family, "netlink: " + what);
  RoutePtr route(rtnl_route_alloc());
  rtnl_route_set_family(route.get(), static_cast<std::uint8_t>(nl_addr_get_family(dst.get())));
  rtnl_route_set_dst(route.get(), dst.get());
  rtnl_nexthop* nh = rtnl_route_nh_alloc();  // owned by the route once added
  if (gateway) rtnl_route_nh_set_gateway(nh, gateway.get());
  if (dev) rtnl_route_nh_set_ifindex(nh, ifindex(*dev));
  rtnl_route_add_nexthop(route.get(), nh);
  check(rtnl_route_add(sock_, route.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

void RtNetlink::add_neighbor(const std::string& dev, const std::string& address, const std::string& mac) {
  const std::string what = "add neighbour " + address + " lladdr " + mac + " dev " + in_quotes(dev);
  NlAddrPtr dst = parse_addr(address, AF_UNSPEC, "netlink: " + what);
  NlAddrPtr lladdr = parse_addr(mac, AF_LLC, "netlink: " + what);
  NeighPtr neigh(rtnl_neigh_alloc());
  rtnl_neigh_set_ifindex(neigh.get(), ifindex(dev));
  rtnl_neigh_set_dst(neigh.get(), dst.get());
  rtnl_neigh_set_lladdr(neigh.get(), lladdr.get());
  rtnl_neigh_set_state(neigh.get(), NUD_PERMANENT);
  check(rtnl_neigh_add(sock_, neigh.get(), NLM_F_CREATE | NLM_F_REPLACE), what);
}

bool RtNetlink::has_link(const std::string& name) {
  rtnl_link* link = nullptr;
  const int r = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link);
  if (link != nullptr) rtnl_link_put(link);
  return check(r, "look up link " + in_quotes(name), ENODEV);
}

int RtNetlink::ifindex(const std::string& name) { return link_info(name).ifindex; }

LinkInfo RtNetlink::link_info(const std::string& name) {
  rtnl_link* raw = nullptr;
  check(rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw), "look up link " + in_quotes(name));
  LinkPtr link(raw);
  LinkInfo info;
  info.name = name;
  info.ifindex = rtnl_link_get_ifindex(link.get());
  info.mtu = rtnl_link_get_mtu(link.get());
  info.up = (rtnl_link_get_flags(link.get()) & IFF_UP) != 0;
  info.rx_packets = rtnl_link_get_stat(link.get(), RTNL_LINK_RX_PACKETS);
  info.tx_packets = rtnl_link_get_stat(link.get(), RTNL_LINK_TX_PACKETS);
  info.rx_dropped = rtnl_link_get_stat(link.get(), RTNL_LINK_RX_DROPPED);
  info.tx_dropped = rtnl_link_get_stat(link.get(), RTNL_LINK_TX_DROPPED);
  if (nl_addr* mac = rtnl_link_get_addr(link.get()); mac != nullptr) {
    char buf[64];
    info.mac = nl_addr2str(mac, buf, sizeof buf);
  }
  return info;
}

std::vector<std::string> RtNetlink::links() {
  nl_cache* raw = nullptr;
  check(rtnl_link_alloc_cache(sock_, AF_UNSPEC, &raw), "list links");
  CachePtr cache(raw);
  std::vector<std::string> names;
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    names.emplace_back(rtnl_link_get_name(reinterpret_cast<rtnl_link*>(o)));
  }
  return names;
}

std::vector<std::pair<std::string, std::string>> RtNetlink::addresses() {
  nl_cache* raw = nullptr;
  check(rtnl_addr_alloc_cache(sock_, &raw), "list addresses");
  CachePtr cache(raw);
  nl_cache* raw_links = nullptr;  // names by index in this socket's namespace (if_indextoname would look in ours)
  check(rtnl_link_alloc_cache(sock_, AF_UNSPEC, &raw_links), "list links");
  CachePtr links(raw_links);
  std::vector<std::pair<std::string, std::string>> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    char name[IF_NAMESIZE + 8] = "", text[INET6_ADDRSTRLEN + 8] = "";
    if (rtnl_link_i2name(links.get(), rtnl_addr_get_ifindex(a), name, sizeof name) == nullptr) {
      std::snprintf(name, sizeof name, "#%d", rtnl_addr_get_ifindex(a));
    }
    nl_addr2str(rtnl_addr_get_local(a), text, sizeof text);
    out.emplace_back(name, text);
  }
  return out;
}

}  // namespace synnet
