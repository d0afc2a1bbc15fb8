// scenario_test.cpp — parse_scenario: a scenario using every key parsed into
// exact structs, the defaults and short forms, a table of malformed scenarios
// (each error's JSON path and message), every scenarios/*.json file, and the
// JSON Schema held to the keys the parser accepts.
#include "harness/scenario/scenario.hpp"
#include "engine/sys/text_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace synnet {
namespace {

using namespace std::chrono_literals;
using OrderedJson = nlohmann::ordered_json;

// The smallest valid scenario; the error cases patch it.
constexpr const char* kBase = R"({
  "name": "base",
  "hosts": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}],
  "links": [{"a": "a", "b": "b"}],
  "traffic": [{"ping": {"from": "a", "to": "b"}}]
})";

std::vector<std::string> address_texts(const std::vector<HostAddress>& addresses) {
  std::vector<std::string> out;
  for (const HostAddress& a : addresses) out.push_back(a.str());
  return out;
}

void expect_bound(const std::optional<Bound>& b, std::optional<double> min, std::optional<double> max,
                  const std::string& text) {
  ASSERT_TRUE(b.has_value()) << text;
  EXPECT_EQ(b->min.has_value(), min.has_value()) << text;
  EXPECT_EQ(b->max.has_value(), max.has_value()) << text;
  if (min && b->min) {
    EXPECT_DOUBLE_EQ(*b->min, *min) << text;
  }
  if (max && b->max) {
    EXPECT_DOUBLE_EQ(*b->max, *max) << text;
  }
  EXPECT_EQ(b->text, text);
}

// ---- A scenario with every key ----------------------------------------------

constexpr const char* kEverything = R"({
  "$schema": "./synnet-scenario.schema.json",
  "name": "everything",
  "description": "every key of the format",
  "seed": 18446744073709551615,
  "hosts": [
    {"name": "a", "addresses": ["198.18.0.1/24", "2001:2::1/64"]},
    {"name": "b", "addresses": ["198.18.0.2/24"]},
    {"name": "c1"},
    {"name": "d"}
  ],
  "links": [
    {"a": "a", "b": "b", "name": "ab", "io": "xdp", "mtu": 9000,
     "a_to_b": {
       "reorder": {"ratio": "25%", "delay": "10ms", "limit": 100},
       "mtu": 1400,
       "outage": {"start": "2s", "duration": "3s", "period": "10s"},
       "loss": {"model": "gilbert_elliott", "p": "1%", "r": "25%", "loss_bad": "90%", "loss_good": "0.5%"},
       "corrupt": "0.1%",
       "duplicate": "1%",
       "rate": {"rate": "10Mbit", "burst": "15kB", "overhead": "24B", "queue": "64KiB", "mode": "shaper"},
       "delay": {"time": "40ms", "limit": 100000},
       "jitter": {"mean": "5ms", "stddev": "2ms", "distribution": "pareto", "reorder": true, "limit": 5000},
       "flows": [
         {"match": {"protocol": "udp", "src": "198.18.0.0/24", "dst": "198.18.0.2/32", "src_ports": 5000,
                    "dst_ports": "5301"},
          "mtu": 1000, "outage": {"duration": "1s"}, "loss": "30%", "corrupt": "2%", "duplicate": "3%",
          "rate": "5Mbit", "delay": "1ms", "jitter": "3ms", "reorder": {"ratio": "50%", "delay": "2ms"}},
         {"match": {"protocol": 6, "dst_ports": "5000-5100"}}
       ]
     },
     "b_to_a": {"loss": {"model": "markov4", "p13": "1%", "p31": "50%", "p32": "10%", "p23": "5%", "p14": "0.1%"},
                "rate": {"rate": "1Gbit", "mode": "policer"}}
    },
    {"a": "c1", "b": "d"}
  ],
  "timeline": [
    {"at": "5s", "link": "ab", "a_to_b": {}},
    {"at": "2s", "link": "c1-d", "b_to_a": {"loss": {"model": "random", "ratio": "100%"}}, "a_to_b": {"loss": "5%"}},
    {"at": "2s", "link": "ab", "b_to_a": {"delay": "1s"}}
  ],
  "traffic": [
    {"name": "pings", "deadline": "30s",
     "ping": {"from": "a", "to": "b", "to_address": "2001:2::2", "count": 20, "interval": "100ms", "size": 1000},
     "expect": {"loss": {"min": "0%", "max": "10%"}, "rtt_min": {"min": "80ms"}, "rtt_avg": {"max": "90ms"},
                "rtt_max": {"max": "1s"}, "rtt_mdev": {"min": "1us", "max": "5ms"}, "gap": {"max": "500ms"},
                "exit_code": 0}},
    {"iperf3": {"client": "a", "server": "b", "protocol": "udp", "bitrate": "5Mbit", "length": "1400B",
                "duration": "3s", "parallel": 2, "reverse": true},
     "expect": {"loss": {"min": "3%", "max": "7%"}, "throughput": {"min": "4.5Mbit"}, "jitter": {"max": "2ms"}}},
    {"exec": {"host": "c1", "argv": ["ping", "-c", "1", "198.18.0.4"]}, "engine": "off",
     "expect": {"exit_code": 1}},
    {"name": "together", "deadline": "100s", "parallel": [
       {"iperf3": {"client": "c1", "server": "d", "length": 8000},
        "expect": {"throughput": {"min": "1Mbit", "max": "2Gbit"}}},
       {"name": "side", "ping": {"from": "d", "to": "c1"}, "deadline": "20s"}
    ]}
  ]
})";

