// flow_key.hpp — what flow a frame belongs to: addresses, protocol, ports.
//
//   FlowKey k = parse_flow_key(frame, len);   // never reads outside [frame, frame + len)
//   k.family     — 4, 6, or 0 (not IP, or malformed / truncated: every other field is zero)
//   k.src, k.dst — the addresses; an IPv4 address fills bytes 0..3, the rest stay zero
//   k.protocol   — IPv4's protocol field, or IPv6's last next-header value after the
//                  extension headers listed below (e.g. 6 TCP, 17 UDP, 58 ICMPv6)
//   k.has_ports  — the L4 header is there and carries ports (TCP 6, UDP 17, SCTP 132,
//                  UDP-Lite 136); then k.src_port and k.dst_port hold them (else 0)
//
//   IpPrefix p = IpPrefix::parse("198.18.0.0/15");   // or "2001:2::/48"; a bare
//                                                    // address is a /32 or /128
//   p.contains(k, /*source=*/true)                   // k.src is inside p
//   p.str()                                          // "198.18.0.0/15"
//   protocol_has_ports(17)                           // true: TCP, UDP, SCTP, UDP-Lite
//
// What parse_flow_key reads: Ethernet II; up to two VLAN tags (0x8100 or
// 0x88a8); then
//   IPv4 — version 4, IHL >= 5, IHL <= total length <= the bytes left in the
//          frame (bytes past the total length are Ethernet padding, ignored).
//          A non-first fragment (offset != 0) has no ports.
//   IPv6 — version 6, 40 + payload length <= the bytes left. Skips hop-by-hop
//          (0), routing (43) and destination options (60) extension headers,
//          and the fragment header (44): only the first fragment (offset 0)
//          has ports; a later one's protocol is the fragment header's next
//          header. An extension header that does not fit in the payload makes
//          the frame malformed.
//   Ports need the protocol's whole minimal header inside the IP payload
//   (TCP 20 bytes, UDP and UDP-Lite 8, SCTP 12); when it is cut short, the key
//   keeps its family, addresses and protocol, without ports.
// Checksums are not verified. Anything else (ARP, MPLS, a third VLAN tag, a
// truncated or inconsistent IP header) gives family 0.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace synnet {

struct FlowKey {
  std::uint8_t family = 0;  // 4, 6, or 0 = not IP (or malformed)
  std::array<std::uint8_t, 16> src{}, dst{};
  std::uint8_t protocol = 0;
  std::uint16_t src_port = 0, dst_port = 0;
  bool has_ports = false;
  bool operator==(const FlowKey&) const = default;
};

FlowKey parse_flow_key(const std::uint8_t* frame, std::size_t len) noexcept;

// Whether parse_flow_key reads ports for this IP protocol: TCP, UDP, SCTP, UDP-Lite.
bool protocol_has_ports(std::uint8_t protocol) noexcept;

// An IPv4 or IPv6 prefix: the first `length` bits of `addr` (an IPv4 address
// fills bytes 0..3). Bits past the prefix length are zero after parse().
struct IpPrefix {
  std::uint8_t family = 0;  // 4 or 6 (0: not set; contains() is then false)
  std::array<std::uint8_t, 16> addr{};
  std::uint8_t length = 0;  // 0..32 (IPv4) or 0..128 (IPv6)

  // "198.18.0.0/15", "2001:2::/48", "198.18.0.1" (= /32), "2001:2::1" (= /128).
  // Throws std::invalid_argument naming the text: not an address, a length
  // out of range, or bits set past the length ("198.18.0.1/15": did you mean
  // "198.18.0.0/15"?).
  static IpPrefix parse(std::string_view text);
  std::string str() const;
  // Whether the key's source (source = true) or destination address is in
  // this prefix. False for a key of the other family or not IP, and for an
  // invalid prefix (family not 4 or 6, length past 32 or 128).
  bool contains(const FlowKey& key, bool source) const noexcept;
  bool operator==(const IpPrefix&) const = default;
};

}  // namespace synnet
