// packet.hpp — one frame's buffer.
//
// A Packet is a length plus kPacketCapacity bytes of data: room for a 64 KiB
// GSO super-frame (bulk mode) with its Ethernet and VLAN headers, and so for
// any jumbo frame. Pages are touched only where data is written, so a pool of
// small frames costs no more memory than with smaller packets. Packets come from a PacketPool owned by the Engine; a
// packet is, at any moment, on exactly one link, in one app's hands, or in the pool. Data starts on a cache-line
// boundary, and copies between packets round the length up to whole 64-byte chunks (copy_packet_data), which is what
// makes small-packet copies cheap.
//
// A packet is one wire frame, unless its `offload` says otherwise: in bulk mode
// (RawSocketSpec::Offloads::bulk) a packet can be a GSO super-frame that stands for
// `offload.segments` wire packets, with its TCP/UDP checksum left partial. The
// offload metadata sits in the padding before the data, so it costs no space;
// so does `trace`, set only for a frame the verdict capture follows
// (packet_trace.hpp: trace_drop, trace_note, trace_copy below).
//
//   struct Packet { uint32_t length; PacketOffload offload; PacketTrace trace; alignas(64) uint8_t data[65664]; };
//   copy_packet_data(dst, src)  — dst.length = src.length, offload and data copied (data in chunks)
//   wire_packets(p), wire_bytes(p) — what p stands for on the wire (1 and length for a plain frame)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "engine/packet_trace.hpp"

namespace synnet {

inline constexpr std::size_t kPacketCapacity = 65536 + 128;  // bytes of data per packet
inline constexpr std::size_t kCopyChunk = 64;                // copy granularity, bytes

// What the sender left to the device: the virtio_net_hdr that PACKET_VNET_HDR
// sockets exchange with the kernel, plus what gso_parse() worked out. All zero
// for a plain wire frame with complete checksums.
struct PacketOffload {
  std::uint16_t gso_size = 0;      // payload bytes per wire packet; 0: not a super-frame
  std::uint8_t gso_type = 0;       // VIRTIO_NET_HDR_GSO_{TCPV4,TCPV6,UDP_L4}, ECN bit included
  bool csum_partial = false;       // the L4 checksum at csum_start + csum_offset is the device's job
  std::uint16_t csum_start = 0;    // from the start of the frame
  std::uint16_t csum_offset = 0;   // from csum_start
  std::uint16_t header_bytes = 0;  // super-frame: Ethernet to the end of TCP/UDP, repeated in every wire packet
  std::uint16_t segments = 0;      // super-frame: wire packets it stands for (0 for a plain frame)
  bool operator==(const PacketOffload&) const = default;
};

struct alignas(64) Packet {
  std::uint32_t length = 0;  // bytes of data in use, <= kPacketCapacity
  PacketOffload offload{};
  PacketTrace trace{};  // not copied by copy_packet_data: a copy is another packet
  alignas(64) std::uint8_t data[kPacketCapacity];
};
static_assert(sizeof(Packet) % kCopyChunk == 0);
static_assert(sizeof(Packet) == kPacketCapacity + 64, "the offload and trace metadata fit in the padding before data");

// The verdict capture's hooks (packet_trace.hpp): one untaken branch for a
// packet that is not traced.
inline void trace_drop(Packet& p, TraceFate fate, std::uint32_t detail = 0) noexcept {
  if (p.trace.tracer != nullptr) [[unlikely]] {
    p.trace.fate = fate;
    p.trace.detail = detail;
  }
}
inline void trace_note(const Packet& p, TraceNote note, std::uint32_t detail = 0) noexcept {
  if (p.trace.tracer != nullptr) [[unlikely]]
    p.trace.tracer->noted(p, note, detail);
}
// `copy` (a clone of `original`) is the same frame again, duplicated.
inline void trace_copy(Packet& copy, const Packet& original) noexcept {
  if (original.trace.tracer != nullptr) [[unlikely]] {
    copy.trace = original.trace;
    copy.trace.copy = true;
    copy.trace.tracer->copied(copy);
  }
}
static_assert(kPacketCapacity % kCopyChunk == 0);

// Copies src's length and data into dst. Copies whole 64-byte chunks, so it
// may write up to 63 bytes past dst.length (always inside dst.data).
inline void copy_packet_data(Packet& dst, const Packet& src) noexcept {
  const std::size_t n = (src.length + kCopyChunk - 1) & ~(kCopyChunk - 1);
  auto* d = static_cast<std::uint8_t*>(__builtin_assume_aligned(dst.data, kCopyChunk));
  const auto* s = static_cast<const std::uint8_t*>(__builtin_assume_aligned(src.data, kCopyChunk));
  for (std::size_t i = 0; i < n; i += kCopyChunk) std::memcpy(d + i, s + i, kCopyChunk);
  dst.length = src.length;
  dst.offload = src.offload;
}

// The wire packets p stands for, and their bytes (every one repeats the headers).
inline std::uint32_t wire_packets(const Packet& p) noexcept { return p.offload.segments > 1 ? p.offload.segments : 1; }
inline std::uint64_t wire_bytes(const Packet& p) noexcept {
  return p.length + std::uint64_t{wire_packets(p) - 1} * p.offload.header_bytes;
}

}  // namespace synnet
