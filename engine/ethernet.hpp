// ethernet.hpp — what the frame parsers share (checksum completion, GSO
// segmentation, the flow classifier, the switch, the rate's byte count):
// EtherTypes, IP protocol numbers, the Ethernet header's size, a
// big-endian read, and where the network header starts behind the VLAN tags.
//
//   std::uint16_t v = be16(p);                       // bytes p[0], p[1] as a big-endian number
//   std::optional<L3Start> l3 = find_l3(frame, len); // nullopt: too short for its EtherType
//   if (l3 && l3->ethertype == kEtherIpv4) parse(frame + l3->offset, len - l3->offset);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace synnet {

inline constexpr std::uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherVlan = 0x8100, kEtherQinQ = 0x88a8;
inline constexpr std::uint8_t kProtoTcp = 6, kProtoUdp = 17;
inline constexpr std::uint32_t kEthernetHeaderBytes = 14;  // destination, source, EtherType

inline std::uint16_t be16(const std::uint8_t* p) noexcept { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

struct L3Start {
  std::size_t offset;       // first byte after the EtherType (offset <= len)
  std::uint16_t ethertype;  // after at most two VLAN tags (802.1Q / 802.1ad); a third stays a VLAN type
};

// Skips the MAC addresses and up to two VLAN tags. Never reads past len.
inline std::optional<L3Start> find_l3(const std::uint8_t* frame, std::size_t len) noexcept {
  constexpr std::size_t kEtherTypeOffset = 12, kVlanTagBytes = 4, kMaxVlanTags = 2;
  std::size_t off = kEtherTypeOffset;
  if (len < off + 2) return std::nullopt;
  std::uint16_t type = be16(frame + off);
  for (std::size_t tags = 0; (type == kEtherVlan || type == kEtherQinQ) && tags < kMaxVlanTags; ++tags) {
    off += kVlanTagBytes;
    if (len < off + 2) return std::nullopt;
    type = be16(frame + off);
  }
  return L3Start{off + 2, type};
}

}  // namespace synnet
