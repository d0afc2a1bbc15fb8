// scenario.cpp — parse_scenario: a scenario file's JSON text into a validated
// Scenario (scenario.hpp; the format's authority is scenarios/README.md).
//
// One function per kind of object (parse_host, parse_link, parse_direction,
// parse_loss, ...). Each reads its object through Fields, which rejects
// unknown keys (suggesting the closest valid one) and missing required keys
// before anything else, and each value through a small typed reader
// (as_string, as_uint, as_duration, ...) that throws ScenarioError with the
// value's JSON Pointer. The text is read as ordered_json, so "the first
// unknown key" is the first in the file; arrays are read in order and the
// keys of an object in a fixed order, so the error reported is the first in
// the file in most cases.
//
// Decisions the README leaves open (see also scenarios/synnet-scenario.schema.json):
// - Host addresses: their whole subnet must lie in the test range too
//   ("198.18.0.1/8" is refused), and no address may be on two hosts.
// - ping and iperf3 need their two hosts on the same link (nothing routes
//   between links), and ping's `to` an IPv4 address unless `to_address` is set.
// - `engine: "off"` is accepted on single items only: not inside a parallel
//   group (the engine is shared, one item cannot stop it for the others) nor
//   on the group itself (put the negative claim in its own item).
// - A parallel group has no `expect` of its own: its items do.
// - Long forms require the keys without a safe default: delay `time`, jitter
//   `mean` and `stddev`, rate `rate`, reorder `ratio` and `delay`, outage
//   `duration`, loss `model` and the model's own (random `ratio`,
//   gilbert_elliott `p` and `r`, markov4 `p13` and `p31`: netem's defaults
//   for r and p31 differ from the engine's, so they are written out).
// - Durations given to the engine must be whole microseconds (its unit).
// - ping `size` and iperf3 `length` take an integer (bytes) or a size string.
// - Duplicate keys in one object are an error (JSON parsers keep the last).
#include "harness/scenario/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/config.hpp"
#include "harness/scenario/units.hpp"

