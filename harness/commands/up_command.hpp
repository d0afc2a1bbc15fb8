// up_command.hpp — `synnet-test up SCENARIO`: a scenario's network, engines
// and services, up until Ctrl-C, SIGTERM or `synnet-test down`, steered
// through the control API (harness/control/README.md); and `synnet-test down`.
//
//   int status = run_up({.file = "scenarios/cluster-partition.json", .listen = "127.0.0.1:8080"});
//   int status = run_down("snk3f9a");    // "" : the only run that is up
//
// `up` runs no traffic and no timeline (it says so when the file has some):
// the test code that drives it decides what happens and when. It prints the
// run's prefix, how to enter each host and how to reach the API, then waits.
// Exit statuses are exit_status.hpp's: 0 torn down on request, 2 a bad file
// or a setup failure.
// `down` sends SIGTERM to the run's process and waits until it is gone
// (at most `timeout`): 0 once it is, 2 when no such run is up.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace synnet {

struct UpOptions {
  std::string file;
  std::optional<std::uint64_t> seed{};
  std::string listen{};  // the API also on TCP
  bool quiet = false;
};

int run_up(const UpOptions& options);
int run_down(const std::string& prefix, std::chrono::seconds timeout = std::chrono::seconds(30));

}  // namespace synnet
