// testbed.cpp — builds a scenario's namespaces, veths and addresses, and the
// engines' configurations between them. See testbed.hpp.
#include "harness/run/testbed.hpp"

#include <algorithm>
#include <stdexcept>

#include "netns/ethtool.hpp"
#include "netns/rtnetlink.hpp"

namespace synnet {

namespace {

constexpr const char* kHostInterface = "eth0";

const ScenarioHost& find_host(const Scenario& s, const std::string& name) {
  for (const ScenarioHost& h : s.hosts) {
    if (h.name == name) return h;
  }
  throw std::out_of_range("no host named \"" + name + "\"");
}

}  // namespace

Testbed::Testbed(const RunId& run, const Scenario& scenario, const std::string& caller_host) : scenario_(scenario) {
  for (const ScenarioHost& h : scenario.hosts) {
    if (h.name == caller_host) {
      // This machine's own namespace: nothing in it changes but the run's own interface.
      hosts_.push_back(std::make_unique<Netns>(Netns::current()));
      host_ifnames_.push_back(run.name("h"));
      continue;
    }
    hosts_.push_back(std::make_unique<Netns>(Netns::create(run.name(h.name))));
    host_ifnames_.emplace_back(kHostInterface);
    namespace_names_.push_back(hosts_.back()->name());
    // No IPv6 address: no IPv6 at all, so no router solicitations or MLD
    // reports cross the engine at random moments (a seeded run's random
    // decisions then fall on the same packets every time).
    const bool v6 = std::any_of(h.addresses.begin(), h.addresses.end(), [](const HostAddress& a) { return a.ipv6(); });
    if (!v6) {
      for (const char* key : {"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"}) {
        hosts_.back()->set_sysctl(key, "1");
      }
    }
    hosts_.back()->netlink().set_up("lo");
  }
  wire_ = std::make_unique<Netns>(Netns::create(run.name("wire")));
  namespace_names_.push_back(wire_->name());
  wire_->netlink().set_up("lo");

  const Offloads off{.tx_checksum = false, .tso = false, .gso = false, .gro = false};
  veths_.reserve(scenario.links.size() * 2);
  for (std::size_t i = 0; i < scenario.links.size(); ++i) {
    const ScenarioLink& link = scenario.links[i];
    for (const std::string* end : {&link.a, &link.b}) {
      Netns& ns = host(*end);
      const std::string& ifname = interface(*end);
      const std::string wire_end = run.name("l" + std::to_string(i) + (end == &link.a ? "a" : "b"));
      veths_.push_back(Veth::create(ns, ifname, *wire_, wire_end));
      wire_ends_.push_back(wire_end);
      for (auto [netns, dev] : {std::pair<Netns*, std::string>{&ns, ifname}, {wire_.get(), wire_end}}) {
        if (link.mtu != 1500) netns->netlink().set_mtu(dev, link.mtu);
        Ethtool(netns->fd()).set_offloads(dev, off);
        netns->netlink().set_up(dev);
      }
      for (const HostAddress& a : find_host(scenario, *end).addresses) {
        addresses_.push_back(Address::add(ns, ifname, a.str()));
      }
    }
    // Each end knows the other's MAC for good: no ARP or NDP through the
    // impairments, so a first packet is neither delayed nor lost by them.
    for (const auto& [self, peer] : {std::pair{&link.a, &link.b}, std::pair{&link.b, &link.a}}) {
      const std::string peer_mac = host(*peer).netlink().link_info(interface(*peer)).mac;
      for (const HostAddress& a : find_host(scenario, *peer).addresses) {
        host(*self).netlink().add_neighbor(interface(*self), a.ip(), peer_mac);
      }
    }
  }
}

Testbed::~Testbed() = default;

Netns& Testbed::host(const std::string& name) {
  for (std::size_t i = 0; i < scenario_.hosts.size(); ++i) {
    if (scenario_.hosts[i].name == name) return *hosts_.at(i);
  }
  throw std::out_of_range("no host named \"" + name + "\"");
}

const std::string& Testbed::interface(const std::string& name) const {
  for (std::size_t i = 0; i < scenario_.hosts.size(); ++i) {
    if (scenario_.hosts[i].name == name) return host_ifnames_.at(i);
  }
  throw std::out_of_range("no host named \"" + name + "\"");
}

std::vector<std::string> Testbed::host_names() const {
  std::vector<std::string> names;
  for (const ScenarioHost& h : scenario_.hosts) names.push_back(h.name);
  return names;
}

std::string Testbed::address(const std::string& name, bool ipv6) const {
  for (const HostAddress& a : find_host(scenario_, name).addresses) {
    if (a.ipv6() == ipv6) return a.ip();
  }
  throw std::out_of_range("host \"" + name + "\" has no " + (ipv6 ? "IPv6" : "IPv4") + " address");
}

std::vector<LinkDirections> Testbed::links() const {
  std::vector<LinkDirections> out;
  for (const ScenarioLink& l : scenario_.links) out.push_back({l.a_to_b, l.b_to_a});
  return out;
}

// The parser only accepts link names that are valid app names (engine/config.hpp).
std::string Testbed::link_app_prefix(std::size_t i) const { return scenario_.links.at(i).name; }

std::size_t Testbed::link_index(const std::string& link_name) const {
  for (std::size_t i = 0; i < scenario_.links.size(); ++i) {
    if (scenario_.links[i].name == link_name) return i;
  }
  throw std::out_of_range("no link named \"" + link_name + "\"");
}

EngineConfigs Testbed::engine_configs(const std::vector<LinkDirections>& directions) const {
  EngineConfigs c;
  for (std::size_t i = 0; i < scenario_.links.size(); ++i) {
    add_engine_link(c, link_app_prefix(i), scenario_.links[i].io, {wire_ends_.at(2 * i), wire_->path()},
                    {wire_ends_.at(2 * i + 1), wire_->path()}, directions.at(i));
  }
  return c;
}

}  // namespace synnet
