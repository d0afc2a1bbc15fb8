#include "engine/packet_pool.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

TEST(PacketPool, AllocatesAlignedPacketsAndTakesThemBack) {
  PacketPool pool(8);
  EXPECT_EQ(pool.capacity(), 8u);
  EXPECT_EQ(pool.available(), 8u);
  Packet* p = pool.allocate();
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p->data) % 64, 0u);
  EXPECT_EQ(p->length, 0u);
  EXPECT_EQ(pool.in_use(), 1u);
  p->length = 100;
  pool.free(p);
  EXPECT_EQ(pool.in_use(), 0u);
  EXPECT_EQ(pool.frees(), 1u);
  EXPECT_EQ(pool.freed_bytes(), 100u);
}

TEST(PacketPool, ReusesTheMostRecentlyFreedPacket) {
  PacketPool pool(8);
  Packet* a = pool.allocate();
  pool.free(a);
  EXPECT_EQ(pool.allocate(), a);
}

TEST(PacketPool, ExhaustionIsAClearErrorNotACrash) {
  PacketPool pool(3);
  std::vector<Packet*> taken;
  for (int i = 0; i < 3; ++i) taken.push_back(pool.allocate());
  EXPECT_EQ(pool.try_allocate(), nullptr);
  try {
    pool.allocate();
    FAIL() << "expected PoolExhausted";
  } catch (const PoolExhausted& e) {
    EXPECT_NE(std::string(e.what()).find("all 3 packets"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("EngineOptions::packets"), std::string::npos) << e.what();
  }
  for (Packet* p : taken) pool.free(p);
  EXPECT_NE(pool.try_allocate(), nullptr);
}

TEST(PacketPool, CloneCopiesLengthAndData) {
  PacketPool pool(4);
  Packet* a = pool.allocate();
  a->length = 70;
  for (int i = 0; i < 70; ++i) a->data[i] = static_cast<std::uint8_t>(i);
  Packet* b = pool.try_clone(*a);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->length, 70u);
  for (int i = 0; i < 70; ++i) EXPECT_EQ(b->data[i], i);
  pool.free(a);
  pool.free(b);
}

TEST(PacketPool, HoldsJumboFrames) {
  static_assert(kPacketCapacity >= 10240);
  PacketPool pool(2);
  Packet* a = pool.allocate();
  a->length = kPacketCapacity;
  a->data[kPacketCapacity - 1] = 0xab;
  Packet* b = pool.try_clone(*a);
  EXPECT_EQ(b->data[kPacketCapacity - 1], 0xab);
  pool.free(a);
  pool.free(b);
}

// A traced packet, freed, waits until tell_tracers(): then its tracer hears
// of it once, with its fate, and it goes back to the freelist untraced.
TEST(PacketPool, AFreedTracedPacketWaitsForTellTracers) {
  PacketPool pool(4);
  testing::RecordingTracer tracer;
  Packet* p = pool.allocate();
  p->length = 60;
  p->trace = PacketTrace{.tracer = &tracer, .id = 7, .fate = TraceFate::rate_codel};
  pool.free(p);
  EXPECT_TRUE(tracer.fates.empty());
  EXPECT_EQ(pool.in_use(), 0u);
  EXPECT_EQ(pool.available(), 3u);
  EXPECT_EQ(pool.frees(), 1u);
  EXPECT_EQ(pool.freed_bytes(), 60u);
  pool.tell_tracers();
  EXPECT_EQ(tracer.fates, std::vector<TraceFate>{TraceFate::rate_codel});
  EXPECT_EQ(pool.available(), 4u);
  pool.tell_tracers();
  EXPECT_EQ(tracer.fates.size(), 1u);
  Packet* again = pool.allocate();
  EXPECT_EQ(again, p);
  EXPECT_EQ(again->trace.tracer, nullptr);
  pool.free(again);
}

TEST(PacketPool, ZeroCapacityIsRejected) { EXPECT_THROW(PacketPool(0), std::invalid_argument); }

#ifndef NDEBUG
TEST(PacketPoolDeathTest, DoubleFreeIsReportedInDebugBuilds) {
  PacketPool pool(1);
  Packet* p = pool.allocate();
  pool.free(p);
  EXPECT_DEATH(pool.free(p), "double free");
}
#endif

}  // namespace
}  // namespace synnet