namespace synnet {
namespace {

using Json = nlohmann::ordered_json;
constexpr std::uint64_t kU32Max = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

// ---- Keys and suggestions -------------------------------------------------

// Every kind of object and its keys, in the order the README lists them.
const std::map<std::string, std::vector<std::string>, std::less<>>& key_table() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> table = {
      {"scenario", {"$schema", "name", "description", "seed", "hosts", "links", "timeline", "traffic"}},
      {"host", {"name", "addresses"}},
      {"link", {"a", "b", "name", "io", "mtu", "a_to_b", "b_to_a"}},
      {"direction", {"mtu", "outage", "loss", "corrupt", "duplicate", "rate", "delay", "jitter", "reorder", "flows"}},
      {"flow", {"match", "mtu", "outage", "loss", "corrupt", "duplicate", "rate", "delay", "jitter", "reorder"}},
      {"match", {"protocol", "src", "dst", "src_ports", "dst_ports"}},
      {"loss", {"model", "ratio", "p", "r", "loss_bad", "loss_good", "p13", "p31", "p32", "p23", "p14"}},
      {"delay", {"time", "limit"}},
      {"jitter", {"mean", "stddev", "distribution", "reorder", "limit"}},
      {"rate", {"rate", "burst", "overhead", "queue", "mode"}},
      {"reorder", {"ratio", "delay", "limit"}},
      {"outage", {"start", "duration", "period"}},
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

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

bool contains(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Edits (insert, delete, replace, swap two neighbours) from a to b, ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::string x = lower(a), y = lower(b);
  std::vector<std::vector<std::size_t>> d(x.size() + 1, std::vector<std::size_t>(y.size() + 1));
  for (std::size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    for (std::size_t j = 1; j <= y.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] != y[j - 1] ? 1 : 0)});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

// The candidate `word` is most likely a typo of: at most 2 edits away (a third
// of the length for long words) and fewer edits than either has letters, or
// (3 letters or more) the start of the other ("max" for "maximum").
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
  static const std::pair<std::string_view, std::string_view> synonyms[] = {{"latency", "delay"}, {"bandwidth", "rate"}};
  for (const auto& [synonym, key] : synonyms) {
    if (lower(word) == synonym && contains(candidates, key)) return std::string(key);
  }
  std::optional<std::string> best;
  std::size_t best_distance = kU64Max;
  const std::string w = lower(word);
  for (const std::string& c : candidates) {
    if (std::min(w.size(), c.size()) >= 3 && (w.starts_with(c) || c.starts_with(w))) return c;
    const std::size_t d = edit_distance(word, c);
    const std::size_t limit = std::max<std::size_t>(2, std::max(word.size(), c.size()) / 3);
    if (d < best_distance && d <= limit && d < std::min(word.size(), c.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

// " (did you mean "x"?)" or " (<what>: a, b, c)".
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates, std::string_view what) {
  if (const auto c = closest(word, candidates)) return " (did you mean " + quote(*c) + "?)";
  return " (" + std::string(what) + ": " + join(candidates) + ")";
}

// A JSON Pointer reference token: '~' and '/' escaped.
std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

// ---- Values and objects ---------------------------------------------------

[[noreturn]] void fail(const std::string& path, const std::string& message) { throw ScenarioError(path, message); }

// A value of the document and its JSON Pointer.
struct Value {
  const Json* json = nullptr;
  std::string path{};
  const Json& operator*() const { return *json; }
  const Json* operator->() const { return json; }
};

std::string describe(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a floating-point number";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "an unexpected value";
  }
}

[[noreturn]] void wrong_type(const Value& v, const std::string& expected) {
  fail(v.path, "expected " + expected + ", got " + describe(*v));
}

// An object of one kind: every key must be one of the kind's, `required` ones present.
class Fields {
 public:
  Fields(const Value& v, std::string_view kind, std::initializer_list<std::string_view> required = {})
      : value_(v), keys_(scenario_keys(kind)) {
    if (!v->is_object()) wrong_type(v, "an object");
    for (const auto& item : v->items()) {
      if (!contains(keys_, item.key())) {
        fail(v.path + "/" + pointer_token(item.key()), "unknown key" + suggestion(item.key(), keys_, "valid keys"));
      }
    }
    for (std::string_view key : required) {
      if (!v->contains(std::string(key))) fail(v.path, "missing " + quote(key));
    }
  }

  std::optional<Value> get(std::string_view key) const {
    if (!contains(keys_, key)) throw std::logic_error("scenario parser reads undeclared key " + std::string(key));
    const auto it = value_->find(std::string(key));
    if (it == value_->end()) return std::nullopt;
    return Value{&*it, path() + "/" + std::string(key)};
  }
  Value need(std::string_view key) const { return *get(key); }  // a required key (checked on construction)
  const std::string& path() const { return value_.path; }
  bool empty() const { return value_->empty(); }

 private:
  Value value_;
  const std::vector<std::string>& keys_;
};

std::vector<Value> elements(const Value& v) {
  if (!v->is_array()) wrong_type(v, "an array");
  std::vector<Value> out;
  for (std::size_t i = 0; i < v->size(); ++i) out.push_back({&(*v)[i], v.path + "/" + std::to_string(i)});
  return out;
}

const std::string& as_string(const Value& v) {
  if (!v->is_string()) wrong_type(v, "a string");
  return v->get_ref<const std::string&>();
}

const std::string& as_nonempty_string(const Value& v) {
  const std::string& s = as_string(v);
  if (s.empty()) fail(v.path, "must not be empty");
  return s;
}

bool as_bool(const Value& v) {
  if (!v->is_boolean()) wrong_type(v, "true or false");
  return v->get<bool>();
}

std::string range_text(std::uint64_t lo, std::uint64_t hi) {
  return hi == kU64Max || hi == kU32Max ? ">= " + std::to_string(lo)
                                        : "in " + std::to_string(lo) + ".." + std::to_string(hi);
}

std::uint64_t as_uint(const Value& v, std::uint64_t lo, std::uint64_t hi) {
  if (!v->is_number_integer()) wrong_type(v, "an integer");
  if (!v->is_number_unsigned()) fail(v.path, std::to_string(v->get<std::int64_t>()) + " is not " + range_text(lo, hi));
  const auto n = v->get<std::uint64_t>();
  if (n < lo || n > hi) fail(v.path, std::to_string(n) + " is not " + range_text(lo, hi));
  return n;
}

// A value with a unit: a string parsed by parse (units.hpp), its UnitError prefixed with the path.
template <class Parse>
auto with_unit(const Value& v, Parse parse, const char* what) {
  if (!v->is_string()) wrong_type(v, std::string("a string (") + what + ")");
  try {
    return parse(v->get_ref<const std::string&>());
  } catch (const UnitError& e) {
    fail(v.path, e.what());
  }
}

std::uint64_t as_duration(const Value& v) { return with_unit(v, parse_duration, "a duration, e.g. \"40ms\""); }
std::uint64_t as_rate(const Value& v) { return with_unit(v, parse_rate, "a rate, e.g. \"10Mbit\""); }
double as_percent(const Value& v) { return with_unit(v, parse_percent, "a percentage, e.g. \"5%\""); }
std::uint64_t as_bytes(const Value& v) { return with_unit(v, parse_bytes, "a size, e.g. \"64KiB\""); }

// A duration for the engine, whose unit is the microsecond.
std::uint64_t as_micros(const Value& v) {
  const std::uint64_t ns = as_duration(v);
  if (ns % 1000 != 0) fail(v.path, quote(as_string(v)) + " is not a whole number of microseconds (the engine's unit)");
  return ns / 1000;
}

// A byte count written either as an integer or as a size string ("1400B").
std::uint64_t as_size(const Value& v, std::uint64_t lo, std::uint64_t hi) {
  if (v->is_number_integer()) return as_uint(v, lo, hi);
  if (!v->is_string()) wrong_type(v, "an integer (bytes) or a size string, e.g. \"1400B\"");
  const std::uint64_t n = as_bytes(v);
  if (n < lo || n > hi) {
    fail(v.path, quote(as_string(v)) + " is " + std::to_string(n) + " bytes, not " + range_text(lo, hi));
  }
  return n;
}

std::string one_of(const Value& v, const std::vector<std::string>& choices) {
  const std::string& s = as_string(v);
  if (!contains(choices, s)) fail(v.path, quote(s) + " is not one of " + join(choices));
  return s;
}

// The engine's own checks (spec.validate() throws std::invalid_argument), reported at `path`.
template <class Spec>
Spec validated(Spec spec, const std::string& path) {
  try {
    spec.validate();
  } catch (const std::invalid_argument& e) {
    fail(path, e.what());
  }
  return spec;
}

// ---- Impairments ----------------------------------------------------------

MtuSpec parse_mtu(const Value& v) {
  MtuSpec s;
  s.mtu_bytes = static_cast<std::uint32_t>(as_uint(v, Mtu::kMinMtuBytes, Mtu::kMaxMtuBytes));
  return validated(s, v.path);
}

OutageSpec parse_outage(const Value& v) {
  const Fields f(v, "outage", {"duration"});
  OutageSpec s;
  if (const auto start = f.get("start")) s.start_us = as_micros(*start);
  s.duration_us = as_micros(f.need("duration"));
  if (const auto period = f.get("period")) {
    s.period_us = as_micros(*period);
    if (s.period_us <= s.duration_us) {
      fail(period->path, quote(as_string(*period)) + " must be longer than \"duration\" (" +
                             as_string(f.need("duration")) + "): the windows repeat every period");
    }
  }
  return validated(s, v.path);
}

LossSpec parse_loss(const Value& v) {
  LossSpec s;
  if (v->is_string()) {
    s.ratio = as_percent(v);
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a percentage string (e.g. \"5%\") or an object");
  const Fields f(v, "loss", {"model"});
  s.model = one_of(f.need("model"), {"random", "gilbert_elliott", "markov4"});
  struct Param {
    const char* key;
    double LossSpec::*field;
    const char* model;
    bool required;
  };
  static constexpr Param params[] = {
      {"ratio", &LossSpec::ratio, "random", true},
      {"p", &LossSpec::p, "gilbert_elliott", true},
      {"r", &LossSpec::r, "gilbert_elliott", true},
      {"loss_bad", &LossSpec::loss_bad, "gilbert_elliott", false},
      {"loss_good", &LossSpec::loss_good, "gilbert_elliott", false},
      {"p13", &LossSpec::p13, "markov4", true},
      {"p31", &LossSpec::p31, "markov4", true},
      {"p32", &LossSpec::p32, "markov4", false},
      {"p23", &LossSpec::p23, "markov4", false},
      {"p14", &LossSpec::p14, "markov4", false},
  };
  for (const Param& p : params) {
    const auto value = f.get(p.key);
    if (value && s.model != p.model) {
      fail(value->path, std::string("belongs to the ") + p.model + " model, not " + s.model);
    }
  }
  for (const Param& p : params) {
    if (p.required && s.model == p.model && !f.get(p.key)) {
      fail(v.path, "missing " + quote(p.key) + " (the " + p.model + " model needs it)");
    }
  }
  for (const Param& p : params) {
    if (const auto value = f.get(p.key)) s.*p.field = as_percent(*value);
  }
  return validated(s, v.path);
}

CorruptSpec parse_corrupt(const Value& v) {
  CorruptSpec s;
  s.ratio = as_percent(v);
  return validated(s, v.path);
}

DuplicateSpec parse_duplicate(const Value& v) {
  DuplicateSpec s;
  s.ratio = as_percent(v);
  return validated(s, v.path);
}

RateSpec parse_rate_spec(const Value& v) {
  RateSpec s;
  if (v->is_string()) {
    s.rate_bps = as_rate(v);
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a rate string (e.g. \"10Mbit\") or an object");
  const Fields f(v, "rate", {"rate"});
  s.rate_bps = as_rate(f.need("rate"));
  if (const auto burst = f.get("burst")) s.burst_bytes = as_bytes(*burst);
  if (const auto overhead = f.get("overhead")) {
    const std::uint64_t n = as_bytes(*overhead);
    if (n > kU32Max) fail(overhead->path, quote(as_string(*overhead)) + " is too large for a per-packet overhead");
    s.overhead_bytes = static_cast<std::uint32_t>(n);
  }
  if (const auto queue = f.get("queue")) s.queue_bytes = as_bytes(*queue);
  if (const auto mode = f.get("mode")) s.mode = one_of(*mode, {"shaper", "policer"});
  if (s.mode == "policer" && f.get("queue")) {
    fail(f.get("queue")->path,
         "a policer has no queue (it drops what exceeds the rate): remove \"queue\" or use "
         "\"mode\": \"shaper\"");
  }
  return validated(s, v.path);
}

LatencySpec parse_delay(const Value& v) {
  LatencySpec s;
  if (v->is_string()) {
    s.delay_us = as_micros(v);
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a duration string (e.g. \"40ms\") or an object");
  const Fields f(v, "delay", {"time"});
  s.delay_us = as_micros(f.need("time"));
  if (const auto limit = f.get("limit")) s.limit_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
  return validated(s, v.path);
}

JitterSpec parse_jitter(const Value& v) {
  JitterSpec s;
  if (v->is_string()) {
    // "5ms": uniform in [0, 10 ms], i.e. mean 5 ms and stddev 5 ms / √3 (distribution.hpp's uniform).
    s.distribution = "uniform";
    s.mean_us = as_micros(v);
    s.stddev_us = static_cast<std::uint64_t>(std::llround(static_cast<double>(s.mean_us) / std::sqrt(3.0)));
    return validated(s, v.path);
  }
  if (!v->is_object()) wrong_type(v, "a duration string (e.g. \"5ms\") or an object");
  const Fields f(v, "jitter", {"mean", "stddev"});
  s.mean_us = as_micros(f.need("mean"));
  s.stddev_us = as_micros(f.need("stddev"));
  if (const auto d = f.get("distribution")) {
    s.distribution = one_of(*d, {"uniform", "normal", "pareto", "paretonormal"});
  }
  if (const auto reorder = f.get("reorder")) s.reorder = as_bool(*reorder);
  if (const auto limit = f.get("limit")) s.limit_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
  return validated(s, v.path);
}

ReorderSpec parse_reorder(const Value& v) {
  const Fields f(v, "reorder", {"ratio", "delay"});
  ReorderSpec s;
  s.ratio = as_percent(f.need("ratio"));
  s.delay_us = as_micros(f.need("delay"));
  if (const auto limit = f.get("limit")) s.limit_packets = static_cast<std::uint32_t>(as_uint(*limit, 1, kU32Max));
  return validated(s, v.path);
}

// The impairment keys of a direction or a flow, read in the order the engine applies them.
ImpairmentSpec parse_impairments(const Fields& f) {
  ImpairmentSpec s;
  if (const auto v = f.get("mtu")) s.mtu = parse_mtu(*v);
  if (const auto v = f.get("outage")) s.outage = parse_outage(*v);
  if (const auto v = f.get("loss")) s.loss = parse_loss(*v);
  if (const auto v = f.get("corrupt")) s.corrupt = parse_corrupt(*v);
  if (const auto v = f.get("duplicate")) s.duplicate = parse_duplicate(*v);
  if (const auto v = f.get("rate")) s.rate = parse_rate_spec(*v);
  if (const auto v = f.get("delay")) s.latency = parse_delay(*v);
  if (const auto v = f.get("jitter")) s.jitter = parse_jitter(*v);
  if (const auto v = f.get("reorder")) s.reorder = parse_reorder(*v);
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
  fail(v.path, quote(as_string(v)) + " is not one of tcp, udp, icmp, icmpv6, sctp (or a protocol number 0..255)");
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
  if (!first || !last) fail(v.path, quote(text) + " is not a port or port range (e.g. \"5201\" or \"5000-5100\")");
  if (*first > *last) fail(v.path, quote(text) + ": the first port is above the last");
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
  const Fields f(v, "match");
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
  const Fields f(v, "flow", {"match"});
  FlowChain c;
  c.rule = parse_match(f.need("match"));
  c.impairments = parse_impairments(f);
  return c;
}

DirectionSpec parse_direction(const Value& v) {
  const Fields f(v, "direction");
  DirectionSpec d;
  d.impairments = parse_impairments(f);
  if (const auto flows = f.get("flows")) {
    for (const Value& flow : elements(*flows)) d.flows.push_back(parse_flow(flow));
  }
  return d;
}

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
         quote(name) + " is " + std::to_string(name.size()) + " characters long; a host name has 1 to 7" + reason);
  }
  const bool valid = (name[0] >= 'a' && name[0] <= 'z') && std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                     });
  if (!valid) fail(v.path, quote(name) + " is not a host name: a lowercase letter, then lowercase letters and digits");
  if (name == "wire") fail(v.path, "\"wire\" is reserved: it names the namespace the engine runs in");
  if (const auto it = ctx.host_paths.find(name); it != ctx.host_paths.end()) {
    fail(v.path, "host " + quote(name) + " is already defined at " + it->second);
  }
  return name;
}

bool same_leading_bits(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, unsigned bits) {
  for (unsigned i = 0; i < bits; ++i) {
    const unsigned mask = 0x80u >> (i % 8);
    if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
  }
  return true;
}

// Checks one host address ("198.18.0.1/24") and records it, so that no other host has it.
std::string host_address(const Value& v, const std::string& host, Context& ctx) {
  const std::string& text = as_string(v);
  const std::size_t slash = text.find('/');
  const bool v6 = text.find(':') != std::string::npos;
  if (slash == std::string::npos) {
    fail(v.path, quote(text) + " has no prefix length: write it as CIDR, e.g. " + quote(text + (v6 ? "/64" : "/24")));
  }
  IpPrefix address;
  try {
    address = IpPrefix::parse(text.substr(0, slash));
  } catch (const std::invalid_argument&) {
    fail(v.path, quote(text) + ": " + quote(text.substr(0, slash)) + " is not an IPv4 or IPv6 address");
  }
  const unsigned max = address.family == 4 ? 32 : 128;
  unsigned length = 0;
  const std::string_view digits = std::string_view(text).substr(slash + 1);
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || length > max) {
    fail(v.path, quote(text) + ": the prefix length " + quote(digits) + " is not in 0.." + std::to_string(max));
  }
  static const IpPrefix v4_range = IpPrefix::parse("198.18.0.0/15"), v6_range = IpPrefix::parse("2001:2::/48");
  const IpPrefix& range = address.family == 4 ? v4_range : v6_range;
  const std::string why = address.family == 4
                              ? " (IPv4 test addresses lie in 198.18.0.0/15, the benchmarking range, so a test network "
                                "never collides with a real one)"
                              : " (IPv6 test addresses lie in 2001:2::/48, the benchmarking range, so a test network "
                                "never collides with a real one)";
  if (!same_leading_bits(address.addr, range.addr, range.length)) {
    fail(v.path, quote(text) + " is outside " + range.str() + why);
  }
  if (length < range.length) {
    fail(v.path, quote(text) + ": its subnet /" + std::to_string(length) + " reaches outside " + range.str() + why +
                     "; use a prefix length of " + std::to_string(range.length) + " or more");
  }
  std::string bare = address.str();
  bare.erase(bare.find('/'));
  if (const auto it = ctx.address_owners.find(bare); it != ctx.address_owners.end()) {
    fail(v.path, "address " + bare + " is already " + it->second);
  }
  ctx.address_owners.emplace(bare, "host " + quote(host) + "'s (" + v.path + ")");
  return text;
}

