// A scenario run with verdict captures (root): a seeded lossy, delayed link
// with ping both ways; every frame that entered a direction's chain is in its
// pcapng file with its fate, the fates agree with the engine's counters
// exactly, and the loss verdicts are the seed's own decisions, frame for
// frame. tshark reads the files.
#include "harness/run/capture_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "engine/apps/impair/loss.hpp"
#include "engine/engine.hpp"
#include "harness/run/runner.hpp"
#include "tests/engine/apps/capture/pcapng_reading.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

std::uint64_t counter(const EngineCounters& c, const std::string& app, const std::string& name) {
  for (const Counter& k : c.apps) {
    if (k.app == app && k.name == name) return k.value;
  }
  return 0;
}

std::string run_text(const std::string& command) {
  FILE* out = ::popen(command.c_str(), "r");
  if (out == nullptr) return "";
  std::string text;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, out)) text.append(buffer, n);
  ::pclose(out);
  return text;
}

TEST(CaptureRun, EveryFrameHasItsVerdictAndTheVerdictsAreTheCounters) {
  SYNNET_REQUIRE_ROOT();
  const Scenario s = parse_scenario(R"({
    "name": "capture", "seed": 1234,
    "hosts": [{"name": "a"}, {"name": "b"}],
    "links": [{"a": "a", "b": "b",
               "a_to_b": {"loss": {"model": "gilbert_elliott", "p": "5%", "r": "40%"}, "delay": "5ms", "corrupt": "2%"},
               "b_to_a": {"loss": "10%", "duplicate": "5%"}}],
    "traffic": [{"name": "ping", "ping": {"from": "a", "to": "b", "count": 300, "interval": "10ms"}}]
  })");
  const std::string dir = std::filesystem::temp_directory_path() / ("synnet-capture-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const RunOutcome o = run_scenario(s, {.capture = CaptureSettings{.dir = dir}});
  ASSERT_EQ(o.report.error, "");
  ASSERT_EQ(o.report.captures.size(), 2u);
  const std::string link = s.links[0].name;
  for (const CaptureReport& c : o.report.captures) {
    SCOPED_TRACE(c.path);
    EXPECT_EQ(c.path, dir + "/" + capture_file_name(link, c.direction));
    EXPECT_EQ(c.not_written, 0u);
    EXPECT_EQ(c.error, "");
    const std::string chain = link + "_" + c.direction;
    const testing::PcapngFile f = testing::read_pcapng(c.path);
    EXPECT_EQ(f.interface_name, link + " " + c.direction);
    ASSERT_EQ(f.frames.size(), c.written);
    EXPECT_EQ(c.frames, c.written);
    EXPECT_GE(c.frames, c.direction == "a_to_b" ? 300u : 200u)
        << "the 300 pings, and the replies to those that arrived";
    EXPECT_EQ(c.frames, counter(o.report.counters, chain + "_capture_in", "forwarded"));
    std::size_t lost = 0, forwarded = 0, corrupted = 0, duplicated = 0, other = 0;
    std::vector<std::uint64_t> lost_ids;
    for (const testing::PcapngFrame& frame : f.frames) {
      for (const std::string& comment : frame.comments) {
        if (comment.rfind("dropped by loss", 0) == 0) {
          ++lost;
          lost_ids.push_back(frame.packet_id);
        } else if (comment.find("forwarded after") != std::string::npos) {
          ++forwarded;
        } else if (comment.rfind("corrupted at bit", 0) == 0) {
          ++corrupted;
        } else if (comment == "duplicated") {
          ++duplicated;
        } else {
          ++other;
          ADD_FAILURE() << "frame " << frame.packet_id << ": " << comment;
        }
      }
    }
    EXPECT_EQ(lost, counter(o.report.counters, chain + "_loss", "dropped_loss"));
    EXPECT_EQ(forwarded, counter(o.report.counters, chain + "_capture_out", "forwarded"));
    EXPECT_EQ(corrupted, counter(o.report.counters, chain + "_corrupt", "corrupted"));
    EXPECT_EQ(duplicated, counter(o.report.counters, chain + "_duplicate", "duplicated"));
    EXPECT_GT(lost, 5u);

    // Frame for frame: the loss app's decisions for this run's seed, one per frame in entry order.
    const ImpairmentSpec& spec =
        c.direction == "a_to_b" ? s.links[0].a_to_b.impairments : s.links[0].b_to_a.impairments;
    ManualClock clock;
    Engine replay({.packets = 64, .seed = o.report.seed, .clock = &clock, .log = nullptr});
    Config config;
    config.app<Loss>(chain + "_loss", *spec.loss);
    replay.configure(config);
    std::vector<std::uint64_t> expected;
    for (std::uint64_t id = 1; id <= c.frames; ++id) {
      if (replay.app_as<Loss>(chain + "_loss")->lose_next()) expected.push_back(id);
    }
    std::sort(lost_ids.begin(), lost_ids.end());
    EXPECT_EQ(lost_ids, expected);

    // tshark reads the same verdicts.
    const std::string text = run_text("tshark -r " + c.path + " -T fields -e frame.comment 2>/dev/null");
    std::size_t tshark_lost = 0;
    for (std::size_t at = text.find("dropped by loss"); at != std::string::npos;
         at = text.find("dropped by loss", at + 1)) {
      ++tshark_lost;
    }
    EXPECT_EQ(tshark_lost, lost) << "tshark -r " << c.path << " -T fields -e frame.comment";
  }
  std::filesystem::remove_all(dir);
}

TEST(CaptureRun, AnUnwritableDirectoryIsASetupErrorThatSaysWhatToDo) {
  SYNNET_REQUIRE_ROOT();
  const Scenario s = parse_scenario(R"({"name": "x", "hosts": [{"name": "a"}, {"name": "b"}],
    "links": [{"a": "a", "b": "b"}], "traffic": [{"name": "p", "ping": {"from": "a", "to": "b", "count": 1}}]})");
  try {
    run_scenario(s, {.capture = CaptureSettings{.dir = "/proc/synnet-no-such-dir"}});
    FAIL() << "no exception";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("--capture: cannot make the directory /proc/synnet-no-such-dir"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace synnet