TEST(ScenarioParse, EveryKeyParsesIntoTheExpectedStructs) {
  const Scenario s = parse_scenario(kEverything);
  EXPECT_EQ(s.name, "everything");
  EXPECT_EQ(s.description, "every key of the format");
  EXPECT_EQ(s.seed, std::optional<std::uint64_t>(18446744073709551615ULL));

  ASSERT_EQ(s.hosts.size(), 4u);
  EXPECT_EQ(s.hosts[0].name, "a");
  EXPECT_EQ(address_texts(s.hosts[0].addresses), (std::vector<std::string>{"198.18.0.1/24", "2001:2::1/64"}));
  EXPECT_EQ(address_texts(s.hosts[1].addresses), (std::vector<std::string>{"198.18.0.2/24"}));
  EXPECT_EQ(s.hosts[2].name, "c1");
  EXPECT_EQ(address_texts(s.hosts[2].addresses), (std::vector<std::string>{"198.18.0.3/24"}));
  EXPECT_EQ(address_texts(s.hosts[3].addresses), (std::vector<std::string>{"198.18.0.4/24"}));

  ASSERT_EQ(s.links.size(), 2u);
  const ScenarioLink& ab = s.links[0];
  EXPECT_EQ(ab.name, "ab");
  EXPECT_EQ(ab.a, "a");
  EXPECT_EQ(ab.b, "b");
  EXPECT_EQ(ab.io, LinkIo::kXdp);
  EXPECT_EQ(ab.mtu, 9000u);

  DirectionSpec a_to_b;
  ImpairmentSpec& i = a_to_b.impairments;
  i.mtu = MtuSpec{.mtu_bytes = 1400};
  i.outage = OutageSpec{.start_us = 2'000'000, .duration_us = 3'000'000, .period_us = 10'000'000};
  i.loss = LossSpec{};
  i.loss->model = LossModel::kGilbertElliott;
  i.loss->p = 0.01;
  i.loss->r = 0.25;
  i.loss->loss_bad = 0.9;
  i.loss->loss_good = 0.005;
  i.corrupt = CorruptSpec{.ratio = 0.001};
  i.duplicate = DuplicateSpec{.ratio = 0.01};
  i.rate = RateSpec{.rate_bps = 10'000'000,
                    .burst_bytes = 15'000,
                    .overhead_bytes = 24,
                    .queue_bytes = 65'536,
                    .mode = RateMode::kShaper};
  i.latency = LatencySpec{.delay_us = 40'000, .limit_packets = 100'000};
  i.jitter = JitterSpec{.mean_us = 5'000,
                        .stddev_us = 2'000,
                        .distribution = Distribution::kPareto,
                        .reorder = true,
                        .limit_packets = 5'000};
  i.reorder = ReorderSpec{.ratio = 0.25, .delay_us = 10'000, .limit_packets = 100};
  FlowChain udp;
  udp.rule.protocol = 17;
  udp.rule.src = IpPrefix::parse("198.18.0.0/24");
  udp.rule.dst = IpPrefix::parse("198.18.0.2/32");
  udp.rule.src_ports = PortRange{5000, 5000};
  udp.rule.dst_ports = PortRange{5301, 5301};
  udp.impairments.mtu = MtuSpec{.mtu_bytes = 1000};
  udp.impairments.outage = OutageSpec{.start_us = 0, .duration_us = 1'000'000, .period_us = 0};
  udp.impairments.loss = LossSpec{};
  udp.impairments.loss->ratio = 0.3;
  udp.impairments.corrupt = CorruptSpec{.ratio = 0.02};
  udp.impairments.duplicate = DuplicateSpec{.ratio = 0.03};
  udp.impairments.rate = RateSpec{};
  udp.impairments.rate->rate_bps = 5'000'000;
  udp.impairments.latency = LatencySpec{};
  udp.impairments.latency->delay_us = 1'000;
  // "3ms": uniform in [0, 6 ms], i.e. stddev 3 ms / √3 = 1732.05 us, rounded.
  udp.impairments.jitter = JitterSpec{.mean_us = 3'000,
                                      .stddev_us = 1'732,
                                      .distribution = Distribution::kUniform,
                                      .reorder = false,
                                      .limit_packets = 1'000'000};
  udp.impairments.reorder = ReorderSpec{.ratio = 0.5, .delay_us = 2'000, .limit_packets = 10'000};
  FlowChain tcp;
  tcp.rule.protocol = 6;
  tcp.rule.dst_ports = PortRange{5000, 5100};
  a_to_b.flows = {udp, tcp};
  EXPECT_EQ(ab.a_to_b, a_to_b);

  DirectionSpec b_to_a;
  b_to_a.impairments.loss = LossSpec{};
  b_to_a.impairments.loss->model = LossModel::kMarkov4;
  b_to_a.impairments.loss->p13 = 0.01;
  b_to_a.impairments.loss->p31 = 0.5;
  b_to_a.impairments.loss->p32 = 0.1;
  b_to_a.impairments.loss->p23 = 0.05;
  b_to_a.impairments.loss->p14 = 0.001;
  b_to_a.impairments.rate = RateSpec{};
  b_to_a.impairments.rate->rate_bps = 1'000'000'000;
  b_to_a.impairments.rate->mode = RateMode::kPolicer;
  EXPECT_EQ(ab.b_to_a, b_to_a);

  EXPECT_EQ(s.links[1].name, "c1-d");
  EXPECT_EQ(s.links[1].io, LinkIo::kPacket);
  EXPECT_EQ(s.links[1].mtu, 1500u);
  EXPECT_EQ(s.links[1].a_to_b, DirectionSpec{});

  // Sorted by `at`, stable: the two 2 s events keep their order.
  ASSERT_EQ(s.timeline.size(), 3u);
  EXPECT_EQ(s.timeline[0].at, 2s);
  EXPECT_EQ(std::get<LinkChange>(s.timeline[0].change).link, "c1-d");
  EXPECT_EQ(s.timeline[0].path, "/timeline/1");
  DirectionSpec lose_all, lose_5;
  lose_all.impairments.loss = LossSpec{};
  lose_all.impairments.loss->ratio = 1;
  lose_5.impairments.loss = LossSpec{};
  lose_5.impairments.loss->ratio = 0.05;
  EXPECT_EQ(std::get<LinkChange>(s.timeline[0].change).b_to_a, lose_all);
  EXPECT_EQ(std::get<LinkChange>(s.timeline[0].change).a_to_b, lose_5);
  EXPECT_EQ(s.timeline[1].at, 2s);
  EXPECT_EQ(std::get<LinkChange>(s.timeline[1].change).link, "ab");
  EXPECT_EQ(s.timeline[1].path, "/timeline/2");
  EXPECT_FALSE(std::get<LinkChange>(s.timeline[1].change).a_to_b.has_value());
  ASSERT_TRUE(std::get<LinkChange>(s.timeline[1].change).b_to_a.has_value());
  EXPECT_EQ(std::get<LinkChange>(s.timeline[1].change).b_to_a->impairments.latency,
            (LatencySpec{.delay_us = 1'000'000, .limit_packets = 1'000'000}));
  EXPECT_EQ(s.timeline[2].at, 5s);
  EXPECT_EQ(s.timeline[2].path, "/timeline/0");
  EXPECT_EQ(std::get<LinkChange>(s.timeline[2].change).a_to_b, DirectionSpec{});  // {}: every impairment removed
  EXPECT_FALSE(std::get<LinkChange>(s.timeline[2].change).b_to_a.has_value());

  ASSERT_EQ(s.traffic.size(), 4u);
  const TrafficItem& pings = s.traffic[0];
  EXPECT_EQ(pings.name, "pings");
  EXPECT_EQ(pings.path, "/traffic/0");
  EXPECT_EQ(pings.deadline, 30s);
  EXPECT_FALSE(pings.engine_off);
  const auto& ping = std::get<PingSpec>(pings.what);
  EXPECT_EQ(ping.from, "a");
  EXPECT_EQ(ping.to, "b");
  EXPECT_EQ(ping.to_address, "2001:2::2");
  EXPECT_EQ(ping.count, 20u);
  EXPECT_EQ(ping.interval, 100ms);
  EXPECT_EQ(ping.size, 1000u);
  expect_bound(pings.expect.loss, 0.0, 0.1, "0% .. 10%");
  expect_bound(pings.expect.rtt_min, 0.08, std::nullopt, ">= 80ms");
  expect_bound(pings.expect.rtt_avg, std::nullopt, 0.09, "<= 90ms");
  expect_bound(pings.expect.rtt_max, std::nullopt, 1.0, "<= 1s");
  expect_bound(pings.expect.rtt_mdev, 1e-6, 0.005, "1us .. 5ms");
  expect_bound(pings.expect.gap, std::nullopt, 0.5, "<= 500ms");
  EXPECT_EQ(pings.expect.exit_code, 0);
  EXPECT_FALSE(pings.expect.throughput.has_value());
  EXPECT_FALSE(pings.expect.jitter.has_value());

  const TrafficItem& udp_item = s.traffic[1];
  EXPECT_EQ(udp_item.name, "iperf3-1");
  EXPECT_EQ(udp_item.deadline, 0ns);
  const auto& iperf = std::get<Iperf3Spec>(udp_item.what);
  EXPECT_EQ(iperf.client, "a");
  EXPECT_EQ(iperf.server, "b");
  EXPECT_EQ(iperf.protocol, Iperf3Protocol::kUdp);
  EXPECT_EQ(iperf.bitrate, std::optional<std::uint64_t>(5'000'000));
  EXPECT_EQ(iperf.length, std::optional<std::uint32_t>(1400));
  EXPECT_EQ(iperf.duration, 3s);
  EXPECT_EQ(iperf.parallel, 2u);
  EXPECT_TRUE(iperf.reverse);
  expect_bound(udp_item.expect.loss, 0.03, 0.07, "3% .. 7%");
  expect_bound(udp_item.expect.throughput, 4.5e6, std::nullopt, ">= 4.5Mbit");
  expect_bound(udp_item.expect.jitter, std::nullopt, 0.002, "<= 2ms");
  EXPECT_FALSE(udp_item.expect.exit_code.has_value());

  const TrafficItem& exec_item = s.traffic[2];
  EXPECT_EQ(exec_item.name, "exec-2");
  EXPECT_TRUE(exec_item.engine_off);
  const auto& exec = std::get<ExecSpec>(exec_item.what);
  EXPECT_EQ(exec.host, "c1");
  EXPECT_EQ(exec.argv, (std::vector<std::string>{"ping", "-c", "1", "198.18.0.4"}));
  EXPECT_EQ(exec_item.expect.exit_code, 1);

  const TrafficItem& group = s.traffic[3];
  EXPECT_EQ(group.name, "together");
  EXPECT_EQ(group.deadline, 100s);
  EXPECT_EQ(group.path, "/traffic/3");
  const auto& items = std::get<ParallelGroup>(group.what).items;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].name, "iperf3-3.0");
  EXPECT_EQ(items[0].path, "/traffic/3/parallel/0");
  const auto& inner = std::get<Iperf3Spec>(items[0].what);
  EXPECT_EQ(inner.protocol, Iperf3Protocol::kTcp);
  EXPECT_EQ(inner.length, std::optional<std::uint32_t>(8000));
  expect_bound(items[0].expect.throughput, 1e6, 2e9, "1Mbit .. 2Gbit");
  EXPECT_EQ(items[1].name, "side");
  EXPECT_EQ(items[1].deadline, 20s);
  EXPECT_EQ(items[1].path, "/traffic/3/parallel/1");
  EXPECT_EQ(std::get<PingSpec>(items[1].what).to, "c1");
}

