// api_fuzz.cpp — libFuzzer target for the control API's request handler
// (harness/control/api.hpp): Api::handle on a real LiveNetwork (a switch with
// three hosts and a host-to-host link) whose engines are not started, so a
// change moves the network's state and builds both engines' configurations
// (network_engines) without sockets.
//
// Built by ci/fuzz from the sources it needs (clang++,
// -fsanitize=fuzzer,address,undefined). Each input is a request:
//   byte 0        the method (GET, PUT, PATCH, POST, DELETE, HEAD by its value mod 6)
//   up to '\n'    the path, then '?' and a query when there is one
//   the rest      the body
// Checked for every answer: its status is one the API documents (200, 400,
// 404, 405, 409, 413: never a 500, which would be a bug of ours); a JSON
// answer parses; a 405 says what is allowed; an error says what is wrong.
// A broken invariant prints it and aborts: libFuzzer saves the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "harness/control/api.hpp"
#include "harness/scenario/network.hpp"

namespace {

using namespace synnet;

const Scenario& scenario() {
  static const Scenario s = parse_scenario(R"({"name": "fuzz",
    "hosts": [{"name": "n1"}, {"name": "n2"}, {"name": "n3"}, {"name": "r1", "forward": true}],
    "switches": [{"name": "s1"}],
    "links": [{"a": "n1", "b": "s1", "a_to_b": {"loss": "1%", "delay": "20ms"}}, {"a": "n2", "b": "s1"},
              {"a": "s1", "b": "n3"}, {"a": "n3", "b": "r1", "b_to_a": {"rate": "10Mbit"}}],
    "traffic": [{"ping": {"from": "n1", "to": "n3"}}]})");
  return s;
}

EngineConfigs configs_of(const NetworkState& state) {
  static const Network n = network_of(scenario());
  static const Wires w = [] {
    Wires wires{.netns_path = "/run/netns/none", .ends = {}, .macs = {}};
    for (std::size_t i = 0; i < n.interfaces.size(); ++i) {
      wires.ends.push_back("w" + std::to_string(i));
      wires.macs.push_back({0x02, 0, 0, 0, 0, static_cast<std::uint8_t>(i + 1)});
    }
    return wires;
  }();
  return network_engines(scenario(), n, w, state);
}

[[noreturn]] void broken(const char* what, const HttpRequest& r, const HttpResponse& a) {
  std::fprintf(stderr, "api_fuzz: %s\n  request: %s %s?%s (%zu bytes of body)\n  answer: %d %s\n", what,
               r.method.c_str(), r.path.c_str(), r.query.c_str(), r.body.size(), a.status, a.body.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static EngineGroup engines(2, 1);
  static LiveNetwork live(scenario(), engines, configs_of);
  static Api api(live, RunDescription{});
  if (size == 0) return 0;
  static constexpr const char* kMethods[] = {"GET", "PUT", "PATCH", "POST", "DELETE", "HEAD"};
  HttpRequest r;
  r.method = kMethods[data[0] % 6];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nl = rest.find('\n');
  std::string_view target = rest.substr(0, nl);
  r.body = nl == std::string_view::npos ? "" : std::string(rest.substr(nl + 1));
  const std::size_t q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));

  const HttpResponse a = api.handle(r);
  switch (a.status) {
    case 200:
    case 400:
    case 404:
    case 405:
    case 409:
    case 413: break;
    default: broken("a status the API does not document", r, a);
  }
  if (a.content_type == "application/json") {
    const auto j = nlohmann::json::parse(a.body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) broken("a JSON answer that does not parse", r, a);
    if (a.status != 200 &&
        (!j.is_object() || !j.contains("error") || !j["error"].is_string() || j["error"].get<std::string>().empty())) {
      broken("an error answer without its \"error\" text", r, a);
    }
  }
  if (a.status == 405 && a.allow.empty()) broken("a 405 without Allow", r, a);
  return 0;
}
