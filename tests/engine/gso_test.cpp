#include "engine/gso.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/engine/gso_testing.hpp"

namespace synnet {
namespace {

using Bytes = std::vector<std::uint8_t>;
using testing::get16;
using testing::get32;
using testing::put16;
using testing::SuperFrame;

void expect_segments_like_the_kernel(const SuperFrame& sf) {
  PacketPool pool(64);
  Packet* p = pool.allocate();
  sf.build(*p);
  ASSERT_TRUE(gso_parse(*p));
  const std::uint32_t n = static_cast<std::uint32_t>((sf.payload + sf.gso_size - 1) / sf.gso_size);
  EXPECT_EQ(p->offload.segments, n);
  EXPECT_EQ(p->offload.header_bytes, sf.header());
  EXPECT_EQ(wire_packets(*p), n);

  Bytes payload;
  std::uint64_t bytes = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    SCOPED_TRACE("segment " + std::to_string(i));
    Packet* s = gso_segment(*p, i, pool);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->offload, PacketOffload{}) << "a wire packet: nothing left to the device";
    const std::size_t seg_payload = s->length - sf.header();
    EXPECT_EQ(seg_payload, i + 1 < n ? sf.gso_size : sf.payload - (n - 1) * std::size_t{sf.gso_size});
    EXPECT_EQ(std::memcmp(s->data, p->data, sf.l3()), 0) << "Ethernet header copied";
    const std::uint8_t* ip = s->data + sf.l3();
    const std::uint8_t* l4 = s->data + sf.l4();
    if (!sf.ipv6) {
      EXPECT_EQ(get16(ip + 2), s->length - sf.l3());
      EXPECT_EQ(get16(ip + 4), 0x1234 + i);
    } else {
      EXPECT_EQ(get16(ip + 4), s->length - sf.l4());
    }
    if (sf.udp) {
      EXPECT_EQ(get16(l4 + 4), s->length - sf.l4());
    } else {
      EXPECT_EQ(get32(l4 + 4), 0xfffffff0u + i * sf.gso_size);
      EXPECT_EQ(l4[13], (i == 0 ? 0x80 : 0) | 0x10 | (i + 1 == n ? 0x09 : 0));
      EXPECT_EQ(std::memcmp(l4 + 20, p->data + sf.l4() + 20, 12), 0) << "TCP options copied";
    }
    testing::expect_valid_checksums(*s, sf);
    payload.insert(payload.end(), s->data + sf.header(), s->data + s->length);
    bytes += s->length;
    pool.free(s);
  }
  EXPECT_EQ(payload, Bytes(p->data + sf.header(), p->data + p->length)) << "the payload, in order, once";
  EXPECT_EQ(bytes, wire_bytes(*p));
  EXPECT_EQ(gso_segment(*p, n, pool), nullptr) << "no segment past the last";
  pool.free(p);
  EXPECT_EQ(pool.in_use(), 0u);
}

TEST(Gso, SegmentsTcpOverIpv4) { expect_segments_like_the_kernel({}); }
TEST(Gso, SegmentsTcpOverIpv6) { expect_segments_like_the_kernel({.ipv6 = true}); }
TEST(Gso, SegmentsUdpOverIpv4AndIpv6) {
  expect_segments_like_the_kernel({.udp = true, .payload = 2999, .gso_size = 1472});
  expect_segments_like_the_kernel({.ipv6 = true, .udp = true, .payload = 4000});
}
TEST(Gso, SegmentsBehindAVlanTag) {
  expect_segments_like_the_kernel({.vlan = true, .payload = 10000, .gso_size = 1448});
}
TEST(Gso, OneShortSegment) { expect_segments_like_the_kernel({.payload = 10}); }

TEST(Gso, APlainFrameIsOneWirePacket) {
  Packet p;
  p.length = 1514;
  EXPECT_TRUE(gso_parse(p));
  EXPECT_EQ(wire_packets(p), 1u);
  EXPECT_EQ(wire_bytes(p), 1514u);
}

