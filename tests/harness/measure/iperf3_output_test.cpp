// iperf3_output_test.cpp — parse_iperf3_json on real iperf 3.12 client
// --json captures (tests/harness/measure/fixtures/iperf3_*.json, see the README
// there) and on edited copies: older versions' UDP "sum"-only output,
// truncation, trailing error text, wrong protocol.
#include "harness/measure/iperf3_output.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "tests/harness/measure/output_testing.hpp"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace synnet {
namespace {

using testing::fixture;
using testing::Is;

void expect_no_udp_figures(const Measurement& m) {
  EXPECT_FALSE(m.loss);
  EXPECT_FALSE(m.jitter);
  EXPECT_EQ(m.packets_sent, 0u);
  EXPECT_EQ(m.packets_received, 0u);
}

void expect_nothing_measured(const Measurement& m) {
  EXPECT_FALSE(m.throughput);
  EXPECT_FALSE(m.retransmits);
  expect_no_udp_figures(m);
}

TEST(Iperf3Output, Tcp) {
  const Measurement m = parse_iperf3_json(fixture("iperf3_tcp.json"), false);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.throughput, 12821894558.92817));  // sum_received, not sum_sent's 12865583688.29
  EXPECT_EQ(m.retransmits, 4208u);
  expect_no_udp_figures(m);
  EXPECT_FALSE(m.rtt_avg);
  EXPECT_FALSE(m.gap);
  EXPECT_FALSE(m.exit_code);
}

TEST(Iperf3Output, TcpReverse) {
  // -R: the server sends; its retransmits reach the client's sum_sent.
  const Measurement m = parse_iperf3_json(fixture("iperf3_tcp_reverse.json"), false);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.throughput, 10883028959.073309));
  EXPECT_EQ(m.retransmits, 6552u);
  expect_no_udp_figures(m);
}

TEST(Iperf3Output, TcpTwoStreamsAreSummed) {
  // -P 2: per stream 15770125473.47 and 15350423096.68 bit/s received.
  const Measurement m = parse_iperf3_json(fixture("iperf3_tcp_parallel2.json"), false);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.throughput, 31120548570.14933));
  EXPECT_EQ(m.retransmits, 39023u);
}

TEST(Iperf3Output, TcpWithoutRetransmitsField) {
  auto doc = nlohmann::json::parse(fixture("iperf3_tcp.json"));
  doc["end"]["sum_sent"].erase("retransmits");
  const Measurement m = parse_iperf3_json(doc.dump(), false);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.throughput, 12821894558.92817));
  EXPECT_FALSE(m.retransmits);
}

TEST(Iperf3Output, Udp) {
  // -u -b 10M -l 1000 with about 2% dropped on the way: 27 of 1249 lost.
  const Measurement m = parse_iperf3_json(fixture("iperf3_udp.json"), true);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.throughput, 9774455.63600951));  // sum_received; sum says the sender's 9990960.94
  EXPECT_TRUE(Is(m.jitter, 0.00737249479400887 / 1000));
  EXPECT_EQ(m.packets_sent, 1249u);
  EXPECT_EQ(m.packets_received, 1222u);  // = sum_received.bytes 1222000 / 1000-byte datagrams
  EXPECT_TRUE(Is(m.loss, 27.0 / 1249));
  EXPECT_FALSE(m.retransmits);
}

TEST(Iperf3Output, UdpReverseCountsDatagramsLostAtTheEnd) {
  // -R: the server sent 1251, the client's highest sequence number was 1250
  // and it counted 25 lost below it (lost_percent 25/1251); it received
  // 1225000 bytes = 1225 datagrams, so 26 were lost.
  const Measurement m = parse_iperf3_json(fixture("iperf3_udp_reverse.json"), true);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.throughput, 9799147.47416975));
  EXPECT_TRUE(Is(m.jitter, 0.012773952753046134 / 1000));
  EXPECT_EQ(m.packets_sent, 1251u);
  EXPECT_EQ(m.packets_received, 1225u);
  EXPECT_TRUE(Is(m.loss, 26.0 / 1251));
}

TEST(Iperf3Output, UdpWithOnlyEndSum) {
  // Older iperf3 versions give UDP results in end.sum only.
  auto doc = nlohmann::json::parse(fixture("iperf3_udp.json"));
  doc["end"].erase("sum_sent");
  doc["end"].erase("sum_received");
  const Measurement m = parse_iperf3_json(doc.dump(), true);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.throughput, 9990960.94006223));
  EXPECT_TRUE(Is(m.jitter, 0.00737249479400887 / 1000));
  EXPECT_EQ(m.packets_sent, 1249u);
  EXPECT_EQ(m.packets_received, 1222u);
  EXPECT_TRUE(Is(m.loss, 27.0 / 1249));
}

