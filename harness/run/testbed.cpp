// testbed.cpp — builds a scenario's namespaces, veths and addresses, and the
// engines' configurations between them. See testbed.hpp.
#include "harness/run/testbed.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "engine/sys/text.hpp"
#include "harness/run/kill_point.hpp"
#include "netns/ethtool.hpp"
#include "netns/rtnetlink.hpp"

namespace synnet {

namespace {

const ScenarioHost& find_host(const Scenario& s, const std::string& name) {
  for (const ScenarioHost& h : s.hosts) {
    if (h.name == name) return h;
  }
  throw std::out_of_range("no host named \"" + name + "\"");
}

}  // namespace

Testbed::Testbed(const RunId& run, const Scenario& scenario, const std::string& caller_host)
    : scenario_(scenario), network_(network_of(scenario)) {
  for (const ScenarioHost& h : scenario.hosts) {
    if (h.name == caller_host) {
      // This machine's own namespace: nothing in it changes but the run's own interface.
      hosts_.push_back(std::make_unique<Netns>(Netns::current()));
      continue;
    }
    hosts_.push_back(std::make_unique<Netns>(Netns::create(run.name(h.name))));
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
  wires_.netns_path = wire_->path();
  kill_point("namespaces");

  const Offloads off{.tx_checksum = false, .tso = false, .gso = false, .gro = false};
  veths_.reserve(network_.interfaces.size());
  for (const HostInterface& i : network_.interfaces) {
    const ScenarioLink& link = scenario.links[i.link];
    Netns& ns = host(i.host);
    const std::string ifname = i.host == caller_host ? run.name("h") : i.ifname;
    const std::string wire_end = run.name("l" + std::to_string(i.link) + (i.a_end ? "a" : "b"));
    veths_.push_back(Veth::create(ns, ifname, *wire_, wire_end));
    host_ifnames_.push_back(ifname);
    wires_.ends.push_back(wire_end);
    for (auto [netns, dev] : {std::pair<Netns*, std::string>{&ns, ifname}, {wire_.get(), wire_end}}) {
      if (link.mtu != 1500) netns->netlink().set_mtu(dev, link.mtu);
      Ethtool(netns->fd()).set_offloads(dev, off);
      netns->netlink().set_up(dev);
    }
    for (const HostAddress& a : interface_addresses(scenario, i))
      addresses_.push_back(Address::add(ns, ifname, a.str()));
    const std::optional<MacAddress> mac = parse_mac(ns.netlink().link_info(ifname).mac);
    if (!mac) throw std::runtime_error("interface " + ifname + " of host " + i.host + " has no Ethernet address");
    wires_.macs.push_back(*mac);
  }
  kill_point("veths");
  // Each interface knows its segment's other interfaces' MACs for good: no
  // ARP or NDP through the impairments, so a first packet is neither delayed
  // nor lost by them.
  for (const Segment& seg : network_.segments) {
    for (const std::size_t self : seg.interfaces) {
      for (const std::size_t peer : seg.interfaces) {
        if (peer == self) continue;
        const std::string peer_mac = format_mac(wires_.macs[peer]);
        for (const HostAddress& a : interface_addresses(scenario, network_.interfaces[peer])) {
          host(network_.interfaces[self].host).netlink().add_neighbor(host_ifnames_[self], a.ip(), peer_mac);
        }
      }
    }
  }
  for (const ScenarioHost& h : scenario.hosts) {
    if (h.name == caller_host) continue;
    Netns& ns = host(h.name);
    if (h.forward) {
      ns.set_sysctl("net.ipv4.ip_forward", "1");
      if (std::any_of(h.addresses.begin(), h.addresses.end(), [](const HostAddress& a) { return a.ipv6(); })) {
        ns.set_sysctl("net.ipv6.conf.all.forwarding", "1");
      }
    }
    for (const HostRoute& r : h.routes) {
      try {
        ns.netlink().add_route(r.to, r.via);
      } catch (const std::exception& e) {
        throw std::runtime_error((r.path.empty() ? "host " + in_quotes(h.name) + "'s route to " + r.to : r.path) +
                                 ": " + e.what());
      }
    }
    for (const auto& [key, value] : h.sysctls) {
      const std::string path = h.path + "/sysctls/" + json_reader::pointer_token(key);
      try {
        ns.set_sysctl(key, value);
      } catch (const std::exception& e) {
        throw std::runtime_error(path + ": " + e.what() + " (is the key spelled right, and the value one it takes?)");
      }
      // The kernel reads back multi-value keys (tcp_rmem) with tabs: compare the words.
      const std::string now = ns.sysctl(key);
      if (sysctl_words(now) != sysctl_words(value)) {
        throw std::runtime_error(path + ": set to " + in_quotes(value) + " but reads " + in_quotes(now) +
                                 " (the kernel did not take the value)");
      }
    }
  }
}

Testbed::~Testbed() = default;

std::vector<std::string> sysctl_words(std::string_view value) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i])) != 0) ++i;
    const std::size_t start = i;
    while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i])) == 0) ++i;
    if (i > start) words.emplace_back(value.substr(start, i - start));
  }
  return words;
}

Netns& Testbed::host(const std::string& name) {
  for (std::size_t i = 0; i < scenario_.hosts.size(); ++i) {
    if (scenario_.hosts[i].name == name) return *hosts_.at(i);
  }
  throw std::out_of_range("no host named \"" + name + "\"");
}

const std::string& Testbed::interface(const std::string& name) const {
  for (std::size_t i = 0; i < network_.interfaces.size(); ++i) {
    if (network_.interfaces[i].host == name) return host_ifnames_.at(i);
  }
  throw std::out_of_range("host \"" + name + "\" has no interface");
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

EngineConfigs Testbed::engine_configs(const NetworkState& state) const {
  return network_engines(scenario_, network_, wires_, state, captures_);
}

}  // namespace synnet
