// tpacket_ring.hpp — the TPACKET_V2 rings an AF_PACKET socket shares with the
// kernel (RawSocket's RX and TX rings).
//
//   TpacketLayout l = tpacket_layout(largest_frame, vnet_bytes, whole_pages);  // frame and block sizes
//   tpacket_req req = l.request(4096);   // for setsockopt(PACKET_RX_RING or PACKET_TX_RING)
//   TpacketRings rings(fd, rx_req, tx_req, where);  // maps the rings the socket has ({}: none)
//   TpacketRing& rx = rings.rx();
//   std::uint8_t* f = rx.frame(rx.next);
//   if (status_of(f) & TP_STATUS_USER) { ...; set_status(f, TP_STATUS_KERNEL); rx.advance(); }
//
// The kernel maps a socket's RX ring and, right after it, its TX ring as one
// mapping: TpacketRings owns it (move-only; the destructor unmaps it), and
// its two TpacketRings are plain views into it. A frame starts with its
// tpacket2_hdr, whose tp_status the kernel and the app hand back and forth:
// status_of() and set_status() order the frame's other bytes around it.
//
//   put_back_vlan_tag(p, status, tci, tpid)   // the tag the kernel moved into the header

#pragma once

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "engine/packet.hpp"
#include "engine/sys/mapping.hpp"

namespace synnet {

// Where a TX frame's data starts (the kernel's default without PACKET_TX_HAS_OFF).
inline constexpr std::uint32_t kTpacketTxDataOffset = TPACKET2_HDRLEN - sizeof(sockaddr_ll);

inline std::uint32_t status_of(const std::uint8_t* frame) noexcept {
  return __atomic_load_n(&reinterpret_cast<const tpacket2_hdr*>(frame)->tp_status, __ATOMIC_ACQUIRE);
}

inline void set_status(std::uint8_t* frame, std::uint32_t status) noexcept {
  __atomic_store_n(&reinterpret_cast<tpacket2_hdr*>(frame)->tp_status, status, __ATOMIC_RELEASE);
}

inline constexpr std::uint32_t kVlanHeader = 4;  // an 802.1Q tag's bytes

// The kernel hands a packet socket a frame without its VLAN tag, which it
// reports beside it (tpacket2_hdr, or tpacket_auxdata without a ring): puts
// it back after the MAC addresses, if there was one. The packet needs
// kVlanHeader bytes of room. Returns whether it did.
inline bool put_back_vlan_tag(Packet& p, std::uint32_t status, std::uint16_t vlan_tci,
                              std::uint16_t vlan_tpid) noexcept {
  if ((status & TP_STATUS_VLAN_VALID) == 0 || p.length < 12) return false;
  const std::uint16_t tpid = (status & TP_STATUS_VLAN_TPID_VALID) ? vlan_tpid : ETH_P_8021Q;
  const std::uint16_t tag[2] = {htons(tpid), htons(vlan_tci)};
  std::memmove(p.data + 16, p.data + 12, p.length - 12);
  std::memcpy(p.data + 12, tag, sizeof tag);
  p.length += kVlanHeader;
  return true;
}

// One ring: `frames` (a power of two) frames of frame_size bytes from base.
struct TpacketRing {
  std::uint8_t* base = nullptr;  // nullptr: the socket has no such ring
  std::uint32_t frames = 0;
  std::uint32_t frame_size = 0;
  std::uint32_t next = 0;  // the slot to read or write next

  std::uint8_t* frame(std::uint32_t i) const noexcept { return base + std::size_t{i} * frame_size; }
  std::uint32_t after(std::uint32_t i) const noexcept { return (i + 1) & (frames - 1); }
  void advance() noexcept { next = after(next); }
};

// Frame and block sizes for frames that hold a tpacket2_hdr, room for the MAC
// offset, a vnet header of vnet_bytes and a frame of `largest` bytes: a power
// of two from 2048 bytes, or whole pages with whole_pages (a 64 KiB super-frame
// would otherwise take 128 KiB). Blocks hold whole frames, at least 64 KiB.
struct TpacketLayout {
  std::uint32_t frame_size = 0;
  std::uint32_t block_size = 0;
  // A request for `frames` frames (a power of two), at least a block's worth.
  tpacket_req request(std::uint32_t frames) const noexcept;
};
TpacketLayout tpacket_layout(std::uint32_t largest, std::uint32_t vnet_bytes, bool whole_pages) noexcept;

class TpacketRings {
 public:
  TpacketRings() noexcept = default;
  // Maps the rings fd was given (setsockopt PACKET_RX_RING, PACKET_TX_RING):
  // a zero request (tpacket_req{}) stands for a ring it does not have. No
  // ring: nothing is mapped. Throws SystemError (prefixed by `where`).
  TpacketRings(int fd, const tpacket_req& rx, const tpacket_req& tx, const std::string& where);
  TpacketRings(TpacketRings&& other) noexcept;
  TpacketRings& operator=(TpacketRings&& other) noexcept;

  TpacketRing& rx() noexcept { return rx_; }
  TpacketRing& tx() noexcept { return tx_; }
  const TpacketRing& rx() const noexcept { return rx_; }
  const TpacketRing& tx() const noexcept { return tx_; }

 private:
  Mapping mapping_;
  TpacketRing rx_, tx_;
};

}  // namespace synnet