ScenarioHost parse_host(const Value& v, std::size_t index, Context& ctx) {
  const Fields f(v, "host", {"name"});
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
    ctx.address_owners.emplace(bare, "host " + quote(h.name) + "'s default (" + v.path + ")");
    h.addresses.push_back(bare + "/24");
  }
  ctx.host_paths.emplace(h.name, v.path);
  ctx.host_names.push_back(h.name);
  return h;
}

// A reference to a host that exists.
std::string host_ref(const Value& v, const Context& ctx) {
  const std::string& name = as_string(v);
  if (!ctx.hosts.contains(name)) fail(v.path, "no host " + quote(name) + suggestion(name, ctx.host_names, "hosts"));
  return name;
}

ScenarioLink parse_link(const Value& v, Context& ctx) {
  const Fields f(v, "link", {"a", "b"});
  ScenarioLink link;
  link.a = host_ref(f.need("a"), ctx);
  link.b = host_ref(f.need("b"), ctx);
  if (link.a == link.b) fail(f.need("b").path, quote(link.b) + " is also \"a\": a link joins two different hosts");
  for (const char* end : {"a", "b"}) {
    const std::string& host = as_string(f.need(end));
    if (const auto it = ctx.link_of_host.find(host); it != ctx.link_of_host.end()) {
      fail(f.need(end).path, "host " + quote(host) + " is already on link " + quote(it->second) + " (" +
                                 ctx.link_paths.at(it->second) + "): a host has one interface, on one link");
    }
  }
  link.name = link.a + "-" + link.b;
  std::string name_path = v.path;
  if (const auto name = f.get("name")) {
    link.name = as_string(*name);
    name_path = name->path;
    if (!valid_name(link.name)) {
      fail(name->path, quote(link.name) + " is not a link name: use letters, digits, '_' and '-'");
    }
  }
  if (const auto it = ctx.link_paths.find(link.name); it != ctx.link_paths.end()) {
    fail(name_path, (f.get("name") ? "" : "its default ") + std::string("name ") + quote(link.name) +
                        " is already the name of " + it->second + (f.get("name") ? "" : ": give it a \"name\""));
  }
  if (const auto io = f.get("io")) link.io = one_of(*io, {"packet", "xdp"});
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
  const Fields f(v, "timeline", {"at"});
  TimelineEvent e;
  e.path = v.path;
  e.at = std::chrono::nanoseconds(as_duration(f.need("at")));
  if (const auto link = f.get("link")) {
    e.link = as_string(*link);
    if (!ctx.link_paths.contains(e.link)) {
      fail(link->path, "no link " + quote(e.link) + suggestion(e.link, ctx.link_names, "links"));
    }
  } else if (ctx.link_names.size() == 1) {
    e.link = ctx.link_names.front();
  } else {
    fail(v.path, "missing \"link\": the scenario has " + std::to_string(ctx.link_names.size()) + " links (" +
                     join(ctx.link_names) + ")");
  }
  if (const auto d = f.get("a_to_b")) e.a_to_b = parse_direction(*d);
  if (const auto d = f.get("b_to_a")) e.b_to_a = parse_direction(*d);
  if (!e.a_to_b && !e.b_to_a) {
    fail(v.path, "changes nothing: give \"a_to_b\", \"b_to_a\" or both ({} removes every impairment)");
  }
  return e;
}

