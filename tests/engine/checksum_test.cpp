#include "engine/checksum.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace synnet {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

TEST(Checksum, Rfc1071Example) {
  const std::uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_fold(checksum_add(data, sizeof data, 0)), 0xddf2);
  EXPECT_EQ(checksum_fold(checksum_add(data, 3, 0)), checksum_fold(0x0001 + 0xf200));  // odd length
}

// Builds Ethernet [+ VLAN] + IP + TCP/UDP + payload, and returns the L4 offset.
struct Frame {
  Bytes b;
  std::size_t l4 = 0, field = 0;
  std::uint32_t pseudo = 0;  // the pseudo-header sum, computed independently
};

Frame build(bool ipv6, std::uint8_t proto, std::size_t payload, bool vlan = false, bool hop_by_hop = false) {
  Frame f;
  Bytes& b = f.b;
  b.assign(12, 0x02);
  if (vlan) b.insert(b.end(), {0x81, 0x00, 0x00, 0x07});
  const std::size_t l4len = (proto == 6 ? 20 : 8) + payload;
  if (!ipv6) {
    b.insert(b.end(), {0x08, 0x00});
    const std::size_t ip = b.size();
    b.resize(ip + 20, 0);
    b[ip] = 0x45;
    put16(b, ip + 2, static_cast<std::uint16_t>(20 + l4len));
    b[ip + 8] = 64;
    b[ip + 9] = proto;
    const std::uint8_t src[] = {198, 18, 0, 1}, dst[] = {198, 18, 0, 2};
    std::copy(src, src + 4, b.begin() + static_cast<long>(ip + 12));
    std::copy(dst, dst + 4, b.begin() + static_cast<long>(ip + 16));
    f.pseudo = checksum_add(src, 4, checksum_add(dst, 4, proto + static_cast<std::uint32_t>(l4len)));
  } else {
    b.insert(b.end(), {0x86, 0xdd});
    const std::size_t ip = b.size();
    const std::size_t ext = hop_by_hop ? 8 : 0;
    b.resize(ip + 40 + ext, 0);
    b[ip] = 0x60;
    put16(b, ip + 4, static_cast<std::uint16_t>(ext + l4len));
    b[ip + 6] = hop_by_hop ? 0 : proto;
    b[ip + 7] = 64;
    for (int i = 0; i < 16; ++i) {
      b[ip + 8 + i] = static_cast<std::uint8_t>(0x20 + i);
      b[ip + 24 + i] = static_cast<std::uint8_t>(0x40 + i);
    }
    if (hop_by_hop) b[ip + 40] = proto;  // next header; length 0 = 8 bytes
    f.pseudo = checksum_add(&b[ip + 8], 32, proto + static_cast<std::uint32_t>(l4len));
  }
  f.l4 = b.size();
  b.resize(f.l4 + l4len, 0);
  for (std::size_t i = f.l4; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 3);
  f.field = f.l4 + (proto == 6 ? 16 : 6);
  if (proto == 17) put16(b, f.l4 + 4, static_cast<std::uint16_t>(l4len));
  return f;
}

// The checksum a correct sender writes: over pseudo-header and segment, field zero.
std::uint16_t reference(Frame f) {
  put16(f.b, f.field, 0);
  std::uint16_t c = static_cast<std::uint16_t>(~checksum_fold(checksum_add(&f.b[f.l4], f.b.size() - f.l4, f.pseudo)));
  return c;
}

// What checksum offload leaves: the folded pseudo-header sum in the field.
void make_partial(Frame& f) { put16(f.b, f.field, checksum_fold(f.pseudo)); }

void expect_completes(Frame f) {
  const std::uint16_t want = reference(f);
  make_partial(f);
  ASSERT_EQ(complete_partial_checksum(f.b.data(), f.b.size()), ChecksumResult::kCompleted);
  EXPECT_EQ(static_cast<std::uint16_t>(f.b[f.field] << 8 | f.b[f.field + 1]), want);
  // And a receiver's check: the full sum including the field folds to 0xffff.
  EXPECT_EQ(checksum_fold(checksum_add(&f.b[f.l4], f.b.size() - f.l4, f.pseudo)), 0xffff);
}

