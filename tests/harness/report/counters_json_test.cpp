// counters_json_test.cpp — an engine's counters as the control API's JSON
// (/v1/counters) and as Prometheus text (/metrics), the latter held to the
// exposition format's grammar by a small checker.
#include "harness/report/counters_json.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/apps/impair/chain.hpp"
#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impair_testing.hpp"

namespace synnet {
namespace {

using json_reader::Json;

EngineCounters some_counters() {
  EngineCounters c;
  c.apps = {
      {"ab_a", "rx_packets", CounterKind::packets, Drop::none, 80},
      {"ab_a", "rx_bytes", CounterKind::bytes, Drop::none, 120000},
      {"ab_a", "rx_ring", CounterKind::gauge, Drop::none, 1},
      {"ab_a_to_b_loss", "dropped_loss", CounterKind::drop, Drop::impairment, 4},
      {"ab_a_to_b_loss", "loss_bursts", CounterKind::events, Drop::none, 2},
      {"ab_a_to_b_corrupt", "corrupted", CounterKind::altered, Drop::none, 3},
      {"ab_b", "tx_error_EPERM", CounterKind::error, Drop::none, 5},
      {"ab_a_to_b_rate", "queue_wait_ns", CounterKind::time, Drop::none, 1500000},
  };
  c.links[LinkSpec::parse("ab_a.output -> ab_a_to_b_loss.input")] = {80, 120000, 80, 120000, 0};
  c.links[LinkSpec::parse("ab_a_to_b_loss.output -> ab_b.input")] = {76, 114000, 75, 112500, 1};
  return c;
}

TEST(CountersJson, AppsAndLinksAsTheApiShowsThem) {
  const Json j = counters_json(some_counters());
  ASSERT_EQ(j.at("apps").size(), 8u);
  EXPECT_EQ(j.at("apps")[0].dump(), R"({"app":"ab_a","name":"rx_packets","kind":"packets","value":80})");
  EXPECT_EQ(j.at("apps")[3].dump(),
            R"({"app":"ab_a_to_b_loss","name":"dropped_loss","kind":"drop","reason":"impairment","value":4})");
  EXPECT_EQ(j.at("apps")[6].at("kind"), "error");
  EXPECT_EQ(j.at("apps")[2].at("kind"), "gauge");
  EXPECT_EQ(j.at("apps")[7].at("kind"), "time");
  for (const Json& row : j.at("apps")) EXPECT_EQ(row.contains("reason"), row.at("kind") == "drop") << row.dump();
  ASSERT_EQ(j.at("links").size(), 2u);
  EXPECT_EQ(j.at("links")[1].dump(),
            R"({"link":"ab_a_to_b_loss.output -> ab_b.input","txpackets":76,"txbytes":114000,"rxpackets":75,)"
            R"("rxbytes":112500,"txdrop":1})");
  EXPECT_EQ(counters_json(EngineCounters{}).dump(), R"({"apps":[],"links":[]})");
}

// ---- The exposition format, version 0.0.4 ------------------------------------

struct Exposition {
  std::map<std::string, std::string> types;                 // family -> type
  std::map<std::string, std::vector<std::string>> samples;  // family -> its sample lines
  std::vector<std::string> errors;
};

// Reads `text` by the format's grammar: comment lines "# HELP name text" and
// "# TYPE name type" (before the family's samples, once each), sample lines
// `name{label="value",...} value`, names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
// [a-zA-Z_][a-zA-Z0-9_]*, values with only \\, \" and \n escapes, each
// family's lines together, and a newline at the end.
Exposition check_exposition(const std::string& text) {
  static const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*))");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*,?\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|\+Inf|-Inf))");
  Exposition e;
  if (!text.empty() && text.back() != '\n') e.errors.push_back("no newline at the end");
  std::set<std::string> helped, done;
  std::string current;  // the family whose lines are being read
  std::istringstream in(text);
  std::string line;
  int n = 0;
  const auto enter = [&](const std::string& family, const std::string& where) {
    if (family == current) return;
    if (done.contains(family)) e.errors.push_back(where + ": family " + family + " is not together");
    if (!current.empty()) done.insert(current);
    current = family;
  };
  while (std::getline(in, line)) {
    const std::string where = "line " + std::to_string(++n) + " \"" + line + "\"";
    std::smatch m;
    if (line.empty()) continue;
    if (std::regex_match(line, m, kHelp)) {
      enter(m[1], where);
      if (!helped.insert(m[1]).second) e.errors.push_back(where + ": a second HELP");
      if (e.samples.contains(m[1])) e.errors.push_back(where + ": HELP after samples");
    } else if (std::regex_match(line, m, kType)) {
      enter(m[1], where);
      if (!e.types.emplace(m[1], m[2]).second) e.errors.push_back(where + ": a second TYPE");
      if (e.samples.contains(m[1])) e.errors.push_back(where + ": TYPE after samples");
    } else if (line.starts_with("#")) {
      e.errors.push_back(where + ": a comment that is neither HELP nor TYPE");
    } else if (std::regex_match(line, m, kSample)) {
      const std::string name = m[1];
      enter(name, where);
      if (!e.types.contains(name) || !helped.contains(name)) e.errors.push_back(where + ": no HELP and TYPE before");
      e.samples[name].push_back(line);
    } else {
      e.errors.push_back(where + ": not a sample line");
    }
  }
  for (const auto& [family, type] : e.types) {
    if (!std::regex_match(family, kName)) e.errors.push_back("bad name " + family);
  }
  return e;
}

