// api_client.hpp — a small HTTP/1.1 client of a run's control API
// (harness/control/README.md), over libcurl: on the run's UNIX socket, or on
// TCP with an optional bearer token.
//
//   ApiClient api("/run/synnet/snk3f9a/api.sock");
//   ApiClient remote = ApiClient::tcp("http://10.0.0.5:7700", token);
//   ApiResponse r = api.request("PATCH", "/v1/links/a-b/a_to_b", R"({"loss": "5%"})");
//   r.status, r.body, r.ok()     // any answer, 4xx and 5xx included
//
// request() throws ApiError when no answer came: the socket is missing or
// refuses (which socket, and whether the run is up), the URL does not answer,
// or the answer took over the timeout (30 s). A body is sent as
// application/json. One request, one connection: for commands, not streams
// (GET /v1/events never ends; read it with curl -N, see CLIENTS.md).
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synnet {

class ApiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ApiResponse {
  long status = 0;
  std::string body;

  bool ok() const noexcept { return status >= 200 && status < 300; }
};

class ApiClient {
 public:
  // The run's UNIX socket, e.g. /run/synnet/<prefix>/api.sock.
  explicit ApiClient(std::string socket_path);
  // A base URL such as "http://127.0.0.1:7700"; the token, if any, goes as
  // "Authorization: Bearer <token>".
  static ApiClient tcp(std::string base_url, std::string token = "");

  ApiResponse request(std::string_view method, std::string_view path, std::string_view body = {}) const;
  // The socket path or the base URL, for messages.
  const std::string& where() const noexcept { return socket_path_.empty() ? base_url_ : socket_path_; }

  std::chrono::milliseconds timeout = std::chrono::seconds(30);

 private:
  ApiClient() = default;
  std::string socket_path_;
  std::string base_url_;
  std::string token_;
};

}  // namespace synnet
