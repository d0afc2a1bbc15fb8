// network_json.cpp — a scenario's hosts (with their routes, services and
// sysctls), switches and links. See scenario_parsing.hpp; the network they
// make is completed by resolve_network (network.hpp).
#include <algorithm>

#include "engine/apps/flow/flow_key.hpp"
#include "engine/config.hpp"
#include "harness/scenario/impairments_json.hpp"
#include "harness/scenario/scenario_parsing.hpp"

namespace synnet::scenario_parsing {

using namespace json_reader;

namespace {

// Host and switch names: both are nodes a link names.
std::string node_name(const Value& v, const Context& ctx, std::string_view what) {
  const std::string& name = as_string(v);
  const std::string reason =
      " (it names the host's network namespace, \"<run prefix>-<host>\", which must fit in "
      "15 characters)";
  if (name.empty() || name.size() > 7) {
    fail(v.path, in_quotes(name) + " is " + std::to_string(name.size()) + " characters long; a " + std::string(what) +
                     " name has 1 to 7" + reason);
  }
  const bool valid = (name[0] >= 'a' && name[0] <= 'z') && std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                     });
  if (!valid) {
    fail(v.path, in_quotes(name) + " is not a " + std::string(what) +
                     " name: a lowercase letter, then lowercase letters and digits");
  }
  if (name == "wire") fail(v.path, "\"wire\" is reserved: it names the namespace the engine runs in");
  if (const auto it = ctx.node_paths.find(name); it != ctx.node_paths.end()) {
    fail(v.path,
         in_quotes(name) + " is already the name of " + it->second + " (hosts and switches share one set of names)");
  }
  return name;
}

// Checks one host address ("198.18.0.1/24") and records it, so that no other host has it.
HostAddress host_address(const Value& v, const std::string& host, Context& ctx) {
  HostAddress a;
  try {
    a = parse_host_address(as_string(v));
  } catch (const std::invalid_argument& e) {
    fail(v.path, e.what());
  }
  const std::string bare = a.ip();
  if (const auto it = ctx.address_owners.find(bare); it != ctx.address_owners.end()) {
    fail(v.path, "address " + bare + " is already " + it->second);
  }
  ctx.address_owners.emplace(bare, "host " + in_quotes(host) + "'s (" + v.path + ")");
  return a;
}

std::vector<HostAddress> address_list(const Value& v, const std::string& host, Context& ctx) {
  const std::vector<Value> items = elements(v);
  if (items.empty()) fail(v.path, "is empty: give at least one address, or leave the key out for the default");
  std::vector<HostAddress> out;
  out.reserve(items.size());
  for (const Value& a : items) out.push_back(host_address(a, host, ctx));
  return out;
}

std::vector<std::string> string_list(const Value& v, std::string_view example) {
  const std::vector<Value> args = elements(v);
  if (args.empty()) fail(v.path, "is empty: give the program and its arguments, e.g. " + std::string(example));
  std::vector<std::string> out;
  out.reserve(args.size());
  for (const Value& a : args) out.push_back(as_string(a));
  if (out.front().empty()) fail(args.front().path, "the program's name must not be empty");
  return out;
}

HostRoute parse_route(const Value& v) {
  const Fields f(v, keys("route"), {"to", "via"});
  HostRoute r;
  r.path = v.path;
  r.to = as_string(f.need("to"));
  r.via = as_string(f.need("via"));
  IpPrefix via;
  try {
    via = IpPrefix::parse(r.via);
    if (r.via.find('/') != std::string::npos) throw std::invalid_argument("");
  } catch (const std::invalid_argument&) {
    fail(f.need("via").path, in_quotes(r.via) + " is not an IPv4 or IPv6 address (a neighbour's, without a length)");
  }
  r.ipv6 = via.family == 6;
  if (r.to != "default") {
    IpPrefix to;
    try {
      to = IpPrefix::parse(r.to);
    } catch (const std::invalid_argument& e) {
      fail(f.need("to").path, std::string(e.what()) + " (give a prefix, e.g. \"198.18.2.0/24\", or \"default\")");
    }
    if (to.family != via.family) {
      fail(f.need("via").path, in_quotes(r.via) + " is not of the same family as " + in_quotes(r.to));
    }
    r.to = to.str();
  }
  return r;
}

