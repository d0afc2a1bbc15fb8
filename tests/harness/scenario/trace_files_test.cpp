// trace_files_test.cpp — the trace files of a scenario: the TIME,VALUE format
// (units, comments, each error with its line), reading capacity, delay and
// loss traces through a direction's JSON (each error at the "trace" value's
// path, naming the file and the line), names relative to the scenario file's
// directory, the rate's, delay's and loss's trace keys and the rate's queue
// object, and the traces shipped in scenarios/traces/.
#include "harness/scenario/trace_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/scenario/direction_json.hpp"
#include "harness/scenario/impairments_json.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {
namespace {

using json_reader::Json;
using json_reader::JsonError;
using json_reader::parse_json;
using json_reader::Value;

// The TraceError's what() for a value trace ("" when it parses).
std::string value_error(const std::string& text, TraceValue kind = TraceValue::kDelay) {
  try {
    parse_value_trace(text, kind, "x.csv");
  } catch (const TraceError& e) {
    return e.what();
  }
  return "";
}

TEST(ValueTraceFormat, TimesAndValuesInTheirUnitsOrPlainNumbers) {
  const ValueTrace d = parse_value_trace(
      "# delay over time\n\n0,40ms\n0.5,50\n  1.5s , 60.5ms \r\n2500ms,1s\n# the end\n", TraceValue::kDelay, "d.csv");
  ASSERT_EQ(d.points.size(), 4u);
  EXPECT_EQ(d.points[0], (ValueTrace::Point{0, 40'000}));
  EXPECT_EQ(d.points[1], (ValueTrace::Point{500'000, 50'000}));  // plain: seconds, milliseconds
  EXPECT_EQ(d.points[2], (ValueTrace::Point{1'500'000, 60'500}));
  EXPECT_EQ(d.points[3], (ValueTrace::Point{2'500'000, 1'000'000}));
  EXPECT_EQ(d.name, "d.csv");
  EXPECT_EQ(d.shape, TraceShape::kStep);
  EXPECT_FALSE(d.loop);

  const ValueTrace l = parse_value_trace("0,1%\n1,2.5\n2,100%\n", TraceValue::kLoss, "l.csv");
  ASSERT_EQ(l.points.size(), 3u);
  EXPECT_DOUBLE_EQ(l.points[0].value, 0.01);
  EXPECT_DOUBLE_EQ(l.points[1].value, 0.025);  // plain: a percentage
  EXPECT_DOUBLE_EQ(l.points[2].value, 1.0);
}

TEST(ValueTraceFormat, EachErrorNamesItsLine) {
  EXPECT_EQ(value_error("0,40ms\nabc,50ms\n"),
            "line 2: \"abc\" is not a number (TIME is a duration such as \"1.5s\" or \"250ms\", or a plain number "
            "of seconds)");
  EXPECT_EQ(value_error("0,40ms\n1s,fast\n"),
            "line 2: \"fast\" is not a number (VALUE is a delay such as \"40ms\", or a plain number of "
            "milliseconds)");
  EXPECT_EQ(value_error("0,1%\n1s,lots\n", TraceValue::kLoss),
            "line 2: \"lots\" is not a number (VALUE is a loss percentage such as \"1%\", or a plain number of "
            "percent)");
  EXPECT_EQ(value_error("0,1%\n1s,150%\n", TraceValue::kLoss).rfind("line 2: \"150%\" is not a percentage", 0), 0u)
      << value_error("0,1%\n1s,150%\n", TraceValue::kLoss);
  EXPECT_EQ(value_error("0,40ms\n1s,4 0ms\n").rfind("line 2: \"4 0ms\" is not a duration", 0), 0u)
      << value_error("0,40ms\n1s,4 0ms\n");
  EXPECT_EQ(value_error("0 40ms\n"), "line 1: \"0 40ms\" is not TIME,VALUE (e.g. \"1.5s,40ms\")");
  EXPECT_EQ(value_error("0,40ms,1\n"), "line 1: \"0,40ms,1\" is not TIME,VALUE (e.g. \"1.5s,40ms\")");
  EXPECT_EQ(value_error("# c\n0,40ms\n\n3s,50ms\n2s,60ms\n"),
            "line 5: times must increase: 2s is not after 3s on line 4");
  EXPECT_EQ(value_error("0,40ms\n1s,50ms\n1000ms,60ms\n"),
            "line 3: times must increase: 1000ms is not after 1s on line 2");
  EXPECT_EQ(value_error("\n1s,40ms\n2s,50ms\n"),
            "line 2: the first point is at 1s: a trace starts at time 0 (add a point \"0,40ms\" before it)");
  EXPECT_EQ(value_error("0,40ms\n1.0000005s,50ms\n"), "line 2: \"1.0000005s\" is not a whole number of microseconds");
  EXPECT_EQ(value_error("# nothing\n\n"), "line 1: the trace is empty (no TIME,VALUE points)");
}

// A directory of trace files, removed afterwards.
class TraceFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char path[] = "/tmp/synnet-traces-XXXXXX";
    ASSERT_NE(::mkdtemp(path), nullptr);
    dir_ = path;
    std::filesystem::create_directory(dir_ / "traces");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }

  // The direction `text`, its files relative to the directory.
  DirectionSpec parse(const std::string& text) const {
    const Json j = parse_json(text);
    return parse_direction(Value{&j, "/links/0/a_to_b", &dir_});
  }

  // The JsonError's what() for the direction `text` ("" when it parses).
  std::string error(const std::string& text) const {
    try {
      parse(text);
    } catch (const JsonError& e) {
      return e.what();
    }
    return "";
  }

  // "<dir>/<name>", as errors and trace names show a file.
  std::string at(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(TraceFiles, ARateFollowsACapacityTraceRelativeToTheScenario) {
  write("traces/up", "1\n1\n3\n\n5\n");
  const DirectionSpec d = parse(R"({"rate": {"trace": "traces/up", "loop": false, "overhead": "24B"}})");
  ASSERT_TRUE(d.impairments.rate);
  const RateSpec& r = *d.impairments.rate;
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(r.trace->opportunities_ms, (std::vector<std::uint64_t>{1, 1, 3, 5}));
  EXPECT_EQ(r.trace->name, at("traces/up"));
  EXPECT_EQ(r.rate_bps, 0u);
  EXPECT_FALSE(r.loop);
  EXPECT_EQ(r.overhead_bytes, 24u);
  EXPECT_EQ(parse(R"({"rate": {"trace": "./traces/../traces/up"}})").impairments.rate->trace->name, at("traces/up"));
  EXPECT_TRUE(parse(R"({"rate": {"trace": "traces/up"}})").impairments.rate->loop);  // loops by default
  // An absolute name is read as it is.
  EXPECT_EQ(parse(R"({"rate": {"trace": ")" + at("traces/up") + R"("}})").impairments.rate->trace->name,
            at("traces/up"));
}

TEST_F(TraceFiles, ACapacityTracesErrorsNameTheFileAndTheLine) {
  write("empty", "\n\n");
  write("words", "1\n2\nthree\n");
  write("backwards", "1\n5\n3\n");
  write("zero", "0\n0\n");
  EXPECT_EQ(error(R"({"rate": {"trace": "missing.up"}})"),
            "/links/0/a_to_b/rate/trace: cannot read \"" + at("missing.up") + "\": No such file or directory");
  EXPECT_EQ(error(R"({"rate": {"trace": "empty"}})"),
            "/links/0/a_to_b/rate/trace: \"" + at("empty") +
                "\" is empty: a capacity trace has one line per 1500-byte delivery opportunity, its time in "
                "milliseconds (mahimahi's format)");
  EXPECT_EQ(error(R"({"rate": {"trace": "words"}})"),
            "/links/0/a_to_b/rate/trace: \"" + at("words") +
                "\" line 3: \"three\" is not a whole number of milliseconds (mahimahi's format: one delivery "
                "opportunity per line)");
  EXPECT_EQ(error(R"({"rate": {"trace": "backwards"}})"),
            "/links/0/a_to_b/rate/trace: \"" + at("backwards") +
                "\" line 3: 3 is before 5 on line 2 (timestamps must not go backwards)");
  EXPECT_EQ(error(R"({"rate": {"trace": "zero"}})"),
            "/links/0/a_to_b/rate/trace: \"" + at("zero") +
                "\" line 2: the trace lasts 0 ms: its last timestamp must be above 0 (it is the period)");
  EXPECT_EQ(error(R"({"rate": {"trace": ""}})"), "/links/0/a_to_b/rate/trace: must not be empty");
  EXPECT_EQ(error(R"({"rate": {"trace": 5}})"), "/links/0/a_to_b/rate/trace: expected a string, got an integer");
}

TEST_F(TraceFiles, ARateIsFixedOrATraceAndATraceIsAShapersWithoutBurst) {
  write("up", "1\n");
  const std::string p = "/links/0/a_to_b/rate";
  EXPECT_EQ(error(R"({"rate": {"rate": "10Mbit", "trace": "up"}})"),
            p + "/trace: a rate is either fixed (\"rate\") or follows a trace, not both: remove one");
  EXPECT_EQ(error(R"({"rate": {"overhead": "24B"}})"),
            p + ": missing \"rate\" (e.g. \"10Mbit\") or \"trace\" (a capacity trace file, mahimahi's format)");
  EXPECT_EQ(error(R"({"rate": {"rate": "10Mbit", "loop": true}})"),
            p + "/loop: \"loop\" belongs to a trace: add \"trace\" or remove \"loop\"");
  EXPECT_EQ(
      error(R"({"rate": {"trace": "up", "burst": "15kB"}})"),
      p + "/burst: a trace has no burst: its delivery opportunities are what it sends at once (remove \"burst\")");
  EXPECT_EQ(error(R"({"rate": {"trace": "up", "mode": "policer"}})"),
            p + "/mode: a trace's packets wait in a queue for its delivery opportunities (a shaper): remove \"mode\"");
  EXPECT_EQ(error(R"({"rate": {"trace": "up", "loop": "yes"}})"), p + "/loop: expected true or false, got a string");
  EXPECT_EQ(error(R"({"rate": {"trace": "up", "looop": true}})"), p + "/looop: unknown key (did you mean \"loop\"?)");
}

TEST_F(TraceFiles, AQueueIsABytesLimitOrADiscipline) {
  const auto rate = [this](const std::string& queue) {
    return *parse(R"({"rate": {"rate": "10Mbit", "queue": )" + queue + "}}").impairments.rate;
  };
  EXPECT_EQ(rate(R"("150kB")").queue_bytes, 150'000u);
  EXPECT_EQ(rate(R"("150kB")").aqm, AqmSpec{});
  const RateSpec codel = rate(R"({"discipline": "codel", "limit": 1000, "target": "4ms", "interval": "80ms"})");
  EXPECT_EQ(codel.aqm, (AqmSpec{.discipline = QueueDiscipline::kCodel, .target_us = 4'000, .interval_us = 80'000}));
  EXPECT_EQ(codel.queue_packets, 1000u);
  EXPECT_EQ(codel.queue_bytes, 0u);
  const RateSpec pie = rate(R"({"discipline": "pie", "limit": "300KiB", "max_burst": "100ms"})");
  EXPECT_EQ(pie.aqm, (AqmSpec{.discipline = QueueDiscipline::kPie, .max_burst_us = 100'000}));
  EXPECT_EQ(pie.queue_bytes, 300u * 1024);
  EXPECT_EQ(pie.queue_packets, 0u);
  EXPECT_EQ(rate(R"({"discipline": "codel"})").aqm, AqmSpec{.discipline = QueueDiscipline::kCodel});  // defaults: 0
  const RateSpec packets = rate(R"({"limit": 100})");  // droptail by default
  EXPECT_EQ(packets.aqm, AqmSpec{});
  EXPECT_EQ(packets.queue_packets, 100u);

  const std::string p = "/links/0/a_to_b/rate/queue";
  const auto queue_error = [this](const std::string& queue) {
    return error(R"({"rate": {"rate": "10Mbit", "queue": )" + queue + "}}");
  };
  EXPECT_EQ(queue_error(R"({"discipline": "red"})"), p + "/discipline: \"red\" is not one of droptail, codel, pie");
  EXPECT_EQ(queue_error(R"({"discipline": "pie", "interval": "100ms"})"),
            p + "/interval: belongs to codel, not pie (set \"discipline\")");
  EXPECT_EQ(queue_error(R"({"discipline": "codel", "max_burst": "100ms"})"),
            p + "/max_burst: belongs to pie, not codel (set \"discipline\")");
  EXPECT_EQ(queue_error(R"({"target": "5ms"})"),
            p + "/target: belongs to codel and pie, not droptail (set \"discipline\")");
  EXPECT_EQ(queue_error(R"({"discipline": "codel", "target": "0ms"})"),
            p + "/target: must be above 0 (leave \"target\" out for the default)");
  EXPECT_EQ(queue_error(R"({"limit": 0})"), p + "/limit: 0 is not >= 1");
  EXPECT_EQ(queue_error(R"({"limit": "0B"})"), p + "/limit: must be above 0 (leave \"limit\" out for the default)");
  EXPECT_EQ(queue_error(R"({"limit": true})"),
            p + "/limit: expected a size string (bytes, e.g. \"150kB\") or an integer (packets), got a boolean");
  EXPECT_EQ(queue_error(R"({"discipline": "codel", "tagret": "5ms"})"),
            p + "/tagret: unknown key (did you mean \"target\"?)");
  EXPECT_EQ(queue_error("100"),
            p + ": expected a size string (e.g. \"150kB\", a droptail queue's limit) or an object (\"discipline\", "
                "\"limit\", ...), got an integer");
  EXPECT_EQ(error(R"({"rate": {"rate": "10Mbit", "mode": "policer", "queue": {"limit": 10}}})"),
            "/links/0/a_to_b/rate/queue: a policer has no queue (it drops what exceeds the rate): remove \"queue\" or "
            "use \"mode\": \"shaper\"");
}

TEST_F(TraceFiles, DelayAndLossFollowValueTraces) {
  write("rtt.csv", "0,40ms\n1s,80ms\n2s,40ms\n");
  write("loss.csv", "# bursts\n0,0.1%\n2,20%\n2.2,0.1%\n");
  const DirectionSpec d = parse(R"({"delay": {"trace": "rtt.csv", "shape": "linear", "loop": true, "limit": 500},
                                    "loss": {"trace": "loss.csv"}})");
  ASSERT_TRUE(d.impairments.latency && d.impairments.latency->trace);
  const LatencySpec& delay = *d.impairments.latency;
  EXPECT_EQ(delay.delay_us, 0u);
  EXPECT_EQ(delay.limit_packets, 500u);
  EXPECT_EQ(delay.trace->shape, TraceShape::kLinear);
  EXPECT_TRUE(delay.trace->loop);
  EXPECT_EQ(delay.trace->name, at("rtt.csv"));
  EXPECT_DOUBLE_EQ(delay.trace->at(500'000), 60'000);
  ASSERT_TRUE(d.impairments.loss && d.impairments.loss->trace);
  const LossSpec& loss = *d.impairments.loss;
  EXPECT_EQ(loss.model, LossModel::kRandom);
  EXPECT_EQ(loss.trace->shape, TraceShape::kStep);
  EXPECT_FALSE(loss.trace->loop);
  EXPECT_DOUBLE_EQ(loss.trace->at(2'100'000), 0.2);
}

TEST_F(TraceFiles, DelayAndLossTraceErrors) {
  write("rtt.csv", "0,40ms\n1s,80ms\n");
  write("one.csv", "0,40ms\n");
  write("bad.csv", "0,40ms\n1s,80ms\n# a comment\n\n0.5s,60ms\n");
  write("late.csv", "1s,40ms\n");
  write("blank.csv", "# only a comment\n\n");
  const std::string d = "/links/0/a_to_b/delay", l = "/links/0/a_to_b/loss";
  EXPECT_EQ(error(R"({"delay": {"time": "40ms", "trace": "rtt.csv"}})"),
            d + "/trace: a delay is either fixed (\"time\") or follows a trace, not both: remove one");
  EXPECT_EQ(error(R"({"delay": {"limit": 10}})"),
            d + ": missing \"time\" (e.g. \"40ms\") or \"trace\" (a file of the delay over time)");
  EXPECT_EQ(error(R"({"delay": {"time": "40ms", "shape": "linear"}})"),
            d + "/shape: \"shape\" belongs to a trace: add \"trace\" or remove \"shape\"");
  EXPECT_EQ(error(R"({"delay": {"trace": "rtt.csv", "shape": "smooth"}})"),
            d + "/shape: \"smooth\" is not one of step, linear");
  EXPECT_EQ(error(R"({"delay": {"trace": "one.csv", "loop": true}})"),
            d + "/loop: \"" + at("one.csv") +
                "\" has one point: a looping trace needs a last point after 0, whose time is its period");
  EXPECT_EQ(error(R"({"delay": {"trace": "bad.csv"}})"),
            d + "/trace: \"" + at("bad.csv") + "\" line 5: times must increase: 0.5s is not after 1s on line 2");
  EXPECT_EQ(error(R"({"delay": {"trace": "late.csv"}})"),
            d + "/trace: \"" + at("late.csv") +
                "\" line 1: the first point is at 1s: a trace starts at time 0 (add a point \"0,40ms\" before it)");
  EXPECT_EQ(error(R"({"delay": {"trace": "blank.csv"}})"),
            d + "/trace: \"" + at("blank.csv") +
                "\" is empty: a delay trace has one TIME,VALUE point per line (e.g. \"0,40ms\")");
  EXPECT_EQ(error(R"({"delay": {"trace": "nope.csv"}})"),
            d + "/trace: cannot read \"" + at("nope.csv") + "\": No such file or directory");
  EXPECT_EQ(error(R"({"loss": {"trace": "blank.csv"}})"),
            l + "/trace: \"" + at("blank.csv") +
                "\" is empty: a loss trace has one TIME,VALUE point per line (e.g. \"0,1%\")");
  EXPECT_EQ(
      error(R"({"loss": {"trace": "rtt.csv"}})").rfind(l + "/trace: \"" + at("rtt.csv") + "\" line 1: \"40ms\"", 0), 0u)
      << error(R"({"loss": {"trace": "rtt.csv"}})");
  EXPECT_EQ(error(R"({"loss": {"model": "random", "ratio": "1%", "trace": "rtt.csv"}})"),
            l + "/model: a loss trace is the random model's ratio over time: remove \"model\" (or \"trace\" for a "
                "model)");
  EXPECT_EQ(error(R"({"loss": {"ratio": "1%"}})"),
            l + ": missing \"model\" (or \"trace\", a file of the loss ratio over time)");
  EXPECT_EQ(error(R"({"loss": {"model": "random", "ratio": "1%", "loop": true}})"),
            l + "/loop: \"loop\" belongs to a trace: add \"trace\" or remove \"loop\"");
}

TEST_F(TraceFiles, DirectionJsonWritesTracesAsTheirPathsAndReadsThemBack) {
  write("traces/up", "1\n2\n");
  write("rtt.csv", "0,40ms\n1s,80ms\n");
  write("loss.csv", "0,1%\n1s,2%\n");
  for (const char* text : {
           R"({"rate": {"trace": "traces/up"}})",
           R"({"rate": {"trace": "traces/up", "loop": false, "overhead": "24B", "queue": "100kB"}})",
           R"({"rate": {"trace": "traces/up", "queue": {"discipline": "codel", "limit": 100, "target": "4ms"}}})",
           R"({"rate": {"rate": "10Mbit", "queue": {"discipline": "pie", "target": "20ms", "max_burst": "1s"}}})",
           R"({"rate": {"rate": "10Mbit", "queue": {"limit": "100kB", "discipline": "codel"}}})",
           R"({"rate": {"rate": "10Mbit", "queue": {"limit": 64}}})",
           R"({"delay": {"trace": "rtt.csv"}})",
           R"({"delay": {"trace": "rtt.csv", "shape": "linear", "loop": true, "limit": 10}})",
           R"({"loss": {"trace": "loss.csv", "loop": true}})",
       }) {
    SCOPED_TRACE(text);
    const DirectionSpec d = parse(text);
    const Json written = direction_json(d);
    DirectionSpec again;
    ASSERT_NO_THROW(again = parse_direction(Value{&written, ""})) << written.dump();  // the paths, as written
    EXPECT_EQ(again, d) << written.dump();
    EXPECT_EQ(direction_json(again), written);
  }
  EXPECT_EQ(direction_json(parse(R"({"delay": {"trace": "rtt.csv"}})")).dump(),
            R"({"delay":{"trace":")" + at("rtt.csv") + R"("}})");
  EXPECT_EQ(direction_json(parse(R"({"rate": {"trace": "traces/up", "loop": false}})")).dump(),
            R"({"rate":{"trace":")" + at("traces/up") + R"(","loop":false}})");
  EXPECT_EQ(direction_json(parse(R"({"rate": {"rate": "1Mbit", "queue": {"discipline": "droptail", "limit": "1kB"}}})"))
                .dump(),
            R"({"rate":{"rate":"1Mbit","queue":"1kB"}})");
}

TEST_F(TraceFiles, AScenarioReadsItsTracesFromItsOwnDirectory) {
  write("traces/down", "1\n");
  const std::string text = R"({"name": "t", "hosts": [{"name": "a"}, {"name": "b"}],
    "links": [{"a": "a", "b": "b", "b_to_a": {"rate": {"trace": "traces/down"}}}],
    "traffic": [{"name": "x", "exec": {"host": "a", "argv": ["true"]}}]})";
  const Scenario s = parse_scenario(text, dir_);
  ASSERT_TRUE(s.links[0].b_to_a.impairments.rate);
  EXPECT_EQ(s.links[0].b_to_a.impairments.rate->trace->name, at("traces/down"));
  // Without a directory: the current one, where there is no such file.
  try {
    parse_scenario(text);
    ADD_FAILURE() << "parsed without the scenario's directory";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "/links/0/b_to_a/rate/trace");
    EXPECT_EQ(std::string(e.what()),
              "/links/0/b_to_a/rate/trace: cannot read \"traces/down\": No such file or directory");
  }
}

// The shipped traces read, at the rates their names and README say.
TEST(ShippedTraces, ReadAtTheirRates) {
  const std::filesystem::path dir = std::filesystem::path(SYNNET_SOURCE_DIR) / "scenarios";
  const auto delivery = [&dir](const std::string& name) {
    const Json j = "traces/" + name;
    return read_delivery_trace(Value{&j, "", &dir});
  };
  EXPECT_DOUBLE_EQ(delivery("12mbps").mean_bps(), 12e6);
  EXPECT_DOUBLE_EQ(delivery("500mbps").mean_bps(), 500e6);
  EXPECT_DOUBLE_EQ(delivery("1gbps").mean_bps(), 1e9);
  EXPECT_NEAR(delivery("lte-driving.down").mean_bps(), 9.7e6, 0.1e6);
  EXPECT_NEAR(delivery("lte-driving.up").mean_bps(), 4.2e6, 0.1e6);
  EXPECT_EQ(delivery("lte-driving.down").period_ms(), 20'000u);
  const Json rtt = "traces/rtt-handover.csv", loss = "traces/loss-burst.csv";
  const ValueTrace r = read_value_trace(Value{&rtt, "", &dir}, TraceValue::kDelay);
  EXPECT_DOUBLE_EQ(r.max_value(), 200'000);
  EXPECT_EQ(r.points.back().at_us, 20'000'000u);
  const ValueTrace l = read_value_trace(Value{&loss, "", &dir}, TraceValue::kLoss);
  EXPECT_EQ(l.points.back().at_us, 10'000'000u);
  EXPECT_DOUBLE_EQ(l.points.front().value, 0.001);
}

}  // namespace
}  // namespace synnet
