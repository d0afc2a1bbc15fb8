#include "engine/apps/impair/chain.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impair_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> link_strings(const Config& c) {
  std::vector<std::string> out;
  for (const LinkSpec& l : c.links()) out.push_back(l.str());
  return out;
}

bool has_link(const Config& c, const std::string& spec) { return c.links().count(LinkSpec::parse(spec)) != 0; }

TEST(Chain, NoEffectsIsADirectLink) {
  Config c;
  c.app<testing::SeqSource>("a").app<testing::Recorder>("b");
  add_direction(c, "a_to_b", {}, "a.output", "b.input");
  EXPECT_EQ(link_strings(c), std::vector<std::string>{"a.output -> b.input"});
}

TEST(Chain, EffectsAreLinkedInTheirFixedOrder) {
  Config c;
  c.app<testing::SeqSource>("a").app<testing::Recorder>("b");
  ImpairmentSpec s;
  s.latency = LatencySpec{.delay_us = 1000};
  s.loss = LossSpec{.ratio = 0.1};
  s.rate = RateSpec{.rate_bps = 1'000'000};
  add_impairment_chain(c, "ab", s, "a.output", "b.input");
  EXPECT_TRUE(has_link(c, "a.output -> ab_loss.input"));
  EXPECT_TRUE(has_link(c, "ab_loss.output -> ab_rate.input"));
  EXPECT_TRUE(has_link(c, "ab_rate.output -> ab_latency.input"));
  EXPECT_TRUE(has_link(c, "ab_latency.output -> b.input"));
  EXPECT_EQ(c.links().size(), 4u);
  EXPECT_NO_THROW(c.validate());
}

TEST(Chain, ABadSpecNamesTheApp) {
  Config c;
  ImpairmentSpec s;
  s.loss = LossSpec{.ratio = 2};
  try {
    add_impairment_chain(c, "a_to_b", s, "x.output", "y.input");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("app \"a_to_b_loss\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ratio: "), std::string::npos) << e.what();
  }
}

// Emits UDP/IPv4 frames to alternating destination ports 53 and 80.
struct UdpSourceSpec {
  std::uint32_t per_pull = 100;
  bool operator==(const UdpSourceSpec&) const = default;
};

class UdpSource final : public App {
 public:
  using Spec = UdpSourceSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  UdpSource(AppContext& ctx, const Spec& spec) : App(ctx), n_(spec.per_pull) {}
  void pull() override {
    for (std::uint32_t i = 0; i < n_; ++i) {
      Packet* p = pool().try_allocate();
      if (p == nullptr) return;
      std::memset(p->data, 0, 64);
      p->data[12] = 0x08;  // IPv4
      p->data[14] = 0x45;  // version 4, IHL 5
      p->data[17] = 50;    // total length 50 (20 + 8 + 22)
      p->data[23] = 17;    // UDP
      const std::uint16_t port = (sent_++ % 2 == 0) ? 53 : 80;
      p->data[36] = static_cast<std::uint8_t>(port >> 8);  // destination port
      p->data[37] = static_cast<std::uint8_t>(port);
      p->length = 64;
      output()->transmit(p);
    }
  }

 private:
  std::uint32_t n_;
  std::uint64_t sent_ = 0;
};

TEST(Chain, FlowsTakeTheirOwnChainAndTheRestTheDefault) {
  ManualClock clock;
  Engine e({.packets = 4096, .seed = 1, .clock = &clock, .log = nullptr});
  Config c;
  c.app<UdpSource>("a").app<testing::Recorder>("b");
  DirectionSpec d;
  d.impairments.loss = LossSpec{.ratio = 1};  // everything else is lost
  d.flows.push_back({FlowRule{.output = "", .protocol = 17, .dst_ports = PortRange{53, 53}}, ImpairmentSpec{}});
  add_direction(c, "a_to_b", d, "a.output", "b.input");
  e.configure(c);
  for (int i = 0; i < 10; ++i) e.breathe();
  const auto k = e.counters();
  EXPECT_EQ(k.at("a_to_b_split", "matched_f0"), 500u);
  EXPECT_EQ(k.at("a_to_b_split", "default"), 500u);
  EXPECT_EQ(k.at("a_to_b_loss", "dropped_loss"), 500u);
  EXPECT_EQ(k.link("a_to_b_join.output -> b.input").txpackets, 500u) << "only the port-53 flow gets through";
}

TEST(Chain, ATimelineChangeKeepsQueuedPackets) {
  ManualClock clock;
  Engine e({.packets = 4096, .seed = 1, .clock = &clock, .log = nullptr});
  const auto config = [](double loss) {
    Config c;
    c.app<testing::SeqSource>("a", {.per_pull = 10, .remaining = 10}).app<testing::Recorder>("b");
    DirectionSpec d;
    d.impairments.loss = LossSpec{.ratio = loss};
    d.impairments.latency = LatencySpec{.delay_us = 10'000};
    add_direction(c, "a_to_b", d, "a.output", "b.input");
    return c;
  };
  e.configure(config(0));
  e.breathe();  // 10 frames now wait in the latency app
  Latency* latency = e.app_as<Latency>("a_to_b_latency");
  e.configure(config(1));  // "5 s of 100% loss" starts: only the loss app changes
  EXPECT_EQ(e.app_as<Latency>("a_to_b_latency"), latency);
  EXPECT_EQ(e.counters().at("a_to_b_latency", "queued"), 10u);
  clock.advance(10ms);
  e.breathe();
  EXPECT_EQ(e.app_as<testing::Recorder>("b")->seqs.size(), 10u) << "frames in flight before the change still arrive";
}

}  // namespace
}  // namespace synnet
