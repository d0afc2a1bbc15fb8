// address.hpp — a host's address in a scenario: an IPv4 or IPv6 address and
// the prefix length of its subnet, parsed once from "198.18.0.1/24" and
// checked against the test ranges (198.18.0.0/15, 2001:2::/48).
//
//   HostAddress a = parse_host_address("2001:2::1/64");   // throws std::invalid_argument
//   a.ipv6();   // true
//   a.ip();     // "2001:2::1"      (for ping, iperf3, neighbour entries)
//   a.str();    // "2001:2::1/64"   (for `ip address add`)
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/apps/flow/flow_key.hpp"

namespace synnet {

struct HostAddress {
  IpPrefix address{};              // the address alone: length 32 or 128
  std::uint8_t prefix_length = 0;  // of its subnet

  bool ipv6() const noexcept { return address.family == 6; }
  std::string ip() const;   // "198.18.0.1"
  std::string str() const;  // "198.18.0.1/24"
  bool operator==(const HostAddress&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const HostAddress& a) { return out << a.str(); }

// "198.18.0.1/24" or "2001:2::1/64": an address with a prefix length whose
// whole subnet lies in the test range of its family. Throws
// std::invalid_argument with the scenario format's message (it quotes `text`).
HostAddress parse_host_address(std::string_view text);

}  // namespace synnet
