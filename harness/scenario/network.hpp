// network.hpp — the network a scenario's hosts, switches and links make, as
// pure functions of the scenario (no root, no system calls): its L2 segments,
// each host's interfaces, the addresses they get by default, the routes every
// host needs, and whether traffic can get from one host to another.
//
//   Network n = network_of(s);                   // segments and interfaces
//   n.interfaces_of("r1");                       // {eth0 on link 0, eth1 on link 1}
//   resolve_network(s);                          // parse_scenario calls it: default addresses, routes, checks
//   std::string why = why_unreachable(s, "n1", "198.18.1.3");   // "" when a route reaches it
//
// A segment is one broadcast domain: a host-to-host link alone, or every
// link of a tree of switches (switch-to-switch links join switches into one
// segment; a loop of switches is refused: no spanning tree runs). A host's
// interfaces are "eth0", "eth1", ... in the order of its links.
//
// Default addresses (a link end with none given): IPv4 only, in the
// segment's subnet: the subnet of the first address given on the segment, or
// 198.18.<k>.0/24 with k the first number no other segment of the same
// network uses (segments that no host joins, by being on both, are separate
// networks and may reuse a subnet, so a file of disjoint pairs keeps today's
// 198.18.0.<host index + 1>); the host part is the host's index + 1 when free.
//
// Routes (hosts without "routes" of their own): shortest path in hops, as
// Mininet computes them: for every subnet a host is not on, a route via the
// first router (a host with "forward": true) on the way, found by a
// breadth-first search over segments that only routers cross (ties: the
// segment and router that come first in the file).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "harness/scenario/scenario.hpp"

namespace synnet {

struct HostInterface {
  std::string host;
  std::string ifname;  // "eth<i>"
  std::size_t link = 0;
  bool a_end = true;  // the host is the link's a
  std::size_t segment = 0;
};

struct Segment {
  std::vector<std::size_t> links;       // in file order
  std::vector<std::string> switches;    // empty: a plain host-to-host link
  std::vector<std::size_t> interfaces;  // indexes into Network::interfaces
  std::size_t network = 0;              // segments joined by hosts (routers or not) share a network number
};

struct Network {
  std::vector<Segment> segments;          // in the order of their first link
  std::vector<HostInterface> interfaces;  // host by host (file order), each in link order
  std::vector<std::size_t> segment_of_link;

  std::vector<const HostInterface*> interfaces_of(const std::string& host) const;
  // The host's interface on link `link`, or nullptr.
  const HostInterface* interface_on(const std::string& host, std::size_t link) const;
  bool is_switch(const std::string& node) const;

  std::vector<std::string> switch_names;
};

// The structure alone. Links must name hosts or switches of the scenario.
Network network_of(const Scenario& s);

// The addresses of a host's interface (its link end's).
const std::vector<HostAddress>& interface_addresses(const Scenario& s, const HostInterface& i);

// Completes a parsed scenario's network: moves a host's "addresses" onto its
// one link end, gives every host end without addresses its default, fills
// ScenarioHost::addresses (all, in interface order), checks that no loop of
// switches exists, that no default address is taken and that the segments of
// one network have distinct subnets, computes the routes of hosts without
// "routes" and checks the given ones. Throws ScenarioError at the JSON path
// of the part at fault.
void resolve_network(Scenario& s);

// Why traffic from host `from` to `address` cannot get there (following the
// routes hop by hop through routers), or "" when it can.
std::string why_unreachable(const Scenario& s, const std::string& from, const std::string& address);

}  // namespace synnet
