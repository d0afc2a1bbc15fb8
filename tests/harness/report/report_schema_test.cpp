// report_schema_test.cpp — report_json's output against
// scenarios/synnet-report.schema.json, for reports that between them hold every
// field: passed and failed checks, warnings, an item that could not run, a run
// error, notes, exec output, services (stopped, failed, never started), null
// and non-null figures, every counter kind and drop reason, links, invalid UTF-8,
// events, the series (drops of several reasons, queue delays null and not) and
// an item's intervals and replies. additionalProperties is false
// wherever the shape is fixed, so a field report_json writes and the schema lacks fails here.
#include <gtest/gtest.h>

#include "harness/report/report.hpp"
#include "tests/harness/report/report_schema.hpp"

namespace synnet {
namespace {

const std::string kSource = SYNNET_SOURCE_DIR;

Check check(std::string figure, bool pass, std::optional<double> value, std::string warning = "") {
  Check c;
  c.figure = std::move(figure);
  c.expected = "<= 1%";
  c.measured = value ? "0.5%" : "not measured (no output)";
  c.pass = pass;
  c.value = value;
  c.warning = std::move(warning);
  return c;
}

RunReport full() {
  RunReport r;
  r.scenario = "every-field";
  r.file = "scenarios/every-field.json";
  r.seed = 18446744073709551615u;
  r.prefix = "snk3f9a";
  r.seconds = 12.5;
  r.error = "engine failed: app \"l0_a\": interface deleted";
  r.timeline = {"2.00 s: a-b a_to_b {loss 100%}", "bad \xff byte"};
  r.replay = "synnet-test scenarios/every-field.json --seed 18446744073709551615";
  r.events = {{.t = 2.0, .source = "", .what = "a-b a_to_b {loss 100%}"},
              {.t = 3.1, .source = "step cut", .what = "partition n1 | n2"},
              {.t = 4.2, .source = "api", .what = "bad \xff byte"}};
  r.series_dropped = 3;
  for (int i = 0; i < 3; ++i) {
    SeriesSample s{.seq = static_cast<std::uint64_t>(i + 3), .t = 0.1 * (i + 4)};
    s.links["a-b"]["a_to_b"] = {.packets_in = 10,
                                .bytes_in = 15000,
                                .packets_out = 9,
                                .bytes_out = 13500,
                                .drops = {{"impairment", 1}},
                                .queue = 4,
                                .queue_delay = i == 1 ? std::nullopt : std::optional<double>(0.002)};
    s.links["a-b"]["b_to_a"] = {.drops = {{i == 0 ? "kernel" : "partition", 2}}};
    s.links["sw-n\xff"]["a_to_b"] = {};
    r.series.push_back(s);
  }

  ItemReport ping;
  ping.name = "ping";
  ping.kind = "ping";
  ping.command = "ping -c 20 198.18.0.2";
  ping.seconds = 2.1;
  Measurement& m = ping.measurement;
  m.loss = 0.05;
  m.throughput = 1e6;
  m.rtt_min = 0.01, m.rtt_avg = 0.02, m.rtt_max = 0.03, m.rtt_mdev = 0.001;
  m.jitter = 0.002;
  m.gap = 0.5;
  m.exit_code = 1;
  m.packets_sent = 20;
  m.packets_received = 19;
  m.retransmits = 3;
  m.error = "ping: exit 1";
  ping.checks = {check("loss", false, 0.05), check("rtt_avg", true, 0.02, "few packets")};
  ping.checks[0].min = 0.03;
  ping.checks[0].max = 0.07;
  ping.checks[1].max = 0.09;
  ping.start = 0.25;
  m.replies = {{.seq = 1, .t = 0, .rtt = 0.01}, {.seq = 2, .t = 0.2, .rtt = std::nullopt}};
  m.intervals = {{.start = 0, .end = 1, .bits_per_second = 1e6, .retransmits = 2},
                 {.start = 1, .end = 2, .bits_per_second = 0, .packets = 10, .lost = 1}};
  ping.notes = {"UDP handshake lost, retried"};
  ping.output = "stdout \xc3\x28 tail";
  ping.errors = "stderr tail";
  r.items.push_back(ping);

  ItemReport skipped;  // could not run: no measurement at all
  skipped.name = "tcp";
  skipped.kind = "iperf3";
  skipped.error = "the server never listened";
  skipped.checks = {check("throughput", false, std::nullopt)};
  r.items.push_back(skipped);

  r.items.push_back(ItemReport{});  // every string empty, every figure null

  ServiceReport web;  // stopped at teardown
  web.host = "n1";
  web.name = "web";
  web.command = "python3 -m http.server 8080";
  web.ended = "killed by SIGTERM";
  web.stopped = true;
  web.seconds = 11.5;
  web.output = "served \xff";
  web.errors = "GET / 200\n";
  r.services.push_back(web);
  ServiceReport db = web;  // failed the run
  db.name = "db";
  db.ended = "exited with status 1";
  db.stopped = false;
  db.failure = "exited with status 1 before teardown";
  r.services.push_back(db);
  ServiceReport missing;  // never started
  missing.host = "n2";
  missing.name = "missing";
  missing.failure = "could not start: command not found";
  r.services.push_back(missing);

  const std::pair<CounterKind, Drop> kinds[] = {
      {CounterKind::packets, Drop::none},    {CounterKind::bytes, Drop::none},
      {CounterKind::events, Drop::none},     {CounterKind::altered, Drop::none},
      {CounterKind::error, Drop::none},      {CounterKind::gauge, Drop::none},
      {CounterKind::time, Drop::none},       {CounterKind::drop, Drop::impairment},
      {CounterKind::drop, Drop::queue_full}, {CounterKind::drop, Drop::no_output},
      {CounterKind::drop, Drop::no_buffer},  {CounterKind::drop, Drop::invalid},
      {CounterKind::drop, Drop::kernel},     {CounterKind::drop, Drop::partition}};
  std::uint64_t n = 0;
  for (const auto& [kind, reason] : kinds) {
    r.counters.apps.push_back({"app", std::string(to_string(kind)) + to_string(reason), kind, reason, n++});
  }
  r.counters.links[LinkSpec::parse("a.output -> b.input")] = {1, 2, 3, 4, 5};
  r.captures.push_back({.link = "a-b",
                        .direction = "a_to_b",
                        .path = "out/a-b.a_to_b.pcapng",
                        .frames = 10,
                        .written = 8,
                        .not_written = 2,
                        .bytes = 1200,
                        .error = "capture: writing x: No space"});
  r.captures.push_back({.link = "a-b", .direction = "b_to_a", .path = "out/a-b.b_to_a.pcapng"});
  return r;
}

TEST(ReportSchema, AReportWithEveryFieldIsValid) {
  EXPECT_EQ(testing::report_schema_errors(report_json(full()), kSource), "");
}

TEST(ReportSchema, AnEmptyReportIsValid) {
  EXPECT_EQ(testing::report_schema_errors(report_json(RunReport{}), kSource), "");
}

TEST(ReportSchema, APassingReportWithoutErrorsIsValid) {
  RunReport r = full();
  r.error.clear();
  r.items.resize(1);
  r.services.resize(1);
  r.items[0].checks = {check("loss", true, 0.0)};
  r.items[0].measurement = Measurement{};
  EXPECT_TRUE(report_json(r)["passed"].get<bool>());
  EXPECT_EQ(testing::report_schema_errors(report_json(r), kSource), "");
}

TEST(ReportSchema, RejectsWhatReportJsonDoesNotWrite) {
  nlohmann::json j = report_json(full());
  j["items"][0]["measurement"]["new_figure"] = 1;
  j["counters"]["apps"][0]["kind"] = "volume";
  j["counters"]["links"][0].erase("txdrop");
  j["services"][1].erase("failure");
  const std::string errors = testing::report_schema_errors(j, kSource);
  EXPECT_NE(errors.find("items/0/measurement: Additional properties are not allowed ('new_figure'"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("counters/apps/0/kind: 'volume' is not one of"), std::string::npos) << errors;
  EXPECT_NE(errors.find("counters/links/0: 'txdrop' is a required property"), std::string::npos) << errors;
  EXPECT_NE(errors.find("services/1: 'failure' is a required property"), std::string::npos) << errors;
}

TEST(ReportSchema, ADropMustCarryAReasonAndNothingElseMay) {
  nlohmann::json j = report_json(full());
  for (nlohmann::json& k : j["counters"]["apps"]) k["reason"] = k["kind"] == "drop" ? nlohmann::json() : "kernel";
  const std::string errors = testing::report_schema_errors(j, kSource);
  EXPECT_NE(errors.find("counters/apps/0/reason: 'kernel' is not of type 'null'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("counters/apps/7/reason: None is not of type 'string'"), std::string::npos) << errors;
}

TEST(ReportSchema, RejectsASeriesThatIsNotColumnsOfCounts) {
  nlohmann::json j = report_json(full());
  nlohmann::json& d = j["series"]["links"]["a-b"]["a_to_b"];
  d["drops"]["sunspots"] = {0, 0, 0};
  d["queue"][0] = -1;
  d["queue_delay"][0] = "slow";
  d["rate"] = {1, 2, 3};
  j["series"]["links"]["a-b"]["c_to_d"] = j["series"]["links"]["a-b"]["b_to_a"];
  j["series"]["links"]["a-b"]["b_to_a"].erase("queue_delay");
  j["items"][0]["replies"][0]["rtt"] = "fast";
  j["items"][0]["intervals"][0].erase("lost");
  j["events"][0].erase("source");
  const std::string errors = testing::report_schema_errors(j, kSource);
  EXPECT_NE(errors.find("series/links/a-b/a_to_b/drops: 'sunspots' is not one of"), std::string::npos) << errors;
  EXPECT_NE(errors.find("series/links/a-b/a_to_b/queue/0: -1 is less than the minimum of 0"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("series/links/a-b/a_to_b/queue_delay/0: 'slow' is not of type"), std::string::npos) << errors;
  EXPECT_NE(errors.find("series/links/a-b/a_to_b: Additional properties are not allowed ('rate'"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("series/links/a-b: Additional properties are not allowed ('c_to_d'"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("series/links/a-b/b_to_a: 'queue_delay' is a required property"), std::string::npos) << errors;
  EXPECT_NE(errors.find("items/0/replies/0/rtt: 'fast' is not of type"), std::string::npos) << errors;
  EXPECT_NE(errors.find("items/0/intervals/0: 'lost' is a required property"), std::string::npos) << errors;
  EXPECT_NE(errors.find("events/0: 'source' is a required property"), std::string::npos) << errors;
}

}  // namespace
}  // namespace synnet
