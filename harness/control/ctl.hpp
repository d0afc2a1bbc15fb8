// ctl.hpp — the pure parts of `synnet-test ctl`: its arguments turned into
// request bodies of the control API (harness/control/README.md), and the
// API's answers turned into what a person reads. No I/O: ctl_command.cpp
// sends and prints.
//
//   link_patches({{"loss", "5%"}, {"up-delay", "none"}})
//       -> [{a_to_b, {"loss": "5%", "delay": null}}, {b_to_a, {"loss": "5%"}}]  // PATCH /v1/links/L/<dir>
//   partition_body({"n1,n2", "n3"})       -> {"partition": [["n1", "n2"], ["n3"]]}
//   api_error_text(404, R"({"error": "no link \"x\""})")   -> "404 Not Found: no link \"x\""
//   format_run(run), format_counters(counters, color)       // GET /v1/run, GET /v1/counters
//   WatchFrame f = watch_frame(run, samples, 0.1);  format_watch(f)   // GET /v1/series
//
// Flags are those of `synnet-test run` (profile.hpp's profile_flag_keys):
// "X" sets both directions, "up-X" a_to_b and "down-X" b_to_a, the one-way
// flag winning; the value "none" or "off" removes the key (null in the merge
// patch). Bad arguments throw CtlError, whose text names the flag.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace synnet::ctl {

using Json = nlohmann::ordered_json;

class CtlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- Requests -------------------------------------------------------------

// One direction's merge patch, and which flag set each of its keys (to name
// the flag when the API refuses a value at "/<key>").
struct LinkPatch {
  std::string dir;  // "a_to_b" or "b_to_a"
  Json body = Json::object();
  std::map<std::string, std::string> flag_of_key{};  // "loss" -> "up-loss"
};

// Flags by name without dashes, as add_impairment_flags collects them. Only
// directions with something to change get a patch, a_to_b first. Throws
// CtlError when no flag is given, a flag is unknown or an mtu is not a number.
std::vector<LinkPatch> link_patches(const std::map<std::string, std::string>& flags);
// "--up-loss" when `pointer` ("/loss", "/loss/x") is a key that flag set, else "".
std::string flag_at(const LinkPatch& patch, std::string_view pointer);

// Groups as comma lists ("n1,n2", "n3"): at least two, no empty name, no name twice.
Json partition_body(const std::vector<std::string>& groups);

// An answer's status and body as one line: "404 Not Found: <error> (at <path>)";
// a body that is not the API's error object is shown as it is (trimmed).
std::string api_error_text(long status, std::string_view body);

// ---- Views ----------------------------------------------------------------

// GET /v1/run, readably: the run, hosts and addresses, links with each
// direction's impairments, switches, partitions in force, services.
std::string format_run(const Json& run);
// A direction object as "loss 5%, delay 40ms"; "-" when nothing is impaired.
std::string format_direction(const Json& direction);
// GET /v1/counters as tables: the apps' counters (app, counter, kind, value),
// then their drops (by reason, those that dropped something first; in bold red
// with `color`), then the links'.
std::string format_counters(const Json& counters, bool color);

// What crossed one link direction during a frame, per second.
struct WatchRow {
  std::string link;
  std::string dir;     // "a_to_b"
  std::string ends;    // "a -> b"
  double in_bps = 0;   // bits per second into the chain
  double out_bps = 0;  // bits per second out of it, towards the far end
  double in_pps = 0;
  double out_pps = 0;
  std::map<std::string, double> drops_per_s{};  // by reason, only reasons that occurred
  std::int64_t queue = 0;                       // packets held at the frame's last sample
};

struct WatchFrame {
  double t = 0;             // the last sample's t (seconds since the run started)
  double span_s = 0;        // what the samples cover: their number times the interval
  std::size_t samples = 0;  // 0: nothing new (rows are then all zero)
  std::vector<WatchRow> rows;
};

// Samples (the "samples" of GET /v1/series) reduced to rates. Rows follow
// the run's links (GET /v1/run), a_to_b then b_to_a; a link the run does not
// list but the samples do comes after them. `interval_s`: series_interval_ms / 1000.
WatchFrame watch_frame(const Json& run, const Json& samples, double interval_s);
// The frame as a table: link, direction, Mbit/s in and out, packets/s out,
// queue, drops per second by reason. `title` is its first line.
std::string format_watch(const WatchFrame& frame, std::string_view title);

}  // namespace synnet::ctl
