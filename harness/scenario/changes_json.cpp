// changes_json.cpp — changes to a running network: a link's impairments, a
// partition between groups of hosts, healing every partition; as timeline
// events ({"at": "3s", ...}) or steps between traffic items ({"change": {...}}).
// See scenario_parsing.hpp.
#include <set>

#include "harness/scenario/impairments_json.hpp"
#include "harness/scenario/scenario_parsing.hpp"

namespace synnet::scenario_parsing {

using namespace json_reader;

namespace {

PartitionChange parse_partition(const Value& v, const Context& ctx) {
  PartitionChange p;
  const std::vector<Value> groups = elements(v);
  if (groups.size() < 2) {
    fail(v.path,
         "needs at least two groups of hosts, e.g. [[\"n1\", \"n2\"], [\"n3\"]] (hosts in no group keep "
         "talking to everyone)");
  }
  std::set<std::string> seen;
  for (const Value& g : groups) {
    const std::vector<Value> members = elements(g);
    if (members.empty()) fail(g.path, "is empty: a group names at least one host");
    std::vector<std::string>& group = p.groups.emplace_back();
    for (const Value& m : members) {
      group.push_back(host_ref(m, ctx));
      if (!seen.insert(group.back()).second) {
        fail(m.path, "host " + in_quotes(group.back()) + " is already in a group of this partition");
      }
    }
  }
  return p;
}

}  // namespace

NetworkChange parse_change(const Value& v, std::string_view kind, const Context& ctx) {
  const Fields f(
      v, keys(kind),
      kind == "timeline" ? std::initializer_list<std::string_view>{"at"} : std::initializer_list<std::string_view>{});
  const auto partition = f.get("partition"), heal = f.get("heal"), link = f.get("link");
  const auto a_to_b = f.get("a_to_b"), b_to_a = f.get("b_to_a");
  const int what = (partition ? 1 : 0) + (heal ? 1 : 0) + (link || a_to_b || b_to_a ? 1 : 0);
  if (what > 1) {
    fail(v.path,
         "a change is one of: a link's directions (\"link\", \"a_to_b\", \"b_to_a\"), \"partition\" or "
         "\"heal\"; give them as separate changes");
  }
  if (partition) return parse_partition(*partition, ctx);
  if (heal) {
    if (!as_bool(*heal)) fail(heal->path, "the only value is true (it removes every partition)");
    return HealChange{};
  }
  LinkChange c;
  if (link) {
    c.link = link_ref(*link, ctx);
  } else if (ctx.link_names.size() == 1) {
    c.link = ctx.link_names.front();
  } else {
    fail(v.path, "missing \"link\": the scenario has " + std::to_string(ctx.link_names.size()) + " links (" +
                     join(ctx.link_names) + ")");
  }
  if (a_to_b) c.a_to_b = parse_direction(*a_to_b);
  if (b_to_a) c.b_to_a = parse_direction(*b_to_a);
  if (!c.a_to_b && !c.b_to_a) {
    fail(v.path,
         "changes nothing: give \"a_to_b\", \"b_to_a\" or both ({} removes every impairment), "
         "\"partition\" or \"heal\"");
  }
  return c;
}

TimelineEvent parse_event(const Value& v, const Context& ctx) {
  TimelineEvent e;
  e.path = v.path;
  e.at = std::chrono::nanoseconds(as_duration(Fields(v, keys("timeline"), {"at"}).need("at")));
  e.change = parse_change(v, "timeline", ctx);
  return e;
}

}  // namespace synnet::scenario_parsing

namespace synnet {

NetworkChange parse_change(const Scenario& s, const json_reader::Json& change) {
  scenario_parsing::Context ctx;
  for (const ScenarioHost& h : s.hosts) ctx.host_names.push_back(h.name);
  for (const ScenarioSwitch& sw : s.switches) ctx.switch_names.push_back(sw.name);
  for (const ScenarioLink& l : s.links) {
    ctx.link_names.push_back(l.name);
    ctx.link_paths[l.name] = l.path;
  }
  return scenario_parsing::parse_change(json_reader::Value{&change, ""}, "change", ctx);
}

}  // namespace synnet
