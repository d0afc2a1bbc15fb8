// FlowSplit: the pure matching (FlowRule::matches, match_rule), the spec's
// validation, and the app in an engine fed with hand-built frames.
#include "engine/apps/flow/flow_split.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/apps/basic/sink.hpp"
#include "engine/engine.hpp"

namespace synnet {
namespace {

using Bytes = std::vector<std::uint8_t>;

// ---- frames -------------------------------------------------------------------

void append16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}

void put_addr(Bytes& b, int af, const char* text) {
  std::uint8_t a[16] = {};
  if (::inet_pton(af, text, a) != 1) throw std::invalid_argument(text);
  b.insert(b.end(), a, a + (af == AF_INET ? 4 : 16));
}

// An L4 header: the ports, then zeros up to `bytes`.
Bytes l4(std::uint16_t src, std::uint16_t dst, std::size_t bytes) {
  Bytes b;
  append16(b, src);
  append16(b, dst);
  b.resize(bytes, 0);
  return b;
}

Bytes frame4(std::uint8_t protocol, const char* src, const char* dst, const Bytes& payload,
             std::uint16_t flags_fragment = 0) {
  Bytes b(12, 0x02);
  append16(b, 0x0800);
  b.push_back(0x45);
  b.push_back(0);
  append16(b, static_cast<std::uint16_t>(20 + payload.size()));
  append16(b, 0);
  append16(b, flags_fragment);
  b.push_back(64);
  b.push_back(protocol);
  append16(b, 0);
  put_addr(b, AF_INET, src);
  put_addr(b, AF_INET, dst);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

Bytes frame6(std::uint8_t next, const char* src, const char* dst, const Bytes& payload) {
  Bytes b(12, 0x02);
  append16(b, 0x86dd);
  b.insert(b.end(), {0x60, 0, 0, 0});
  append16(b, static_cast<std::uint16_t>(payload.size()));
  b.push_back(next);
  b.push_back(64);
  put_addr(b, AF_INET6, src);
  put_addr(b, AF_INET6, dst);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

Bytes tcp4(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
  return frame4(6, src, dst, l4(sport, dport, 20));
}
Bytes udp4(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
  return frame4(17, src, dst, l4(sport, dport, 8));
}
Bytes arp() {
  Bytes b(12, 0xff);
  append16(b, 0x0806);
  b.resize(60, 0);
  return b;
}

FlowKey key_of(const Bytes& frame) { return parse_flow_key(frame.data(), frame.size()); }

// ---- a test-only source of given frames ---------------------------------------

struct FramesSpec {
  std::vector<Bytes> frames{};
  bool operator==(const FramesSpec&) const = default;
};

// Sends each of its frames once, on its first pull, to every output.
class Frames final : public App {
 public:
  using Spec = FramesSpec;
  static Ports ports(const Spec&) { return Ports{{}, {}, false, true}; }
  Frames(AppContext& ctx, const Spec& spec) : App(ctx), frames_(spec.frames) {}
  void pull() override {
    if (sent_) return;
    sent_ = true;
    for (Link* out : outputs()) {
      for (const Bytes& f : frames_) {
        Packet* p = pool().try_allocate();
        if (p == nullptr) {
          ++alloc_failed_;
          continue;
        }
        std::memcpy(p->data, f.data(), f.size());
        p->length = static_cast<std::uint32_t>(f.size());
        out->transmit(p);
      }
    }
  }
  void counters(const CounterVisitor& emit) const override { emit.error("alloc_failed", alloc_failed_); }

 private:
  std::vector<Bytes> frames_;
  bool sent_ = false;
  std::uint64_t alloc_failed_ = 0;
};

// ---- a rule set and frames that exercise it -----------------------------------

FlowRule rule(std::string output) { return FlowRule{.output = std::move(output)}; }

// 0 iperf: to port 5201 · 1 dns: UDP to port 53 · 2 lan: to 198.18.0.0/15
// 3 iperf: from port 5201 · 4 v6: to 2001:2::/48
std::vector<FlowRule> rules() {
  FlowRule iperf_to = rule("iperf"), dns = rule("dns"), lan = rule("lan"), iperf_from = rule("iperf"), v6 = rule("v6");
  iperf_to.dst_ports = PortRange{5201, 5201};
  dns.protocol = 17;
  dns.dst_ports = PortRange{53, 53};
  lan.dst = IpPrefix::parse("198.18.0.0/15");
  iperf_from.src_ports = PortRange{5201, 5201};
  v6.dst = IpPrefix::parse("2001:2::/48");
  return {iperf_to, dns, lan, iperf_from, v6};
}

struct Case {
  const char* what;
  Bytes frame;
  int rule;  // the first rule that matches, -1: none
};

std::vector<Case> cases() {
  Bytes truncated = tcp4("10.0.0.1", 40000, "198.18.0.2", 5201);
  truncated.pop_back();
  return {
      {"TCP to the lan's port 5201: iperf (rule 0 before rule 2)", tcp4("10.0.0.1", 40000, "198.18.0.2", 5201), 0},
      {"UDP to port 5201: iperf", udp4("10.0.0.1", 40000, "10.0.0.2", 5201), 0},
      {"UDP to the lan's port 53: dns (rule 1 before rule 2)", udp4("10.0.0.1", 40000, "198.18.0.2", 53), 1},
      {"TCP to port 53: lan, as it is not UDP", tcp4("10.0.0.1", 40000, "198.18.0.2", 53), 2},
      {"ICMP to the lan: lan", frame4(1, "10.0.0.1", "198.18.0.2", Bytes(8, 0)), 2},
      {"TCP from port 5201: iperf", tcp4("198.18.0.2", 5201, "10.0.0.1", 40000), 3},
      {"UDP over IPv6 to port 53: dns", frame6(17, "2001:2::1", "fd00::2", l4(40000, 53, 8)), 1},
      {"ICMPv6 to 2001:2::/48: v6", frame6(58, "fd00::1", "2001:2::2", Bytes(8, 0)), 4},
      {"TCP elsewhere: none", tcp4("10.0.0.1", 40000, "10.0.0.2", 80), -1},
      {"a non-first fragment to port 5201: none (no ports)",
       frame4(17, "10.0.0.1", "10.0.0.2", l4(40000, 5201, 8), 100), -1},
      {"ARP: none", arp(), -1},
      {"a truncated frame to 198.18.0.2:5201: none", truncated, -1},
  };
}

// ---- the pure matching --------------------------------------------------------

TEST(FlowSplitRule, FirstMatchWins) {
  const std::vector<FlowRule> r = rules();
  for (const Case& c : cases()) EXPECT_EQ(match_rule(r, key_of(c.frame)), c.rule) << c.what;
  EXPECT_EQ(match_rule({}, key_of(cases()[0].frame)), -1);
}

TEST(FlowSplitRule, EveryFieldItSetsMustMatch) {
  FlowRule r = rule("x");
  r.src = IpPrefix::parse("10.0.0.0/8");
  r.protocol = 6;
  r.dst_ports = PortRange{80, 90};
  EXPECT_TRUE(r.matches(key_of(tcp4("10.1.2.3", 1, "192.0.2.1", 80))));
  EXPECT_TRUE(r.matches(key_of(tcp4("10.1.2.3", 1, "192.0.2.1", 90))));
  EXPECT_FALSE(r.matches(key_of(tcp4("10.1.2.3", 1, "192.0.2.1", 91))));
  EXPECT_FALSE(r.matches(key_of(tcp4("11.1.2.3", 1, "192.0.2.1", 80))));
  EXPECT_FALSE(r.matches(key_of(udp4("10.1.2.3", 1, "192.0.2.1", 80))));
}

TEST(FlowSplitRule, PortRangesNeedPortsAndPrefixesTheirFamily) {
  FlowRule any_port = rule("x");
  any_port.dst_ports = PortRange{};  // 0..65535
  EXPECT_TRUE(any_port.matches(key_of(udp4("10.0.0.1", 1, "10.0.0.2", 0))));
  EXPECT_FALSE(any_port.matches(key_of(frame4(1, "10.0.0.1", "10.0.0.2", Bytes(8, 0)))));
  EXPECT_FALSE(any_port.matches(key_of(frame4(17, "10.0.0.1", "10.0.0.2", l4(1, 2, 8), 0x2000 | 7))));

  FlowRule all_v4 = rule("x");
  all_v4.src = IpPrefix::parse("0.0.0.0/0");
  EXPECT_TRUE(all_v4.matches(key_of(udp4("10.0.0.1", 1, "10.0.0.2", 2))));
  EXPECT_FALSE(all_v4.matches(key_of(frame6(17, "::1", "::2", l4(1, 2, 8)))));
  EXPECT_FALSE(all_v4.matches(key_of(arp())));

  FlowRule protocol0 = rule("x");  // what family 0 keys carry: still not a match
  protocol0.protocol = 0;
  EXPECT_FALSE(protocol0.matches(key_of(arp())));
  EXPECT_FALSE(protocol0.matches(FlowKey{}));
}

TEST(FlowSplitRule, ATwoWayLinkNeedsARuleForEachDirection) {
  // An iperf3 server on B (port 5201): one FlowSplit per direction.
  FlowRule a_to_b = rule("iperf"), b_to_a = rule("iperf");
  a_to_b.dst_ports = PortRange{5201, 5201};
  b_to_a.src_ports = PortRange{5201, 5201};
  const FlowKey request = key_of(tcp4("198.18.0.1", 40000, "198.18.1.1", 5201));
  const FlowKey reply = key_of(tcp4("198.18.1.1", 5201, "198.18.0.1", 40000));
  EXPECT_TRUE(a_to_b.matches(request));
  EXPECT_FALSE(a_to_b.matches(reply));
  EXPECT_TRUE(b_to_a.matches(reply));
  EXPECT_FALSE(b_to_a.matches(request));
}

// ---- validation ---------------------------------------------------------------

TEST(FlowSplitSpec, ValidationNamesTheRuleAndTheProblem) {
  const auto with = [](auto change) {
    FlowSplitSpec s{rules()};
    change(s.rules[2]);
    return s;
  };
  const struct {
    FlowSplitSpec spec;
    std::string message;
  } cases[] = {
      {with([](FlowRule& r) { r.output = ""; }), "rules[2]: output is empty"},
      {with([](FlowRule& r) { r.output = "a b"; }),
       "rules[2]: output \"a b\" is not a valid port name (use letters, digits, '_' and '-')"},
      {with([](FlowRule& r) { r.output = "lan.1"; }), "rules[2]: output \"lan.1\" is not a valid port name"},
      {with([](FlowRule& r) { r.output = "default"; }),
       "rules[2]: output \"default\" is reserved for the packets no rule matches"},
      {with([](FlowRule& r) { r.dst.reset(); }),
       "rules[2]: sets none of src, dst, protocol, src_ports, dst_ports, so it would match everything"},
      {with([](FlowRule& r) {
         r.dst_ports = PortRange{90, 80};
       }),
       "rules[2]: dst_ports 90-80: first is greater than last"},
      {with([](FlowRule& r) {
         r.src_ports = PortRange{2, 1};
       }),
       "rules[2]: src_ports 2-1: first is greater than last"},
      {with([](FlowRule& r) { r.src = IpPrefix::parse("2001:2::/48"); }),
       "rules[2]: src 2001:2::/48 and dst 198.18.0.0/15 are of different IP families: the rule could never match"},
      {with([](FlowRule& r) { r.dst = IpPrefix{}; }), "rules[2]: dst: family 0 is not 4 or 6"},
      {with([](FlowRule& r) {
         r.dst = IpPrefix{4, {}, 33};
       }),
       "rules[2]: dst: length 33 is not in 0..32"},
      {with([](FlowRule& r) {
         r.src = IpPrefix{6, {}, 129};
         r.dst.reset();
       }),
       "rules[2]: src: length 129 is not in 0..128"},
      {with([](FlowRule& r) {
         r.protocol = 1;
         r.dst_ports = PortRange{};
       }),
       "rules[2]: protocol 1 has no ports (TCP 6, UDP 17, SCTP 132 and UDP-Lite 136 do): with a port range, the "
       "rule could never match"},
  };
  for (const auto& c : cases) {
    try {
      c.spec.validate();
      ADD_FAILURE() << "accepted; expected: " << c.message;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(FlowSplitSpec{rules()}.validate());
  EXPECT_NO_THROW(FlowSplitSpec{}.validate());  // no rules: everything goes to "default"
}

TEST(FlowSplitSpec, ConfigNamesTheApp) {
  FlowSplitSpec bad{{rule("x")}};
  Config c;
  try {
    c.app<FlowSplit>("split", bad);
    ADD_FAILURE() << "accepted a rule without fields";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("app \"split\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("rules[0]: sets none of"), std::string::npos) << e.what();
  }
}

TEST(FlowSplitSpec, ComparesByValue) {
  const FlowSplitSpec a{rules()};
  FlowSplitSpec b = a;
  EXPECT_EQ(a, b);
  b.rules[1].dst_ports->last = 54;
  EXPECT_NE(a, b);
}

// ---- the app ------------------------------------------------------------------

TEST(FlowSplit, DeclaresRuleOutputsInFirstAppearanceOrderThenDefault) {
  const Ports p = FlowSplit::ports(FlowSplitSpec{rules()});
  EXPECT_EQ(p.inputs, (std::vector<std::string>{"input"}));
  EXPECT_EQ(p.outputs, (std::vector<std::string>{"iperf", "dns", "lan", "v6", "default"}));
  EXPECT_FALSE(p.any_inputs || p.any_outputs);
  EXPECT_EQ(FlowSplit::ports(FlowSplitSpec{}).outputs, (std::vector<std::string>{"default"}));
}

struct FlowSplitApp : ::testing::Test {
  ManualClock clock;
  Engine engine{EngineOptions{.packets = 1024, .seed = 1, .clock = &clock, .log = nullptr}};

  std::vector<Bytes> frames() {
    std::vector<Bytes> out;
    for (const Case& c : cases()) out.push_back(c.frame);
    return out;
  }
  // src -> split, and split.<port> -> sink.<port> for each port in `linked`.
  void run(const FlowSplitSpec& spec, const std::vector<std::string>& linked) {
    Config c;
    c.app<Frames>("src", {frames()});
    c.app<FlowSplit>("split", spec);
    c.app<Sink>("sink");
    c.link("src.output -> split.input");
    for (const std::string& port : linked) c.link("split." + port + " -> sink." + port);
    engine.configure(c);
    engine.breathe();
  }
  std::uint64_t sent_on(const std::string& port) {
    return engine.counters().link("split." + port + " -> sink." + port).txpackets;
  }
};

TEST_F(FlowSplitApp, SendsEachPacketToItsFirstMatchingRulesOutput) {
  run(FlowSplitSpec{rules()}, {"iperf", "dns", "lan", "v6", "default"});
  const auto counters = engine.counters();
  EXPECT_EQ(sent_on("iperf"), 3u);
  EXPECT_EQ(sent_on("dns"), 2u);
  EXPECT_EQ(sent_on("lan"), 2u);
  EXPECT_EQ(sent_on("v6"), 1u);
  EXPECT_EQ(sent_on("default"), 4u);
  EXPECT_EQ(counters.at("split", "matched_iperf"), 3u);
  EXPECT_EQ(counters.at("split", "matched_dns"), 2u);
  EXPECT_EQ(counters.at("split", "matched_lan"), 2u);
  EXPECT_EQ(counters.at("split", "matched_v6"), 1u);
  EXPECT_EQ(counters.at("split", "default"), 4u);
  EXPECT_EQ(counters.at("split", "dropped_no_output"), 0u);
  EXPECT_EQ(counters.find("split", "matched_default"), nullptr);
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

TEST_F(FlowSplitApp, UnlinkedOutputsDropAndCountAndEveryPacketIsAccountedFor) {
  run(FlowSplitSpec{rules()}, {"iperf", "lan"});  // dns, v6 and default unlinked
  const auto counters = engine.counters();
  const std::uint64_t in = counters.link("src.output -> split.input").rxpackets;
  EXPECT_EQ(in, cases().size());
  EXPECT_EQ(sent_on("iperf"), 3u);
  EXPECT_EQ(sent_on("lan"), 2u);
  EXPECT_EQ(counters.at("split", "dropped_no_output"), 2u + 1u + 4u);
  EXPECT_EQ(counters.at("split", "matched_dns"), 0u);
  EXPECT_EQ(counters.at("split", "default"), 0u);
  EXPECT_EQ(in, sent_on("iperf") + sent_on("lan") + counters.at("split", "dropped_no_output"));
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

TEST_F(FlowSplitApp, WithoutRulesEverythingGoesToDefault) {
  run(FlowSplitSpec{}, {"default"});
  EXPECT_EQ(sent_on("default"), cases().size());
  EXPECT_EQ(engine.counters().at("split", "default"), cases().size());
}

TEST_F(FlowSplitApp, ALinkFromAnUndeclaredPortIsAConfigError) {
  try {
    run(FlowSplitSpec{rules()}, {"iperf", "voice"});
    ADD_FAILURE() << "linked an undeclared output";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("has no output port \"voice\""), std::string::npos) << e.what();
  }
}

TEST_F(FlowSplitApp, ConservationOverManyBreaths) {
  Config c;
  std::vector<Bytes> many;
  for (int i = 0; i < 30; ++i) {
    for (const Bytes& f : frames()) many.push_back(f);
  }
  c.app<Frames>("src", {many});
  c.app<FlowSplit>("split", FlowSplitSpec{rules()});
  c.app<Sink>("sink");
  c.link("src.output -> split.input").link("split.dns -> sink.dns").link("split.default -> sink.default");
  engine.configure(c);
  for (int i = 0; i < 3; ++i) engine.breathe();
  const auto counters = engine.counters();
  const std::uint64_t in = counters.link("src.output -> split.input").rxpackets;
  std::uint64_t out = 0;
  for (const auto& [link, value] : counters.links) {
    if (link.from_app == "split") out += value.txpackets;
  }
  EXPECT_EQ(in, 30u * cases().size());
  EXPECT_EQ(in, out + counters.at("split", "dropped_no_output"));
  std::uint64_t classified = counters.at("split", "default") + counters.at("split", "dropped_no_output");
  for (const char* o : {"iperf", "dns", "lan", "v6"}) classified += counters.at("split", std::string("matched_") + o);
  EXPECT_EQ(in, classified);
  EXPECT_EQ(engine.pool().in_use(), 0u);
}

}  // namespace
}  // namespace synnet
