// report.hpp — a scenario run's results, and the three ways synnet-test shows
// them: a terminal report, a JSON document (--json) and JUnit XML (--junit).
//
//   RunReport r;  ... filled by the runner ...
//   print_report(std::cout, r, /*color=*/isatty(1));
//   write_file("report.json", report_json(r).dump(2));
//   write_file("report.xml", report_junit(r));
//
// Terminal: per traffic item a table (figure, expected, measured, PASS/FAIL),
// warnings under it, then the engine's per-app counters that are not zero
// (drops by reason stand out), then one summary line:
//   "lossy-link: PASS (4 of 4 expectations held) in 12.3 s, seed 42"
// JSON: everything in RunReport, figures in base units (see docs in README).
// JUnit: one <testsuite name=scenario> with one <testcase> per Check, named
// "<item>.<figure>", classname "synnet.<scenario>"; a failed check has a
// <failure message="expected ..., measured ...">; an item that could not run
// (error) is one <testcase> with an <error>; the engine counters go in
// <system-out>.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/expectations.hpp"
#include "harness/measurement.hpp"

namespace synnet {

struct ItemReport {
  std::string name;      // the traffic item's name
  std::string kind;      // "ping", "iperf3", "exec"
  std::string command;   // the argv it ran, joined with spaces (for reproducing by hand)
  double seconds = 0;    // how long it took
  Measurement measurement{};
  std::vector<Check> checks{};
  std::string error{};   // set when the item could not run at all (e.g. the server never listened)
  bool passed() const noexcept {
    if (!error.empty()) return false;
    for (const Check& c : checks) if (!c.pass) return false;
    return true;
  }
};

struct RunReport {
  std::string scenario;          // its name
  std::string file;              // the path it was read from
  std::uint64_t seed = 0;
  std::string prefix;            // the run's name prefix ("snk3f9a")
  double seconds = 0;            // the whole run
  std::vector<ItemReport> items{};
  std::vector<std::string> timeline{};  // what was applied when, e.g. "5.00 s: a-b a_to_b {loss 100%}"
  std::map<std::string, std::uint64_t> counters{};  // Engine::counters() at the end
  std::string error{};           // a setup or engine failure that ended the run early
  std::size_t checks_total() const noexcept;
  std::size_t checks_failed() const noexcept;
  bool passed() const noexcept;  // no error, every item passed
};

void print_report(std::ostream& out, const RunReport& report, bool color);
nlohmann::json report_json(const RunReport& report);
std::string report_junit(const RunReport& report);

}  // namespace synnet
