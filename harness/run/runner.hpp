// runner.hpp — runs a validated scenario for real: builds its testbed,
// starts the engine on its own thread, runs the traffic while applying the
// timeline, checks the expectations and tears everything down again.
//
//   RunOutcome o = run_scenario(scenario, {.file = "lossy-link.json", .log = &std::cerr, .live = isatty(2)});
//   o.report.passed();   // every expectation held
//   o.signal;            // SIGINT / SIGTERM when the run was interrupted (0 otherwise)
//
// Throws SetupError when the network or the engine cannot be set up (not
// root, a name taken, an interface refused ...); nothing is left behind then.
// Once running, failures are in the report: an item that could not run has
// its error, an engine that failed ends the run with report.error.
//
// Signals: SIGINT and SIGTERM are blocked in the calling thread (and so in
// every thread it starts) for the duration of the run and taken with
// sigtimedwait: the running processes are terminated, the engine stops and
// the testbed goes, then run_scenario returns with `signal` set. A SIGKILLed
// run leaves its namespaces behind: `synnet-test --cleanup` removes them.
//
// Timeline times count from the moment the first traffic item starts.
//
// The report holds the whole run on one clock (LiveNetwork::now(): 0 when the
// running network was set up, just before the first traffic item): each
// item's start, every change made (events), and the series, per link
// direction every 100 ms, of which it keeps the last kRunSeriesCapacity
// samples (an hour; series_dropped counts the rest). replay is the command
// that replays the run: "synnet-test <file as given> --seed <seed>".
// Progress goes to `log`: with `live`, one line rewritten in place, within
// the terminal's width (report/progress.hpp), with each scenario link's rate
// and loss over the last second
// ("[2/5] udp (iperf3) 3.2 s of ~5 s | n1-n2 → 9.5 Mbit/s 1.2% lost ← 96 kbit/s");
// otherwise a line as each item starts and ends.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/report/report.hpp"
#include "harness/run/capture_files.hpp"
#include "harness/run/live_network.hpp"
#include "harness/run/services.hpp"
#include "harness/run/session.hpp"
#include "harness/run/testbed.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

// A scenario's run while it is up: what RunSettings::serve gets.
struct LiveRun {
  LiveNetwork& live;
  Testbed& bed;
  Services& services;
  const RunReport& report;  // scenario, file, seed, prefix
};

struct RunSettings {
  std::string file{};                        // where the scenario came from (for the report)
  std::optional<std::uint64_t> seed{};       // overrides the scenario's seed
  bool keep = false;                         // after the checks, keep the network and engine up until Ctrl-C
  std::ostream* log = nullptr;               // progress and notices; nullptr: silent
  bool live = false;                         // `log` is a terminal
  std::optional<CaptureSettings> capture{};  // --capture: a verdict capture per link direction (capture_files.hpp)
  // With `keep`: called with the report once the checks are done, before the
  // run waits for Ctrl-C (so the report is seen while the network is up).
  std::function<void(const RunReport&)> on_checked{};
  // Called once the network, the engines and the services are up, before the
  // first traffic item: what it returns (the control API's server, say)
  // lives until the teardown starts; the "NAME=value" entries it adds to
  // `env` go into every exec item's environment.
  std::function<std::shared_ptr<void>(const LiveRun&, std::vector<std::string>& env)> serve{};
};

// An hour of series at 100 ms. A sample holds about 560 bytes per scenario
// link (both directions, a drop reason; measured with mallinfo2), so an hour
// of a two-link scenario takes about 43 MB, of a ten-link one 200 MB; the
// series grows as the run lasts, and only a run that long holds that much.
inline constexpr std::size_t kRunSeriesCapacity = 36000;

// "synnet-test <file> --seed <seed>", the file in single quotes when a shell
// would read it otherwise; "" when there is no file.
std::string replay_command(const std::string& file, std::uint64_t seed);

struct RunOutcome {
  RunReport report{};
  int signal = 0;
};

RunOutcome run_scenario(const Scenario& scenario, const RunSettings& settings);

}  // namespace synnet
