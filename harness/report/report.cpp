// report.cpp — shows a RunReport three ways: the terminal report, a JSON
// document and JUnit XML (see report.hpp).
//
// JSON schema, version 2 (report_json). Every key is always present; an
// absent value is null. Figures are in base units: loss a fraction 0..1,
// throughput bit/s, times seconds. Strings are valid UTF-8 (invalid bytes
// from a tool's output become U+FFFD), so dump() never throws.
//   {
//     "version": 1,
//     "scenario": string, "file": string, "seed": integer, "prefix": string,
//     "passed": bool, "seconds": number,
//     "error": string | null,                  // the run ended early
//     "checks": { "total": integer, "failed": integer },
//     "items": [ {
//       "name": string, "kind": "ping" | "iperf3" | "exec", "command": string,
//       "seconds": number, "passed": bool,
//       "error": string | null,                // the item could not run
//       "measurement": {
//         "loss", "throughput", "rtt_min", "rtt_avg", "rtt_max", "rtt_mdev",
//         "jitter", "gap": number | null,
//         "exit_code": integer | null,         // null: killed by a signal, or not run
//         "packets_sent", "packets_received": integer,   // 0: not counted
//         "retransmits": integer | null,
//         "error": string | null               // the tool's error
//       },
//       "notes": [ string ],                   // e.g. a retried UDP handshake
//       "output", "errors": string,            // exec: the tail of its stdout / stderr
//       "checks": [ { "figure": string, "expected": string, "measured": string,
//                     "value": number | null, "pass": bool, "warning": string | null } ]
//     } ],
//     "timeline": [ string ],
//     "counters": {                           // all, zeros too
//       "apps": [ { "app", "name": string, "kind": "packets" | ... | "gauge",
//                   "reason": string | null, "value": integer } ],   // reason: drops only
//       "links": [ { "link": "a.out -> b.in", "txpackets", "txbytes", "rxpackets", "rxbytes", "txdrop": integer } ] }
//   }
#include "harness/report/report.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <string_view>

namespace synnet {
namespace {

// ---- text hygiene --------------------------------------------------------

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the UTF-8 sequence at s[i]; an invalid byte decodes as U+FFFD of
// length 1 (overlong forms, surrogates and values above U+10FFFF are invalid).
char32_t decode_utf8(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + len > s.size()) {
    ++i;
    return kReplacement;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) append_utf8(out, decode_utf8(s, i));
  return out;
}

bool xml_char(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         cp >= 0x10000;
}

// Escapes text for XML 1.0 content or a double-quoted attribute. Characters
// XML 1.0 cannot carry at all (most control characters) become U+FFFD.
std::string xml_escape(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = decode_utf8(s, i);
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\'': out += attribute ? "&apos;" : "'"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: append_utf8(out, xml_char(cp) ? cp : kReplacement);
    }
  }
  return out;
}

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value, true) + "\"";
}

