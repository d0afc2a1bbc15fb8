// network_engines.cpp — a scenario's links and switches as the apps of a
// run's two engines. See network_engines.hpp.
#include "harness/run/network_engines.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "engine/apps/io/raw_socket.hpp"
#include "engine/apps/switch/partition.hpp"
#include "engine/apps/switch/switch.hpp"
#include "harness/report/summary.hpp"

namespace synnet {

namespace {

std::size_t link_index(const Scenario& s, const std::string& name) {
  for (std::size_t i = 0; i < s.links.size(); ++i) {
    if (s.links[i].name == name) return i;
  }
  throw std::out_of_range("no link named \"" + name + "\"");
}

std::string groups_text(const PartitionChange& p) {
  std::string text;
  for (const auto& group : p.groups) {
    if (!text.empty()) text += " | ";
    for (std::size_t k = 0; k < group.size(); ++k) text += (k ? "," : "") + group[k];
  }
  return text;
}

// The partitions in force as the engine's spec: each host's MACs and addresses.
PartitionSpec partition_spec(const Scenario& s, const Network& n, const Wires& wires,
                             const std::vector<PartitionChange>& partitions) {
  PartitionSpec spec;
  for (const PartitionChange& p : partitions) {
    Partition& out = spec.partitions.emplace_back();
    for (const auto& group : p.groups) {
      PartitionGroup& g = out.groups.emplace_back();
      for (const std::string& host : group) {
        for (std::size_t i = 0; i < n.interfaces.size(); ++i) {
          if (n.interfaces[i].host != host) continue;
          g.macs.push_back(wires.macs.at(i));
          for (const HostAddress& a : interface_addresses(s, n.interfaces[i])) g.addresses.push_back(a.ip());
        }
      }
    }
  }
  return spec;
}

// The MACs of the host interfaces reached from switch `from` through link `via`
// (the far side of a tree of switches).
std::vector<MacAddress> macs_behind(const Scenario& s, const Network& n, const Wires& wires, const std::string& from,
                                    std::size_t via) {
  std::vector<MacAddress> out;
  std::set<std::size_t> seen{via};
  std::vector<std::pair<std::string, std::size_t>> todo{{from, via}};  // (node we came from, link)
  while (!todo.empty()) {
    const auto [came_from, l] = todo.back();
    todo.pop_back();
    const ScenarioLink& link = s.links[l];
    const std::string& node = link.a == came_from ? link.b : link.a;
    if (!n.is_switch(node)) {
      for (std::size_t i = 0; i < n.interfaces.size(); ++i) {
        if (n.interfaces[i].link == l && n.interfaces[i].host == node) out.push_back(wires.macs.at(i));
      }
      continue;
    }
    for (std::size_t other = 0; other < s.links.size(); ++other) {
      if ((s.links[other].a == node || s.links[other].b == node) && seen.insert(other).second) {
        todo.emplace_back(node, other);
      }
    }
  }
  return out;
}

// A switch segment's apps, all in `c`, and its links' taps.
void add_switch_segment(Config& c, std::vector<DirectionTap>& taps, const Scenario& s, const Network& n,
                        const Wires& wires, const Segment& seg, const NetworkState& state,
                        const NetworkCaptures& captures) {
  const PartitionSpec partitions = partition_spec(s, n, wires, state.partitions);
  for (const std::string& name : seg.switches) {
    SwitchSpec spec;
    spec.partition = partitions;
    for (const std::size_t l : seg.links) {
      if (s.links[l].a == name || s.links[l].b == name) {
        spec.ports.push_back({s.links[l].name, macs_behind(s, n, wires, name, l)});
      }
    }
    const auto sw =
        std::find_if(s.switches.begin(), s.switches.end(), [&](const ScenarioSwitch& x) { return x.name == name; });
    for (const SwitchPath& p : sw->paths) {
      if (p.impairments == DirectionSpec{}) continue;  // nothing to do on the way
      const auto port_of = [&](const std::string& host) {
        for (const std::size_t l : seg.links) {
          const ScenarioLink& link = s.links[l];
          if ((link.a == host && link.b == name) || (link.b == host && link.a == name)) return link.name;
        }
        throw std::logic_error("switch path host not on the switch");  // the parser checks it
      };
      const std::string port = p.from + "_to_" + p.to;
      spec.paths.push_back({port_of(p.from), port_of(p.to), port});
      add_direction(c, name + "_" + port, p.impairments, name + "." + port, name + "." + port);
    }
    c.app<Switch>(name, spec);
  }
  for (const std::size_t l : seg.links) {
    const ScenarioLink& link = s.links[l];
    const std::string& chain_a_to_b = link.name + "_a_to_b";
    const std::string& chain_b_to_a = link.name + "_b_to_a";
    // Where a node of this link sends into it and takes from it.
    const auto port = [&](bool a_end) -> std::pair<std::string, std::string> {
      const std::string& node = a_end ? link.a : link.b;
      if (n.is_switch(node)) return {node + "." + link.name, node + "." + link.name};
      const std::string app = link.name + (a_end ? "_a" : "_b");
      const HostInterface* i = n.interface_on(node, l);
      c.app<RawSocket>(app, {.ifname = wires.ends.at(static_cast<std::size_t>(i - n.interfaces.data())),
                             .netns = wires.netns_path,
                             .tx = RawSocketSpec::Tx::sendmmsg});
      return {app + ".output", app + ".input"};
    };
    const auto [a_out, a_in] = port(true);
    const auto [b_out, b_in] = port(false);
    const LinkCaptures capture = captures_of(captures, link.name);
    add_link_direction(c, chain_a_to_b, state.links.at(l).a_to_b, a_out, b_in, {}, capture.a_to_b);
    add_link_direction(c, chain_b_to_a, state.links.at(l).b_to_a, b_out, a_in, {}, capture.b_to_a);
    taps.push_back({link.name, "a_to_b", chain_a_to_b, a_out, b_in});
    taps.push_back({link.name, "b_to_a", chain_b_to_a, b_out, a_in});
  }
}

}  // namespace

LinkCaptures captures_of(const NetworkCaptures& captures, const std::string& link) {
  const auto found = captures.find(link);
  return found == captures.end() ? LinkCaptures{} : found->second;
}

NetworkState NetworkState::initial(const Scenario& s) {
  NetworkState state;
  for (const ScenarioLink& l : s.links) state.links.push_back({l.a_to_b, l.b_to_a});
  return state;
}

std::string describe(const NetworkChange& change) {
  if (const auto* p = std::get_if<PartitionChange>(&change)) return "partition " + groups_text(*p);
  if (std::holds_alternative<HealChange>(change)) return "heal";
  const LinkChange& c = std::get<LinkChange>(change);
  std::string text = c.link;
  if (c.a_to_b) text += " a_to_b {" + describe(*c.a_to_b) + "}";
  if (c.b_to_a) text += " b_to_a {" + describe(*c.b_to_a) + "}";
  return text;
}

std::string NetworkState::apply(const Scenario& s, const NetworkChange& change) {
  if (const auto* p = std::get_if<PartitionChange>(&change)) {
    partitions.push_back(*p);
  } else if (std::holds_alternative<HealChange>(change)) {
    partitions.clear();
  } else {
    const LinkChange& c = std::get<LinkChange>(change);
    LinkDirections& l = links.at(link_index(s, c.link));
    if (c.a_to_b) l.a_to_b = *c.a_to_b;
    if (c.b_to_a) l.b_to_a = *c.b_to_a;
  }
  return describe(change);
}

EngineConfigs network_engines(const Scenario& s, const Network& n, const Wires& wires, const NetworkState& state,
                              const NetworkCaptures& captures) {
  EngineConfigs c;
  std::size_t switch_segments = 0;
  for (const Segment& seg : n.segments) {
    if (!seg.switches.empty()) {
      Config& engine = switch_segments++ % 2 == 0 ? c.a_to_b : c.b_to_a;
      add_switch_segment(engine, c.taps, s, n, wires, seg, state, captures);
      continue;
    }
    const std::size_t l = seg.links.front();
    const ScenarioLink& link = s.links[l];
    const auto end = [&](const std::string& host) {
      const HostInterface* i = n.interface_on(host, l);
      return LinkEnd{wires.ends.at(static_cast<std::size_t>(i - n.interfaces.data())), wires.netns_path};
    };
    add_engine_link(c, link.name, link.io, end(link.a), end(link.b), state.links.at(l),
                    state.partitions.empty() ? PartitionSpec{} : partition_spec(s, n, wires, state.partitions),
                    captures_of(captures, link.name));
  }
  return c;
}

}  // namespace synnet
