// report_test.cpp — RunReport's counts, the terminal report, the JSON
// document (a round trip of every field) and JUnit XML (escaping, counts,
// parsed back by a small XML reader below, and by xmllint when installed).
#include "harness/report/report.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

namespace synnet {
namespace {

Check check(std::string figure, std::string expected, std::string measured, bool pass, std::optional<double> value,
            std::string warning = "") {
  Check c;
  c.figure = std::move(figure);
  c.expected = std::move(expected);
  c.measured = std::move(measured);
  c.pass = pass;
  c.value = value;
  c.warning = std::move(warning);
  return c;
}

// Two items: a ping that held, a UDP iperf3 whose loss did not.
RunReport sample() {
  RunReport r;
  r.scenario = "lossy-link";
  r.file = "scenarios/lossy-link.json";
  r.seed = 42;
  r.prefix = "snk3f9a";
  r.seconds = 12.34;

  ItemReport ping;
  ping.name = "ping";
  ping.kind = "ping";
  ping.command = "ping -c 20 -i 0.2 198.18.0.2";
  ping.seconds = 2.1;
  ping.measurement.loss = 0;
  ping.measurement.rtt_min = 0.0795;
  ping.measurement.rtt_avg = 0.0803;
  ping.measurement.rtt_max = 0.0812;
  ping.measurement.exit_code = 0;
  ping.measurement.packets_sent = 20;
  ping.measurement.packets_received = 20;
  ping.checks.push_back(check("loss", "<= 1%", "0%", true, 0.0,
                              "loss bound <= 1% rests on 20 packets: one lost packet is 5%; use at least 100 packets"));
  ping.checks.push_back(check("rtt_avg", "<= 90 ms", "80.3 ms", true, 0.0803));
  r.items.push_back(ping);

  ItemReport udp;
  udp.name = "udp";
  udp.kind = "iperf3";
  udp.command = "iperf3 -c 198.18.0.2 -u -b 5M -t 5 --json";
  udp.seconds = 5.2;
  udp.measurement.loss = 0.112;
  udp.measurement.throughput = 4.44e6;
  udp.measurement.jitter = 2.5e-5;
  udp.measurement.exit_code = 0;
  udp.measurement.packets_sent = 2160;
  udp.measurement.packets_received = 1918;
  udp.checks.push_back(check("loss", "3% .. 7%", "11.2%", false, 0.112));
  r.items.push_back(udp);

  r.timeline = {"2.00 s: a-b a_to_b {loss 100%}"};
  r.counters.apps = {
      {"a_to_b_latency", "queued", CounterKind::gauge, Drop::none, 0},
      {"a_to_b_loss", "forwarded", CounterKind::packets, Drop::none, 948},
      {"a_to_b_loss", "dropped_loss", CounterKind::drop, Drop::impairment, 52},
      {"if_b", "rx_error", CounterKind::error, Drop::none, 1},
      {"if_b", "rxpackets", CounterKind::packets, Drop::none, 1918},
  };
  r.counters.links[LinkSpec::parse("if_a.output -> a_to_b_loss.input")] = {.txpackets = 1000, .txdrop = 3};
  r.counters.links[LinkSpec::parse("a_to_b_loss.output -> if_b.input")] = {.txpackets = 948};
  return r;
}

// Two services: one stopped at teardown, one that exited on its own and failed the run.
RunReport with_services() {
  RunReport r = sample();
  r.items[1].checks[0].pass = true;  // so only the services decide
  ServiceReport web;
  web.host = "n1";
  web.name = "web";
  web.command = "python3 -m http.server 8080";
  web.ended = "killed by SIGTERM";
  web.stopped = true;
  web.seconds = 11.5;
  web.errors = "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\n";
  r.services.push_back(web);
  ServiceReport db;
  db.host = "n2";
  db.name = "db";
  db.command = "sh -c 'exit 1'";
  db.ended = "exited with status 1";
  db.seconds = 3.25;
  db.output = "starting\n\x1b[2Jcleared\r\xff\n";
  db.failure = "exited with status 1 before teardown";
  r.services.push_back(db);
  return r;
}

std::string printed(const RunReport& r, bool color) {
  std::ostringstream out;
  print_report(out, r, color);
  return out.str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string line_starting(const std::string& text, const std::string& start) {
  for (const std::string& line : lines_of(text)) {
    if (line.rfind(start, 0) == 0) return line;
  }
  return "(no line starts with \"" + start + "\")";
}

// ---- RunReport ---------------------------------------------------------------------

TEST(ReportRun, CountsAndVerdict) {
  RunReport r = sample();
  EXPECT_EQ(r.checks_total(), 3u);
  EXPECT_EQ(r.checks_failed(), 1u);
  EXPECT_FALSE(r.passed());
  EXPECT_TRUE(r.items[0].passed());
  EXPECT_FALSE(r.items[1].passed());
  r.items[1].checks[0].pass = true;
  EXPECT_EQ(r.checks_failed(), 0u);
  EXPECT_TRUE(r.passed());
  r.items[0].error = "the server never listened";
  EXPECT_FALSE(r.items[0].passed());
  EXPECT_FALSE(r.passed());
  r.items[0].error.clear();
  r.error = "engine failed: if_a: interface deleted";
  EXPECT_FALSE(r.passed());
  EXPECT_TRUE(RunReport{}.passed());
}

TEST(ReportRun, AFailedServiceFailsTheRun) {
  RunReport r = with_services();
  EXPECT_TRUE(r.services[0].passed());
  EXPECT_FALSE(r.services[1].passed());
  EXPECT_FALSE(r.passed());
  r.services[1].failure.clear();
  EXPECT_TRUE(r.passed());
}

// ---- terminal -------------------------------------------------------------------------

TEST(ReportPrint, ServicesSectionWithLastLinesMadePrintable) {
  const std::string text = printed(with_services(), false);
  EXPECT_TRUE(contains(text,
                       "\nservices:\n"
                       "  n1/web  (python3 -m http.server 8080)  stopped at teardown: killed by SIGTERM  PASS\n"
                       "    stderr (its last lines; all of it in --json):\n"
                       "      | line 3\n      | line 4\n      | line 5\n      | line 6\n      | line 7\n"
                       "  n2/db  (sh -c 'exit 1')  exited with status 1  FAIL\n"
                       "    failure: exited with status 1 before teardown\n"
                       "    stdout:\n"
                       "      | starting\n"
                       "      | \uFFFD[2Jcleared\uFFFD\uFFFD\n"))
      << text;
  EXPECT_FALSE(contains(text, "line 2")) << "only the last 5 lines";
  EXPECT_FALSE(contains(text, "\x1b")) << "a service's escape sequences do not reach the terminal";
  EXPECT_EQ(lines_of(text).back(),
            "lossy-link: FAIL (3 of 3 expectations held; failed services: n2/db) in 12.3 s, seed 42");
  EXPECT_FALSE(contains(printed(sample(), false), "services:")) << "no section without services";
}

TEST(ReportPrint, ServicesInColor) {
  const std::string text = printed(with_services(), true);
  EXPECT_TRUE(contains(text, "killed by SIGTERM  \x1b[32mPASS\x1b[0m\n")) << text;
  EXPECT_TRUE(contains(text, "exited with status 1  \x1b[31;1mFAIL\x1b[0m\n")) << text;
  EXPECT_TRUE(contains(text, "\x1b[31mfailure:\x1b[0m exited with status 1 before teardown\n")) << text;
}

TEST(ReportPrint, ItemsRowsAndSummary) {
  const std::string text = printed(sample(), false);
  EXPECT_EQ(lines_of(text).front(), "lossy-link  (scenarios/lossy-link.json)  seed 42, prefix snk3f9a");
  EXPECT_TRUE(contains(text, "\nping  (ping -c 20 -i 0.2 198.18.0.2)  2.1 s  PASS\n")) << text;
  EXPECT_TRUE(contains(text, "\nudp  (iperf3 -c 198.18.0.2 -u -b 5M -t 5 --json)  5.2 s  FAIL\n")) << text;
  // Columns aligned within an item.
  EXPECT_TRUE(contains(text, "\n  loss     <= 1%     0%       PASS\n  rtt_avg  <= 90 ms  80.3 ms  PASS\n")) << text;
  EXPECT_TRUE(contains(text, "\n  loss  3% .. 7%  11.2%  FAIL\n")) << text;
  EXPECT_TRUE(contains(
      text, "\n  warning: loss bound <= 1% rests on 20 packets: one lost packet is 5%; use at least 100 packets\n"));
  EXPECT_EQ(lines_of(text).back(), "lossy-link: FAIL (2 of 3 expectations held; failed: udp.loss) in 12.3 s, seed 42");
  EXPECT_FALSE(contains(text, "\x1b")) << "no ANSI codes without color";
}

TEST(ReportPrint, UncheckedFiguresAreShown) {
  const std::string text = printed(sample(), false);
  EXPECT_TRUE(
      contains(text, "  also measured: rtt_min 79.5 ms, rtt_max 81.2 ms, exit_code 0, packets 20 sent, 20 received\n"))
      << text;
  EXPECT_TRUE(contains(
      text, "  also measured: throughput 4.44 Mbit/s, jitter 25 us, exit_code 0, packets 2160 sent, 1918 received\n"))
      << text;
}

TEST(ReportPrint, AllPassSummary) {
  RunReport r = sample();
  r.items[1].checks[0] = check("loss", "3% .. 7%", "5.12%", true, 0.0512);
  r.items.push_back(r.items[0]);
  r.items.back().name = "ping2";
  EXPECT_EQ(lines_of(printed(r, false)).back(), "lossy-link: PASS (5 of 5 expectations held) in 12.3 s, seed 42");
  r.items.resize(1);
  r.items[0].checks.resize(1);
  EXPECT_EQ(lines_of(printed(r, false)).back(), "lossy-link: PASS (1 of 1 expectation held) in 12.3 s, seed 42");
}

TEST(ReportPrint, FailedChecksListedByItemAndFigure) {
  RunReport r = sample();
  r.items[0].checks[1] = check("rtt_avg", "<= 90 ms", "95.1 ms", false, 0.0951);
  EXPECT_EQ(lines_of(printed(r, false)).back(),
            "lossy-link: FAIL (1 of 3 expectations held; failed: ping.rtt_avg, udp.loss) in 12.3 s, seed 42");
}

TEST(ReportPrint, ItemErrorAndRunError) {
  RunReport r = sample();
  r.items[1].error = "iperf3 server on b never listened on port 5201 (deadline 5 s)";
  r.items[1].measurement.error = "iperf3: unable to connect";
  r.error = "engine failed: if_a: interface deleted";
  const std::string text = printed(r, false);
  EXPECT_TRUE(contains(text, "\n  error: iperf3 server on b never listened on port 5201 (deadline 5 s)\n")) << text;
  EXPECT_TRUE(contains(text, "\n  tool: iperf3: unable to connect\n")) << text;
  // Not twice when a check already shows it.
  r.items[1].checks[0].measured = "not measured (iperf3: unable to connect)";
  EXPECT_FALSE(contains(printed(r, false), "tool: ")) << text;
  EXPECT_TRUE(contains(text, "\nerror: engine failed: if_a: interface deleted\n")) << text;
  EXPECT_EQ(lines_of(text).back(),
            "lossy-link: FAIL (2 of 3 expectations held; failed: udp.loss; could not run: udp; the run ended early) "
            "in 12.3 s, seed 42");
}

TEST(ReportPrint, CountersNonZeroGroupedByAppDropsFirst) {
  const std::string text = printed(sample(), false);
  const std::size_t section = text.find("\nengine counters (non-zero):\n");
  ASSERT_NE(section, std::string::npos) << text;
  EXPECT_EQ(line_starting(text, "  a_to_b_loss"), "  a_to_b_loss  dropped_loss 52, forwarded 948");
  EXPECT_EQ(line_starting(text, "  if_b"), "  if_b         rx_error 1, rxpackets 1918");
  EXPECT_FALSE(contains(text, "a_to_b_latency")) << "zero counters are left out";
  // Links: only a drop is shown, traffic volume is not.
  EXPECT_EQ(line_starting(text, "  link "), "  link if_a.output -> a_to_b_loss.input  txdrop 3");
  EXPECT_FALSE(contains(text, "txpackets"));
  EXPECT_FALSE(contains(text, "a_to_b_loss.output -> if_b.input"));
}

TEST(ReportPrint, DropsAndErrorsComeFirstByKindNotByName) {
  RunReport r = sample();
  r.counters.apps = {{"a_to_b_rate", "bytes_queued", CounterKind::gauge, Drop::none, 5},
                     {"a_to_b_rate", "dropped_like_a_name", CounterKind::events, Drop::none, 6},
                     {"a_to_b_rate", "abc", CounterKind::drop, Drop::queue_full, 2},
                     {"if_a", "rxpackets", CounterKind::packets, Drop::none, 9},
                     {"if_a", "tries_failed", CounterKind::error, Drop::none, 4}};
  const std::string text = printed(r, false);
  EXPECT_EQ(line_starting(text, "  a_to_b_rate"), "  a_to_b_rate  abc 2, bytes_queued 5, dropped_like_a_name 6")
      << text;
  EXPECT_EQ(line_starting(text, "  if_a"), "  if_a         tries_failed 4, rxpackets 9") << text;
  const std::string colored = printed(r, true);
  EXPECT_TRUE(contains(colored, "\x1b[31mabc 2\x1b[0m")) << colored;
  EXPECT_FALSE(contains(colored, "\x1b[31mdropped_like_a_name")) << colored;
}

TEST(ReportPrint, CapturesListEachFileAndWhatWasLeftOut) {
  RunReport r = sample();
  EXPECT_FALSE(contains(printed(r, false), "captures")) << "no section without --capture";
  r.captures.push_back({.link = "a-b",
                        .direction = "a_to_b",
                        .path = "out/a-b.a_to_b.pcapng",
                        .frames = 1200,
                        .written = 1200,
                        .bytes = 1'234'000});
  r.captures.push_back({.link = "a-b",
                        .direction = "b_to_a",
                        .path = "out/a-b.b_to_a.pcapng",
                        .frames = 9,
                        .written = 1,
                        .not_written = 8,
                        .bytes = 400});
  const std::string text = printed(r, false);
  EXPECT_EQ(line_starting(text, "  out/a-b.a_to_b.pcapng"), "  out/a-b.a_to_b.pcapng  1200 frames, 1.23 MB");
  EXPECT_EQ(line_starting(text, "  out/a-b.b_to_a.pcapng"),
            "  out/a-b.b_to_a.pcapng  1 frame, 400 B, 8 not written (the file reached its --capture-limit)");
}

TEST(ReportPrint, NoCounterSectionWhenAllAreZero) {
  RunReport r = sample();
  r.counters.apps = {{"a_to_b_loss", "dropped_loss", CounterKind::drop, Drop::impairment, 0}};
  r.counters.links.clear();
  EXPECT_FALSE(contains(printed(r, false), "engine counters"));
}

TEST(ReportPrint, Timeline) {
  const std::string text = printed(sample(), false);
  EXPECT_TRUE(contains(text, "\ntimeline:\n  2.00 s: a-b a_to_b {loss 100%}\n")) << text;
}

TEST(ReportPrint, ColorPaintsPassGreenFailRed) {
  const std::string text = printed(sample(), true);
  EXPECT_TRUE(contains(text, "\x1b[32mPASS\x1b[0m"));
  EXPECT_TRUE(contains(text, "\x1b[31;1mFAIL\x1b[0m"));
  EXPECT_TRUE(contains(text, "\x1b[31mdropped_loss 52\x1b[0m"));
  EXPECT_TRUE(contains(text, "\x1b[33mwarning:\x1b[0m"));
  // Same text once the codes are gone.
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      i = text.find('m', i);
      continue;
    }
    plain += text[i];
  }
  EXPECT_EQ(plain, printed(sample(), false));
}

// ---- JSON ------------------------------------------------------------------------------

TEST(ReportJson, EveryFieldRoundTrips) {
  RunReport r = sample();
  r.items[1].measurement.retransmits = 7;
  const nlohmann::json j = nlohmann::json::parse(report_json(r).dump(2));
  EXPECT_EQ(j["version"], 4);
  EXPECT_EQ(j["scenario"], "lossy-link");
  EXPECT_EQ(j["file"], "scenarios/lossy-link.json");
  EXPECT_EQ(j["seed"], 42u);
  EXPECT_EQ(j["prefix"], "snk3f9a");
  EXPECT_EQ(j["passed"], false);
  EXPECT_DOUBLE_EQ(j["seconds"].get<double>(), 12.34);
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(j["checks"]["total"], 3u);
  EXPECT_EQ(j["checks"]["failed"], 1u);
  ASSERT_EQ(j["items"].size(), 2u);

  const nlohmann::json& ping = j["items"][0];
  EXPECT_EQ(ping["name"], "ping");
  EXPECT_EQ(ping["kind"], "ping");
  EXPECT_EQ(ping["command"], "ping -c 20 -i 0.2 198.18.0.2");
  EXPECT_DOUBLE_EQ(ping["seconds"].get<double>(), 2.1);
  EXPECT_EQ(ping["passed"], true);
  EXPECT_TRUE(ping["error"].is_null());
  const nlohmann::json& pm = ping["measurement"];
  EXPECT_EQ(pm["loss"], 0.0);
  EXPECT_EQ(pm["rtt_min"], 0.0795);
  EXPECT_EQ(pm["rtt_avg"], 0.0803);
  EXPECT_EQ(pm["rtt_max"], 0.0812);
  EXPECT_TRUE(pm["rtt_mdev"].is_null());
  EXPECT_TRUE(pm["throughput"].is_null());
  EXPECT_TRUE(pm["jitter"].is_null());
  EXPECT_TRUE(pm["gap"].is_null());
  EXPECT_TRUE(pm["retransmits"].is_null());
  EXPECT_TRUE(pm["error"].is_null());
  EXPECT_EQ(pm["exit_code"], 0);
  EXPECT_EQ(pm["packets_sent"], 20u);
  EXPECT_EQ(pm["packets_received"], 20u);
  ASSERT_EQ(ping["checks"].size(), 2u);
  const nlohmann::json& c0 = ping["checks"][0];
  EXPECT_EQ(c0["figure"], "loss");
  EXPECT_EQ(c0["expected"], "<= 1%");
  EXPECT_EQ(c0["measured"], "0%");
  EXPECT_EQ(c0["value"], 0.0);
  EXPECT_EQ(c0["pass"], true);
  EXPECT_EQ(c0["warning"], "loss bound <= 1% rests on 20 packets: one lost packet is 5%; use at least 100 packets");
  EXPECT_TRUE(ping["checks"][1]["warning"].is_null());

  const nlohmann::json& udp = j["items"][1];
  EXPECT_EQ(udp["passed"], false);
  EXPECT_EQ(udp["measurement"]["throughput"], 4.44e6);
  EXPECT_EQ(udp["measurement"]["jitter"], 2.5e-5);
  EXPECT_EQ(udp["measurement"]["retransmits"], 7u);
  EXPECT_EQ(udp["checks"][0]["pass"], false);
  EXPECT_EQ(udp["checks"][0]["measured"], "11.2%");
  EXPECT_EQ(udp["checks"][0]["value"], 0.112);

  EXPECT_EQ(j["timeline"], nlohmann::json::array({"2.00 s: a-b a_to_b {loss 100%}"}));
  const nlohmann::json& apps = j["counters"]["apps"];
  ASSERT_EQ(apps.size(), r.counters.apps.size()) << "all counters, zeros too";
  EXPECT_EQ(apps[0],
            nlohmann::json::parse(
                R"({"app": "a_to_b_latency", "name": "queued", "kind": "gauge", "reason": null, "value": 0})"));
  EXPECT_EQ(apps[2], nlohmann::json::parse(R"({"app": "a_to_b_loss", "name": "dropped_loss", "kind": "drop",
                                               "reason": "impairment", "value": 52})"));
  const nlohmann::json& links = j["counters"]["links"];
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[1], nlohmann::json::parse(R"({"link": "if_a.output -> a_to_b_loss.input", "txpackets": 1000,
                                                "txbytes": 0, "rxpackets": 0, "rxbytes": 0, "txdrop": 3})"));
}

