// gso_testing.hpp — GSO super-frames for tests: what a sender with TSO/USO on
// hands its device, built byte by byte (independently of engine/gso.cpp).
//
//   SuperFrame sf{.ipv6 = true, .payload = 4000, .gso_size = 1000};
//   sf.build(packet);                    // frame, length and offload (not yet gso_parse'd)
//   sf.l3(), sf.l4(), sf.header()        // offsets of IP, TCP/UDP, payload
//   expect_valid_checksums(segment, sf)  // IPv4 header and L4 checksums as a receiver checks them
#pragma once

#include <gtest/gtest.h>

#include <cstring>

#include "engine/checksum.hpp"
#include "engine/gso.hpp"

namespace synnet::testing {

inline std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
inline std::uint32_t get32(const std::uint8_t* p) { return std::uint32_t{get16(p)} << 16 | get16(p + 2); }
inline void put16(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

// A super-frame as a sender with TSO/USO on hands it to its device: Ethernet
// [+ VLAN], IPv4 (DF, id 0x1234) or IPv6, TCP (with 12 bytes of options, flags
// CWR|PSH|FIN|ACK) or UDP, `payload` bytes, IP length over all of it, and a
// partial checksum.
struct SuperFrame {
  bool ipv6 = false, udp = false, vlan = false;
  std::size_t payload = 3500;
  std::uint16_t gso_size = 1000;
  std::uint32_t first_seq = 0xfffffff0;  // TCP: wraps inside the default super-frame
  bool operator==(const SuperFrame&) const = default;

  std::size_t l3() const { return vlan ? 18 : 14; }
  std::size_t l4() const { return l3() + (ipv6 ? 40 : 20); }
  std::size_t header() const { return l4() + (udp ? 8 : 32); }

  void build(Packet& p) const {
    std::uint8_t* f = p.data;
    std::memset(f, 0, header());
    std::memset(f, 0x02, 12);
    std::size_t at = 12;
    if (vlan) {
      put16(f + at, 0x8100);
      put16(f + at + 2, 7);
      at += 4;
    }
    const std::size_t l4_bytes = header() - l4() + payload;
    put16(f + at, ipv6 ? 0x86dd : 0x0800);
    std::uint8_t* ip = f + l3();
    const std::uint8_t proto = udp ? 17 : 6;
    if (!ipv6) {
      ip[0] = 0x45;
      put16(ip + 2, static_cast<std::uint32_t>(20 + l4_bytes));
      put16(ip + 4, 0x1234);
      put16(ip + 6, 0x4000);  // DF
      ip[8] = 64;
      ip[9] = proto;
      const std::uint8_t addrs[] = {198, 18, 0, 1, 198, 18, 0, 2};
      std::memcpy(ip + 12, addrs, 8);
    } else {
      ip[0] = 0x60;
      put16(ip + 4, static_cast<std::uint32_t>(l4_bytes));
      ip[6] = proto;
      ip[7] = 64;
      for (int i = 0; i < 32; ++i) ip[8 + i] = static_cast<std::uint8_t>(0x20 + i);
    }
    std::uint8_t* l4p = f + l4();
    put16(l4p, 40000);
    put16(l4p + 2, 5201);
    if (udp) {
      put16(l4p + 4, static_cast<std::uint32_t>(l4_bytes));  // as the sender leaves it: the whole datagram
    } else {
      put16(l4p + 4, first_seq >> 16);
      put16(l4p + 6, first_seq & 0xffff);
      l4p[12] = 8 << 4;                     // 32-byte header
      l4p[13] = 0x80 | 0x10 | 0x08 | 0x01;  // CWR ACK PSH FIN
      put16(l4p + 14, 512);
      for (int i = 20; i < 32; ++i) l4p[i] = 1;  // NOPs
    }
    for (std::size_t i = 0; i < payload; ++i) f[header() + i] = static_cast<std::uint8_t>(i * 13 + 5);
    put16(l4p + (udp ? 6 : 16), 0xbeef);  // a partial sum: the segmenter must not trust it
    p.length = static_cast<std::uint32_t>(header() + payload);
    p.offload = {.gso_size = gso_size,
                 .gso_type = udp    ? kGsoUdpL4
                             : ipv6 ? kGsoTcpV6
                                    : kGsoTcpV4,
                 .csum_partial = true,
                 .csum_start = static_cast<std::uint16_t>(l4()),
                 .csum_offset = static_cast<std::uint16_t>(udp ? 6 : 16)};
  }
};

// A receiver's checks: the IPv4 header checksum and the L4 checksum over the
// pseudo-header both fold to 0xffff.
inline void expect_valid_checksums(const Packet& s, const SuperFrame& sf) {
  const std::uint8_t* ip = s.data + sf.l3();
  const std::size_t l4_bytes = s.length - sf.l4();
  std::uint32_t pseudo = (sf.udp ? 17 : 6) + static_cast<std::uint32_t>(l4_bytes);
  if (!sf.ipv6) {
    EXPECT_EQ(checksum_fold(checksum_add(ip, 20, 0)), 0xffff) << "IPv4 header checksum";
    pseudo = checksum_add(ip + 12, 8, pseudo);
  } else {
    pseudo = checksum_add(ip + 8, 32, pseudo);
  }
  EXPECT_EQ(checksum_fold(checksum_add(s.data + sf.l4(), l4_bytes, pseudo)), 0xffff) << "L4 checksum";
}

}  // namespace synnet::testing