TEST(PrometheusText, TheCheckerRefusesWhatTheFormatDoes) {
  EXPECT_TRUE(check_exposition("# HELP a_total x\n# TYPE a_total counter\na_total{run=\"r\"} 1\n").errors.empty());
  EXPECT_FALSE(check_exposition("a_total{run=\"r\"} 1\n").errors.empty()) << "no HELP and TYPE";
  EXPECT_FALSE(check_exposition("# HELP a x\n# TYPE a gauge\na{run=\"r\"\"} 1\n").errors.empty()) << "bad quote";
  EXPECT_FALSE(check_exposition("# HELP a x\n# TYPE a gauge\n1a{run=\"r\"} 1\n").errors.empty()) << "bad name";
  EXPECT_FALSE(check_exposition("# HELP a x\n# TYPE a gauge\na{run=\"r\"} x\n").errors.empty()) << "bad value";
  EXPECT_FALSE(check_exposition("# HELP a x\n# TYPE a gauge\n# HELP b x\n# TYPE b gauge\nb 1\na 1\n").errors.empty())
      << "families apart";
  EXPECT_FALSE(check_exposition("# HELP a x\n# TYPE a gauge\na 1").errors.empty()) << "no final newline";
}

TEST(PrometheusText, EveryFamilyWithItsSamples) {
  const std::string text = prometheus_text(some_counters(), "snx3");
  const Exposition e = check_exposition(text);
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors) << "\n" << text;
  EXPECT_EQ(e.types, (std::map<std::string, std::string>{
                         {"synnet_app_packets_total", "counter"},
                         {"synnet_app_bytes_total", "counter"},
                         {"synnet_app_events_total", "counter"},
                         {"synnet_app_altered_total", "counter"},
                         {"synnet_app_errors_total", "counter"},
                         {"synnet_app_drops_total", "counter"},
                         {"synnet_app_gauge", "gauge"},
                         {"synnet_app_nanoseconds_total", "counter"},
                         {"synnet_link_tx_packets_total", "counter"},
                         {"synnet_link_tx_bytes_total", "counter"},
                         {"synnet_link_rx_packets_total", "counter"},
                         {"synnet_link_rx_bytes_total", "counter"},
                         {"synnet_link_tx_drops_total", "counter"},
                     }));
  const auto has = [&](const std::string& line) { return text.find("\n" + line + "\n") != std::string::npos; };
  EXPECT_TRUE(has(R"(synnet_app_packets_total{run="snx3",app="ab_a",counter="rx_packets"} 80)")) << text;
  EXPECT_TRUE(has(R"(synnet_app_bytes_total{run="snx3",app="ab_a",counter="rx_bytes"} 120000)"));
  EXPECT_TRUE(has(R"(synnet_app_gauge{run="snx3",app="ab_a",counter="rx_ring"} 1)"));
  EXPECT_TRUE(
      has(R"(synnet_app_drops_total{run="snx3",app="ab_a_to_b_loss",counter="dropped_loss",reason="impairment"} 4)"));
  EXPECT_TRUE(has(R"(synnet_app_events_total{run="snx3",app="ab_a_to_b_loss",counter="loss_bursts"} 2)"));
  EXPECT_TRUE(has(R"(synnet_app_altered_total{run="snx3",app="ab_a_to_b_corrupt",counter="corrupted"} 3)"));
  EXPECT_TRUE(has(R"(synnet_app_errors_total{run="snx3",app="ab_b",counter="tx_error_EPERM"} 5)"));
  EXPECT_TRUE(has(R"(synnet_app_nanoseconds_total{run="snx3",app="ab_a_to_b_rate",counter="queue_wait_ns"} 1500000)"));
  EXPECT_TRUE(has(R"(synnet_link_tx_drops_total{run="snx3",link="ab_a_to_b_loss.output -> ab_b.input"} 1)"));
  EXPECT_TRUE(has(R"(synnet_link_rx_bytes_total{run="snx3",link="ab_a.output -> ab_a_to_b_loss.input"} 120000)"));
  EXPECT_EQ(e.samples.at("synnet_link_tx_packets_total").size(), 2u);
  EXPECT_FALSE(e.samples.contains("synnet_app_drops_total") &&
               e.samples.at("synnet_app_drops_total")[0].find("reason=\"\"") != std::string::npos);
  EXPECT_TRUE(text.starts_with("# HELP synnet_app_packets_total "));
}

