// profile.hpp — the scenario of `synnet-test run` and `attach`: one link
// "self" <-> "peer" whose impairments come from flags and an optional profile.
//
//   Scenario s = profile_scenario({{"loss", "5%"}, {"up-delay", "40ms"}}, profile_text, "slow.json");
//   // throws ProfileError naming the flag ("--up-rate: ...") or the profile path
//
// A profile is a JSON object in the scenario format's link section (a_to_b /
// b_to_a / io / mtu, see scenarios/README.md): a link object copied from a
// scenario works as it is ("a", "b" and "name" give way to the run's own). Flags set both directions
// ("loss" -> a_to_b.loss and b_to_a.loss) or one ("up-loss", "down-loss"),
// overriding the profile; the one-way flags win over the two-way ones. "up"
// is a_to_b (self -> peer), "down" b_to_a. The result goes through the
// scenario parser, so every value is checked as in a scenario file.
// "rate-trace" ("up-rate-trace", "down-rate-trace") names a capacity trace
// file (mahimahi's format, relative to the current directory) that the rate
// follows: {"rate": {"trace": FILE}}; with "rate" for the same direction and
// at the same level it is an error (a one-way flag wins over a two-way one).
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/scenario/scenario.hpp"

namespace synnet {

class ProfileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A profile link's two directions: "up" is a_to_b (self -> peer), "down" b_to_a.
struct ProfileDirection {
  const char* key;   // "a_to_b"
  const char* flag;  // "up"
};
inline constexpr ProfileDirection kProfileDirections[] = {{"a_to_b", "up"}, {"b_to_a", "down"}};
inline constexpr const char* kRateTraceFlag = "rate-trace";  // also "up-rate-trace", "down-rate-trace"

// Flags by name without dashes ("loss", "up-delay", ...), values as typed.
Scenario profile_scenario(const std::map<std::string, std::string>& flags, const std::string& profile_text = "",
                          const std::string& profile_name = "");
// The impairment keys a flag may name, in chain order: the effects.hpp rows
// with `flag` (mtu, loss, corrupt, duplicate, rate, delay, jitter).
const std::vector<std::string>& profile_flag_keys();
// Whether `flag` is one: KEY, up-KEY or down-KEY for a key above or rate-trace.
bool is_impairment_flag(const std::string& flag);
// The flag that gives direction `d` a rate trace ("up-rate-trace" or
// "rate-trace"), or "" when none does: the one-way flag wins over the two-way
// one, and a one-way --up-rate over a two-way --rate-trace. A fixed rate and
// a trace at the same level conflict: ProfileError.
std::string rate_trace_flag(const std::map<std::string, std::string>& flags, const ProfileDirection& d);

}  // namespace synnet
