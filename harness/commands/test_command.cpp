// test_command.cpp — a scenario file run and reported. See test_command.hpp.
#include "harness/commands/test_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "engine/sys/text_file.hpp"
#include "harness/commands/exit_status.hpp"
#include "harness/control/api_server.hpp"
#include "harness/report/report.hpp"
#include "harness/run/runner.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

std::optional<Scenario> read_scenario_file(const std::string& file) {
  const std::optional<std::string> text = read_text(file);
  if (!text) {
    std::cerr << "synnet-test: cannot read " << file << ": " << std::strerror(errno) << "\n";
    return std::nullopt;
  }
  try {
    return parse_scenario(*text, std::filesystem::path(file).parent_path());  // its traces are read from there
  } catch (const ScenarioError& e) {
    std::cerr << "synnet-test: " << file << ": " << e.what() << "\n";
    return std::nullopt;
  }
}

int check_test_file(const std::string& file) {
  const std::optional<Scenario> scenario = read_scenario_file(file);
  if (!scenario) return exit_status::kBad;
  std::cout << file << ": valid scenario \"" << scenario->name << "\" (" << scenario->hosts.size() << " hosts, "
            << scenario->links.size() << " links, " << scenario->traffic.size() << " traffic items)\n";
  return exit_status::kOk;
}

int run_test_file(const TestOptions& o) {
  const std::optional<Scenario> scenario = read_scenario_file(o.file);
  if (!scenario) return exit_status::kBad;
  if (const auto problem = o.reports.problem()) {
    std::cerr << "synnet-test: " << *problem << "\n";
    return exit_status::kBad;
  }
  std::optional<CaptureSettings> capture;
  try {
    capture = o.capture.settings();
  } catch (const std::invalid_argument& e) {
    std::cerr << "synnet-test: " << e.what() << "\n";
    return exit_status::kBad;
  }
  RunSettings settings{.file = o.file,
                       .seed = o.seed,
                       .keep = o.keep,
                       .log = o.quiet ? nullptr : &std::cerr,
                       .live = !o.quiet && ::isatty(STDERR_FILENO) == 1,
                       .capture = capture};
  settings.serve = serve_api(o.listen, "test", o.quiet ? nullptr : &std::cerr);
  bool printed = false;
  settings.on_checked = [&](const RunReport& report) {
    print_report(std::cout, report, ::isatty(STDOUT_FILENO) == 1);
    std::cout << std::flush;
    printed = true;
  };
  RunOutcome outcome;
  int status = exit_status::kOk;
  try {
    outcome = run_scenario(*scenario, settings);
    status = outcome.signal != 0             ? exit_status::signalled(outcome.signal)
             : !outcome.report.error.empty() ? exit_status::kBad
             : outcome.report.passed()       ? exit_status::kOk
                                             : exit_status::kFailed;
  } catch (const SetupError& e) {
    std::cerr << "synnet-test: " << o.file << ": " << e.what() << "\n";
    outcome.report.scenario = scenario->name;
    outcome.report.file = o.file;
    outcome.report.error = e.what();
    status = exit_status::kBad;
  }
  if (!printed && (status != exit_status::kBad || !outcome.report.items.empty())) {
    print_report(std::cout, outcome.report, ::isatty(STDOUT_FILENO) == 1);
  }
  if (outcome.report.replay.empty() && !outcome.report.prefix.empty() && !o.command_line.empty()) {
    outcome.report.replay = replay_command(o.command_line, outcome.report.seed);
  }
  if (!o.reports.write(outcome.report, std::cerr, "synnet-test")) status = exit_status::kBad;
  return status;
}

}  // namespace synnet
