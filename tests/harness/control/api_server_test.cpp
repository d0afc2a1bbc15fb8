// api_server_test.cpp — the control API over real HTTP (api_server.hpp): the
// run's UNIX socket (0600 in a 0700 directory), TCP with and without the
// bearer token, status codes for bad requests, 100 clients at once, the event
// stream. Privileged: the socket lives in /run/synnet. The engines are not
// started (changes move the state alone; api_test.cpp has the routes, the
// command tests the effects on real traffic).
#include "harness/control/api_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "engine/sys/fd.hpp"
#include "harness/scenario/network.hpp"
#include "netns/run_id.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

const Scenario kPair = parse_scenario(R"({"name": "pair",
  "hosts": [{"name": "a"}, {"name": "b"}], "links": [{"a": "a", "b": "b"}],
  "traffic": [{"ping": {"from": "a", "to": "b"}}]})");

EngineConfigs configs_of(const NetworkState& st) {
  const Network n = network_of(kPair);
  Wires w{.netns_path = "/run/netns/none", .ends = {"w0", "w1"}, .macs = {{2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}}};
  return network_engines(kPair, n, w, st);
}

// Sends `raw` on a new connection and reads until the server closes it (or `limit` bytes).
std::string exchange(const sockaddr* addr, socklen_t len, const std::string& raw, std::size_t limit = 1 << 20) {
  Fd fd(::socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd || ::connect(fd.get(), addr, len) != 0) return "connect failed: " + std::string(std::strerror(errno));
  timeval tv{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = ::send(fd.get(), raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer 413 and close before reading it all
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  char buf[4096];
  ssize_t n;
  while (out.size() < limit && (n = ::recv(fd.get(), buf, sizeof buf, 0)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  return out;
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0) return -1;
  return std::stoi(response.substr(9, 3));
}

std::string request(const std::string& method, const std::string& path, const std::string& body = "",
                    const std::string& headers = "") {
  return method + " " + path + " HTTP/1.1\r\nHost: synnet\r\nConnection: close\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: the API socket lives in /run/synnet";
    run_.emplace(RunId::create());
    engines_.emplace(2, 1);
    live_.emplace(kPair, *engines_, configs_of);
    RunDescription d;
    d.fixed = {{"name", "pair"}, {"prefix", run_->prefix()}};
    server_.emplace(*live_, d,
                    ApiServerOptions{.prefix = run_->prefix(), .listen = listen_, .require_token = require_token_});
  }

  std::string over_unix(const std::string& raw, std::size_t limit = 1 << 20) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strcpy(a.sun_path, server_->socket_path().c_str());
    return exchange(reinterpret_cast<sockaddr*>(&a), sizeof a, raw, limit);
  }

  std::string listen_ = "127.0.0.1:0";
  bool require_token_ = false;
  std::optional<RunId> run_;
  std::optional<EngineGroup> engines_;
  std::optional<LiveNetwork> live_;
  std::optional<ApiServer> server_;
};

TEST_F(ApiServerTest, TheSocketIsRootsAlone) {
  struct stat st {};
  ASSERT_EQ(::stat(server_->socket_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  ASSERT_EQ(::stat(run_dir(run_->prefix()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(server_->socket_path(), run_api_socket(run_->prefix()));
}

TEST_F(ApiServerTest, AnswersOverTheSocket) {
  const std::string r = over_unix(request("GET", "/v1/run"));
  EXPECT_EQ(status_of(r), 200) << r;
  EXPECT_NE(r.find("\"socket\":\"" + server_->socket_path() + "\""), std::string::npos) << r;
  const std::string put = over_unix(request("PUT", "/v1/links/a-b/a_to_b", R"({"loss": "5%"})"));
  EXPECT_EQ(status_of(put), 200) << put;
  EXPECT_TRUE(live_->state().links[0].a_to_b.impairments.loss);
}

TEST_F(ApiServerTest, BadRequestsGetTheirStatus) {
  EXPECT_EQ(status_of(over_unix(request("GET", "/nope"))), 404);
  const std::string wrong = over_unix(request("DELETE", "/v1/run"));
  EXPECT_EQ(status_of(wrong), 405);
  EXPECT_NE(wrong.find("Allow: GET"), std::string::npos) << wrong;
  EXPECT_EQ(status_of(over_unix(request("PUT", "/v1/links/a-b/a_to_b", "{\"loss\": "))), 400);
  // Over 1 MiB: refused from its Content-Length, without reading it all.
  const std::string big(Api::kMaxBody + 10, 'x');
  EXPECT_EQ(status_of(over_unix(request("PUT", "/v1/links/a-b/a_to_b", big))), 413);
  // Chunked (no Content-Length): refused once it passes the limit.
  std::string chunked =
      "PUT /v1/links/a-b/a_to_b HTTP/1.1\r\nHost: synnet\r\nConnection: close\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + std::string(0x10000, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(status_of(over_unix(chunked)), 413);
  EXPECT_FALSE(live_->state().links[0].a_to_b.impairments.loss) << "no refused request changed anything";
}

TEST_F(ApiServerTest, TcpOnLoopbackNeedsNoToken) {
  ASSERT_FALSE(server_->url().empty());
  EXPECT_TRUE(server_->token().empty());
  const ListenAddress a = parse_listen(server_->url().substr(7, server_->url().size() - 8));
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(static_cast<std::uint16_t>(a.port));
  ::inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
  const std::string r = exchange(reinterpret_cast<sockaddr*>(&in), sizeof in, request("GET", "/"));
  EXPECT_EQ(status_of(r), 200) << r.substr(0, 300);
  EXPECT_NE(r.find("text/html"), std::string::npos) << "the web page";
}

TEST(ListenAddress, ParsesAndRefuses) {
  EXPECT_EQ(parse_listen("127.0.0.1:8080").port, 8080);
  EXPECT_TRUE(parse_listen("127.0.0.1:8080").loopback);
  EXPECT_TRUE(parse_listen("[::1]:0").loopback);
  EXPECT_EQ(parse_listen("[::1]:0").host, "::1");
  EXPECT_FALSE(parse_listen("198.18.0.1:80").loopback);
  EXPECT_THROW(parse_listen("localhost:80"), std::invalid_argument);
  EXPECT_THROW(parse_listen("127.0.0.1"), std::invalid_argument);
  EXPECT_THROW(parse_listen("127.0.0.1:99999"), std::invalid_argument);
  EXPECT_THROW(parse_listen("::1:80"), std::invalid_argument);
}

TEST_F(ApiServerTest, AHundredClientsAtOnce) {
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 100; ++i) {
    clients.emplace_back([&, i] {
      const std::string r =
          i % 2 == 0
              ? over_unix(request("GET", "/v1/counters"))
              : over_unix(request("PATCH", "/v1/links/a-b/b_to_a", R"({"delay": ")" + std::to_string(i) + R"(ms"})"));
      if (status_of(r) == 200) ++ok;
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), 100);
}

TEST_F(ApiServerTest, EventsStreamSamplesAndChanges) {
  std::thread change([this] {
    std::this_thread::sleep_for(300ms);
    over_unix(request("POST", "/v1/heal"));
  });
  // Reads the stream for a while: at least a change and a few samples.
  const std::string r = over_unix(request("GET", "/v1/events"), 6000);
  change.join();
  EXPECT_EQ(status_of(r), 200) << r.substr(0, 200);
  EXPECT_NE(r.find("text/event-stream"), std::string::npos);
  EXPECT_NE(r.find("event: sample\ndata: {"), std::string::npos) << r.substr(0, 600);
  EXPECT_NE(r.find("event: change\ndata: {"), std::string::npos) << r.substr(0, 2000);
}

class ApiServerTokenTest : public ApiServerTest {
 protected:
  ApiServerTokenTest() { require_token_ = true; }
};

// What a non-loopback address gets (require_token: the same on loopback, as
// the test may not add an address to this machine).
TEST_F(ApiServerTokenTest, TcpWithoutTheTokenIs401) {
  ASSERT_EQ(server_->token().size(), 32u);
  const ListenAddress a = parse_listen(server_->url().substr(7, server_->url().size() - 8));
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(static_cast<std::uint16_t>(a.port));
  ::inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
  const auto tcp = [&](const std::string& headers) {
    return status_of(exchange(reinterpret_cast<sockaddr*>(&in), sizeof in, request("GET", "/v1/run", "", headers)));
  };
  EXPECT_EQ(tcp(""), 401);
  EXPECT_EQ(tcp("Authorization: Bearer wrong\r\n"), 401);
  EXPECT_EQ(tcp("Authorization: Bearer " + server_->token().substr(1) + "x\r\n"), 401);
  EXPECT_EQ(tcp("Authorization: Bearer " + server_->token() + "\r\n"), 200);
  EXPECT_EQ(status_of(over_unix(request("GET", "/v1/run"))), 200) << "the socket needs no token: it is root's";
}

// A non-loopback address needs an address of this machine; the test adds
// none (it would change the machine's network), so it checks that the server
// refuses to start on an address it does not have, with a clear error.
TEST(ApiServerListen, AnAddressThisMachineLacksIsAClearError) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: the API socket lives in /run/synnet";
  RunId run = RunId::create();
  EngineGroup engines(2, 1);
  LiveNetwork live(kPair, engines, configs_of);
  try {
    ApiServer server(live, RunDescription{}, ApiServerOptions{.prefix = run.prefix(), .listen = "198.18.255.254:0"});
    FAIL() << "started on an address this machine does not have";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("198.18.255.254"), std::string::npos) << e.what();
  }
  struct stat st {};
  EXPECT_NE(::stat(run_dir(run.prefix()).c_str(), &st), 0) << "nothing left behind";
}

}  // namespace
}  // namespace synnet