// ---- Traffic --------------------------------------------------------------

// Traffic between two hosts crosses the link they are both on (nothing routes between links).
void require_same_link(const Context& ctx, const Value& first, const Value& second) {
  const std::string& a = as_string(first);
  const std::string& b = as_string(second);
  if (a == b) fail(second.path, quote(b) + " is at both ends: the traffic would not cross a link");
  for (const Value* end : {&first, &second}) {
    const std::string& host = as_string(*end);
    if (!ctx.link_of_host.contains(host)) fail(end->path, "host " + quote(host) + " is on no link");
  }
  if (ctx.link_of_host.at(a) != ctx.link_of_host.at(b)) {
    fail(second.path, "hosts " + quote(a) + " and " + quote(b) + " are on different links (" +
                          quote(ctx.link_of_host.at(a)) + " and " + quote(ctx.link_of_host.at(b)) +
                          "): traffic crosses one link");
  }
}

PingSpec parse_ping(const Value& v, const Context& ctx) {
  const Fields f(v, "ping", {"from", "to"});
  PingSpec p;
  p.from = host_ref(f.need("from"), ctx);
  p.to = host_ref(f.need("to"), ctx);
  require_same_link(ctx, f.need("from"), f.need("to"));
  if (const auto address = f.get("to_address")) {
    p.to_address = as_string(*address);
    if (p.to_address.find('/') != std::string::npos) {
      fail(address->path, quote(p.to_address) + ": give an address, without a prefix length");
    }
    try {
      (void)IpPrefix::parse(p.to_address);
    } catch (const std::invalid_argument&) {
      fail(address->path, quote(p.to_address) + " is not an IPv4 or IPv6 address");
    }
  } else {
    const auto& addresses = ctx.hosts.at(p.to)->addresses;
    if (std::none_of(addresses.begin(), addresses.end(),
                     [](const std::string& a) { return a.find(':') == std::string::npos; })) {
      fail(f.need("to").path, "host " + quote(p.to) + " has no IPv4 address: give \"to_address\"");
    }
  }
  if (const auto count = f.get("count")) p.count = static_cast<std::uint32_t>(as_uint(*count, 1, kU32Max));
  if (const auto interval = f.get("interval")) {
    p.interval = std::chrono::nanoseconds(as_duration(*interval));
    if (p.interval < std::chrono::milliseconds(10)) {
      fail(interval->path, quote(as_string(*interval)) + " is shorter than 10ms, ping's shortest interval here");
    }
  }
  if (const auto size = f.get("size")) p.size = static_cast<std::uint32_t>(as_size(*size, 0, 65507));
  return p;
}

