// wrap.hpp — `synnet-test run`: runs a command in a fresh namespace whose
// only link goes through the engine's impairments.
//
//   Scenario s = wrap_scenario(flags, profile_text, "slow.json");  // throws WrapError naming the flag
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
// wrap_scenario() builds that scenario from impairment flags and an optional
// profile: a JSON object in the scenario format's link section (a_to_b /
// b_to_a / io / mtu, see scenarios/README.md). Flags set both directions
// ("loss" -> a_to_b.loss and b_to_a.loss) or one ("up-loss", "down-loss"),
// overriding the profile; the one-way flags win over the two-way ones. The
// result goes through the scenario parser, so every value is checked as in a
// scenario file; errors name the flag ("--up-rate: ...") or the profile path.
//
// run_wrapped(): the command's stdin, stdout and stderr are ours, untouched.
// Its exit status is returned (128+N when signal N ended it). SIGINT/SIGTERM
// are forwarded to the command's process group first; it gets 5 s to end
// before it is killed, then everything is torn down. The peer command's
// output is captured and shown on stderr when it failed. At the end, a
// summary of what the engine did (packets each way, drops by reason) goes to
// stderr. Setup failures throw SetupError (the CLI exits 125 then).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/scenario.hpp"

namespace synnet {

class WrapError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Flags by name without dashes ("loss", "up-delay", ...), values as typed.
Scenario wrap_scenario(const std::map<std::string, std::string>& flags, const std::string& profile_text = "",
                       const std::string& profile_name = "");
// The impairment keys a flag may name (loss, delay, jitter, rate, duplicate, corrupt, mtu).
const std::vector<std::string>& wrap_flag_keys();

struct WrapOptions {
  std::vector<std::string> argv;
  std::string peer_cmd{};
  bool far_side_is_host = false;  // the peer is this machine (through the run's veth "<prefix>-h"), not a namespace
  std::optional<std::uint64_t> seed{};
  std::ostream* log = nullptr;  // addresses, summary; nullptr: std::cerr
};

int run_wrapped(const Scenario& scenario, const WrapOptions& options);

// What the engine did on link `link_prefix` (as built by add_engine_link), for
// stderr: "up 3 packets in, 0 out (loss.dropped_loss 3); down 0 packets in, 0 out".
std::string engine_summary(const std::map<std::string, std::uint64_t>& counters, const std::string& link_prefix);

}  // namespace synnet
