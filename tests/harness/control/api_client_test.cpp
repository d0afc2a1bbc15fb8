// ApiClient (harness/control/api_client.hpp) against a one-request HTTP
// server in a thread, on a UNIX socket in a temporary directory and on
// loopback TCP: what it sends (method, path, body, Content-Type, bearer
// token), what it gives back (status, body, 4xx included), and the errors
// when nothing listens. Needs no root.
#include "harness/control/api_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

namespace synnet {
namespace {

// Accepts one connection, reads one request (headers and Content-Length
// bytes of body), answers `status` with `body`, closes.
class OneShotServer {
 public:
  // On a UNIX socket at `unix_path`, or ("") on a loopback TCP port of its own.
  OneShotServer(const std::string& unix_path, int status, std::string body)
      : fd_(::socket(unix_path.empty() ? AF_INET : AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)),
        status_(status),
        body_(std::move(body)) {
    if (!unix_path.empty()) {
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      std::strncpy(a.sun_path, unix_path.c_str(), sizeof a.sun_path - 1);
      EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
      socklen_t len = sizeof a;
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
      port_ = ntohs(a.sin_port);
    }
    EXPECT_EQ(::listen(fd_, 1), 0);
    thread_ = std::thread([this] { serve(); });
  }
  OneShotServer(const OneShotServer&) = delete;
  OneShotServer& operator=(const OneShotServer&) = delete;
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }

  int port() const { return port_; }
  // The request as received; call once the client has its answer.
  std::string request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void serve() {
    const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) return;
    char buf[4096];
    std::size_t want = std::string::npos;
    while (want == std::string::npos || request_.size() < want) {
      const ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      request_.append(buf, static_cast<std::size_t>(n));
      const std::size_t end = request_.find("\r\n\r\n");
      if (want == std::string::npos && end != std::string::npos) {
        const std::size_t cl = request_.find("Content-Length: ");
        want = end + 4 + (cl != std::string::npos && cl < end ? std::stoul(request_.substr(cl + 16)) : 0);
      }
    }
    const std::string answer = "HTTP/1.1 " + std::to_string(status_) + " X\r\nContent-Type: application/json\r\n" +
                               "Content-Length: " + std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" +
                               body_;
    EXPECT_EQ(::write(c, answer.data(), answer.size()), static_cast<ssize_t>(answer.size()));
    ::close(c);
  }

  int fd_ = -1;
  int port_ = 0;
  int status_;
  std::string body_;
  std::string request_;
  std::thread thread_;
};

class ApiClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/synnet-api-client-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    socket_ = dir_ + "/api.sock";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, socket_;
};

TEST_F(ApiClientTest, GetsOverTheUnixSocket) {
  OneShotServer server(socket_, 200, R"({"name": "veth-poc"})");
  const ApiResponse r = ApiClient(socket_).request("GET", "/v1/run");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.body, R"({"name": "veth-poc"})");
  const std::string request = server.request();
  EXPECT_EQ(request.rfind("GET /v1/run HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_EQ(request.find("Authorization"), std::string::npos) << request;
}

TEST_F(ApiClientTest, SendsAMethodWithAJsonBodyAndReturnsA4xxAsAnAnswer) {
  OneShotServer server(socket_, 404, R"({"error": "no link"})");
  const ApiResponse r = ApiClient(socket_).request("PATCH", "/v1/links/x/a_to_b", R"({"loss":"5%"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.body, R"({"error": "no link"})");
  const std::string request = server.request();
  EXPECT_EQ(request.rfind("PATCH /v1/links/x/a_to_b HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("Content-Type: application/json\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("Content-Length: 13\r\n"), std::string::npos) << request;
  EXPECT_EQ(request.substr(request.size() - 13), R"({"loss":"5%"})");
}

TEST_F(ApiClientTest, PostsAnEmptyBody) {
  OneShotServer server(socket_, 200, R"({"applied": ["heal"]})");
  EXPECT_EQ(ApiClient(socket_).request("POST", "/v1/heal").status, 200);
  const std::string request = server.request();
  EXPECT_EQ(request.rfind("POST /v1/heal HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("Content-Length: 0\r\n"), std::string::npos) << request;
}

TEST_F(ApiClientTest, SendsTheBearerTokenOverTcp) {
  OneShotServer server("", 200, "{}");
  const ApiClient api = ApiClient::tcp("http://127.0.0.1:" + std::to_string(server.port()) + "/", "s3cret");
  EXPECT_EQ(api.request("GET", "/v1/counters").body, "{}");
  const std::string request = server.request();
  EXPECT_EQ(request.rfind("GET /v1/counters HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("Authorization: Bearer s3cret\r\n"), std::string::npos) << request;
}

TEST_F(ApiClientTest, AMissingSocketSaysWhichAndAsksWhetherTheRunIsUp) {
  try {
    ApiClient(socket_).request("GET", "/v1/run");
    FAIL() << "no error without a socket";
  } catch (const ApiError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot connect to the run's API socket " + socket_ +
                                         ": it does not exist: is the run up? (synnet-test ctl list)");
  }
}

TEST_F(ApiClientTest, ASocketNobodyListensOnIsSaidSo) {
  {
    OneShotServer server(socket_, 200, "{}");
    ApiClient(socket_).request("GET", "/");
  }  // closed: the file stays, nobody listens
  try {
    ApiClient(socket_).request("GET", "/v1/run");
    FAIL() << "no error with nobody listening";
  } catch (const ApiError& e) {
    EXPECT_NE(std::string(e.what()).find(socket_ + ": nothing listens on it"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace synnet
