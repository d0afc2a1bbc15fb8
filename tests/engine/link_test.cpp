#include "engine/link.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace synnet {
namespace {

Packet* packet_of(PacketPool& pool, std::uint32_t length) {
  Packet* p = pool.allocate();
  p->length = length;
  return p;
}

TEST(Link, FifoAndCounters) {
  PacketPool pool(16);
  auto link = std::make_unique<Link>(pool);
  EXPECT_TRUE(link->empty());
  link->transmit(packet_of(pool, 10));
  link->transmit(packet_of(pool, 20));
  EXPECT_EQ(link->size(), 2u);
  EXPECT_EQ(link->front()->length, 10u);
  Packet* a = link->receive();
  EXPECT_EQ(a->length, 10u);
  EXPECT_EQ(link->counters().txpackets, 2u);
  EXPECT_EQ(link->counters().txbytes, 30u);
  EXPECT_EQ(link->counters().rxpackets, 1u);
  EXPECT_EQ(link->counters().rxbytes, 10u);
  pool.free(a);
}

TEST(Link, WrapsAroundManyTimesKeepingOrder) {
  PacketPool pool(Link::kCapacity + 8);
  auto link = std::make_unique<Link>(pool);
  std::uint32_t sent = 0, got = 0;
  for (int round = 0; round < 10; ++round) {  // 10 × 700 crosses the ring end several times
    for (int i = 0; i < 700; ++i) link->transmit(packet_of(pool, ++sent));
    while (!link->empty()) {
      Packet* p = link->receive();
      EXPECT_EQ(p->length, ++got);
      pool.free(p);
    }
  }
  EXPECT_EQ(got, 7000u);
  EXPECT_EQ(link->counters().txdrop, 0u);
  EXPECT_EQ(pool.in_use(), 0u);
}

TEST(Link, FullLinkDropsFreesAndCounts) {
  PacketPool pool(Link::kCapacity + 10);
  auto link = std::make_unique<Link>(pool);
  for (std::uint32_t i = 0; i < Link::kCapacity; ++i) link->transmit(packet_of(pool, 1));
  EXPECT_TRUE(link->full());
  EXPECT_EQ(link->room(), 0u);
  const std::size_t before = pool.in_use();
  link->transmit(packet_of(pool, 1));
  link->transmit(packet_of(pool, 1));
  EXPECT_EQ(link->counters().txdrop, 2u);
  EXPECT_EQ(link->counters().txpackets, Link::kCapacity);
  EXPECT_EQ(pool.in_use(), before);  // the dropped packets went back to the pool
}

TEST(Link, DestroyingALinkFreesWhatItHolds) {
  PacketPool pool(8);
  {
    auto link = std::make_unique<Link>(pool);
    for (int i = 0; i < 5; ++i) link->transmit(packet_of(pool, 1));
  }
  EXPECT_EQ(pool.in_use(), 0u);
}

}  // namespace
}  // namespace synnet
