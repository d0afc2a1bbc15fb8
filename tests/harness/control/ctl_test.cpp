// `synnet-test ctl`'s pure parts (harness/control/ctl.hpp): flags into merge
// patches per direction, partition groups into the API's body, the API's
// errors into one line, and the show, counters and watch views from JSON
// answers as the control API writes them (harness/control/README.md).
#include "harness/control/ctl.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace synnet::ctl {
namespace {

TEST(LinkPatches, ATwoWayFlagPatchesBothDirections) {
  const std::vector<LinkPatch> p = link_patches({{"loss", "5%"}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].dir, "a_to_b");
  EXPECT_EQ(p[0].body, Json::parse(R"({"loss": "5%"})"));
  EXPECT_EQ(p[1].dir, "b_to_a");
  EXPECT_EQ(p[1].body, Json::parse(R"({"loss": "5%"})"));
}

TEST(LinkPatches, UpIsAToBDownIsBToAAndOnlyChangedDirectionsArePatched) {
  std::vector<LinkPatch> p = link_patches({{"up-delay", "40ms"}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].dir, "a_to_b");
  EXPECT_EQ(p[0].body.dump(), R"({"delay":"40ms"})");
  p = link_patches({{"down-rate", "10Mbit"}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].dir, "b_to_a");
  EXPECT_EQ(p[0].body.dump(), R"({"rate":"10Mbit"})");
}

TEST(LinkPatches, TheOneWayFlagWinsAndEachKeyRemembersItsFlag) {
  const std::vector<LinkPatch> p = link_patches({{"loss", "5%"}, {"up-loss", "100%"}, {"delay", "10ms"}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].body, Json::parse(R"({"loss": "100%", "delay": "10ms"})"));
  EXPECT_EQ(p[1].body, Json::parse(R"({"loss": "5%", "delay": "10ms"})"));
  EXPECT_EQ(flag_at(p[0], "/loss"), "--up-loss");
  EXPECT_EQ(flag_at(p[1], "/loss"), "--loss");
  EXPECT_EQ(flag_at(p[0], "/delay/foo"), "--delay");
  EXPECT_EQ(flag_at(p[0], "/rate"), "");
  EXPECT_EQ(flag_at(p[0], ""), "");
}

TEST(LinkPatches, NoneAndOffRemoveTheKeyWithNull) {
  const std::vector<LinkPatch> p = link_patches({{"up-loss", "none"}, {"down-delay", "off"}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].body.dump(), R"({"loss":null})");
  EXPECT_EQ(p[1].body.dump(), R"({"delay":null})");
}

TEST(LinkPatches, ARateTraceIsAnAbsolutePathThatReplacesAFixedRate) {
  const std::string here = std::filesystem::current_path().string();
  std::vector<LinkPatch> p = link_patches({{"rate", "10Mbit"}, {"up-rate-trace", "traces/lte.up"}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].body, Json::parse(R"({"rate": {"trace": ")" + here +
                                   R"(/traces/lte.up", "rate": null, "burst": null, "mode": null}})"));
  EXPECT_EQ(flag_at(p[0], "/rate/trace"), "--up-rate-trace");
  EXPECT_EQ(p[1].body, Json::parse(R"({"rate": "10Mbit"})"));
  p = link_patches({{"down-rate-trace", "/t/lte.down"}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].dir, "b_to_a");
  EXPECT_EQ(p[0].body["rate"]["trace"], "/t/lte.down");
  EXPECT_EQ(link_patches({{"rate-trace", "none"}})[0].body.dump(), R"({"rate":null})");
  try {
    link_patches({{"up-rate", "1Mbit"}, {"up-rate-trace", "x"}});
    ADD_FAILURE() << "no error";
  } catch (const CtlError& e) {
    EXPECT_STREQ(e.what(),
                 "--up-rate and --up-rate-trace both set the rate: give a fixed rate or a capacity trace, not both");
  }
}

TEST(LinkPatches, KeysFollowTheChainOrderAndMtuIsANumber) {
  const std::vector<LinkPatch> p = link_patches({{"up-jitter", "5ms"}, {"up-mtu", "1400"}, {"up-loss", "1%"}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].body.dump(), R"({"mtu":1400,"loss":"1%","jitter":"5ms"})");
}

TEST(LinkPatches, BadFlagsAreRefusedByName) {
  EXPECT_THROW(
      {
        try {
          link_patches({});
        } catch (const CtlError& e) {
          EXPECT_NE(std::string(e.what()).find("nothing to set"), std::string::npos) << e.what();
          throw;
        }
      },
      CtlError);
  try {
    link_patches({{"up-mtu", "14k"}});
    FAIL() << "a non-numeric mtu passed";
  } catch (const CtlError& e) {
    EXPECT_EQ(std::string(e.what()), "--up-mtu: \"14k\" is not a whole number of bytes (e.g. 1400; none removes it)");
  }
  try {
    link_patches({{"latency", "4ms"}});
    FAIL() << "an unknown flag passed";
  } catch (const CtlError& e) {
    EXPECT_EQ(std::string(e.what()), "--latency: not an impairment flag");
  }
}

