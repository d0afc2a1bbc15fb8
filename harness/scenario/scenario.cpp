// scenario.cpp — parse_scenario: a scenario file's JSON text into a validated
// Scenario (scenario.hpp; the format's authority is scenarios/README.md, which
// also lists the decisions the format makes beyond the JSON Schema).
//
// One function per kind of object (parse_host, parse_link, parse_item, ...).
// Each reads its object through Fields (json_reader.hpp), which rejects
// unknown keys (suggesting the closest valid one) and missing required keys
// before anything else, and each value through a small typed reader
// (as_string, as_uint, as_duration, ...) that throws with the value's JSON
// Pointer. The text is read as ordered_json, so "the first unknown key" is
// the first in the file; arrays are read in order and the keys of an object
// in a fixed order, so the error reported is the first in the file in most
// cases. A link's directions are read by impairments_json.hpp.
#include "harness/scenario/scenario.hpp"

#include <algorithm>
#include <map>

#include "engine/config.hpp"
#include "harness/scenario/address.hpp"
#include "harness/scenario/impairments_json.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

using namespace json_reader;

namespace {

// Every kind of object of the scenario proper and its keys, in the order the
// README lists them (impairment_keys() has the impairments').
const std::map<std::string, std::vector<std::string>, std::less<>>& key_table() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> table = {
      {"scenario", {"$schema", "name", "description", "seed", "hosts", "links", "timeline", "traffic"}},
      {"host", {"name", "addresses"}},
      {"link", {"a", "b", "name", "io", "mtu", "a_to_b", "b_to_a"}},
      {"timeline", {"at", "link", "a_to_b", "b_to_a"}},
      {"traffic", {"name", "ping", "iperf3", "exec", "parallel", "deadline", "engine", "expect"}},
      {"ping", {"from", "to", "to_address", "count", "interval", "size"}},
      {"iperf3", {"client", "server", "protocol", "bitrate", "length", "duration", "parallel", "reverse"}},
      {"exec", {"host", "argv"}},
      {"expect", {"loss", "throughput", "rtt_min", "rtt_avg", "rtt_max", "rtt_mdev", "jitter", "gap", "exit_code"}},
      {"bound", {"min", "max"}},
  };
  return table;
}

const std::vector<std::string>& keys(std::string_view kind) { return scenario_keys(kind); }

// ---- Hosts and links ------------------------------------------------------

// What the parts of a scenario refer to, filled as they are read.
struct Context {
  std::vector<std::string> host_names{};
  std::map<std::string, const ScenarioHost*> hosts{};
  std::map<std::string, std::string> host_paths{};      // host name -> its JSON path
  std::map<std::string, std::string> address_owners{};  // address (no length) -> "host "a" (/hosts/0/addresses/1)"
  std::map<std::string, std::string> link_of_host{};    // host name -> link name
  std::map<std::string, std::string> link_paths{};      // link name -> its JSON path
  std::vector<std::string> link_names{};
  std::map<std::string, std::string> item_paths{};  // traffic item name -> its JSON path
};

