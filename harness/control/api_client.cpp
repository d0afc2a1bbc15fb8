// api_client.cpp — the control API's HTTP client, over libcurl. See api_client.hpp.
#include "harness/control/api_client.hpp"

#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace synnet {

namespace {

struct EasyDeleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Why a socket cannot be reached, as far as the file system tells.
std::string socket_trouble(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? "it does not exist: is the run up? (synnet-test ctl list)" : std::strerror(errno);
  }
  if (!S_ISSOCK(st.st_mode)) return "it is not a socket";
  if (::access(path.c_str(), R_OK | W_OK) != 0) return "permission denied: the API socket is root's (mode 0600)";
  return "nothing listens on it: the run may have ended (synnet-test ctl list)";
}

}  // namespace

ApiClient::ApiClient(std::string socket_path) : socket_path_(std::move(socket_path)), base_url_("http://synnet") {}

ApiClient ApiClient::tcp(std::string base_url, std::string token) {
  ApiClient c;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  c.base_url_ = std::move(base_url);
  c.token_ = std::move(token);
  return c;
}

ApiResponse ApiClient::request(std::string_view method, std::string_view path, std::string_view body) const {
  // curl_global_init is not thread-safe: done once, the first time, by a magic static.
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!curl_ready) throw ApiError("libcurl could not be initialised");
  const std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) throw ApiError("libcurl: curl_easy_init failed");
  CURL* c = curl.get();

  const std::string url = base_url_ + std::string(path);
  const std::string method_text(method);
  std::string answer;
  char error[CURL_ERROR_SIZE] = {};
  std::unique_ptr<curl_slist, ListDeleter> headers;
  const auto add_header = [&headers](const std::string& h) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (next == nullptr) throw ApiError("libcurl: out of memory");
    static_cast<void>(headers.release());
    headers.reset(next);
  };
  add_header("Expect:");  // no 100-continue round trip
  if (!token_.empty()) add_header("Authorization: Bearer " + token_);
  if (!body.empty()) add_header("Content-Type: application/json");

  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (!socket_path_.empty()) curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket_path_.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");  // http_proxy in the environment must not catch the run's API
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  if (method_text == "GET" && body.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (method_text == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    // POSTFIELDS sends the body (also an empty one, with Content-Length: 0);
    // CUSTOMREQUEST names the method.
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    const std::string why = error[0] != '\0' ? std::string(error) : curl_easy_strerror(rc);
    const std::string what = method_text + " " + std::string(path);
    if (!socket_path_.empty()) {
      if (rc == CURLE_COULDNT_CONNECT) {
        throw ApiError("cannot connect to the run's API socket " + socket_path_ + ": " + socket_trouble(socket_path_));
      }
      throw ApiError(what + " on " + socket_path_ + ": " + why);
    }
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST) {
      throw ApiError("cannot connect to " + base_url_ + ": " + why + " (is the run up, and serving --listen there?)");
    }
    throw ApiError(what + " on " + base_url_ + ": " + why);
  }
  ApiResponse response;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(answer);
  return response;
}

}  // namespace synnet