std::string fixed3(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

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

// ---- terminal ----------------------------------------------------------------

struct Colors {
  bool on;
  std::string paint(std::string_view code, std::string_view text) const {
    return on ? "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m" : std::string(text);
  }
  std::string verdict(bool pass) const { return pass ? paint("32", "PASS") : paint("31;1", "FAIL"); }
  std::string warn(std::string_view text) const { return paint("33", text); }
  std::string bad(std::string_view text) const { return paint("31", text); }
  std::string bold(std::string_view text) const { return paint("1", text); }
};

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// Shown first and in red: packets lost, or tries that failed (counter.hpp).
bool is_drop_or_error(const Counter& c) { return c.is_drop() || c.kind == CounterKind::error; }

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// What was measured but not checked, so a reader sees the whole picture.
std::vector<std::string> unchecked_figures(const ItemReport& item) {
  const Measurement& m = item.measurement;
  const auto checked = [&](std::string_view figure) {
    for (const Check& c : item.checks) if (c.figure == figure) return true;
    return false;
  };
  std::vector<std::string> out;
  const auto add = [&](const char* figure, const std::optional<double>& v, std::string (*fmt)(double, int)) {
    if (v && !checked(figure)) out.push_back(std::string(figure) + " " + fmt(*v, 3));
  };
  add("loss", m.loss, format_percent);
  add("throughput", m.throughput, format_rate);
  add("rtt_min", m.rtt_min, format_seconds);
  add("rtt_avg", m.rtt_avg, format_seconds);
  add("rtt_max", m.rtt_max, format_seconds);
  add("rtt_mdev", m.rtt_mdev, format_seconds);
  add("jitter", m.jitter, format_seconds);
  add("gap", m.gap, format_seconds);
  if (m.exit_code && !checked("exit_code")) out.push_back("exit_code " + std::to_string(*m.exit_code));
  if (m.packets_sent > 0) {
    out.push_back("packets " + std::to_string(m.packets_sent) + " sent, " + std::to_string(m.packets_received) +
                  " received");
  }
  if (m.retransmits) out.push_back("retransmits " + std::to_string(*m.retransmits));
  return out;
}

void print_item(std::ostream& out, const ItemReport& item, const Colors& c) {
  out << c.bold(item.name) << "  (" << (item.command.empty() ? item.kind : item.command) << ")  "
      << format_seconds(item.seconds) << "  " << c.verdict(item.passed()) << "\n";
  std::size_t wf = 0, we = 0, wm = 0;
  for (const Check& k : item.checks) {
    wf = std::max(wf, k.figure.size());
    we = std::max(we, k.expected.size());
    wm = std::max(wm, k.measured.size());
  }
  for (const Check& k : item.checks) {
    out << "  " << pad(k.figure, wf) << "  " << pad(k.expected, we) << "  " << pad(k.measured, wm) << "  "
        << c.verdict(k.pass) << "\n";
  }
  for (const Check& k : item.checks) {
    if (!k.warning.empty()) out << "  " << c.warn("warning:") << " " << k.warning << "\n";
  }
  for (const std::string& note : item.notes) out << "  note: " << note << "\n";
  if (!item.error.empty()) out << "  " << c.bad("error:") << " " << item.error << "\n";
  if (!item.passed()) {  // what the command said, so a failure explains itself
    for (const auto& [label, text] : {std::pair{"stdout", &item.output}, std::pair{"stderr", &item.errors}}) {
      if (text->empty()) continue;
      out << "  " << label << ":\n";
      std::size_t start = 0;
      while (start < text->size()) {
        const std::size_t end = std::min(text->find('\n', start), text->size());
        out << "    | " << std::string_view(*text).substr(start, end - start) << "\n";
        start = end + 1;
      }
    }
  }
  // The tool's error, unless a check already shows it ("not measured (...)").
  const std::string& tool_error = item.measurement.error;
  const bool shown = std::any_of(item.checks.begin(), item.checks.end(), [&](const Check& k) {
    return k.measured.find(tool_error) != std::string::npos;
  });
  if (!tool_error.empty() && tool_error != item.error && !shown) out << "  tool: " << tool_error << "\n";
  const std::vector<std::string> also = unchecked_figures(item);
  if (!also.empty()) out << "  also measured: " << join(also, ", ") << "\n";
}

// Engine counters that are not zero: one line per app, drops and errors first
// (by kind); of the links only their drops (txdrop: a full link), the rest is
// traffic volume.
void print_counters(std::ostream& out, const RunReport& report, const Colors& c) {
  std::map<std::string, std::vector<Counter>> apps;
  for (const Counter& k : report.counters.apps) {
    if (k.value != 0) apps[k.app].push_back(k);
  }
  std::vector<Counter> link_drops;
  for (const auto& [spec, link] : report.counters.links) {
    for (const Counter& k : link_counters(spec, link)) {
      if (k.value != 0 && k.is_drop()) link_drops.push_back(k);
    }
  }
  if (apps.empty() && link_drops.empty()) return;
  out << "\nengine counters (non-zero):\n";
  std::size_t width = 0;
  for (const auto& [app, counters] : apps) width = std::max(width, app.size());
  for (auto& [app, counters] : apps) {
    std::stable_partition(counters.begin(), counters.end(), is_drop_or_error);
    std::vector<std::string> parts;
    for (const Counter& k : counters) {
      const std::string text = k.name + " " + std::to_string(k.value);
      parts.push_back(is_drop_or_error(k) ? c.bad(text) : text);
    }
    out << "  " << pad(app, width) << "  " << join(parts, ", ") << "\n";
  }
  for (const Counter& k : link_drops) {
    out << "  link " << k.app << "  " << c.bad(k.name + " " + std::to_string(k.value)) << "\n";
  }
}

std::vector<std::string> failed_checks(const RunReport& report) {
  std::vector<std::string> out;
  for (const ItemReport& item : report.items) {
    for (const Check& k : item.checks) if (!k.pass) out.push_back(item.name + "." + k.figure);
  }
  return out;
}

std::string summary_line(const RunReport& report, const Colors& c) {
  const std::size_t total = report.checks_total();
  const std::size_t held = total - report.checks_failed();
  std::string s = report.scenario + ": " + c.verdict(report.passed()) + " (" + std::to_string(held) + " of " +
                  std::to_string(total) + (total == 1 ? " expectation held" : " expectations held");
  const std::vector<std::string> failed = failed_checks(report);
  if (!failed.empty()) s += "; failed: " + join(failed, ", ");
  std::vector<std::string> errors;
  for (const ItemReport& item : report.items) if (!item.error.empty()) errors.push_back(item.name);
  if (!errors.empty()) s += "; could not run: " + join(errors, ", ");
  if (!report.error.empty()) s += "; the run ended early";
  return s + ") in " + format_seconds(report.seconds) + ", seed " + std::to_string(report.seed);
}

// The counters and timeline as plain text, for JUnit's <system-out>.
std::string system_out(const RunReport& report) {
  std::ostringstream out;
  out << "scenario " << report.scenario << " (" << report.file << "), seed " << report.seed << ", prefix "
      << report.prefix << "\n";
  print_counters(out, report, Colors{false});
  if (!report.timeline.empty()) {
    out << "\ntimeline:\n";
    for (const std::string& line : report.timeline) out << "  " << line << "\n";
  }
  out << "\n" << summary_line(report, Colors{false}) << "\n";
  return out.str();
}

}  // namespace

