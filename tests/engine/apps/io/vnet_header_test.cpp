// vnet_header (engine/apps/io/vnet_header.hpp): the virtio-net header to and
// from a packet's PacketOffload. No root needed.
#include "engine/apps/io/vnet_header.hpp"

#include <gtest/gtest.h>

namespace synnet {
namespace {

TEST(VnetHeader, APlainFrameHasAnEmptyHeaderBothWays) {
  const VnetHdr h = vnet_header_of(PacketOffload{});
  EXPECT_EQ(h, (VnetHdr{0, kGsoNone, 0, 0, 0, 0}));
  EXPECT_EQ(offload_of(h, 0), PacketOffload{});
}

TEST(VnetHeader, APartialChecksumSaysWhereTheDeviceWritesIt) {
  const PacketOffload o{.csum_partial = true, .csum_start = 34, .csum_offset = 16};
  const VnetHdr h = vnet_header_of(o);
  EXPECT_EQ(h, (VnetHdr{kVnetNeedsCsum, kGsoNone, 0, 0, 34, 16}));
  EXPECT_EQ(offload_of(h, 0), o);
}

TEST(VnetHeader, ASuperFrameRoundTripsButForWhatGsoParseWorksOut) {
  const PacketOffload o{.gso_size = 1448,
                        .gso_type = kGsoTcpV4,
                        .csum_partial = true,
                        .csum_start = 34,
                        .csum_offset = 16,
                        .header_bytes = 66,
                        .segments = 45};
  const VnetHdr h = vnet_header_of(o);
  EXPECT_EQ(h, (VnetHdr{kVnetNeedsCsum, kGsoTcpV4, 66, 1448, 34, 16}));
  PacketOffload back = offload_of(h, 0);
  EXPECT_EQ(back.header_bytes, 0) << "gso_parse() works it out from the frame";
  EXPECT_EQ(back.segments, 0);
  back.header_bytes = o.header_bytes;
  back.segments = o.segments;
  EXPECT_EQ(back, o);
}

TEST(VnetHeader, TheEcnBitStaysInTheGsoType) {
  const PacketOffload o{.gso_size = 1428, .gso_type = kGsoTcpV6 | kGsoEcn};
  EXPECT_EQ(vnet_header_of(o).gso_type, kGsoTcpV6 | kGsoEcn);
  EXPECT_EQ(offload_of(vnet_header_of(o), 0).gso_type, kGsoTcpV6 | kGsoEcn);
}

TEST(VnetHeader, AVlanTagPutBackMovesTheChecksumStart) {
  const VnetHdr h{kVnetNeedsCsum, kGsoNone, 0, 0, 34, 6};
  const PacketOffload o = offload_of(h, 4);
  EXPECT_TRUE(o.csum_partial);
  EXPECT_EQ(o.csum_start, 38);
  EXPECT_EQ(o.csum_offset, 6);
}

TEST(VnetHeader, WithoutAGsoTypeAGsoSizeIsIgnored) {
  const VnetHdr h{0, kGsoNone, 54, 1448, 0, 0};
  EXPECT_EQ(offload_of(h, 0), PacketOffload{});
}

TEST(VnetHeader, WithoutAGsoSizeNoGsoFieldIsSent) {
  const PacketOffload o{.gso_size = 0, .gso_type = kGsoTcpV4, .header_bytes = 54};
  const VnetHdr h = vnet_header_of(o);
  EXPECT_EQ(h.gso_type, kGsoNone);
  EXPECT_EQ(h.hdr_len, 0);
}

}  // namespace
}  // namespace synnet
