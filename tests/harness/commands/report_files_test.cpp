// report_files_test.cpp — the report files of a command (no root): a path
// that cannot be written is named with why and what to do, before anything
// is created; the three files are written from one RunReport (the HTML from
// the JSON document); the replay command keeps what replays a run and puts
// the seed in.
#include "harness/commands/report_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace synnet {
namespace {

namespace fs = std::filesystem;

class ReportFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("synnet-report-files-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  fs::path dir_;
};

TEST_F(ReportFilesTest, WritablePathsHaveNoProblemAndNothingIsCreated) {
  const ReportFiles files{.json = dir_ / "r.json", .junit = dir_ / "r.xml", .html = dir_ / "r.html"};
  EXPECT_EQ(files.problem(), std::nullopt);
  EXPECT_FALSE(fs::exists(dir_ / "r.json"));
  EXPECT_EQ(ReportFiles{}.problem(), std::nullopt) << "no files, no problem";
  EXPECT_EQ(ReportFiles{.html = "relative.html"}.problem(), std::nullopt) << "the current folder";
}

TEST_F(ReportFilesTest, AProblemSaysWhichFlagWhereAndWhatToDo) {
  const ReportFiles files{.json = dir_.string(), .html = (dir_ / "no/such/r.html").string()};
  const auto problem = files.problem();
  ASSERT_TRUE(problem);
  EXPECT_EQ(*problem, "--json " + dir_.string() + ": it is a folder; name a file in it; --html " +
                          (dir_ / "no/such/r.html").string() + ": the folder " + (dir_ / "no/such").string() +
                          " does not exist; create it or pick another path");
  std::ofstream(dir_ / "file") << "x";
  const auto under_a_file = ReportFiles{.junit = (dir_ / "file/r.xml").string()}.problem();
  ASSERT_TRUE(under_a_file);
  EXPECT_NE(under_a_file->find("is not a folder; pick another path"), std::string::npos) << *under_a_file;
}

TEST_F(ReportFilesTest, WritesTheThreeFormsOfOneReport) {
  RunReport r;
  r.scenario = "s</script>";
  r.seed = 3;
  r.items.push_back({.name = "command", .kind = "exec", .command = "true", .seconds = 0.5});
  const ReportFiles files{.json = dir_ / "r.json", .junit = dir_ / "r.xml", .html = dir_ / "r.html"};
  std::ostringstream err;
  EXPECT_TRUE(files.write(r, err, "synnet-test"));
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(nlohmann::json::parse(read(dir_ / "r.json"))["scenario"], "s</script>");
  EXPECT_NE(read(dir_ / "r.xml").find("<testsuite name=\"s&lt;/script&gt;\""), std::string::npos);
  const std::string html = read(dir_ / "r.html");
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(html.find("<span id=\"scenario\">s&lt;/script&gt;</span>"), std::string::npos);

  const ReportFiles bad{.json = dir_ / "r2.json", .html = dir_ / "gone/r.html"};
  EXPECT_FALSE(bad.write(r, err, "synnet-test run"));
  EXPECT_NE(err.str().find("synnet-test run: cannot write --html " + (dir_ / "gone/r.html").string() + ": "),
            std::string::npos)
      << err.str();
  EXPECT_TRUE(fs::exists(dir_ / "r2.json")) << "the others are still written";
}

TEST(ReplayCommand, KeepsWhatReplaysTheRunWithTheSeed) {
  EXPECT_EQ(replay_command({"/usr/local/bin/synnet-test", "scenarios/lossy-link.json"}, 42),
            "synnet-test scenarios/lossy-link.json --seed 42");
  EXPECT_EQ(replay_command({"synnet-test", "x.json", "--json", "r.json", "--seed", "7", "--html=r.html", "--keep",
                            "--junit", "j.xml", "--listen", "127.0.0.1:0", "--seed=8"},
                           9),
            "synnet-test x.json --keep --seed 9");
  EXPECT_EQ(replay_command({"synnet-test", "run", "--loss", "2%", "--peer-cmd", "iperf3 -s", "--html", "r.html", "--",
                            "sh", "-c", "ping -c 3 $SYNNET_PEER", "--seed", "1", "it's"},
                           5),
            "synnet-test run --loss 2% --peer-cmd 'iperf3 -s' --seed 5 -- sh -c 'ping -c 3 $SYNNET_PEER' --seed 1 "
            "'it'\\''s'");
  EXPECT_EQ(replay_command({}, 1), "synnet-test --seed 1");
}

}  // namespace
}  // namespace synnet
