// impairments_json.cpp — a direction's impairment and flow objects into a
// DirectionSpec. See impairments_json.hpp.
#include "harness/scenario/impairments_json.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <type_traits>

#include "harness/scenario/trace_files.hpp"

namespace synnet {

using namespace json_reader;

namespace {

// The keys of the effects (effects.hpp, in chain order) between `before` and `after`.
std::vector<std::string> effect_keys(std::vector<std::string> before, const std::vector<std::string>& after) {
  for_each_effect([&before](const auto& effect) { before.emplace_back(effect.key); });
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

// Every kind of impairment object and its keys, in the order the README lists them.
const std::map<std::string, std::vector<std::string>, std::less<>>& impairment_key_table() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> table = {
      {"direction", effect_keys({}, {"flows"})},
      {"switch_path", effect_keys({"from", "to"}, {"flows"})},
      {"flow", effect_keys({"match"}, {})},
      {"match", {"protocol", "src", "dst", "src_ports", "dst_ports"}},
      {"loss",
       {"model", "ratio", "p", "r", "loss_bad", "loss_good", "p13", "p31", "p32", "p23", "p14", "trace", "shape",
        "loop"}},
      {"delay", {"time", "trace", "shape", "loop", "limit"}},
      {"jitter", {"mean", "stddev", "distribution", "reorder", "limit"}},
      {"rate", {"rate", "trace", "loop", "burst", "overhead", "queue", "mode"}},
      {"queue", {"discipline", "limit", "target", "interval", "max_burst"}},
      {"slot", {"min", "max", "distribution", "mean", "stddev", "packets", "bytes", "limit"}},
      {"reorder", {"ratio", "delay", "limit"}},
      {"outage", {"start", "duration", "period"}},
  };
  return table;
}

const std::vector<std::string>& keys_of(std::string_view kind) { return *impairment_keys(kind); }

// ---- Impairments ----------------------------------------------------------

// One parse_spec per effect, picked by its spec type: parse_impairments calls
// them through the effects table (effects.hpp), so a new effect without one
// does not build.

// A delay's or a loss's "shape" and "loop" belong to its "trace".
void trace_keys_need_a_trace(const Fields& f) {
  for (const char* key : {"shape", "loop"}) {
    if (const auto value = f.get(key)) {
      fail(value->path, in_quotes(key) + " belongs to a trace: add \"trace\" or remove " + in_quotes(key));
    }
  }
}

// A delay's or a loss's "trace" file with its object's "shape" and "loop".
ValueTrace parse_value_trace_spec(const Fields& f, const Value& file_name, TraceValue kind) {
  ValueTrace t = read_value_trace(file_name, kind);
  if (const auto shape = f.get("shape")) {
    t.shape = one_of<TraceShape>(*shape, {{"step", TraceShape::kStep}, {"linear", TraceShape::kLinear}});
  }
  if (const auto loop = f.get("loop")) {
    t.loop = as_bool(*loop);
    if (t.loop && t.points.size() < 2) {
      fail(loop->path,
           in_quotes(t.name) + " has one point: a looping trace needs a last point after 0, whose time is its period");
    }
  }
  return validated(std::move(t), file_name.path);
}

// A rate's queue: a byte limit ("150kB", a droptail queue) or an object
// with a discipline, its limit (bytes as a string, packets as an integer)
// and the discipline's times. Checked further by RateSpec::validate.
void parse_queue(const Value& v, RateSpec& s) {
  if (v->is_string()) {
    s.queue_bytes = as_bytes(v);
    return;
  }
  if (!v->is_object()) {
    wrong_type(v,
               "a size string (e.g. \"150kB\", a droptail queue's limit) or an object (\"discipline\", "
               "\"limit\", ...)");
  }
  const Fields f(v, keys_of("queue"));
  if (const auto d = f.get("discipline")) {
    s.aqm.discipline = one_of<QueueDiscipline>(
        *d,
        {{"droptail", QueueDiscipline::kDropTail}, {"codel", QueueDiscipline::kCodel}, {"pie", QueueDiscipline::kPie}});
  }
  if (const auto limit = f.get("limit")) {
    if (limit->json->is_number_integer()) {
      s.queue_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
    } else if (limit->json->is_string()) {
      s.queue_bytes = as_bytes(*limit);
      if (s.queue_bytes == 0) fail(limit->path, "must be above 0 (leave \"limit\" out for the default)");
    } else {
      wrong_type(*limit, "a size string (bytes, e.g. \"150kB\") or an integer (packets)");
    }
  }
  const char* discipline = s.aqm.discipline == QueueDiscipline::kCodel ? "codel"
                           : s.aqm.discipline == QueueDiscipline::kPie ? "pie"
                                                                       : "droptail";
  struct Time {
    const char* key;
    std::uint64_t AqmSpec::*field;
    bool codel, pie;
  };
  static constexpr Time kTimes[] = {{"target", &AqmSpec::target_us, true, true},
                                    {"interval", &AqmSpec::interval_us, true, false},
                                    {"max_burst", &AqmSpec::max_burst_us, false, true}};
  for (const Time& t : kTimes) {
    const auto value = f.get(t.key);
    if (!value) continue;
    const bool ours = (s.aqm.discipline == QueueDiscipline::kCodel && t.codel) ||
                      (s.aqm.discipline == QueueDiscipline::kPie && t.pie);
    if (!ours) {
      fail(value->path, std::string("belongs to ") +
                            (t.codel && t.pie ? "codel and pie"
                             : t.codel        ? "codel"
                                              : "pie") +
                            ", not " + discipline + " (set \"discipline\")");
    }
    s.aqm.*t.field = as_micros(*value);
    if (s.aqm.*t.field == 0) fail(value->path, "must be above 0 (leave " + in_quotes(t.key) + " out for the default)");
  }
}

MtuSpec parse_spec(const Value& v, std::type_identity<MtuSpec>) {
  MtuSpec s;
  s.mtu_bytes = static_cast<std::uint32_t>(as_uint(v, Mtu::kMinMtuBytes, Mtu::kMaxMtuBytes));
  return validated(s, v.path);
}

OutageSpec parse_spec(const Value& v, std::type_identity<OutageSpec>) {
  const Fields f(v, keys_of("outage"), {"duration"});
  OutageSpec s;
  if (const auto start = f.get("start")) s.start_us = as_micros(*start);
  s.duration_us = as_micros(f.need("duration"));
  if (const auto period = f.get("period")) {
    s.period_us = as_micros(*period);
    if (s.period_us <= s.duration_us) {
      fail(period->path, in_quotes(as_string(*period)) + " must be longer than \"duration\" (" +
                             as_string(f.need("duration")) + "): the windows repeat every period");
    }
  }
  return validated(s, v.path);
}

LossSpec parse_spec(const Value& v, std::type_identity<LossSpec>) {
  LossSpec s;
  if (v->is_string()) {
    s.ratio = as_percent(v);
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a percentage string (e.g. \"5%\") or an object");
  const Fields f(v, keys_of("loss"));
  if (const auto trace = f.get("trace")) {
    // The random model's ratio over time: the model's own keys make no sense.
    for (const std::string& key : keys_of("loss")) {
      if (key == "trace" || key == "shape" || key == "loop") continue;
      if (const auto other = f.get(key)) {
        fail(other->path, "a loss trace is the random model's ratio over time: remove " + in_quotes(key) +
                              " (or \"trace\" for a model)");
      }
    }
    s.trace = parse_value_trace_spec(f, *trace, TraceValue::kLoss);
    return validated(s, v.path);
  }
  trace_keys_need_a_trace(f);
  if (!f.get("model")) fail(v.path, "missing \"model\" (or \"trace\", a file of the loss ratio over time)");
  s.model = one_of<LossModel>(f.need("model"), {{"random", LossModel::kRandom},
                                                {"gilbert_elliott", LossModel::kGilbertElliott},
                                                {"markov4", LossModel::kMarkov4}});
  struct Param {
    const char* key;
    double LossSpec::*field;
    LossModel model;
    bool required;
  };
  static constexpr Param params[] = {
      {"ratio", &LossSpec::ratio, LossModel::kRandom, true},
      {"p", &LossSpec::p, LossModel::kGilbertElliott, true},
      {"r", &LossSpec::r, LossModel::kGilbertElliott, true},
      {"loss_bad", &LossSpec::loss_bad, LossModel::kGilbertElliott, false},
      {"loss_good", &LossSpec::loss_good, LossModel::kGilbertElliott, false},
      {"p13", &LossSpec::p13, LossModel::kMarkov4, true},
      {"p31", &LossSpec::p31, LossModel::kMarkov4, true},
      {"p32", &LossSpec::p32, LossModel::kMarkov4, false},
      {"p23", &LossSpec::p23, LossModel::kMarkov4, false},
      {"p14", &LossSpec::p14, LossModel::kMarkov4, false},
  };
  for (const Param& p : params) {
    const auto value = f.get(p.key);
    if (value && s.model != p.model) {
      fail(value->path,
           std::string("belongs to the ") + loss_model_name(p.model) + " model, not " + loss_model_name(s.model));
    }
  }
  for (const Param& p : params) {
    if (p.required && s.model == p.model && !f.get(p.key)) {
      fail(v.path, "missing " + in_quotes(p.key) + " (the " + loss_model_name(p.model) + " model needs it)");
    }
  }
  for (const Param& p : params) {
    if (const auto value = f.get(p.key)) s.*p.field = as_percent(*value);
  }
  return validated(s, v.path);
}

CorruptSpec parse_spec(const Value& v, std::type_identity<CorruptSpec>) {
  CorruptSpec s;
  s.ratio = as_percent(v);
  return validated(s, v.path);
}

DuplicateSpec parse_spec(const Value& v, std::type_identity<DuplicateSpec>) {
  DuplicateSpec s;
  s.ratio = as_percent(v);
  return validated(s, v.path);
}

RateSpec parse_spec(const Value& v, std::type_identity<RateSpec>) {
  RateSpec s;
  if (v->is_string()) {
    s.rate_bps = as_rate(v);
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a rate string (e.g. \"10Mbit\") or an object");
  const Fields f(v, keys_of("rate"));
  const auto rate = f.get("rate"), trace = f.get("trace");
  if (rate && trace) fail(trace->path, "a rate is either fixed (\"rate\") or follows a trace, not both: remove one");
  if (!rate && !trace) {
    fail(v.path, "missing \"rate\" (e.g. \"10Mbit\") or \"trace\" (a capacity trace file, mahimahi's format)");
  }
  if (rate) s.rate_bps = as_rate(*rate);
  if (trace) s.trace = read_delivery_trace(*trace);
  if (const auto loop = f.get("loop")) {
    if (!trace) fail(loop->path, "\"loop\" belongs to a trace: add \"trace\" or remove \"loop\"");
    s.loop = as_bool(*loop);
  }
  if (const auto burst = f.get("burst")) {
    if (trace) {
      fail(burst->path,
           "a trace has no burst: its delivery opportunities are what it sends at once (remove \"burst\")");
    }
    s.burst_bytes = as_bytes(*burst);
  }
  if (const auto overhead = f.get("overhead")) {
    const std::uint64_t n = as_bytes(*overhead);
    if (n > kU32Max) fail(overhead->path, in_quotes(as_string(*overhead)) + " is too large for a per-packet overhead");
    s.overhead_bytes = static_cast<std::uint32_t>(n);
  }
  if (const auto queue = f.get("queue")) parse_queue(*queue, s);
  if (const auto mode = f.get("mode"))
    s.mode = one_of<RateMode>(*mode, {{"shaper", RateMode::kShaper}, {"policer", RateMode::kPolicer}});
  if (s.mode == RateMode::kPolicer && trace) {
    fail(f.get("mode")->path,
         "a trace's packets wait in a queue for its delivery opportunities (a shaper): remove \"mode\"");
  }
  if (s.mode == RateMode::kPolicer && f.get("queue")) {
    fail(f.get("queue")->path,
         "a policer has no queue (it drops what exceeds the rate): remove \"queue\" or use "
         "\"mode\": \"shaper\"");
  }
  return validated(s, v.path);
}

LatencySpec parse_spec(const Value& v, std::type_identity<LatencySpec>) {
  LatencySpec s;
  if (v->is_string()) {
    s.delay_us = as_micros(v);
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a duration string (e.g. \"40ms\") or an object");
  const Fields f(v, keys_of("delay"));
  const auto time = f.get("time"), trace = f.get("trace");
  if (time && trace) fail(trace->path, "a delay is either fixed (\"time\") or follows a trace, not both: remove one");
  if (!time && !trace) {
    fail(v.path, "missing \"time\" (e.g. \"40ms\") or \"trace\" (a file of the delay over time)");
  }
  if (time) {
    trace_keys_need_a_trace(f);
    s.delay_us = as_micros(*time);
  } else {
    s.trace = parse_value_trace_spec(f, *trace, TraceValue::kDelay);
  }
  if (const auto limit = f.get("limit")) s.limit_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
  return validated(s, v.path);
}

JitterSpec parse_spec(const Value& v, std::type_identity<JitterSpec>) {
  JitterSpec s;
  if (v->is_string()) {
    // "5ms": uniform in [0, 10 ms], i.e. mean 5 ms and stddev 5 ms / √3 (distribution.hpp's uniform).
    s.distribution = Distribution::kUniform;
    s.mean_us = as_micros(v);
    s.stddev_us = static_cast<std::uint64_t>(std::llround(static_cast<double>(s.mean_us) / std::sqrt(3.0)));
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a duration string (e.g. \"5ms\") or an object");
  const Fields f(v, keys_of("jitter"), {"mean", "stddev"});
  s.mean_us = as_micros(f.need("mean"));
  s.stddev_us = as_micros(f.need("stddev"));
  if (const auto d = f.get("distribution")) {
    s.distribution = one_of<Distribution>(*d, {{"uniform", Distribution::kUniform},
                                               {"normal", Distribution::kNormal},
                                               {"pareto", Distribution::kPareto},
                                               {"paretonormal", Distribution::kParetoNormal}});
  }
  if (const auto reorder = f.get("reorder")) s.reorder = as_bool(*reorder);
  if (const auto limit = f.get("limit")) s.limit_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
  return validated(s, v.path);
}

SlotSpec parse_spec(const Value& v, std::type_identity<SlotSpec>) {
  if (!v->is_object()) wrong_type(v, R"(an object (e.g. {"min": "10ms", "max": "20ms", "packets": 10}))");
  const Fields f(v, keys_of("slot"));
  SlotSpec s;
  if (const auto d = f.get("distribution")) {
    for (const char* key : {"min", "max"}) {
      if (const auto value = f.get(key)) {
        fail(value->path,
             "a slot drawn from a distribution takes \"mean\" and \"stddev\", not \"min\" and "
             "\"max\": remove one or the other");
      }
    }
    for (const char* key : {"mean", "stddev"}) {
      if (!f.get(key)) fail(v.path, "missing " + in_quotes(key) + " (a slot drawn from a distribution needs it)");
    }
    s.distribution = one_of<Distribution>(*d, {{"uniform", Distribution::kUniform},
                                               {"normal", Distribution::kNormal},
                                               {"pareto", Distribution::kPareto},
                                               {"paretonormal", Distribution::kParetoNormal}});
    s.mean_us = as_micros(f.need("mean"));
    s.stddev_us = as_micros(f.need("stddev"));
  } else {
    for (const char* key : {"mean", "stddev"}) {
      if (const auto value = f.get(key)) {
        fail(value->path, in_quotes(key) +
                              " needs a \"distribution\" (e.g. \"normal\"); without one, slots are "
                              "uniform between \"min\" and \"max\"");
      }
    }
    const auto min = f.get("min");
    if (!min) fail(v.path, R"(missing "min" (the time between slots, e.g. {"min": "10ms", "max": "20ms"}))");
    s.min_us = as_micros(*min);
    if (const auto max = f.get("max")) {
      s.max_us = as_micros(*max);
      if (s.max_us < s.min_us) {
        fail(max->path, in_quotes(as_string(*max)) + " is below \"min\" (" + as_string(*min) +
                            "): slots are uniform in [min, max]");
      }
    }
  }
  if (const auto packets = f.get("packets")) s.packets = static_cast<std::uint32_t>(as_uint(*packets, 1, kU32Max));
  if (const auto bytes = f.get("bytes")) {
    s.bytes = as_bytes(*bytes);
    if (s.bytes == 0) fail(bytes->path, "must be above 0 (leave \"bytes\" out for no limit)");
  }
  if (const auto limit = f.get("limit")) s.limit_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
  return validated(s, v.path);
}

ReorderSpec parse_spec(const Value& v, std::type_identity<ReorderSpec>) {
  const Fields f(v, keys_of("reorder"), {"ratio", "delay"});
  ReorderSpec s;
  s.ratio = as_percent(f.need("ratio"));
  s.delay_us = as_micros(f.need("delay"));
  if (const auto limit = f.get("limit")) s.limit_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
  return validated(s, v.path);
}

// The impairment keys of a direction or a flow, read in the order the engine
// applies them, each by its parse_spec overload (above).
ImpairmentSpec parse_impairments(const Fields& f) {
  ImpairmentSpec s;
  for_each_effect([&](const auto& effect) {
    using Spec = typename std::remove_cvref_t<decltype(effect)>::Spec;
    if (const auto v = f.get(effect.key)) s.*effect.member = parse_spec(*v, std::type_identity<Spec>{});
  });
  return s;
}

// ---- Flows ----------------------------------------------------------------

std::uint8_t parse_protocol(const Value& v) {
  static const std::vector<std::pair<std::string, std::uint8_t>> names = {
      {"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}, {"sctp", 132}};
  if (v->is_number_integer()) return static_cast<std::uint8_t>(as_uint(v, 0, 255));
  if (!v->is_string()) wrong_type(v, "a protocol name or a number 0..255");
  for (const auto& [name, number] : names) {
    if (as_string(v) == name) return number;
  }
  fail(v.path, in_quotes(as_string(v)) + " is not one of tcp, udp, icmp, icmpv6, sctp (or a protocol number 0..255)");
}

std::optional<std::uint16_t> port_number(std::string_view digits) {
  unsigned n = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, n);
  if (digits.empty() || ec != std::errc{} || ptr != end || n > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(n);
}

PortRange parse_ports(const Value& v) {
  if (v->is_number_integer()) {
    const auto port = static_cast<std::uint16_t>(as_uint(v, 0, 65535));
    return {port, port};
  }
  if (!v->is_string()) wrong_type(v, "a port or port range (5201, \"5201\" or \"5000-5100\")");
  const std::string& text = as_string(v);
  const std::size_t dash = text.find('-');
  const auto first = port_number(std::string_view(text).substr(0, dash));
  const auto last = dash == std::string::npos ? first : port_number(std::string_view(text).substr(dash + 1));
  if (!first || !last) fail(v.path, in_quotes(text) + " is not a port or port range (e.g. \"5201\" or \"5000-5100\")");
  if (*first > *last) fail(v.path, in_quotes(text) + ": the first port is above the last");
  return {*first, *last};
}

IpPrefix parse_prefix(const Value& v) {
  try {
    return IpPrefix::parse(as_string(v));
  } catch (const std::invalid_argument& e) {
    fail(v.path, e.what());
  }
}

FlowRule parse_match(const Value& v) {
  const Fields f(v, keys_of("match"));
  if (f.empty()) fail(v.path, "needs at least one of protocol, src, dst, src_ports, dst_ports");
  FlowRule r;
  if (const auto p = f.get("protocol")) r.protocol = parse_protocol(*p);
  if (const auto p = f.get("src")) r.src = parse_prefix(*p);
  if (const auto p = f.get("dst")) r.dst = parse_prefix(*p);
  if (const auto p = f.get("src_ports")) r.src_ports = parse_ports(*p);
  if (const auto p = f.get("dst_ports")) r.dst_ports = parse_ports(*p);
  // FlowSplit's own checks (families agree, ports only with a protocol that has them).
  FlowRule named = r;
  named.output = "f0";
  FlowSplitSpec split;
  split.rules.push_back(named);
  try {
    split.validate();
  } catch (const std::invalid_argument& e) {
    std::string message = e.what();
    if (message.starts_with("rules[0]: ")) message.erase(0, 10);
    fail(v.path, message);
  }
  return r;
}

FlowChain parse_flow(const Value& v) {
  if (v->is_object() && v->contains("flows")) fail(v.path + "/flows", "a flow holds impairments, not flows of its own");
  const Fields f(v, keys_of("flow"), {"match"});
  FlowChain c;
  c.rule = parse_match(f.need("match"));
  c.impairments = parse_impairments(f);
  return c;
}

}  // namespace

DirectionSpec parse_direction(const Value& v, std::string_view object_kind) {
  const Fields f(v, keys_of(object_kind));
  DirectionSpec d;
  d.impairments = parse_impairments(f);
  if (const auto flows = f.get("flows")) {
    for (const Value& flow : elements(*flows)) d.flows.push_back(parse_flow(flow));
  }
  return d;
}

const std::vector<std::string>* impairment_keys(std::string_view object_kind) {
  const auto& table = impairment_key_table();
  const auto it = table.find(object_kind);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace synnet
