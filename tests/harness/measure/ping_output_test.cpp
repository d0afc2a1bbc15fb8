// ping_output_test.cpp — parse_ping_output on real iputils ping captures
// (tests/harness/measure/fixtures/ping_*.txt, see the README there) and on edited
// copies for the cases a capture cannot show cheaply.
#include "harness/measure/ping_output.hpp"

#include <gtest/gtest.h>

#include "tests/harness/measure/output_testing.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace synnet {
namespace {

using namespace std::chrono_literals;

using testing::fixture;
using testing::Is;

void expect_rtt_ms(const Measurement& m, double min, double avg, double max, double mdev) {
  EXPECT_TRUE(Is(m.rtt_min, min / 1000));
  EXPECT_TRUE(Is(m.rtt_avg, avg / 1000));
  EXPECT_TRUE(Is(m.rtt_max, max / 1000));
  EXPECT_TRUE(Is(m.rtt_mdev, mdev / 1000));
}

void expect_no_rtt(const Measurement& m) {
  EXPECT_FALSE(m.rtt_min);
  EXPECT_FALSE(m.rtt_avg);
  EXPECT_FALSE(m.rtt_max);
  EXPECT_FALSE(m.rtt_mdev);
}

// Replaces the first `from` in `text` by `to`.
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "\"" << from << "\" not in the text";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(PingOutput, AllReplies) {
  const Measurement m = parse_ping_output(fixture("ping_all_replies.txt"), 10, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 10u);
  EXPECT_EQ(m.packets_received, 10u);
  EXPECT_TRUE(Is(m.loss, 0));
  expect_rtt_ms(m, 0.048, 0.064, 0.149, 0.028);
  EXPECT_TRUE(Is(m.gap, 0));
  EXPECT_FALSE(m.throughput);
  EXPECT_FALSE(m.jitter);
  EXPECT_FALSE(m.exit_code);
}

TEST(PingOutput, GapInTheMiddle) {
  // Replies 7..11 missing: 5 × 50 ms.
  const Measurement m = parse_ping_output(fixture("ping_loss_middle.txt"), 20, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 20u);
  EXPECT_EQ(m.packets_received, 15u);
  EXPECT_TRUE(Is(m.loss, 0.25));
  expect_rtt_ms(m, 0.042, 0.051, 0.075, 0.007);
  EXPECT_TRUE(Is(m.gap, 0.25));
}

TEST(PingOutput, GapAtTheStart) {
  // Replies 1..3 missing.
  const Measurement m = parse_ping_output(fixture("ping_loss_start.txt"), 10, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 10u);
  EXPECT_EQ(m.packets_received, 7u);
  EXPECT_TRUE(Is(m.loss, 0.3));
  expect_rtt_ms(m, 0.052, 0.053, 0.057, 0.002);
  EXPECT_TRUE(Is(m.gap, 0.15));
}

TEST(PingOutput, MissingAtTheEndCountsAsGap) {
  // Replies 14..20 never came: a link that did not recover.
  const Measurement m = parse_ping_output(fixture("ping_loss_end.txt"), 20, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 20u);
  EXPECT_EQ(m.packets_received, 13u);
  EXPECT_TRUE(Is(m.loss, 0.35));
  expect_rtt_ms(m, 0.041, 0.052, 0.063, 0.006);
  EXPECT_TRUE(Is(m.gap, 0.35));
}

TEST(PingOutput, AllLostHasNoRttLine) {
  const Measurement m = parse_ping_output(fixture("ping_all_lost.txt"), 5, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 5u);
  EXPECT_EQ(m.packets_received, 0u);
  EXPECT_TRUE(Is(m.loss, 1));
  expect_no_rtt(m);
  EXPECT_TRUE(Is(m.gap, 0.25));
}

TEST(PingOutput, UnreachableLinesAreNotReplies) {
  // "From 198.18.0.1 icmp_seq=N Destination Host Unreachable" for every
  // request, "+10 errors" in the summary and a trailing "pipe 10" line.
  const Measurement m = parse_ping_output(fixture("ping_unreachable.txt"), 10, 200ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 10u);
  EXPECT_EQ(m.packets_received, 0u);
  EXPECT_TRUE(Is(m.loss, 1));
  expect_no_rtt(m);
  EXPECT_TRUE(Is(m.gap, 2.0));
}

TEST(PingOutput, DuplicatesAreNotReceivedPackets) {
  // Replies 2, 5 and 6 came twice ("(DUP!)", "+3 duplicates").
  const Measurement m = parse_ping_output(fixture("ping_duplicates.txt"), 8, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 8u);
  EXPECT_EQ(m.packets_received, 8u);
  EXPECT_TRUE(Is(m.loss, 0));
  expect_rtt_ms(m, 0.040, 0.062, 0.100, 0.018);
  EXPECT_TRUE(Is(m.gap, 0));
}

TEST(PingOutput, DuplicatesAndLoss) {
  // Requests 4, 5 and 9 dropped, replies 2 and 7 duplicated.
  const Measurement m = parse_ping_output(fixture("ping_duplicates_and_loss.txt"), 12, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 12u);
  EXPECT_EQ(m.packets_received, 9u);
  EXPECT_TRUE(Is(m.loss, 0.25));
  expect_rtt_ms(m, 0.049, 0.064, 0.158, 0.029);
  EXPECT_TRUE(Is(m.gap, 0.1));
}

TEST(PingOutput, StoppedBeforeCountOnlyJudgesWhatWasSent) {
  // ping -c 100 -w 1 sent 18 requests, all answered: no gap.
  const Measurement m = parse_ping_output(fixture("ping_deadline_before_count.txt"), 100, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 18u);
  EXPECT_EQ(m.packets_received, 18u);
  EXPECT_TRUE(Is(m.loss, 0));
  expect_rtt_ms(m, 0.039, 0.052, 0.064, 0.005);
  EXPECT_TRUE(Is(m.gap, 0));
}

TEST(PingOutput, CountLargerThanRepliesSeen) {
  // The summary claims 14 sent, replies stop at 10: 4 missing at the end.
  std::string text = fixture("ping_all_replies.txt");
  text = edit(text, "10 packets transmitted", "14 packets transmitted");
  const Measurement m = parse_ping_output(text, 14, 100ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 14u);
  EXPECT_EQ(m.packets_received, 10u);
  EXPECT_TRUE(Is(m.loss, 4.0 / 14));
  EXPECT_TRUE(Is(m.gap, 0.4));
}

TEST(PingOutput, UnreachableBetweenReplies) {
  // Edited capture: reply 3 replaced by an ICMP error for seq 3.
  std::string text = fixture("ping_all_replies.txt");
  text = edit(text, "64 bytes from 198.18.0.2: icmp_seq=3 ttl=64 time=0.049 ms",
              "From 198.18.0.1 icmp_seq=3 Destination Host Unreachable");
  text = edit(text, "10 received, 0% packet loss", "9 received, +1 errors, 10% packet loss");
  const Measurement m = parse_ping_output(text, 10, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_received, 9u);
  EXPECT_TRUE(Is(m.loss, 0.1));
  EXPECT_TRUE(Is(m.gap, 0.05));
}

TEST(PingOutput, SummaryWithoutTimeAndBusyboxRtt) {
  const Measurement m = parse_ping_output(
      "PING 198.18.0.2 (198.18.0.2): 56 data bytes\n"
      "64 bytes from 198.18.0.2: seq=0 ttl=64 time=0.100 ms\n"
      "\n"
      "--- 198.18.0.2 ping statistics ---\n"
      "4 packets transmitted, 3 packets received, 25% packet loss\n"
      "round-trip min/avg/max = 0.100/0.200/0.400 ms\n",
      4, 1s);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 4u);
  EXPECT_EQ(m.packets_received, 3u);
  EXPECT_TRUE(Is(m.loss, 0.25));
  EXPECT_TRUE(Is(m.rtt_min, 0.0001));
  EXPECT_TRUE(Is(m.rtt_avg, 0.0002));
  EXPECT_TRUE(Is(m.rtt_max, 0.0004));
  EXPECT_FALSE(m.rtt_mdev);
  // No "icmp_seq=" in busybox's reply lines: every reply counts as missing.
  EXPECT_TRUE(Is(m.gap, 4.0));
}

