// json.cpp — report_json: the run's report as a JSON document, exactly as
// scenarios/synnet-report.schema.json describes it (version 4).
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "harness/report/report.hpp"
#include "harness/report/text_hygiene.hpp"

namespace synnet {
namespace {

nlohmann::json valid_utf8_all(const std::vector<std::string>& lines) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& line : lines) out.push_back(valid_utf8(line));
  return out;
}

nlohmann::json string_or_null(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(valid_utf8(s));
}

template <typename T>
nlohmann::json optional_or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

// Seconds on the run's clock to the millisecond, as the API's series shows
// them (a steady clock's reading has nanoseconds no one needs).
double milliseconds(double t) { return std::round(t * 1000) / 1000; }

nlohmann::json intervals_json(const ItemReport& item) {
  nlohmann::json out = nlohmann::json::array();
  for (const IntervalPoint& p : item.measurement.intervals) {
    out.push_back({{"start", item.start + p.start},
                   {"end", item.start + p.end},
                   {"bits_per_second", p.bits_per_second},
                   {"retransmits", optional_or_null(p.retransmits)},
                   {"packets", optional_or_null(p.packets)},
                   {"lost", optional_or_null(p.lost)}});
  }
  return out;
}

nlohmann::json replies_json(const ItemReport& item) {
  nlohmann::json out = nlohmann::json::array();
  for (const ReplyPoint& r : item.measurement.replies) {
    out.push_back({{"seq", r.seq}, {"t", item.start + r.t}, {"rtt", optional_or_null(r.rtt)}});
  }
  return out;
}

// One link direction's samples, a column per field (every column one entry
// per sample that has the direction); drops a column per reason that
// occurred in any of them.
nlohmann::json direction_columns(const std::vector<std::pair<double, const DirectionSample*>>& samples) {
  using nlohmann::json;
  std::set<std::string> reasons;
  for (const auto& [t, d] : samples) {
    for (const auto& [reason, n] : d->drops) reasons.insert(reason);
  }
  json t = json::array(), packets_in = json::array(), bytes_in = json::array(), packets_out = json::array(),
       bytes_out = json::array(), queue = json::array(), queue_delay = json::array();
  std::map<std::string, json> drops;
  for (const std::string& reason : reasons) drops[reason] = json::array();
  for (const auto& [when, d] : samples) {
    t.push_back(milliseconds(when));
    packets_in.push_back(d->packets_in);
    bytes_in.push_back(d->bytes_in);
    packets_out.push_back(d->packets_out);
    bytes_out.push_back(d->bytes_out);
    queue.push_back(d->queue);
    queue_delay.push_back(optional_or_null(d->queue_delay));
    for (auto& [reason, column] : drops) {
      const auto it = d->drops.find(reason);
      column.push_back(it == d->drops.end() ? 0 : it->second);
    }
  }
  json drops_json = json::object();
  for (auto& [reason, column] : drops) drops_json[reason] = std::move(column);
  return {{"t", std::move(t)},
          {"packets_in", std::move(packets_in)},
          {"bytes_in", std::move(bytes_in)},
          {"packets_out", std::move(packets_out)},
          {"bytes_out", std::move(bytes_out)},
          {"queue", std::move(queue)},
          {"queue_delay", std::move(queue_delay)},
          {"drops", std::move(drops_json)}};
}

nlohmann::json report_series_json(const RunReport& report) {
  std::map<std::string, std::map<std::string, std::vector<std::pair<double, const DirectionSample*>>>> by_direction;
  for (const SeriesSample& s : report.series) {
    for (const auto& [link, directions] : s.links) {
      for (const auto& [direction, d] : directions) by_direction[link][direction].emplace_back(s.t, &d);
    }
  }
  nlohmann::json links = nlohmann::json::object();
  for (const auto& [link, directions] : by_direction) {
    nlohmann::json& l = links[valid_utf8(link)] = nlohmann::json::object();
    for (const auto& [direction, samples] : directions) l[direction] = direction_columns(samples);
  }
  return {{"interval", report.series_interval_ms / 1000.0},
          {"dropped", report.series_dropped},
          {"links", std::move(links)}};
}

}  // namespace

