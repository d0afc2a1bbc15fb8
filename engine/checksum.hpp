// checksum.hpp — Internet checksums, and completing the partial ones that
// checksum offload leaves in frames.
//
//   std::uint32_t s = checksum_add(data, len, 0);   // one's-complement sum, not folded
//   std::uint16_t c = checksum_fold(s);             // folded to 16 bits (not complemented)
//   ChecksumResult r = complete_partial_checksum(frame, len);
//   r = complete_checksum_at(frame, len, csum_start, csum_offset);  // where a vnet header says
//
// A frame whose L4 checksum the kernel left to the device (CHECKSUM_PARTIAL,
// seen as TP_STATUS_CSUMNOTREADY on an AF_PACKET ring) carries the
// pseudo-header sum in its TCP/UDP checksum field. complete_partial_checksum
// finds that field (Ethernet, up to two VLAN tags, IPv4 or IPv6 with its
// extension headers, then TCP or UDP), sums from the L4 header to the end of
// the IP payload and stores the complement, as the device would. It never
// reads outside [frame, frame + len).
// It finds the outermost TCP/UDP header: in a tunnel (VXLAN, Geneve, GRE)
// whose inner checksum was left to the device, that is the wrong field. Where
// the kernel says where the field is (a vnet header's csum_start and
// csum_offset: bulk and segment mode, and Packet::offload from them),
// complete_checksum_at sums from csum_start to the end of the outermost IP
// datagram (of the frame, if it is not IP) and stores the complement at
// csum_start + csum_offset, whatever the headers, as the device would.
#pragma once

#include <cstddef>
#include <cstdint>

namespace synnet {

std::uint32_t checksum_add(const std::uint8_t* data, std::size_t len, std::uint32_t sum) noexcept;
std::uint16_t checksum_fold(std::uint32_t sum) noexcept;

enum class ChecksumResult {
  kCompleted,    // the TCP/UDP checksum is now complete
  kNotTcpOrUdp,  // parsed, but nothing this function completes (e.g. ICMP, fragments)
  kMalformed,    // truncated or inconsistent headers (or csum_start/offset outside the datagram): left untouched
};

ChecksumResult complete_partial_checksum(std::uint8_t* frame, std::size_t len) noexcept;
ChecksumResult complete_checksum_at(std::uint8_t* frame, std::size_t len, std::size_t csum_start,
                                    std::size_t csum_offset) noexcept;

}  // namespace synnet