TEST(ReportJson, SchemaKeysAlwaysPresent) {
  RunReport r;
  r.items.push_back(ItemReport{});
  r.items[0].checks.push_back(Check{});
  const nlohmann::json j = report_json(r);
  for (const char* key : {"version", "scenario", "file", "seed", "replay", "prefix", "passed", "seconds", "error",
                          "checks", "items", "services", "timeline", "events", "series", "captures", "counters"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  const nlohmann::json& item = j["items"][0];
  for (const char* key : {"name", "kind", "command", "start", "seconds", "passed", "error", "measurement", "checks",
                          "intervals", "replies"}) {
    EXPECT_TRUE(item.contains(key)) << key;
  }
  for (const char* key : {"loss", "throughput", "rtt_min", "rtt_avg", "rtt_max", "rtt_mdev", "jitter", "gap",
                          "exit_code", "packets_sent", "packets_received", "retransmits", "error"}) {
    EXPECT_TRUE(item["measurement"].contains(key)) << key;
  }
  for (const char* key : {"figure", "expected", "measured", "value", "min", "max", "pass", "warning"}) {
    EXPECT_TRUE(item["checks"][0].contains(key)) << key;
  }
  EXPECT_TRUE(j["counters"]["apps"].is_array());
  EXPECT_TRUE(j["counters"]["links"].is_array());
  EXPECT_TRUE(j["timeline"].is_array());
  EXPECT_EQ(j["events"], nlohmann::json::array());
  EXPECT_EQ(j["captures"], nlohmann::json::array());
  EXPECT_EQ(j["series"], nlohmann::json::parse(R"({"interval": 0.1, "dropped": 0, "links": {}})"));
  EXPECT_EQ(item["intervals"], nlohmann::json::array());
  EXPECT_EQ(item["replies"], nlohmann::json::array());
  EXPECT_TRUE(item["checks"][0]["min"].is_null());
  EXPECT_TRUE(item["checks"][0]["max"].is_null());
}

TEST(ReportJson, ReplayEventsAndBoundsAsTheyAre) {
  RunReport r = sample();
  r.replay = "synnet-test scenarios/lossy-link.json --seed 42";
  r.events = {{.t = 2.0004, .source = "", .what = "a-b a_to_b {loss 100%}"},
              {.t = 3.5, .source = "step heal", .what = "heal"},
              {.t = 4.25, .source = "api", .what = "partition n1 | n2"}};
  r.items[1].checks[0].min = 0.03;
  r.items[1].checks[0].max = 0.07;
  r.items[0].checks[1].max = 0.09;
  const nlohmann::json j = report_json(r);
  EXPECT_EQ(j["replay"], "synnet-test scenarios/lossy-link.json --seed 42");
  EXPECT_EQ(j["events"], nlohmann::json::parse(R"([{"t": 2.0004, "source": "", "what": "a-b a_to_b {loss 100%}"},
                                                   {"t": 3.5, "source": "step heal", "what": "heal"},
                                                   {"t": 4.25, "source": "api", "what": "partition n1 | n2"}])"));
  EXPECT_EQ(j["items"][1]["checks"][0]["min"], 0.03);
  EXPECT_EQ(j["items"][1]["checks"][0]["max"], 0.07);
  EXPECT_TRUE(j["items"][0]["checks"][1]["min"].is_null());
  EXPECT_EQ(j["items"][0]["checks"][1]["max"], 0.09);
}

TEST(ReportJson, CapturesAsTheyAre) {
  RunReport r;
  r.captures.push_back({.link = "a-b",
                        .direction = "a_to_b",
                        .path = "out/a-b.a_to_b.pcapng",
                        .frames = 10,
                        .written = 8,
                        .not_written = 2,
                        .bytes = 1200});
  EXPECT_EQ(report_json(r)["captures"], nlohmann::json::parse(R"([{"link": "a-b", "direction": "a_to_b",
      "path": "out/a-b.a_to_b.pcapng", "frames": 10, "written": 8, "not_written": 2, "bytes": 1200, "error": null}])"));
}

TEST(ReportJson, IntervalsAndRepliesOnTheRunsClock) {
  RunReport r = sample();
  r.items[0].start = 1.5;
  r.items[0].measurement.replies = {{.seq = 1, .t = 0, .rtt = 0.0801}, {.seq = 2, .t = 0.2, .rtt = std::nullopt}};
  r.items[1].start = 4.0;
  r.items[1].measurement.intervals = {
      {.start = 0, .end = 1.0001, .bits_per_second = 4.5e6, .packets = 400, .lost = 50},
      {.start = 1.0001, .end = 2.0, .bits_per_second = 4.4e6, .retransmits = 3},
  };
  const nlohmann::json j = report_json(r);
  EXPECT_EQ(j["items"][0]["start"], 1.5);
  EXPECT_EQ(j["items"][0]["replies"], nlohmann::json::parse(R"([{"seq": 1, "t": 1.5, "rtt": 0.0801},
                                                                {"seq": 2, "t": 1.7, "rtt": null}])"));
  EXPECT_EQ(j["items"][0]["intervals"], nlohmann::json::array());
  EXPECT_EQ(j["items"][1]["replies"], nlohmann::json::array());
  EXPECT_EQ(j["items"][1]["intervals"],
            nlohmann::json::parse(R"([{"start": 4.0, "end": 5.0001, "bits_per_second": 4.5e6, "retransmits": null,
                                       "packets": 400, "lost": 50},
                                      {"start": 5.0001, "end": 6.0, "bits_per_second": 4.4e6, "retransmits": 3,
                                       "packets": null, "lost": null}])"));
}

