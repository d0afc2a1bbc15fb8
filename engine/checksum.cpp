#include "engine/checksum.hpp"

#include "engine/ethernet.hpp"

namespace synnet {

std::uint32_t checksum_add(const std::uint8_t* data, std::size_t len, std::uint32_t sum) noexcept {
  std::uint64_t acc = sum;
  std::size_t i = 0;
  for (; i + 1 < len; i += 2) acc += be16(data + i);
  if (i < len) acc += static_cast<std::uint32_t>(data[i]) << 8;  // odd byte, padded with zero
  while (acc >> 32) acc = (acc & 0xffffffff) + (acc >> 32);
  return static_cast<std::uint32_t>(acc);
}

std::uint16_t checksum_fold(std::uint32_t sum) noexcept {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

namespace {

// What the device does: the field at start + offset holds the pseudo-header
// sum, so summing [start, end) with it in place gives the full sum; its
// complement goes into the field. A UDP checksum field (offset 6) gets 0xffff
// for 0, which would mean "no checksum".
void store_checksum(std::uint8_t* frame, std::size_t start, std::size_t end, std::size_t offset) noexcept {
  std::uint16_t c = static_cast<std::uint16_t>(~checksum_fold(checksum_add(frame + start, end - start, 0)));
  if (offset == 6 && c == 0) c = 0xffff;
  frame[start + offset] = static_cast<std::uint8_t>(c >> 8);
  frame[start + offset + 1] = static_cast<std::uint8_t>(c);
}

}  // namespace

ChecksumResult complete_partial_checksum(std::uint8_t* frame, std::size_t len) noexcept {
  const std::optional<L3Start> l3 = find_l3(frame, len);
  if (!l3) return ChecksumResult::kMalformed;
  const std::uint16_t type = l3->ethertype;
  std::size_t off = l3->offset;  // start of the IP header

  std::uint8_t proto;
  std::size_t l4, end;  // the L4 header's offset and the end of the IP payload
  if (type == kEtherIpv4) {
    if (len < off + 20) return ChecksumResult::kMalformed;
    const std::size_t ihl = std::size_t{frame[off] & 0x0fu} * 4;
    const std::size_t total = be16(frame + off + 2);
    if ((frame[off] >> 4) != 4 || ihl < 20 || total < ihl || len < off + total) return ChecksumResult::kMalformed;
    if ((be16(frame + off + 6) & 0x3fff) != 0) return ChecksumResult::kNotTcpOrUdp;  // a fragment
    proto = frame[off + 9];
    l4 = off + ihl;
    end = off + total;
  } else if (type == kEtherIpv6) {
    if (len < off + 40 || (frame[off] >> 4) != 6) return ChecksumResult::kMalformed;
    end = off + 40 + be16(frame + off + 4);
    if (len < end) return ChecksumResult::kMalformed;
    proto = frame[off + 6];
    l4 = off + 40;
    // Skip hop-by-hop (0), routing (43) and destination options (60) headers.
    while (proto == 0 || proto == 43 || proto == 60) {
      if (end < l4 + 8) return ChecksumResult::kMalformed;
      proto = frame[l4];
      l4 += (std::size_t{frame[l4 + 1]} + 1) * 8;
    }
    if (proto == 44) return ChecksumResult::kNotTcpOrUdp;  // a fragment
  } else {
    return ChecksumResult::kNotTcpOrUdp;
  }

  std::size_t field;
  if (proto == kProtoTcp) {
    field = l4 + 16;
    if (end < l4 + 20) return ChecksumResult::kMalformed;
  } else if (proto == kProtoUdp) {
    field = l4 + 6;
    if (end < l4 + 8) return ChecksumResult::kMalformed;
  } else {
    return ChecksumResult::kNotTcpOrUdp;
  }
  store_checksum(frame, l4, end, field - l4);
  return ChecksumResult::kCompleted;
}

ChecksumResult complete_checksum_at(std::uint8_t* frame, std::size_t len, std::size_t csum_start,
                                    std::size_t csum_offset) noexcept {
  std::size_t end = len;  // the outermost IP datagram's end: not the Ethernet padding
  if (const std::optional<L3Start> l3 = find_l3(frame, len)) {
    const std::size_t off = l3->offset;
    if (l3->ethertype == kEtherIpv4 && len >= off + 20) {
      end = off + be16(frame + off + 2);
    } else if (l3->ethertype == kEtherIpv6 && len >= off + 40) {
      end = off + 40 + be16(frame + off + 4);
    }
    if (end > len) return ChecksumResult::kMalformed;
  }
  const std::size_t field = csum_start + csum_offset;
  if (csum_start >= end || field + 2 > end) return ChecksumResult::kMalformed;
  store_checksum(frame, csum_start, end, csum_offset);
  return ChecksumResult::kCompleted;
}

}  // namespace synnet
