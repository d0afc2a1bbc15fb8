// End-to-end `synnet-test ctl`, as root, against `synnet-test up
// scenarios/veth-poc.json` (hosts a and b, link a-b) started in the
// background: show and list find the run; `set a-b --up-loss 100%` makes a
// ping from a to b fail and `--up-loss none` lets it pass again; a partition
// cuts a from b and heal mends it; counters show the drops; watch --count 2
// prints two frames; an unknown link and a bad value exit 2 with the API's
// error; SIGTERM to the up process ends the run and leaves nothing behind.
// Skips when not root.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string api_socket_of(const std::string& prefix) { return "/run/synnet/" + prefix + "/api.sock"; }

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class CtlRun : public ::testing::Test {
 protected:
  void SetUp() override {
    SYNNET_REQUIRE_ROOT();
    before_ = testing::Leftovers::count();
    up_.emplace(Process::spawn(-1, {.argv = {SYNNET_TEST_BINARY, "up", SYNNET_SOURCE_DIR "/scenarios/veth-poc.json"},
                                    .deadline = 300s,
                                    .kill_grace = 15s}));
    // `up` prints its run prefix; the run is ready when its API socket is there.
    for (auto end = std::chrono::steady_clock::now() + 30s;
         prefix_.empty() && std::chrono::steady_clock::now() < end;) {
      const std::string said = up_->output() + " " + up_->errors();
      std::string word;
      for (const char c : said + " ") {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
          word += c;
          continue;
        }
        if (is_run_prefix(word) && std::filesystem::exists(api_socket_of(word))) prefix_ = word;
        word.clear();
      }
      if (prefix_.empty() && !up_->running()) break;
      if (prefix_.empty()) std::this_thread::sleep_for(50ms);
    }
    ASSERT_FALSE(prefix_.empty()) << "synnet-test up printed no run prefix with an API socket:\n"
                                  << up_->output() << up_->errors();

    const ProcessResult show = ctl({"show", "--json"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    run_ = json::parse(show.out);
    for (const json& host : run_["hosts"]) {
      if (host["name"] == "a") netns_a_ = std::filesystem::path(host["netns"].get<std::string>()).filename();
      if (host["name"] == "b") {
        const std::string cidr = host["interfaces"][0]["addresses"][0];
        address_b_ = cidr.substr(0, cidr.find('/'));
      }
    }
    ASSERT_FALSE(netns_a_.empty()) << show.out;
    ASSERT_FALSE(address_b_.empty()) << show.out;
  }

  void TearDown() override {
    if (IsSkipped() || !up_) return;
    // SIGTERM to the process we started (its own process group), then wait for it.
    const ProcessResult r = up_->terminate();
    EXPECT_EQ(r.signal, 0) << "synnet-test up did not end on SIGTERM within 15 s: " << r.describe() << "\n" << r.err;
    up_.reset();
    EXPECT_FALSE(std::filesystem::exists(api_socket_of(prefix_))) << "the API socket was left behind";
    EXPECT_EQ(testing::Leftovers::count(), before_) << "the run left something behind";
  }

  // synnet-test ctl --run PREFIX ARGS...
  ProcessResult ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {SYNNET_TEST_BINARY, "ctl", "--run", prefix_});
    return run_process(-1, {.argv = args, .deadline = 30s});
  }

  // A ping from a to b through the engine (ip netns exec, as a person would).
  bool a_reaches_b() const {
    const ProcessResult r = run_process(
        -1, {.argv = {"ip", "netns", "exec", netns_a_, "ping", "-c", "3", "-i", "0.2", "-W", "1", address_b_},
             .env = {"LANG=C"},
             .deadline = 20s});
    return r.ok();
  }

  testing::Leftovers before_;
  std::optional<Process> up_;
  std::string prefix_, netns_a_, address_b_;
  json run_;
};

