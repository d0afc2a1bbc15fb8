// ethtool.hpp — Ethtool: read and change a device's features (offloads) over
// ethtool *netlink* (generic netlink family "ethtool", via libmnl), like
// `ethtool -k` / `ethtool -K`, in any network namespace.
//
//   Ethtool et(ns.fd());                              // socket inside that namespace (-1: the caller's)
//   et.set_offloads("veth0", {.tx_checksum = false, .tso = false, .gso = false, .gro = false});
//   Offloads now = et.offloads("veth0");              // *now.gro == false
//   std::map<std::string, bool> f = et.active_features("veth0");   // f["rx-gro"] == false
//   et.set_features("veth0", {{"rx-gro", true}});     // kernel feature names; unlisted ones unchanged
//
// A device "has" a feature that is changeable (hw) or currently active; those
// that are off and fixed are not listed. Every request asks for an ACK; a
// failure throws SystemError with what was done, the interface, errno's text
// and the kernel's extended-ACK message, e.g.
//   ethtool: get features of "nope0": No such device (errno 19): no device matches name
// Setting without CAP_NET_ADMIN is EPERM and says so. set_offloads refuses,
// before changing anything, to flip a fixed feature; afterwards it checks that
// every feature took its value and names those the kernel overrode (TSO does
// not stay on without tx checksumming). Move-only; one socket, one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "netns/mnl_socket.hpp"

namespace synnet {

// Offload settings we care about; std::nullopt = leave unchanged. Each group
// covers those of its features that the device has. Read back, a group is true
// if any of its features is active.
struct Offloads {
  std::optional<bool> tx_checksum = std::nullopt;  // tx-checksum-{ipv4,ip-generic,ipv6,sctp,fcoe-crc}
  std::optional<bool> tso = std::nullopt;          // tx-tcp{,-ecn,-mangleid,6,-accecn}-segmentation
  std::optional<bool> gso = std::nullopt;          // tx-generic-segmentation
  std::optional<bool> gro = std::nullopt;          // rx-gro
  bool operator==(const Offloads&) const = default;
};

class Ethtool {
 public:
  // Opens a generic netlink socket inside that network namespace (-1: the
  // caller's) and resolves the "ethtool" family id once.
  explicit Ethtool(int netns_fd = -1);

  // Every feature the device has, by name, and whether it is active.
  std::map<std::string, bool> active_features(const std::string& ifname);
  // Requests exactly the listed features (by kernel name); others stay as they are.
  void set_features(const std::string& ifname, const std::map<std::string, bool>& wanted);
  // Sets the groups that are not nullopt, then re-reads and throws if any
  // requested feature did not take the requested value, naming it.
  void set_offloads(const std::string& ifname, const Offloads& o);
  Offloads offloads(const std::string& ifname);

 private:
  struct Features;  // the hw / active / nochange sets of one FEATURES_GET reply
  Features features(const std::string& ifname);

  MnlSocket sock_;
  std::uint16_t family_ = 0;  // the "ethtool" generic netlink family id
};

}  // namespace synnet
