#include "engine/apps/impair/mtu.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/apps/basic/filter.hpp"
#include "engine/apps/basic/sink.hpp"
#include "engine/engine.hpp"

namespace synnet {
namespace {

using MtuFrame = std::vector<std::uint8_t>;

// A zero-filled frame of `length` bytes whose ethertype fields (at 12, then
// 16, 20, ... after each tag) are `ethertypes`.
MtuFrame frame(std::uint32_t length, std::vector<std::uint16_t> ethertypes = {0x0800}) {
  MtuFrame f(length, 0);
  std::size_t at = 12;
  for (std::uint16_t t : ethertypes) {
    if (at + 2 <= f.size()) {
      f[at] = static_cast<std::uint8_t>(t >> 8);
      f[at + 1] = static_cast<std::uint8_t>(t & 0xff);
    }
    at += 4;
  }
  return f;
}

// Test-only app: sends its frames, once, on its first pull.
struct MtuFramesSpec {
  std::vector<MtuFrame> frames{};
  bool operator==(const MtuFramesSpec&) const = default;
};

class MtuFrames final : public App {
 public:
  using Spec = MtuFramesSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  MtuFrames(AppContext& ctx, const Spec& spec) : App(ctx), frames_(spec.frames) {}
  void pull() override {
    for (const MtuFrame& f : frames_) {
      Packet* p = pool().allocate();  // tests only: throws when the pool is empty
      std::copy(f.begin(), f.end(), p->data);
      p->length = static_cast<std::uint32_t>(f.size());
      output()->transmit(p);
    }
    frames_.clear();
  }

 private:
  std::vector<MtuFrame> frames_;
};

struct Result {
  std::vector<std::uint32_t> forwarded;  // lengths, in order
  EngineCounters counters;
};

// MtuFrames -> Mtu "mtu" -> Filter (records lengths) -> Sink; one breath.
Result run(MtuSpec spec, std::vector<MtuFrame> frames, bool with_output = true) {
  ManualClock clock;
  Engine e({.packets = 1024, .seed = 1, .clock = &clock, .log = nullptr});
  auto seen = std::make_shared<std::vector<std::uint32_t>>();
  Config c;
  c.app<MtuFrames>("src", {.frames = std::move(frames)});
  c.app<Mtu>("mtu", spec);
  c.link("src.output -> mtu.input");
  if (with_output) {
    c.app<Filter>("rec", FilterSpec([seen](Packet& p) {
                    seen->push_back(p.length);
                    return true;
                  }));
    c.app<Sink>("sink");
    c.link("mtu.output -> rec.input").link("rec.output -> sink.input");
  }
  e.configure(c);
  e.breathe();
  Result r{*seen, e.counters()};
  // Conservation: every frame in is forwarded or dropped with a reason.
  const std::uint64_t in = e.link("src.output -> mtu.input")->counters().rxpackets;
  const Link* out = with_output ? e.link("mtu.output -> rec.input") : nullptr;
  const std::uint64_t sent = out ? out->counters().txpackets + out->counters().txdrop : 0;
  EXPECT_EQ(in, sent + r.counters.at("mtu", "dropped_too_big") + r.counters.at("mtu", "dropped_no_output"));
  EXPECT_EQ(sent, r.counters.at("mtu", "forwarded"));
  EXPECT_EQ(e.pool().in_use(), 0u);
  return r;
}

TEST(MtuSpec, ValidationNamesTheFieldAndClampsNothing) {
  for (std::uint32_t bad : {0u, 67u, 10227u, 65535u}) {
    try {
      MtuSpec{.mtu_bytes = bad}.validate();
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), "mtu_bytes: " + std::to_string(bad) + " is not in [68, 10226]");
    }
  }
  for (std::uint32_t good : {68u, 1500u, 9000u, 10226u}) EXPECT_NO_THROW(MtuSpec{.mtu_bytes = good}.validate());
  EXPECT_NO_THROW(MtuSpec{}.validate());
  Config c;
  EXPECT_THROW(c.app<Mtu>("mtu", {.mtu_bytes = 67}), ConfigError);
}

