// counters_json.cpp — an engine's counters as JSON and as Prometheus text.
// See counters_json.hpp.
#include "harness/report/counters_json.hpp"

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace synnet {

using json_reader::Json;

namespace {

// A label value as the exposition format escapes it.
std::string escaped(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char ch : value) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += ch;
    }
  }
  return out;
}

using Labels = std::vector<std::pair<const char*, std::string_view>>;

// One family: # HELP, # TYPE, then a line per sample.
class Family {
 public:
  Family(const char* name, const char* type, const char* help) : name_(name), type_(type), help_(help) {}
  void add(const Labels& labels, std::uint64_t value) {
    samples_ += name_;
    samples_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) samples_ += ',';
      samples_ += labels[i].first;
      samples_ += "=\"";
      samples_ += escaped(labels[i].second);
      samples_ += '"';
    }
    samples_ += "} ";
    samples_ += std::to_string(value);
    samples_ += '\n';
  }
  void write(std::string& out) const {
    out += "# HELP " + std::string(name_) + " " + help_ + "\n";
    out += "# TYPE " + std::string(name_) + " " + type_ + "\n";
    out += samples_;
  }

 private:
  const char* name_;
  const char* type_;
  const char* help_;
  std::string samples_;
};

}  // namespace

Json counters_json(const EngineCounters& c) {
  Json apps = Json::array();
  for (const Counter& k : c.apps) {
    Json row = {{"app", k.app}, {"name", k.name}, {"kind", to_string(k.kind)}};
    if (k.is_drop()) row["reason"] = to_string(k.reason);
    row["value"] = k.value;
    apps.push_back(std::move(row));
  }
  Json links = Json::array();
  for (const auto& [spec, l] : c.links) {
    links.push_back({{"link", spec.str()},
                     {"txpackets", l.txpackets},
                     {"txbytes", l.txbytes},
                     {"rxpackets", l.rxpackets},
                     {"rxbytes", l.rxbytes},
                     {"txdrop", l.txdrop}});
  }
  return Json{{"apps", std::move(apps)}, {"links", std::move(links)}};
}

std::string prometheus_text(const EngineCounters& c, const std::string& run_prefix) {
  // The app families, indexed by CounterKind (in its order).
  static_assert(static_cast<int>(CounterKind::drop) == 5 && static_cast<int>(CounterKind::gauge) == 6 &&
                static_cast<int>(CounterKind::time) == 7);
  Family app_families[] = {
      {"synnet_app_packets_total", "counter", "Packets an app handled, by app and counter."},
      {"synnet_app_bytes_total", "counter", "Bytes an app handled, by app and counter."},
      {"synnet_app_events_total", "counter", "Things that happened in an app (neither a lost packet nor a failure)."},
      {"synnet_app_altered_total", "counter", "Packets an impairment changed or added."},
      {"synnet_app_errors_total", "counter", "Tries that failed without losing a packet by themselves."},
      {"synnet_app_drops_total", "counter", "Packets an app lost, by reason."},
      {"synnet_app_gauge", "gauge", "A level in an app now (packets queued, a ring in use)."},
      {"synnet_app_nanoseconds_total", "counter",
       "Nanoseconds an app summed over packets (how long those that left its queue had waited)."},
  };
  for (const Counter& k : c.apps) {
    Family& f = app_families[static_cast<std::size_t>(k.kind)];
    if (k.is_drop()) {
      f.add({{"run", run_prefix}, {"app", k.app}, {"counter", k.name}, {"reason", to_string(k.reason)}}, k.value);
    } else {
      f.add({{"run", run_prefix}, {"app", k.app}, {"counter", k.name}}, k.value);
    }
  }
  struct LinkFamily {
    Family family;
    std::uint64_t LinkCounters::*field;
  };
  LinkFamily link_families[] = {
      {{"synnet_link_tx_packets_total", "counter", "Packets put on an engine link."}, &LinkCounters::txpackets},
      {{"synnet_link_tx_bytes_total", "counter", "Bytes put on an engine link."}, &LinkCounters::txbytes},
      {{"synnet_link_rx_packets_total", "counter", "Packets taken from an engine link."}, &LinkCounters::rxpackets},
      {{"synnet_link_rx_bytes_total", "counter", "Bytes taken from an engine link."}, &LinkCounters::rxbytes},
      {{"synnet_link_tx_drops_total", "counter", "Packets an engine link dropped, being full."}, &LinkCounters::txdrop},
  };
  for (const auto& [spec, l] : c.links) {
    const std::string name = spec.str();
    for (LinkFamily& f : link_families) f.family.add({{"run", run_prefix}, {"link", name}}, l.*f.field);
  }
  std::string out;
  for (const Family& f : app_families) f.write(out);
  for (const LinkFamily& f : link_families) f.family.write(out);
  return out;
}

}  // namespace synnet