ServiceSpec parse_service(const Value& v, const std::vector<ServiceSpec>& before) {
  const Fields f(v, keys("service"), {"name", "argv"});
  ServiceSpec s;
  s.path = v.path;
  s.name = as_nonempty_string(f.need("name"));
  if (!valid_name(s.name)) {
    fail(f.need("name").path, in_quotes(s.name) + " is not a service name: use letters, digits, '_' and '-'");
  }
  for (const ServiceSpec& other : before) {
    if (other.name == s.name) fail(f.need("name").path, "the host already has a service " + in_quotes(s.name));
  }
  s.argv = string_list(f.need("argv"), "[\"python3\", \"-m\", \"http.server\", \"8080\"]");
  if (const auto ready = f.get("ready")) {
    const Fields r(*ready, keys("ready"));
    if (const auto tcp = r.get("tcp")) s.ready.tcp = static_cast<std::uint16_t>(as_uint(*tcp, 1, 65535));
    if (const auto exec = r.get("exec")) s.ready.exec = string_list(*exec, "[\"curl\", \"-sf\", \"http://x/\"]");
    if (s.ready.tcp && !s.ready.exec.empty()) fail(ready->path, "give \"tcp\" or \"exec\", not both");
    if (const auto timeout = r.get("timeout")) {
      s.ready.timeout = std::chrono::nanoseconds(as_duration(*timeout));
      if (s.ready.timeout.count() == 0) fail(timeout->path, "must be above 0");
    }
  }
  if (const auto expect_exit = f.get("expect_exit")) s.expect_exit = as_bool(*expect_exit);
  return s;
}

// "net.ipv4.tcp_congestion_control": only the network's sysctls, which a namespace has its own of.
std::pair<std::string, std::string> parse_sysctl(const std::string& key, const Value& v) {
  const bool valid = key.starts_with("net.") && key.find("..") == std::string::npos && !key.ends_with(".") &&
                     std::all_of(key.begin(), key.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                              c == '_' || c == '-';
                     });
  if (!valid) {
    fail(v.path, in_quotes(key) +
                     " is not a network sysctl: only \"net.*\" keys (which each namespace has its own of) can be set, "
                     "e.g. \"net.ipv4.tcp_congestion_control\"");
  }
  std::string value;
  if (v->is_string()) {
    value = v->get<std::string>();
  } else if (v->is_number_integer()) {
    value = v->dump();
  } else {
    wrong_type(v, "a string or an integer");
  }
  if (value.find('\n') != std::string::npos) fail(v.path, "a sysctl's value is one line");
  return {key, value};
}

}  // namespace

const ScenarioHost& Context::host(const std::string& name) const {
  for (const ScenarioHost& h : scenario->hosts) {
    if (h.name == name) return h;
  }
  throw std::out_of_range("no host named " + in_quotes(name));
}

std::string host_ref(const Value& v, const Context& ctx) {
  const std::string& name = as_string(v);
  if (contains(ctx.switch_names, name)) fail(v.path, in_quotes(name) + " is a switch; a host is needed here");
  if (!contains(ctx.host_names, name))
    fail(v.path, "no host " + in_quotes(name) + suggestion(name, ctx.host_names, "hosts"));
  return name;
}

std::string link_ref(const Value& v, const Context& ctx) {
  const std::string& name = as_string(v);
  if (!ctx.link_paths.contains(name))
    fail(v.path, "no link " + in_quotes(name) + suggestion(name, ctx.link_names, "links"));
  return name;
}

ScenarioHost parse_host(const Value& v, Context& ctx) {
  const Fields f(v, keys("host"), {"name"});
  ScenarioHost h;
  h.path = v.path;
  h.name = node_name(f.need("name"), ctx, "host");
  if (const auto addresses = f.get("addresses")) h.addresses = address_list(*addresses, h.name, ctx);
  if (const auto forward = f.get("forward")) h.forward = as_bool(*forward);
  if (const auto routes = f.get("routes")) {
    h.routes_given = true;
    for (const Value& r : elements(*routes)) {
      HostRoute route = parse_route(r);
      for (const HostRoute& other : h.routes) {  // the kernel keeps one route per prefix: a second is refused
        if (other.to == route.to && other.ipv6 == route.ipv6) {
          fail(route.path + "/to",
               "a route to " + route.to + " is already at " + other.path + ": give each prefix once");
        }
      }
      h.routes.push_back(std::move(route));
    }
  }
  if (const auto services = f.get("services")) {
    for (const Value& s : elements(*services)) h.services.push_back(parse_service(s, h.services));
  }
  if (const auto sysctls = f.get("sysctls")) {
    if (!(*sysctls)->is_object()) wrong_type(*sysctls, "an object of \"net.*\" keys and their values");
    for (const auto& item : (*sysctls)->items()) {
      h.sysctls.push_back(
          parse_sysctl(item.key(), Value{&item.value(), sysctls->path + "/" + pointer_token(item.key())}));
    }
  }
  ctx.node_paths.emplace(h.name, "host at " + v.path);
  ctx.host_names.push_back(h.name);
  return h;
}

ScenarioSwitch parse_switch(const Value& v, Context& ctx) {
  const Fields f(v, keys("switch"), {"name"});
  ScenarioSwitch sw;
  sw.path = v.path;
  sw.name = node_name(f.need("name"), ctx, "switch");
  ctx.node_paths.emplace(sw.name, "the switch at " + v.path);
  ctx.switch_names.push_back(sw.name);
  return sw;
}