Iperf3Spec parse_iperf3(const Value& v, const Context& ctx) {
  const Fields f(v, "iperf3", {"client", "server"});
  Iperf3Spec s;
  s.client = host_ref(f.need("client"), ctx);
  s.server = host_ref(f.need("server"), ctx);
  require_same_link(ctx, f.need("client"), f.need("server"));
  if (const auto protocol = f.get("protocol")) s.protocol = one_of(*protocol, {"tcp", "udp"});
  if (const auto bitrate = f.get("bitrate")) s.bitrate = as_rate(*bitrate);
  if (const auto length = f.get("length")) {
    s.length = static_cast<std::uint32_t>(as_size(*length, 1, s.protocol == "udp" ? 65507 : kU32Max));
  }
  if (const auto duration = f.get("duration")) {
    const std::uint64_t ns = as_duration(*duration);
    if (ns % 1'000'000'000 != 0 || ns == 0) {
      fail(duration->path,
           quote(as_string(*duration)) + " is not a whole number of seconds >= 1 (iperf3 counts in seconds)");
    }
    s.duration = std::chrono::nanoseconds(ns);
  }
  if (const auto parallel = f.get("parallel")) s.parallel = static_cast<std::uint32_t>(as_uint(*parallel, 1, 128));
  if (const auto reverse = f.get("reverse")) s.reverse = as_bool(*reverse);
  return s;
}

