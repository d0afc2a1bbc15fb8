// junit.cpp — report_junit: the run's report as JUnit XML (see report.hpp).
#include <cstdio>
#include <sstream>
#include <string_view>

#include "harness/report/report.hpp"
#include "harness/report/terminal.hpp"
#include "harness/report/text_hygiene.hpp"

namespace synnet {
namespace {

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value, true) + "\"";
}

std::string fixed3(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

// The counters and timeline as plain text, for JUnit's <system-out>.
std::string system_out(const RunReport& report) {
  std::ostringstream out;
  out << "scenario " << report.scenario << " (" << report.file << "), seed " << report.seed << ", prefix "
      << report.prefix << "\n";
  print_counters(out, report, false);
  if (!report.timeline.empty()) {
    out << "\ntimeline:\n";
    for (const std::string& line : report.timeline) out << "  " << line << "\n";
  }
  out << "\n" << summary_line(report, false) << "\n";
  return out.str();
}

}  // namespace

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
  // A service that failed the run; one that did not is no test case (it tested nothing).
  for (const ServiceReport& s : report.services) {
    if (s.passed()) continue;
    const std::string about = "service " + s.name + " on host " + s.host + ": " + s.command + "\n" + s.ended + "\n";
    std::string output;
    if (!s.errors.empty()) output += "stderr:\n" + s.errors + (s.errors.back() == '\n' ? "" : "\n");
    if (!s.output.empty()) output += "stdout:\n" + s.output + (s.output.back() == '\n' ? "" : "\n");
    std::string body = "      <failure" + attr("message", s.failure) + attr("type", "service") + ">" +
                       xml_escape(about + "failure: " + s.failure + "\n", false) + "</failure>\n";
    if (!output.empty()) body += "      <system-out>" + xml_escape(output, false) + "</system-out>\n";
    testcase("service." + s.host + "." + s.name, 0.0, body);  // it ran beside the items: no time of its own
    ++failures;
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