std::string host_name(const Value& v, const Context& ctx) {
  const std::string& name = as_string(v);
  const std::string reason =
      " (it names the host's network namespace, \"<run prefix>-<host>\", which must fit in "
      "15 characters)";
  if (name.empty() || name.size() > 7) {
    fail(v.path,
         in_quotes(name) + " is " + std::to_string(name.size()) + " characters long; a host name has 1 to 7" + reason);
  }
  const bool valid = (name[0] >= 'a' && name[0] <= 'z') && std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                     });
  if (!valid)
    fail(v.path, in_quotes(name) + " is not a host name: a lowercase letter, then lowercase letters and digits");
  if (name == "wire") fail(v.path, "\"wire\" is reserved: it names the namespace the engine runs in");
  if (const auto it = ctx.host_paths.find(name); it != ctx.host_paths.end()) {
    fail(v.path, "host " + in_quotes(name) + " is already defined at " + it->second);
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

ScenarioHost parse_host(const Value& v, std::size_t index, Context& ctx) {
  const Fields f(v, keys("host"), {"name"});
  ScenarioHost h;
  h.name = host_name(f.need("name"), ctx);
  if (const auto addresses = f.get("addresses")) {
    const std::vector<Value> items = elements(*addresses);
    if (items.empty()) {
      fail(addresses->path, "is empty: give at least one address, or leave the key out for the default");
    }
    for (const Value& a : items) h.addresses.push_back(host_address(a, h.name, ctx));
  } else {
    if (index + 1 > 254) fail(v.path, "only the first 254 hosts get a default address: give it \"addresses\"");
    const std::string bare = "198.18.0." + std::to_string(index + 1);
    if (const auto it = ctx.address_owners.find(bare); it != ctx.address_owners.end()) {
      fail(v.path, "its default address " + bare + "/24 is already " + it->second + ": give it \"addresses\"");
    }
    ctx.address_owners.emplace(bare, "host " + in_quotes(h.name) + "'s default (" + v.path + ")");
    h.addresses.push_back(parse_host_address(bare + "/24"));
  }
  ctx.host_paths.emplace(h.name, v.path);
  ctx.host_names.push_back(h.name);
  return h;
}

// A reference to a host that exists.
std::string host_ref(const Value& v, const Context& ctx) {
  const std::string& name = as_string(v);
  if (!ctx.hosts.contains(name)) fail(v.path, "no host " + in_quotes(name) + suggestion(name, ctx.host_names, "hosts"));
  return name;
}

ScenarioLink parse_link(const Value& v, Context& ctx) {
  const Fields f(v, keys("link"), {"a", "b"});
  ScenarioLink link;
  link.a = host_ref(f.need("a"), ctx);
  link.b = host_ref(f.need("b"), ctx);
  if (link.a == link.b) fail(f.need("b").path, in_quotes(link.b) + " is also \"a\": a link joins two different hosts");
  for (const char* end : {"a", "b"}) {
    const std::string& host = as_string(f.need(end));
    if (const auto it = ctx.link_of_host.find(host); it != ctx.link_of_host.end()) {
      fail(f.need(end).path, "host " + in_quotes(host) + " is already on link " + in_quotes(it->second) + " (" +
                                 ctx.link_paths.at(it->second) + "): a host has one interface, on one link");
    }
  }
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
  if (const auto io = f.get("io")) link.io = one_of<LinkIo>(*io, {{"packet", LinkIo::kPacket}, {"xdp", LinkIo::kXdp}});
  if (const auto mtu = f.get("mtu")) link.mtu = static_cast<std::uint32_t>(as_uint(*mtu, 68, 9000));
  if (const auto d = f.get("a_to_b")) link.a_to_b = parse_direction(*d);
  if (const auto d = f.get("b_to_a")) link.b_to_a = parse_direction(*d);
  ctx.link_of_host.emplace(link.a, link.name);
  ctx.link_of_host.emplace(link.b, link.name);
  ctx.link_paths.emplace(link.name, v.path);
  ctx.link_names.push_back(link.name);
  return link;
}

TimelineEvent parse_event(const Value& v, const Context& ctx) {
  const Fields f(v, keys("timeline"), {"at"});
  TimelineEvent e;
  LinkChange& c = e.change.emplace<LinkChange>();
  e.path = v.path;
  e.at = std::chrono::nanoseconds(as_duration(f.need("at")));
  if (const auto link = f.get("link")) {
    c.link = as_string(*link);
    if (!ctx.link_paths.contains(c.link)) {
      fail(link->path, "no link " + in_quotes(c.link) + suggestion(c.link, ctx.link_names, "links"));
    }
  } else if (ctx.link_names.size() == 1) {
    c.link = ctx.link_names.front();
  } else {
    fail(v.path, "missing \"link\": the scenario has " + std::to_string(ctx.link_names.size()) + " links (" +
                     join(ctx.link_names) + ")");
  }
  if (const auto d = f.get("a_to_b")) c.a_to_b = parse_direction(*d);
  if (const auto d = f.get("b_to_a")) c.b_to_a = parse_direction(*d);
  if (!c.a_to_b && !c.b_to_a) {
    fail(v.path, "changes nothing: give \"a_to_b\", \"b_to_a\" or both ({} removes every impairment)");
  }
  return e;
}

// ---- Traffic --------------------------------------------------------------

// Traffic between two hosts crosses the link they are both on (nothing routes between links).
void require_same_link(const Context& ctx, const Value& first, const Value& second) {
  const std::string& a = as_string(first);
  const std::string& b = as_string(second);
  if (a == b) fail(second.path, in_quotes(b) + " is at both ends: the traffic would not cross a link");
  for (const Value* end : {&first, &second}) {
    const std::string& host = as_string(*end);
    if (!ctx.link_of_host.contains(host)) fail(end->path, "host " + in_quotes(host) + " is on no link");
  }
  if (ctx.link_of_host.at(a) != ctx.link_of_host.at(b)) {
    fail(second.path, "hosts " + in_quotes(a) + " and " + in_quotes(b) + " are on different links (" +
                          in_quotes(ctx.link_of_host.at(a)) + " and " + in_quotes(ctx.link_of_host.at(b)) +
                          "): traffic crosses one link");
  }
}

PingSpec parse_ping(const Value& v, const Context& ctx) {
  const Fields f(v, keys("ping"), {"from", "to"});
  PingSpec p;
  p.from = host_ref(f.need("from"), ctx);
  p.to = host_ref(f.need("to"), ctx);
  require_same_link(ctx, f.need("from"), f.need("to"));
  if (const auto address = f.get("to_address")) {
    p.to_address = as_string(*address);
    if (p.to_address.find('/') != std::string::npos) {
      fail(address->path, in_quotes(p.to_address) + ": give an address, without a prefix length");
    }
    try {
      (void)IpPrefix::parse(p.to_address);
    } catch (const std::invalid_argument&) {
      fail(address->path, in_quotes(p.to_address) + " is not an IPv4 or IPv6 address");
    }
  } else {
    const auto& addresses = ctx.hosts.at(p.to)->addresses;
    if (std::none_of(addresses.begin(), addresses.end(), [](const HostAddress& a) { return !a.ipv6(); })) {
      fail(f.need("to").path, "host " + in_quotes(p.to) + " has no IPv4 address: give \"to_address\"");
    }
  }
  if (const auto count = f.get("count")) p.count = static_cast<std::uint32_t>(as_uint(*count, 1, kU32Max));
  if (const auto interval = f.get("interval")) {
    p.interval = std::chrono::nanoseconds(as_duration(*interval));
    if (p.interval < std::chrono::milliseconds(10)) {
      fail(interval->path, in_quotes(as_string(*interval)) + " is shorter than 10ms, ping's shortest interval here");
    }
  }
  if (const auto size = f.get("size")) p.size = static_cast<std::uint32_t>(as_size(*size, 0, 65507));
  return p;
}

Iperf3Spec parse_iperf3(const Value& v, const Context& ctx) {
  const Fields f(v, keys("iperf3"), {"client", "server"});
  Iperf3Spec s;
  s.client = host_ref(f.need("client"), ctx);
  s.server = host_ref(f.need("server"), ctx);
  require_same_link(ctx, f.need("client"), f.need("server"));
  if (const auto protocol = f.get("protocol"))
    s.protocol = one_of<Iperf3Protocol>(*protocol, {{"tcp", Iperf3Protocol::kTcp}, {"udp", Iperf3Protocol::kUdp}});
  if (const auto bitrate = f.get("bitrate")) s.bitrate = as_rate(*bitrate);
  if (const auto length = f.get("length")) {
    s.length = static_cast<std::uint32_t>(as_size(*length, 1, s.protocol == Iperf3Protocol::kUdp ? 65507 : kU32Max));
  }
  if (const auto duration = f.get("duration")) {
    const std::uint64_t ns = as_duration(*duration);
    if (ns % 1'000'000'000 != 0 || ns == 0) {
      fail(duration->path,
           in_quotes(as_string(*duration)) + " is not a whole number of seconds >= 1 (iperf3 counts in seconds)");
    }
    s.duration = std::chrono::nanoseconds(ns);
  }
  if (const auto parallel = f.get("parallel")) s.parallel = static_cast<std::uint32_t>(as_uint(*parallel, 1, 128));
  if (const auto reverse = f.get("reverse")) s.reverse = as_bool(*reverse);
  return s;
}

ExecSpec parse_exec(const Value& v, const Context& ctx) {
  const Fields f(v, keys("exec"), {"host", "argv"});
  ExecSpec e;
  e.host = host_ref(f.need("host"), ctx);
  const Value argv = f.need("argv");
  const std::vector<Value> args = elements(argv);
  if (args.empty()) fail(argv.path, "is empty: give the program and its arguments, e.g. [\"ip\", \"addr\"]");
  for (const Value& a : args) e.argv.push_back(as_string(a));
  if (e.argv.front().empty()) fail(args.front().path, "the program's name must not be empty");
  return e;
}

// What an item measures, for its expectations.
enum class Measures { kPing, kIperf3Tcp, kIperf3Udp, kExec };

// Why an item cannot be held to `figure` (the README's expect table), or nullptr when it can.
const char* unmeasured(Measures m, std::string_view figure) {
  if (figure == "exit_code") return nullptr;
  switch (m) {
    case Measures::kExec: return "an exec item is checked by its exit code only (\"exit_code\")";
    case Measures::kPing:
      if (figure == "throughput") return "ping does not measure throughput; use an iperf3 item";
      if (figure == "jitter") return "ping does not measure jitter; use \"rtt_mdev\" or an iperf3 udp item";
      return nullptr;
    case Measures::kIperf3Tcp:
      if (figure == "loss") {
        return "iperf3 tcp does not measure loss (TCP retransmits lost segments); use \"protocol\": \"udp\"";
      }
      if (figure == "jitter") return "iperf3 tcp does not measure jitter; use \"protocol\": \"udp\"";
      [[fallthrough]];
    case Measures::kIperf3Udp:
      if (figure.starts_with("rtt_")) return "iperf3 does not measure round-trip times; use a ping item";
      if (figure == "gap") return "only ping measures \"gap\" (the longest run of lost replies)";
      return nullptr;
  }
  return nullptr;
}

enum class Unit { kPercent, kRate, kDuration };

// {"min": …, "max": …} in the figure's unit; stored in base units (fraction, bit/s, seconds).
Bound parse_bound(const Value& v, Unit unit) {
  const Fields f(v, keys("bound"));
  if (f.empty()) fail(v.path, "needs \"min\", \"max\" or both");
  const auto read = [unit](const Value& x) -> double {
    switch (unit) {
      case Unit::kPercent: return as_percent(x);
      case Unit::kRate: return static_cast<double>(as_rate(x));
      case Unit::kDuration: return static_cast<double>(as_duration(x)) / 1e9;
    }
    return 0;
  };
  Bound b;
  const auto min = f.get("min"), max = f.get("max");
  if (min) b.min = read(*min);
  if (max) b.max = read(*max);
  if (min && max && *b.min > *b.max) {
    fail(v.path, "min " + as_string(*min) + " is above max " + as_string(*max));
  }
  b.text = min && max ? as_string(*min) + " .. " + as_string(*max)
           : min      ? ">= " + as_string(*min)
                      : "<= " + as_string(*max);
  return b;
}

Expectations parse_expect(const Value& v, Measures measures) {
  const Fields f(v, keys("expect"));
  struct Figure {
    const char* key;
    std::optional<Bound> Expectations::*bound;
    Unit unit;
  };
  static constexpr Figure figures[] = {
      {"loss", &Expectations::loss, Unit::kPercent},        {"throughput", &Expectations::throughput, Unit::kRate},
      {"rtt_min", &Expectations::rtt_min, Unit::kDuration}, {"rtt_avg", &Expectations::rtt_avg, Unit::kDuration},
      {"rtt_max", &Expectations::rtt_max, Unit::kDuration}, {"rtt_mdev", &Expectations::rtt_mdev, Unit::kDuration},
      {"jitter", &Expectations::jitter, Unit::kDuration},   {"gap", &Expectations::gap, Unit::kDuration},
  };
  Expectations e;
  for (const auto& item : v->items()) {  // in document order
    const Value value = *f.get(item.key());
    if (const char* why = unmeasured(measures, item.key())) fail(value.path, why);
    if (item.key() == "exit_code") {
      e.exit_code = static_cast<int>(as_uint(value, 0, 255));
      continue;
    }
    for (const Figure& fig : figures) {
      if (item.key() == fig.key) e.*fig.bound = parse_bound(value, fig.unit);
    }
  }
  return e;
}

TrafficItem parse_item(const Value& v, const std::string& index, bool in_group, Context& ctx);

ParallelGroup parse_group(const Value& v, const std::string& index, Context& ctx) {
  ParallelGroup g;
  const std::vector<Value> items = elements(v);
  if (items.empty()) fail(v.path, "is empty: give the items to run at the same time");
  for (std::size_t i = 0; i < items.size(); ++i) {
    g.items.push_back(parse_item(items[i], index + "." + std::to_string(i), true, ctx));
  }
  return g;
}

// One traffic item; `index` makes its default name ("2", or "2.1" inside group 2).
TrafficItem parse_item(const Value& v, const std::string& index, bool in_group, Context& ctx) {
  const Fields f(v, keys("traffic"));
  TrafficItem item;
  item.path = v.path;
  std::string kind;
  for (const auto& entry : v->items()) {  // the first kind key in the file, then any second one
    if (entry.key() != "ping" && entry.key() != "iperf3" && entry.key() != "exec" && entry.key() != "parallel") {
      continue;
    }
    if (!kind.empty()) {
      fail(f.get(entry.key())->path,
           "an item is one of ping, iperf3, exec or parallel; this one is already " + in_quotes(kind));
    }
    kind = entry.key();
  }
  if (kind.empty()) fail(v.path, "missing one of \"ping\", \"iperf3\", \"exec\" or \"parallel\"");
  if (kind == "parallel" && in_group) {
    fail(f.get("parallel")->path, "no nested parallel groups: the items of a group are ping, iperf3 or exec");
  }

  item.name = kind + "-" + index;
  if (const auto name = f.get("name")) item.name = as_nonempty_string(*name);
  if (const auto it = ctx.item_paths.find(item.name); it != ctx.item_paths.end()) {
    if (f.get("name"))
      fail(f.get("name")->path, "the name " + in_quotes(item.name) + " is already taken by " + it->second);
    fail(v.path,
         "its default name " + in_quotes(item.name) + " is already taken by " + it->second + ": give it a \"name\"");
  }
  ctx.item_paths.emplace(item.name, v.path);

  if (const auto deadline = f.get("deadline")) {
    item.deadline = std::chrono::nanoseconds(as_duration(*deadline));
    if (item.deadline.count() == 0) fail(deadline->path, "must be above 0");
  }
  if (const auto engine = f.get("engine")) {
    // Only single items stop the engine: inside a group it is shared with the other items.
    if (in_group) fail(engine->path, "not allowed inside a parallel group: the engine is shared by its items");
    if (kind == "parallel") {
      fail(engine->path, "not allowed on a parallel group: give \"engine\": \"off\" to a single item");
    }
    if (as_string(*engine) != "off") {
      fail(engine->path, in_quotes(as_string(*engine)) + ": the only value is \"off\" (the engine runs by default)");
    }
    item.engine_off = true;
  }

  const Value spec = *f.get(kind);
  Measures measures = Measures::kExec;
  if (kind == "ping") {
    item.what = parse_ping(spec, ctx);
    measures = Measures::kPing;
  } else if (kind == "iperf3") {
    const Iperf3Spec s = parse_iperf3(spec, ctx);
    measures = s.protocol == Iperf3Protocol::kUdp ? Measures::kIperf3Udp : Measures::kIperf3Tcp;
    item.what = s;
  } else if (kind == "exec") {
    item.what = parse_exec(spec, ctx);
  } else {
    item.what = parse_group(spec, index, ctx);
  }

  if (const auto expect = f.get("expect")) {
    if (kind == "parallel") fail(expect->path, "a parallel group measures nothing itself: give its items \"expect\"");
    item.expect = parse_expect(*expect, measures);
  }
  return item;
}
}  // namespace