TEST(Iperf3Output, UdpNothingSent) {
  auto doc = nlohmann::json::parse(fixture("iperf3_udp.json"));
  for (const char* key : {"sum", "sum_sent", "sum_received"}) {
    doc["end"][key]["packets"] = 0;
    doc["end"][key]["lost_packets"] = 0;
  }
  const Measurement m = parse_iperf3_json(doc.dump(), true);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 0u);
  EXPECT_FALSE(m.loss);
}

TEST(Iperf3Output, UdpBadCounts) {
  auto doc = nlohmann::json::parse(fixture("iperf3_udp.json"));
  doc["end"]["sum_received"]["lost_packets"] = -1;
  doc["end"]["sum"]["lost_packets"] = -1;
  const Measurement m = parse_iperf3_json(doc.dump(), true);
  EXPECT_EQ(m.error, "iperf3 JSON has a UDP sum whose packets, lost_packets or jitter_ms is not a number");
  expect_nothing_measured(m);
}

TEST(Iperf3Output, CannotConnect) {
  // iperf 3.12 exits 0 here with --json (esnet/iperf#1405): only "error" tells.
  for (const bool udp : {false, true}) {
    const Measurement m = parse_iperf3_json(fixture("iperf3_error_no_server.json"), udp);
    EXPECT_EQ(m.error, "iperf3: unable to connect to server: Connection refused");
    expect_nothing_measured(m);
    EXPECT_TRUE(m.intervals.empty());
  }
}

TEST(Iperf3Output, NotJson) {
  EXPECT_EQ(parse_iperf3_json("", false).error, "iperf3 output is not JSON: (no output)");
  EXPECT_EQ(parse_iperf3_json(" \n", true).error, "iperf3 output is not JSON: (no output)");
  EXPECT_EQ(
      parse_iperf3_json("iperf3: parameter error - must either be a client (-c) or server (-s)\n\nUsage: iperf3", false)
          .error,
      "iperf3 output is not JSON: iperf3: parameter error - must either be a client (-c) or server (-s) Usage: ipe");
  EXPECT_EQ(parse_iperf3_json("[1, 2]", false).error, "iperf3 output is not JSON: [1, 2]");
}

TEST(Iperf3Output, TruncatedJson) {
  const std::string text = fixture("iperf3_tcp.json");
  const Measurement m = parse_iperf3_json(text.substr(0, text.size() / 2), false);
  EXPECT_EQ(m.error,
            "iperf3 output is not JSON: "
            "{ \"start\": { \"connected\": [{ \"socket\": 5, \"local_host\": \"198.18.0.1\", \"local_por");
  expect_nothing_measured(m);
  // Cut just before the final brace.
  EXPECT_NE(parse_iperf3_json(text.substr(0, text.rfind('}')), false).error.find("not JSON"), std::string::npos);
}

TEST(Iperf3Output, WrongProtocol) {
  EXPECT_EQ(parse_iperf3_json(fixture("iperf3_tcp.json"), true).error, "iperf3 ran a TCP test, not UDP");
  const Measurement m = parse_iperf3_json(fixture("iperf3_udp.json"), false);
  EXPECT_EQ(m.error, "iperf3 ran a UDP test, not TCP");
  expect_nothing_measured(m);
  EXPECT_TRUE(m.intervals.empty());
}

TEST(Iperf3Output, MissingResults) {
  EXPECT_EQ(parse_iperf3_json(R"({"start": {}})", false).error, "iperf3 JSON has no \"end\" object");
  EXPECT_EQ(parse_iperf3_json(R"({"end": {}})", false).error, "iperf3 JSON has no end.sum_received.bits_per_second");
  EXPECT_EQ(parse_iperf3_json(R"({"end": {"sum_received": {"bytes": 1}}})", false).error,
            "iperf3 JSON has no end.sum_received.bits_per_second");
  EXPECT_EQ(parse_iperf3_json(R"({"end": {"sum": {"bits_per_second": 1}}})", true).error,
            "iperf3 JSON has no end.sum_received or end.sum with bits_per_second, jitter_ms, lost_packets and packets");
}

TEST(Iperf3Output, TextAfterTheJson) {
  const std::string text = fixture("iperf3_tcp.json");
  // Whitespace after the document is fine.
  EXPECT_EQ(parse_iperf3_json(text + "\n\n", false).error, "");
  // iperf3 has printed its error after a complete document (esnet/iperf#1143).
  const Measurement m =
      parse_iperf3_json(text + "iperf3: error - unable to send control message: Broken pipe\n", false);
  EXPECT_EQ(m.error, "iperf3: error - unable to send control message: Broken pipe");
  EXPECT_TRUE(Is(m.throughput, 12821894558.92817));
  EXPECT_EQ(parse_iperf3_json(text + "something else\nmore", false).error,
            "iperf3 printed after its JSON: something else");
}