TEST(ScenarioParse, Defaults) {
  const Scenario s = parse_scenario(kBase);
  EXPECT_EQ(s.name, "base");
  EXPECT_EQ(s.description, "");
  EXPECT_FALSE(s.seed.has_value());
  ASSERT_EQ(s.hosts.size(), 4u);
  for (std::size_t i = 0; i < s.hosts.size(); ++i) {
    EXPECT_EQ(address_texts(s.hosts[i].addresses),
              std::vector<std::string>{"198.18.0." + std::to_string(i + 1) + "/24"});
  }
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.links[0].name, "a-b");
  EXPECT_EQ(s.links[0].io, LinkIo::kPacket);
  EXPECT_EQ(s.links[0].mtu, 1500u);
  EXPECT_EQ(s.links[0].a_to_b, DirectionSpec{});
  EXPECT_EQ(s.links[0].b_to_a, DirectionSpec{});
  EXPECT_TRUE(s.timeline.empty());
  ASSERT_EQ(s.traffic.size(), 1u);
  const TrafficItem& item = s.traffic[0];
  EXPECT_EQ(item.name, "ping-0");
  EXPECT_EQ(item.path, "/traffic/0");
  EXPECT_EQ(item.deadline, 0ns);  // the runner derives it
  EXPECT_FALSE(item.engine_off);
  const auto& ping = std::get<PingSpec>(item.what);
  EXPECT_EQ(ping.to_address, "");
  EXPECT_EQ(ping.count, 10u);
  EXPECT_EQ(ping.interval, 200ms);
  EXPECT_EQ(ping.size, 56u);
  EXPECT_FALSE(item.expect.loss.has_value());
  EXPECT_FALSE(item.expect.exit_code.has_value());
}

