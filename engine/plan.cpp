#include "engine/plan.hpp"

namespace synnet {

ConfigPlan plan(const Config& running, const Config& next) {
  ConfigPlan p;
  for (const auto& [name, spec] : running.apps()) {
    if (next.apps().count(name) == 0) p.stop.push_back(name);
  }
  for (const auto& [name, spec] : next.apps()) {
    const auto old = running.apps().find(name);
    if (old == running.apps().end()) {
      p.start.push_back(name);
    } else if (old->second == spec) {
      p.keep.push_back(name);
    } else if (old->second.type() == spec.type() && spec.reconfigurable()) {
      p.reconfigure.push_back(name);
    } else {
      p.restart.push_back(name);
    }
  }
  for (const LinkSpec& l : running.links()) {
    (next.links().count(l) != 0 ? p.keep_links : p.remove_links).push_back(l);
  }
  for (const LinkSpec& l : next.links()) {
    if (running.links().count(l) == 0) p.add_links.push_back(l);
  }
  return p;
}

}  // namespace synnet
