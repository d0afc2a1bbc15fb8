// scenario_parsing.hpp — the parts of parse_scenario (scenario.cpp) and what
// they share while a file is read; for the parser's own files only:
//   network_json.cpp  hosts (routes, services, sysctls), switches, links
//   changes_json.cpp  changes: timeline events and the steps between traffic items
//   traffic_json.cpp  traffic items and their expectations
// Each reads its objects through json_reader's Fields and throws ScenarioError
// at the offending value's JSON Pointer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/scenario/json_reader.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet::scenario_parsing {

using json_reader::Value;

// What the parts of a scenario refer to, filled as they are read.
struct Context {
  Scenario* scenario = nullptr;  // as read so far (hosts, switches, links: resolved before changes and traffic)
  std::vector<std::string> host_names{}, switch_names{}, link_names{};
  std::map<std::string, std::string> node_paths{};      // host or switch name -> its JSON path
  std::map<std::string, std::string> address_owners{};  // address (no length) -> "host "a"'s (/hosts/0/addresses/1)"
  std::map<std::string, std::string> link_paths{};      // link name -> its JSON path
  std::map<std::string, std::string> item_paths{};      // traffic item name -> its JSON path
  const ScenarioHost& host(const std::string& name) const;
};

// The keys of each kind of object (scenario_keys()).
const std::vector<std::string>& keys(std::string_view kind);

// A reference to a host / a link that exists.
std::string host_ref(const Value& v, const Context& ctx);
std::string link_ref(const Value& v, const Context& ctx);

ScenarioHost parse_host(const Value& v, Context& ctx);
ScenarioSwitch parse_switch(const Value& v, Context& ctx);
ScenarioLink parse_link(const Value& v, Context& ctx);
// Switch paths name hosts linked to their switch: read once the links are.
void parse_switch_paths(const Value& v, ScenarioSwitch& sw, const Context& ctx);

// A change object ({"link": ...}, {"partition": ...} or {"heal": true}); `kind`
// is "timeline" (which also has "at") or "change".
NetworkChange parse_change(const Value& v, std::string_view kind, const Context& ctx);
TimelineEvent parse_event(const Value& v, const Context& ctx);

TrafficItem parse_item(const Value& v, const std::string& index, bool in_group, Context& ctx);

}  // namespace synnet::scenario_parsing