nlohmann::json report_json(const RunReport& report) {
  using nlohmann::json;
  json items = json::array();
  for (const ItemReport& item : report.items) {
    const Measurement& m = item.measurement;
    json checks = json::array();
    for (const Check& c : item.checks) {
      checks.push_back({{"figure", valid_utf8(c.figure)},
                        {"expected", valid_utf8(c.expected)},
                        {"measured", valid_utf8(c.measured)},
                        {"value", optional_or_null(c.value)},
                        {"min", optional_or_null(c.min)},
                        {"max", optional_or_null(c.max)},
                        {"pass", c.pass},
                        {"warning", string_or_null(c.warning)}});
    }
    items.push_back({{"name", valid_utf8(item.name)},
                     {"kind", valid_utf8(item.kind)},
                     {"command", valid_utf8(item.command)},
                     {"start", item.start},
                     {"seconds", item.seconds},
                     {"passed", item.passed()},
                     {"error", string_or_null(item.error)},
                     {"measurement",
                      {{"loss", optional_or_null(m.loss)},
                       {"throughput", optional_or_null(m.throughput)},
                       {"rtt_min", optional_or_null(m.rtt_min)},
                       {"rtt_avg", optional_or_null(m.rtt_avg)},
                       {"rtt_max", optional_or_null(m.rtt_max)},
                       {"rtt_mdev", optional_or_null(m.rtt_mdev)},
                       {"jitter", optional_or_null(m.jitter)},
                       {"gap", optional_or_null(m.gap)},
                       {"exit_code", optional_or_null(m.exit_code)},
                       {"packets_sent", m.packets_sent},
                       {"packets_received", m.packets_received},
                       {"retransmits", optional_or_null(m.retransmits)},
                       {"congestion", m.congestion.empty() ? json(nullptr) : json(valid_utf8(m.congestion))},
                       {"error", string_or_null(m.error)}}},
                     {"notes", valid_utf8_all(item.notes)},
                     {"output", valid_utf8(item.output)},
                     {"errors", valid_utf8(item.errors)},
                     {"checks", std::move(checks)},
                     {"intervals", intervals_json(item)},
                     {"replies", replies_json(item)}});
  }
  json services = json::array();
  for (const ServiceReport& s : report.services) {
    services.push_back({{"host", valid_utf8(s.host)},
                        {"name", valid_utf8(s.name)},
                        {"command", valid_utf8(s.command)},
                        {"ended", valid_utf8(s.ended)},
                        {"stopped", s.stopped},
                        {"seconds", s.seconds},
                        {"passed", s.passed()},
                        {"failure", string_or_null(s.failure)},
                        {"output", valid_utf8(s.output)},
                        {"errors", valid_utf8(s.errors)}});
  }
  const json timeline = valid_utf8_all(report.timeline);
  json events = json::array();
  for (const ChangeEvent& e : report.events) {
    events.push_back({{"t", e.t}, {"source", valid_utf8(e.source)}, {"what", valid_utf8(e.what)}});
  }
  json captures = json::array();
  for (const CaptureReport& c : report.captures) {
    captures.push_back({{"link", valid_utf8(c.link)},
                        {"direction", c.direction},
                        {"path", valid_utf8(c.path)},
                        {"frames", c.frames},
                        {"written", c.written},
                        {"not_written", c.not_written},
                        {"bytes", c.bytes},
                        {"error", string_or_null(c.error)}});
  }
  json apps = json::array();
  for (const Counter& k : report.counters.apps) {
    apps.push_back({{"app", valid_utf8(k.app)},
                    {"name", valid_utf8(k.name)},
                    {"kind", to_string(k.kind)},
                    {"reason", k.is_drop() ? json(to_string(k.reason)) : json()},
                    {"value", k.value}});
  }
  json links = json::array();
  for (const auto& [spec, c] : report.counters.links) {
    links.push_back({{"link", valid_utf8(spec.str())},
                     {"txpackets", c.txpackets},
                     {"txbytes", c.txbytes},
                     {"rxpackets", c.rxpackets},
                     {"rxbytes", c.rxbytes},
                     {"txdrop", c.txdrop}});
  }
  return {{"version", 4},
          {"scenario", valid_utf8(report.scenario)},
          {"file", valid_utf8(report.file)},
          {"seed", report.seed},
          {"replay", valid_utf8(report.replay)},
          {"prefix", valid_utf8(report.prefix)},
          {"passed", report.passed()},
          {"seconds", report.seconds},
          {"error", string_or_null(report.error)},
          {"checks", {{"total", report.checks_total()}, {"failed", report.checks_failed()}}},
          {"items", std::move(items)},
          {"services", std::move(services)},
          {"timeline", timeline},
          {"events", std::move(events)},
          {"series", report_series_json(report)},
          {"captures", std::move(captures)},
          {"counters", {{"apps", std::move(apps)}, {"links", std::move(links)}}}};
}

}  // namespace synnet
