// plan.hpp — what Engine::configure must do to go from one Config to another.
//
// A pure function of two values, unit-tested without running anything
// (the counterpart of Snabb's compute_config_actions):
//
//   ConfigPlan p = plan(running, next);
//   p.keep         — same class, equal spec: untouched, state kept
//   p.reconfigure  — same class, new spec, class has reconfigure(): updated in place
//   p.restart      — same name, but a new class or a new spec it cannot take in place
//   p.start        — only in next
//   p.stop         — only in running
//   p.keep_links   — in both (their queued packets stay)
//   p.add_links    — only in next
//   p.remove_links — only in running (their packets are freed)
//
// Every list is sorted by name / link spec.
#pragma once

#include <string>
#include <vector>

#include "engine/config.hpp"

namespace synnet {

struct ConfigPlan {
  std::vector<std::string> keep, reconfigure, restart, start, stop;
  std::vector<LinkSpec> keep_links, add_links, remove_links;
};

ConfigPlan plan(const Config& running, const Config& next);

}  // namespace synnet
