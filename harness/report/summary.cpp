// summary.cpp — short texts of what a run asked for and what the engine did. See summary.hpp.
#include "harness/report/summary.hpp"

#include <vector>

#include "harness/scenario/profile.hpp"
#include "harness/scenario/units.hpp"

namespace synnet {

namespace {

std::string counters_summary(const EngineCounters& c, const std::string& p, const ProfileDirection& d) {
  const bool up = std::string_view(d.key) == "a_to_b";
  const std::string from = p + (up ? "_a" : "_b"), to = p + (up ? "_b" : "_a");
  auto value = [&](const std::string& app, const char* name) {
    const Counter* k = c.find(app, name);
    return k != nullptr ? k->value : 0;
  };
  // In wire packets: a GSO super-frame received whole counts as the packets it stands for.
  const std::uint64_t in = value(from, "rx_packets") + value(from, "rx_gso_segments") - value(from, "rx_gso_frames");
  const std::uint64_t out = value(to, "tx_packets") + value(to, "tx_gso_segments") - value(to, "tx_gso_frames");
  std::string s = std::string(d.flag) + " " + std::to_string(in) + " packets in, " + std::to_string(out) + " out";
  std::string drops;
  const auto add = [&](const std::string& shown, std::uint64_t n) {
    drops += (drops.empty() ? "" : ", ") + shown + " " + std::to_string(n);
  };
  const std::string chain = p + "_" + d.key + "_";
  for (const Counter& k : c.apps) {
    const bool lost = k.is_drop() || k.kind == CounterKind::error;
    if (k.value == 0) continue;
    if (k.app.starts_with(chain) && (lost || k.kind == CounterKind::altered)) {
      add(k.app.substr(chain.size()) + "." + k.name, k.value);  // "loss.dropped_loss"
    } else if (lost && ((k.app == from && k.name.starts_with("rx_")) || (k.app == to && k.name.starts_with("tx_")))) {
      // An interface's app counts both directions: rx_ what it took in, tx_ what it sent.
      add(k.app.substr(p.size() + 1) + "." + k.name, k.value);  // "a.rx_oversize"
    }
  }
  for (const auto& [spec, link] : c.links) {
    if (link.txdrop == 0) continue;
    if (spec.from_app == from) add(spec.from_app.substr(p.size() + 1) + "." + spec.from_port + " txdrop", link.txdrop);
    if (spec.from_app.starts_with(chain))
      add(spec.from_app.substr(chain.size()) + "." + spec.from_port + " txdrop", link.txdrop);
  }
  return drops.empty() ? s : s + " (" + drops + ")";
}

// How describe() prints an effect's numbers.
constexpr EffectFormat kFormat = {
    .percent = [](double fraction) { return format_percent(fraction); },
    .micros = [](std::uint64_t us) { return format_seconds(static_cast<double>(us) / 1e6); },
    .rate = [](std::uint64_t bps) { return format_rate(static_cast<double>(bps)); },
};

}  // namespace

std::string engine_summary(const EngineCounters& counters, const std::string& link_prefix) {
  return counters_summary(counters, link_prefix, kProfileDirections[0]) + "; " +
         counters_summary(counters, link_prefix, kProfileDirections[1]);
}

std::string describe(const DirectionSpec& d) {
  std::vector<std::string> parts;
  for_each_effect([&](const auto& effect) {
    if (const auto& s = d.impairments.*effect.member) parts.push_back(effect.describe(*s, kFormat));
  });
  if (!d.flows.empty())
    parts.push_back(std::to_string(d.flows.size()) + (d.flows.size() == 1 ? " flow rule" : " flow rules"));
  if (parts.empty()) return "none";
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace synnet
