// api_test.cpp — the control API's requests and answers (harness/control/api.hpp)
// on a real LiveNetwork whose engines are not started: changes then move the
// network's state alone, as while an engine_off item runs, so no root is
// needed. The same requests over HTTP to running engines are in
// api_server_test.cpp and the command tests.
#include "harness/control/api.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/scenario/network.hpp"

namespace synnet {
namespace {

using ApiJson = nlohmann::json;  // what the API answers

const Scenario kCluster = parse_scenario(R"({"name": "c", "seed": 7,
  "hosts": [{"name": "n1"}, {"name": "n2"}, {"name": "n3"}],
  "switches": [{"name": "s1"}],
  "links": [{"a": "n1", "b": "s1", "a_to_b": {"loss": "1%", "delay": "20ms"}}, {"a": "n2", "b": "s1"},
            {"a": "s1", "b": "n3"}],
  "traffic": [{"ping": {"from": "n1", "to": "n3"}}]})");

EngineConfigs configs_of(const Scenario& s, const NetworkState& state) {
  const Network n = network_of(s);
  Wires w{.netns_path = "/run/netns/none", .ends = {}, .macs = {}};
  for (std::size_t i = 0; i < n.interfaces.size(); ++i) {
    w.ends.push_back("w" + std::to_string(i));
    w.macs.push_back({0x02, 0, 0, 0, 0, static_cast<std::uint8_t>(i + 1)});
  }
  return network_engines(s, n, w, state);
}

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : engines_(2, 7), live_(kCluster, engines_, [](const NetworkState& st) { return configs_of(kCluster, st); }) {
    RunDescription d;
    d.fixed = {{"name", "c"}, {"seed", 7}, {"prefix", "sntest1"}};
    api_.emplace(live_, d);
  }

  HttpResponse call(const std::string& method, const std::string& path, const std::string& body = "",
                    const std::string& query = "") {
    return api_->handle({.method = method, .path = path, .query = query, .body = body});
  }
  ApiJson json(const HttpResponse& r) { return ApiJson::parse(r.body); }

  EngineGroup engines_;
  LiveNetwork live_;
  std::optional<Api> api_;
};

TEST_F(ApiTest, RunSaysWhatIsImpairedNow) {
  const HttpResponse r = call("GET", "/v1/run");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  const ApiJson j = json(r);
  EXPECT_EQ(j["name"], "c");
  EXPECT_EQ(j["prefix"], "sntest1");
  ASSERT_EQ(j["links"].size(), 3u);
  EXPECT_EQ(j["links"][0]["name"], "n1-s1");
  EXPECT_EQ(j["links"][0]["a_to_b"], ApiJson::parse(R"({"loss": "1%", "delay": "20ms"})"));
  EXPECT_EQ(j["links"][0]["b_to_a"], ApiJson::object());
  EXPECT_EQ(j["partitions"], ApiJson::array());
  EXPECT_EQ(j["series_interval_ms"], 100);
}

