// profile_test.cpp — profile_scenario: impairment flags and a profile into
// the one-link scenario of `synnet-test run`, and the mapping of the scenario
// parser's errors back to the flag ("--up-rate: ...") or to the profile's own
// JSON path ("profile slow.json: /a_to_b/...").
#include "harness/scenario/profile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace synnet {
namespace {

// The ProfileError's what() for these flags and profile ("" when none is thrown).
std::string error(const std::map<std::string, std::string>& flags, const std::string& profile = "") {
  try {
    profile_scenario(flags, profile, "slow.json");
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "";
}

TEST(Profile, FlagsSetBothDirectionsAndOneWayFlagsWin) {
  const Scenario s = profile_scenario({{"loss", "5%"}, {"down-loss", "1%"}, {"up-delay", "40ms"}, {"mtu", "1400"}});
  ASSERT_EQ(s.links.size(), 1u);
  const ScenarioLink& l = s.links[0];
  EXPECT_EQ(l.a, "self");
  EXPECT_EQ(l.b, "peer");
  ASSERT_TRUE(l.a_to_b.impairments.loss && l.b_to_a.impairments.loss);
  EXPECT_DOUBLE_EQ(l.a_to_b.impairments.loss->ratio, 0.05);
  EXPECT_DOUBLE_EQ(l.b_to_a.impairments.loss->ratio, 0.01);
  ASSERT_TRUE(l.a_to_b.impairments.latency);
  EXPECT_EQ(l.a_to_b.impairments.latency->delay_us, 40'000u);
  EXPECT_FALSE(l.b_to_a.impairments.latency);
  ASSERT_TRUE(l.a_to_b.impairments.mtu && l.b_to_a.impairments.mtu);
  EXPECT_EQ(l.b_to_a.impairments.mtu->mtu_bytes, 1400u);
}

TEST(Profile, FlagsOverrideTheProfile) {
  const Scenario s = profile_scenario({{"up-rate", "10Mbit"}},
                                      R"({"mtu": 1400, "a_to_b": {"rate": "1Mbit", "loss": "2%"}})", "slow.json");
  const ScenarioLink& l = s.links[0];
  EXPECT_EQ(l.mtu, 1400u);
  ASSERT_TRUE(l.a_to_b.impairments.rate && l.a_to_b.impairments.loss);
  EXPECT_EQ(l.a_to_b.impairments.rate->rate_bps, 10'000'000u);
  EXPECT_DOUBLE_EQ(l.a_to_b.impairments.loss->ratio, 0.02);
}

TEST(Profile, AFlagsErrorNamesTheFlag) {
  EXPECT_EQ(error({{"up-rate", "10 Mbps"}}).rfind("--up-rate: ", 0), 0u) << error({{"up-rate", "10 Mbps"}});
  EXPECT_EQ(error({{"loss", "200%"}}).rfind("--loss: ", 0), 0u) << error({{"loss", "200%"}});
  EXPECT_EQ(error({{"down-delay", "40"}}).rfind("--down-delay: ", 0), 0u) << error({{"down-delay", "40"}});
  EXPECT_EQ(error({{"mtu", "big"}}), "--mtu: \"big\" is not a whole number of bytes (e.g. 1400)");
  EXPECT_EQ(error({{"up-mtu", "14OO"}}), "--up-mtu: \"14OO\" is not a whole number of bytes (e.g. 1400)");
  EXPECT_EQ(error({{"mtu", "20"}}).rfind("--mtu: 20 is not in ", 0), 0u) << error({{"mtu", "20"}});
  EXPECT_EQ(error({{"reorder", "1%"}}), "--reorder: not an impairment flag");
  EXPECT_EQ(error({{"up-outage", "1s"}}), "--up-outage: not an impairment flag");
}

TEST(Profile, AProfilesErrorNamesItsPathInTheProfile) {
  EXPECT_EQ(error({}, "{"), "profile slow.json: not valid JSON");
  EXPECT_EQ(error({}, "[]").rfind("profile slow.json: expected a JSON object", 0), 0u);
  // A scenario's link object as it is: its ends and name give way to the run's.
  const Scenario copied = profile_scenario({}, R"({"a": "n1", "b": {"node": "s1", "addresses": ["198.18.9.1/24"]},
    "name": "n1-s1", "a_to_b": {"loss": "2%"}})",
                                           "slow.json");
  EXPECT_EQ(copied.links.at(0).a, "self");
  EXPECT_EQ(copied.links.at(0).b, "peer");
  EXPECT_TRUE(copied.links.at(0).a_to_b.impairments.loss.has_value());
  const std::string bad_loss = error({}, R"({"a_to_b": {"loss": "200%"}})");
  EXPECT_EQ(bad_loss.rfind("profile slow.json: /a_to_b/loss: ", 0), 0u) << bad_loss;
  const std::string typo = error({}, R"({"b_to_a": {"lost": "2%"}})");
  EXPECT_EQ(typo, "profile slow.json: /b_to_a/lost: unknown key (did you mean \"loss\"?)");
  EXPECT_EQ(error({}, R"({"io": "dpdk"})"), "profile slow.json: /io: \"dpdk\" is not one of packet, xdp");
  // A flag's value that is fine does not hide a bad profile value in the other direction.
  EXPECT_EQ(error({{"up-loss", "1%"}}, R"({"b_to_a": {"loss": "x"}})").rfind("profile slow.json: /b_to_a/loss: ", 0),
            0u);
}

TEST(Profile, RateTraceFlagsSetTheRatesTrace) {
  const std::string lte = std::string(SYNNET_SOURCE_DIR) + "/scenarios/traces/lte-driving.up";
  const std::string flat = std::string(SYNNET_SOURCE_DIR) + "/scenarios/traces/12mbps";
  const Scenario both = profile_scenario({{"rate-trace", lte}});
  for (const DirectionSpec* d : {&both.links[0].a_to_b, &both.links[0].b_to_a}) {
    ASSERT_TRUE(d->impairments.rate && d->impairments.rate->trace);
    EXPECT_EQ(d->impairments.rate->trace->name, lte);
    EXPECT_TRUE(d->impairments.rate->loop);
  }
  // The one-way flag wins over the two-way one, a trace or a fixed rate.
  const Scenario mixed = profile_scenario({{"rate", "10Mbit"}, {"up-rate-trace", lte}, {"down-rate-trace", flat}});
  EXPECT_EQ(mixed.links[0].a_to_b.impairments.rate->trace->name, lte);
  EXPECT_EQ(mixed.links[0].b_to_a.impairments.rate->trace->name, flat);
  const Scenario fixed_up = profile_scenario({{"up-rate", "10Mbit"}, {"rate-trace", lte}});
  EXPECT_FALSE(fixed_up.links[0].a_to_b.impairments.rate->trace);
  EXPECT_EQ(fixed_up.links[0].a_to_b.impairments.rate->rate_bps, 10'000'000u);
  EXPECT_EQ(fixed_up.links[0].b_to_a.impairments.rate->trace->name, lte);
  // Over a profile's rate, with the profile's other keys kept.
  const Scenario over = profile_scenario({{"down-rate-trace", flat}}, R"({"b_to_a": {"rate": "1Mbit", "loss": "1%"}})");
  EXPECT_EQ(over.links[0].b_to_a.impairments.rate->trace->name, flat);
  EXPECT_TRUE(over.links[0].b_to_a.impairments.loss);

  EXPECT_EQ(error({{"rate", "10Mbit"}, {"rate-trace", lte}}),
            "--rate and --rate-trace both set the rate: give a fixed rate or a capacity trace, not both");
  EXPECT_EQ(error({{"down-rate", "10Mbit"}, {"down-rate-trace", lte}}),
            "--down-rate and --down-rate-trace both set the rate: give a fixed rate or a capacity trace, not both");
  EXPECT_EQ(error({{"up-rate-trace", "no/such.up"}}),
            "--up-rate-trace: cannot read \"no/such.up\": No such file or directory");
  EXPECT_EQ(error({{"rate-trace", "no/such.up"}}),
            "--rate-trace: cannot read \"no/such.up\": No such file or directory");
  EXPECT_EQ(error({{"sideways-rate-trace", lte}}), "--sideways-rate-trace: not an impairment flag");
}

TEST(Profile, FlagKeysAreImpairmentKeysOfADirection) {
  const std::vector<std::string>& direction = scenario_keys("direction");
  for (const std::string& key : profile_flag_keys()) {
    EXPECT_NE(std::find(direction.begin(), direction.end(), key), direction.end()) << key;
  }
  const std::vector<std::string> expected = {"loss", "delay", "jitter", "rate", "duplicate", "corrupt", "mtu"};
  EXPECT_TRUE(
      std::is_permutation(expected.begin(), expected.end(), profile_flag_keys().begin(), profile_flag_keys().end()));
}

}  // namespace
}  // namespace synnet
