// interface_snapshot.hpp — InterfaceSnapshot: an interface's IP configuration
// (its addresses and the routes through it), kept as the kernel's own
// rtnetlink messages so that it can be put back exactly, on the same
// interface or on another one.
//
//   InterfaceSnapshot s = InterfaceSnapshot::take(ns.fd(), ifindex);   // RTM_GETADDR / RTM_GETROUTE dumps
//   s.apply(ns.fd(), other_ifindex);   // addresses first, then routes; throws NetlinkRequestError
//   s.describe()                      // "198.18.7.2/24; routes: default via 198.18.7.1, 198.19.0.0/16 via ..."
//   nlohmann::json j = s.to_json();  InterfaceSnapshot::from_json(j)   // hex-encoded messages
//
// What is kept: every address on the interface (IPv4 and IPv6, with its
// flags, scope, label and lifetimes), and every route in any table whose
// output interface it is, except those the kernel makes by itself: routes of
// the local table and routes with protocol "kernel" (prefix routes of its
// addresses, fe80::/64), which come back with the addresses. apply() writes
// the saved messages back with the interface index replaced (and a route's
// LINKDOWN/DEAD flags cleared); an entry that exists already counts as done
// (an IPv6 link-local address is made again by the kernel when the link comes
// up). A route that needs another route first is retried after the rest.
// Not kept: multipath routes (no single output interface), neighbour entries,
// per-interface sysctls.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace synnet {

struct InterfaceSnapshot {
  using Message = std::vector<std::uint8_t>;
  std::vector<Message> addresses;  // RTM_NEWADDR messages, as dumped
  std::vector<Message> routes;     // RTM_NEWROUTE messages, as dumped

  static InterfaceSnapshot take(int netns_fd, int ifindex);
  void apply(int netns_fd, int ifindex) const;
  std::string describe() const;

  nlohmann::json to_json() const;
  static InterfaceSnapshot from_json(const nlohmann::json& j);  // throws std::invalid_argument
  bool operator==(const InterfaceSnapshot&) const = default;
};

}  // namespace synnet