TEST_F(ApiTest, PutReplacesADirectionAndGetShowsIt) {
  HttpResponse r = call("PUT", "/v1/links/n2-s1/b_to_a", R"({"loss": "5%", "rate": "10Mbit"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r), ApiJson::parse(R"({"loss": "5%", "rate": "10Mbit"})"));
  EXPECT_TRUE(live_.state().links[1].b_to_a.impairments.loss);
  r = call("GET", "/v1/links/n2-s1/b_to_a");
  EXPECT_EQ(json(r), ApiJson::parse(R"({"loss": "5%", "rate": "10Mbit"})"));
  r = call("PUT", "/v1/links/n2-s1/b_to_a", "{}");
  EXPECT_EQ(json(r), ApiJson::object()) << "{} removes every impairment";
}

TEST_F(ApiTest, PatchMergesAndNullRemoves) {
  HttpResponse r = call("PATCH", "/v1/links/n1-s1/a_to_b", R"({"loss": "7%", "delay": null, "jitter": "5ms"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r), ApiJson::parse(R"({"loss": "7%", "jitter": "5ms"})"));
}

TEST_F(ApiTest, ABadBodyIs400WithThePathAndTheParsersHintAndChangesNothing) {
  const NetworkState before = live_.state();
  HttpResponse r = call("PUT", "/v1/links/n1-s1/a_to_b", R"({"loss": "5%", "rate": "10 Mbps"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["path"], "/rate");
  EXPECT_NE(json(r)["error"].get<std::string>().find("10Mbit"), std::string::npos) << r.body;
  r = call("PATCH", "/v1/links/n1-s1/a_to_b", R"({"latency": "5ms"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("did you mean"), std::string::npos) << r.body;
  r = call("PUT", "/v1/links/n1-s1/a_to_b", R"({"loss": "5%",})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("line 1, column"), std::string::npos) << "malformed JSON: the position; " << r.body;
  r = call("PUT", "/v1/links/n1-s1/a_to_b", R"(["loss"])");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(live_.state().links[0].a_to_b, before.links[0].a_to_b);
}

// Traces in a body: files relative to the server's directory (here absolute),
// read before anything changes; a PATCH reads them again from the paths
// GET shows.
TEST_F(ApiTest, ADirectionTakesTracesByTheirPaths) {
  const std::string traces = std::string(SYNNET_SOURCE_DIR) + "/scenarios/traces/";
  const std::string rtt = traces + "rtt-handover.csv", loss = traces + "loss-burst.csv";
  HttpResponse r = call("PUT", "/v1/links/n1-s1/a_to_b",
                        R"({"delay": {"trace": ")" + rtt + R"(", "shape": "linear"}, "loss": {"trace": ")" + loss +
                            R"(", "loop": true}})");
  ASSERT_EQ(r.status, 200) << r.body;
  const ApiJson both = ApiJson::parse(R"({"loss": {"trace": ")" + loss + R"(", "loop": true}, "delay": {"trace": ")" +
                                      rtt + R"(", "shape": "linear"}})");
  EXPECT_EQ(json(r), both);
  ASSERT_TRUE(live_.state().links[0].a_to_b.impairments.latency);
  EXPECT_EQ(live_.state().links[0].a_to_b.impairments.latency->trace->points.size(), 201u);
  r = call("PATCH", "/v1/links/n1-s1/a_to_b", R"({"jitter": "5ms"})");
  ASSERT_EQ(r.status, 200) << r.body;
  ApiJson with_jitter = both;
  with_jitter["jitter"] = "5ms";
  EXPECT_EQ(json(r), with_jitter);

  const NetworkState before = live_.state();
  r = call("PATCH", "/v1/links/n1-s1/a_to_b", R"({"delay": {"trace": ")" + traces + R"(lte-driving.up"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["path"], "/delay/trace");
  EXPECT_NE(json(r)["error"].get<std::string>().find(traces + "lte-driving.up\" line 1: \"15\" is not TIME,VALUE"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(live_.state().links[0].a_to_b, before.links[0].a_to_b);
}

TEST_F(ApiTest, ARateFollowsACapacityTrace) {
  const std::string lte = std::string(SYNNET_SOURCE_DIR) + "/scenarios/traces/lte-driving.down";
  const HttpResponse r = call("PUT", "/v1/links/n2-s1/b_to_a",
                              R"({"rate": {"trace": ")" + lte + R"(", "queue": {"discipline": "codel"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r), ApiJson::parse(R"({"rate": {"trace": ")" + lte + R"(", "queue": {"discipline": "codel"}}})"));
  ASSERT_TRUE(live_.state().links[1].b_to_a.impairments.rate);
  EXPECT_EQ(live_.state().links[1].b_to_a.impairments.rate->trace->period_ms(), 20'000u);
}

TEST_F(ApiTest, PartitionAndHeal) {
  HttpResponse r = call("POST", "/v1/partition", R"({"partition": [["n1", "n2"], ["n3"]]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["applied"][0], "partition n1,n2 | n3");
  EXPECT_EQ(json(call("GET", "/v1/run"))["partitions"], ApiJson::parse(R"([[["n1", "n2"], ["n3"]]])"));
  r = call("POST", "/v1/partition", R"({"partition": [["n1"], ["n4"]]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["path"], "/partition/1/0");
  r = call("POST", "/v1/partition", R"({"heal": true})");
  EXPECT_EQ(r.status, 400) << "the partition path takes partitions only";
  r = call("POST", "/v1/heal", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(live_.state().partitions.empty());
}

TEST_F(ApiTest, ChangesAreAllOrNothing) {
  HttpResponse r =
      call("POST", "/v1/changes", R"([{"link": "n2-s1", "a_to_b": {"loss": "3%"}}, {"link": "n9-s1", "a_to_b": {}}])");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["path"], "/1/link");
  EXPECT_FALSE(live_.state().links[1].a_to_b.impairments.loss) << "the first change was not applied either";
  r = call("POST", "/v1/changes", R"([{"link": "n2-s1", "a_to_b": {"loss": "3%"}}, {"partition": [["n1"], ["n2"]]}])");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["applied"].size(), 2u);
  EXPECT_TRUE(live_.state().links[1].a_to_b.impairments.loss);
  EXPECT_EQ(live_.state().partitions.size(), 1u);
  const auto log = live_.changes_since(0);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].source, "api");
  const ApiJson listed = json(call("GET", "/v1/changes"));
  ASSERT_EQ(listed["changes"].size(), 2u);
  EXPECT_EQ(listed["changes"][0]["applied"][0], "n2-s1 a_to_b {loss 3%}");
  EXPECT_EQ(listed["changes"][1]["source"], "api");
  EXPECT_EQ(call("DELETE", "/v1/changes").allow, "GET, POST");
}

TEST_F(ApiTest, UnknownPathsLinksAndMethods) {
  EXPECT_EQ(call("GET", "/v2/run").status, 404);
  EXPECT_EQ(call("GET", "/v1").status, 404) << "ci/fuzz api found a read past the path's parts here";
  EXPECT_EQ(call("GET", "/v1/links/n1-s1").status, 404);
  EXPECT_EQ(call("GET", "//v1//run/").status, 200) << "empty segments are skipped";
  EXPECT_EQ(call("GET", "/v1/links/n1-s2/a_to_b").status, 404);
  EXPECT_NE(call("GET", "/v1/links/n1-s2/a_to_b").body.find("n1-s1"), std::string::npos) << "did you mean";
  EXPECT_EQ(call("GET", "/v1/links/n1-s1/up").status, 404);
  HttpResponse r = call("DELETE", "/v1/run");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "GET");
  r = call("GET", "/v1/partition");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "POST");
  r = call("POST", "/v1/links/n1-s1/a_to_b", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "GET, PUT, PATCH");
}

TEST_F(ApiTest, BodiesOverOneMebibyteAre413) {
  const HttpResponse r = call("PUT", "/v1/links/n1-s1/a_to_b", std::string(Api::kMaxBody + 1, ' '));
  EXPECT_EQ(r.status, 413);
}

TEST_F(ApiTest, SeriesCountersMetricsAndEvents) {
  EXPECT_EQ(call("GET", "/v1/series", "", "since=x").status, 400);
  EXPECT_EQ(call("GET", "/v1/series", "", "until=3").status, 400);
  HttpResponse r = call("GET", "/v1/series", "", "since=0");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["interval_ms"], 100);
  r = call("GET", "/v1/counters");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json(r).contains("apps"));
  r = call("GET", "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  r = call("GET", "/v1/events");
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.content_type, "text/event-stream");
}

