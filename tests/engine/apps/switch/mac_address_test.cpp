#include "engine/apps/switch/mac_address.hpp"

#include <gtest/gtest.h>

#include "engine/apps/switch/mac_table.hpp"

namespace synnet {
namespace {

TEST(MacAddress, ParsesSixHexPairsInEitherCase) {
  const auto m = parse_mac("02:00:5E:10:00:aB");
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, (MacAddress{0x02, 0x00, 0x5e, 0x10, 0x00, 0xab}));
  EXPECT_EQ(format_mac(*m), "02:00:5e:10:00:ab");
}

TEST(MacAddress, RejectsAnythingElse) {
  for (const char* bad : {"", "02:00:5e:10:00", "02:00:5e:10:00:01:", "02:00:5e:10:00:1", "02-00-5e-10-00-01",
                          "02:00:5e:10:00:0g", " 02:00:5e:10:00:01", "02:00:5e:10:00:011", "0200:5e:10:00:01:"}) {
    EXPECT_FALSE(parse_mac(bad)) << bad;
  }
}

TEST(MacAddress, MulticastIsTheIgBit) {
  EXPECT_FALSE(is_multicast(*parse_mac("02:00:00:00:00:01")));
  EXPECT_TRUE(is_multicast(*parse_mac("01:00:5e:00:00:01")));
  EXPECT_TRUE(is_multicast(*parse_mac("33:33:00:00:00:01")));
  EXPECT_TRUE(is_multicast(*parse_mac("ff:ff:ff:ff:ff:ff")));
}

TEST(MacAddress, KeyIsTheSixBytesBigEndian) {
  const MacAddress m{0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
  EXPECT_EQ(mac_key(m), 0x02005e100001u);
  EXPECT_EQ(mac_key(m.data()), mac_key(m));
  EXPECT_LT(mac_key(MacAddress{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), MacTable::kEmpty);
}

TEST(MacTable, FindsInsertsAndStopsAtItsSize) {
  MacTable t(3);
  EXPECT_EQ(t.find(1), nullptr);
  ASSERT_NE(t.insert(1, 7, true), nullptr);
  ASSERT_NE(t.insert(2, 8, false), nullptr);
  EXPECT_EQ(t.insert(1, 9, false)->port, 7u);  // already there: unchanged
  ASSERT_NE(t.insert(3, 9, false), nullptr);
  EXPECT_EQ(t.insert(4, 9, false), nullptr);  // full
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.find(2)->port, 8u);
  EXPECT_FALSE(t.find(2)->fixed);
  EXPECT_EQ(t.find(4), nullptr);
  std::size_t n = 0;
  t.for_each([&](const MacTable::Entry&) { ++n; });
  EXPECT_EQ(n, 3u);
}

TEST(MacTable, ManyKeysCollideAndAreAllFound) {
  MacTable t(1000);
  for (std::uint64_t k = 0; k < 1000; ++k) ASSERT_NE(t.insert(k << 24, static_cast<std::uint32_t>(k), false), nullptr);
  for (std::uint64_t k = 0; k < 1000; ++k) EXPECT_EQ(t.find(k << 24)->port, k);
  EXPECT_EQ(t.find(1000ULL << 24), nullptr);
}

}  // namespace
}  // namespace synnet
