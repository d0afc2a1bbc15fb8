// run_description.cpp — GET /v1/run's fixed part. See run_description.hpp.
#include "harness/control/run_description.hpp"

#include <sstream>

namespace synnet {

namespace {

using Json = nlohmann::ordered_json;

std::string text_of(const HostAddress& a) {
  std::ostringstream out;
  out << a;
  return out.str();
}

}  // namespace

RunDescription describe_run(const RunFacts& facts, Testbed* bed, const Services* services) {
  const Scenario& s = facts.scenario;
  RunDescription d;
  Json& j = d.fixed;
  j["name"] = s.name;
  j["seed"] = facts.seed;
  j["prefix"] = facts.prefix;
  j["file"] = facts.file.empty() ? Json() : Json(facts.file);
  j["command"] = facts.command;
  Json hosts = Json::array();
  if (bed != nullptr) {
    const Network& n = bed->network();
    for (const ScenarioHost& h : s.hosts) {
      Json interfaces = Json::array();
      for (const HostInterface* i : n.interfaces_of(h.name)) {
        Json addresses = Json::array();
        for (const HostAddress& a : interface_addresses(s, *i)) addresses.push_back(text_of(a));
        interfaces.push_back({{"name", i->ifname}, {"link", s.links.at(i->link).name}, {"addresses", addresses}});
      }
      hosts.push_back({{"name", h.name}, {"netns", bed->host(h.name).name()}, {"interfaces", interfaces}});
    }
  }
  j["hosts"] = hosts;
  Json switches = Json::array();
  for (const ScenarioSwitch& sw : s.switches) switches.push_back({{"name", sw.name}});
  j["switches"] = switches;
  if (services != nullptr) {
    d.services = [services] {
      Json out = Json::array();
      for (const Services::State& st : services->states()) {
        out.push_back({{"host", st.host}, {"name", st.name}, {"state", st.state}});
      }
      return out;
    };
  }
  return d;
}

}  // namespace synnet
