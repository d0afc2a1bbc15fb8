// The HTML report (--html) in a real browser: tests/browser/report_test.mjs
// (node, puppeteer-core, Debian's chromium) opens the file from disk with
// every request refused and checks that every plot rendered, with no console
// error; its screenshots go to build/browser/. Two reports:
//   - the hand-made version-4 fixture (html_report_fixture.hpp, with hostile
//     text): all ten plot kinds it has, as report_html writes them
//     (report-fixture.html, report-fixture.png);
//   - a real run, as root: `synnet-test scenarios/outage.json --html ...`
//     (ping through a 3 s outage: its changes, RTTs and losses; ~10 s)
//     (report.html, report.png).
// Skips with a reason without /usr/bin/chromium, node or tests/browser/node_modules
// (ci/install installs them), and the real run when not root.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "harness/report/html_report.hpp"
#include "netns/process.hpp"
#include "tests/harness/report/html_report_fixture.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kSource = SYNNET_SOURCE_DIR;
const std::string kChromium = "/usr/bin/chromium";
const fs::path kOut = SYNNET_SCREENSHOT_DIR;

bool node_in_path() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (::access((fs::path(dir) / "node").c_str(), X_OK) == 0) return true;
  }
  return false;
}

class HtmlReportInChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kChromium.c_str(), X_OK) != 0) GTEST_SKIP() << "needs " << kChromium << " (ci/install: chromium)";
    if (!node_in_path()) GTEST_SKIP() << "needs node in PATH (ci/install: nodejs npm)";
    if (!fs::exists(kSource + "/tests/browser/node_modules/puppeteer-core")) {
      GTEST_SKIP() << "needs tests/browser/node_modules (ci/install runs npm ci --prefix tests/browser)";
    }
    fs::create_directories(kOut);
  }

  // report_test.mjs on `html`; its screenshot to `png`.
  static void open_in_chromium(const fs::path& html, const fs::path& png, const std::vector<std::string>& expect) {
    fs::remove(png);
    std::vector<std::string> argv = {"node", kSource + "/tests/browser/report_test.mjs", html.string(), png.string()};
    argv.insert(argv.end(), expect.begin(), expect.end());
    const ProcessResult r = run_process(-1, {.argv = argv, .deadline = 90s});
    EXPECT_TRUE(r.ok()) << r.describe() << "\n" << r.out << r.err;
    EXPECT_TRUE(fs::exists(png) && fs::file_size(png) > 0) << png;
  }
};

TEST_F(HtmlReportInChromium, TheFixtureShowsEveryPlotWithNoErrorAndNoRequest) {
  const fs::path html = kOut / "report-fixture.html";
  std::ofstream(html) << report_html(testing::report_v4_fixture(/*hostile=*/true));
  // ping: rtt, loss, queue_delay; udp: throughput, loss, queue_delay; 2 directions × (throughput, drops).
  open_in_chromium(html, kOut / "report-fixture.png", {"--plots", "10", "--items", "2", "--directions", "2"});
}

TEST_F(HtmlReportInChromium, ARealRunsReportShowsItsPlots) {
  SYNNET_REQUIRE_ROOT();
  const fs::path html = kOut / "report.html";
  const fs::path json = kOut / "report.json";
  fs::remove(html);
  const ProcessResult run = run_process(-1, {.argv = {SYNNET_TEST_BINARY, kSource + "/scenarios/outage.json", "--quiet",
                                                      "--html", html.string(), "--json", json.string()},
                                             .deadline = 60s});
  // 0, or 1 when the outage's timing missed a bound on a loaded machine: the report is written either way.
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.describe() << "\n" << run.out << run.err;
  std::ifstream in(json);
  const nlohmann::json report = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(report.is_object()) << json;
  // As many items and link directions shown as the report has (the series: JSON version 4).
  std::size_t directions = 0;
  if (report.contains("series")) {
    for (const auto& [link, dirs] : report["series"]["links"].items()) directions += dirs.size();
  }
  open_in_chromium(html, kOut / "report.png",
                   {"--items", std::to_string(report["items"].size()), "--directions", std::to_string(directions)});
}

}  // namespace
}  // namespace synnet
