#include "engine/apps/impair/corrupt.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "engine/apps/basic/filter.hpp"
#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/engine.hpp"

namespace synnet {
namespace {

// What a packet looked like after Corrupt: Source sends zero-filled frames, so
// every set bit is a flipped one.
struct Seen {
  std::uint32_t length = 0;
  int bits_set = 0;
  long first_bit = -1;  // byte * 8 + bit of the first set bit; -1: none
  bool operator==(const Seen&) const = default;
};

// Source -> Corrupt "bad" -> Filter "rec" (records a Seen per packet) -> Sink.
struct CorruptNet {
  CorruptNet(double ratio, std::vector<std::uint32_t> sizes, std::uint64_t seed = 1, std::uint32_t burst = 100)
      : e({.packets = 4096, .seed = seed, .clock = &clock, .log = nullptr}) {
    Config c;
    c.app<Source>("src", {.sizes_bytes = std::move(sizes), .burst_packets = burst});
    c.app<Corrupt>("bad", {.ratio = ratio});
    c.app<Filter>("rec", recorder);
    c.app<Sink>("sink");
    c.link("src.output -> bad.input").link("bad.output -> rec.input").link("rec.output -> sink.input");
    e.configure(c);
  }
  std::uint64_t in() const { return e.link("src.output -> bad.input")->counters().rxpackets; }
  const LinkCounters& out() const { return e.link("bad.output -> rec.input")->counters(); }
  std::uint64_t counter(const std::string& name) const { return e.counters().at("bad", name); }
  std::uint64_t flipped() const {
    std::uint64_t n = 0;
    for (const Seen& s : *seen) n += s.bits_set != 0;
    return n;
  }
  void expect_conservation() const {
    EXPECT_EQ(in(), out().txpackets + out().txdrop + counter("dropped_no_output"));
    EXPECT_EQ(out().txpackets, counter("forwarded"));
  }

  std::shared_ptr<std::vector<Seen>> seen = std::make_shared<std::vector<Seen>>();
  FilterSpec recorder{[seen = seen](Packet& p) {
    Seen s{.length = p.length};
    for (std::uint32_t i = 0; i < p.length; ++i) {
      if (p.data[i] != 0 && s.first_bit < 0) s.first_bit = i * 8L + std::countr_zero(p.data[i]);
      s.bits_set += std::popcount(p.data[i]);
    }
    seen->push_back(s);
    return true;
  }};
  ManualClock clock;
  Engine e;
};

TEST(CorruptSpec, RejectsRatiosOutsideZeroToOneNamingTheField) {
  for (double bad : {-0.5, 1.25, std::numeric_limits<double>::quiet_NaN()}) {
    try {
      CorruptSpec{.ratio = bad}.validate();
      ADD_FAILURE() << "accepted ratio " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("ratio: ", 0), 0u) << e.what();
    }
  }
  try {
    CorruptSpec{.ratio = 1.25}.validate();
    ADD_FAILURE() << "accepted ratio 1.25";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "ratio: 1.25 is not in [0, 1]");
  }
  EXPECT_NO_THROW(CorruptSpec{.ratio = 0}.validate());
  EXPECT_NO_THROW(CorruptSpec{.ratio = 1}.validate());
  Config c;
  EXPECT_THROW(c.app<Corrupt>("bad", {.ratio = -0.5}), ConfigError);
}

TEST(Corrupt, RatioOneFlipsExactlyOneBitAndNeverInTheEthernetHeader) {
  CorruptNet n(1, {15, 60, 61, 1500, 9000});
  for (int i = 0; i < 20; ++i) n.e.breathe();
  ASSERT_EQ(n.seen->size(), 2000u);
  long lowest = std::numeric_limits<long>::max(), highest = -1;
  for (const Seen& s : *n.seen) {
    ASSERT_EQ(s.bits_set, 1) << "length " << s.length;
    ASSERT_GE(s.first_bit, 14 * 8) << "length " << s.length;
    ASSERT_LT(s.first_bit, s.length * 8L) << "length " << s.length;
    if (s.length == 60) {
      lowest = std::min(lowest, s.first_bit / 8);
      highest = std::max(highest, s.first_bit / 8);
    }
  }
  EXPECT_EQ(lowest, 14);  // the whole range [14, length) is reachable
  EXPECT_EQ(highest, 59);
  EXPECT_EQ(n.counter("corrupted"), 2000u);
  EXPECT_EQ(n.counter("too_short_to_corrupt"), 0u);
  n.expect_conservation();
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Corrupt, RatioZeroChangesNothing) {
  CorruptNet n(0, {60, 1500});
  for (int i = 0; i < 10; ++i) n.e.breathe();
  EXPECT_EQ(n.flipped(), 0u);
  EXPECT_EQ(n.counter("forwarded"), 1000u);
  EXPECT_EQ(n.counter("corrupted"), 0u);
  n.expect_conservation();
}