// iperf3 -t 3 through an 8 Mbit/s tbf (fixtures/README.md): the client's
// intervals[].sum, one a second.
TEST(Iperf3Output, TcpIntervals) {
  const Measurement m = parse_iperf3_json(fixture("iperf3_tcp_intervals.json"), false);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.intervals,
            (std::vector<IntervalPoint>{
                {.start = 0, .end = 1.000073, .bits_per_second = 11548405.473546289, .retransmits = 533},
                {.start = 1.000073, .end = 2.000092, .bits_per_second = 7819051.795526088, .retransmits = 467},
                {.start = 2.000092, .end = 3.00227, .bits_per_second = 6241765.723123376, .retransmits = 614},
            }));
  EXPECT_EQ(m.retransmits, 1614u);  // = 533 + 467 + 614
}

TEST(Iperf3Output, TcpReverseIntervalsHaveNoRetransmits) {
  // -R: the client receives; its sums have no retransmits (the sender's are only in end.sum_sent).
  const Measurement m = parse_iperf3_json(fixture("iperf3_tcp_reverse.json"), false);
  ASSERT_EQ(m.intervals.size(), 1u);
  EXPECT_FALSE(m.intervals[0].retransmits);
  EXPECT_FALSE(m.intervals[0].packets);
  EXPECT_TRUE(Is(m.intervals[0].bits_per_second, 10883029523.997652));
  EXPECT_EQ(m.intervals[0].end, 1.000032);
}

TEST(Iperf3Output, UdpSenderIntervalsHavePacketsNotLoss) {
  const Measurement m = parse_iperf3_json(fixture("iperf3_udp_intervals.json"), true);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.intervals,
            (std::vector<IntervalPoint>{
                {.start = 0, .end = 1.000036, .bits_per_second = 9967641.15290306, .packets = 1246},
                {.start = 1.000036, .end = 2.00008, .bits_per_second = 10023559.081399318, .packets = 1253},
                {.start = 2.00008, .end = 3.000092, .bits_per_second = 9999879.600067185, .packets = 1250},
            }));
  EXPECT_EQ(m.packets_sent, 3749u);  // = 1246 + 1253 + 1250
}

TEST(Iperf3Output, UdpReceiverIntervalsHaveLoss) {
  const Measurement m = parse_iperf3_json(fixture("iperf3_udp_reverse_intervals.json"), true);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(
      m.intervals,
      (std::vector<IntervalPoint>{
          {.start = 0, .end = 1.000008, .bits_per_second = 7791937.765618527, .packets = 1207, .lost = 233},
          {.start = 1.000008, .end = 2.000076, .bits_per_second = 7671478.72842846, .packets = 1248, .lost = 289},
          {.start = 2.000076, .end = 3.000085, .bits_per_second = 7679931.336063122, .packets = 1252, .lost = 292},
      }));
  EXPECT_FALSE(m.intervals[0].retransmits);
}

TEST(Iperf3Output, IntervalsOmittedOrIncompleteAreLeftOut) {
  auto doc = nlohmann::json::parse(fixture("iperf3_tcp_intervals.json"));
  doc["intervals"][0]["sum"]["omitted"] = true;
  doc["intervals"][1]["sum"].erase("bits_per_second");
  doc["intervals"][2]["sum"].erase("retransmits");
  const Measurement m = parse_iperf3_json(doc.dump(), false);
  ASSERT_EQ(m.intervals.size(), 1u);
  EXPECT_EQ(m.intervals[0].start, 2.000092);
  EXPECT_FALSE(m.intervals[0].retransmits);
  doc["intervals"] = "not an array";
  EXPECT_TRUE(parse_iperf3_json(doc.dump(), false).intervals.empty());
}

TEST(Iperf3Output, IntervalsBeforeAnErrorStay) {
  // iperf3 can fail after some intervals ("control socket has closed unexpectedly").
  auto doc = nlohmann::json::parse(fixture("iperf3_udp_reverse_intervals.json"));
  doc["error"] = "control socket has closed unexpectedly";
  doc.erase("end");
  const Measurement m = parse_iperf3_json(doc.dump(), true);
  EXPECT_EQ(m.error, "iperf3: control socket has closed unexpectedly");
  EXPECT_EQ(m.intervals.size(), 3u);
  EXPECT_FALSE(m.loss);
}

}  // namespace
}  // namespace synnet