ExecSpec parse_exec(const Value& v, const Context& ctx) {
  const Fields f(v, "exec", {"host", "argv"});
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
  const Fields f(v, "bound");
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
  const Fields f(v, "expect");
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
  const Fields f(v, "traffic");
  TrafficItem item;
  item.path = v.path;
  std::string kind;
  for (const auto& entry : v->items()) {  // the first kind key in the file, then any second one
    if (entry.key() != "ping" && entry.key() != "iperf3" && entry.key() != "exec" && entry.key() != "parallel") {
      continue;
    }
    if (!kind.empty()) {
      fail(f.get(entry.key())->path,
           "an item is one of ping, iperf3, exec or parallel; this one is already " + quote(kind));
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
    if (f.get("name")) fail(f.get("name")->path, "the name " + quote(item.name) + " is already taken by " + it->second);
    fail(v.path,
         "its default name " + quote(item.name) + " is already taken by " + it->second + ": give it a \"name\"");
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
      fail(engine->path, quote(as_string(*engine)) + ": the only value is \"off\" (the engine runs by default)");
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
    measures = s.protocol == "udp" ? Measures::kIperf3Udp : Measures::kIperf3Tcp;
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

// ---- The document ---------------------------------------------------------

// "line 3, column 14" of the character at byte offset `byte` (1-based, as nlohmann counts), columns in characters.
std::string position(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's reason without its "[json.exception...] parse error at ...: " prefix.
std::string reason(const std::string& what) {
  const std::size_t column = what.find("column ");
  const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Parses the text, refusing duplicate keys (nlohmann keeps the last one silently).
Json parse_json(std::string_view text) {
  struct Open {  // an object or array being read
    bool array = false;
    std::size_t index = 0;  // array: the element being read
    std::string key{};      // object: the key being read
    std::set<std::string> keys{};
  };
  std::vector<Open> open;
  const auto path = [&open] {
    std::string p;
    for (const Open& o : open) p += "/" + (o.array ? std::to_string(o.index) : pointer_token(o.key));
    return p;
  };
  const auto element_done = [&open] {
    if (!open.empty() && open.back().array) ++open.back().index;
  };
  const Json::parser_callback_t check = [&](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start: open.push_back(Open{}); break;
      case Json::parse_event_t::array_start:
        open.push_back(Open{});
        open.back().array = true;
        break;
      case Json::parse_event_t::key:
        open.back().key = parsed.get<std::string>();
        if (!open.back().keys.insert(open.back().key).second) fail(path(), "duplicate key: this object already has it");
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        open.pop_back();
        element_done();
        break;
      case Json::parse_event_t::value: element_done(); break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), check);
  } catch (const Json::parse_error& e) {
    fail("", "not valid JSON at " + position(text, e.byte) + ": " + reason(e.what()));
  }
}

}  // namespace

const std::vector<std::string>& scenario_keys(std::string_view object_kind) {
  const auto& table = key_table();
  const auto it = table.find(object_kind);
  if (it == table.end()) throw std::invalid_argument("scenario_keys: no kind of object " + quote(object_kind));
  return it->second;
}

Scenario parse_scenario(std::string_view json_text) {
  const Json doc = parse_json(json_text);
  const Fields f(Value{&doc, ""}, "scenario", {"name", "hosts", "links", "traffic"});
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
