#include "engine/engine_counters.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace synnet {

const Counter* EngineCounters::find(std::string_view app, std::string_view name) const noexcept {
  for (const Counter& c : apps) {
    if (c.app == app && c.name == name) return &c;
  }
  return nullptr;
}

std::uint64_t EngineCounters::at(std::string_view app, std::string_view name) const {
  const Counter* c = find(app, name);
  if (c == nullptr) throw std::out_of_range("no counter \"" + std::string(app) + "." + std::string(name) + "\"");
  return c->value;
}

const LinkCounters& EngineCounters::link(std::string_view spec) const {
  const auto it = links.find(LinkSpec::parse(spec));
  if (it == links.end()) throw std::out_of_range("no link \"" + std::string(spec) + "\"");
  return it->second;
}

std::vector<Counter> link_counters(const LinkSpec& spec, const LinkCounters& c) {
  const std::string link = spec.str();
  return {{link, "txpackets", CounterKind::packets, Drop::none, c.txpackets},
          {link, "txbytes", CounterKind::bytes, Drop::none, c.txbytes},
          {link, "rxpackets", CounterKind::packets, Drop::none, c.rxpackets},
          {link, "rxbytes", CounterKind::bytes, Drop::none, c.rxbytes},
          {link, "txdrop", CounterKind::drop, Drop::queue_full, c.txdrop}};
}

std::vector<Counter> EngineCounters::all() const {
  std::vector<Counter> out = apps;
  for (const auto& [spec, c] : links) {
    for (Counter& k : link_counters(spec, c)) out.push_back(std::move(k));
  }
  return out;
}

void EngineCounters::merge(const EngineCounters& other) {
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (std::size_t i = 0; i < apps.size(); ++i) index.emplace(std::pair{apps[i].app, apps[i].name}, i);
  for (const Counter& c : other.apps) {
    const auto it = index.find({c.app, c.name});
    if (it == index.end()) {
      index.emplace(std::pair{c.app, c.name}, apps.size());
      apps.push_back(c);
      continue;
    }
    Counter& mine = apps[it->second];
    mine.value = c.kind == CounterKind::gauge ? std::max(mine.value, c.value) : mine.value + c.value;
  }
  // Keep apps in name order (stable: each app's counters stay in emit order).
  std::stable_sort(apps.begin(), apps.end(), [](const Counter& a, const Counter& b) { return a.app < b.app; });
  for (const auto& [spec, c] : other.links) {
    LinkCounters& mine = links[spec];
    mine.txpackets += c.txpackets;
    mine.txbytes += c.txbytes;
    mine.rxpackets += c.rxpackets;
    mine.rxbytes += c.rxbytes;
    mine.txdrop += c.txdrop;
  }
}

}  // namespace synnet