TEST(ReportJson, SeriesColumnByColumnPerLinkDirection) {
  RunReport r = sample();
  r.series_interval_ms = 100;
  r.series_dropped = 12;
  SeriesSample s1{.seq = 12, .t = 1.2000004};
  s1.links["a-b"]["a_to_b"] = {.packets_in = 10,
                               .bytes_in = 15000,
                               .packets_out = 9,
                               .bytes_out = 13500,
                               .drops = {{"impairment", 1}},
                               .queue = 2,
                               .queue_delay = 0.004};
  s1.links["a-b"]["b_to_a"] = {.packets_in = 5, .bytes_in = 300, .packets_out = 5, .bytes_out = 300};
  SeriesSample s2{.seq = 13, .t = 1.3};
  s2.links["a-b"]["a_to_b"] = {.packets_in = 11,
                               .bytes_in = 16500,
                               .packets_out = 8,
                               .bytes_out = 12000,
                               .drops = {{"queue_full", 3}},
                               .queue = 0};
  s2.links["a-b"]["b_to_a"] = {};
  s2.links["c-d"]["a_to_b"] = {.packets_in = 1, .bytes_in = 60, .packets_out = 1, .bytes_out = 60};  // a newcomer
  r.series = {s1, s2};
  const nlohmann::json j = report_json(r);
  EXPECT_EQ(j["series"]["interval"], 0.1);
  EXPECT_EQ(j["series"]["dropped"], 12u);
  EXPECT_EQ(j["series"]["links"]["a-b"]["a_to_b"], nlohmann::json::parse(R"({
      "t": [1.2, 1.3], "packets_in": [10, 11], "bytes_in": [15000, 16500], "packets_out": [9, 8],
      "bytes_out": [13500, 12000], "queue": [2, 0], "queue_delay": [0.004, null],
      "drops": {"impairment": [1, 0], "queue_full": [0, 3]}})"));
  EXPECT_EQ(j["series"]["links"]["a-b"]["b_to_a"], nlohmann::json::parse(R"({
      "t": [1.2, 1.3], "packets_in": [5, 0], "bytes_in": [300, 0], "packets_out": [5, 0], "bytes_out": [300, 0],
      "queue": [0, 0], "queue_delay": [null, null], "drops": {}})"));
  EXPECT_EQ(j["series"]["links"]["c-d"]["a_to_b"]["t"], nlohmann::json::parse("[1.3]"));
  EXPECT_FALSE(j["series"]["links"]["c-d"].contains("b_to_a"));
}