TEST(Mtu, LayerThreeSizeDiscountsTheEthernetHeaderAndUpToTwoVlanTags) {
  auto l3 = [](const MtuFrame& f) {
    Packet p;
    std::copy(f.begin(), f.end(), p.data);
    p.length = static_cast<std::uint32_t>(f.size());
    return Mtu::l3_bytes(p);
  };
  EXPECT_EQ(l3(frame(1514)), 1500u);
  EXPECT_EQ(l3(frame(1518, {0x8100, 0x0800})), 1500u);
  EXPECT_EQ(l3(frame(1518, {0x88a8, 0x86dd})), 1500u);
  EXPECT_EQ(l3(frame(1522, {0x88a8, 0x8100, 0x0800})), 1500u);
  EXPECT_EQ(l3(frame(1522, {0x8100, 0x8100, 0x0800})), 1500u);
  EXPECT_EQ(l3(frame(1522, {0x8100, 0x8100, 0x8100})), 1500u);  // a third tag is payload
  EXPECT_EQ(l3(frame(1518, {0x9100, 0x0800})), 1504u);          // not a tag we know
  EXPECT_EQ(l3(frame(14)), 0u);
  EXPECT_EQ(l3(frame(13)), 0u);  // too short to have a header
  EXPECT_EQ(l3(frame(0)), 0u);
  EXPECT_EQ(l3(frame(16, {0x8100})), 2u);  // a tag cut short is not counted
  EXPECT_EQ(l3(frame(18, {0x8100, 0x8100})), 0u);
}

TEST(Mtu, DropsUntaggedFramesBiggerThanTheMtu) {
  const Result r = run({.mtu_bytes = 1500}, {frame(60), frame(1514), frame(1515), frame(9014), frame(1500)});
  EXPECT_EQ(r.forwarded, (std::vector<std::uint32_t>{60, 1514, 1500}));
  EXPECT_EQ(r.counters.at("mtu", "forwarded"), 3u);
  EXPECT_EQ(r.counters.at("mtu", "dropped_too_big"), 2u);
}

TEST(Mtu, EachVlanTagAddsFourBytesToTheFrameLimit) {
  const Result r = run({.mtu_bytes = 1500},
                       {frame(1518, {0x8100, 0x0800}), frame(1519, {0x8100, 0x0800}), frame(1518, {0x88a8, 0x0800}),
                        frame(1519, {0x88a8, 0x0800}), frame(1522, {0x88a8, 0x8100, 0x0800}),
                        frame(1523, {0x88a8, 0x8100, 0x0800}), frame(1523, {0x8100, 0x8100, 0x8100})});
  EXPECT_EQ(r.forwarded, (std::vector<std::uint32_t>{1518, 1518, 1522}));
  EXPECT_EQ(r.counters.at("mtu", "dropped_too_big"), 4u);
}

TEST(Mtu, FramesTooShortForAnEthernetHeaderAreForwarded) {
  const Result r = run({.mtu_bytes = 68}, {frame(1), frame(13), frame(14), frame(82), frame(83)});
  EXPECT_EQ(r.forwarded, (std::vector<std::uint32_t>{1, 13, 14, 82}));
  EXPECT_EQ(r.counters.at("mtu", "dropped_too_big"), 1u);
}

TEST(Mtu, TheLargestMtuLetsTheLargestPacketThrough) {
  const Result r = run({.mtu_bytes = 10226}, {frame(10240), frame(9018, {0x8100, 0x0800})});
  EXPECT_EQ(r.forwarded, (std::vector<std::uint32_t>{10240, 9018}));
  EXPECT_EQ(r.counters.at("mtu", "dropped_too_big"), 0u);
}

TEST(Mtu, AnUnlinkedOutputDropsWithItsOwnReason) {
  const Result r = run({.mtu_bytes = 1500}, {frame(60), frame(2000)}, false);
  EXPECT_EQ(r.counters.at("mtu", "dropped_no_output"), 1u);
  EXPECT_EQ(r.counters.at("mtu", "dropped_too_big"), 1u);
  EXPECT_EQ(r.counters.at("mtu", "forwarded"), 0u);
}

TEST(Mtu, ReconfiguresInPlace) {
  ManualClock clock;
  Engine e({.packets = 1024, .seed = 1, .clock = &clock, .log = nullptr});
  auto config = [](std::uint32_t mtu, std::vector<MtuFrame> frames) {
    Config c;
    c.app<MtuFrames>("src", {.frames = std::move(frames)});  // new frames: a new MtuFrames app
    c.app<Mtu>("mtu", {.mtu_bytes = mtu});
    c.app<Sink>("sink");
    c.link("src.output -> mtu.input").link("mtu.output -> sink.input");
    return c;
  };
  e.configure(config(1500, {frame(1000), frame(1400)}));
  e.breathe();
  Mtu* before = e.app_as<Mtu>("mtu");
  e.configure(config(1200, {frame(1000), frame(1400), frame(1214)}));
  EXPECT_EQ(e.app_as<Mtu>("mtu"), before);
  e.breathe();
  const auto counters = e.counters();
  EXPECT_EQ(counters.at("mtu", "forwarded"), 4u);
  EXPECT_EQ(counters.at("mtu", "dropped_too_big"), 1u);
  EXPECT_EQ(e.pool().in_use(), 0u);
}

}  // namespace
}  // namespace synnet