std::size_t RunReport::checks_total() const noexcept {
  std::size_t n = 0;
  for (const ItemReport& item : items) n += item.checks.size();
  return n;
}

std::size_t RunReport::checks_failed() const noexcept {
  std::size_t n = 0;
  for (const ItemReport& item : items) {
    for (const Check& c : item.checks) n += c.pass ? 0 : 1;
  }
  return n;
}

bool RunReport::passed() const noexcept {
  if (!error.empty()) return false;
  for (const ItemReport& item : items) if (!item.passed()) return false;
  return true;
}

void print_report(std::ostream& out, const RunReport& report, bool color) {
  const Colors c{color};
  out << c.bold(report.scenario) << "  (" << report.file << ")  seed " << report.seed << ", prefix " << report.prefix
      << "\n";
  for (const ItemReport& item : report.items) {
    out << "\n";
    print_item(out, item, c);
  }
  print_counters(out, report, c);
  if (!report.timeline.empty()) {
    out << "\ntimeline:\n";
    for (const std::string& line : report.timeline) out << "  " << line << "\n";
  }
  out << "\n";
  if (!report.error.empty()) out << c.bad("error:") << " " << report.error << "\n";
  out << summary_line(report, c) << "\n";
}

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
                       {"error", string_or_null(m.error)}}},
                     {"notes", valid_utf8_all(item.notes)},
                     {"output", valid_utf8(item.output)},
                     {"errors", valid_utf8(item.errors)},
                     {"checks", std::move(checks)}});
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
  return {{"version", 2},
          {"scenario", valid_utf8(report.scenario)},
          {"file", valid_utf8(report.file)},
          {"seed", report.seed},
          {"prefix", valid_utf8(report.prefix)},
          {"passed", report.passed()},
          {"seconds", report.seconds},
          {"error", string_or_null(report.error)},
          {"checks", {{"total", report.checks_total()}, {"failed", report.checks_failed()}}},
          {"items", std::move(items)},
          {"timeline", std::move(timeline)},
          {"counters", {{"apps", std::move(apps)}, {"links", std::move(links)}}}};
}

