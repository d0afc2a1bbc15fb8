// terminal.cpp — print_report: the run's report for a person (see report.hpp).
#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/report.hpp"
#include "harness/report/terminal.hpp"
#include "harness/report/text_hygiene.hpp"
#include "harness/scenario/units.hpp"

namespace synnet {
namespace {

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
    for (const Check& c : item.checks)
      if (c.figure == figure) return true;
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
  if (!m.congestion.empty()) out.push_back("congestion control " + m.congestion);
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
  const bool shown = std::any_of(item.checks.begin(), item.checks.end(),
                                 [&](const Check& k) { return k.measured.find(tool_error) != std::string::npos; });
  if (!tool_error.empty() && tool_error != item.error && !shown) out << "  tool: " << tool_error << "\n";
  const std::vector<std::string> also = unchecked_figures(item);
  if (!also.empty()) out << "  also measured: " << join(also, ", ") << "\n";
}

// The last `n` lines of `text` (a final newline ends a line, it does not
// start one); `more` tells whether there were more.
std::vector<std::string_view> last_lines(std::string_view text, std::size_t n, bool& more) {
  std::vector<std::string_view> lines;
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  while (!text.empty() && lines.size() < n) {
    const std::size_t nl = text.rfind('\n');
    lines.push_back(nl == std::string_view::npos ? text : text.substr(nl + 1));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(0, nl);
  }
  more = !text.empty();
  return {lines.rbegin(), lines.rend()};
}

// "services:": a line per service, its failure, the last lines of its stderr and stdout.
void print_services(std::ostream& out, const RunReport& report, const Colors& c) {
  if (report.services.empty()) return;
  constexpr std::size_t kLines = 5;
  out << "\nservices:\n";
  for (const ServiceReport& s : report.services) {
    out << "  " << c.bold(printable_line(s.host + "/" + s.name)) << "  (" << printable_line(s.command) << ")  "
        << (s.stopped ? "stopped at teardown: " : "") << (s.ended.empty() ? "did not start" : s.ended) << "  "
        << c.verdict(s.passed()) << "\n";
    if (!s.passed()) out << "    " << c.bad("failure:") << " " << printable_line(s.failure) << "\n";
    for (const auto& [label, text] : {std::pair{"stderr", &s.errors}, std::pair{"stdout", &s.output}}) {
      bool more = false;
      const std::vector<std::string_view> lines = last_lines(*text, kLines, more);
      if (lines.empty()) continue;
      out << "    " << label << (more ? " (its last lines; all of it in --json):\n" : ":\n");
      for (std::string_view line : lines) out << "      | " << printable_line(line) << "\n";
    }
  }
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

// "captures:" and a line per file: what it holds and what it left out.
void print_captures(std::ostream& out, const std::vector<CaptureReport>& captures, const Colors& c) {
  if (captures.empty()) return;
  out << "\ncaptures (every frame as it entered the chain, its fate in a packet comment):\n";
  for (const CaptureReport& k : captures) {
    out << "  " << k.path << "  " << k.written << (k.written == 1 ? " frame, " : " frames, ") << format_bytes(k.bytes);
    if (k.not_written > 0) {
      out << ", " << c.bad(std::to_string(k.not_written) + " not written") << " ("
          << (k.error.empty() ? "the file reached its --capture-limit" : k.error) << ")";
    }
    out << "\n";
  }
}

std::vector<std::string> failed_checks(const RunReport& report) {
  std::vector<std::string> out;
  for (const ItemReport& item : report.items) {
    for (const Check& k : item.checks)
      if (!k.pass) out.push_back(item.name + "." + k.figure);
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
  for (const ItemReport& item : report.items)
    if (!item.error.empty()) errors.push_back(item.name);
  if (!errors.empty()) s += "; could not run: " + join(errors, ", ");
  std::vector<std::string> services;
  for (const ServiceReport& service : report.services)
    if (!service.passed()) services.push_back(service.host + "/" + service.name);
  if (!services.empty()) s += "; failed services: " + join(services, ", ");
  if (!report.error.empty()) s += "; the run ended early";
  return s + ") in " + format_seconds(report.seconds) + ", seed " + std::to_string(report.seed);
}

}  // namespace

void print_counters(std::ostream& out, const RunReport& report, bool color) {
  print_counters(out, report, Colors{color});
}

std::string summary_line(const RunReport& report, bool color) { return summary_line(report, Colors{color}); }

void print_captures(std::ostream& out, const std::vector<CaptureReport>& captures, bool color) {
  print_captures(out, captures, Colors{color});
}

void print_report(std::ostream& out, const RunReport& report, bool color) {
  const Colors c{color};
  out << c.bold(report.scenario) << "  (" << report.file << ")  seed " << report.seed << ", prefix " << report.prefix
      << "\n";
  for (const ItemReport& item : report.items) {
    out << "\n";
    print_item(out, item, c);
  }
  print_services(out, report, c);
  print_counters(out, report, c);
  print_captures(out, report.captures, c);
  if (!report.timeline.empty()) {
    out << "\ntimeline:\n";
    for (const std::string& line : report.timeline) out << "  " << line << "\n";
  }
  out << "\n";
  if (!report.error.empty()) out << c.bad("error:") << " " << report.error << "\n";
  out << summary_line(report, c) << "\n";
}

}  // namespace synnet
