// progress_test.cpp — progress_line: the rate and loss per link direction
// over the samples given, and the line kept within the terminal's width.
#include "harness/report/progress.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace synnet {
namespace {

const std::string kHead = "[2/5] udp (iperf3) 3.2 s of ~5 s";

// `n` samples of 100 ms, each the same.
std::vector<SeriesSample> samples(int n, const std::map<std::string, std::map<std::string, DirectionSample>>& links) {
  std::vector<SeriesSample> out;
  for (int i = 0; i < n; ++i) out.push_back({.seq = static_cast<std::uint64_t>(i), .t = 0.1 * (i + 1), .links = links});
  return out;
}

TEST(ProgressLine, RateAndLossPerDirection) {
  // Per 100 ms: a_to_b 100 in, 1 lost, 99 out of 1200 bytes (9.5 Mbit/s); b_to_a 20 of 60 bytes out (96 kbit/s).
  const auto recent = samples(
      10, {{"n1-n2",
            {{"a_to_b", {.packets_in = 100, .packets_out = 99, .bytes_out = 118800, .drops = {{"impairment", 1}}}},
             {"b_to_a", {.packets_in = 20, .packets_out = 20, .bytes_out = 1200}}}}});
  EXPECT_EQ(progress_line(kHead, recent, 0.1, 100),
            "[2/5] udp (iperf3) 3.2 s of ~5 s | n1-n2 → 9.5 Mbit/s 1% lost ← 96 kbit/s");
}

TEST(ProgressLine, LossOverTheWindowAndEveryReason) {
  // Over 4 samples: 400 in, 3 + 2 + 1 dropped (impairment, queue_full): 1.5%.
  std::vector<SeriesSample> recent =
      samples(4, {{"a-b", {{"a_to_b", {.packets_in = 100, .packets_out = 100, .bytes_out = 125000}}}}});
  recent[0].links["a-b"]["a_to_b"].drops = {{"impairment", 3}};
  recent[2].links["a-b"]["a_to_b"].drops = {{"impairment", 2}, {"queue_full", 1}};
  EXPECT_EQ(progress_line("x", recent, 0.1, 100), "x | a-b → 10 Mbit/s 1.5% lost");
}

TEST(ProgressLine, QuietDirectionsAndLinksAreLeftOut) {
  const auto recent = samples(
      10, {{"a-b", {{"a_to_b", {}}, {"b_to_a", {.packets_in = 5, .bytes_out = 0, .drops = {{"partition", 5}}}}}},
           {"c-d", {{"a_to_b", {}}, {"b_to_a", {}}}}});
  EXPECT_EQ(progress_line("x", recent, 0.1, 100), "x | a-b ← 0 bit/s 100% lost");
  EXPECT_EQ(progress_line("x", {}, 0.1, 100), "x") << "no samples yet: the head alone";
}

TEST(ProgressLine, KeptWithinTheWidthInColumnsNotBytes) {
  std::map<std::string, std::map<std::string, DirectionSample>> links;
  for (const char* link : {"l1", "l2", "l3"})
    links[link]["a_to_b"] = {.packets_in = 10, .packets_out = 10, .bytes_out = 12500};
  const auto recent = samples(10, links);
  // Each link is " | lN → 1 Mbit/s": 16 columns (the arrow is 3 bytes, 1 column).
  const std::string all = "x | l1 → 1 Mbit/s | l2 → 1 Mbit/s | l3 → 1 Mbit/s";
  EXPECT_EQ(display_width(all), 49u);
  EXPECT_EQ(progress_line("x", recent, 0.1, 49), all);
  EXPECT_EQ(progress_line("x", recent, 0.1, 48), "x | l1 → 1 Mbit/s | l2 → 1 Mbit/s | +1 more");
  EXPECT_EQ(progress_line("x", recent, 0.1, 30), "x | l1 → 1 Mbit/s | +2 more");
  EXPECT_EQ(progress_line("x", recent, 0.1, 12), "x | +3 more");
  EXPECT_EQ(progress_line("x", recent, 0.1, 5), "x");
  for (std::size_t width = 0; width < 60; ++width) {
    EXPECT_LE(display_width(progress_line(kHead, recent, 0.1, width)), width) << width;
  }
  EXPECT_EQ(progress_line("→→→→", {}, 0.1, 2), "→→") << "a long head is cut between code points";
}

}  // namespace
}  // namespace synnet
