// testbed.hpp — Testbed: the network a scenario describes, built for real,
// and the engine configuration that joins it up.
//
//   RunId run = RunId::create();
//   Testbed bed(run, scenario);          // namespaces, veths, addresses, routes; throws on a setup failure
//   EngineConfigs c = bed.engine_configs(NetworkState::initial(scenario));   // network_engines.hpp
//   bed.host("a").fd(); bed.address("b");        // "198.18.0.2"
//
// What it builds, with the run's prefix (e.g. "snk3f9a"):
//   - per host a namespace "<prefix>-<host>" with lo up and an interface per
//     link it is on, "eth0", "eth1", ... in link order (network.hpp), each
//     carrying its link end's addresses; IPv6 is off in a host with no IPv6
//     address (no background RS/MLD frames);
//   - one namespace "<prefix>-wire" where the engine's sockets live;
//   - per link i, for each end that is a host, a veth from the host's
//     interface to the wire namespace ("<prefix>-l<i>a", "<prefix>-l<i>b"
//     there), all up, MTU as the link says, and tx checksum offload (hence
//     TSO), GSO and GRO off on every end, so every frame the engine sees is one
//     wire packet with a valid checksum (a switch's end has no veth: the
//     switch is an app in the engine);
//   - permanent neighbour entries on each host interface for the addresses of
//     every other host interface on its segment, so no ARP/NDP crosses the
//     impairments (the first ping is not 4 delays long, and a lossy link does
//     not fail address resolution);
//   - on a router ("forward": true) IP forwarding on; then every host's
//     routes (given or computed, network.hpp); then its "sysctls", each read
//     back (a key that does not exist or a value not taken: an error naming
//     its JSON path).
// A caller_host is this machine's own namespace instead: nothing is created or
// changed in it but its interface "<prefix>-h" (the veth's end, with its
// addresses and neighbour entries); lo, sysctls and every other interface
// stay as they are. (Only `run` and `attach` use it, with one link.)
// Members are destroyed in reverse order of creation: addresses, veths, then
// namespaces, which also kills nothing: processes are the runner's business.
//
// engine_configs(state): the apps of every link and switch over the run's
// two engines, as network_engines.hpp maps them; app names start with the
// link's (or switch's) name.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/run/engine_link.hpp"
#include "harness/run/network_engines.hpp"
#include "harness/scenario/network.hpp"
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
  // Its first interface: "eth0", or "<prefix>-h" for the caller's host.
  const std::string& interface(const std::string& host) const;
  std::vector<std::string> host_names() const;
  // The host's first address of that family, without the prefix length ("198.18.0.2").
  std::string address(const std::string& name, bool ipv6 = false) const;
  Netns& wire() { return *wire_; }
  const std::vector<std::string>& namespaces() const noexcept { return namespace_names_; }

  // The scenario's own directions, per link, in order.
  std::vector<LinkDirections> links() const;
  EngineConfigs engine_configs(const NetworkState& state) const;
  EngineConfigs engine_configs(const std::vector<LinkDirections>& directions) const {
    return engine_configs(NetworkState{directions, {}});
  }
  const Network& network() const noexcept { return network_; }
  // From now on engine_configs() puts these verdict captures on their links'
  // directions (network_engines.hpp).
  void capture(NetworkCaptures captures) { captures_ = std::move(captures); }
  // The app-name prefix of link i: its name.
  std::string link_app_prefix(std::size_t i) const;

 private:
  const Scenario& scenario_;
  Network network_;
  std::vector<std::unique_ptr<Netns>> hosts_;  // in scenario order
  std::vector<std::string> host_ifnames_;      // per Network::interfaces entry
  std::unique_ptr<Netns> wire_;
  std::vector<std::string> namespace_names_;
  Wires wires_;
  std::vector<Veth> veths_;
  std::vector<Address> addresses_;
  NetworkCaptures captures_;
};

// A sysctl's value as the words it holds: "4096\t131072 6291456\n" and
// "4096 131072 6291456" are the same value.
std::vector<std::string> sysctl_words(std::string_view value);

}  // namespace synnet
