// ctl_command.hpp — `synnet-test ctl`: talks to a running network's control
// API (harness/control/README.md): shows it, changes a link's impairments,
// cuts and heals partitions, shows counters, watches rates live.
//
//   CtlOptions o{.subcommand = "set", .link = "a-b", .flags = {{"up-loss", "100%"}}};
//   int status = run_ctl(o);      // 0 done; 2 the API refused (its error), or no run/API to talk to
//
// Which run: --run PREFIX; else --api URL (TCP, with --token); else the only
// run that is alive (netns/run_id.hpp) and has /run/synnet/<prefix>/api.sock.
// None, or several, is an error that says what to do. Subcommands:
//   list                 the runs with an API: prefix, scenario name, socket
//   show [--json]        GET /v1/run, readably (ctl.hpp's format_run)
//   set LINK FLAGS       PATCH /v1/links/LINK/<dir>, one merge patch per direction (ctl.hpp's link_patches)
//   partition G1 G2...   POST /v1/partition, groups as comma lists
//   heal                 POST /v1/heal
//   counters [--json]    GET /v1/counters as tables
//   watch [--count N]    GET /v1/series every second: rates per link direction, in place on a terminal
//   raw METHOD PATH [BODY]   any request; prints the answer's body ("-" as BODY: read stdin)
// A 4xx/5xx answer prints the API's error (and its path) on stderr and
// returns 2 (exit_status.hpp), as does a connection failure.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace synnet {

struct CtlOptions {
  std::string run{};    // a run prefix, or "": discover
  std::string api{};    // a TCP base URL instead of a run's socket, e.g. http://127.0.0.1:7700
  std::string token{};  // the bearer token for --api
  std::string subcommand{};
  bool json = false;                           // show, counters: the API's JSON as it is
  std::string link{};                          // set
  std::map<std::string, std::string> flags{};  // set: "loss", "up-delay", ... as add_impairment_flags collects them
  std::vector<std::string> groups{};           // partition: "n1,n2", "n3"
  std::optional<int> count{};                  // watch: stop after this many refreshes
  std::string method{}, path{}, body{};        // raw
  std::ostream* out = nullptr;                 // nullptr: std::cout (errors go to std::cerr)
};

int run_ctl(const CtlOptions& options);

}  // namespace synnet
