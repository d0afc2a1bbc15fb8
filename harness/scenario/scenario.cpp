// scenario.cpp — parse_scenario: a scenario file's JSON text into a validated
// Scenario (scenario.hpp; the format's authority is scenarios/README.md, which
// also lists the decisions the format makes beyond the JSON Schema).
//
// One function per kind of object (parse_host, parse_link, parse_item, ...,
// in network_json.cpp, changes_json.cpp and traffic_json.cpp). Each reads its
// object through Fields (json_reader.hpp), which rejects unknown keys
// (suggesting the closest valid one) and missing required keys before
// anything else, and each value through a small typed reader (as_string,
// as_uint, as_duration, ...) that throws with the value's JSON Pointer. The
// text is read as ordered_json, so "the first unknown key" is the first in the
// file; arrays are read in order and the keys of an object in a fixed order,
// so the error reported is the first in the file in most cases. The order of
// the parts: hosts, switches, links, then the network is completed
// (resolve_network: default addresses, routes), then the timeline and the
// traffic, which refer to all of it.
#include "harness/scenario/scenario.hpp"

#include <algorithm>
#include <map>

#include "harness/scenario/impairments_json.hpp"
#include "harness/scenario/network.hpp"
#include "harness/scenario/scenario_parsing.hpp"

namespace synnet {

using namespace json_reader;

namespace {

// Every kind of object of the scenario proper and its keys, in the order the
// README lists them (impairment_keys() has the impairments').
const std::map<std::string, std::vector<std::string>, std::less<>>& scenario_key_table() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> table = {
      {"scenario", {"$schema", "name", "description", "seed", "hosts", "switches", "links", "timeline", "traffic"}},
      {"host", {"name", "addresses", "forward", "routes", "services", "sysctls"}},
      {"route", {"to", "via"}},
      {"service", {"name", "argv", "ready", "expect_exit"}},
      {"ready", {"tcp", "exec", "timeout"}},
      {"switch", {"name", "paths"}},
      {"link", {"a", "b", "name", "io", "mtu", "a_to_b", "b_to_a"}},
      {"link_end", {"node", "addresses"}},
      {"timeline", {"at", "link", "a_to_b", "b_to_a", "partition", "heal"}},
      {"change", {"link", "a_to_b", "b_to_a", "partition", "heal"}},
      {"traffic", {"name", "ping", "iperf3", "exec", "parallel", "change", "deadline", "engine", "expect"}},
      {"ping", {"from", "to", "to_address", "count", "interval", "size"}},
      {"iperf3",
       {"client", "server", "protocol", "bitrate", "length", "duration", "parallel", "reverse", "congestion"}},
      {"exec", {"host", "argv"}},
      {"expect", {"loss", "throughput", "rtt_min", "rtt_avg", "rtt_max", "rtt_mdev", "jitter", "gap", "exit_code"}},
      {"bound", {"min", "max"}},
  };
  return table;
}

}  // namespace

const std::vector<std::string>& scenario_parsing::keys(std::string_view kind) { return scenario_keys(kind); }

const std::vector<std::string>& scenario_keys(std::string_view object_kind) {
  const auto& table = scenario_key_table();
  if (const auto it = table.find(object_kind); it != table.end()) return it->second;
  if (const auto* keys = impairment_keys(object_kind)) return *keys;
  throw std::invalid_argument("scenario_keys: no kind of object " + in_quotes(object_kind));
}

Scenario parse_scenario(std::string_view json_text, const std::filesystem::path& dir) {
  using namespace scenario_parsing;
  const Json doc = parse_json(json_text);
  const Fields f(Value{&doc, "", &dir}, keys("scenario"), {"name", "hosts", "links", "traffic"});
  Scenario s;
  if (const auto schema = f.get("$schema")) as_string(*schema);  // for editors; ignored
  s.name = as_nonempty_string(f.need("name"));
  if (const auto description = f.get("description")) s.description = as_string(*description);
  if (const auto seed = f.get("seed")) s.seed = as_uint(*seed, 0, kU64Max);

  Context ctx;
  ctx.scenario = &s;
  const Value hosts = f.need("hosts");
  const std::vector<Value> host_values = elements(hosts);
  if (host_values.size() < 2) fail(hosts.path, "needs at least 2 hosts, has " + std::to_string(host_values.size()));
  if (host_values.size() > 254) fail(hosts.path, "has " + std::to_string(host_values.size()) + " hosts; 254 at most");
  for (const Value& host : host_values) s.hosts.push_back(parse_host(host, ctx));

  std::vector<Value> switch_values;
  if (const auto switches = f.get("switches")) {
    switch_values = elements(*switches);
    for (const Value& sw : switch_values) s.switches.push_back(parse_switch(sw, ctx));
  }

  const Value links = f.need("links");
  const std::vector<Value> link_values = elements(links);
  if (link_values.empty()) fail(links.path, "needs at least 1 link");
  for (const Value& link : link_values) s.links.push_back(parse_link(link, ctx));
  for (std::size_t i = 0; i < switch_values.size(); ++i) parse_switch_paths(switch_values[i], s.switches[i], ctx);
  resolve_network(s);

  if (const auto timeline = f.get("timeline")) {
    for (const Value& event : elements(*timeline)) s.timeline.push_back(parse_event(event, ctx));
    std::stable_sort(s.timeline.begin(), s.timeline.end(),
                     [](const TimelineEvent& a, const TimelineEvent& b) { return a.at < b.at; });
  }

  const Value traffic = f.need("traffic");
  const std::vector<Value> items = elements(traffic);
  if (items.empty()) fail(traffic.path, "needs at least 1 item");
  for (std::size_t i = 0; i < items.size(); ++i) {
    s.traffic.push_back(parse_item(items[i], std::to_string(i), false, ctx));
  }
  return s;
}

}  // namespace synnet
