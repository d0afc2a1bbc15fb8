// report_files.hpp — the report files a command writes (--json, --junit,
// --html): checked before the run, so a typo in a path does not cost a whole
// run, and written after it; and the command line that replays a run.
//
//   ReportFiles files{.json = "r.json", .html = "r.html"};
//   if (auto e = files.problem()) { std::cerr << "synnet-test: " << *e << "\n"; return exit_status::kBad; }
//   ... the run ...
//   if (!files.write(report, std::cerr, "synnet-test")) status = exit_status::kBad;
//
//   replay_command({"synnet-test", "x.json", "--json", "r.json", "--seed", "7"}, 42)
//     == "synnet-test x.json --seed 42"
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/report.hpp"

namespace synnet {

struct ReportFiles {
  std::string json{};   // report_json, "" = none
  std::string junit{};  // report_junit, "" = none
  std::string html{};   // report_html(report_json), "" = none

  // Why a file could not be written there ("--html out/r.html: the folder
  // out does not exist; create it or pick another path"; several joined by
  // "; "), or nullopt when each can be: its folder exists and is writable,
  // and the file, when it exists, is a writable file. Creates nothing.
  std::optional<std::string> problem() const;

  // Writes each file; on failure says which and why on `err` ("<who>: cannot
  // write --json r.json: ...") and goes on with the others. False when one failed.
  bool write(const RunReport& report, std::ostream& err, const std::string& who) const;
};

// The command line that replays a run: `args` as typed (args[0] the program),
// with synnet-test for the program, without --seed, --json, --junit, --html
// and --listen (and their values) before a "--", and with "--seed <seed>"
// before the "--" (or at the end); each argument quoted for a POSIX shell
// when it needs it.
std::string replay_command(const std::vector<std::string>& args, std::uint64_t seed);

}  // namespace synnet