TEST_F(ApiTest, TheChangeEventSaysWhatWasApplied) {
  auto sub = live_.events().subscribe();
  ASSERT_EQ(call("POST", "/v1/heal", R"({"heal": true})").status, 200);
  std::optional<std::string> e;
  for (int i = 0; i < 50 && !(e && e->starts_with("event: change")); ++i) e = sub->next(std::chrono::milliseconds(100));
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("\"applied\": [\"heal\"]"), std::string::npos) << *e;
}

}  // namespace
}  // namespace synnet

namespace synnet {
namespace {

TEST(LiveNetworkLog, KeepsTheLastChangesAndCountsFromTheFirst) {
  EngineGroup engines(2, 7);
  LiveNetwork live(kCluster, engines, [](const NetworkState& st) { return configs_of(kCluster, st); });
  const std::size_t made = LiveNetwork::kMaxChangeLog + 5;
  for (std::size_t i = 0; i < made; ++i) live.apply({HealChange{}});
  EXPECT_EQ(live.changes_since(0).size(), LiveNetwork::kMaxChangeLog) << "bounded";
  EXPECT_EQ(live.changes_since(made - 1).size(), 1u) << "indexes count every change made";
  EXPECT_TRUE(live.changes_since(made).empty());
}

}  // namespace
}  // namespace synnet