TEST(PartitionBody, GroupsAreCommaLists) {
  EXPECT_EQ(partition_body({"n1,n2", "n3"}).dump(), R"({"partition":[["n1","n2"],["n3"]]})");
  EXPECT_EQ(partition_body({"a", "b", "c"}).dump(), R"({"partition":[["a"],["b"],["c"]]})");
}

TEST(PartitionBody, RefusesOneGroupEmptyNamesAndAHostTwice) {
  EXPECT_THROW(partition_body({"n1,n2"}), CtlError);
  EXPECT_THROW(partition_body({}), CtlError);
  EXPECT_THROW(partition_body({"n1,", "n2"}), CtlError);
  EXPECT_THROW(partition_body({"n1,,n3", "n2"}), CtlError);
  EXPECT_THROW(partition_body({"", "n2"}), CtlError);
  try {
    partition_body({"n1,n2", "n2"});
    FAIL() << "a host in two groups passed";
  } catch (const CtlError& e) {
    EXPECT_EQ(std::string(e.what()), "host \"n2\" is in two groups; a host may be in one");
  }
}

TEST(ApiErrorText, TheErrorFieldAndItsPath) {
  EXPECT_EQ(api_error_text(404, R"j({"error": "no link \"x\" (links: a-b)"})j"),
            "404 Not Found: no link \"x\" (links: a-b)");
  EXPECT_EQ(api_error_text(400, R"j({"error": "\"10 Mbps\" is not a rate (try \"10Mbit\")", "path": "/rate"})j"),
            "400 Bad Request: \"10 Mbps\" is not a rate (try \"10Mbit\") (at /rate)");
  EXPECT_EQ(api_error_text(502, "bad gateway\n"), "502: bad gateway");
  EXPECT_EQ(api_error_text(405, ""), "405 Method Not Allowed");
}

const char* const kRun = R"({
  "name": "lossy-link", "seed": 42, "prefix": "snk3f9a", "file": "scenarios/lossy-link.json",
  "hosts": [
    {"name": "a", "netns": "snk3f9a-a", "interfaces": [{"name": "eth0", "link": "a-b", "addresses": ["198.18.0.1/24"]}]},
    {"name": "b", "netns": "snk3f9a-b", "interfaces": [{"name": "eth0", "link": "a-b", "addresses": ["198.18.0.2/24", "2001:2::2/64"]}]}
  ],
  "links": [{"name": "a-b", "a": "a", "b": "b", "a_to_b": {"loss": "5%", "delay": "40ms"}, "b_to_a": {}}],
  "switches": [],
  "services": [{"host": "b", "name": "web", "state": "running"}],
  "partitions": [[["n1", "n2"], ["n3"]]],
  "api": {"socket": "/run/synnet/snk3f9a/api.sock", "listen": null},
  "series_interval_ms": 100
})";

TEST(FormatRun, HostsAddressesLinksDirectionsPartitionsServices) {
  const std::string text = format_run(Json::parse(kRun));
  EXPECT_EQ(text,
            "run lossy-link  prefix snk3f9a  seed 42  file scenarios/lossy-link.json\n"
            "api  /run/synnet/snk3f9a/api.sock\n"
            "\n"
            "hosts\n"
            "  a  netns snk3f9a-a  eth0  link a-b  198.18.0.1/24\n"
            "  b  netns snk3f9a-b  eth0  link a-b  198.18.0.2/24 2001:2::2/64\n"
            "\n"
            "links\n"
            "  a-b  (a <-> b)\n"
            "    a_to_b  a -> b  loss 5%, delay 40ms\n"
            "    b_to_a  b -> a  -\n"
            "\n"
            "partitions\n"
            "  n1,n2 | n3\n"
            "\n"
            "services\n"
            "  b/web  running\n");
}

TEST(FormatRun, ToleratesMissingFields) {
  EXPECT_NE(format_run(Json::object()).find("hosts\n  (none)"), std::string::npos);
  EXPECT_EQ(format_direction(Json::parse(R"({"outage": {"every": "10s", "for": "1s"}})")),
            R"(outage {"every":"10s","for":"1s"})");
}

TEST(FormatCounters, CountersThenDropsThatHappenedFirstThenLinks) {
  const Json counters = Json::parse(R"({
    "apps": [
      {"app": "a-b.a_to_b.loss", "name": "dropped_loss", "kind": "drop", "reason": "impairment", "value": 0},
      {"app": "a-b_a", "name": "rx_packets", "kind": "packets", "value": 120},
      {"app": "a-b.a_to_b.rate", "name": "dropped_queue_full", "kind": "drop", "reason": "queue_full", "value": 7}
    ],
    "links": [{"link": "a.out -> b.in", "txpackets": 120, "txbytes": 18000, "rxpackets": 120, "rxbytes": 18000, "txdrop": 0}]
  })");
  EXPECT_EQ(format_counters(counters, false),
            "counters\n"
            "  app    counter     kind     value\n"
            "  a-b_a  rx_packets  packets    120\n"
            "\n"
            "drops (7 packets)\n"
            "  app              counter             reason      value\n"
            "  a-b.a_to_b.rate  dropped_queue_full  queue_full      7\n"
            "  a-b.a_to_b.loss  dropped_loss        impairment      0\n"
            "\n"
            "links\n"
            "  link           txpackets  txbytes  rxpackets  rxbytes  txdrop\n"
            "  a.out -> b.in        120    18000        120    18000       0\n");
  const std::string colored = format_counters(counters, true);
  EXPECT_NE(colored.find("\033[1;31m  a-b.a_to_b.rate  dropped_queue_full  queue_full      7\033[0m"),
            std::string::npos)
      << colored;
  EXPECT_NE(colored.find("\n  a-b.a_to_b.loss  dropped_loss        impairment      0\n"), std::string::npos);
}

