// json.cpp — report_json: the run's report as a JSON document, exactly as
// scenarios/synnet-report.schema.json describes it.
#include <optional>

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
                        {"pass", c.pass},
                        {"warning", string_or_null(c.warning)}});
    }
    items.push_back({{"name", valid_utf8(item.name)},
                     {"kind", valid_utf8(item.kind)},
                     {"command", valid_utf8(item.command)},
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
                     {"checks", std::move(checks)}});
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
  return {{"version", 3},
          {"scenario", valid_utf8(report.scenario)},
          {"file", valid_utf8(report.file)},
          {"seed", report.seed},
          {"prefix", valid_utf8(report.prefix)},
          {"passed", report.passed()},
          {"seconds", report.seconds},
          {"error", string_or_null(report.error)},
          {"checks", {{"total", report.checks_total()}, {"failed", report.checks_failed()}}},
          {"items", std::move(items)},
          {"services", std::move(services)},
          {"timeline", timeline},
          {"counters", {{"apps", std::move(apps)}, {"links", std::move(links)}}}};
}

}  // namespace synnet
