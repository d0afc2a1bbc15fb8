// ctl_command.cpp — `synnet-test ctl`: finds the run, sends its API requests,
// prints the answers. See ctl_command.hpp; the bodies and views are
// harness/control/ctl.hpp's, the HTTP client api_client.hpp's.
#include "harness/commands/ctl_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <thread>

#include "harness/commands/exit_status.hpp"
#include "harness/control/api_client.hpp"
#include "harness/control/ctl.hpp"
#include "netns/run_id.hpp"

namespace synnet {

namespace {

using ctl::CtlError;
using ctl::Json;

constexpr const char* kStartHint = "start one with: synnet-test up SCENARIO";

// Percent-encodes what is not unreserved (RFC 3986), for a link name in a path.
std::string path_segment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// A request whose answer must be 2xx, else CtlError with the API's error text.
std::string call(const ApiClient& api, std::string_view method, const std::string& path, std::string_view body = {},
                 const ctl::LinkPatch* patch = nullptr) {
  const ApiResponse r = api.request(method, path, body);
  if (r.ok()) return r.body;
  std::string text = std::string(method) + " " + path + ": " + ctl::api_error_text(r.status, r.body);
  if (patch != nullptr) {
    const Json doc = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object() && doc.contains("path") && doc["path"].is_string()) {
      if (const std::string flag = ctl::flag_at(*patch, doc["path"].get<std::string>()); !flag.empty()) {
        text += " [" + flag + "]";
      }
    }
  }
  throw CtlError(text);
}

Json parse_answer(const std::string& body, const std::string& what) {
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw CtlError(what + ": the answer is not JSON: " + body.substr(0, 200));
  return doc;
}

// The scenario name of a run, or why it could not be asked.
std::string run_name(const ApiClient& api) {
  try {
    const ApiResponse r = api.request("GET", "/v1/run");
    if (!r.ok()) return "(" + ctl::api_error_text(r.status, r.body) + ")";
    const Json run = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    return run.is_object() && run.contains("name") && run["name"].is_string() ? run["name"].get<std::string>() : "?";
  } catch (const ApiError& e) {
    return std::string("(") + e.what() + ")";
  }
}

struct Target {
  ApiClient api;
  std::string prefix;  // "" with --api
};

Target connect(const CtlOptions& o) {
  if (!o.api.empty()) {
    if (!o.run.empty()) throw CtlError("--run and --api name two different things: give one");
    return {ApiClient::tcp(o.api, o.token), ""};
  }
  if (!o.token.empty()) throw CtlError("--token goes with --api URL (a run's socket needs none)");
  if (!o.run.empty()) {
    if (!is_run_prefix(o.run)) {
      throw CtlError("--run " + o.run + ": not a run prefix (\"sn\" and 5 letters or digits, e.g. snk3f9a; " +
                     "synnet-test ctl list shows the runs)");
    }
    if (!run_is_alive(o.run)) {
      throw CtlError("run " + o.run + " is not running (synnet-test ctl list shows the runs with an API; " +
                     kStartHint + ")");
    }
    return {ApiClient(run_api_socket(o.run)), o.run};
  }
  const std::vector<std::string> runs = runs_with_api();
  if (runs.empty()) {
    throw CtlError(std::string("no run with a control API is up (none alive with ") + kRunsDir +
                   "/<prefix>/api.sock); " + kStartHint);
  }
  if (runs.size() > 1) {
    std::string list;
    for (const std::string& p : runs) list += "\n  " + p + "  " + run_name(ApiClient(run_api_socket(p)));
    throw CtlError(std::to_string(runs.size()) + " runs with an API are up; choose one with --run PREFIX:" + list);
  }
  return {ApiClient(run_api_socket(runs.front())), runs.front()};
}

int list(const CtlOptions& o, std::ostream& out) {
  if (!o.api.empty()) {
    const ApiClient api = ApiClient::tcp(o.api, o.token);
    out << o.api << "  " << run_name(api) << "\n";
    return exit_status::kOk;
  }
  const std::vector<std::string> runs = runs_with_api();
  if (runs.empty()) {
    out << "no run with a control API is up; " << kStartHint << "\n";
    return exit_status::kOk;
  }
  for (const std::string& p : runs)
    out << p << "  " << run_name(ApiClient(run_api_socket(p))) << "  " << run_api_socket(p) << "\n";
  return exit_status::kOk;
}

int set(const Target& t, const CtlOptions& o, std::ostream& out) {
  if (o.link.empty()) throw CtlError("which link? e.g. synnet-test ctl set a-b --loss 5% (ctl show lists them)");
  const std::vector<ctl::LinkPatch> patches = ctl::link_patches(o.flags);
  std::vector<std::string> done;
  for (const ctl::LinkPatch& p : patches) {
    const std::string path = "/v1/links/" + path_segment(o.link) + "/" + p.dir;
    try {
      const Json now = parse_answer(call(t.api, "PATCH", path, p.body.dump(), &p), "PATCH " + path);
      out << o.link << " " << p.dir << ": " << ctl::format_direction(now) << "\n";
      done.push_back(p.dir);
    } catch (const CtlError& e) {
      if (done.empty()) throw;
      throw CtlError(std::string(e.what()) + " (" + done.front() + " was changed already)");
    }
  }
  return exit_status::kOk;
}

void print_applied(const std::string& answer, const std::string& what, std::ostream& out) {
  const Json doc = parse_answer(answer, what);
  if (doc.is_object() && doc.contains("applied") && doc["applied"].is_array()) {
    for (const Json& a : doc["applied"])
      out << "applied: " << (a.is_string() ? a.get<std::string>() : a.dump()) << "\n";
  } else {
    out << answer << (answer.ends_with('\n') ? "" : "\n");
  }
}

int watch(const Target& t, const CtlOptions& o, std::ostream& out, bool terminal) {
  using namespace std::chrono_literals;
  const Json run = parse_answer(call(t.api, "GET", "/v1/run"), "GET /v1/run");
  const std::string name = run.is_object() && run.contains("name") ? run["name"].get<std::string>() : "?";
  std::string since;  // the last sample's t, as the API wrote it
  auto next = std::chrono::steady_clock::now();
  for (int n = 0; !o.count || n < *o.count; ++n) {
    if (n > 0) std::this_thread::sleep_until(next);
    next += 1s;
    Json series;
    try {
      series =
          parse_answer(call(t.api, "GET", "/v1/series" + (since.empty() ? "" : "?since=" + since)), "GET /v1/series");
    } catch (const ApiError& e) {
      if (n == 0) throw;
      out << std::flush;
      std::cerr << "synnet-test ctl watch: the run is gone (" << e.what() << ")\n";
      return exit_status::kOk;
    }
    const double interval_ms = series.value("interval_ms", run.value("series_interval_ms", 100.0));
    Json samples = series.is_object() && series.contains("samples") ? series["samples"] : Json::array();
    if (since.empty() && samples.is_array()) {
      // The first answer holds all that is kept: show the last second of it.
      const auto keep = static_cast<std::ptrdiff_t>(std::max(1.0, std::round(1000.0 / interval_ms)));
      if (static_cast<std::ptrdiff_t>(samples.size()) > keep) {
        samples = Json(samples.end() - keep, samples.end());
      }
    }
    if (samples.is_array() && !samples.empty() && samples.back().contains("t")) since = samples.back()["t"].dump();
    const ctl::WatchFrame frame = ctl::watch_frame(run, samples, interval_ms / 1000.0);
    char t_text[32];
    std::snprintf(t_text, sizeof t_text, "%.1f", frame.t);
    const std::string title = "synnet-test ctl watch  " + name + (t.prefix.empty() ? "" : " (" + t.prefix + ")") +
                              "  t=" + t_text + " s" + (terminal ? "  every second, Ctrl-C to stop" : "");
    if (terminal) out << "\033[H\033[J";  // home, clear to the end of the screen: redraw in place
    out << ctl::format_watch(frame, title) << (terminal ? "" : "\n") << std::flush;
  }
  return exit_status::kOk;
}

std::string read_stdin() { return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()}; }