// Ten samples of 100 ms: a second.
Json ten_samples() {
  Json samples = Json::array();
  for (int i = 1; i <= 10; ++i) {
    Json s = {{"seq", i}, {"t", i / 10.0}};
    s["links"]["a-b"]["a_to_b"] = {{"packets_in", 100},
                                   {"bytes_in", 125000},
                                   {"packets_out", 90},
                                   {"bytes_out", 112500},
                                   {"drops", {{"impairment", 10}}},
                                   {"queue", i}};
    s["links"]["a-b"]["b_to_a"] = {{"packets_in", 0}, {"bytes_in", 0}, {"packets_out", 0},
                                   {"bytes_out", 0},  {"drops", {}},   {"queue", 0}};
    if (i == 10) s["links"]["a-b"]["b_to_a"]["drops"]["partition"] = 3;
    samples.push_back(s);
  }
  return samples;
}

TEST(WatchFrame, SumsSamplesIntoRatesPerSecond) {
  const WatchFrame f = watch_frame(Json::parse(kRun), ten_samples(), 0.1);
  EXPECT_EQ(f.samples, 10u);
  EXPECT_DOUBLE_EQ(f.span_s, 1.0);
  EXPECT_DOUBLE_EQ(f.t, 1.0);
  ASSERT_EQ(f.rows.size(), 2u);
  const WatchRow& up = f.rows[0];
  EXPECT_EQ(up.link, "a-b");
  EXPECT_EQ(up.dir, "a_to_b");
  EXPECT_EQ(up.ends, "a -> b");
  EXPECT_DOUBLE_EQ(up.in_bps, 10e6);  // 10 × 125000 B × 8 in 1 s
  EXPECT_DOUBLE_EQ(up.out_bps, 9e6);
  EXPECT_DOUBLE_EQ(up.in_pps, 1000);
  EXPECT_DOUBLE_EQ(up.out_pps, 900);
  EXPECT_DOUBLE_EQ(up.drops_per_s.at("impairment"), 100);
  EXPECT_EQ(up.queue, 10) << "the queue is a level: the last sample's";
  EXPECT_EQ(f.rows[1].ends, "b -> a");
  EXPECT_DOUBLE_EQ(f.rows[1].drops_per_s.at("partition"), 3);
}

TEST(WatchFrame, HalfASecondOfSamplesIsScaledToPerSecond) {
  Json samples = ten_samples();
  samples.erase(samples.begin(), samples.begin() + 5);
  const WatchFrame f = watch_frame(Json::parse(kRun), samples, 0.1);
  EXPECT_DOUBLE_EQ(f.span_s, 0.5);
  EXPECT_DOUBLE_EQ(f.rows[0].out_pps, 900);
}

TEST(WatchFrame, LinksTheRunDoesNotListComeAfterAndNoSamplesIsSaid) {
  Json samples = ten_samples();
  samples[0]["links"]["c-d"]["a_to_b"] = {{"packets_out", 10}};
  const WatchFrame f = watch_frame(Json::parse(kRun), samples, 0.1);
  ASSERT_EQ(f.rows.size(), 3u);
  EXPECT_EQ(f.rows[2].link, "c-d");
  EXPECT_DOUBLE_EQ(f.rows[2].out_pps, 10);

  const WatchFrame empty = watch_frame(Json::parse(kRun), Json::array(), 0.1);
  EXPECT_EQ(empty.samples, 0u);
  EXPECT_EQ(format_watch(empty, "title"), "title\n  no new samples (is the run's engine running?)\n");
}

TEST(FormatWatch, ATableOfRatesQueuesAndDrops) {
  const WatchFrame f = watch_frame(Json::parse(kRun), ten_samples(), 0.1);
  EXPECT_EQ(format_watch(f, "watch lossy-link  t=1.0 s"),
            "watch lossy-link  t=1.0 s\n"
            "  link  direction          in Mbit/s  out Mbit/s  out pkt/s  queue  drops/s\n"
            "  a-b   a_to_b     a -> b      10.00        9.00        900     10  impairment 100.0\n"
            "  a-b   b_to_a     b -> a       0.00        0.00          0      0  partition 3.0\n");
}

}  // namespace
}  // namespace synnet::ctl
