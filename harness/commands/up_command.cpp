// up_command.cpp — `synnet-test up` and `synnet-test down`. See up_command.hpp.
#include "harness/commands/up_command.hpp"

#include <signal.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "harness/commands/exit_status.hpp"
#include "harness/commands/test_command.hpp"
#include "harness/control/api_server.hpp"
#include "harness/run/runner.hpp"
#include "netns/run_id.hpp"

namespace synnet {

int run_up(const UpOptions& o) {
  std::optional<Scenario> scenario = read_scenario_file(o.file);
  if (!scenario) return exit_status::kBad;
  std::ostream& log = std::cerr;
  if (!scenario->traffic.empty() || !scenario->timeline.empty()) {
    log << "synnet-test up: " << o.file << ": its " << scenario->traffic.size() << " traffic items and "
        << scenario->timeline.size()
        << " timeline events do not run under `up` (run the file with synnet-test to run them)\n";
    scenario->traffic.clear();
    scenario->timeline.clear();
  }
  RunSettings settings{.file = o.file, .seed = o.seed, .keep = true, .log = &log};
  settings.serve = serve_api(o.listen, "up", &log);
  try {
    const RunOutcome outcome = run_scenario(*scenario, settings);
    if (!outcome.report.error.empty()) {
      log << "synnet-test up: " << outcome.report.error << "\n";
      return exit_status::kBad;
    }
    log << "synnet-test up: " << outcome.report.prefix << " torn down\n";
    return exit_status::kOk;
  } catch (const SetupError& e) {
    log << "synnet-test up: " << o.file << ": " << e.what() << "\n";
    return exit_status::kBad;
  }
}

int run_down(const std::string& wanted, std::chrono::seconds timeout) {
  std::string prefix = wanted;
  if (prefix.empty()) {
    const std::vector<std::string> runs = runs_with_api();
    if (runs.size() != 1) {
      std::cerr << "synnet-test down: "
                << (runs.empty() ? "no run is up (start one with: synnet-test up SCENARIO)"
                                 : "several runs are up; name one: synnet-test down PREFIX (up: ")
                << (runs.empty() ? "" : runs.front());
      for (std::size_t i = 1; i < runs.size(); ++i) std::cerr << ", " << runs[i];
      std::cerr << (runs.empty() ? "" : ")") << "\n";
      return exit_status::kBad;
    }
    prefix = runs.front();
  }
  if (!is_run_prefix(prefix)) {
    std::cerr << "synnet-test down: \"" << prefix
              << "\" is not a run prefix (like sn3k9fa; see synnet-test ctl list)\n";
    return exit_status::kBad;
  }
  const int pid = run_pid(prefix);
  if (pid == 0) {
    std::cerr << "synnet-test down: run " << prefix << " is not up\n";
    return exit_status::kBad;
  }
  if (::kill(pid, SIGTERM) != 0) {
    std::cerr << "synnet-test down: cannot signal run " << prefix << " (pid " << pid << ")\n";
    return exit_status::kBad;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (run_is_alive(prefix)) {
    if (std::chrono::steady_clock::now() > deadline) {
      std::cerr << "synnet-test down: run " << prefix << " (pid " << pid << ") is still up after " << timeout.count()
                << " s\n";
      return exit_status::kBad;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::cerr << "synnet-test down: " << prefix << " is down\n";
  return exit_status::kOk;
}

}  // namespace synnet
