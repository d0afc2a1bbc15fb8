// switch_testing.hpp — frames for the switch apps' tests: MACs by name, a
// non-IP Ethernet frame, and an IPv4/UDP frame.
//
//   MacAddress a = testing::mac("02:00:00:00:00:0a");
//   testing::ether(dst, src)                          // 60 bytes, EtherType 0x88b5 (not IP)
//   testing::ipv4(dst, src, {198, 18, 0, 1}, {198, 18, 0, 2})   // 60 bytes, UDP
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/apps/switch/mac_address.hpp"

namespace synnet::testing {

using Frame = std::vector<std::uint8_t>;

inline MacAddress mac(const std::string& text) {
  const auto m = parse_mac(text);
  if (!m) throw std::invalid_argument("not a MAC: " + text);
  return *m;
}

inline Frame ether(const MacAddress& dst, const MacAddress& src, std::size_t len = 60) {
  Frame f(len, 0);
  for (std::size_t i = 0; i < 6 && i < len; ++i) f[i] = dst[i];
  for (std::size_t i = 0; i < 6 && 6 + i < len; ++i) f[6 + i] = src[i];
  if (len >= 14) {
    f[12] = 0x88;
    f[13] = 0xb5;
  }
  return f;
}

inline Frame ipv4(const MacAddress& dst, const MacAddress& src, std::array<std::uint8_t, 4> sip,
                  std::array<std::uint8_t, 4> dip) {
  Frame f = ether(dst, src, 60);
  f[12] = 0x08;
  f[13] = 0x00;
  std::uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;  // version 4, IHL 5
  ip[3] = 46;    // total length: the rest of the 60 bytes
  ip[8] = 64;    // TTL
  ip[9] = 17;    // UDP
  for (int i = 0; i < 4; ++i) {
    ip[12 + i] = sip[i];
    ip[16 + i] = dip[i];
  }
  ip[20] = 0x30;  // UDP ports 12345 -> 5201
  ip[21] = 0x39;
  ip[22] = 0x14;
  ip[23] = 0x51;
  ip[25] = 26;  // UDP length
  return f;
}

}  // namespace synnet::testing