void parse_switch_paths(const Value& v, ScenarioSwitch& sw, const Context& ctx) {
  const Fields f(v, keys("switch"), {"name"});
  const auto paths = f.get("paths");
  if (!paths) return;
  const auto linked = [&](const std::string& host) {
    return std::any_of(ctx.scenario->links.begin(), ctx.scenario->links.end(), [&](const ScenarioLink& l) {
      return (l.a == host && l.b == sw.name) || (l.b == host && l.a == sw.name);
    });
  };
  for (const Value& p : elements(*paths)) {
    const Fields pf(p, keys("switch_path"), {"from", "to"});
    SwitchPath path;
    path.path = p.path;
    path.from = host_ref(pf.need("from"), ctx);
    path.to = host_ref(pf.need("to"), ctx);
    for (const char* end : {"from", "to"}) {
      const std::string& host = as_string(pf.need(end));
      if (!linked(host)) {
        fail(pf.need(end).path, "host " + in_quotes(host) + " is not linked to switch " + in_quotes(sw.name) +
                                    ": a path joins two hosts on the same switch");
      }
    }
    if (path.from == path.to) fail(pf.need("to").path, in_quotes(path.to) + " is also \"from\"");
    for (const SwitchPath& other : sw.paths) {
      if (other.from == path.from && other.to == path.to) {
        fail(p.path,
             "a path from " + in_quotes(path.from) + " to " + in_quotes(path.to) + " is already at " + other.path);
      }
    }
    path.impairments = parse_direction(p, "switch_path");
    sw.paths.push_back(std::move(path));
  }
}

ScenarioLink parse_link(const Value& v, Context& ctx) {
  const Fields f(v, keys("link"), {"a", "b"});
  ScenarioLink link;
  link.path = v.path;
  // An end: a node's name, or {"node": name, "addresses": [...]} for a host's interface addresses.
  const auto end = [&](const Value& e, std::vector<HostAddress>& addresses) {
    Value name = e;
    std::optional<Value> given;
    if (e->is_object()) {
      const Fields ef(e, keys("link_end"), {"node"});
      name = ef.need("node");
      given = ef.get("addresses");
    }
    const std::string& node = as_string(name);
    if (!contains(ctx.host_names, node) && !contains(ctx.switch_names, node)) {
      std::vector<std::string> nodes = ctx.host_names;
      nodes.insert(nodes.end(), ctx.switch_names.begin(), ctx.switch_names.end());
      fail(name.path, "no host or switch " + in_quotes(node) + suggestion(node, nodes, "nodes"));
    }
    if (given) {
      if (contains(ctx.switch_names, node)) {
        fail(given->path, in_quotes(node) + " is a switch: addresses belong to the hosts' ends");
      }
      addresses = address_list(*given, node, ctx);
    }
    return node;
  };
  link.a = end(f.need("a"), link.a_addresses);
  link.b = end(f.need("b"), link.b_addresses);
  if (link.a == link.b) fail(f.need("b").path, in_quotes(link.b) + " is also \"a\": a link joins two different nodes");
  link.name = link.a + "-" + link.b;
  std::string name_path = v.path;
  if (const auto name = f.get("name")) {
    link.name = as_string(*name);
    name_path = name->path;
    if (!valid_name(link.name)) {
      fail(name->path, in_quotes(link.name) + " is not a link name: use letters, digits, '_' and '-'");
    }
  }
  if (const auto it = ctx.link_paths.find(link.name); it != ctx.link_paths.end()) {
    fail(name_path, (f.get("name") ? "" : "its default ") + std::string("name ") + in_quotes(link.name) +
                        " is already the name of " + it->second + (f.get("name") ? "" : ": give it a \"name\""));
  }
  if (const auto io = f.get("io")) {
    link.io = one_of<LinkIo>(*io, {{"packet", LinkIo::kPacket}, {"xdp", LinkIo::kXdp}});
    if (link.io == LinkIo::kXdp && (contains(ctx.switch_names, link.a) || contains(ctx.switch_names, link.b))) {
      fail(io->path, "a link to a switch uses \"packet\" I/O (the switch shares its engine with every port)");
    }
  }
  if (const auto mtu = f.get("mtu")) link.mtu = static_cast<std::uint32_t>(as_uint(*mtu, 68, 9000));
  if (const auto d = f.get("a_to_b")) link.a_to_b = parse_direction(*d);
  if (const auto d = f.get("b_to_a")) link.b_to_a = parse_direction(*d);
  ctx.link_paths.emplace(link.name, v.path);
  ctx.link_names.push_back(link.name);
  return link;
}

}  // namespace synnet::scenario_parsing
