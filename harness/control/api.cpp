// api.cpp — the control API's routes. See api.hpp and README.md.
#include "harness/control/api.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "harness/control/web_files.hpp"
#include "harness/report/counters_json.hpp"
#include "harness/scenario/direction_json.hpp"
#include "harness/scenario/impairments_json.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

namespace {

using Json = nlohmann::ordered_json;
using json_reader::JsonError;

HttpResponse json_response(const Json& j, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);  // a client's bytes in a message may not be UTF-8
  r.body += '\n';
  return r;
}

// The message of a JsonError without its leading "<path>: ".
std::string message_of(const JsonError& e) {
  const std::string what = e.what();
  const std::string head = (e.path().empty() ? std::string("(document)") : e.path()) + ": ";
  return what.rfind(head, 0) == 0 ? what.substr(head.size()) : what;
}

HttpResponse bad_body(const JsonError& e, const std::string& prefix = "") {
  const std::string path = prefix + e.path();
  return Api::error(400, (path.empty() ? std::string("the body") : path) + ": " + message_of(e), path);
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const std::size_t end = path.find('/', i);
    parts.push_back(path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    i = end == std::string_view::npos ? path.size() : end;
  }
  return parts;
}

// A known path's methods: a wrong one answers 405 with Allow.
HttpResponse wrong_method(const HttpRequest& r, const std::string& allow) {
  HttpResponse e = Api::error(405, r.method + " is not allowed on " + r.path + " (allowed: " + allow + ")");
  e.allow = allow;
  return e;
}

Json partitions_json(const NetworkState& state) {
  Json out = Json::array();
  for (const PartitionChange& p : state.partitions) out.push_back(p.groups);
  return out;
}

const std::vector<std::string> kDirections = {"a_to_b", "b_to_a"};

}  // namespace

Api::Api(LiveNetwork& live, RunDescription description) : live_(live), description_(std::move(description)) {}

HttpResponse Api::error(int status, const std::string& message, const std::string& path) {
  Json j = {{"error", message}};
  if (!path.empty()) j["path"] = path;
  return json_response(j, status);
}

HttpResponse Api::handle(const HttpRequest& request) {
  try {
    if (request.body.size() > kMaxBody) {
      return error(413, "the body is " + std::to_string(request.body.size()) + " bytes; at most " +
                            std::to_string(kMaxBody) + " are taken");
    }
    return route(request);
  } catch (const JsonError& e) {
    return bad_body(e);
  } catch (const ChangeError& e) {
    return error(409, e.what());
  } catch (const std::exception& e) {
    return error(500, std::string("internal error: ") + e.what());
  }
}

HttpResponse Api::route(const HttpRequest& r) {
  const std::vector<std::string_view> parts = split_path(r.path);
  const auto only = [&r](const char* method, const std::function<HttpResponse()>& answer) {
    return r.method == method ? answer() : wrong_method(r, method);
  };
  if (parts.empty() || parts[0] == "ui") {
    if (const WebFile* f = find_web_file(r.path)) {
      return only("GET", [f] {
        HttpResponse page;
        page.content_type = std::string(f->content_type);
        page.body = std::string(f->body);
        return page;
      });
    }
  } else if (parts.size() == 1 && parts[0] == "metrics") {
    return only("GET", [this] {
      HttpResponse m;
      m.content_type = "text/plain; version=0.0.4; charset=utf-8";
      m.body = prometheus_text(live_.sampled_counters(), description_.fixed.value("prefix", std::string()));
      return m;
    });
  } else if (parts[0] == "v1" && parts.size() == 2) {
    const std::string_view what = parts[1];
    if (what == "run") return only("GET", [this] { return run_json(); });
    if (what == "counters")
      return only("GET", [this] { return json_response(counters_json(live_.sampled_counters())); });
    if (what == "series") return only("GET", [&] { return series(r); });
    if (what == "events") {
      return only("GET", [] {
        HttpResponse s;
        s.content_type = "text/event-stream";
        s.stream = true;
        return s;
      });
    }
    if (what == "changes" && r.method == "GET") return change_log();
    if (what == "changes" && r.method != "POST") return wrong_method(r, "GET, POST");
    if (what == "partition" || what == "heal" || what == "changes") {
      return only("POST", [&] { return changes(r, std::string(what)); });
    }
  } else if (parts.size() == 4 && parts[0] == "v1" && parts[1] == "links") {
    return link_direction(r, std::string(parts[2]), std::string(parts[3]));
  }
  return error(404, "no such path: " + r.path +
                        " (paths: /v1/run, /v1/links/{link}/{a_to_b|b_to_a}, /v1/partition, /v1/heal, /v1/changes, "
                        "/v1/counters, /v1/series, /v1/events, /metrics, /)");
}

