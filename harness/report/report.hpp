// report.hpp — a scenario run's results, and the three ways synnet-test shows
// them: a terminal report (terminal.cpp), a JSON document (--json, json.cpp)
// and JUnit XML (--junit, junit.cpp).
//
//   RunReport r;  ... filled by the runner ...
//   print_report(std::cout, r, /*color=*/isatty(1));
//   write_file("report.json", report_json(r).dump(2));
//   write_file("report.xml", report_junit(r));
//
// Terminal (print_report): a header line (scenario, file, seed, prefix), then
// per traffic item a line "<name>  (<command>)  2.1 s  PASS" and a table of
// its checks with aligned columns (figure, expected, measured, PASS/FAIL),
// then "warning: ...", "error: ..." (the item could not run), "tool: ..." (the
// tool's error when no check shows it) and "also measured: ..." (figures no
// expectation checked, packet counts, retransmits). Then the services
// ("services:"): a line per service "<host>/<name>  (<command>)  <how it
// ended>  PASS" (FAIL and "failure: <why>" when it failed the run) and the
// last 5 lines of its stderr and of its stdout, control characters made
// visible (text_hygiene.hpp). Then the engine counters that are not zero, one
// line per app, drops and errors first (by their kind, engine/counter.hpp;
// red in color); link counters are traffic volume and left out, except a
// non-zero txdrop (a full link): "link a.out -> b.in  txdrop 3".
// Then the timeline, the run's error, and one summary line:
//   "lossy-link: PASS (4 of 4 expectations held) in 12.3 s, seed 42"
//   "lossy-link: FAIL (2 of 4 expectations held; failed: udp.loss, ping.rtt_avg;
//    could not run: tcp; failed services: n1/web; the run ended early) in 12.3 s, seed 42"
// With color, PASS is green and FAIL red (ANSI codes); without, none at all.
// JSON (report_json): exactly what scenarios/synnet-report.schema.json
// describes (version 4); services with all of their output; the events; the
// series column by column per link direction ("t": [...], "packets_in":
// [...], ..., "drops": {reason: [...]}); per item its iperf3 intervals and
// ping replies, their times moved onto the run's clock (+ ItemReport::start).
// The terminal report and JUnit leave the series, events and points out.
// JUnit (report_junit): <testsuites> holding one <testsuite name=scenario>
// (attributes tests, failures, errors, skipped, time; properties file, seed,
// prefix) with one <testcase> per Check, named "<item>.<figure>", classname
// "synnet.<scenario>"; a failed check has a <failure message="expected ...,
// measured ...">; a check that passed with a warning carries it in its
// <system-out>. An item that could not run (error) is one <testcase> named
// "<item>" with an <error> instead of its checks; a run error is one more
// <testcase> "run" with an <error>; a service that failed the run is a
// <testcase> "service.<host>.<name>" with a <failure> and its output in
// <system-out>. An item's time goes to its first case, so the cases add up.
// The engine counters, the timeline and the summary go in the suite's
// <system-out>. Everything is XML-escaped; characters XML 1.0 cannot carry
// (control characters, invalid UTF-8) become U+FFFD.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/engine_counters.hpp"
#include "harness/measure/expectations.hpp"
#include "harness/measure/measurement.hpp"
#include "harness/report/series.hpp"

namespace synnet {

struct ItemReport {
  std::string name;     // the traffic item's name
  std::string kind;     // "ping", "iperf3", "exec"
  std::string command;  // the argv it ran, joined with spaces (for reproducing by hand)
  double seconds = 0;   // how long it took
  double start = 0;     // when it started, on the run's clock (RunReport::events' t)
  Measurement measurement{};
  std::vector<Check> checks{};
  std::string error{};               // set when the item could not run at all (e.g. the server never listened)
  std::string output{}, errors{};    // exec: the last 4 KiB of its stdout / stderr (shown when it failed)
  std::vector<std::string> notes{};  // what happened on the way, e.g. "UDP handshake lost, retried"
  bool passed() const noexcept {
    if (!error.empty()) return false;
    for (const Check& c : checks)
      if (!c.pass) return false;
    return true;
  }
};

// A program that ran on a host for the whole run (harness/run/services.hpp).
struct ServiceReport {
  std::string host, name;
  std::string command;             // its argv, joined with spaces
  std::string ended{};             // ProcessResult::describe(): "killed by SIGTERM", "exited with status 1"
  bool stopped = false;            // ended by teardown (true), or on its own before it (false)
  double seconds = 0;              // how long it ran
  std::string output{}, errors{};  // all of its stdout / stderr
  std::string failure{};           // why it failed the run ("exited with status 1 before teardown"), or ""
  bool passed() const noexcept { return failure.empty(); }
};

// A change made to the running network: by the timeline (source ""), a
// traffic step ("step <name>") or the control API ("api"), at t seconds on the
// run's clock (LiveNetwork::now()).
struct ChangeEvent {
  double t = 0;
  std::string source, what;
  bool operator==(const ChangeEvent&) const = default;
};

// One verdict capture file (--capture; harness/run/capture_files.hpp).
struct CaptureReport {
  std::string link, direction;  // "n1-n2", "a_to_b"
  std::string path;
  std::uint64_t frames = 0;       // frames that entered the direction's chain
  std::uint64_t written = 0;      // of them in the file
  std::uint64_t not_written = 0;  // left out: the file's size limit, or a write error
  std::uint64_t bytes = 0;        // the file's size
  std::string error{};            // why writing stopped, or ""
};

struct RunReport {
  std::string scenario;  // its name
  std::string file;      // the path it was read from
  std::uint64_t seed = 0;
  std::string prefix;  // the run's name prefix ("snk3f9a")
  std::string replay;  // the command that replays the run ("synnet-test scenarios/lossy-link.json --seed 42")
  double seconds = 0;  // the whole run
  std::vector<ItemReport> items{};
  std::vector<ServiceReport> services{};  // in start order
  std::vector<std::string> timeline{};    // what was applied when, e.g. "5.00 s: a-b a_to_b {loss 100%}"
  std::vector<ChangeEvent> events{};      // the same changes, as data
  std::vector<SeriesSample> series{};     // per link direction every series_interval_ms, t on the run's clock
  int series_interval_ms = 100;
  std::uint64_t series_dropped = 0;       // samples left out at the start (the report keeps the last ones)
  std::vector<CaptureReport> captures{};  // --capture: a file per link direction
  EngineCounters counters{};              // EngineGroup::counters() at the end
  std::string error{};                    // a setup or engine failure that ended the run early
  std::size_t checks_total() const noexcept;
  std::size_t checks_failed() const noexcept;
  bool passed() const noexcept;  // no error, every item and every service passed
};

void print_report(std::ostream& out, const RunReport& report, bool color);
nlohmann::json report_json(const RunReport& report);
std::string report_junit(const RunReport& report);

}  // namespace synnet
