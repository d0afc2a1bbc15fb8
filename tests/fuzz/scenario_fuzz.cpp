// scenario_fuzz.cpp — libFuzzer target for the scenario parser: each input is
// a scenario file's text for parse_scenario (harness/scenario/scenario.hpp),
// and the same text as a profile for profile_scenario with no flags
// (harness/scenario/profile.hpp).
//
// Built and run by ci/fuzz from the scenario's sources and the engine's specs
// (no sockets). Trace files a scenario names are read relative to scenarios/
// (ci/fuzz runs from the repository's root), so the seeds' traces load.
// parse_scenario may throw ScenarioError only and profile_scenario
// ProfileError only: any other exception, a sanitizer report or a broken
// invariant crashes the fuzzer, which saves the input.
#include <cstdint>
#include <string>

#include "harness/scenario/profile.hpp"
#include "harness/scenario/scenario.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace synnet;
using fuzz::check;

void check_scenario(const Scenario& s) {
  for (std::size_t i = 1; i < s.timeline.size(); ++i) {
    check(s.timeline[i - 1].at <= s.timeline[i].at, "the timeline is sorted by its events' times");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::text_of(data, size));
  try {
    check_scenario(parse_scenario(text, "scenarios"));
  } catch (const ScenarioError& e) {
    check(e.what()[0] != '\0', "a ScenarioError says what is wrong");
  }
  try {
    const Scenario s = profile_scenario({}, text, "fuzz.json");
    check(s.hosts.size() == 2 && s.links.size() == 1, "a profile's scenario is two hosts and one link");
  } catch (const ProfileError& e) {
    check(e.what()[0] != '\0', "a ProfileError says what is wrong");
  }
  return 0;
}