TEST(ScenarioParse, ShortFormsAndItemDefaults) {
  const Scenario s = parse_scenario(R"({
    "name": "short",
    "hosts": [{"name": "a"}, {"name": "b"}],
    "links": [{"a": "a", "b": "b",
               "a_to_b": {"loss": "5%", "delay": "40ms", "jitter": "5ms", "rate": "10Mbit", "mtu": 1400,
                          "duplicate": "1%", "corrupt": "0.1%"}}],
    "timeline": [{"at": "1.5s", "b_to_a": {"loss": "100%"}}],
    "traffic": [
      {"iperf3": {"client": "a", "server": "b"}},
      {"exec": {"host": "b", "argv": ["true"]}},
      {"parallel": [{"ping": {"from": "b", "to": "a"}}, {"ping": {"from": "a", "to": "b"}}]}
    ]
  })");
  ImpairmentSpec want;
  want.loss = LossSpec{};
  want.loss->ratio = 0.05;  // model "random"
  want.latency = LatencySpec{.delay_us = 40'000, .limit_packets = 1'000'000};
  // "5ms": uniform in [0, 10 ms]: mean 5 ms, stddev 5 ms / √3 = 2886.75 us, rounded to 2887.
  want.jitter = JitterSpec{.mean_us = 5'000,
                           .stddev_us = 2'887,
                           .distribution = Distribution::kUniform,
                           .reorder = false,
                           .limit_packets = 1'000'000};
  want.rate = RateSpec{};
  want.rate->rate_bps = 10'000'000;
  want.mtu = MtuSpec{.mtu_bytes = 1400};
  want.duplicate = DuplicateSpec{.ratio = 0.01};
  want.corrupt = CorruptSpec{.ratio = 0.001};
  EXPECT_EQ(s.links[0].a_to_b.impairments, want);
  EXPECT_TRUE(s.links[0].a_to_b.flows.empty());
  EXPECT_EQ(s.links[0].b_to_a, DirectionSpec{});

  ASSERT_EQ(s.timeline.size(), 1u);
  EXPECT_EQ(std::get<LinkChange>(s.timeline[0].change).link, "a-b");  // the only link
  EXPECT_EQ(s.timeline[0].at, 1500ms);

  ASSERT_EQ(s.traffic.size(), 3u);
  EXPECT_EQ(s.traffic[0].name, "iperf3-0");
  const auto& iperf = std::get<Iperf3Spec>(s.traffic[0].what);
  EXPECT_EQ(iperf.protocol, Iperf3Protocol::kTcp);
  EXPECT_FALSE(iperf.bitrate.has_value());
  EXPECT_FALSE(iperf.length.has_value());
  EXPECT_EQ(iperf.duration, 5s);
  EXPECT_EQ(iperf.parallel, 1u);
  EXPECT_FALSE(iperf.reverse);
  EXPECT_EQ(s.traffic[1].name, "exec-1");
  EXPECT_FALSE(s.traffic[1].expect.exit_code.has_value());  // the checker applies exec's default, 0
  EXPECT_EQ(s.traffic[2].name, "parallel-2");
  const auto& items = std::get<ParallelGroup>(s.traffic[2].what).items;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].name, "ping-2.0");
  EXPECT_EQ(items[1].name, "ping-2.1");
}

TEST(ScenarioParse, WhatNamesThePathAndTheDocument) {
  try {
    parse_scenario(R"({"name": "x", "hosts": [{"name": "a"}, {"name": "b"}],
      "links": [{"a": "a", "b": "b", "a_to_b": {"rate": "10 Mbps"}}], "traffic": [{"ping": {"from": "a", "to": "b"}}]})");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "/links/0/a_to_b/rate");
    EXPECT_EQ(std::string(e.what()),
              "/links/0/a_to_b/rate: \"10 Mbps\" is not a rate (try \"10Mbit\"; units: bit, kbit, Mbit, Gbit, Tbit)");
  }
  try {
    parse_scenario("[]");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "");
    EXPECT_EQ(std::string(e.what()), "(document): expected an object, got an array");
  }
}

TEST(ScenarioParse, SyntaxErrorsGiveLineAndColumnInCharacters) {
  // "µ" is two bytes but one column; the error is the 'x' on line 2, column 32.
  const std::string text = "{\n  \"description\": \"µs\", \"name\": x\n}";
  try {
    parse_scenario(text);
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "");
    const std::string what = e.what();
    EXPECT_NE(what.find("not valid JSON at line 2, column 32: syntax error"), std::string::npos) << what;
    EXPECT_EQ(what.find("json.exception"), std::string::npos) << what;
  }
}

// ---- Malformed scenarios -------------------------------------------------------

// A direction's key `key` set to `value` on link 0, a_to_b.
std::string a_to_b(const std::string& key, const std::string& value) {
  return R"([{"op": "add", "path": "/links/0/a_to_b", "value": {")" + key + R"(": )" + value + "}}]";
}

std::string set(const std::string& path, const std::string& value) {
  return R"([{"op": "add", "path": ")" + path + R"(", "value": )" + value + "}]";
}

// The base scenario with its traffic replaced by `items` (a JSON array).
std::string traffic(const std::string& items) { return set("/traffic", items); }

struct BadCaseText {
  std::string patch, path, message;
};