std::string report_junit(const RunReport& report) {
  const std::string classname = "synnet." + report.scenario;
  std::size_t tests = 0, failures = 0, errors = 0;
  std::string cases;
  const auto testcase = [&](const std::string& name, double seconds, const std::string& body) {
    cases += "    <testcase" + attr("name", name) + attr("classname", classname) + attr("time", fixed3(seconds));
    cases += body.empty() ? "/>\n" : ">\n" + body + "    </testcase>\n";
    ++tests;
  };
  for (const ItemReport& item : report.items) {
    const std::string about = item.name + ": " + (item.command.empty() ? item.kind : item.command) + "\n";
    if (!item.error.empty()) {
      // The item did not run: one error, not a failure per expectation.
      std::string text = about + "error: " + item.error + "\n";
      for (const Check& k : item.checks) text += "expected " + k.figure + " " + k.expected + "\n";
      testcase(item.name, item.seconds,
               "      <error" + attr("message", item.error) + attr("type", "error") + ">" + xml_escape(text, false) +
                   "</error>\n");
      ++errors;
      continue;
    }
    // The item's time goes to its first check, so the cases add up to the run.
    bool first = true;
    for (const Check& k : item.checks) {
      std::string body;
      const std::string result = "expected " + k.expected + ", measured " + k.measured;
      std::string text = about + k.figure + ": " + result + "\n";
      if (!k.warning.empty()) text += "warning: " + k.warning + "\n";
      if (!k.pass) {
        body = "      <failure" + attr("message", result) + attr("type", "expectation") + ">" +
               xml_escape(text, false) + "</failure>\n";
        ++failures;
      } else if (!k.warning.empty()) {
        body = "      <system-out>" + xml_escape(text, false) + "</system-out>\n";
      }
      testcase(item.name + "." + k.figure, first ? item.seconds : 0.0, body);
      first = false;
    }
  }
  if (!report.error.empty()) {
    testcase("run", 0.0,
             "      <error" + attr("message", report.error) + attr("type", "error") + ">" +
                 xml_escape(report.error, false) + "</error>\n");
    ++errors;
  }

  const std::string counts = attr("tests", std::to_string(tests)) + attr("failures", std::to_string(failures)) +
                             attr("errors", std::to_string(errors));
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites" + attr("name", "synnet-test") + counts + attr("time", fixed3(report.seconds)) + ">\n";
  xml += "  <testsuite" + attr("name", report.scenario) + counts + attr("skipped", "0") +
         attr("time", fixed3(report.seconds)) + ">\n";
  xml += "    <properties>\n";
  xml += "      <property" + attr("name", "file") + attr("value", report.file) + "/>\n";
  xml += "      <property" + attr("name", "seed") + attr("value", std::to_string(report.seed)) + "/>\n";
  xml += "      <property" + attr("name", "prefix") + attr("value", report.prefix) + "/>\n";
  xml += "    </properties>\n";
  xml += cases;
  xml += "    <system-out>" + xml_escape(system_out(report), false) + "</system-out>\n";
  xml += "  </testsuite>\n";
  xml += "</testsuites>\n";
  return xml;
}

}  // namespace synnet
