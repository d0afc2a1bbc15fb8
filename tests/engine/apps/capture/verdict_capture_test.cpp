#include "engine/apps/capture/verdict_capture.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

#include "engine/apps/capture/capture_tap.hpp"
#include "engine/apps/capture/pcapng_writer.hpp"
#include "engine/apps/impair/chain.hpp"
#include "engine/apps/impair/loss.hpp"
#include "engine/engine.hpp"
#include "engine/rng.hpp"
#include "tests/engine/apps/capture/pcapng_reading.hpp"
#include "tests/engine/apps/impair/impair_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

struct TempDir {
  TempDir() {
    char name[] = "/tmp/synnet-capture-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }
  std::string path;
};

std::size_t count_starting(const std::vector<std::string>& comments, const std::string& prefix) {
  std::size_t n = 0;
  for (const std::string& c : comments) n += c.rfind(prefix, 0) == 0;
  return n;
}

TEST(PcapngWriter, WritesBlocksAReaderTakesBack) {
  TempDir dir;
  const std::string path = dir.file("w.pcapng");
  {
    PcapngWriter w(path, {.interface_name = "n1-n2 a_to_b"});
    const std::vector<std::uint8_t> frame = {1, 2, 3, 4, 5, 6, 7};  // not a multiple of 4: padded
    EXPECT_TRUE(w.write(1'700'000'000'123'456'789ULL, frame, 7, 1, {"forwarded after 12 us"}));
    EXPECT_TRUE(w.write(1'700'000'000'223'456'789ULL, frame, 60, 2, {"duplicated", "a comment of odd length"}));
    EXPECT_TRUE(w.write(1'700'000'000'323'456'789ULL, {}, 0, 3, {}));
    w.close();
    EXPECT_EQ(w.frames(), 3u);
    EXPECT_EQ(w.bytes(), std::filesystem::file_size(path));
  }
  const testing::PcapngFile f = testing::read_pcapng(path);
  EXPECT_EQ(f.application, "synnet");
  EXPECT_EQ(f.interface_name, "n1-n2 a_to_b");
  EXPECT_EQ(f.ts_resolution, 9);
  ASSERT_EQ(f.frames.size(), 3u);
  EXPECT_EQ(f.frames[0].unix_ns, 1'700'000'000'123'456'789ULL);
  EXPECT_EQ(f.frames[0].bytes, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(f.frames[0].comments, std::vector<std::string>{"forwarded after 12 us"});
  EXPECT_EQ(f.frames[1].length, 60u);
  EXPECT_EQ(f.frames[1].packet_id, 2u);
  EXPECT_EQ(f.frames[1].comments, (std::vector<std::string>{"duplicated", "a comment of odd length"}));
  EXPECT_TRUE(f.frames[2].comments.empty());
}

TEST(PcapngWriter, NeverGrowsPastItsLimit) {
  TempDir dir;
  const std::string path = dir.file("limit.pcapng");
  PcapngWriter w(path, {.interface_name = "x", .limit_bytes = 1000});
  const std::vector<std::uint8_t> frame(100, 0xab);
  std::size_t written = 0;
  for (std::uint64_t id = 1; id <= 20; ++id) written += w.write(0, frame, 100, id, {"c"});
  w.close();
  EXPECT_GT(written, 0u);
  EXPECT_LT(written, 20u);
  EXPECT_EQ(w.refused(), 20 - written);
  EXPECT_LE(std::filesystem::file_size(path), 1000u);
  EXPECT_EQ(testing::read_pcapng(path).frames.size(), written);
}

TEST(PcapngWriter, AnUnwritablePathNamesIt) {
  try {
    PcapngWriter w("/nonexistent-dir/x.pcapng", {});
    FAIL() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x.pcapng"), std::string::npos) << e.what();
  }
}

TEST(VerdictCapture, SaysEachFateInWords) {
  EXPECT_EQ(VerdictCapture::fate_text(TraceFate::loss, loss_detail(0, 1)), "dropped by loss (random)");
  EXPECT_EQ(VerdictCapture::fate_text(TraceFate::loss, loss_detail(1, 2)),
            "dropped by loss (gilbert_elliott, bad state)");
  EXPECT_EQ(VerdictCapture::fate_text(TraceFate::loss, loss_detail(2, 4)),
            "dropped by loss (markov4, state 4: an isolated loss)");
  EXPECT_EQ(VerdictCapture::fate_text(TraceFate::rate_queue_full, 64000), "dropped by rate (queue full: 64000 bytes)");
  EXPECT_EQ(VerdictCapture::fate_text(TraceFate::mtu, 1400), "dropped by mtu (larger than 1400 bytes)");
  EXPECT_EQ(VerdictCapture::note_text(TraceNote::corrupted, 17), "corrupted at bit 17");
}

// src -> capture_in -> the chain -> capture_out -> rec, on a ManualClock.
struct CapturedChain : ::testing::Test {
  static constexpr std::uint64_t kSeed = 7;
  void build(const ImpairmentSpec& spec, std::uint64_t frames, const VerdictCapture::Options& options) {
    capture = std::make_shared<VerdictCapture>(options);
    Config c;
    c.app<testing::SeqSource>("src", {.size = 200, .per_pull = 4, .remaining = frames});
    c.app<testing::Recorder>("rec");
    c.app<CaptureTap>("ab_capture_in", {.capture = capture, .role = CaptureTapSpec::Role::entry});
    c.app<CaptureTap>("ab_capture_out", {.capture = capture, .role = CaptureTapSpec::Role::exit});
    c.link("src.output -> ab_capture_in.input");
    add_impairment_chain(c, "ab", spec, "ab_capture_in.output", "ab_capture_out.input");
    c.link("ab_capture_out.output -> rec.input");
    engine.configure(c);
  }
  void run(Time until) {
    while (clock.now() <= until) {
      engine.breathe();
      clock.advance(100us);
    }
  }
  std::uint64_t counter(const std::string& app, const std::string& name) { return engine.counters().at(app, name); }

  TempDir dir;
  ManualClock clock;
  Engine engine{EngineOptions{.packets = 100'000, .seed = kSeed, .clock = &clock, .log = nullptr}};
  std::shared_ptr<VerdictCapture> capture;
};

TEST_F(CapturedChain, EveryFrameHasItsFateAndTheCountsAgreeWithTheCounters) {
  ImpairmentSpec spec;
  spec.loss = LossSpec{.model = LossModel::kGilbertElliott, .p = 0.05, .r = 0.3};
  spec.corrupt = CorruptSpec{.ratio = 0.05};
  spec.duplicate = DuplicateSpec{.ratio = 0.05};
  spec.latency = LatencySpec{.delay_us = 2000};
  const std::string path = dir.file("ab.pcapng");
  build(spec, 4000, {.path = path, .name = "ab"});
  run(Time{2s});
  capture->close();
  const VerdictCapture::Totals t = capture->totals();
  EXPECT_EQ(t.frames, 4000u);
  EXPECT_EQ(t.written, 4000u);
  EXPECT_EQ(t.not_written, 0u);

  const testing::PcapngFile f = testing::read_pcapng(path);
  ASSERT_EQ(f.frames.size(), 4000u);
  std::map<std::string, std::size_t> seen;
  std::vector<std::uint64_t> lost_ids;
  for (const testing::PcapngFrame& frame : f.frames) {
    ASSERT_FALSE(frame.comments.empty()) << "frame " << frame.packet_id;
    EXPECT_EQ(frame.bytes.size(), 200u);
    std::uint64_t seq = 0;
    std::memcpy(&seq, frame.bytes.data() + 14, sizeof seq);
    EXPECT_EQ(seq + 1, frame.packet_id) << "kept as it entered; its id is its place in the order they entered";
    for (const std::string& c : frame.comments) {
      if (c.rfind("forwarded after", 0) == 0) {
        EXPECT_EQ(c, "forwarded after 2000 us");
      }
      ++seen[c.substr(0, c.find_first_of("0123456789("))];
    }
    if (count_starting(frame.comments, "dropped by loss") > 0) lost_ids.push_back(frame.packet_id);
  }
  EXPECT_EQ(seen["dropped by loss "], counter("ab_loss", "dropped_loss"));
  EXPECT_EQ(seen["corrupted at bit "], counter("ab_corrupt", "corrupted"));
  EXPECT_EQ(seen["duplicated"], counter("ab_duplicate", "duplicated"));
  EXPECT_EQ(seen["forwarded after "] + seen["duplicate forwarded after "],
            engine.app_as<testing::Recorder>("rec")->seqs.size());
  EXPECT_GT(seen["dropped by loss "], 100u);
  EXPECT_GT(seen["duplicated"], 50u);

  // Packet for packet: the same seed's loss decisions, one per frame in the order they entered.
  ManualClock replay_clock;
  Engine replay({.packets = 64, .seed = kSeed, .clock = &replay_clock, .log = nullptr});
  Config c;
  c.app<Loss>("ab_loss", *spec.loss);
  replay.configure(c);
  std::vector<std::uint64_t> expected;
  for (std::uint64_t id = 1; id <= 4000; ++id) {
    if (replay.app_as<Loss>("ab_loss")->lose_next()) expected.push_back(id);
  }
  std::sort(lost_ids.begin(), lost_ids.end());
  EXPECT_EQ(lost_ids, expected);
}

TEST_F(CapturedChain, FramesStillQueuedAtCloseSaySo) {
  ImpairmentSpec spec;
  spec.latency = LatencySpec{.delay_us = 1'000'000};
  const std::string path = dir.file("queued.pcapng");
  build(spec, 10, {.path = path, .name = "ab"});
  run(Time{10ms});
  capture->close();
  const testing::PcapngFile f = testing::read_pcapng(path);
  ASSERT_EQ(f.frames.size(), 10u);
  for (const testing::PcapngFrame& frame : f.frames) {
    EXPECT_EQ(frame.comments, std::vector<std::string>{"still in the chain when the capture ended"});
  }
}

TEST_F(CapturedChain, RateDropsNameTheQueueAndSnapLengthCutsFrames) {
  ImpairmentSpec spec;
  spec.rate = RateSpec{.rate_bps = 1'000'000, .queue_bytes = 2000};
  const std::string path = dir.file("rate.pcapng");
  build(spec, 200, {.path = path, .name = "ab", .snap_length = 64});
  run(Time{100ms});
  capture->close();
  const testing::PcapngFile f = testing::read_pcapng(path);
  EXPECT_EQ(f.snap_length, 64u);
  std::size_t full = 0;
  for (const testing::PcapngFrame& frame : f.frames) {
    EXPECT_EQ(frame.bytes.size(), 64u);
    EXPECT_EQ(frame.length, 200u);
    full += count_starting(frame.comments, "dropped by rate (queue full: 2000 bytes)");
  }
  EXPECT_EQ(full, counter("ab_rate", "dropped_queue_full"));
  EXPECT_GT(full, 0u);
}

TEST_F(CapturedChain, TsharkReadsTheVerdicts) {
  if (::system("command -v tshark >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "tshark is not installed (ci/install installs it)";
  ImpairmentSpec spec;
  spec.loss = LossSpec{.ratio = 0.2};
  const std::string path = dir.file("tshark.pcapng");
  build(spec, 100, {.path = path, .name = "ab"});
  run(Time{20ms});
  capture->close();
  const std::string command = "tshark -r " + path + " -T fields -e frame.packet_id -e frame.comment 2>/dev/null";
  FILE* out = ::popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::string text;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, out)) text.append(buffer, n);
  ASSERT_EQ(::pclose(out), 0) << command;
  std::istringstream lines(text);
  std::string line;
  std::size_t rows = 0, lost = 0;
  while (std::getline(lines, line)) {
    ++rows;
    lost += line.find("\tdropped by loss (random)") != std::string::npos;
    EXPECT_TRUE(line.find("\tforwarded after 0 us") != std::string::npos ||
                line.find("\tdropped by loss (random)") != std::string::npos)
        << line;
  }
  EXPECT_EQ(rows, 100u);
  EXPECT_EQ(lost, counter("ab_loss", "dropped_loss"));
}

}  // namespace
}  // namespace synnet