TEST(PingOutput, CrLfAndUnknownLinesAreIgnored) {
  const Measurement m = parse_ping_output(
      "garbage before\r\n"
      "64 bytes from somewhere without a sequence number\r\n"
      "64 bytes from h (198.18.0.2): icmp_seq=2 ttl=64 time=1.5 ms\r\n"
      "ping: sendmsg: Operation not permitted\r\n"
      "2 packets transmitted, 1 received, 50% packet loss, time 1001ms\r\n"
      "rtt min/avg/max/mdev = 1.500/1.500/1.500/0.000 ms\r\n",
      2, 1s);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.loss, 0.5));
  EXPECT_TRUE(Is(m.rtt_avg, 0.0015));
  EXPECT_TRUE(Is(m.rtt_mdev, 0));
  EXPECT_TRUE(Is(m.gap, 1.0));
}

TEST(PingOutput, SequenceNumbersWrapAt65536) {
  std::string text;
  for (std::uint32_t seq = 65530; seq <= 65540; ++seq) {
    if (seq == 65536 || seq == 65537) continue;  // printed as 0 and 1, lost
    text += "64 bytes from 198.18.0.2: icmp_seq=" + std::to_string(seq % 65536) + " ttl=64 time=0.05 ms\n";
  }
  text += "65540 packets transmitted, 65538 received, 0.00305% packet loss, time 1ms\n";
  const Measurement m = parse_ping_output(text, 65540, 1ms);
  EXPECT_EQ(m.error, "");
  // 1..65529 were not in the text at all: the longest run.
  EXPECT_TRUE(Is(m.gap, 65529 * 0.001));
  text.insert(0, [] {
    std::string head;
    for (std::uint32_t seq = 1; seq < 65530; ++seq)
      head += "64 bytes from x: icmp_seq=" + std::to_string(seq) + " ttl=1 time=1 ms\n";
    return head;
  }());
  EXPECT_TRUE(Is(parse_ping_output(text, 65540, 1ms).gap, 0.002));
}

