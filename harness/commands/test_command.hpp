// test_command.hpp — `synnet-test SCENARIO.json`: validates a scenario file,
// runs it (run/runner.hpp), prints the report and writes the report files.
//
//   int status = run_test_file({.file = "scenarios/lossy-link.json", .reports = {.json = "r.json", .html = "r.html"}});
//   int status = check_test_file("my.json");   // --check: validate only (no root)
//
// Returns the exit status (exit_status.hpp): 0 every expectation held, 1 some
// did not, 2 a bad file, a setup failure or a report that could not be
// written (a report file's path is checked before the run: report_files.hpp),
// 128+N interrupted by signal N. Errors go to stderr, the report to
// stdout (in colour on a terminal), progress to stderr unless quiet.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/commands/capture_options.hpp"
#include "harness/commands/report_files.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

struct TestOptions {
  std::string file;
  ReportFiles reports{};                    // --json, --junit, --html
  std::vector<std::string> command_line{};  // as typed (argv), for the report's replay command
  std::optional<std::uint64_t> seed{};
  bool keep = false;         // keep the network up after the checks, until Ctrl-C
  bool quiet = false;        // no progress lines
  std::string listen{};      // the control API also on TCP ("ADDR:PORT"); it is always on the run's socket
  CaptureOptions capture{};  // --capture, --capture-limit, --capture-snaplen
};

int run_test_file(const TestOptions& options);
int check_test_file(const std::string& file);
// The file read and parsed; errors printed to stderr ("synnet-test: FILE: ..."), then none.
std::optional<Scenario> read_scenario_file(const std::string& file);

}  // namespace synnet
