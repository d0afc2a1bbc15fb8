// mac_address.hpp — Ethernet MAC addresses for the switch apps: parse,
// format, the I/G bit, and a 48-bit key for hashing.
//
//   std::optional<MacAddress> m = parse_mac("02:00:5e:10:00:01");  // nullopt: not six hex pairs
//   format_mac(*m)                     // "02:00:5e:10:00:01" (lowercase)
//   is_multicast(*m)                   // the I/G bit: multicast, broadcast included
//   mac_key(frame)                     // the six bytes at frame as a number < 2^48
//   mac_key(frame + 6)                 //   (a frame's destination, then its source)
//
// parse_mac takes exactly six pairs of hex digits (either case) separated by
// ':', nothing before or after.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace synnet {

using MacAddress = std::array<std::uint8_t, 6>;

namespace mac_detail {
inline int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace mac_detail

inline std::optional<MacAddress> parse_mac(std::string_view text) {
  constexpr std::size_t kChars = 6 * 3 - 1;  // "xx:" five times, then "xx"
  if (text.size() != kChars) return std::nullopt;
  MacAddress mac{};
  for (std::size_t i = 0; i < mac.size(); ++i) {
    const std::size_t at = i * 3;
    const int hi = mac_detail::hex_digit(text[at]), lo = mac_detail::hex_digit(text[at + 1]);
    if (hi < 0 || lo < 0 || (i + 1 < mac.size() && text[at + 2] != ':')) return std::nullopt;
    mac[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return mac;
}

inline std::string format_mac(const MacAddress& mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(17);
  for (std::size_t i = 0; i < mac.size(); ++i) {
    if (i != 0) s += ':';
    s += kHex[mac[i] >> 4];
    s += kHex[mac[i] & 0xf];
  }
  return s;
}

inline bool is_multicast(const MacAddress& mac) noexcept { return (mac[0] & 1) != 0; }

// The six bytes at p, p[0] most significant: a key < 2^48, equal for equal addresses.
inline std::uint64_t mac_key(const std::uint8_t* p) noexcept {
  std::uint64_t k = 0;
  for (int i = 0; i < 6; ++i) k = k << 8 | p[i];
  return k;
}
inline std::uint64_t mac_key(const MacAddress& mac) noexcept { return mac_key(mac.data()); }

}  // namespace synnet
