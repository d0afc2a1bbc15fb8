// attach_command.hpp — `synnet-test attach`: puts the engine's impairments between an
// existing namespace's interface (a container's eth0) and the network, until
// Ctrl-C or the end of a duration, then restores the namespace exactly.
//
//   int status = run_attached({.netns = "1234", .dev = "eth0", .flags = {{"delay", "40ms"}},
//                              .profile = "slow.json", .duration_s = 30});
//
// The namespace is given as a path (/run/netns/NAME, /proc/PID/ns/net) or as
// a PID (a container's: `docker inspect -f '{{.State.Pid}}' NAME`). The
// interface moves into the run's wire namespace and a veth with its name,
// MAC, MTU, addresses and routes takes its place (see netns/attachment.hpp);
// the engine forwards between the two. "up" is the namespace -> the network
// (a_to_b in a profile), "down" the way back. Impairments come from the same
// flags and profile format as `synnet-test run` (profile_scenario). SIGUSR1
// re-reads the profile and applies it in place: queued packets and token
// buckets are kept; a profile that no longer parses is reported and the
// running impairments stay. SIGINT, SIGTERM, SIGHUP (a closed terminal) or
// the duration end the run;
// a kill -9 leaves a state file from which `synnet-test --cleanup` restores.
//
// Progress and the engine's summary go to the log (stderr). The line
// "synnet-test attach: attached ..." says the impairments are in place.
// With reports (--json, --html; their paths checked before anything changes,
// exit 2 when one cannot be written), a RunReport of the run, written after
// the restore: scenario "attach", file the profile, the seed, the prefix, the
// command that replays it (the command line with --seed), no items, the
// link's series and changes (SIGUSR1's re-reads are changes by "SIGUSR1"),
// the engine counters at the end, and an engine or restore failure as its error.
//
// Returns the exit status (exit_status.hpp): 0 after a clean restore; 1 the
// engine failed or the restore did (the message says what to do); 2 a report
// could not be written. Bad flags
// or profile throw ProfileError, a setup failure SetupError (nothing changed:
// everything done was undone).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/commands/capture_options.hpp"
#include "harness/commands/report_files.hpp"

namespace synnet {

struct AttachOptions {
  std::string netns;                           // a path, or a PID
  std::string dev;                             // the interface in that namespace
  std::map<std::string, std::string> flags{};  // as for profile_scenario ("loss", "up-delay", ...)
  std::string profile{};                       // a file path, or ""
  std::optional<double> duration_s{};          // none: until a signal
  std::optional<std::uint64_t> seed{};
  std::ostream* log = nullptr;              // nullptr: std::cerr
  std::string listen{};                     // the control API also on TCP (it is always on the run's socket)
  ReportFiles reports{};                    // --json, --html ("" = none)
  std::vector<std::string> command_line{};  // as typed (argv), for the report's replay command
  CaptureOptions capture{};                 // --capture, --capture-limit, --capture-snaplen
};

int run_attached(const AttachOptions& options);

// "1234" -> "/proc/1234/ns/net"; anything else is returned as given.
std::string netns_path_of(const std::string& netns_or_pid);

}  // namespace synnet
