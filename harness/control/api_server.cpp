// api_server.cpp — the control API over libmicrohttpd. See api_server.hpp.
#include "harness/control/api_server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ostream>
#include <stdexcept>

#include "engine/sys/fd.hpp"
#include "engine/sys/system_error.hpp"
#include "harness/control/run_description.hpp"
#include "netns/run_id.hpp"

namespace synnet {

struct ApiServer::Endpoint {
  ApiServer* server = nullptr;
  bool need_token = false;
  MHD_Daemon* daemon = nullptr;
  ~Endpoint() {
    if (daemon) MHD_stop_daemon(daemon);
  }
};

namespace {

using namespace std::chrono_literals;

// One request as it arrives (MHD calls the handler several times per request).
struct Pending {
  std::string body;
  bool too_large = false;
};

// An open event stream: what is left of the event being sent, and the subscription.
struct Stream {
  std::unique_ptr<EventHub::Subscription> sub;
  const std::atomic<bool>* stopping = nullptr;
  std::string left;
};

ssize_t read_stream(void* cls, std::uint64_t /*pos*/, char* buf, std::size_t max) {
  auto* s = static_cast<Stream*>(cls);
  while (s->left.empty()) {
    if (s->stopping->load()) return MHD_CONTENT_READER_END_OF_STREAM;
    if (std::optional<std::string> e = s->sub->next(1000ms)) {
      s->left = std::move(*e);
    } else if (s->sub->closed()) {
      return MHD_CONTENT_READER_END_OF_STREAM;
    } else {
      s->left = ": keep-alive\n\n";  // a comment: the client sees the stream is alive
    }
  }
  const std::size_t n = std::min(max, s->left.size());
  s->left.copy(buf, n);  // a byte stream: no terminating NUL
  s->left.erase(0, n);
  return static_cast<ssize_t>(n);
}

void free_stream(void* cls) { delete static_cast<Stream*>(cls); }

MHD_Result send(MHD_Connection* c, const HttpResponse& r) {
  MHD_Response* response =
      MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
  MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (!r.allow.empty()) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, r.allow.c_str());
  if (r.status == 401) MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  const MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return ok;
}

MHD_Result add_query(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* q = static_cast<std::string*>(cls);
  if (!q->empty()) *q += '&';
  *q += key;
  if (value != nullptr) *q += std::string("=") + value;
  return MHD_YES;
}

// Compares without an early exit, so timing says nothing of the token.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string random_token() {
  unsigned char bytes[16];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    throw SystemError(errno, "getrandom for the API token");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

void make_private_dir(const std::string& path) {
  if (::mkdir(kRunsDir, 0755) != 0 && errno != EEXIST) throw SystemError(errno, "creating " + std::string(kRunsDir));
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) throw SystemError(errno, "creating " + path);
  if (::chmod(path.c_str(), 0700) != 0) throw SystemError(errno, "chmod 0700 " + path);
}

Fd unix_listener(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("the API socket path is too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw SystemError(errno, "socket(AF_UNIX) for the API");
  ::unlink(path.c_str());  // a dead run's socket of the same name
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    throw SystemError(errno, "binding the API socket " + path);
  }
  if (::chmod(path.c_str(), 0600) != 0) throw SystemError(errno, "chmod 0600 " + path);
  if (::listen(fd.get(), 128) != 0) throw SystemError(errno, "listen on " + path);
  return fd;
}

Fd tcp_listener(const ListenAddress& a, int& port) {
  sockaddr_storage addr{};
  socklen_t len = 0;
  const bool v6 = a.host.find(':') != std::string::npos;
  if (v6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<std::uint16_t>(a.port));
    ::inet_pton(AF_INET6, a.host.c_str(), &in6->sin6_addr);
    len = sizeof *in6;
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&addr);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<std::uint16_t>(a.port));
    ::inet_pton(AF_INET, a.host.c_str(), &in4->sin_addr);
    len = sizeof *in4;
  }
  Fd fd(::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw SystemError(errno, "socket for --listen");
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
    throw SystemError(errno, "--listen " + a.host + ":" + std::to_string(a.port) + ": bind");
  }
  if (::listen(fd.get(), 128) != 0) throw SystemError(errno, "--listen: listen");
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof bound;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &bound_len);
  port =
      ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return fd;
}

}  // namespace

