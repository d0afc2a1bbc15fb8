// engine_counters.hpp — an engine's counters as values: its apps' typed
// counters (counter.hpp) and its links' LinkCounters keyed by LinkSpec.
//
//   EngineCounters c = engine.counters();
//   c.at("loss", "dropped_loss");                 // std::out_of_range when absent
//   c.link("src.output -> loss.input").txdrop;    // any spelling LinkSpec::parse takes
//   for (const Counter& k : c.all()) if (k.is_drop()) ...   // apps', then links' (txdrop a drop)
//   sum.merge(other);                             // EngineGroup: by (app, name) and by link
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "engine/config.hpp"
#include "engine/counter.hpp"
#include "engine/link.hpp"

namespace synnet {

struct EngineCounters {
  std::vector<Counter> apps;  // by app name, each app's in the order it emits them
  std::map<LinkSpec, LinkCounters> links;

  const Counter* find(std::string_view app, std::string_view name) const noexcept;  // nullptr when absent
  std::uint64_t at(std::string_view app, std::string_view name) const;              // std::out_of_range
  const LinkCounters& link(std::string_view spec) const;                            // std::out_of_range
  // apps, then each link's five counters (txpackets, txbytes, rxpackets,
  // rxbytes, txdrop: a drop, queue_full) as Counters named by LinkSpec::str().
  std::vector<Counter> all() const;
  // Adds other's counters to these: by (app, name) and by link. Counts add
  // up; a gauge keeps the larger value (levels of two engines do not add).
  void merge(const EngineCounters& other);
};

std::vector<Counter> link_counters(const LinkSpec& spec, const LinkCounters& c);

}  // namespace synnet