TEST(ReportJson, ServicesWithAllTheirOutput) {
  const nlohmann::json j = nlohmann::json::parse(report_json(with_services()).dump());
  EXPECT_EQ(j["passed"], false);
  ASSERT_EQ(j["services"].size(), 2u);
  const nlohmann::json& web = j["services"][0];
  EXPECT_EQ(web["host"], "n1");
  EXPECT_EQ(web["name"], "web");
  EXPECT_EQ(web["command"], "python3 -m http.server 8080");
  EXPECT_EQ(web["ended"], "killed by SIGTERM");
  EXPECT_EQ(web["stopped"], true);
  EXPECT_DOUBLE_EQ(web["seconds"].get<double>(), 11.5);
  EXPECT_EQ(web["passed"], true);
  EXPECT_TRUE(web["failure"].is_null());
  EXPECT_EQ(web["errors"], "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\n") << "all of it";
  EXPECT_EQ(web["output"], "");
  const nlohmann::json& db = j["services"][1];
  EXPECT_EQ(db["stopped"], false);
  EXPECT_EQ(db["passed"], false);
  EXPECT_EQ(db["failure"], "exited with status 1 before teardown");
  EXPECT_EQ(db["output"], "starting\n\x1b[2Jcleared\r\uFFFD\n") << "valid UTF-8, otherwise as printed";
  EXPECT_TRUE(report_json(sample())["services"].empty());
}