TEST(Corrupt, FramesOfFourteenBytesOrLessAreForwardedUnchanged) {
  CorruptNet n(1, {1, 13, 14, 15});
  for (int i = 0; i < 10; ++i) n.e.breathe();
  EXPECT_EQ(n.counter("forwarded"), 1000u);
  EXPECT_EQ(n.counter("too_short_to_corrupt"), 750u);
  EXPECT_EQ(n.counter("corrupted"), 250u);
  for (const Seen& s : *n.seen) {
    ASSERT_EQ(s.bits_set, s.length == 15 ? 1 : 0) << "length " << s.length;
  }
  n.expect_conservation();
}

TEST(Corrupt, RatioMatchesTheBinomialWithin99_9Percent) {
  CorruptNet n(0.1, {60, 1500}, 1, 1000);
  for (int i = 0; i < 100; ++i) n.e.breathe();
  EXPECT_EQ(n.in(), 100000u);
  const double np = 100000 * 0.1;
  const double k = static_cast<double>(n.counter("corrupted"));
  EXPECT_LE(std::abs(k - np), 3.29 * std::sqrt(np * 0.9)) << "corrupted " << k;
  EXPECT_EQ(n.flipped(), n.counter("corrupted"));
  n.expect_conservation();
}

TEST(Corrupt, EveryBitPastTheHeaderIsEquallyLikely) {
  CorruptNet n(1, {22}, 1, 1000);  // 8 bytes past the header: 64 bits
  for (int i = 0; i < 64; ++i) n.e.breathe();
  std::vector<int> hits(64, 0);
  for (const Seen& s : *n.seen) ++hits.at(static_cast<std::size_t>(s.first_bit - 14 * 8));
  const double np = 64000.0 / 64;  // 1000 per bit
  for (std::size_t bit = 0; bit < hits.size(); ++bit) {
    // 4.5 sigma: 64 bins, so the whole test stays well inside 99.9%.
    EXPECT_LE(std::abs(hits[bit] - np), 4.5 * std::sqrt(np * 63 / 64)) << "bit " << bit;
  }
}

TEST(Corrupt, SameSeedSameDamageOtherSeedOther) {
  CorruptNet a(0.3, {60, 100}, 5), b(0.3, {60, 100}, 5), c(0.3, {60, 100}, 6);
  for (int i = 0; i < 20; ++i) {
    a.e.breathe();
    b.e.breathe();
    c.e.breathe();
  }
  ASSERT_EQ(a.seen->size(), 2000u);
  EXPECT_EQ(*a.seen, *b.seen);
  EXPECT_NE(*a.seen, *c.seen);
}

TEST(Corrupt, AnUnlinkedOutputDropsWithItsOwnReason) {
  ManualClock clock;
  Engine e({.packets = 1024, .seed = 1, .clock = &clock, .log = nullptr});
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 10});
  c.app<Corrupt>("bad", {.ratio = 1});
  c.link("src.output -> bad.input");
  e.configure(c);
  e.breathe();
  const auto counters = e.counters();
  EXPECT_EQ(counters.at("bad", "dropped_no_output"), 10u);
  EXPECT_EQ(counters.at("bad", "forwarded"), 0u);
  EXPECT_EQ(counters.at("bad", "corrupted"), 0u);
  EXPECT_EQ(e.pool().in_use(), 0u);
}

TEST(Corrupt, ReconfiguresInPlace) {
  CorruptNet n(0, {60});
  n.e.breathe();
  Corrupt* before = n.e.app_as<Corrupt>("bad");
  Config next;
  for (const auto& [name, spec] : n.e.config().apps()) {
    if (name == "bad") {
      next.app<Corrupt>(name, {.ratio = 1});
    } else {
      next.app(name, spec);
    }
  }
  for (const LinkSpec& l : n.e.config().links()) next.link(l);
  n.e.configure(next);
  EXPECT_EQ(n.e.app_as<Corrupt>("bad"), before);
  n.e.breathe();
  EXPECT_EQ(n.counter("forwarded"), 200u);
  EXPECT_EQ(n.counter("corrupted"), 100u);
  EXPECT_EQ(n.flipped(), 100u);
  n.expect_conservation();
}

}  // namespace
}  // namespace synnet