int dispatch(const CtlOptions& o, std::ostream& out) {
  if (o.subcommand == "list") return list(o, out);
  const Target t = connect(o);
  const bool terminal = &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
  if (o.subcommand == "show" || o.subcommand == "counters") {
    const std::string path = o.subcommand == "show" ? "/v1/run" : "/v1/counters";
    const std::string body = call(t.api, "GET", path);
    if (o.json) {
      out << body << (body.ends_with('\n') ? "" : "\n");
    } else {
      const Json doc = parse_answer(body, "GET " + path);
      out << (o.subcommand == "show" ? ctl::format_run(doc) : ctl::format_counters(doc, terminal));
    }
    return exit_status::kOk;
  }
  if (o.subcommand == "set") return set(t, o, out);
  if (o.subcommand == "partition") {
    print_applied(call(t.api, "POST", "/v1/partition", ctl::partition_body(o.groups).dump()), "POST /v1/partition",
                  out);
    return exit_status::kOk;
  }
  if (o.subcommand == "heal") {
    print_applied(call(t.api, "POST", "/v1/heal", R"({"heal": true})"), "POST /v1/heal", out);
    return exit_status::kOk;
  }
  if (o.subcommand == "watch") return watch(t, o, out, terminal);
  if (o.subcommand == "raw") {
    std::string method = o.method;
    for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (o.path.empty() || o.path[0] != '/') throw CtlError("PATH " + o.path + ": must start with /, e.g. /v1/run");
    const std::string body = o.body == "-" ? read_stdin() : o.body;
    const std::string answer = call(t.api, method, o.path, body);
    out << answer << (answer.empty() || answer.ends_with('\n') ? "" : "\n");
    return exit_status::kOk;
  }
  throw CtlError("which subcommand? list, show, set, partition, heal, counters, watch or raw (--help)");
}

}  // namespace

int run_ctl(const CtlOptions& options) {
  std::ostream& out = options.out != nullptr ? *options.out : std::cout;
  const std::string who = "synnet-test ctl" + (options.subcommand.empty() ? "" : " " + options.subcommand);
  try {
    return dispatch(options, out);
  } catch (const CtlError& e) {
    out << std::flush;
    std::cerr << who << ": " << e.what() << "\n";
  } catch (const ApiError& e) {
    out << std::flush;
    std::cerr << who << ": " << e.what() << "\n";
  }
  return exit_status::kBad;
}

}  // namespace synnet
