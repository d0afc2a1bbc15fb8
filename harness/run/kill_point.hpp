// kill_point.hpp — kill_point(phase): for the tests that kill synnet-test with
// SIGKILL at every phase of a run. When the environment variable
// SYNNET_KILL_AT names `phase`, the process SIGKILLs itself there, exactly as
// a `kill -9` from outside would at that moment; otherwise it does nothing.
//
//   kill_point("veths");   // SYNNET_KILL_AT=veths synnet-test scenario.json: dies with its veths made
//
// The phases, in a run's order (scenario, `run`, `up`; `attach` has the ones it passes):
//   namespaces  the hosts' and the wire's namespaces exist, no veth yet
//   veths       the veths (attach: the attached interface's swap) are made
//   engines     the engines forward
//   services    the hosts' services run
//   traffic     the traffic (or run's command, attach's impairments) is under way
//   teardown    the engines have stopped, the network is being taken down
// Nothing else reads SYNNET_KILL_AT; a user never needs it.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace synnet {

inline void kill_point(std::string_view phase) noexcept {
  static const char* const at = std::getenv("SYNNET_KILL_AT");
  if (at != nullptr && phase == at) ::kill(::getpid(), SIGKILL);
}

}  // namespace synnet
