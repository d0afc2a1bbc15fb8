// direction_json.cpp — a DirectionSpec as the scenario format's direction
// object. See direction_json.hpp.
#include "harness/scenario/direction_json.hpp"

#include <cmath>
#include <initializer_list>
#include <type_traits>
#include <utility>

namespace synnet {

using json_reader::Json;

namespace {

struct ShownUnit {
  const char* name;
  std::uint64_t scale;  // base units per one of this unit
};

// `value` base units in `unit`, exactly: "1.5ms". Every scale here is a
// product of 2s and 5s, so the fraction ends.
std::string in_unit(std::uint64_t value, const ShownUnit& unit) {
  std::string text = std::to_string(value / unit.scale);
  std::uint64_t rest = value % unit.scale;
  if (rest != 0) text += '.';
  while (rest != 0) {
    rest *= 10;  // rest < scale <= 2^40: no overflow
    text += static_cast<char>('0' + rest / unit.scale);
    rest %= unit.scale;
  }
  return text + unit.name;
}

// The shortest exact spelling over `units`; on a tie the earlier unit.
std::string shortest(std::uint64_t value, std::initializer_list<ShownUnit> units) {
  std::string best;
  for (const ShownUnit& u : units) {
    std::string text = in_unit(value, u);
    if (best.empty() || text.size() < best.size()) best = std::move(text);
  }
  return best;
}

// ---- Effects ----------------------------------------------------------------

// One spec_json per effect, picked by its spec type, as impairments_json.cpp's
// parse_spec: impairments_json (below) calls them through the effects table,
// so a new effect without one does not build. Each writes the short form when
// the parser would read it back to the same spec, else an object with the
// keys that differ from the defaults.

Json spec_json(const MtuSpec& s) { return s.mtu_bytes; }

Json spec_json(const OutageSpec& s) {
  Json j = Json::object();
  if (s.start_us != OutageSpec{}.start_us) j["start"] = micros_text(s.start_us);
  j["duration"] = micros_text(s.duration_us);
  if (s.period_us != OutageSpec{}.period_us) j["period"] = micros_text(s.period_us);
  return j;
}

// A trace's file (its name is the path it was read from) with its shape and loop when not the defaults.
Json value_trace_json(const ValueTrace& t) {
  Json j = Json::object();
  j["trace"] = t.name;
  if (t.shape != TraceShape::kStep) j["shape"] = "linear";
  if (t.loop) j["loop"] = true;
  return j;
}

Json spec_json(const LossSpec& s) {
  if (s.trace) return value_trace_json(*s.trace);
  if (s.model == LossModel::kRandom) return percent_text(s.ratio);
  const LossSpec defaults;
  Json j = Json::object();
  j["model"] = loss_model_name(s.model);
  struct Param {
    const char* key;
    double LossSpec::*field;
    bool required;
  };
  static constexpr Param kGilbertElliott[] = {{"p", &LossSpec::p, true},
                                              {"r", &LossSpec::r, true},
                                              {"loss_bad", &LossSpec::loss_bad, false},
                                              {"loss_good", &LossSpec::loss_good, false}};
  static constexpr Param kMarkov4[] = {{"p13", &LossSpec::p13, true},
                                       {"p31", &LossSpec::p31, true},
                                       {"p32", &LossSpec::p32, false},
                                       {"p23", &LossSpec::p23, false},
                                       {"p14", &LossSpec::p14, false}};
  const auto write = [&](const auto& params) {
    for (const Param& p : params) {
      if (p.required || s.*p.field != defaults.*p.field) j[p.key] = percent_text(s.*p.field);
    }
  };
  if (s.model == LossModel::kGilbertElliott) {
    write(kGilbertElliott);
  } else {
    write(kMarkov4);
  }
  return j;
}

Json spec_json(const CorruptSpec& s) { return percent_text(s.ratio); }

Json spec_json(const DuplicateSpec& s) { return percent_text(s.ratio); }

// A rate's queue: its byte limit alone for a droptail queue limited in bytes, else an object.
Json queue_json(const RateSpec& s) {
  if (s.aqm == AqmSpec{} && s.queue_packets == 0) return bytes_text(s.queue_bytes);
  Json j = Json::object();
  switch (s.aqm.discipline) {
    case QueueDiscipline::kDropTail: j["discipline"] = "droptail"; break;
    case QueueDiscipline::kCodel: j["discipline"] = "codel"; break;
    case QueueDiscipline::kPie: j["discipline"] = "pie"; break;
  }
  if (s.queue_packets != 0) {
    j["limit"] = s.queue_packets;
  } else if (s.queue_bytes != 0) {
    j["limit"] = bytes_text(s.queue_bytes);
  }
  if (s.aqm.target_us != 0) j["target"] = micros_text(s.aqm.target_us);
  if (s.aqm.interval_us != 0) j["interval"] = micros_text(s.aqm.interval_us);
  if (s.aqm.max_burst_us != 0) j["max_burst"] = micros_text(s.aqm.max_burst_us);
  return j;
}

Json spec_json(const RateSpec& s) {
  const RateSpec defaults;
  const bool default_queue =
      s.queue_bytes == defaults.queue_bytes && s.queue_packets == defaults.queue_packets && s.aqm == defaults.aqm;
  if (!s.trace && s.burst_bytes == defaults.burst_bytes && s.overhead_bytes == defaults.overhead_bytes &&
      default_queue && s.mode == defaults.mode) {
    return rate_text(s.rate_bps);
  }
  Json j = Json::object();
  if (s.trace) {
    j["trace"] = s.trace->name;  // the path it was read from
    if (s.loop != defaults.loop) j["loop"] = s.loop;
  } else {
    j["rate"] = rate_text(s.rate_bps);
  }
  if (s.burst_bytes != defaults.burst_bytes) j["burst"] = bytes_text(s.burst_bytes);
  if (s.overhead_bytes != defaults.overhead_bytes) j["overhead"] = bytes_text(s.overhead_bytes);
  if (!default_queue) j["queue"] = queue_json(s);
  if (s.mode != defaults.mode) j["mode"] = s.mode == RateMode::kPolicer ? "policer" : "shaper";
  return j;
}

Json spec_json(const LatencySpec& s) {
  if (!s.trace && s.limit_packets == LatencySpec{}.limit_packets) return micros_text(s.delay_us);
  Json j = s.trace ? value_trace_json(*s.trace) : Json::object();
  if (!s.trace) j["time"] = micros_text(s.delay_us);
  if (s.limit_packets != LatencySpec{}.limit_packets) j["limit"] = s.limit_packets;
  return j;
}

const char* distribution_name(Distribution d) {
  switch (d) {
    case Distribution::kUniform: return "uniform";
    case Distribution::kNormal: return "normal";
    case Distribution::kPareto: return "pareto";
    case Distribution::kParetoNormal: return "paretonormal";
  }
  return "normal";
}

Json spec_json(const JitterSpec& s) {
  const JitterSpec defaults;
  // The short form "5ms": uniform, stddev mean/√3 rounded (as impairments_json.cpp reads it).
  const auto short_stddev = static_cast<std::uint64_t>(std::llround(static_cast<double>(s.mean_us) / std::sqrt(3.0)));
  if (s.distribution == Distribution::kUniform && s.stddev_us == short_stddev && s.reorder == defaults.reorder &&
      s.limit_packets == defaults.limit_packets) {
    return micros_text(s.mean_us);
  }
  Json j = Json::object();
  j["mean"] = micros_text(s.mean_us);
  j["stddev"] = micros_text(s.stddev_us);
  if (s.distribution != defaults.distribution) j["distribution"] = distribution_name(s.distribution);
  if (s.reorder != defaults.reorder) j["reorder"] = s.reorder;
  if (s.limit_packets != defaults.limit_packets) j["limit"] = s.limit_packets;
  return j;
}

Json spec_json(const SlotSpec& s) {
  const SlotSpec defaults;
  Json j = Json::object();
  if (s.distribution) {
    j["distribution"] = distribution_name(*s.distribution);
    j["mean"] = micros_text(s.mean_us);
    j["stddev"] = micros_text(s.stddev_us);
  } else {
    j["min"] = micros_text(s.min_us);
    if (s.max_us != defaults.max_us) j["max"] = micros_text(s.max_us);
  }
  if (s.packets != defaults.packets) j["packets"] = s.packets;
  if (s.bytes != defaults.bytes) j["bytes"] = bytes_text(s.bytes);
  if (s.limit_packets != defaults.limit_packets) j["limit"] = s.limit_packets;
  return j;
}

Json spec_json(const ReorderSpec& s) {
  Json j = Json::object();
  j["ratio"] = percent_text(s.ratio);
  j["delay"] = micros_text(s.delay_us);
  if (s.limit_packets != ReorderSpec{}.limit_packets) j["limit"] = s.limit_packets;
  return j;
}

// The effects set in `s`, in chain order, added to `j` under their keys.
void add_impairments(Json& j, const ImpairmentSpec& s) {
  for_each_effect([&](const auto& effect) {
    if (const auto& spec = s.*effect.member) j[std::string(effect.key)] = spec_json(*spec);
  });
}

// ---- Flows ------------------------------------------------------------------

Json protocol_json(std::uint8_t protocol) {
  static const std::pair<const char*, std::uint8_t> kNames[] = {
      {"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}, {"sctp", 132}};
  for (const auto& [name, number] : kNames) {
    if (number == protocol) return name;
  }
  return protocol;
}

Json ports_json(const PortRange& r) {
  if (r.first == r.last) return r.first;
  return std::to_string(r.first) + "-" + std::to_string(r.last);
}

Json match_json(const FlowRule& r) {
  Json j = Json::object();
  if (r.protocol) j["protocol"] = protocol_json(*r.protocol);
  if (r.src) j["src"] = r.src->str();
  if (r.dst) j["dst"] = r.dst->str();
  if (r.src_ports) j["src_ports"] = ports_json(*r.src_ports);
  if (r.dst_ports) j["dst_ports"] = ports_json(*r.dst_ports);
  return j;
}

}  // namespace

std::string percent_text(double fraction) {
  // parse_percent reads millionths of a percent: fraction = millionths / 1e8.
  const double millionths = std::round(fraction * 100'000'000.0);
  return in_unit(millionths <= 0 ? 0 : static_cast<std::uint64_t>(millionths), {"%", 1'000'000});
}

std::string micros_text(std::uint64_t us) { return shortest(us, {{"us", 1}, {"ms", 1'000}, {"s", 1'000'000}}); }

std::string rate_text(std::uint64_t bps) {
  return shortest(
      bps, {{"bit", 1}, {"kbit", 1'000}, {"Mbit", 1'000'000}, {"Gbit", 1'000'000'000}, {"Tbit", 1'000'000'000'000}});
}

std::string bytes_text(std::uint64_t bytes) {
  return shortest(bytes, {{"B", 1},
                          {"kB", 1'000},
                          {"KiB", 1024},
                          {"MB", 1'000'000},
                          {"MiB", 1 << 20},
                          {"GB", 1'000'000'000},
                          {"GiB", 1ULL << 30}});
}

Json direction_json(const DirectionSpec& d) {
  Json j = Json::object();
  add_impairments(j, d.impairments);
  if (!d.flows.empty()) {
    Json flows = Json::array();
    for (const FlowChain& f : d.flows) {
      Json flow = Json::object();
      flow["match"] = match_json(f.rule);
      add_impairments(flow, f.impairments);
      flows.push_back(std::move(flow));
    }
    j["flows"] = std::move(flows);
  }
  return j;
}

}  // namespace synnet
