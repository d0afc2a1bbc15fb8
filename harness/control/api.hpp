// api.hpp — Api: the control API's requests and answers (README.md's table),
// without the HTTP transport: a request in, a response out, so it is tested
// and fuzzed without sockets (http_server.hpp carries it over HTTP).
//
//   Api api(live, describe_run(scenario, bed, {...}));
//   HttpResponse r = api.handle({.method = "PUT", .path = "/v1/links/n1-s1/a_to_b", .body = R"({"loss": "5%"})"});
//   r.status;   // 200, or 400 / 404 / 405 / 413 with {"error": ..., "path": ...}
//
// Every body is read by the scenario parser (parse_direction, parse_change):
// a refused one answers 400 with the JSON Pointer and the parser's hint, and
// changes nothing. Changes go through LiveNetwork::apply: every engine has
// taken them when the answer is made. GET /v1/events answers 200 with
// `stream` set: the transport then streams LiveNetwork::events().
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/run/live_network.hpp"

namespace synnet {

struct HttpRequest {
  std::string method;   // "GET", ...
  std::string path;     // without the query: "/v1/series"
  std::string query{};  // "since=3.5" (no '?')
  std::string body{};
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body{};
  std::string allow{};  // a 405's Allow header
  bool stream = false;  // GET /v1/events: stream the run's events
};

// What GET /v1/run says that does not change while the run lives (name,
// seed, prefix, file, hosts, switches, api); the links' directions, the
// partitions and the services' states are added as they are now.
struct RunDescription {
  nlohmann::ordered_json fixed = nlohmann::ordered_json::object();
  std::function<nlohmann::ordered_json()> services{};  // [{"host", "name", "state"}]; none: []
};

class Api {
 public:
  static constexpr std::size_t kMaxBody = 1 << 20;  // 1 MiB: a larger body answers 413

  Api(LiveNetwork& live, RunDescription description);

  // Never throws for what a client sends; a bug on our side is a 500.
  HttpResponse handle(const HttpRequest& request);

  // The JSON error answer: {"error": message} (and "path" when not empty).
  static HttpResponse error(int status, const std::string& message, const std::string& path = "");

 private:
  HttpResponse route(const HttpRequest& r);
  HttpResponse run_json();
  HttpResponse link_direction(const HttpRequest& r, const std::string& link, const std::string& direction);
  HttpResponse changes(const HttpRequest& r, const std::string& kind);
  HttpResponse series(const HttpRequest& r);
  HttpResponse change_log();
  HttpResponse apply(const std::vector<NetworkChange>& changes);

  LiveNetwork& live_;
  RunDescription description_;
};

}  // namespace synnet