TEST(ReportJson, ErrorsAndInvalidUtf8) {
  RunReport r = sample();
  r.error = "engine failed";
  r.items[1].error = "server never listened";
  r.items[1].measurement.error = std::string("iperf3: bad \xff\xfe byte");
  r.items[1].measurement.exit_code.reset();
  const nlohmann::json j = report_json(r);
  std::string dumped;
  ASSERT_NO_THROW(dumped = j.dump());
  const nlohmann::json back = nlohmann::json::parse(dumped);
  EXPECT_EQ(back["error"], "engine failed");
  EXPECT_EQ(back["passed"], false);
  EXPECT_EQ(back["items"][1]["error"], "server never listened");
  EXPECT_EQ(back["items"][1]["passed"], false);
  EXPECT_EQ(back["items"][1]["measurement"]["error"], "iperf3: bad \uFFFD\uFFFD byte");
  EXPECT_TRUE(back["items"][1]["measurement"]["exit_code"].is_null());
}

// ---- JUnit -----------------------------------------------------------------------------

// A small XML reader, enough to parse the JUnit output back: elements,
// attributes, text, the five named entities and character references. It
// throws on anything malformed (unbalanced tags, a raw '<' or '&' in text or
// an attribute, an unknown entity, text outside the root, control characters).
struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<Element> children;
  std::string text;
  const Element& child(const std::string& n, std::size_t index = 0) const {
    for (const Element& c : children) {
      if (c.name == n && index-- == 0) return c;
    }
    throw std::runtime_error("no <" + n + "> in <" + name + ">");
  }
  std::vector<const Element*> all(const std::string& n) const {
    std::vector<const Element*> out;
    for (const Element& c : children)
      if (c.name == n) out.push_back(&c);
    return out;
  }
};

