#include "engine/apps/impair/duplicate.hpp"

#include <gtest/gtest.h>

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

// Source (sizes 60..69, cycled) -> Duplicate "dup" -> Filter "rec" (records lengths) -> Sink.
// A duplicate shows up as the same length twice in a row.
struct DuplicateNet {
  explicit DuplicateNet(double ratio, std::uint64_t seed = 1, std::size_t packets = 4096, std::uint32_t burst = 100)
      : burst(burst), e({.packets = packets, .seed = seed, .clock = &clock, .log = nullptr}) {
    e.configure(config(ratio));
  }
  Config config(double ratio) const {
    Config c;
    c.app<Source>("src", {.sizes_bytes = {60, 61, 62, 63, 64, 65, 66, 67, 68, 69}, .burst_packets = burst});
    c.app<Duplicate>("dup", {.ratio = ratio});
    c.app<Filter>("rec", recorder);
    c.app<Sink>("sink");
    c.link("src.output -> dup.input").link("dup.output -> rec.input").link("rec.output -> sink.input");
    return c;
  }
  std::uint64_t in() const { return e.link("src.output -> dup.input")->counters().rxpackets; }
  const LinkCounters& out() const { return e.link("dup.output -> rec.input")->counters(); }
  std::uint64_t counter(const std::string& name) const { return e.counters().at("dup", name); }
  void expect_conservation() const {
    EXPECT_EQ(in() + counter("duplicated"), out().txpackets + out().txdrop + counter("dropped_no_output"));
    EXPECT_EQ(out().txpackets, counter("forwarded") + counter("duplicated"));
  }

  std::uint32_t burst;
  std::shared_ptr<std::vector<std::uint32_t>> seen = std::make_shared<std::vector<std::uint32_t>>();
  FilterSpec recorder{[seen = seen](Packet& p) {
    seen->push_back(p.length);
    return true;
  }};
  ManualClock clock;
  Engine e;
};

// Which of the packets (in input order) were duplicated, from the recorded lengths.
std::vector<bool> decisions(const std::vector<std::uint32_t>& seen) {
  std::vector<bool> d;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const bool twice = i + 1 < seen.size() && seen[i + 1] == seen[i];
    d.push_back(twice);
    if (twice) ++i;
  }
  return d;
}

TEST(DuplicateSpec, RejectsRatiosOutsideZeroToOneNamingTheField) {
  for (double bad :
       {-0.1, 1.5, 1.0000001, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    try {
      DuplicateSpec{.ratio = bad}.validate();
      ADD_FAILURE() << "accepted ratio " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("ratio: ", 0), 0u) << e.what();
    }
  }
  try {
    DuplicateSpec{.ratio = 1.5}.validate();
    ADD_FAILURE() << "accepted ratio 1.5";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "ratio: 1.5 is not in [0, 1]");
  }
  EXPECT_NO_THROW(DuplicateSpec{.ratio = 0}.validate());
  EXPECT_NO_THROW(DuplicateSpec{.ratio = 1}.validate());
}

TEST(DuplicateSpec, ConfigErrorsNameTheAppAndTheField) {
  Config c;
  try {
    c.app<Duplicate>("dup", {.ratio = 2});
    FAIL() << "accepted ratio 2";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("\"dup\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ratio: 2 is not in [0, 1]"), std::string::npos) << e.what();
  }
}