const std::vector<BadCaseText>& bad_case_texts() {
  static const std::vector<BadCaseText> cases = {
      // JSON syntax, document shape, duplicate keys
      {"{\"name\": \"x\",\n  \"hosts\": [}", "", "not valid JSON at line 2, column 13:"},
      {"", "", "not valid JSON at line 1, column 1:"},
      // found by tests/fuzz/scenario_fuzz.cpp: nlohmann's out_of_range (406) got out of parse_scenario
      {R"({"name": "x", "seed": 1e400})", "/seed", "a number too large for JSON's numbers"},
      {"17777e77000", "", "a number too large"},
      {"[1, 2]", "", "expected an object, got an array"},
      {R"({"name": "x", "name": "y"})", "/name", "duplicate key"},
      {R"({"name": "x", "hosts": [{"name": "a"}, {"name": "b", "addresses": [], "addresses": []}]})",
       "/hosts/1/addresses", "duplicate key"},
      // unknown keys
      {set("/hosts/0/adress", R"(["198.18.0.1/24"])"), "/hosts/0/adress", "unknown key (did you mean \"addresses\"?)"},
      {set("/trafic", "[]"), "/trafic", "unknown key (did you mean \"traffic\"?)"},
      {set("/hosts/0/zzz", "1"), "/hosts/0/zzz",
       "unknown key (valid keys: name, addresses, forward, routes, services, sysctls)"},
      {a_to_b("latency", R"("40ms")"), "/links/0/a_to_b/latency", "did you mean \"delay\"?"},
      {set("/traffic/0/expect", R"({"los": {"max": "1%"}})"), "/traffic/0/expect/los", "did you mean \"loss\"?"},
      {traffic(R"([{"pnig": {"from": "a", "to": "b"}}])"), "/traffic/0/pnig", "did you mean \"ping\"?"},
      // missing keys
      {R"([{"op": "remove", "path": "/name"}])", "", "missing \"name\""},
      {R"([{"op": "remove", "path": "/links/0/b"}])", "/links/0", "missing \"b\""},
      {traffic(R"([{"iperf3": {"client": "a"}}])"), "/traffic/0/iperf3", "missing \"server\""},
      // wrong types
      {set("/traffic/0/ping/count", R"("3")"), "/traffic/0/ping/count", "expected an integer, got a string"},
      {set("/seed", "-1"), "/seed", "-1 is not >= 0"},
      {set("/seed", "1.5"), "/seed", "expected an integer, got a floating-point number"},
      {set("/$schema", "5"), "/$schema", "expected a string, got an integer"},
      {set("/hosts", R"({"a": 1})"), "/hosts", "expected an array, got an object"},
      {set("/name", R"("")"), "/name", "must not be empty"},
      {a_to_b("delay", "40"), "/links/0/a_to_b/delay",
       "expected a duration string (e.g. \"40ms\") or an object, got an integer"},
      {a_to_b("loss", "5"), "/links/0/a_to_b/loss", "expected a percentage string"},
      {a_to_b("duplicate", "0.01"), "/links/0/a_to_b/duplicate",
       "expected a string (a percentage, e.g. \"5%\"), got a floating-point number"},
      {set("/traffic/0/iperf3", "{}"), "/traffic/0/iperf3",
       "an item is one of ping, iperf3, exec, parallel or change; this one is already \"ping\""},
      // units
      {a_to_b("rate", R"("10 Mbps")"), "/links/0/a_to_b/rate", "\"10 Mbps\" is not a rate (try \"10Mbit\""},
      {a_to_b("loss", R"("150%")"), "/links/0/a_to_b/loss", "above 100%"},
      {a_to_b("delay", R"("1500ns")"), "/links/0/a_to_b/delay", "not a whole number of microseconds"},
      {set("/timeline", R"([{"at": "2", "a_to_b": {}}])"), "/timeline/0/at", "\"2\" is not a duration: it has no unit"},
      {set("/traffic/0/expect", R"({"rtt_avg": {"max": "90 ms"}})"), "/traffic/0/expect/rtt_avg/max",
       "is not a duration"},
      // scenario-level counts
      {set("/hosts", R"([{"name": "a"}])"), "/hosts", "needs at least 2 hosts, has 1"},
      {set("/links", "[]"), "/links", "needs at least 1 link"},
      {set("/traffic", "[]"), "/traffic", "needs at least 1 item"},
      // hosts
      {set("/hosts/0/name", R"("abcdefgh")"), "/hosts/0/name", "a host name has 1 to 7"},
      {set("/hosts/0/name", R"("Alice")"), "/hosts/0/name", "is not a host name"},
      {set("/hosts/0/name", R"("1a")"), "/hosts/0/name", "is not a host name"},
      {set("/hosts/2/name", R"("wire")"), "/hosts/2/name", "\"wire\" is reserved"},
      {set("/hosts/1/name", R"("a")"), "/hosts/1/name", "\"a\" is already the name of host at /hosts/0"},
      {set("/hosts/0/addresses", R"(["198.18.0.1"])"), "/hosts/0/addresses/0", "has no prefix length"},
      {set("/hosts/0/addresses", R"(["10.0.0.1/24"])"), "/hosts/0/addresses/0",
       "is outside 198.18.0.0/15 (IPv4 test addresses"},
      {set("/hosts/0/addresses", R"(["198.18.0.1/24", "2001:db8::1/64"])"), "/hosts/0/addresses/1",
       "is outside 2001:2::/48"},
      {set("/hosts/0/addresses", R"(["198.18.0.1/8"])"), "/hosts/0/addresses/0", "its subnet /8 reaches outside"},
      {set("/hosts/0/addresses", R"(["198.18.0.300/24"])"), "/hosts/0/addresses/0", "is not an IPv4 or IPv6 address"},
      {set("/hosts/0/addresses", R"(["198.18.0.1/33"])"), "/hosts/0/addresses/0",
       "prefix length \"33\" is not in 0..32"},
      {set("/hosts/0/addresses", "[]"), "/hosts/0/addresses", "is empty"},
      // links
      {R"([{"op": "add", "path": "/hosts/1/name", "value": "bob"}, {"op": "add", "path": "/links/0/b", "value": "bbo"}])",
       "/links/0/b", "no host or switch \"bbo\" (did you mean \"bob\"?)"},
      {set("/links/0/b", R"("zzzz")"), "/links/0/b", "no host or switch \"zzzz\" (nodes: a, b, c, d)"},
      {set("/links/0/b", R"("a")"), "/links/0/b", "\"a\" is also \"a\": a link joins two different nodes"},
      {set("/links/1", R"({"a": "c", "b": "d", "name": "a-b"})"), "/links/1/name", "is already the name of /links/0"},
      {set("/links/0/name", R"("a b")"), "/links/0/name", "is not a link name"},
      {set("/links/0/io", R"("dpdk")"), "/links/0/io", "\"dpdk\" is not one of packet, xdp"},
      {set("/links/0/mtu", "9001"), "/links/0/mtu", "9001 is not in 68..9000"},
      {set("/links/0/mtu", "67"), "/links/0/mtu", "67 is not in 68..9000"},
      // impairments: the parser's checks
      {a_to_b("mtu", "50"), "/links/0/a_to_b/mtu", "50 is not in 68..10226"},
      {a_to_b("loss", R"({"model": "random", "p13": "1%"})"), "/links/0/a_to_b/loss/p13",
       "belongs to the markov4 model, not random"},
      {a_to_b("loss", R"({"model": "random"})"), "/links/0/a_to_b/loss", "missing \"ratio\""},
      {a_to_b("loss", R"({"model": "bursty", "ratio": "1%"})"), "/links/0/a_to_b/loss/model",
       "is not one of random, gilbert_elliott, markov4"},
      {a_to_b("loss", R"({"ratio": "1%"})"), "/links/0/a_to_b/loss", "missing \"model\""},
      {a_to_b("rate", R"({"rate": "1Mbit", "mode": "policer", "queue": "10kB"})"), "/links/0/a_to_b/rate/queue",
       "a policer has no queue"},
      {a_to_b("rate", R"({"rate": "1Mbit", "burst": "10"})"), "/links/0/a_to_b/rate/burst", "is not a size"},
      {a_to_b("outage", R"({"duration": "3s", "period": "2s"})"), "/links/0/a_to_b/outage/period",
       "must be longer than \"duration\""},
      {a_to_b("reorder", R"({"ratio": "10%"})"), "/links/0/a_to_b/reorder", "missing \"delay\""},
      {a_to_b("reorder", R"("10%")"), "/links/0/a_to_b/reorder", "expected an object, got a string"},
      {a_to_b("jitter", R"({"mean": "1ms", "stddev": "1ms", "distribution": "gauss"})"),
       "/links/0/a_to_b/jitter/distribution", "is not one of uniform, normal"},
      {a_to_b("delay", R"({"time": "1ms", "limit": 0})"), "/links/0/a_to_b/delay/limit", "0 is not >= 1"},
      // impairments: the engine's own validate(), reported at the impairment
      {a_to_b("loss", R"({"model": "markov4", "p13": "60%", "p31": "50%", "p14": "50%"})"), "/links/0/a_to_b/loss",
       "p13 + p14 must not exceed 1"},
      {a_to_b("jitter", R"({"mean": "0ms", "stddev": "1ms", "distribution": "pareto"})"), "/links/0/a_to_b/jitter",
       "a pareto distribution needs a mean above 0"},
      {a_to_b("delay", R"("3601s")"), "/links/0/a_to_b/delay", "is more than an hour"},
      {a_to_b("outage", R"({"duration": "700000s"})"), "/links/0/a_to_b/outage", "duration_us"},
      // flows
      {a_to_b("flows", R"([{"match": {}, "loss": "1%"}])"), "/links/0/a_to_b/flows/0/match",
       "needs at least one of protocol, src, dst"},
      {a_to_b("flows", R"([{"loss": "1%"}])"), "/links/0/a_to_b/flows/0", "missing \"match\""},
      {a_to_b("flows", R"([{"match": {"protocol": "tcpp"}}])"), "/links/0/a_to_b/flows/0/match/protocol",
       "\"tcpp\" is not one of tcp, udp"},
      {a_to_b("flows", R"([{"match": {"protocol": 256}}])"), "/links/0/a_to_b/flows/0/match/protocol",
       "256 is not in 0..255"},
      {a_to_b("flows", R"([{"match": {"dst_ports": "5100-5000"}}])"), "/links/0/a_to_b/flows/0/match/dst_ports",
       "the first port is above the last"},
      {a_to_b("flows", R"([{"match": {"dst_ports": "52o1"}}])"), "/links/0/a_to_b/flows/0/match/dst_ports",
       "is not a port or port range"},
      {a_to_b("flows", R"([{"match": {"src_ports": 70000}}])"), "/links/0/a_to_b/flows/0/match/src_ports",
       "70000 is not in 0..65535"},
      {a_to_b("flows", R"([{"match": {"dst": "198.18.0.1/15"}}])"), "/links/0/a_to_b/flows/0/match/dst",
       "did you mean \"198.18.0.0/15\"?"},
      {a_to_b("flows", R"([{"match": {"protocol": "icmp", "dst_ports": 53}}])"), "/links/0/a_to_b/flows/0/match",
       "protocol 1 has no ports"},
      {a_to_b("flows", R"([{"match": {"src": "198.18.0.0/15", "dst": "2001:2::/48"}}])"),
       "/links/0/a_to_b/flows/0/match", "different IP families"},
      {a_to_b("flows", R"([{"match": {"protocol": "udp"}, "flows": []}])"), "/links/0/a_to_b/flows/0/flows",
       "not flows of its own"},
      {a_to_b("flows", R"([{"match": {"protocol": "udp"}, "loss": "200%"}])"), "/links/0/a_to_b/flows/0/loss",
       "above 100%"},
      // timeline
      {set("/timeline", R"([{"at": "1s", "link": "a-c", "a_to_b": {}}])"), "/timeline/0/link",
       "no link \"a-c\" (did you mean \"a-b\"?)"},
      {R"([{"op": "add", "path": "/links/1", "value": {"a": "c", "b": "d"}},
           {"op": "add", "path": "/timeline", "value": [{"at": "1s", "a_to_b": {}}]}])",
       "/timeline/0", "missing \"link\": the scenario has 2 links (a-b, c-d)"},
      {set("/timeline", R"([{"at": "1s"}])"), "/timeline/0", "changes nothing"},
      {set("/timeline", R"([{"link": "a-b", "a_to_b": {}}])"), "/timeline/0", "missing \"at\""},
      {set("/timeline", R"([{"at": "1s", "b_to_a": {"loss": "x"}}])"), "/timeline/0/b_to_a/loss",
       "is not a percentage"},
      // traffic items
      {traffic(R"([{"name": "x"}])"), "/traffic/0",
       "missing one of \"ping\", \"iperf3\", \"exec\", \"parallel\" or \"change\""},
      {traffic(R"([{"ping": {"from": "a", "to": "b"}, "exec": {"host": "a", "argv": ["true"]}}])"), "/traffic/0/exec",
       "this one is already \"ping\""},
      {set("/traffic/0/ping/to", R"("e")"), "/traffic/0/ping/to", "no host \"e\""},
      {set("/traffic/0/ping/to", R"("a")"), "/traffic/0/ping/to", "\"a\" is at both ends"},
      {set("/traffic/0/ping/to", R"("c")"), "/traffic/0/ping/to", "host \"c\" is on no link"},
      {R"([{"op": "add", "path": "/links/1", "value": {"a": "c", "b": "d"}},
           {"op": "add", "path": "/traffic/0/ping/to", "value": "c"}])",
       "/traffic/0/ping/to", "host \"a\" has no route to 198.18.0.3"},
      {set("/hosts/1/addresses", R"(["2001:2::2/64"])"), "/traffic/0/ping/to",
       "host \"b\" has no IPv4 address: give \"to_address\""},
      {set("/traffic/0/ping/to_address", R"("198.18.0.2/24")"), "/traffic/0/ping/to_address",
       "give an address, without a prefix length"},
      {set("/traffic/0/ping/to_address", R"("b")"), "/traffic/0/ping/to_address", "is not an IPv4 or IPv6 address"},
      {set("/traffic/0/ping/count", "0"), "/traffic/0/ping/count", "0 is not >= 1"},
      {set("/traffic/0/ping/interval", R"("5ms")"), "/traffic/0/ping/interval", "\"5ms\" is shorter than 10ms"},
      {set("/traffic/0/ping/size", "70000"), "/traffic/0/ping/size", "70000 is not in 0..65507"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b", "duration": "1.5s"}}])"), "/traffic/0/iperf3/duration",
       "not a whole number of seconds >= 1"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b", "duration": "0s"}}])"), "/traffic/0/iperf3/duration",
       "not a whole number of seconds >= 1"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b", "parallel": 129}}])"), "/traffic/0/iperf3/parallel",
       "129 is not in 1..128"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b", "protocol": "quic"}}])"), "/traffic/0/iperf3/protocol",
       "\"quic\" is not one of tcp, udp"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b", "protocol": "udp", "length": "64KiB"}}])"),
       "/traffic/0/iperf3/length", "is 65536 bytes, not in 1..65507"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b", "reverse": "yes"}}])"), "/traffic/0/iperf3/reverse",
       "expected true or false, got a string"},
      {traffic(R"([{"exec": {"host": "a", "argv": []}}])"), "/traffic/0/exec/argv", "is empty"},
      {traffic(R"([{"exec": {"host": "a", "argv": ["ls", 1]}}])"), "/traffic/0/exec/argv/1",
       "expected a string, got an integer"},
      {traffic(R"([{"exec": {"host": "a", "argv": "ls -l"}}])"), "/traffic/0/exec/argv",
       "expected an array, got a string"},
      {traffic(R"([{"name": "x", "ping": {"from": "a", "to": "b"}}, {"name": "x", "ping": {"from": "a", "to": "b"}}])"),
       "/traffic/1/name", "the name \"x\" is already taken by /traffic/0"},
      {traffic(R"([{"name": "ping-1", "ping": {"from": "a", "to": "b"}}, {"ping": {"from": "a", "to": "b"}}])"),
       "/traffic/1", "its default name \"ping-1\" is already taken by /traffic/0"},
      {set("/traffic/0/deadline", R"("0s")"), "/traffic/0/deadline", "must be above 0"},
      {traffic(R"([{"parallel": []}])"), "/traffic/0/parallel", "is empty"},
      {traffic(R"([{"parallel": [{"parallel": []}]}])"), "/traffic/0/parallel/0/parallel", "no nested parallel groups"},
      {traffic(R"([{"parallel": [{"engine": "off", "ping": {"from": "a", "to": "b"}}]}])"),
       "/traffic/0/parallel/0/engine", "not allowed inside a parallel group"},
      {traffic(R"([{"engine": "off", "parallel": [{"ping": {"from": "a", "to": "b"}}]}])"), "/traffic/0/engine",
       "not allowed on a parallel group"},
      {set("/traffic/0/engine", R"("on")"), "/traffic/0/engine", "\"on\": the only value is \"off\""},
      {traffic(R"([{"parallel": [{"ping": {"from": "a", "to": "b"}}], "expect": {"exit_code": 0}}])"),
       "/traffic/0/expect", "a parallel group measures nothing itself"},
      {traffic(R"([{"parallel": [{"ping": {"from": "a", "to": "x"}}]}])"), "/traffic/0/parallel/0/ping/to",
       "no host \"x\""},
      {traffic(
           R"([{"parallel": [{"name": "p", "ping": {"from": "a", "to": "b"}}, {"name": "p", "ping": {"from": "b", "to": "a"}}]}])"),
       "/traffic/0/parallel/1/name", "already taken by /traffic/0/parallel/0"},
      // expect: what each kind measures
      {traffic(
           R"([{"iperf3": {"client": "a", "server": "b"}, "expect": {"throughput": {"min": "1Mbit"}, "loss": {"max": "1%"}}}])"),
       "/traffic/0/expect/loss",
       "iperf3 tcp does not measure loss (TCP retransmits lost segments); use \"protocol\": \"udp\""},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b"}, "expect": {"jitter": {"max": "1ms"}}}])"),
       "/traffic/0/expect/jitter", "iperf3 tcp does not measure jitter"},
      {traffic(
           R"([{"iperf3": {"client": "a", "server": "b", "protocol": "udp"}, "expect": {"rtt_avg": {"max": "1ms"}}}])"),
       "/traffic/0/expect/rtt_avg", "iperf3 does not measure round-trip times"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b", "protocol": "udp"}, "expect": {"gap": {"max": "1s"}}}])"),
       "/traffic/0/expect/gap", "only ping measures \"gap\""},
      {set("/traffic/0/expect", R"({"throughput": {"min": "1Mbit"}})"), "/traffic/0/expect/throughput",
       "ping does not measure throughput"},
      {set("/traffic/0/expect", R"({"jitter": {"max": "1ms"}})"), "/traffic/0/expect/jitter",
       "ping does not measure jitter"},
      {traffic(R"([{"exec": {"host": "a", "argv": ["true"]}, "expect": {"rtt_avg": {"max": "1ms"}}}])"),
       "/traffic/0/expect/rtt_avg", "an exec item is checked by its exit code only"},
      // expect: bounds
      {set("/traffic/0/expect", R"({"loss": {}})"), "/traffic/0/expect/loss", "needs \"min\", \"max\" or both"},
      {set("/traffic/0/expect", R"({"loss": {"min": "7%", "max": "3%"}})"), "/traffic/0/expect/loss",
       "min 7% is above max 3%"},
      {set("/traffic/0/expect", R"({"loss": "5%"})"), "/traffic/0/expect/loss", "expected an object, got a string"},
      {set("/traffic/0/expect", R"({"loss": {"maximum": "5%"}})"), "/traffic/0/expect/loss/maximum",
       "did you mean \"max\"?"},
      {set("/traffic/0/expect", R"({"loss": {"max": 5}})"), "/traffic/0/expect/loss/max",
       "expected a string (a percentage, e.g. \"5%\"), got an integer"},
      {traffic(R"([{"iperf3": {"client": "a", "server": "b"}, "expect": {"throughput": {"min": "10ms"}}}])"),
       "/traffic/0/expect/throughput/min", "is not a rate"},
      {set("/traffic/0/expect", R"({"exit_code": "0"})"), "/traffic/0/expect/exit_code",
       "expected an integer, got a string"},
      {set("/traffic/0/expect", R"({"exit_code": 256})"), "/traffic/0/expect/exit_code", "256 is not in 0..255"},
      // the first error in document order
      {R"([{"op": "add", "path": "/hosts/0/name", "value": "A"}, {"op": "add", "path": "/hosts/1/name", "value": "B"}])",
       "/hosts/0/name", "is not a host name"},
      {R"([{"op": "add", "path": "/hosts/0/x", "value": 1}, {"op": "add", "path": "/hosts/0/y", "value": 1}])",
       "/hosts/0/x", "unknown key"},
  };
  return cases;
}

