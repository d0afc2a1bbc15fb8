// engine_report.cpp — Engine's counters and reports (load, links, apps), in
// the format Rush prints:
//   load: time: 1.00s fps: 273,891 fpGbps: 3.317 fpb: 102 bpp: 1,490 breaths/s: 2,685 idle: 0%
//   link report:
//     2,723,476 sent on if2.output -> if1.input (loss rate: 0%)
#include <cstdio>
#include <ostream>
#include <string>

#include "engine/engine.hpp"

namespace synnet {

namespace {

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string fixed(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

constexpr std::uint64_t kEthernetOverheadBytes = 24;  // preamble + SFD + FCS + inter-frame gap

}  // namespace

EngineStats Engine::stats() const noexcept {
  EngineStats s = stats_;
  s.frees = pool_.frees();
  s.freed_bytes = pool_.freed_bytes();
  return s;
}

EngineCounters Engine::counters() const {
  EngineCounters out;
  for (const auto& [name, entry] : apps_) {
    entry.app->counters(
        CounterVisitor([&, &app = name](std::string_view counter, CounterKind kind, Drop reason, std::uint64_t value) {
          out.apps.push_back(Counter{app, std::string(counter), kind, reason, value});
        }));
  }
  for (const auto& [spec, link] : links_) out.links[spec] = link->counters();
  return out;
}

void Engine::report_load(std::ostream& out) {
  const Time t = clock_->now();
  const EngineStats s = stats();
  if (reported_at_) {
    const double seconds = std::chrono::duration<double>(t - *reported_at_).count();
    const std::uint64_t frees = s.frees - reported_frees_;
    const std::uint64_t bytes = s.freed_bytes - reported_bytes_;
    const std::uint64_t breaths = s.breaths - reported_breaths_;
    const double idle = std::chrono::duration<double>(s.blocked - reported_blocked_).count();
    const double per_s = seconds > 0 ? 1.0 / seconds : 0.0;
    out << "load: time: " << fixed(seconds, 2) << "s"
        << " fps: " << with_commas(static_cast<std::uint64_t>(static_cast<double>(frees) * per_s))
        << " fpGbps: " << fixed(static_cast<double>(bytes + frees * kEthernetOverheadBytes) * 8 * per_s / 1e9, 3)
        << " fpb: " << with_commas(breaths ? frees / breaths : 0) << " bpp: " << with_commas(frees ? bytes / frees : 0)
        << " breaths/s: " << with_commas(static_cast<std::uint64_t>(static_cast<double>(breaths) * per_s))
        << " idle: " << fixed(seconds > 0 ? 100.0 * idle / seconds : 0.0, 0) << "%\n";
  }
  reported_at_ = t;
  reported_frees_ = s.frees;
  reported_bytes_ = s.freed_bytes;
  reported_breaths_ = s.breaths;
  reported_blocked_ = s.blocked;
}

void Engine::report_links(std::ostream& out) const {
  out << "link report:\n";
  for (const auto& [spec, link] : links_) {
    const LinkCounters& c = link->counters();
    const std::uint64_t offered = c.txpackets + c.txdrop;
    const double loss = offered ? 100.0 * static_cast<double>(c.txdrop) / static_cast<double>(offered) : 0.0;
    out << "  " << with_commas(c.txpackets) << " sent on " << spec.str()
        << " (loss rate: " << fixed(loss, loss == 0.0 ? 0 : 3) << "%)\n";
  }
}

void Engine::report_apps(std::ostream& out) const {
  out << "app report:\n";
  for (const auto& [name, entry] : apps_) entry.app->report(out);
}

}  // namespace synnet