TEST(PingOutput, NothingTransmitted) {
  const Measurement m = parse_ping_output("0 packets transmitted, 0 received\n", 5, 1s);
  EXPECT_EQ(m.error, "");
  EXPECT_EQ(m.packets_sent, 0u);
  EXPECT_FALSE(m.loss);
  EXPECT_FALSE(m.gap);
}

TEST(PingOutput, ZeroCountGivesNoGap) {
  const Measurement m = parse_ping_output(fixture("ping_all_lost.txt"), 0, 50ms);
  EXPECT_EQ(m.error, "");
  EXPECT_TRUE(Is(m.loss, 1));
  EXPECT_FALSE(m.gap);
}

TEST(PingOutput, EmptyOutputIsAnError) {
  const Measurement m = parse_ping_output("", 10, 50ms);
  EXPECT_EQ(m.error, "ping printed no summary (did it run?)");
  EXPECT_FALSE(m.loss);
  EXPECT_FALSE(m.gap);
  EXPECT_EQ(m.packets_sent, 0u);
  EXPECT_EQ(parse_ping_output(" \n\n", 10, 50ms).error, "ping printed no summary (did it run?)");
}

TEST(PingOutput, NoSummaryShowsTheFirstLine) {
  EXPECT_EQ(parse_ping_output("\nping: connect: Network is unreachable\n", 10, 50ms).error,
            "ping printed no summary (did it run?): ping: connect: Network is unreachable");
  // Killed before the summary: replies alone are not a measurement.
  std::string text = fixture("ping_loss_middle.txt");
  text.resize(text.find("\n---"));
  const Measurement m = parse_ping_output(text, 20, 50ms);
  EXPECT_EQ(m.error, "ping printed no summary (did it run?): PING 198.18.0.2 (198.18.0.2) 56(84) bytes of data.");
  EXPECT_FALSE(m.loss);
  EXPECT_FALSE(m.gap);
  expect_no_rtt(m);
}

// The per-request series: (seq, rtt in ms or -1 for none) against m.replies.
void expect_replies(const Measurement& m, const std::vector<std::pair<std::uint32_t, double>>& expected,
                    double interval_s) {
  ASSERT_EQ(m.replies.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i + 1));
    EXPECT_EQ(m.replies[i].seq, expected[i].first);
    EXPECT_TRUE(Is(m.replies[i].t, (expected[i].first - 1) * interval_s));
    if (expected[i].second < 0) {
      EXPECT_FALSE(m.replies[i].rtt);
    } else {
      EXPECT_TRUE(Is(m.replies[i].rtt, expected[i].second / 1000));
    }
  }
}

TEST(PingOutput, RepliesOfEveryRequest) {
  const Measurement m = parse_ping_output(fixture("ping_loss_start.txt"), 10, 50ms);
  ASSERT_EQ(m.error, "");
  // Requests 1..3 dropped; the capture's times for 4..10.
  ASSERT_EQ(m.replies.size(), 10u);
  for (std::uint32_t seq = 1; seq <= 3; ++seq) EXPECT_FALSE(m.replies[seq - 1].rtt) << seq;
  for (std::uint32_t seq = 4; seq <= 10; ++seq) EXPECT_TRUE(m.replies[seq - 1].rtt) << seq;
  EXPECT_TRUE(Is(m.replies[9].t, 0.45));
}

