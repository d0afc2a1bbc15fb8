// exit_status.hpp — what synnet-test exits with: one policy for all its commands.
//
//   0      success: every expectation held (a scenario), the namespace restored (attach)
//   1      what was tested failed: an expectation (a scenario); the engine or the restore (attach)
//   2      synnet-test could not do its job: bad arguments, a bad scenario or profile, a setup
//          failure (SetupError: nothing is left behind)
//   128+N  a scenario interrupted by signal N (everything torn down)
//
// `synnet-test run` exits with its command's status, so its own failures step
// out of the command's way, as env(1) and timeout(1) do: 125 instead of 2, and
// 127 when the command could not be started.
#pragma once

namespace synnet::exit_status {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBad = 2;
constexpr int kRunBad = 125;
constexpr int kRunNotStarted = 127;
constexpr int signalled(int sig) { return 128 + sig; }

}  // namespace synnet::exit_status