// The request handler MHD calls (see MHD_AccessHandlerCallback).
static MHD_Result handle_request(void* cls, MHD_Connection* c, const char* url, const char* method,
                                 const char* /*version*/, const char* upload, std::size_t* upload_size, void** state) {
  auto* endpoint = static_cast<ApiServer::Endpoint*>(cls);
  auto* pending = static_cast<Pending*>(*state);
  if (pending == nullptr) {  // the headers are in; the body (if any) follows
    *state = pending = new Pending;
    const char* length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    std::uint64_t n = 0;
    if (length != nullptr) {
      const char* end = length + std::strlen(length);
      if (std::from_chars(length, end, n).ec != std::errc() || n > Api::kMaxBody) pending->too_large = true;
    }
    if (pending->too_large) {
      return send(c, Api::error(413, "the body is over " + std::to_string(Api::kMaxBody) + " bytes (" +
                                         (length ? length : "?") + "); a change body is a few hundred"));
    }
    return MHD_YES;
  }
  if (*upload_size != 0) {
    if (pending->body.size() + *upload_size > Api::kMaxBody) {
      pending->too_large = true;  // chunked: no Content-Length said so
    } else {
      pending->body.append(upload, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (pending->too_large) {
    return send(c, Api::error(413, "the body is over " + std::to_string(Api::kMaxBody) + " bytes"));
  }
  if (endpoint->need_token) {
    const char* auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const std::string_view given = auth ? auth : "";
    constexpr std::string_view kBearer = "Bearer ";
    if (!given.starts_with(kBearer) || !same_secret(given.substr(kBearer.size()), endpoint->server->token())) {
      return send(c, Api::error(401,
                                "this API needs \"Authorization: Bearer <token>\" (the token synnet-test "
                                "printed when the run started)"));
    }
  }
  HttpRequest request{.method = method, .path = url, .body = std::move(pending->body)};
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, &request.query);
  HttpResponse response = endpoint->server->api().handle(request);
  if (!response.stream) return send(c, response);

  auto* stream = new Stream{
      .sub = endpoint->server->live().events().subscribe(), .stopping = &endpoint->server->stopping(), .left = {}};
  MHD_Response* r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, read_stream, stream, free_stream);
  if (r == nullptr) {
    delete stream;
    return MHD_NO;
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  const MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  return ok;
}

static void request_done(void* /*cls*/, MHD_Connection* /*c*/, void** state, MHD_RequestTerminationCode /*code*/) {
  delete static_cast<Pending*>(*state);
  *state = nullptr;
}

ListenAddress parse_listen(const std::string& text) {
  const std::string example = " (e.g. 127.0.0.1:8080, [::1]:8080, or port 0 for a free one)";
  ListenAddress a;
  std::string port;
  if (text.starts_with("[")) {
    const std::size_t close = text.find("]:");
    if (close == std::string::npos) throw std::invalid_argument("\"" + text + "\" is not ADDR:PORT" + example);
    a.host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) {
      throw std::invalid_argument("\"" + text + "\" is not ADDR:PORT" + example);
    }
    a.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  const bool v6 = a.host.find(':') != std::string::npos;
  unsigned char buf[sizeof(in6_addr)];
  if (::inet_pton(v6 ? AF_INET6 : AF_INET, a.host.c_str(), buf) != 1) {
    throw std::invalid_argument("\"" + a.host + "\" is not an IP address" + example);
  }
  const char* end = port.data() + port.size();
  const auto [ptr, ec] = std::from_chars(port.data(), end, a.port);
  if (port.empty() || ec != std::errc() || ptr != end || a.port < 0 || a.port > 65535) {
    throw std::invalid_argument("\"" + port + "\" is not a port (0 to 65535)" + example);
  }
  a.loopback = v6 ? a.host == "::1" : a.host.starts_with("127.");
  return a;
}

ApiServer::ApiServer(LiveNetwork& live, RunDescription description, const ApiServerOptions& options)
    : live_(live), socket_path_(run_api_socket(options.prefix)) {
  std::optional<ListenAddress> tcp;
  if (!options.listen.empty()) tcp = parse_listen(options.listen);
  if (tcp && (!tcp->loopback || options.require_token)) token_ = random_token();

  Fd tcp_fd;  // first: a refused address leaves nothing behind
  int port = 0;
  if (tcp) {
    tcp_fd = tcp_listener(*tcp, port);
    const bool v6 = tcp->host.find(':') != std::string::npos;
    url_ = "http://" + (v6 ? "[" + tcp->host + "]" : tcp->host) + ":" + std::to_string(port) + "/";
  }
  make_private_dir(run_dir(options.prefix));
  Fd unix_fd;
  try {
    unix_fd = unix_listener(socket_path_);
  } catch (...) {
    ::rmdir(run_dir(options.prefix).c_str());
    throw;
  }
  description.fixed["api"] = {{"socket", socket_path_},
                              {"url", url_.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(url_)}};
  api_ = std::make_unique<Api>(live, std::move(description));

  const auto start = [this](Fd& fd, bool need_token) {
    auto e = std::make_unique<Endpoint>();
    e->server = this;
    e->need_token = need_token;
    e->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, nullptr, nullptr,
                                 &handle_request, e.get(), MHD_OPTION_LISTEN_SOCKET, fd.get(),
                                 MHD_OPTION_NOTIFY_COMPLETED, &request_done, nullptr, MHD_OPTION_CONNECTION_LIMIT,
                                 1000u, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
    if (e->daemon == nullptr) throw std::runtime_error("starting the API's HTTP server failed (libmicrohttpd)");
    fd.release();  // the daemon closes it
    return e;
  };
  try {
    unix_ = start(unix_fd, false);
    if (tcp) tcp_ = start(tcp_fd, !token_.empty());
  } catch (...) {
    unix_.reset();
    ::unlink(socket_path_.c_str());
    ::rmdir(run_dir(options.prefix).c_str());
    throw;
  }
}

ApiServer::~ApiServer() {
  stopping_ = true;  // open event streams end within a second
  tcp_.reset();
  unix_.reset();
  ::unlink(socket_path_.c_str());
  const std::size_t slash = socket_path_.rfind('/');
  ::rmdir(socket_path_.substr(0, slash).c_str());
}

std::string ApiServer::describe() const {
  std::string out = "API: curl --unix-socket " + socket_path_ + " http://synnet/v1/run";
  if (!url_.empty()) {
    out += "\nAPI and web page: " + url_;
    if (!token_.empty()) out += " (token " + token_ + ": send \"Authorization: Bearer " + token_ + "\")";
  }
  return out;
}

std::function<std::shared_ptr<void>(const LiveRun&, std::vector<std::string>&)> serve_api(const std::string& listen,
                                                                                          const std::string& command,
                                                                                          std::ostream* log) {
  return [listen, command, log](const LiveRun& run, std::vector<std::string>& env) -> std::shared_ptr<void> {
    const RunReport& r = run.report;
    RunDescription d = describe_run(
        {.scenario = run.live.scenario(), .file = r.file, .seed = r.seed, .prefix = r.prefix, .command = command},
        &run.bed, &run.services);
    std::shared_ptr<ApiServer> server;
    try {
      server = std::make_shared<ApiServer>(run.live, std::move(d), ApiServerOptions{r.prefix, listen});
    } catch (const std::exception& e) {
      throw setup_failure("starting the control API", e);
    }
    env.push_back("SYNNET_API=" + server->socket_path());
    if (log) *log << server->describe() << "\n" << std::flush;
    return server;
  };
}

}  // namespace synnet
