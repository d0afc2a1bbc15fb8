// tpacket_ring (engine/apps/io/tpacket_ring.hpp): ring layouts, frame
// addressing and status, and putting back a VLAN tag. No root needed: a
// ring here is a plain buffer, and the one mapping test maps nothing.
#include "engine/apps/io/tpacket_ring.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace synnet {
namespace {

TEST(TpacketLayout, WireFramesTakeAPowerOfTwoFrom2048InBlocksOf64KiB) {
  const TpacketLayout l = tpacket_layout(1500 + 14 + 4, 0, false);
  EXPECT_EQ(l.frame_size, 2048u);
  EXPECT_EQ(l.block_size, 65536u);
  const tpacket_req r = l.request(4096);
  EXPECT_EQ(r.tp_block_size, 65536u);
  EXPECT_EQ(r.tp_frame_size, 2048u);
  EXPECT_EQ(r.tp_frame_nr, 4096u);
  EXPECT_EQ(r.tp_block_nr, 4096u / 32);
  EXPECT_EQ(tpacket_layout(100, 0, false).frame_size, 2048u) << "never below 2048";
  EXPECT_EQ(tpacket_layout(9000 + 18, 0, false).frame_size, 16384u);
}

TEST(TpacketLayout, BulkFramesTakeWholePagesOneABlock) {
  const std::uint32_t largest = kPacketCapacity - 4;
  const TpacketLayout l = tpacket_layout(largest, sizeof(std::uint16_t) * 5, true);
  EXPECT_EQ(l.frame_size % 4096, 0u);
  EXPECT_LT(l.frame_size, 2 * 65536u) << "whole pages, not the next power of two";
  EXPECT_GE(l.frame_size, TPACKET_ALIGN(TPACKET2_HDRLEN) + 64 + 10 + largest);
  EXPECT_EQ(l.block_size, l.frame_size);
  const tpacket_req r = l.request(256);
  EXPECT_EQ(r.tp_block_nr, 256u);
  EXPECT_EQ(r.tp_frame_nr, 256u);
}

TEST(TpacketLayout, ARequestHoldsAtLeastOneBlock) {
  const tpacket_req r = tpacket_layout(1518, 0, false).request(8);
  EXPECT_EQ(r.tp_frame_nr, 32u) << "a 64 KiB block holds 32 frames of 2048";
  EXPECT_EQ(r.tp_block_nr, 1u);
}

TEST(TpacketRing, FramesFollowEachOtherAndTheIndexWraps) {
  std::vector<std::uint8_t> buffer(8 * 2048);
  TpacketRing ring{buffer.data(), 8, 2048, 0};
  EXPECT_EQ(ring.frame(0), buffer.data());
  EXPECT_EQ(ring.frame(3), buffer.data() + 3 * 2048);
  EXPECT_EQ(ring.after(7), 0u);
  for (int i = 0; i < 7; ++i) ring.advance();
  EXPECT_EQ(ring.next, 7u);
  ring.advance();
  EXPECT_EQ(ring.next, 0u);
}

TEST(TpacketRing, AFrameStatusIsItsHeadersTpStatus) {
  std::vector<std::uint8_t> buffer(2 * 2048);
  TpacketRing ring{buffer.data(), 2, 2048, 0};
  EXPECT_EQ(status_of(ring.frame(1)), static_cast<std::uint32_t>(TP_STATUS_KERNEL));
  set_status(ring.frame(1), TP_STATUS_SEND_REQUEST);
  EXPECT_EQ(status_of(ring.frame(1)), static_cast<std::uint32_t>(TP_STATUS_SEND_REQUEST));
  EXPECT_EQ(reinterpret_cast<const tpacket2_hdr*>(ring.frame(1))->tp_status,
            static_cast<std::uint32_t>(TP_STATUS_SEND_REQUEST));
  EXPECT_EQ(status_of(ring.frame(0)), static_cast<std::uint32_t>(TP_STATUS_KERNEL)) << "the other frame is untouched";
}

TEST(TpacketRings, WithoutRingsNothingIsMapped) {
  TpacketRings rings(-1, tpacket_req{}, tpacket_req{}, "test");
  EXPECT_EQ(rings.rx().base, nullptr);
  EXPECT_EQ(rings.tx().base, nullptr);
  TpacketRings moved = std::move(rings);
  EXPECT_EQ(moved.rx().base, nullptr);
}

TEST(PutBackVlanTag, ATagTheKernelReportedGoesBackAfterTheMacAddresses) {
  auto p = std::make_unique<Packet>();
  for (std::uint32_t i = 0; i < 20; ++i) p->data[i] = static_cast<std::uint8_t>(i);
  p->length = 20;
  ASSERT_TRUE(put_back_vlan_tag(*p, TP_STATUS_VLAN_VALID, 0x0123, 0));
  EXPECT_EQ(p->length, 24u);
  const std::uint8_t tag[4] = {0x81, 0x00, 0x01, 0x23};  // 802.1Q when the kernel gives no TPID
  EXPECT_EQ(std::memcmp(p->data + 12, tag, 4), 0);
  EXPECT_EQ(p->data[11], 11);
  EXPECT_EQ(p->data[16], 12) << "the Ethernet type moved behind the tag";
  EXPECT_EQ(p->data[23], 19);
}

TEST(PutBackVlanTag, TheKernelsTpidIsUsedWhenValid) {
  auto p = std::make_unique<Packet>();
  p->length = 60;
  ASSERT_TRUE(put_back_vlan_tag(*p, TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID, 7, 0x88a8));
  EXPECT_EQ(p->data[12], 0x88);
  EXPECT_EQ(p->data[13], 0xa8);
}

TEST(PutBackVlanTag, NoTagNoChange) {
  auto p = std::make_unique<Packet>();
  p->length = 60;
  EXPECT_FALSE(put_back_vlan_tag(*p, TP_STATUS_USER, 7, 0));
  EXPECT_EQ(p->length, 60u);
  p->length = 11;
  EXPECT_FALSE(put_back_vlan_tag(*p, TP_STATUS_VLAN_VALID, 7, 0)) << "no room for MAC addresses";
}

}  // namespace
}  // namespace synnet