class XmlReader {
 public:
  explicit XmlReader(std::string text) : s_(std::move(text)) {}

  Element document() {
    if (s_.rfind("<?xml ", 0) == 0) {
      const std::size_t end = s_.find("?>");
      if (end == std::string::npos) fail("unterminated declaration");
      i_ = end + 2;
    }
    skip_space();
    Element root = element();
    skip_space();
    if (i_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("XML at " + std::to_string(i_) + ": " + why);
  }
  bool at_end() const { return i_ >= s_.size(); }
  void skip_space() {
    while (!at_end() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  void expect(char c) {
    if (at_end() || s_[i_] != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  std::string name() {
    const std::size_t start = i_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '_' ||
                         s_[i_] == ':' || s_[i_] == '.')) {
      ++i_;
    }
    if (i_ == start) fail("expected a name");
    return s_.substr(start, i_ - start);
  }
  // Text up to `stop`, entities decoded.
  std::string chars(char stop) {
    std::string out;
    while (!at_end() && s_[i_] != stop) {
      const char c = s_[i_];
      if (c == '<') fail("raw '<'");
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') fail("control character");
      if (c != '&') {
        out += c;
        ++i_;
        continue;
      }
      const std::size_t semi = s_.find(';', i_);
      if (semi == std::string::npos || semi - i_ > 10) fail("raw '&'");
      const std::string entity = s_.substr(i_ + 1, semi - i_ - 1);
      if (entity == "amp")
        out += '&';
      else if (entity == "lt")
        out += '<';
      else if (entity == "gt")
        out += '>';
      else if (entity == "quot")
        out += '"';
      else if (entity == "apos")
        out += '\'';
      else if (entity.size() > 1 && entity[0] == '#') {
        const long code = entity[1] == 'x' ? std::stol(entity.substr(2), nullptr, 16) : std::stol(entity.substr(1));
        if (code != 9 && code != 10 && code != 13 && (code < 0x20 || code > 0x7F)) fail("unexpected reference");
        out += static_cast<char>(code);
      } else {
        fail("unknown entity &" + entity + ";");
      }
      i_ = semi + 1;
    }
    return out;
  }
  Element element() {
    expect('<');
    Element e;
    e.name = name();
    for (;;) {
      const std::size_t before = i_;
      skip_space();
      if (at_end()) fail("unterminated tag");
      if (s_[i_] == '/') {
        ++i_;
        expect('>');
        return e;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      if (i_ == before) fail("no space before an attribute");
      const std::string key = name();
      expect('=');
      if (at_end() || (s_[i_] != '"' && s_[i_] != '\'')) fail("unquoted attribute");
      const char quote = s_[i_++];
      const std::string value = chars(quote);
      expect(quote);
      if (!e.attributes.emplace(key, value).second) fail("duplicate attribute " + key);
    }
    for (;;) {
      e.text += chars('<');
      if (at_end()) fail("unclosed <" + e.name + ">");
      if (s_.compare(i_, 2, "</") == 0) {
        i_ += 2;
        if (name() != e.name) fail("mismatched </...> for <" + e.name + ">");
        skip_space();
        expect('>');
        return e;
      }
      if (s_.compare(i_, 2, "<!") == 0 || s_.compare(i_, 2, "<?") == 0) fail("unexpected markup");
      e.children.push_back(element());
    }
  }

  std::string s_;
  std::size_t i_ = 0;
};

Element parse_xml(const std::string& text) { return XmlReader(text).document(); }

TEST(ReportXmlReader, RejectsMalformedXml) {
  EXPECT_NO_THROW(parse_xml("<a b=\"1 &amp; 2\"><c/>x &lt; y</a>"));
  EXPECT_THROW(parse_xml("<a><b></a>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a>x < y</a>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a>x & y</a>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a b=\"x\"y\"/>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a b=\"<\"/>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a>\x01</a>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a></a><b/>"), std::runtime_error);
}

// xmllint's verdict on `xml`, when xmllint is installed ("" when it is not).
std::string xmllint(const std::string& xml) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) return "";
  char path[] = "/tmp/synnet-junit-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return "mkstemp failed";
  close(fd);
  std::ofstream(path) << xml;
  const int status = std::system(("xmllint --noout " + std::string(path) + " 2>/dev/null").c_str());
  std::remove(path);
  return status == 0 ? "ok" : "xmllint rejected it";
}

TEST(ReportJunit, SuiteCountsAndCases) {
  const std::string xml = report_junit(sample());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  const Element root = parse_xml(xml);
  EXPECT_EQ(root.name, "testsuites");
  EXPECT_EQ(root.attributes.at("tests"), "3");
  EXPECT_EQ(root.attributes.at("failures"), "1");
  EXPECT_EQ(root.attributes.at("errors"), "0");
  const Element& suite = root.child("testsuite");
  EXPECT_EQ(suite.attributes.at("name"), "lossy-link");
  EXPECT_EQ(suite.attributes.at("tests"), "3");
  EXPECT_EQ(suite.attributes.at("failures"), "1");
  EXPECT_EQ(suite.attributes.at("errors"), "0");
  EXPECT_EQ(suite.attributes.at("time"), "12.340");
  const auto cases = suite.all("testcase");
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[0]->attributes.at("name"), "ping.loss");
  EXPECT_EQ(cases[1]->attributes.at("name"), "ping.rtt_avg");
  EXPECT_EQ(cases[2]->attributes.at("name"), "udp.loss");
  for (const Element* c : cases) EXPECT_EQ(c->attributes.at("classname"), "synnet.lossy-link");
  // An item's time goes to its first case, so the cases add up.
  EXPECT_EQ(cases[0]->attributes.at("time"), "2.100");
  EXPECT_EQ(cases[1]->attributes.at("time"), "0.000");
  EXPECT_EQ(cases[2]->attributes.at("time"), "5.200");
  EXPECT_TRUE(cases[1]->children.empty());
  EXPECT_EQ(cases[0]->child("system-out").text.find("warning: loss bound <= 1%") != std::string::npos, true);
  const Element& failure = cases[2]->child("failure");
  EXPECT_EQ(failure.attributes.at("message"), "expected 3% .. 7%, measured 11.2%");
  EXPECT_NE(failure.text.find("iperf3 -c 198.18.0.2"), std::string::npos);

  std::map<std::string, std::string> properties;
  for (const Element* p : suite.child("properties").all("property")) {
    properties[p->attributes.at("name")] = p->attributes.at("value");
  }
  EXPECT_EQ(properties["seed"], "42");
  EXPECT_EQ(properties["file"], "scenarios/lossy-link.json");
  EXPECT_EQ(properties["prefix"], "snk3f9a");
  const std::string out = suite.child("system-out").text;
  EXPECT_NE(out.find("a_to_b_loss  dropped_loss 52, forwarded 948"), std::string::npos) << out;
  EXPECT_NE(out.find("2.00 s: a-b a_to_b {loss 100%}"), std::string::npos) << out;
  EXPECT_NE(out.find("lossy-link: FAIL (2 of 3 expectations held; failed: udp.loss)"), std::string::npos) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  const std::string lint = xmllint(xml);
  EXPECT_TRUE(lint.empty() || lint == "ok") << lint;
}

TEST(ReportJunit, ItemErrorIsOneErrorCaseAndRunErrorAnother) {
  RunReport r = sample();
  r.items[1].error = "iperf3 server never listened";
  r.error = "engine failed: if_a: interface deleted";
  const Element suite = parse_xml(report_junit(r)).child("testsuite");
  EXPECT_EQ(suite.attributes.at("tests"), "4");
  EXPECT_EQ(suite.attributes.at("failures"), "0");
  EXPECT_EQ(suite.attributes.at("errors"), "2");
  const auto cases = suite.all("testcase");
  ASSERT_EQ(cases.size(), 4u);
  EXPECT_EQ(cases[2]->attributes.at("name"), "udp");
  EXPECT_EQ(cases[2]->child("error").attributes.at("message"), "iperf3 server never listened");
  EXPECT_NE(cases[2]->child("error").text.find("expected loss 3% .. 7%"), std::string::npos);
  EXPECT_EQ(cases[3]->attributes.at("name"), "run");
  EXPECT_EQ(cases[3]->child("error").attributes.at("message"), "engine failed: if_a: interface deleted");
}

TEST(ReportJunit, EscapesEverything) {
  RunReport r = sample();
  const std::string nasty = "a<b & \"c\" 'd' > e";
  r.scenario = nasty;
  r.file = "dir/<x>&.json";
  r.items[1].name = "udp<&>\"'";
  r.items[1].command = "sh -c 'echo \"<hi>\" && exit 1'";
  r.items[1].checks[0].measured = "not measured (line1\nline2\ttab \x01 bell \xff)";
  r.items[1].checks[0].warning = "]]> <![CDATA[ x";
  r.timeline = {"t < 1 && u > 2"};
  r.counters.apps = {{"app", "dropped<&>", CounterKind::drop, Drop::invalid, 5}};
  const std::string xml = report_junit(r);
  Element root;
  ASSERT_NO_THROW(root = parse_xml(xml)) << xml;
  const Element& suite = root.child("testsuite");
  EXPECT_EQ(suite.attributes.at("name"), nasty);
  EXPECT_EQ(suite.all("testcase")[0]->attributes.at("classname"), "synnet." + nasty);
  const Element& udp = *suite.all("testcase")[2];
  EXPECT_EQ(udp.attributes.at("name"), "udp<&>\"'.loss");
  // Newline and tab survive in an attribute; the control character and the
  // invalid byte become U+FFFD (XML 1.0 cannot carry them).
  EXPECT_EQ(udp.child("failure").attributes.at("message"),
            "expected 3% .. 7%, measured not measured (line1\nline2\ttab \uFFFD bell \uFFFD)");
  EXPECT_NE(udp.child("failure").text.find("sh -c 'echo \"<hi>\" && exit 1'"), std::string::npos);
  EXPECT_NE(udp.child("failure").text.find("warning: ]]> <![CDATA[ x"), std::string::npos);
  const std::string out = suite.child("system-out").text;
  EXPECT_NE(out.find("t < 1 && u > 2"), std::string::npos);
  EXPECT_NE(out.find("dropped<&> 5"), std::string::npos);
  std::map<std::string, std::string> properties;
  for (const Element* p : suite.child("properties").all("property")) {
    properties[p->attributes.at("name")] = p->attributes.at("value");
  }
  EXPECT_EQ(properties["file"], "dir/<x>&.json");
  // Nothing raw in the text itself.
  EXPECT_EQ(xml.find("a<b"), std::string::npos);
  EXPECT_EQ(xml.find("& "), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\xff'), std::string::npos);
  const std::string lint = xmllint(xml);
  EXPECT_TRUE(lint.empty() || lint == "ok") << lint << "\n" << xml;
}

TEST(ReportJunit, AFailedServiceIsAFailedCaseWithItsOutput) {
  const std::string xml = report_junit(with_services());
  const Element suite = parse_xml(xml).child("testsuite");
  EXPECT_EQ(suite.attributes.at("tests"), "4") << "3 checks and the failed service; one that passed is no case";
  EXPECT_EQ(suite.attributes.at("failures"), "1");
  EXPECT_EQ(suite.attributes.at("errors"), "0");
  const auto cases = suite.all("testcase");
  ASSERT_EQ(cases.size(), 4u);
  const Element& db = *cases[3];
  EXPECT_EQ(db.attributes.at("name"), "service.n2.db");
  EXPECT_EQ(db.attributes.at("classname"), "synnet.lossy-link");
  EXPECT_EQ(db.attributes.at("time"), "0.000") << "it ran beside the items";
  EXPECT_EQ(db.child("failure").attributes.at("message"), "exited with status 1 before teardown");
  EXPECT_NE(db.child("failure").text.find("service db on host n2: sh -c 'exit 1'"), std::string::npos);
  EXPECT_EQ(db.child("system-out").text, "stdout:\nstarting\n\uFFFD[2Jcleared\r\uFFFD\n");
  EXPECT_NE(suite.child("system-out").text.find("failed services: n2/db"), std::string::npos);
  const std::string lint = xmllint(xml);
  EXPECT_TRUE(lint.empty() || lint == "ok") << lint << "\n" << xml;
}

TEST(ReportJunit, PassingRunHasNoFailures) {
  RunReport r = sample();
  r.items[1].checks[0].pass = true;
  const Element suite = parse_xml(report_junit(r)).child("testsuite");
  EXPECT_EQ(suite.attributes.at("failures"), "0");
  EXPECT_EQ(suite.attributes.at("errors"), "0");
  for (const Element* c : suite.all("testcase")) EXPECT_TRUE(c->all("failure").empty());
}

}  // namespace
}  // namespace synnet
