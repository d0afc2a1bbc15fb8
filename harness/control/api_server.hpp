// api_server.hpp — ApiServer: the control API (api.hpp) over HTTP/1.1, on the
// run's UNIX socket and, when asked, on TCP; built on libmicrohttpd.
//
//   ApiServer server(live, describe_run(...), {.prefix = run.prefix(), .listen = "127.0.0.1:8080"});
//   server.socket_path();   // "/run/synnet/snk3f9a/api.sock" (mode 0600 in a 0700 directory: root only)
//   server.url();           // "http://127.0.0.1:8080/" ("" without --listen; port 0 picks a free one)
//   server.token();         // "" on loopback; else the bearer token every TCP request must carry (401 without)
//   // ~ApiServer: open event streams end, the daemons stop, the socket and its directory go
//
// Why libmicrohttpd (harness/README.md says more): Debian's cpp-httplib
// cannot listen on a UNIX socket; libmicrohttpd takes a socket we bound
// ourselves (MHD_OPTION_LISTEN_SOCKET), AF_UNIX included, is plain C with no
// build cost, and its thread per connection lets an event stream block on
// its subscription while other requests go on.
// Bodies over Api::kMaxBody are refused with 413 as soon as their
// Content-Length says so, without reading them.
#pragma once

#include <atomic>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "harness/control/api.hpp"
#include "harness/run/runner.hpp"

struct MHD_Daemon;

namespace synnet {

struct ApiServerOptions {
  std::string prefix;          // the run: its socket is run_api_socket(prefix)
  std::string listen{};        // "ADDR:PORT" ("[::1]:PORT" for IPv6); "": no TCP
  bool require_token = false;  // the token on TCP also on a loopback address
};

class ApiServer {
 public:
  // Throws SetupError-worthy std::runtime_error (the socket cannot be made,
  // --listen is not an address) with what to do.
  ApiServer(LiveNetwork& live, RunDescription description, const ApiServerOptions& options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  const std::string& socket_path() const noexcept { return socket_path_; }
  const std::string& url() const noexcept { return url_; }
  const std::string& token() const noexcept { return token_; }
  Api& api() noexcept { return *api_; }
  LiveNetwork& live() noexcept { return live_; }
  const std::atomic<bool>& stopping() const noexcept { return stopping_; }

  // How to reach it, for the banner of `up`, `run`, `attach` and --keep:
  // "API: curl --unix-socket ... http://synnet/v1/run" and the page's URL.
  std::string describe() const;

  struct Endpoint;  // one listener: its daemon and whether it needs the token

 private:
  LiveNetwork& live_;
  std::unique_ptr<Api> api_;
  std::string socket_path_, url_, token_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<Endpoint> unix_, tcp_;
};

// RunSettings::serve for a scenario run (`synnet-test SCENARIO`, `up`): the
// API on the run's socket (and on `listen`), how to reach it printed to `log`,
// SYNNET_API=<socket> in every exec item's environment.
std::function<std::shared_ptr<void>(const LiveRun&, std::vector<std::string>&)> serve_api(const std::string& listen,
                                                                                          const std::string& command,
                                                                                          std::ostream* log);

// "ADDR:PORT" into its parts; throws std::invalid_argument saying what is wrong.
struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1"
  int port = 0;
  bool loopback = false;
};
ListenAddress parse_listen(const std::string& text);

}  // namespace synnet
