// vnet_header.hpp — the virtio-net header a PACKET_VNET_HDR socket exchanges
// with the kernel before every frame, to and from a packet's PacketOffload.
//
//   VnetHdr h = vnet_header_of(p.offload);     // sending: what p leaves to the device
//   p.offload = offload_of(h, tagged ? 4 : 0); // receiving: csum_start moved past a VLAN tag put back
//   if (p.offload.gso_size != 0) gso_parse(p); // offload_of leaves header_bytes and segments to gso_parse
//
// Both directions are inline: they run once per frame in bulk and segment mode.
#pragma once

#include <cstdint>

#include "engine/gso.hpp"
#include "engine/packet.hpp"

namespace synnet {

// struct virtio_net_hdr from <linux/virtio_net.h> (which does not compile as
// C++; a member is named "class"), in the host's byte order, as PACKET_VNET_HDR uses it.
// Trivial, so that arrays of them for a batch cost nothing until written.
struct VnetHdr {
  std::uint8_t flags;
  std::uint8_t gso_type;  // kGsoNone, kGsoTcpV4, ...
  std::uint16_t hdr_len, gso_size, csum_start, csum_offset;
  bool operator==(const VnetHdr&) const = default;
};
static_assert(sizeof(VnetHdr) == 10);
inline constexpr std::uint8_t kVnetNeedsCsum = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM

// The header telling the kernel what a packet with offload `o` leaves to the device.
inline VnetHdr vnet_header_of(const PacketOffload& o) noexcept {
  VnetHdr h{};
  if (o.csum_partial) {
    h.flags = kVnetNeedsCsum;
    h.csum_start = o.csum_start;
    h.csum_offset = o.csum_offset;
  }
  if (o.gso_size != 0) {
    h.gso_type = o.gso_type;
    h.gso_size = o.gso_size;
    h.hdr_len = o.header_bytes;
  }
  return h;
}

// What a received header says the sender left to the device. The kernel
// counts csum_start from the frame it delivered: csum_shift is what was put
// before it since (a VLAN tag, 4 bytes). header_bytes and segments stay 0:
// gso_parse() works them out from the frame.
inline PacketOffload offload_of(const VnetHdr& h, std::uint16_t csum_shift) noexcept {
  PacketOffload o{};
  if ((h.flags & kVnetNeedsCsum) != 0) {
    o.csum_partial = true;
    o.csum_start = static_cast<std::uint16_t>(h.csum_start + csum_shift);
    o.csum_offset = h.csum_offset;
  }
  if (h.gso_type != kGsoNone) {
    o.gso_type = h.gso_type;
    o.gso_size = h.gso_size;
  }
  return o;
}

}  // namespace synnet
