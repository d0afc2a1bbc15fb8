// run_description.hpp — what GET /v1/run says of a run that does not change
// while it lives: its scenario's name, seed, prefix and file, its hosts (their
// namespaces, interfaces and addresses) and switches, and the services' states.
//
//   RunDescription d = describe_run({.scenario = s, .file = "web.json", .seed = 42, .prefix = "snk3f9a"},
//                                   &bed, &services);      // a scenario, `up`, `run`
//   RunDescription d = describe_run({...}, nullptr, nullptr);  // `attach`: no hosts of ours
#pragma once

#include <cstdint>
#include <string>

#include "harness/control/api.hpp"
#include "harness/run/services.hpp"
#include "harness/run/testbed.hpp"

namespace synnet {

struct RunFacts {
  const Scenario& scenario;
  std::string file;
  std::uint64_t seed = 0;
  std::string prefix;
  std::string command{};  // "up", "test", "run", "attach"
};

// bed and services may be null (attach builds no testbed); both must outlive
// the description's use.
RunDescription describe_run(const RunFacts& facts, Testbed* bed, const Services* services);

}  // namespace synnet