TEST(PingOutput, RepliesDuplicatesCountOnceAndLossIsNull) {
  // Requests 4, 5, 9 dropped; replies 2 and 7 duplicated (7's duplicate 0.064 ms, its first 0.063).
  const Measurement m = parse_ping_output(fixture("ping_duplicates_and_loss.txt"), 12, 50ms);
  ASSERT_EQ(m.error, "");
  expect_replies(m,
                 {{1, 0.158},
                  {2, 0.056},
                  {3, 0.053},
                  {4, -1},
                  {5, -1},
                  {6, 0.049},
                  {7, 0.063},
                  {8, 0.053},
                  {9, -1},
                  {10, 0.052},
                  {11, 0.054},
                  {12, 0.054}},
                 0.05);
}

TEST(PingOutput, RepliesOnlyForRequestsSent) {
  // -c 100 -w 1: 18 sent, so 18 entries, not 100.
  const Measurement stopped = parse_ping_output(fixture("ping_deadline_before_count.txt"), 100, 50ms);
  ASSERT_EQ(stopped.replies.size(), 18u);
  EXPECT_TRUE(Is(stopped.replies[0].rtt, 0.039e-3));
  // All lost: every request, none answered.
  const Measurement lost = parse_ping_output(fixture("ping_all_lost.txt"), 5, 200ms);
  expect_replies(lost, {{1, -1}, {2, -1}, {3, -1}, {4, -1}, {5, -1}}, 0.2);
  // No summary: no series either.
  std::string text = fixture("ping_loss_middle.txt");
  text.resize(text.find("\n---"));
  EXPECT_TRUE(parse_ping_output(text, 20, 50ms).replies.empty());
  EXPECT_TRUE(parse_ping_output(fixture("ping_all_replies.txt"), 0, 50ms).replies.empty());
}

TEST(PingOutput, RepliesTimeUnitsAndUnreadableTime) {
  const Measurement m = parse_ping_output(
      "64 bytes from 198.18.0.2: icmp_seq=1 ttl=64 time=160 ms\n"
      "64 bytes from 198.18.0.2: icmp_seq=2 ttl=64 time=1.5 s\n"
      "64 bytes from 198.18.0.2: icmp_seq=3 ttl=64 time=20 us\n"
      "64 bytes from 198.18.0.2: icmp_seq=4 ttl=64\n"
      "From 198.18.0.1 icmp_seq=5 Destination Host Unreachable\n"
      "5 packets transmitted, 4 received, +1 errors, 20% packet loss, time 4ms\n",
      5, 1s);
  ASSERT_EQ(m.error, "");
  // Request 4 was answered, but its line has no time: the reply counts, its rtt is unknown (null).
  expect_replies(m, {{1, 160}, {2, 1500}, {3, 0.02}, {4, -1}, {5, -1}}, 1.0);
  EXPECT_TRUE(Is(m.gap, 1.0));  // only 5 is missing
}

TEST(PingOutput, RepliesAcrossTheSequenceWrap) {
  std::string text;
  for (std::uint32_t seq = 1; seq <= 65540; ++seq) {
    if (seq == 65536) continue;  // printed as 0: lost
    text += "64 bytes from x: icmp_seq=" + std::to_string(seq % 65536) + " ttl=1 time=2 ms\n";
  }
  text += "65540 packets transmitted, 65539 received, 0.0015% packet loss, time 1ms\n";
  const Measurement m = parse_ping_output(text, 65540, 1ms);
  ASSERT_EQ(m.replies.size(), 65540u);
  EXPECT_FALSE(m.replies[65535].rtt);
  EXPECT_TRUE(Is(m.replies[65536].rtt, 0.002));
  EXPECT_EQ(m.replies[65539].seq, 65540u);
}

}  // namespace
}  // namespace synnet

namespace synnet {
namespace {

// Captured through the engine with 40 ms each way: the first request waited
// for ARP, so two were in flight at once and iputils appended ", pipe 2".
TEST(PingOutput, RttLineWithPipeSuffix) {
  const Measurement m = parse_ping_output(
      "PING 198.18.0.2 (198.18.0.2) 56(84) bytes of data.\n"
      "64 bytes from 198.18.0.2: icmp_seq=1 ttl=64 time=160 ms\n"
      "64 bytes from 198.18.0.2: icmp_seq=2 ttl=64 time=80.3 ms\n"
      "\n--- 198.18.0.2 ping statistics ---\n"
      "2 packets transmitted, 2 received, 0% packet loss, time 100ms\n"
      "rtt min/avg/max/mdev = 80.292/84.412/160.895/17.546 ms, pipe 2\n",
      2, std::chrono::milliseconds(100));
  ASSERT_TRUE(m.rtt_min.has_value()) << m.error;
  EXPECT_DOUBLE_EQ(*m.rtt_min, 0.080292);
  EXPECT_DOUBLE_EQ(*m.rtt_max, 0.160895);
  EXPECT_DOUBLE_EQ(*m.rtt_mdev, 0.017546);
}

}  // namespace
}  // namespace synnet