TEST_F(CtlRun, ShowSetCountersWatch) {
  const ProcessResult list = run_process(-1, {.argv = {SYNNET_TEST_BINARY, "ctl", "list"}, .deadline = 30s});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(prefix_ + "  veth-poc  " + api_socket_of(prefix_)), std::string::npos) << list.out;
  if (occurrences(list.out, "\n") == 1) {  // the only run with an API: found without --run
    const ProcessResult found = run_process(-1, {.argv = {SYNNET_TEST_BINARY, "ctl", "show"}, .deadline = 30s});
    EXPECT_EQ(found.exit_code, 0) << found.err;
    EXPECT_NE(found.out.find("prefix " + prefix_), std::string::npos) << found.out;
  }

  const ProcessResult show = ctl({"show"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("run veth-poc  prefix " + prefix_), std::string::npos) << show.out;
  EXPECT_NE(show.out.find(address_b_ + "/24"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("    a_to_b  a -> b  -\n"), std::string::npos) << show.out;
  EXPECT_TRUE(a_reaches_b()) << "before any change";

  ProcessResult set = ctl({"set", "a-b", "--up-loss", "100%"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "a-b a_to_b: loss 100%\n");
  EXPECT_FALSE(a_reaches_b()) << "with 100% loss a -> b";
  const ProcessResult raw = ctl({"raw", "GET", "/v1/links/a-b/a_to_b"});
  EXPECT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_EQ(json::parse(raw.out), json::parse(R"({"loss": "100%"})")) << raw.out;
  EXPECT_NE(ctl({"show"}).out.find("    a_to_b  a -> b  loss 100%\n"), std::string::npos);

  const ProcessResult counters = ctl({"counters"});
  EXPECT_EQ(counters.exit_code, 0) << counters.err;
  EXPECT_NE(counters.out.find("counters\n  app "), std::string::npos) << counters.out;
  EXPECT_EQ(counters.out.find("drops (0 packets)"), std::string::npos)
      << "the 100% loss dropped pings (an app's counters go with it: read while it is there):\n"
      << counters.out;
  EXPECT_NE(counters.out.find("impairment"), std::string::npos) << counters.out;

  set = ctl({"set", "a-b", "--up-loss", "none"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "a-b a_to_b: -\n");
  EXPECT_TRUE(a_reaches_b()) << "after --up-loss none";

  const ProcessResult counters_json = ctl({"counters", "--json"});
  EXPECT_EQ(counters_json.exit_code, 0) << counters_json.err;
  EXPECT_TRUE(json::parse(counters_json.out).contains("apps")) << counters_json.out;

  const ProcessResult watch = ctl({"watch", "--count", "2"});
  EXPECT_EQ(watch.exit_code, 0) << watch.err;
  EXPECT_EQ(occurrences(watch.out, "synnet-test ctl watch  veth-poc (" + prefix_ + ")"), 2u) << watch.out;
  EXPECT_EQ(watch.out.find("\033["), std::string::npos) << "no ANSI codes when stdout is not a terminal";
  EXPECT_EQ(occurrences(watch.out, "  a-b   a_to_b     a -> b  "), 2u) << watch.out;
  EXPECT_EQ(occurrences(watch.out, "  a-b   b_to_a     b -> a  "), 2u) << watch.out;
  EXPECT_LT(watch.elapsed, 5s);
}

TEST_F(CtlRun, PartitionHealAndErrors) {
  ProcessResult r = ctl({"partition", "a", "b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("applied: partition a | b"), std::string::npos) << r.out;
  EXPECT_FALSE(a_reaches_b()) << "a and b in two groups";
  EXPECT_NE(ctl({"show"}).out.find("partitions\n  a | b\n"), std::string::npos);
  r = ctl({"heal"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("applied: heal"), std::string::npos) << r.out;
  EXPECT_TRUE(a_reaches_b()) << "healed";

  r = ctl({"set", "nolink", "--loss", "5%"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("synnet-test ctl set: PATCH /v1/links/nolink/a_to_b: 404 Not Found: "), std::string::npos)
      << r.err;

  r = ctl({"set", "a-b", "--up-rate", "10 Mbps"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("PATCH /v1/links/a-b/a_to_b: 400 Bad Request: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[--up-rate]"), std::string::npos) << "the flag is named: " << r.err;

  r = ctl({"raw", "GET", "/v1/nothing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("GET /v1/nothing: 404"), std::string::npos) << r.err;

  r = run_process(-1, {.argv = {SYNNET_TEST_BINARY, "ctl", "--run", "sn00000", "show"}, .deadline = 30s});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("run sn00000 is not running"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace synnet
