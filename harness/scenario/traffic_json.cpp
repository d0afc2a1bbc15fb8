// traffic_json.cpp — a scenario's traffic items (ping, iperf3, exec, parallel
// groups, change steps) and their expectations. See scenario_parsing.hpp.
#include <algorithm>

#include "engine/apps/flow/flow_key.hpp"
#include "harness/scenario/network.hpp"
#include "harness/scenario/scenario_parsing.hpp"

namespace synnet::scenario_parsing {

using namespace json_reader;

namespace {

// A host's first address of a family (the one traffic goes to), or "".
std::string first_address(const ScenarioHost& h, bool ipv6 = false) {
  for (const HostAddress& a : h.addresses) {
    if (a.ipv6() == ipv6) return a.ip();
  }
  return "";
}

// Traffic between two hosts needs a way there and back: the same link or
// segment, or routes through routers, hop by hop.
void require_route(const Context& ctx, const Value& first, const Value& second, const std::string& to_address = "") {
  const std::string& a = as_string(first);
  const std::string& b = as_string(second);
  if (a == b) fail(second.path, in_quotes(b) + " is at both ends: the traffic would not cross a link");
  for (const Value* end : {&first, &second}) {
    const std::string& host = as_string(*end);
    if (std::none_of(ctx.scenario->links.begin(), ctx.scenario->links.end(),
                     [&](const ScenarioLink& l) { return l.a == host || l.b == host; })) {
      fail(end->path, "host " + in_quotes(host) + " is on no link");
    }
  }
  const std::string there = to_address.empty() ? first_address(ctx.host(b)) : to_address;
  if (there.empty()) return;  // the caller says what is missing
  const auto owned = [&](const ScenarioHost& h) {
    return std::any_of(h.addresses.begin(), h.addresses.end(), [&](const HostAddress& x) { return x.ip() == there; });
  };
  if (std::none_of(ctx.scenario->hosts.begin(), ctx.scenario->hosts.end(), owned)) return;  // the file's own business
  if (const std::string why = why_unreachable(*ctx.scenario, a, there); !why.empty()) fail(second.path, why);
  const bool v6 = there.find(':') != std::string::npos;
  const std::string back = first_address(ctx.host(a), v6);
  if (back.empty() || first_address(ctx.host(b), v6).empty()) return;  // nothing of b's can answer
  if (const std::string why = why_unreachable(*ctx.scenario, b, back); !why.empty()) {
    fail(second.path, "no way back: " + why);
  }
}

PingSpec parse_ping(const Value& v, const Context& ctx) {
  const Fields f(v, keys("ping"), {"from", "to"});
  PingSpec p;
  p.from = host_ref(f.need("from"), ctx);
  p.to = host_ref(f.need("to"), ctx);
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
  } else if (first_address(ctx.host(p.to)).empty()) {
    fail(f.need("to").path, "host " + in_quotes(p.to) + " has no IPv4 address: give \"to_address\"");
  }
  require_route(ctx, f.need("from"), f.need("to"), p.to_address);
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
  require_route(ctx, f.need("client"), f.need("server"));
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
  if (const auto congestion = f.get("congestion")) {
    if (s.protocol != Iperf3Protocol::kTcp)
      fail(congestion->path, "only TCP has a congestion control: remove it, or use \"protocol\": \"tcp\"");
    s.congestion = as_nonempty_string(*congestion);
    const bool valid = std::all_of(s.congestion.begin(), s.congestion.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
    if (!valid || s.congestion.size() > 15) {
      fail(congestion->path, in_quotes(s.congestion) +
                                 " is not a congestion control's name (e.g. \"cubic\", \"reno\", \"bbr\": see "
                                 "/proc/sys/net/ipv4/tcp_available_congestion_control)");
    }
  }
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

ParallelGroup parse_group(const Value& v, const std::string& index, Context& ctx) {
  ParallelGroup g;
  const std::vector<Value> items = elements(v);
  if (items.empty()) fail(v.path, "is empty: give the items to run at the same time");
  for (std::size_t i = 0; i < items.size(); ++i) {
    g.items.push_back(parse_item(items[i], index + "." + std::to_string(i), true, ctx));
  }
  return g;
}

}  // namespace

// One traffic item; `index` makes its default name ("2", or "2.1" inside group 2).
TrafficItem parse_item(const Value& v, const std::string& index, bool in_group, Context& ctx) {
  const Fields f(v, keys("traffic"));
  TrafficItem item;
  item.path = v.path;
  std::string kind;
  for (const auto& entry : v->items()) {  // the first kind key in the file, then any second one
    if (entry.key() != "ping" && entry.key() != "iperf3" && entry.key() != "exec" && entry.key() != "parallel" &&
        entry.key() != "change") {
      continue;
    }
    if (!kind.empty()) {
      fail(f.get(entry.key())->path,
           "an item is one of ping, iperf3, exec, parallel or change; this one is already " + in_quotes(kind));
    }
    kind = entry.key();
  }
  if (kind.empty()) fail(v.path, "missing one of \"ping\", \"iperf3\", \"exec\", \"parallel\" or \"change\"");
  if (kind == "parallel" && in_group) {
    fail(f.get("parallel")->path, "no nested parallel groups: the items of a group are ping, iperf3 or exec");
  }
  if (kind == "change") {
    if (in_group) fail(f.get("change")->path, "a change is a step between items, not inside a parallel group");
    for (const auto& entry : v->items()) {
      if (entry.key() != "change" && entry.key() != "name") {
        fail(f.get(entry.key())->path, "a change step takes only \"name\" besides \"change\"");
      }
    }
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
  } else if (kind == "change") {
    item.what = ChangeStep{parse_change(spec, "change", ctx)};
  } else {
    item.what = parse_group(spec, index, ctx);
  }

  if (const auto expect = f.get("expect")) {
    if (kind == "parallel") fail(expect->path, "a parallel group measures nothing itself: give its items \"expect\"");
    item.expect = parse_expect(*expect, measures);
  }
  return item;
}

}  // namespace synnet::scenario_parsing
