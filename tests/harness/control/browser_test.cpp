// The web page in a real browser, as root, against a real network:
// `synnet-test up scenarios/lossy-link.json --listen 127.0.0.1:<port>`, pings
// from one host to the other, then tests/browser/page_test.mjs (node,
// puppeteer-core, Debian's chromium) opens http://127.0.0.1:<port>/, sees the
// traffic on the plots, sets loss 7% through the page's form, checks through
// the API that the engine took it and that a change marker appears, and saves
// a screenshot to build/browser/page.png. Skips with a reason when not
// root, or without /usr/bin/chromium, node, or tests/browser/node_modules
// (ci/install installs them).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "netns/netns.hpp"
#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kSource = SYNNET_SOURCE_DIR;
const std::string kBinary = SYNNET_TEST_BINARY;
const std::string kChromium = "/usr/bin/chromium";

// The named program's path in PATH, or "".
std::string in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// A TCP port nothing listens on now, on 127.0.0.1 (the kernel's pick).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

class WebPage : public ::testing::Test {
 protected:
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    if (::access(kChromium.c_str(), X_OK) != 0) GTEST_SKIP() << "needs " << kChromium << " (ci/install: chromium)";
    if (in_path("node").empty()) GTEST_SKIP() << "needs node in PATH (ci/install: nodejs npm)";
    if (!fs::exists(kSource + "/tests/browser/node_modules/puppeteer-core")) {
      GTEST_SKIP() << "needs tests/browser/node_modules (ci/install runs npm ci --prefix tests/browser)";
    }
  }
};

TEST_F(WebPage, ShowsTrafficAndAppliesAChangeInChromium) {
  const int port = free_port();
  ASSERT_GT(port, 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(port) + "/";
  Process up = Process::spawn(-1, {.argv = {kBinary, "up", kSource + "/scenarios/lossy-link.json", "--listen",
                                            "127.0.0.1:" + std::to_string(port)},
                                   .deadline = 300s});

  // Up once the API answers GET /v1/run (the network is built before it listens).
  nlohmann::json run;
  for (auto end = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < end;) {
    ASSERT_TRUE(up.running()) << "synnet-test up ended: " << up.errors();
    const ProcessResult r = run_process(-1, {.argv = {"curl", "-sSf", "-m", "2", base + "v1/run"}, .deadline = 5s});
    if (r.ok()) {
      run = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
      break;
    }
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(run.is_object()) << "GET /v1/run did not answer JSON within 60 s; up says: " << up.errors();
  ASSERT_TRUE(run["hosts"].is_array() && run["hosts"].size() == 2) << run.dump();
  ASSERT_TRUE(run["links"].is_array() && !run["links"].empty()) << run.dump();
  const std::string link = run["links"][0]["name"];

  // Traffic both ways on the link: host 0 pings host 1 every 50 ms.
  const std::string netns = run["hosts"][0]["netns"];
  std::string to = run["hosts"][1]["interfaces"][0]["addresses"][0];
  to = to.substr(0, to.find('/'));
  const Netns from = Netns::open(netns.front() == '/' ? netns : "/run/netns/" + netns);
  Process ping = Process::spawn(
      from.fd(), {.argv = {"ping", "-i", "0.05", "-W", "1", "-w", "150", to}, .env = {"LANG=C"}, .deadline = 180s});

  const fs::path screenshot = fs::path(SYNNET_SCREENSHOT_DIR) / "page.png";
  fs::create_directories(screenshot.parent_path());
  fs::remove(screenshot);
  const ProcessResult page = run_process(-1, {.argv = {"node", kSource + "/tests/browser/page_test.mjs", base,
                                                       screenshot.string(), "--link", link, "--dir", "a_to_b"},
                                              .deadline = 150s});
  EXPECT_TRUE(page.ok()) << page.describe() << "\n" << page.out << page.err;
  EXPECT_TRUE(fs::exists(screenshot) && fs::file_size(screenshot) > 0) << screenshot;
  const std::string pings = ping.output();
  EXPECT_NE(pings.find("bytes from " + to), std::string::npos) << "no ping reply: " << pings << ping.errors();

  ping.terminate();
  ASSERT_EQ(::kill(up.pid(), SIGTERM), 0);
  const ProcessResult stopped = up.wait();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.describe() << "\n" << stopped.err;
}

}  // namespace
}  // namespace synnet
