// gso.hpp — GSO super-frames in bulk mode: checking what one stands for on the
// wire, and cutting it into wire packets in software.
//
//   p.offload = {.gso_size = 1448, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .csum_partial = true, ...};
//   bool ok = gso_parse(p);        // fills offload.header_bytes and offload.segments; false: malformed
//   Packet* s = gso_segment(p, i, pool);   // wire packet i of p (0 <= i < segments), complete
//                                          // checksums, no offload; nullptr: pool empty
//   std::uint32_t b = gso_segment_bytes(p, i);   // its length, without cutting it
//   std::uint32_t lost = gso_cut(p, pool, [&](Packet* w) { out->transmit(w); });
//                                  // every wire packet of p, in order; lost: pool empty
//   CutQueue q;  while (Packet* w = q.take(in, pool)) send(w);
//                                  // a port that sends wire packets only, given super-frames
//
// A super-frame is what a sender with TSO/USO on hands its device: one
// Ethernet + IPv4/IPv6 (up to two VLAN tags, IPv6 extension headers skipped)
// + TCP or UDP header, then up to segments * gso_size bytes of payload, with
// the IP length covering all of it (and nothing after it: a super-frame with
// bytes past its IP datagram is malformed) and a partial L4 checksum. gso_segment
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

#include "engine/link.hpp"
#include "engine/packet.hpp"
#include "engine/packet_pool.hpp"

namespace synnet {

// virtio_net_hdr's gso_type values (<linux/virtio_net.h>), without the ECN bit.
inline constexpr std::uint8_t kGsoNone = 0, kGsoTcpV4 = 1, kGsoTcpV6 = 4, kGsoUdpL4 = 5, kGsoEcn = 0x80;

bool gso_parse(Packet& p) noexcept;
Packet* gso_segment(const Packet& p, std::uint32_t i, PacketPool& pool) noexcept;

// Hands every wire packet of p (gso_parse'd, offload.gso_size != 0), in
// order, to take(Packet*). Returns how many were lost because the pool ran
// dry (the rest of p). p stays the caller's.
template <class Take>
std::uint32_t gso_cut(const Packet& p, PacketPool& pool, Take&& take) {
  const std::uint32_t n = wire_packets(p);
  for (std::uint32_t i = 0; i < n; ++i) {
    Packet* w = gso_segment(p, i, pool);
    if (w == nullptr) return n - i;
    take(w);
  }
  return 0;
}

// What a port that sends wire packets only (a RawSocket without bulk, an
// XdpSocket) sends next, when a bulk port may hand it super-frames: those are
// cut into their wire packets, which wait here, in order, until the port has
// room for them. The port frees what is left when it stops (clear).
class CutQueue {
 public:
  // The next packet to send: a wire packet cut earlier, or the link's next
  // (cut first if it is a super-frame); nullptr when that super-frame could
  // not be cut at all (pool empty). Call only when !empty() or !in->empty().
  Packet* take(Link* in, PacketPool& pool);
  bool empty() const noexcept { return at_ == cut_.size(); }
  void clear(PacketPool& pool) noexcept;
  std::uint64_t segmented() const noexcept { return segmented_; }  // super-frames cut
  std::uint64_t dropped() const noexcept { return dropped_; }      // their wire packets lost: pool empty

  // Cuts p into its wire packets, queued behind the others, and frees it.
  // Returns how many wire packets were lost because the pool ran dry.
  std::uint32_t cut(Packet* p, PacketPool& pool);
  Packet* next() noexcept { return empty() ? nullptr : cut_[at_++]; }

 private:
  std::vector<Packet*> cut_;
  std::size_t at_ = 0;
  std::uint64_t segmented_ = 0, dropped_ = 0;
};

// After a successful gso_parse(p), with i < wire_packets(p).
inline std::uint32_t gso_segment_bytes(const Packet& p, std::uint32_t i) noexcept {
  if (wire_packets(p) == 1) return p.length;
  const std::uint32_t payload = p.length - p.offload.header_bytes;
  const std::uint32_t start = i * std::uint32_t{p.offload.gso_size};
  return p.offload.header_bytes + std::min<std::uint32_t>(p.offload.gso_size, payload - start);
}

}  // namespace synnet
