// End-to-end runs of `synnet-test up` and `down`, and of the control API
// steering real traffic, as root: a network brought up, changed through its
// UNIX socket with curl (loss, partition, heal) while ping runs in its
// namespaces, torn down by `down` with nothing left behind; and a scenario
// whose exec step changes its own network through $SYNNET_API between two
// ping steps that see the effect. Skips with a reason when not root.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "netns/process.hpp"
#include "netns/run_id.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kBinary = SYNNET_TEST_BINARY;

// A file in the temporary directory holding `text`, removed when the test
// ends (also when an assertion ends it early).
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_((fs::temp_directory_path() / ("synnet-" + std::to_string(::getpid()) + "-" + name)).string()) {
    std::ofstream(path_) << text;
  }
  ~TempFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

// The run's prefix from up's stderr ("...: run snxxxxx, seed N"), waiting until the API is announced.
std::string wait_until_up(Process& up) {
  for (int i = 0; i < 600 && up.running(); ++i) {
    const std::string err = up.errors();
    if (err.find("stays up") != std::string::npos) {
      const auto at = err.find(": run sn");
      return at == std::string::npos ? "" : err.substr(at + 6, 7);
    }
    std::this_thread::sleep_for(50ms);
  }
  return "";
}

// curl over the run's socket: {status, body}.
std::pair<int, std::string> api(const std::string& prefix, const std::string& method, const std::string& path,
                                const std::string& body = "") {
  std::vector<std::string> argv = {"curl", "-s", "--unix-socket",  run_api_socket(prefix), "-X",
                                   method, "-w", "\n%{http_code}", "http://synnet" + path};
  if (!body.empty()) argv.insert(argv.end(), {"-H", "Content-Type: application/json", "-d", body});
  const ProcessResult r = run_process(-1, {.argv = argv, .deadline = 20s});
  const auto nl = r.out.rfind('\n');
  if (nl == std::string::npos) return {-1, r.out + r.err};
  return {std::atoi(r.out.c_str() + nl + 1), r.out.substr(0, nl)};
}

// ping's loss in percent, from host `netns` to `address`.
double ping_loss(const std::string& netns, const std::string& address) {
  const ProcessResult r = run_process(
      -1, {.argv = {"ip", "netns", "exec", netns, "ping", "-c", "10", "-i", "0.05", "-W", "1", "-q", address},
           .deadline = 30s});
  const auto at = r.out.find("% packet loss");
  if (at == std::string::npos) return -1;
  const auto start = r.out.rfind(' ', at);
  return std::atof(r.out.c_str() + start + 1);
}

const char* const kPair = R"({"name": "api-pair",
  "hosts": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
  "switches": [{"name": "s1"}],
  "links": [{"a": "a", "b": "s1"}, {"a": "b", "b": "s1"}, {"a": "c", "b": "s1"}],
  "traffic": [{"ping": {"from": "a", "to": "b"}}]})";