const std::vector<std::string>& scenario_keys(std::string_view object_kind) {
  const auto& table = key_table();
  if (const auto it = table.find(object_kind); it != table.end()) return it->second;
  if (const auto* keys = impairment_keys(object_kind)) return *keys;
  throw std::invalid_argument("scenario_keys: no kind of object " + in_quotes(object_kind));
}

Scenario parse_scenario(std::string_view json_text) {
  const Json doc = parse_json(json_text);
  const Fields f(Value{&doc, ""}, keys("scenario"), {"name", "hosts", "links", "traffic"});
  Scenario s;
  if (const auto schema = f.get("$schema")) as_string(*schema);  // for editors; ignored
  s.name = as_nonempty_string(f.need("name"));
  if (const auto description = f.get("description")) s.description = as_string(*description);
  if (const auto seed = f.get("seed")) s.seed = as_uint(*seed, 0, kU64Max);

  Context ctx;
  const Value hosts = f.need("hosts");
  const std::vector<Value> host_values = elements(hosts);
  if (host_values.size() < 2) fail(hosts.path, "needs at least 2 hosts, has " + std::to_string(host_values.size()));
  s.hosts.reserve(host_values.size());  // ctx.hosts points into it
  for (std::size_t i = 0; i < host_values.size(); ++i) {
    s.hosts.push_back(parse_host(host_values[i], i, ctx));
    ctx.hosts.emplace(s.hosts.back().name, &s.hosts.back());
  }

  const Value links = f.need("links");
  const std::vector<Value> link_values = elements(links);
  if (link_values.empty()) fail(links.path, "needs at least 1 link");
  for (const Value& link : link_values) s.links.push_back(parse_link(link, ctx));

  if (const auto timeline = f.get("timeline")) {
    for (const Value& event : elements(*timeline)) s.timeline.push_back(parse_event(event, ctx));
    std::stable_sort(s.timeline.begin(), s.timeline.end(),
                     [](const TimelineEvent& a, const TimelineEvent& b) { return a.at < b.at; });
  }

  const Value traffic = f.need("traffic");
  const std::vector<Value> items = elements(traffic);
  if (items.empty()) fail(traffic.path, "needs at least 1 item");
  for (std::size_t i = 0; i < items.size(); ++i) {
    s.traffic.push_back(parse_item(items[i], std::to_string(i), false, ctx));
  }
  return s;
}

}  // namespace synnet