HttpResponse Api::run_json() {
  const NetworkState state = live_.state();
  const Scenario& s = live_.scenario();
  Json j = description_.fixed;
  Json links = Json::array();
  for (std::size_t i = 0; i < s.links.size(); ++i) {
    links.push_back({{"name", s.links[i].name},
                     {"a", s.links[i].a},
                     {"b", s.links[i].b},
                     {"a_to_b", direction_json(state.links[i].a_to_b)},
                     {"b_to_a", direction_json(state.links[i].b_to_a)}});
  }
  j["links"] = links;
  j["partitions"] = partitions_json(state);
  j["services"] = description_.services ? description_.services() : Json::array();
  j["series_interval_ms"] = LiveNetwork::kSeriesInterval.count();
  j["uptime_s"] = std::round(live_.now() * 1000) / 1000;
  return json_response(j);
}

HttpResponse Api::link_direction(const HttpRequest& r, const std::string& link, const std::string& direction) {
  const Scenario& s = live_.scenario();
  std::size_t index = s.links.size();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s.links.size(); ++i) {
    names.push_back(s.links[i].name);
    if (s.links[i].name == link) index = i;
  }
  if (index == s.links.size()) {
    return error(404, "no link \"" + link + "\"" + json_reader::suggestion(link, names, "links"));
  }
  if (!json_reader::contains(kDirections, direction)) {
    return error(404, "no direction \"" + direction + "\" (directions: a_to_b, b_to_a)");
  }
  const bool a_to_b = direction == "a_to_b";
  const auto now = [&] {
    const NetworkState state = live_.state();  // a copy: changes may come from other threads
    return a_to_b ? state.links[index].a_to_b : state.links[index].b_to_a;
  };
  if (r.method == "GET") return json_response(direction_json(now()));
  if (r.method != "PUT" && r.method != "PATCH") return wrong_method(r, "GET, PUT, PATCH");

  const Json body = json_reader::parse_json(r.body);
  if (!body.is_object()) {
    return error(400, "the body must be a JSON object: a direction such as {\"loss\": \"5%\", \"delay\": \"40ms\"}");
  }
  Json merged = body;
  if (r.method == "PATCH") {
    merged = direction_json(now());
    merged.merge_patch(body);  // RFC 7396
  }
  LinkChange change{.link = link};
  (a_to_b ? change.a_to_b : change.b_to_a) = parse_direction(json_reader::Value{&merged, ""});
  live_.apply({change});
  return json_response(direction_json(now()));
}

HttpResponse Api::changes(const HttpRequest& r, const std::string& kind) {
  const bool empty = r.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (kind == "heal" && empty) return apply({HealChange{}});
  const Json body = empty ? Json() : json_reader::parse_json(r.body);
  std::vector<NetworkChange> list;
  if (kind == "changes" && body.is_array()) {
    if (body.empty()) return error(400, "the body is an empty list: give at least one change");
    for (std::size_t i = 0; i < body.size(); ++i) {
      try {
        list.push_back(parse_change(live_.scenario(), body[i]));
      } catch (const JsonError& e) {
        return bad_body(e, "/" + std::to_string(i));
      }
    }
    return apply(list);
  }
  if (!body.is_object()) {
    return error(400, "the body must be a JSON object: " +
                          std::string(kind == "partition" ? "{\"partition\": [[\"n1\", \"n2\"], [\"n3\"]]}"
                                      : kind == "heal"    ? "{\"heal\": true}, or none"
                                                          : "a change such as {\"heal\": true}, or a list of them"));
  }
  NetworkChange change = parse_change(live_.scenario(), body);
  if (kind == "partition" && !std::holds_alternative<PartitionChange>(change)) {
    return error(400, "POST /v1/partition takes {\"partition\": [[...], [...]]}; other changes go to /v1/changes");
  }
  if (kind == "heal" && !std::holds_alternative<HealChange>(change)) {
    return error(400, "POST /v1/heal takes {\"heal\": true} or no body; other changes go to /v1/changes");
  }
  return apply({change});
}

HttpResponse Api::change_log() {
  Json list = Json::array();
  for (const LiveNetwork::ChangeRecord& c : live_.changes_since(0)) {
    list.push_back({{"t", std::round(c.t * 1000) / 1000}, {"source", c.source}, {"applied", Json::array({c.what})}});
  }
  return json_response(Json{{"changes", list}});
}

HttpResponse Api::apply(const std::vector<NetworkChange>& changes) {
  return json_response(Json{{"applied", live_.apply(changes)}});
}

HttpResponse Api::series(const HttpRequest& r) {
  double since = -1;
  if (!r.query.empty()) {
    constexpr std::string_view key = "since=";
    if (r.query.rfind(key, 0) != 0) {
      return error(400, "unknown query \"" + r.query + "\": the only parameter is since=T (seconds, e.g. since=12.5)");
    }
    const std::string value = r.query.substr(key.size());
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, since);
    if (ec != std::errc() || ptr != end || !std::isfinite(since)) {
      return error(400, "since=\"" + value + "\" is not a number of seconds (e.g. since=12.5)");
    }
  }
  return json_response(
      series_json(live_.series().since(since), static_cast<int>(LiveNetwork::kSeriesInterval.count())));
}

}  // namespace synnet
