// run_command.hpp — `synnet-test run`: runs a command in a fresh namespace whose
// only link goes through the engine's impairments.
//
//   Scenario s = profile_scenario(flags, profile_text, "slow.json");  // throws ProfileError naming the flag
//   int status = run_wrapped(s, {.argv = {"curl", "http://198.18.0.2/"}, .peer_cmd = "python3 -m http.server 80"});
//
// The topology is a scenario's: host "self" (198.18.0.1/24) runs the command,
// host "peer" (198.18.0.2/24) runs --peer-cmd (through `sh -c`), and one link
// self <-> engine <-> peer. With far_side_is_host, the peer is this machine
// itself: its end of the link is a veth "<prefix>-h" that the run creates in
// the caller's namespace (and removes), so the command reaches servers
// listening here on 198.18.0.2 or on any address; nothing else on the machine
// changes (refused when 198.18.0.0/24 is in use here already); "up" is self -> peer (a_to_b), "down" the way
// back (b_to_a). The command's environment has SYNNET_SELF and SYNNET_PEER
// (the two addresses), both also printed on stderr.
//
// The scenario comes from profile_scenario() (scenario/profile.hpp).
//
// run_wrapped(): the command's stdin, stdout and stderr are ours, untouched.
// Its exit status is returned (128+N when signal N ended it). SIGINT/SIGTERM
// are forwarded to the command's process group first; it gets 5 s to end
// before it is killed, then everything is torn down. The peer command's
// output is captured and shown on stderr when it failed. At the end, a
// summary of what the engine did (packets each way, drops by reason) goes to
// stderr. Setup failures throw SetupError, a --host whose subnet is taken
// ProfileError (the CLI exits 125 for both: exit_status.hpp).
//
// With reports (--json, --html; their paths checked before anything is
// built, 125 when one cannot be written), a RunReport of the run: scenario
// "run", file the profile, the seed, the prefix, the command that replays it
// (the command line with --seed), one item "command" (kind exec: its argv, start and
// duration on the run's clock, its exit status checked == 0, or the signal
// that ended it), the peer command as a service of host "peer" (how it ended,
// its output), the link's series and changes (LiveNetwork::report_into), the
// engine counters at the end, and an engine failure as the run's error.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/commands/capture_options.hpp"
#include "harness/commands/report_files.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

struct WrapOptions {
  std::vector<std::string> argv;
  std::string peer_cmd{};
  bool far_side_is_host = false;  // the peer is this machine (through the run's veth "<prefix>-h"), not a namespace
  std::optional<std::uint64_t> seed{};
  std::ostream* log = nullptr;               // addresses, summary; nullptr: std::cerr
  std::string listen{};                      // the control API also on TCP (it is always on the run's socket)
  ReportFiles reports{};                     // --json, --html ("" = none)
  std::string profile{};                     // the --profile file, for the report ("" = none)
  std::vector<std::string> command_line{};   // as typed (argv), for the report's replay command
  std::optional<CaptureSettings> capture{};  // --capture: a pcapng file per direction (run/capture_files.hpp)
};

int run_wrapped(const Scenario& scenario, const WrapOptions& options);

}  // namespace synnet
