// network_engines.hpp — how a scenario's links and switches map onto a run's
// two engines, and the state of a running network that changes feed.
//
//   NetworkState now = NetworkState::initial(scenario);
//   std::string what = now.apply(PartitionChange{{{"n1", "n2"}, {"n3"}}});   // "partition n1,n2 | n3"
//   EngineConfigs c = network_engines(scenario, network, wires, now);
//   engines.post_configure(c.parts());     // every engine at once
//
// The mapping, and why:
//   - a host-to-host link is as it always was (engine_link.hpp): an engine
//     per direction, so the two hosts' kernel work runs on two cores;
//   - a segment of switches (a switch, or a tree of them joined by links)
//     goes whole on one engine: a switch forwards to its ports over the
//     engine's own links, which are single-producer single-consumer rings of
//     one engine thread. Each host on it has one RawSocket (receiving and
//     sending) on its wire end; its link's a_to_b / b_to_a chains lie between
//     that socket and the switch's port (the port is named after the link);
//     a switch-to-switch link's chains join the two switches' ports. The
//     segments alternate between the engines (first on engine 0), so two
//     segments use two cores;
//   - a switch path ("from" -> "to", one direction) is a chain the switch
//     sends those hosts' unicast frames through: its output and input port
//     "<from>_to_<to>", the chain's apps "<switch>_<from>_to_<to>_<effect>";
//   - partitions: the switch drops what crosses them (its partition table);
//     on a host-to-host link a PartitionFilter "<link>_<direction>_partition"
//     heads each direction while any partition is in force (and only then,
//     so a run without partitions pays nothing for them).
// Every drop is counted by the app that made it (dropped_partition, ...).
// EngineConfigs::taps has each scenario link's two directions (chain and
// ends: a socket's or a switch's port); a switch path has none.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/apps/switch/mac_address.hpp"
#include "harness/run/engine_link.hpp"
#include "harness/scenario/network.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

// A running network's changeable state.
struct NetworkState {
  std::vector<LinkDirections> links;          // per scenario link
  std::vector<PartitionChange> partitions{};  // in force, in the order they were made

  static NetworkState initial(const Scenario& s);
  // Applies a change (a link's directions replaced, a partition added, every
  // partition removed) and says what it did, e.g. "n1-s1 a_to_b {loss 100%}".
  // Throws std::out_of_range for a link the scenario does not have.
  std::string apply(const Scenario& s, const NetworkChange& change);
};

// "partition n1,n2 | n3", "heal", "n1-s1 a_to_b {loss 100%}": for logs and reports.
std::string describe(const NetworkChange& change);

// Where the engine reaches the hosts: per Network::interfaces entry, its
// veth's end in the wire namespace and the MAC of the host's own end.
struct Wires {
  std::string netns_path;         // the wire namespace
  std::vector<std::string> ends;  // per interface
  std::vector<MacAddress> macs;   // per interface
};

// A run's verdict captures (--capture), by scenario link name; a link not
// named has none. Switch paths are not captured.
using NetworkCaptures = std::map<std::string, LinkCaptures>;
// Link `link`'s captures, none when it has none.
LinkCaptures captures_of(const NetworkCaptures& captures, const std::string& link);

EngineConfigs network_engines(const Scenario& s, const Network& n, const Wires& wires, const NetworkState& state,
                              const NetworkCaptures& captures = {});

}  // namespace synnet