TEST(ScenarioErrors, EachMalformedScenarioNamesItsPathAndProblem) {
  ASSERT_GE(bad_case_texts().size(), 40u);
  for (const BadCaseText& c : bad_case_texts()) {
    std::string text = c.patch;
    if (!text.empty() && text.front() == '[' && text.find("\"op\"") != std::string::npos) {
      text = OrderedJson::parse(kBase).patch(OrderedJson::parse(c.patch)).dump();
    }
    SCOPED_TRACE("case: " + c.patch);
    try {
      parse_scenario(text);
      ADD_FAILURE() << "no error; expected " << c.path << ": ..." << c.message;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.path(), c.path) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST(HostAddress, ParsedOnceIntoFamilyAddressAndPrefixLength) {
  const HostAddress v4 = parse_host_address("198.18.0.1/24");
  EXPECT_FALSE(v4.ipv6());
  EXPECT_EQ(v4.ip(), "198.18.0.1");
  EXPECT_EQ(v4.str(), "198.18.0.1/24");
  EXPECT_EQ(v4.prefix_length, 24);
  const HostAddress v6 = parse_host_address("2001:2:0::1/64");
  EXPECT_TRUE(v6.ipv6());
  EXPECT_EQ(v6.ip(), "2001:2::1");
  EXPECT_EQ(v6.str(), "2001:2::1/64");
  EXPECT_THROW(parse_host_address("198.18.0.1"), std::invalid_argument);
  EXPECT_THROW(parse_host_address("10.0.0.1/24"), std::invalid_argument);
}

TEST(ScenarioErrors, TheBaseOfTheMalformedCasesIsValid) { EXPECT_NO_THROW(parse_scenario(kBase)); }

// ---- The scenario files and the schema ----------------------------------------

TEST(ScenarioFiles, EveryScenarioInTheRepositoryParses) {
  const std::filesystem::path dir = std::filesystem::path(SYNNET_SOURCE_DIR) / "scenarios";
  std::vector<std::string> checked;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path& p = entry.path();
    if (p.extension() != ".json" || p.stem().extension() == ".schema") continue;  // the scenario and report schemas
    checked.push_back(p.filename().string());
    try {
      parse_scenario(read_text(p).value(), p.parent_path());  // traces relative to the file
    } catch (const ScenarioError& e) {
      ADD_FAILURE() << p.filename() << ": " << e.what();
    }
  }
  std::sort(checked.begin(), checked.end());
  std::string list;
  for (const std::string& name : checked) list += (list.empty() ? "" : " ") + name;
  RecordProperty("scenario_files", list.empty() ? "(none)" : list);
  std::cout << "[ checked  ] " << checked.size() << " scenario file(s) in " << dir.string() << ": "
            << (list.empty() ? "(none)" : list) << "\n";
}

// The schema's "properties" of each kind of object (see scenario_keys()).
const std::vector<std::pair<std::string, std::string>>& schema_objects() {
  static const std::vector<std::pair<std::string, std::string>> objects = {
      {"scenario", ""},
      {"host", "/$defs/host"},
      {"route", "/$defs/route"},
      {"service", "/$defs/service"},
      {"ready", "/$defs/ready"},
      {"switch", "/$defs/switch"},
      {"switch_path", "/$defs/switch_path"},
      {"link_end", "/$defs/link_end"},
      {"change", "/$defs/change"},
      {"link", "/$defs/link"},
      {"direction", "/$defs/direction"},
      {"flow", "/$defs/flow"},
      {"match", "/$defs/match"},
      {"loss", "/$defs/loss_model"},
      {"delay", "/$defs/delay_long"},
      {"jitter", "/$defs/jitter_long"},
      {"rate", "/$defs/rate_limit"},
      {"queue", "/$defs/queue"},
      {"slot", "/$defs/slot"},
      {"reorder", "/$defs/reorder"},
      {"outage", "/$defs/outage"},
      {"timeline", "/$defs/timeline_event"},
      {"traffic", "/$defs/traffic_item"},
      {"ping", "/$defs/ping"},
      {"iperf3", "/$defs/iperf3"},
      {"exec", "/$defs/exec"},
      {"expect", "/$defs/expect"},
      {"bound", "/$defs/bound_percent"},
      {"bound", "/$defs/bound_rate"},
      {"bound", "/$defs/bound_duration"},
  };
  return objects;
}

nlohmann::json load_schema() {
  const std::string text =
      read_text(std::filesystem::path(SYNNET_SOURCE_DIR) / "scenarios" / "synnet-scenario.schema.json").value();
  return nlohmann::json::parse(text);  // throws when it is not valid JSON
}

std::set<std::string> sorted(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

TEST(ScenarioSchema, DeclaresTheKeysTheParserAccepts) {
  nlohmann::json schema;
  ASSERT_NO_THROW(schema = load_schema());
  EXPECT_EQ(schema.value("$schema", ""), "https://json-schema.org/draft/2020-12/schema");
  for (const auto& [kind, pointer] : schema_objects()) {
    SCOPED_TRACE(kind + " at #" + pointer);
    const nlohmann::json::json_pointer at(pointer + "/properties");
    ASSERT_TRUE(schema.contains(at));
    std::set<std::string> declared;
    for (const auto& item : schema.at(at).items()) declared.insert(item.key());
    EXPECT_EQ(declared, sorted(scenario_keys(kind)));
    EXPECT_EQ(schema.at(nlohmann::json::json_pointer(pointer)).value("additionalProperties", true), false);
  }
}

TEST(ScenarioSchema, EveryObjectItDeclaresIsChecked) {
  const nlohmann::json schema = load_schema();
  std::set<std::string> mapped;
  for (const auto& [kind, pointer] : schema_objects()) mapped.insert(pointer);
  for (const auto& def : schema.at("$defs").items()) {
    if (def.value().contains("properties")) {
      EXPECT_TRUE(mapped.contains("/$defs/" + def.key()))
          << "$defs/" << def.key() << " is not compared with the parser";
    }
  }
}

// Every "$ref" in the schema points at something it defines.
void check_refs(const nlohmann::json& schema, const nlohmann::json& node, int& refs) {
  if (node.is_object()) {
    if (const auto ref = node.find("$ref"); ref != node.end()) {
      ++refs;
      const std::string target = ref->get<std::string>();
      ASSERT_EQ(target.rfind("#/", 0), 0u) << target;
      EXPECT_TRUE(schema.contains(nlohmann::json::json_pointer(target.substr(1)))) << target;
    }
  }
  if (node.is_structured()) {
    for (const auto& child : node) check_refs(schema, child, refs);
  }
}

TEST(ScenarioSchema, EveryReferenceResolves) {
  const nlohmann::json schema = load_schema();
  int refs = 0;
  check_refs(schema, schema, refs);
  EXPECT_GT(refs, 20);
}

// The effects table (effects.hpp) is what a direction and a flow may hold:
// every row has its key in the schema, and the schema no effect the table lacks.
TEST(ScenarioSchema, DeclaresEveryEffectOfTheTableAndNoOther) {
  const nlohmann::json schema = load_schema();
  std::set<std::string> effects;
  for_each_effect([&effects](const auto& effect) { effects.emplace(effect.key); });
  EXPECT_EQ(effects.size(), std::tuple_size_v<decltype(kEffects)>);
  for (const auto& [def, extra] :
       {std::pair{"/$defs/direction/properties", "flows"}, std::pair{"/$defs/flow/properties", "match"}}) {
    SCOPED_TRACE(def);
    std::set<std::string> declared;
    for (const auto& item : schema.at(nlohmann::json::json_pointer(def)).items()) declared.insert(item.key());
    std::set<std::string> expected = effects;
    expected.insert(extra);
    EXPECT_EQ(declared, expected);
  }
}

TEST(ScenarioSchema, KeysOfAnUnknownKindAreAnError) {
  EXPECT_THROW(scenario_keys("nonsense"), std::invalid_argument);
  EXPECT_FALSE(scenario_keys("scenario").empty());
}

}  // namespace
}  // namespace synnet
