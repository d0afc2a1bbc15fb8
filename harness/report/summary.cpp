// summary.cpp — short texts of what a run asked for and what the engine did. See summary.hpp.
#include "harness/report/summary.hpp"

#include <vector>

#include "harness/scenario/units.hpp"

namespace synnet {

namespace {

struct Direction {
  const char* key;   // "a_to_b"
  const char* flag;  // "up"
};
constexpr Direction kDirections[] = {{"a_to_b", "up"}, {"b_to_a", "down"}};

// True for an I/O app's counter that explains a lost packet: frames it could
// not take in (rx_oversize, rx_kernel_drops, rx_csum_dropped, ...) or send.
bool io_loss_counter(const std::string& name, bool receiving) {
  if (receiving) {
    return name.rfind("rx_", 0) == 0 && name != "rx_packets" && name != "rx_bytes" && name != "rx_ring" &&
           name != "rx_csum_partial" && name != "rx_gso_frames" && name != "rx_gso_segments";
  }
  return name == "tx_oversize" || name.rfind("tx_error", 0) == 0;
}

std::string counters_summary(const std::map<std::string, std::uint64_t>& c, const std::string& p, const Direction& d) {
  const bool up = std::string(d.key) == "a_to_b";
  const std::string from = p + (up ? "_a" : "_b") + ".", to = p + (up ? "_b" : "_a") + ".";
  auto value = [&](const std::string& k) { return c.count(k) ? c.at(k) : 0; };
  // In wire packets: a GSO super-frame received whole counts as the packets it stands for.
  const std::uint64_t in = value(from + "rx_packets") + value(from + "rx_gso_segments") - value(from + "rx_gso_frames");
  const std::uint64_t out = value(to + "tx_packets") + value(to + "tx_gso_segments") - value(to + "tx_gso_frames");
  std::string s = std::string(d.flag) + " " + std::to_string(in) + " packets in, " + std::to_string(out) + " out";
  std::string drops;
  const std::string chain = p + "_" + d.key + "_";
  for (const auto& [key, n] : c) {
    if (n == 0) continue;
    std::string shown;
    if (key.rfind(chain, 0) == 0 && (key.find("drop") != std::string::npos || key.find("corrupted") != std::string::npos ||
                                     key.find("duplicated") != std::string::npos)) {
      shown = key.substr(chain.size());
    } else if (key.rfind(from, 0) == 0 && io_loss_counter(key.substr(from.size()), true)) {
      shown = key.substr(p.size() + 1);  // "a.rx_oversize"
    } else if (key.rfind(to, 0) == 0 && io_loss_counter(key.substr(to.size()), false)) {
      shown = key.substr(p.size() + 1);
    } else {
      continue;
    }
    drops += (drops.empty() ? "" : ", ") + shown + " " + std::to_string(n);
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

std::string engine_summary(const std::map<std::string, std::uint64_t>& counters, const std::string& link_prefix) {
  return counters_summary(counters, link_prefix, kDirections[0]) + "; " +
         counters_summary(counters, link_prefix, kDirections[1]);
}

std::string describe(const DirectionSpec& d) {
  std::vector<std::string> parts;
  for_each_effect([&](const auto& effect) {
    if (const auto& s = d.impairments.*effect.member) parts.push_back(effect.describe(*s, kFormat));
  });
  if (!d.flows.empty()) parts.push_back(std::to_string(d.flows.size()) + (d.flows.size() == 1 ? " flow rule" : " flow rules"));
  if (parts.empty()) return "none";
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace synnet
