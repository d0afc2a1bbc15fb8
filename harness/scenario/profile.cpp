// profile.cpp — impairment flags and a profile into a scenario. See profile.hpp.
#include "harness/scenario/profile.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace synnet {

namespace {

using nlohmann::ordered_json;

ordered_json flag_value(const std::string& key, const std::string& flag, const std::string& value) {
  if (key != "mtu") return value;
  std::size_t used = 0;
  int mtu = 0;
  try {
    mtu = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || value.empty())
    throw ProfileError("--" + flag + ": \"" + value + "\" is not a whole number of bytes (e.g. 1400)");
  return mtu;
}

// "/links/0/a_to_b/loss/..." -> the flag that set it, or "".
std::string flag_of(const std::string& path, const std::map<std::string, std::string>& source) {
  for (const auto& [prefix, flag] : source) {
    if (path == prefix || path.rfind(prefix + "/", 0) == 0) return flag;
  }
  return "";
}

}  // namespace

const std::vector<std::string>& profile_flag_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for_each_effect([&out](const auto& effect) {
      if (effect.flag) out.emplace_back(effect.key);
    });
    return out;
  }();
  return keys;
}

bool is_impairment_flag(const std::string& flag) {
  const auto named = [&flag](const std::string& key) {
    return flag == key || flag == "up-" + key || flag == "down-" + key;
  };
  return named(kRateTraceFlag) || std::any_of(profile_flag_keys().begin(), profile_flag_keys().end(), named);
}

std::string rate_trace_flag(const std::map<std::string, std::string>& flags, const ProfileDirection& d) {
  const std::string one_way = std::string(d.flag) + "-";
  for (const std::string& prefix : {std::string(), one_way}) {
    if (flags.contains(prefix + "rate") && flags.contains(prefix + kRateTraceFlag)) {
      throw ProfileError("--" + prefix + "rate and --" + prefix + kRateTraceFlag +
                         " both set the rate: give a fixed rate or a capacity trace, not both");
    }
  }
  if (flags.contains(one_way + kRateTraceFlag)) return one_way + kRateTraceFlag;
  if (flags.contains(one_way + "rate") || !flags.contains(kRateTraceFlag)) return "";
  return kRateTraceFlag;
}

Scenario profile_scenario(const std::map<std::string, std::string>& flags, const std::string& profile_text,
                          const std::string& profile_name) {
  ordered_json link = ordered_json::object();
  if (!profile_text.empty()) {
    link = ordered_json::parse(profile_text, nullptr, /*allow_exceptions=*/false);
    if (link.is_discarded()) throw ProfileError("profile " + profile_name + ": not valid JSON");
    if (!link.is_object())
      throw ProfileError("profile " + profile_name +
                         ": expected a JSON object (a scenario's link: a_to_b, b_to_a, io, mtu)");
    // A link object copied from a scenario works as it is: its ends and name
    // give way to the run's own (self is a, peer is b; a_to_b is "up").
    for (const char* taken : {"a", "b", "name"}) link.erase(taken);
  }
  link["a"] = "self";
  link["b"] = "peer";
  std::map<std::string, std::string> source;  // JSON path -> the flag that set it
  for (const std::string& key : profile_flag_keys()) {
    for (const ProfileDirection& d : kProfileDirections) {
      // The one-way flag wins over the two-way one.
      for (const std::string& flag : {key, std::string(d.flag) + "-" + key}) {
        const auto it = flags.find(flag);
        if (it == flags.end()) continue;
        link[d.key][key] = flag_value(key, flag, it->second);
        source["/links/0/" + std::string(d.key) + "/" + key] = flag;
      }
    }
  }
  // --rate-trace FILE: the rate follows a capacity trace, {"trace": FILE}.
  for (const ProfileDirection& d : kProfileDirections) {
    const std::string flag = rate_trace_flag(flags, d);
    if (flag.empty()) continue;
    link[d.key]["rate"] = {{"trace", flags.at(flag)}};
    source["/links/0/" + std::string(d.key) + "/rate"] = flag;
  }
  for (const auto& [flag, value] : flags) {
    if (!is_impairment_flag(flag)) throw ProfileError("--" + flag + ": not an impairment flag");
  }
  const ordered_json doc = {
      {"name", "run"},
      {"hosts", {{{"name", "self"}}, {{"name", "peer"}}}},
      {"links", {link}},
      {"traffic", {{{"name", "command"}, {"exec", {{"host", "self"}, {"argv", {"true"}}}}}}},
  };
  try {
    return parse_scenario(doc.dump());
  } catch (const ScenarioError& e) {
    const std::string message = std::string(e.what()).substr(e.path().size() + 2);
    if (const std::string flag = flag_of(e.path(), source); !flag.empty())
      throw ProfileError("--" + flag + ": " + message);
    if (e.path().rfind("/links/0", 0) == 0) {
      throw ProfileError("profile " + profile_name + ": " + e.path().substr(8) + ": " + message);
    }
    throw ProfileError(e.what());
  }
}

}  // namespace synnet