TEST(UpCommand, TheApiSteersARunningNetworkAndDownTearsItDown) {
  SYNNET_REQUIRE_ROOT();
  const TempFile file("up.json", kPair);
  Process up = Process::spawn(-1, {.argv = {kBinary, "up", file.path()}, .kill_grace = 5s});
  const std::string prefix = wait_until_up(up);
  ASSERT_FALSE(prefix.empty()) << up.errors();
  EXPECT_NE(up.errors().find("do not run under `up`"), std::string::npos) << "says its traffic does not run";

  auto [status, body] = api(prefix, "GET", "/v1/run");
  ASSERT_EQ(status, 200) << body;
  const Json run = Json::parse(body);
  EXPECT_EQ(run["prefix"], prefix);
  ASSERT_EQ(run["hosts"].size(), 3u);
  const std::string a = run["hosts"][0]["netns"], b_address = run["hosts"][1]["interfaces"][0]["addresses"][0];
  const std::string b = b_address.substr(0, b_address.find('/'));
  EXPECT_EQ(ping_loss(a, b), 0.0);

  std::tie(status, body) = api(prefix, "PUT", "/v1/links/a-s1/a_to_b", R"({"loss": "100%"})");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(ping_loss(a, b), 100.0) << "the change is in effect once answered";
  std::tie(status, body) = api(prefix, "PATCH", "/v1/links/a-s1/a_to_b", R"({"loss": null})");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body, "{}\n") << "nothing impaired: the answer ends with a newline, for terminals";
  EXPECT_EQ(ping_loss(a, b), 0.0);

  std::tie(status, body) = api(prefix, "POST", "/v1/partition", R"({"partition": [["a"], ["b", "c"]]})");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(ping_loss(a, b), 100.0);
  std::tie(status, body) = api(prefix, "POST", "/v1/heal");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(ping_loss(a, b), 0.0);

  std::tie(status, body) = api(prefix, "GET", "/v1/counters");
  ASSERT_EQ(status, 200);
  EXPECT_NE(body.find("dropped_partition"), std::string::npos);
  std::tie(status, body) = api(prefix, "GET", "/v1/series?since=0");
  ASSERT_EQ(status, 200);
  const Json series = Json::parse(body);
  ASSERT_FALSE(series["samples"].empty());
  std::uint64_t in = 0;
  for (const Json& s : series["samples"]) in += s["links"]["a-s1"]["a_to_b"]["packets_in"].get<std::uint64_t>();
  EXPECT_GE(in, 40u) << "the pings a sent are in the series";
  std::tie(status, body) = api(prefix, "GET", "/metrics");
  EXPECT_NE(body.find("# TYPE synnet_"), std::string::npos);

  const ProcessResult down = run_process(-1, {.argv = {kBinary, "down", prefix}, .deadline = 60s});
  EXPECT_EQ(down.exit_code, 0) << down.err;
  const ProcessResult ended = up.wait();
  EXPECT_EQ(ended.exit_code, 0) << ended.err;
  struct stat st {};
  EXPECT_NE(::stat(run_dir(prefix).c_str(), &st), 0) << "the run's directory (its API socket) is gone";
  EXPECT_FALSE(fs::exists("/run/netns/" + prefix + "-a"));
  EXPECT_EQ(run_process(-1, {.argv = {kBinary, "down", prefix}}).exit_code, 2) << "no such run any more";
}

TEST(UpCommand, ABadFileExits2AndBuildsNothing) {
  SYNNET_REQUIRE_ROOT();
  const TempFile file("bad.json", R"({"name": "x", "hosts": [{"name": "a"}], "links": []})");
  const ProcessResult r = run_process(-1, {.argv = {kBinary, "up", file.path()}, .deadline = 30s});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

// Between two ping steps, an exec step cuts the link through the API its
// environment names ($SYNNET_API); the second ping sees it.
TEST(ScenarioApi, AStepChangesTheNetworkThroughTheApiAndTheNextSeesIt) {
  SYNNET_REQUIRE_ROOT();
  const TempFile file("steps.json", R"({"name": "api-steps",
    "hosts": [{"name": "a"}, {"name": "b"}], "links": [{"a": "a", "b": "b"}],
    "traffic": [
      {"name": "before", "ping": {"from": "a", "to": "b", "count": 10, "interval": "50ms"},
       "expect": {"loss": {"max": "0%"}}},
      {"name": "cut", "exec": {"host": "a", "argv": ["sh", "-c",
        "curl -sf --unix-socket \"$SYNNET_API\" -X PUT -d '{\"loss\": \"100%\"}' http://synnet/v1/links/a-b/a_to_b"]}},
      {"name": "after", "ping": {"from": "a", "to": "b", "count": 10, "interval": "50ms"},
       "expect": {"loss": {"min": "100%"}}}]})");
  const TempFile report("steps.report.json", "");
  const ProcessResult r = run_process(-1, {.argv = {kBinary, file.path(), "--json", report.path()}, .deadline = 120s});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ifstream in(report.path());
  const Json j = Json::parse(in, nullptr, false);
  ASSERT_TRUE(j.is_object());
  ASSERT_FALSE(j["timeline"].empty()) << "the API's change is in the report's timeline";
  EXPECT_NE(j["timeline"][0].get<std::string>().find("api: a-b a_to_b {loss 100%}"), std::string::npos)
      << j["timeline"];
}

}  // namespace
}  // namespace synnet
