// rtnetlink.hpp — RtNetlink: links, veths, addresses and routes of one network
// namespace, over rtnetlink (libnl-route-3).
//
//   RtNetlink nl(ns.fd());                       // socket inside that namespace (-1: the caller's)
//   nl.add_veth("sn1a2b3-a", ns_a.fd(), "sn1a2b3-ao", wire.fd());  // each end created in its namespace
//   nl.set_up("eth0");  nl.set_mtu("eth0", 9000);  nl.set_mac("eth0", "02:00:00:00:00:01");
//   nl.move_link("eth0", other_ns.fd());
//   nl.add_address("eth0", "198.18.0.1/24");     // IPv6 addresses skip DAD (IFA_F_NODAD)
//   nl.add_route("default", "198.18.0.254");     // or add_route("198.19.0.0/16", {}, "eth0")
//   nl.delete_link("eth0");                      // false: it was already gone
//   nl.links(), nl.link_info("eth0"), nl.has_link("eth0"), nl.ifindex("eth0"), nl.addresses()
//
// Every request asks for an ACK. Failures throw NetlinkError with what was
// asked, errno's text, and the kernel's extended-ACK message when it sent one;
// EPERM says that root / CAP_NET_ADMIN is needed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/sys/system_error.hpp"

struct nl_sock;
struct rtnl_link;

namespace synnet {

// A failed libnl request: code() is the kernel's errno (or libnl's, mapped), what() the whole text.
class NetlinkError : public SystemError {
 public:
  NetlinkError(int err, const std::string& message) : SystemError(err, message, verbatim) {}
};

struct LinkInfo {
  std::string name;
  int ifindex = 0;
  unsigned mtu = 0;
  std::string mac;                                                               // "02:00:00:00:00:01"
  bool up = false;                                                               // administratively up (IFF_UP)
  std::uint64_t rx_packets = 0, tx_packets = 0, rx_dropped = 0, tx_dropped = 0;  // the kernel's counters
};

class RtNetlink {
 public:
  explicit RtNetlink(int netns_fd = -1);
  ~RtNetlink();
  RtNetlink(const RtNetlink&) = delete;
  RtNetlink& operator=(const RtNetlink&) = delete;

  void add_veth(const std::string& name, int name_netns_fd, const std::string& peer, int peer_netns_fd);
  bool delete_link(const std::string& name);
  void set_up(const std::string& name, bool up = true);
  void set_mtu(const std::string& name, unsigned mtu);
  void set_mac(const std::string& name, const std::string& mac);
  void move_link(const std::string& name, int netns_fd);

  void add_address(const std::string& name, const std::string& prefix);
  bool delete_address(const std::string& name, const std::string& prefix);
  // destination: "default" or a prefix; via: gateway address; dev: output interface.
  void add_route(const std::string& destination, const std::optional<std::string>& via,
                 const std::optional<std::string>& dev = std::nullopt);

  // A permanent neighbour (ARP / NDP) entry: `address` is at `mac` on `dev`,
  // so nothing is resolved on the wire (a scenario's first packet is not
  // delayed, nor lost, by ARP through the impairments).
  void add_neighbor(const std::string& dev, const std::string& address, const std::string& mac);

  bool has_link(const std::string& name);
  int ifindex(const std::string& name);
  LinkInfo link_info(const std::string& name);
  std::vector<std::string> links();
  // Every address in the namespace: {interface, "198.18.0.2/24"}.
  std::vector<std::pair<std::string, std::string>> addresses();

 private:
  // Throws for a negative libnl result; `ok_errno` is an errno that means "fine" (returns false).
  bool check(int nl_result, const std::string& what, int ok_errno = 0);

  void change_link(const std::string& name, const std::string& what, const std::function<void(rtnl_link*)>& edit);

  nl_sock* sock_ = nullptr;
  std::pair<int, std::string> error_;  // errno and extended-ACK text of the last error reply
};

}  // namespace synnet
