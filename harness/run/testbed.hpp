// testbed.hpp — Testbed: the network a scenario describes, built for real,
// and the engine configuration that joins it up.
//
//   RunId run = RunId::create();
//   Testbed bed(run, scenario);          // namespaces, veths, addresses; throws on a setup failure
//   EngineConfigs c = bed.engine_configs(bed.links());  // I/O apps + impairments, an engine per direction
//   bed.host("a").fd(); bed.address("b");        // "198.18.0.2"
//
// What it builds, with the run's prefix (e.g. "snk3f9a"):
//   - per host a namespace "<prefix>-<host>" with lo up and one interface,
//     "eth0", carrying the host's addresses;
//     IPv6 is off in a host with no IPv6 address (no background RS/MLD frames);
//   - one namespace "<prefix>-wire" where the engine's sockets live;
//   - per link i a veth from each of its hosts' eth0 to the wire namespace
//     ("<prefix>-l<i>a", "<prefix>-l<i>b" there), all up, MTU as the link says,
//     and tx checksum offload (hence TSO), GSO and GRO off on every end, so
//     every frame the engine sees is one wire packet with a valid checksum;
//   - permanent neighbour entries on each host for its peer's addresses, so
//     no ARP/NDP crosses the impairments (the first ping is not 4 delays long,
//     and a lossy link does not fail address resolution).
// A caller_host is this machine's own namespace instead: nothing is created or
// changed in it but its interface "<prefix>-h" (the veth's end, with its
// addresses and neighbour entries); lo, sysctls and every other interface
// stay as they are.
// Members are destroyed in reverse order of creation: addresses, veths, then
// namespaces, which also kills nothing: processes are the runner's business.
//
// engine_configs(directions): per link, the apps add_engine_link adds
// (engine_link.hpp) between its two wire ends: a socket on each, the
// impairment chains "<link>_a_to_b" and "<link>_b_to_a", split over an engine
// per direction (an xdp link whole on the first); <link> is the link's name
// (the parser only accepts names that are valid app names). `directions`
// holds the current a_to_b/b_to_a per link, so the timeline can pass changed
// ones.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/run/engine_link.hpp"
#include "harness/scenario/scenario.hpp"
#include "netns/address.hpp"
#include "netns/netns.hpp"
#include "netns/run_id.hpp"
#include "netns/veth.hpp"

namespace synnet {

class Testbed {
 public:
  // caller_host: the name of a host that is the caller's own namespace (this
  // machine) instead of a new one; see above.
  Testbed(const RunId& run, const Scenario& scenario, const std::string& caller_host = "");
  Testbed(const Testbed&) = delete;
  Testbed& operator=(const Testbed&) = delete;
  ~Testbed();

  Netns& host(const std::string& name);
  const std::string& interface(const std::string& host) const;  // "eth0", or "<prefix>-h" for the caller's host
  std::vector<std::string> host_names() const;
  // The host's first address of that family, without the prefix length ("198.18.0.2").
  std::string address(const std::string& name, bool ipv6 = false) const;
  Netns& wire() { return *wire_; }
  const std::vector<std::string>& namespaces() const noexcept { return namespace_names_; }

  // The scenario's own directions, per link, in order.
  std::vector<LinkDirections> links() const;
  EngineConfigs engine_configs(const std::vector<LinkDirections>& directions) const;
  // The app-name prefix of link i: its name.
  std::string link_app_prefix(std::size_t i) const;
  std::size_t link_index(const std::string& link_name) const;  // throws std::out_of_range

 private:
  const Scenario& scenario_;
  std::vector<std::unique_ptr<Netns>> hosts_;  // in scenario order
  std::vector<std::string> host_ifnames_;      // in scenario order
  std::unique_ptr<Netns> wire_;
  std::vector<std::string> namespace_names_;
  std::vector<std::string> wire_ends_;  // per link: a's end, b's end
  std::vector<Veth> veths_;
  std::vector<Address> addresses_;
};

}  // namespace synnet