TEST(PrometheusText, LabelValuesAreEscaped) {
  EngineCounters c;
  c.apps = {{"odd\"app\\", "line\nbreak", CounterKind::packets, Drop::none, 7}};
  const std::string text = prometheus_text(c, "r\"1");
  EXPECT_TRUE(check_exposition(text).errors.empty()) << text;
  EXPECT_NE(text.find(R"(synnet_app_packets_total{run="r\"1",app="odd\"app\\",counter="line\nbreak"} 7)"),
            std::string::npos)
      << text;
}

TEST(PrometheusText, NoCountersStillNamesEveryFamily) {
  const std::string text = prometheus_text(EngineCounters{}, "snx");
  const Exposition e = check_exposition(text);
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  EXPECT_EQ(e.types.size(), 13u);
  EXPECT_TRUE(e.samples.empty());
}

// A real engine's counters: every one of them is a sample, and the output parses.
TEST(PrometheusText, ARealEnginesCounters) {
  ManualClock clock;
  Engine engine({.packets = 4096, .seed = 3, .clock = &clock, .log = nullptr});
  Config config;
  config.app<testing::SeqSource>("a", {.size = 100, .per_pull = 50, .remaining = 50}).app<testing::Recorder>("b");
  DirectionSpec d;
  d.impairments.loss = LossSpec{.ratio = 0.3};
  d.impairments.corrupt = CorruptSpec{.ratio = 0.3};
  d.impairments.rate = RateSpec{.rate_bps = 1'000'000};
  d.impairments.latency = LatencySpec{.delay_us = 1000};
  add_direction(config, "ab_a_to_b", d, "a.output", "b.input");
  engine.configure(config);
  engine.breathe();
  const EngineCounters c = engine.counters();
  const std::string text = prometheus_text(c, "snx");
  const Exposition e = check_exposition(text);
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors) << "\n" << text;
  std::size_t samples = 0;
  for (const auto& [family, lines] : e.samples) samples += lines.size();
  EXPECT_EQ(samples, c.apps.size() + 5 * c.links.size());
  EXPECT_EQ(counters_json(c).at("apps").size(), c.apps.size());
  EXPECT_EQ(counters_json(c).at("links").size(), c.links.size());
}

}  // namespace
}  // namespace synnet
