// gso.hpp — GSO super-frames in bulk mode: checking what one stands for on the
// wire, and cutting it into wire packets in software.
//
//   p.offload = {.gso_size = 1448, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .csum_partial = true, ...};
//   bool ok = gso_parse(p);        // fills offload.header_bytes and offload.segments; false: malformed
//   Packet* s = gso_segment(p, i, pool);   // wire packet i of p (0 <= i < segments), complete
//                                          // checksums, no offload; nullptr: pool empty
//   std::uint32_t b = gso_segment_bytes(p, i);   // its length, without cutting it
//   CutQueue q;  q.cut(p, pool);  while (Packet* w = q.next()) send(w);
//                                  // a port that sends wire packets only, given a super-frame
//
// A super-frame is what a sender with TSO/USO on hands its device: one
// Ethernet + IPv4/IPv6 (up to two VLAN tags, IPv6 extension headers skipped)
// + TCP or UDP header, then up to segments * gso_size bytes of payload, with
// the IP length covering all of it and a partial L4 checksum. gso_segment
// does what the device (or the kernel's software GSO) would: each wire packet
// repeats the headers with its own IP length (IPv4: id + i and a new header
// checksum), TCP sequence number (FIN and PSH only on the last, CWR only on the
// first) or UDP length, and a complete L4 checksum. Supported: TCPv4, TCPv6
// and UDP_L4 (USO); anything else (e.g. UFO, which fragments) is malformed here.
// Neither function reads or writes outside [data, data + length).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/packet.hpp"
#include "engine/packet_pool.hpp"

namespace synnet {

// virtio_net_hdr's gso_type values (<linux/virtio_net.h>), without the ECN bit.
inline constexpr std::uint8_t kGsoNone = 0, kGsoTcpV4 = 1, kGsoTcpV6 = 4, kGsoUdpL4 = 5, kGsoEcn = 0x80;

bool gso_parse(Packet& p) noexcept;
Packet* gso_segment(const Packet& p, std::uint32_t i, PacketPool& pool) noexcept;

// The wire packets of super-frames, cut by a port that sends wire packets only
// (a RawSocket without bulk, an XdpSocket) from what a bulk port received;
// they wait here, in order, until the port has room for them. The port
// frees what is left when it stops (clear).
class CutQueue {
 public:
  // Cuts p (gso_parse'd, offload.gso_size != 0) into its wire packets and
  // frees it. Returns how many wire packets were lost because the pool ran dry.
  std::uint32_t cut(Packet* p, PacketPool& pool);
  bool empty() const noexcept { return at_ == cut_.size(); }
  Packet* next() noexcept { return empty() ? nullptr : cut_[at_++]; }
  void clear(PacketPool& pool) noexcept;

 private:
  std::vector<Packet*> cut_;
  std::size_t at_ = 0;
};

// After a successful gso_parse(p), with i < wire_packets(p).
inline std::uint32_t gso_segment_bytes(const Packet& p, std::uint32_t i) noexcept {
  if (wire_packets(p) == 1) return p.length;
  const std::uint32_t payload = p.length - p.offload.header_bytes;
  const std::uint32_t start = i * std::uint32_t{p.offload.gso_size};
  return p.offload.header_bytes + std::min<std::uint32_t>(p.offload.gso_size, payload - start);
}

}  // namespace synnet