TEST(Gso, MalformedSuperFramesAreRefused) {
  const SuperFrame sf;
  Packet p;
  const auto refused = [&](auto&& change) {
    sf.build(p);
    change(p);
    return !gso_parse(p);
  };
  EXPECT_TRUE(refused([](Packet& q) { q.offload.gso_type = 3; })) << "UFO (fragmenting) is not supported";
  EXPECT_TRUE(refused([](Packet& q) { q.offload.gso_type = kGsoTcpV6; })) << "IPv6 type on an IPv4 frame";
  EXPECT_TRUE(refused([](Packet& q) { q.offload.gso_type = kGsoUdpL4; })) << "UDP type on a TCP frame";
  EXPECT_TRUE(refused([&](Packet& q) { q.offload.csum_start = static_cast<std::uint16_t>(sf.l4() + 4); }));
  EXPECT_TRUE(refused([&](Packet& q) { put16(q.data + sf.l3() + 2, 20 + 32); })) << "no payload";
  EXPECT_TRUE(refused([&](Packet& q) { q.data[sf.l4() + 12] = 4 << 4; })) << "TCP header below 20 bytes";
  EXPECT_TRUE(refused([&](Packet& q) { put16(q.data + sf.l3() + 6, 0x2000); })) << "a fragment";
  // Found by tests/fuzz/frame_fuzz.cpp: bytes past the IP datagram were taken,
  // cut off by gso_segment but counted by gso_segment_bytes and wire_bytes.
  EXPECT_TRUE(refused([](Packet& q) { q.length += 44; })) << "bytes past the IP datagram";
  // Every truncation: the IP length no longer fits, or a header is cut.
  sf.build(p);
  const std::uint32_t full = p.length;
  for (std::uint32_t len = 0; len < full; ++len) {
    p.length = len;
    EXPECT_FALSE(gso_parse(p)) << "length " << len;
  }
  p.length = full;
  EXPECT_TRUE(gso_parse(p));
  EXPECT_EQ(p.offload.segments, 4u);
}

// CutQueue: a port that sends wire packets only queues a super-frame's wire
// packets in order, reuses its storage, loses (and says how many) what the
// pool cannot hold, and gives everything back on clear().
TEST(CutQueue, HoldsTheWirePacketsInOrderUntilTaken) {
  PacketPool pool(16);
  const SuperFrame sf{};  // 3500 bytes of payload in 1000-byte segments: 4 wire packets
  CutQueue q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.next(), nullptr);
  for (int round = 0; round < 2; ++round) {
    Packet* p = pool.allocate();
    sf.build(*p);
    ASSERT_TRUE(gso_parse(*p));
    EXPECT_EQ(q.cut(p, pool), 0u);
    for (std::uint32_t i = 0; i < 4; ++i) {
      Packet* w = q.next();
      ASSERT_NE(w, nullptr) << "wire packet " << i;
      EXPECT_EQ(w->length, sf.header() + (i < 3 ? 1000 : 500));
      EXPECT_EQ(get32(w->data + sf.l4() + 4), 0xfffffff0u + i * 1000) << "in sequence order";
      EXPECT_EQ(w->offload, PacketOffload{}) << "a complete wire packet";
      pool.free(w);
    }
    EXPECT_TRUE(q.empty());
  }
  EXPECT_EQ(pool.in_use(), 0u);
}

TEST(CutQueue, SaysHowManyWirePacketsThePoolCouldNotHoldAndClearFreesTheRest) {
  PacketPool pool(3);  // the super-frame and two of its four wire packets
  Packet* p = pool.allocate();
  SuperFrame{}.build(*p);
  ASSERT_TRUE(gso_parse(*p));
  CutQueue q;
  EXPECT_EQ(q.cut(p, pool), 2u);
  EXPECT_EQ(pool.in_use(), 2u) << "the super-frame is freed";
  Packet* first = q.next();
  ASSERT_NE(first, nullptr);
  pool.free(first);
  q.clear(pool);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(pool.in_use(), 0u);
}

TEST(Gso, CopyingAPacketCopiesItsOffload) {
  PacketPool pool(4);
  Packet* p = pool.allocate();
  SuperFrame{}.build(*p);
  ASSERT_TRUE(gso_parse(*p));
  Packet* c = pool.try_clone(*p);
  EXPECT_EQ(c->offload, p->offload);
  pool.free(c);
  pool.free(p);
  Packet* q = pool.allocate();
  EXPECT_EQ(q->offload, PacketOffload{}) << "a packet from the pool starts as a plain frame";
  pool.free(q);
}

}  // namespace
}  // namespace synnet