// VXLAN: an outer IPv4/UDP datagram (checksum 0, as Linux sends VXLAN over
// IPv4) around an inner frame whose TCP checksum the device was to finish.
// complete_partial_checksum would fill the outer UDP field; told where the
// field is, complete_checksum_at finishes the inner one and leaves the outer.
TEST(Checksum, CompletesTheInnerChecksumOfATunnelWhereTheKernelSays) {
  Frame inner = build(false, 6, 300);
  const std::uint16_t want = reference(inner);
  make_partial(inner);
  const std::size_t vxlan = 8;
  Frame outer = build(false, 17, vxlan + inner.b.size());
  put16(outer.b, outer.field, 0);
  std::fill_n(outer.b.begin() + static_cast<long>(outer.l4 + 8), vxlan, std::uint8_t{0});
  outer.b[outer.l4 + 8] = 0x08;  // VXLAN flags: the VNI is valid
  std::copy(inner.b.begin(), inner.b.end(), outer.b.begin() + static_cast<long>(outer.l4 + 8 + vxlan));
  const std::size_t at = outer.l4 + 8 + vxlan;  // where the inner frame starts
  Bytes padded = outer.b;
  padded.resize(padded.size() + 6, 0xee);  // Ethernet padding is not part of the datagram
  ASSERT_EQ(complete_checksum_at(padded.data(), padded.size(), at + inner.l4, 16), ChecksumResult::kCompleted);
  EXPECT_EQ(static_cast<std::uint16_t>(padded[at + inner.field] << 8 | padded[at + inner.field + 1]), want);
  EXPECT_EQ(padded[outer.field], 0);
  EXPECT_EQ(padded[outer.field + 1], 0);
  // A field outside the datagram is refused, not written.
  EXPECT_EQ(complete_checksum_at(padded.data(), padded.size(), outer.b.size() - 1, 0), ChecksumResult::kMalformed);
  EXPECT_EQ(complete_checksum_at(padded.data(), padded.size(), padded.size(), 0), ChecksumResult::kMalformed);
}

// Told where, over plain TCP and UDP it agrees with complete_partial_checksum.
TEST(Checksum, CompletingAtTheGivenFieldMatchesTheParsedOne) {
  for (const std::uint8_t proto : {std::uint8_t{6}, std::uint8_t{17}}) {
    for (const bool ipv6 : {false, true}) {
      Frame f = build(ipv6, proto, 77);
      make_partial(f);
      Bytes parsed = f.b;
      ASSERT_EQ(complete_partial_checksum(parsed.data(), parsed.size()), ChecksumResult::kCompleted);
      ASSERT_EQ(complete_checksum_at(f.b.data(), f.b.size(), f.l4, f.field - f.l4), ChecksumResult::kCompleted);
      EXPECT_EQ(f.b, parsed) << "proto " << int{proto} << (ipv6 ? " over IPv6" : " over IPv4");
    }
  }
}

TEST(Checksum, CompletesTcpOverIpv4) { expect_completes(build(false, 6, 11)); }
TEST(Checksum, CompletesUdpOverIpv4) { expect_completes(build(false, 17, 100)); }
TEST(Checksum, CompletesTcpOverIpv6) { expect_completes(build(true, 6, 1000)); }
TEST(Checksum, CompletesUdpOverIpv6AfterAHopByHopHeader) { expect_completes(build(true, 17, 33, false, true)); }
TEST(Checksum, CompletesBehindAVlanTag) { expect_completes(build(false, 6, 64, true)); }

TEST(Checksum, ZeroLengthPayloadTcp) { expect_completes(build(false, 6, 0)); }

TEST(Checksum, LeavesOtherProtocolsAndFragmentsAlone) {
  Frame icmp = build(false, 1, 20);
  const Bytes before = icmp.b;
  EXPECT_EQ(complete_partial_checksum(icmp.b.data(), icmp.b.size()), ChecksumResult::kNotTcpOrUdp);
  EXPECT_EQ(icmp.b, before);
  Frame frag = build(false, 6, 20);
  frag.b[14 + 6] = 0x20;  // more fragments
  EXPECT_EQ(complete_partial_checksum(frag.b.data(), frag.b.size()), ChecksumResult::kNotTcpOrUdp);
  Bytes arp(60, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  EXPECT_EQ(complete_partial_checksum(arp.data(), arp.size()), ChecksumResult::kNotTcpOrUdp);
}

TEST(Checksum, EveryTruncationIsRejectedWithoutReadingPastTheEnd) {
  for (const Frame& f : {build(false, 6, 40), build(true, 17, 40, true, true)}) {
    for (std::size_t len = 0; len < f.b.size(); ++len) {
      Bytes cut(f.b.begin(), f.b.begin() + static_cast<long>(len));  // exact size: ASan sees over-reads
      EXPECT_NE(complete_partial_checksum(cut.data(), cut.size()), ChecksumResult::kCompleted) << "length " << len;
    }
  }
}

TEST(Checksum, InconsistentIpLengthsAreMalformed) {
  Frame f = build(false, 6, 40);
  f.b[14] = 0x44;  // IHL 16 bytes: below the minimum
  EXPECT_EQ(complete_partial_checksum(f.b.data(), f.b.size()), ChecksumResult::kMalformed);
  Frame g = build(false, 6, 40);
  put16(g.b, 16, 2000);  // total length beyond the frame
  EXPECT_EQ(complete_partial_checksum(g.b.data(), g.b.size()), ChecksumResult::kMalformed);
}

}  // namespace
}  // namespace synnet
