// packet.hpp — one frame's buffer.
//
// A Packet is a length plus kPacketCapacity bytes of data (room for jumbo
// frames). Packets come from a PacketPool owned by the Engine; a packet is, at
// any moment, on exactly one link, in one app's hands, or in the pool.
// Data starts on a cache-line boundary, and copies between packets round the
// length up to whole 64-byte chunks (copy_packet_data), which is what makes
// small-packet copies cheap.
//
//   struct Packet { uint32_t length; alignas(64) uint8_t data[10240]; };
//   copy_packet_data(dst, src)  — dst.length = src.length, data copied in chunks
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace synnet {

inline constexpr std::size_t kPacketCapacity = 10240;  // bytes of data per packet
inline constexpr std::size_t kCopyChunk = 64;          // copy granularity, bytes

struct alignas(64) Packet {
  std::uint32_t length = 0;  // bytes of data in use, <= kPacketCapacity
  alignas(64) std::uint8_t data[kPacketCapacity];
};
static_assert(sizeof(Packet) % kCopyChunk == 0);
static_assert(kPacketCapacity % kCopyChunk == 0);

// Copies src's length and data into dst. Copies whole 64-byte chunks, so it
// may write up to 63 bytes past dst.length (always inside dst.data).
inline void copy_packet_data(Packet& dst, const Packet& src) noexcept {
  const std::size_t n = (src.length + kCopyChunk - 1) & ~(kCopyChunk - 1);
  auto* d = static_cast<std::uint8_t*>(__builtin_assume_aligned(dst.data, kCopyChunk));
  const auto* s = static_cast<const std::uint8_t*>(__builtin_assume_aligned(src.data, kCopyChunk));
  for (std::size_t i = 0; i < n; i += kCopyChunk) std::memcpy(d + i, s + i, kCopyChunk);
  dst.length = src.length;
}

}  // namespace synnet