TEST(Duplicate, RatioZeroForwardsEveryPacketOnce) {
  DuplicateNet n(0);
  for (int i = 0; i < 10; ++i) n.e.breathe();
  EXPECT_EQ(n.in(), 1000u);
  EXPECT_EQ(n.out().txpackets, 1000u);
  EXPECT_EQ(n.counter("forwarded"), 1000u);
  EXPECT_EQ(n.counter("duplicated"), 0u);
  for (std::size_t i = 0; i < n.seen->size(); ++i) ASSERT_EQ((*n.seen)[i], 60 + i % 10) << i;
  n.expect_conservation();
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Duplicate, RatioOneSendsEachPacketThenItsCopy) {
  DuplicateNet n(1);
  for (int i = 0; i < 10; ++i) n.e.breathe();
  EXPECT_EQ(n.in(), 1000u);
  EXPECT_EQ(n.out().txpackets, 2000u);
  EXPECT_EQ(n.out().txdrop, 0u);
  EXPECT_EQ(n.counter("forwarded"), 1000u);
  EXPECT_EQ(n.counter("duplicated"), 1000u);
  ASSERT_EQ(n.seen->size(), 2000u);
  for (std::size_t i = 0; i < n.seen->size(); ++i) ASSERT_EQ((*n.seen)[i], 60 + (i / 2) % 10) << i;
  n.expect_conservation();
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Duplicate, RatioMatchesTheBinomialWithin99_9Percent) {
  DuplicateNet n(0.1, 1, 4096, 500);  // at most 1000 out per breath: fits the 1024-slot link
  for (int i = 0; i < 200; ++i) n.e.breathe();
  const double np = 100000 * 0.1;
  const double k = static_cast<double>(n.counter("duplicated"));
  EXPECT_EQ(n.in(), 100000u);
  EXPECT_LE(std::abs(k - np), 3.29 * std::sqrt(np * 0.9)) << "duplicated " << k;
  EXPECT_EQ(n.out().txdrop, 0u);
  EXPECT_EQ(decisions(*n.seen).size(), 100000u);
  n.expect_conservation();
}

TEST(Duplicate, SameSeedSameDecisionsOtherSeedOthers) {
  DuplicateNet a(0.5, 7), b(0.5, 7), c(0.5, 8);
  for (int i = 0; i < 20; ++i) {
    a.e.breathe();
    b.e.breathe();
    c.e.breathe();
  }
  EXPECT_EQ(decisions(*a.seen).size(), 2000u);
  EXPECT_EQ(*a.seen, *b.seen);
  EXPECT_EQ(decisions(*a.seen), decisions(*b.seen));
  EXPECT_NE(decisions(*a.seen), decisions(*c.seen));
}

TEST(Duplicate, AnEmptyPoolStillForwardsTheOriginalAndCountsAllocFailed) {
  DuplicateNet n(1, 1, 10, 10);  // the source takes all 10 packets: nothing left to copy into
  n.e.breathe();
  EXPECT_EQ(n.counter("forwarded"), 10u);
  EXPECT_EQ(n.counter("duplicated"), 0u);
  EXPECT_EQ(n.counter("alloc_failed"), 10u);
  EXPECT_EQ(n.out().txpackets, 10u);
  n.expect_conservation();
  EXPECT_EQ(n.e.pool().in_use(), 0u);
}

TEST(Duplicate, AnUnlinkedOutputDropsWithItsOwnReason) {
  ManualClock clock;
  Engine e({.packets = 1024, .seed = 1, .clock = &clock, .log = nullptr});
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}, .burst_packets = 10});
  c.app<Duplicate>("dup", {.ratio = 1});
  c.link("src.output -> dup.input");
  e.configure(c);
  e.breathe();
  const auto counters = e.counters();
  EXPECT_EQ(counters.at("dup", "dropped_no_output"), 10u);
  EXPECT_EQ(counters.at("dup", "duplicated"), 0u);
  EXPECT_EQ(counters.at("dup", "forwarded"), 0u);
  EXPECT_EQ(e.pool().in_use(), 0u);
}

TEST(Duplicate, ReconfiguresInPlaceKeepingItsCounters) {
  DuplicateNet n(0);
  n.e.breathe();
  Duplicate* before = n.e.app_as<Duplicate>("dup");
  n.e.configure(n.config(1));
  EXPECT_EQ(n.e.app_as<Duplicate>("dup"), before);
  n.e.breathe();
  EXPECT_EQ(n.counter("forwarded"), 200u);
  EXPECT_EQ(n.counter("duplicated"), 100u);
  n.expect_conservation();
}

}  // namespace
}  // namespace synnet
