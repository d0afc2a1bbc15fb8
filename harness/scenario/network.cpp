// network.cpp — segments, default addresses and routes of a scenario's
// network. See network.hpp.
#include "harness/scenario/network.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "engine/sys/text.hpp"

namespace synnet {

using json_reader::fail;

namespace {

// ---- Address arithmetic -----------------------------------------------------

// The subnet an address is in: its first prefix_length bits.
IpPrefix subnet_of(const HostAddress& a) {
  IpPrefix p = a.address;
  p.length = a.prefix_length;
  for (unsigned bit = p.length; bit < 128; ++bit) p.addr[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return p;
}

bool in_subnet(const IpPrefix& subnet, const IpPrefix& address) {
  if (subnet.family != address.family) return false;
  for (unsigned bit = 0; bit < subnet.length; ++bit) {
    const unsigned mask = 0x80u >> (bit % 8);
    if ((subnet.addr[bit / 8] & mask) != (address.addr[bit / 8] & mask)) return false;
  }
  return true;
}

bool overlap(const IpPrefix& a, const IpPrefix& b) { return a.length <= b.length ? in_subnet(a, b) : in_subnet(b, a); }

// The IPv4 address `n` after the subnet's first, or nullopt past its last usable one.
std::optional<HostAddress> nth_v4(const IpPrefix& subnet, std::uint32_t n) {
  const std::uint32_t size = subnet.length >= 32 ? 1 : (1u << (32 - subnet.length));
  if (subnet.length > 30 || n == 0 || n >= size - 1) return std::nullopt;
  std::uint32_t v = (std::uint32_t{subnet.addr[0]} << 24 | std::uint32_t{subnet.addr[1]} << 16 |
                     std::uint32_t{subnet.addr[2]} << 8 | subnet.addr[3]) +
                    n;
  HostAddress a;
  a.address.family = 4;
  a.address.length = 32;
  for (int i = 3; i >= 0; --i, v >>= 8) a.address.addr[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
  a.prefix_length = subnet.length;
  return a;
}

std::string end_path(const ScenarioLink& l, bool a_end) { return l.path + (a_end ? "/a" : "/b"); }

// ---- Union-find over indexes ------------------------------------------------

struct Sets {
  std::vector<std::size_t> parent;
  explicit Sets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  bool join(std::size_t a, std::size_t b) {  // false: already one set
    a = find(a);
    b = find(b);
    if (a == b) return false;
    parent[std::max(a, b)] = std::min(a, b);
    return true;
  }
};

std::size_t host_index(const Scenario& s, const std::string& name) {
  for (std::size_t i = 0; i < s.hosts.size(); ++i) {
    if (s.hosts[i].name == name) return i;
  }
  return s.hosts.size();
}

// The routing table of a host as the kernel would use it: on-link subnets, then its routes.
struct Hop {
  bool on_link = false;
  std::size_t segment = 0;  // when on link: the segment of the interface whose subnet has it
  std::string via;          // when not on link
};

std::optional<Hop> lookup(const Scenario& s, const Network& n, const std::string& host, const IpPrefix& address) {
  for (const HostInterface* i : n.interfaces_of(host)) {
    for (const HostAddress& a : interface_addresses(s, *i)) {
      if (in_subnet(subnet_of(a), address)) return Hop{true, i->segment, {}};
    }
  }
  const ScenarioHost& h = s.hosts.at(host_index(s, host));
  const HostRoute* best = nullptr;
  int best_length = -1;
  for (const HostRoute& r : h.routes) {
    if (r.ipv6 != (address.family == 6)) continue;
    const IpPrefix to = r.to == "default" ? IpPrefix{address.family, {}, 0} : IpPrefix::parse(r.to);
    if (in_subnet(to, address) && to.length > best_length) {
      best = &r;
      best_length = to.length;
    }
  }
  if (best == nullptr) return std::nullopt;
  return Hop{false, 0, best->via};
}

// The host that has `address` on one of its interfaces, or "".
std::string owner_of(const Scenario& s, const IpPrefix& address) {
  for (const ScenarioHost& h : s.hosts) {
    for (const HostAddress& a : h.addresses) {
      if (a.address == address) return h.name;
    }
  }
  return "";
}

}  // namespace

// ---- The structure ------------------------------------------------------------

std::vector<const HostInterface*> Network::interfaces_of(const std::string& host) const {
  std::vector<const HostInterface*> out;
  for (const HostInterface& i : interfaces) {
    if (i.host == host) out.push_back(&i);
  }
  return out;
}

const HostInterface* Network::interface_on(const std::string& host, std::size_t link) const {
  for (const HostInterface& i : interfaces) {
    if (i.host == host && i.link == link) return &i;
  }
  return nullptr;
}

bool Network::is_switch(const std::string& node) const {
  return std::find(switch_names.begin(), switch_names.end(), node) != switch_names.end();
}

Network network_of(const Scenario& s) {
  Network n;
  for (const ScenarioSwitch& sw : s.switches) n.switch_names.push_back(sw.name);
  // Links joined into one segment: those that share a switch.
  Sets segment_sets(s.links.size());
  std::map<std::string, std::size_t> first_link_of_switch;
  for (std::size_t l = 0; l < s.links.size(); ++l) {
    for (const std::string* end : {&s.links[l].a, &s.links[l].b}) {
      if (!n.is_switch(*end)) continue;
      const auto [it, inserted] = first_link_of_switch.emplace(*end, l);
      if (!inserted) segment_sets.join(it->second, l);
    }
  }
  std::map<std::size_t, std::size_t> segment_of_root;
  for (std::size_t l = 0; l < s.links.size(); ++l) {
    const std::size_t root = segment_sets.find(l);
    const auto [it, inserted] = segment_of_root.emplace(root, n.segments.size());
    if (inserted) n.segments.emplace_back();
    n.segment_of_link.push_back(it->second);
    Segment& seg = n.segments[it->second];
    seg.links.push_back(l);
    for (const std::string* end : {&s.links[l].a, &s.links[l].b}) {
      if (n.is_switch(*end) && std::find(seg.switches.begin(), seg.switches.end(), *end) == seg.switches.end()) {
        seg.switches.push_back(*end);
      }
    }
  }
  for (const ScenarioHost& h : s.hosts) {
    std::size_t count = 0;
    for (std::size_t l = 0; l < s.links.size(); ++l) {
      for (const bool a_end : {true, false}) {
        if ((a_end ? s.links[l].a : s.links[l].b) != h.name) continue;
        n.interfaces.push_back({h.name, "eth" + std::to_string(count++), l, a_end, n.segment_of_link[l]});
        n.segments[n.segment_of_link[l]].interfaces.push_back(n.interfaces.size() - 1);
      }
    }
  }
  // Networks: segments joined through hosts.
  Sets network_sets(n.segments.size());
  for (const ScenarioHost& h : s.hosts) {
    const auto mine = n.interfaces_of(h.name);
    for (std::size_t k = 1; k < mine.size(); ++k) network_sets.join(mine[0]->segment, mine[k]->segment);
  }
  std::map<std::size_t, std::size_t> number;
  for (std::size_t g = 0; g < n.segments.size(); ++g) {
    n.segments[g].network = number.emplace(network_sets.find(g), number.size()).first->second;
  }
  return n;
}

const std::vector<HostAddress>& interface_addresses(const Scenario& s, const HostInterface& i) {
  const ScenarioLink& l = s.links.at(i.link);
  return i.a_end ? l.a_addresses : l.b_addresses;
}

// ---- Resolution -------------------------------------------------------------

void resolve_network(Scenario& s) {
  Network n = network_of(s);

  // No loop of switches: the engine's switches run no spanning tree.
  {
    std::map<std::string, std::size_t> index;
    for (const std::string& name : n.switch_names) index.emplace(name, index.size());
    Sets switches(index.size());
    for (const ScenarioLink& l : s.links) {
      if (!n.is_switch(l.a) || !n.is_switch(l.b)) continue;
      if (!switches.join(index.at(l.a), index.at(l.b))) {
        fail(l.path, "link " + in_quotes(l.name) + " closes a loop of switches (" + l.a + " and " + l.b +
                         " are already joined): the engine's switches run no spanning tree; remove a link of the loop");
      }
    }
    for (std::size_t k = 0; k < s.switches.size(); ++k) {
      if (std::none_of(s.links.begin(), s.links.end(),
                       [&](const ScenarioLink& l) { return l.a == s.switches[k].name || l.b == s.switches[k].name; })) {
        fail(s.switches[k].path, "switch " + in_quotes(s.switches[k].name) + " is on no link: link hosts to it");
      }
    }
  }

  // A host's own "addresses" go onto its one link end.
  for (ScenarioHost& h : s.hosts) {
    if (h.addresses.empty()) continue;
    const auto mine = n.interfaces_of(h.name);
    if (mine.size() > 1) {
      fail(h.path + "/addresses", "host " + in_quotes(h.name) + " is on " + std::to_string(mine.size()) +
                                      " links: give each link end its addresses instead, e.g. \"a\": {\"node\": \"" +
                                      h.name + "\", \"addresses\": [\"198.18.1.1/24\"]}");
    }
    if (mine.empty()) continue;
    ScenarioLink& l = s.links[mine[0]->link];
    std::vector<HostAddress>& end = mine[0]->a_end ? l.a_addresses : l.b_addresses;
    if (!end.empty()) {
      fail(end_path(l, mine[0]->a_end) + "/addresses",
           "host " + in_quotes(h.name) + " has \"addresses\" of its own (" + h.path + "/addresses): give them once");
    }
    end = h.addresses;
  }

  // Subnets: per segment, the first given IPv4 address's, else the first free 198.18.<k>.0/24 of its network.
  std::set<std::string> taken;
  for (const ScenarioLink& l : s.links) {
    for (const auto* list : {&l.a_addresses, &l.b_addresses}) {
      for (const HostAddress& a : *list) taken.insert(a.ip());
    }
  }
  std::vector<std::optional<IpPrefix>> v4(n.segments.size());
  for (std::size_t g = 0; g < n.segments.size(); ++g) {
    for (const std::size_t i : n.segments[g].interfaces) {
      for (const HostAddress& a : interface_addresses(s, n.interfaces[i])) {
        if (!a.ipv6() && !v4[g]) v4[g] = subnet_of(a);
      }
    }
  }
  for (std::size_t g = 0; g < n.segments.size(); ++g) {
    if (v4[g] || n.segments[g].interfaces.empty()) continue;
    for (unsigned k = 0; k < 512 && !v4[g]; ++k) {
      IpPrefix candidate = IpPrefix::parse("198.18.0.0/24");
      candidate.addr[2] = static_cast<std::uint8_t>(k % 256);
      candidate.addr[1] = static_cast<std::uint8_t>(18 + k / 256);
      const bool used = std::any_of(v4.begin(), v4.end(), [&](const std::optional<IpPrefix>& other) {
        const std::size_t o = static_cast<std::size_t>(&other - v4.data());
        return other && n.segments[o].network == n.segments[g].network && overlap(*other, candidate);
      });
      if (!used) v4[g] = candidate;
    }
    if (!v4[g]) fail(s.links[n.segments[g].links[0]].path, "no free /24 left in 198.18.0.0/15 for its segment");
  }
  // Default addresses: host index + 1 in the segment's subnet when free, else the next free one.
  for (const HostInterface& i : n.interfaces) {
    ScenarioLink& l = s.links[i.link];
    std::vector<HostAddress>& end = i.a_end ? l.a_addresses : l.b_addresses;
    if (!end.empty()) continue;
    const IpPrefix& subnet = *v4[i.segment];
    const std::uint32_t first = static_cast<std::uint32_t>(host_index(s, i.host) + 1);
    std::optional<HostAddress> chosen;
    for (std::uint32_t k = first; !chosen; ++k) {
      const std::optional<HostAddress> a = nth_v4(subnet, k);
      if (!a) break;
      if (!taken.contains(a->ip())) chosen = a;
    }
    for (std::uint32_t k = 1; !chosen && k < first; ++k) {
      const std::optional<HostAddress> a = nth_v4(subnet, k);
      if (a && !taken.contains(a->ip())) chosen = a;
    }
    if (!chosen) {
      fail(end_path(l, i.a_end),
           "no free address left in " + subnet.str() + " for host " + in_quotes(i.host) + ": give it \"addresses\"");
    }
    taken.insert(chosen->ip());
    end.push_back(*chosen);
  }
  for (ScenarioHost& h : s.hosts) {
    const auto mine = n.interfaces_of(h.name);
    if (mine.empty()) {  // a host on no link keeps what it was given, or the default of a disjoint pair's host
      if (h.addresses.empty()) {
        h.addresses.push_back(
            *nth_v4(IpPrefix::parse("198.18.0.0/24"), static_cast<std::uint32_t>(host_index(s, h.name) + 1)));
      }
      continue;
    }
    h.addresses.clear();
    for (const HostInterface* i : mine) {
      const auto& list = interface_addresses(s, *i);
      h.addresses.insert(h.addresses.end(), list.begin(), list.end());
    }
  }

  // The segments of one network must not share a subnet: a route could not tell them apart.
  std::vector<std::pair<IpPrefix, std::size_t>> subnets;  // subnet, segment
  for (std::size_t g = 0; g < n.segments.size(); ++g) {
    std::set<std::string> mine;
    for (const std::size_t i : n.segments[g].interfaces) {
      for (const HostAddress& a : interface_addresses(s, n.interfaces[i])) {
        const IpPrefix p = subnet_of(a);
        if (!mine.insert(p.str()).second) continue;
        for (const auto& [other, o] : subnets) {
          if (o == g || n.segments[o].network != n.segments[g].network || !overlap(p, other)) continue;
          fail(s.links[n.segments[g].links[0]].path,
               "its segment's subnet " + p.str() + " overlaps " + other.str() + " of link " +
                   in_quotes(s.links[n.segments[o].links[0]].name) +
                   ", which is on the same network: give the segments different subnets");
        }
        subnets.emplace_back(p, g);
      }
    }
  }

  // Routes: given ones must go via a neighbour; the others are computed.
  for (ScenarioHost& h : s.hosts) {
    if (h.routes_given) {
      for (const HostRoute& r : h.routes) {
        const IpPrefix via = IpPrefix::parse(r.via);
        const std::optional<Hop> hop = lookup(s, n, h.name, via);
        if (!hop || !hop->on_link) {
          fail(
              r.path + "/via", r.via + " is on none of host " + in_quotes(h.name) +
                                   "'s segments: a route goes via a neighbour's address (" +
                                   (n.interfaces_of(h.name).empty() ? std::string("it has no link") : "its subnets: ") +
                                   [&] {
                                     std::string list;
                                     for (const HostAddress& a : h.addresses) {
                                       list += (list.empty() ? "" : ", ") + subnet_of(a).str();
                                     }
                                     return list;
                                   }() +
                                   ")");
        }
        const std::string owner = owner_of(s, via);
        if (owner == h.name) fail(r.path + "/via", r.via + " is host " + in_quotes(h.name) + "'s own address");
        if (r.to == "default") continue;
        const IpPrefix to = IpPrefix::parse(r.to);
        static const IpPrefix v4 = IpPrefix::parse("198.18.0.0/15"), v6 = IpPrefix::parse("2001:2::/48");
        const IpPrefix& range = to.family == 4 ? v4 : v6;
        if (to.length < range.length || !in_subnet(range, to)) {
          fail(r.path + "/to", r.to + " is outside " + range.str() +
                                   ": a scenario's traffic stays in the test ranges (198.18.0.0/15, 2001:2::/48)");
        }
        const bool own = std::any_of(h.addresses.begin(), h.addresses.end(),
                                     [&](const HostAddress& a) { return subnet_of(a) == to; });
        if (own) {
          fail(r.path + "/to", r.to + " is on one of host " + in_quotes(h.name) +
                                   "'s own segments: it needs no route (the kernel has one already)");
        }
      }
      continue;
    }
    h.routes.clear();
    // Breadth-first over segments from the host's own; a segment is left only through a router.
    std::map<std::size_t, std::optional<std::pair<std::string, std::string>>> first_hop;  // segment -> (v4, v6) via
    std::deque<std::size_t> queue;
    for (const HostInterface* i : n.interfaces_of(h.name)) {
      if (first_hop.emplace(i->segment, std::nullopt).second) queue.push_back(i->segment);
    }
    while (!queue.empty()) {
      const std::size_t g = queue.front();
      queue.pop_front();
      for (const std::size_t ri : n.segments[g].interfaces) {
        const HostInterface& router_if = n.interfaces[ri];
        if (router_if.host == h.name || !s.hosts[host_index(s, router_if.host)].forward) continue;
        // The next hop: this router's address on g when g is the host's own segment, else g's next hop.
        std::pair<std::string, std::string> via;
        if (first_hop.at(g)) {
          via = *first_hop.at(g);
        } else {
          for (const HostAddress& a : interface_addresses(s, router_if)) {
            std::string& slot = a.ipv6() ? via.second : via.first;
            if (slot.empty()) slot = a.ip();
          }
        }
        for (const HostInterface* other : n.interfaces_of(router_if.host)) {
          if (first_hop.emplace(other->segment, via).second) queue.push_back(other->segment);
        }
      }
    }
    for (const auto& [g, via] : first_hop) {
      if (!via) continue;
      std::set<std::string> done;
      for (const std::size_t i : n.segments[g].interfaces) {
        for (const HostAddress& a : interface_addresses(s, n.interfaces[i])) {
          const std::string to = subnet_of(a).str();
          const std::string& hop = a.ipv6() ? via->second : via->first;
          if (hop.empty() || !done.insert(to).second) continue;
          h.routes.push_back({to, hop, a.ipv6()});
        }
      }
    }
  }
}

std::string why_unreachable(const Scenario& s, const std::string& from, const std::string& address) {
  const Network n = network_of(s);
  const IpPrefix target = IpPrefix::parse(address);
  std::string at = from;
  std::vector<std::string> path{from};
  for (std::size_t hops = 0; hops <= s.hosts.size(); ++hops) {
    const std::optional<Hop> hop = lookup(s, n, at, target);
    if (!hop) {
      return "host " + in_quotes(at) + " has no route to " + address +
             (at == from ? "" : " (reached through " + json_reader::join(path) + ")") +
             ": make a host that joins the segments a router (\"forward\": true), or give \"routes\"";
    }
    if (hop->on_link) {
      for (const std::size_t i : n.segments[hop->segment].interfaces) {
        for (const HostAddress& a : interface_addresses(s, n.interfaces[i])) {
          if (a.address == target) return "";
        }
      }
      return "host " + in_quotes(at) + " has no route to " + address + ": no host on its segment (link " +
             in_quotes(s.links[n.segments[hop->segment].links[0]].name) +
             ") has that address, and no router joins the networks";
    }
    const std::string next = owner_of(s, IpPrefix::parse(hop->via));
    if (next.empty()) return "host " + in_quotes(at) + " routes it via " + hop->via + ", which no host has";
    if (!s.hosts[host_index(s, next)].forward) {
      return "host " + in_quotes(at) + " routes it via " + in_quotes(next) + " (" + hop->via +
             "), which does not forward: give it \"forward\": true";
    }
    at = next;
    path.push_back(next);
  }
  return "the routes toward " + address + " go round in a loop (" + json_reader::join(path) + ")";
}

}  // namespace synnet
