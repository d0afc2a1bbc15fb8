#include "engine/apps/io/tpacket_ring.hpp"

#include <algorithm>
#include <utility>

namespace synnet {

namespace {

constexpr std::uint32_t kPage = 4096;
constexpr std::uint32_t kMinFrame = 2048, kMinBlock = 1u << 16;
constexpr std::uint32_t kMacRoom = 64;  // between the header and the frame, for the MAC offset

std::uint32_t next_pow2(std::uint32_t x) {
  std::uint32_t p = 1;
  while (p < x) p <<= 1;
  return p;
}

}  // namespace

TpacketLayout tpacket_layout(std::uint32_t largest, std::uint32_t vnet_bytes, bool whole_pages) noexcept {
  const std::uint32_t frame_bytes = TPACKET_ALIGN(TPACKET2_HDRLEN) + kMacRoom + vnet_bytes + largest;
  TpacketLayout l;
  l.frame_size = whole_pages ? (frame_bytes + kPage - 1) / kPage * kPage : std::max(kMinFrame, next_pow2(frame_bytes));
  l.block_size = std::max(l.frame_size, kMinBlock);
  return l;
}

tpacket_req TpacketLayout::request(std::uint32_t frames) const noexcept {
  const std::uint32_t frames_per_block = block_size / frame_size;
  frames = std::max(frames, frames_per_block);
  return tpacket_req{block_size, frames / frames_per_block, frame_size, frames};
}

TpacketRings::TpacketRings(int fd, const tpacket_req& rx, const tpacket_req& tx, const std::string& where) {
  const std::size_t rx_bytes = std::size_t{rx.tp_block_size} * rx.tp_block_nr;
  const std::size_t tx_bytes = std::size_t{tx.tp_block_size} * tx.tp_block_nr;
  if (rx_bytes + tx_bytes == 0) return;
  mapping_ =
      Mapping::map(rx_bytes + tx_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, where + ": mmap rings");
  // The kernel maps the RX ring first, then the TX ring.
  if (rx_bytes != 0) rx_ = {mapping_.data(), rx.tp_frame_nr, rx.tp_frame_size, 0};
  if (tx_bytes != 0) tx_ = {mapping_.data() + rx_bytes, tx.tp_frame_nr, tx.tp_frame_size, 0};
}

TpacketRings::TpacketRings(TpacketRings&& other) noexcept
    : mapping_(std::move(other.mapping_)), rx_(std::exchange(other.rx_, {})), tx_(std::exchange(other.tx_, {})) {}

TpacketRings& TpacketRings::operator=(TpacketRings&& other) noexcept {
  if (this != &other) {
    mapping_ = std::move(other.mapping_);
    rx_ = std::exchange(other.rx_, {});
    tx_ = std::exchange(other.tx_, {});
  }
  return *this;
}

}  // namespace synnet
