#include "engine/config.hpp"

#include <algorithm>
#include <cctype>

#include "engine/sys/text.hpp"

namespace synnet {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses "app.port" (one side of a link spec); `side` is "before" or "after".
void parse_endpoint(std::string_view text, std::string_view whole, const char* side, std::string& app,
                    std::string& port) {
  const std::string where = "link " + in_quotes(whole) + ": ";
  text = trim(text);
  if (text.empty()) {
    throw ConfigError(where + "expected \"app.port\" " + side + " \"->\"");
  }
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) {
    throw ConfigError(where + in_quotes(text) + " is not \"app.port\" (missing '.')");
  }
  app = std::string(text.substr(0, dot));
  port = std::string(text.substr(dot + 1));
  if (!valid_name(app)) {
    throw ConfigError(where + "bad app name " + in_quotes(app) + " (use letters, digits, '_' and '-')");
  }
  if (!valid_name(port)) {
    throw ConfigError(where + "bad port name " + in_quotes(port) + " of app " + in_quotes(app) +
                      " (use letters, digits, '_' and '-')");
  }
}

}  // namespace

bool valid_name(std::string_view name) noexcept {
  // ASCII only, whatever the locale says isalnum() is.
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

LinkSpec LinkSpec::parse(std::string_view text) {
  const auto arrow = text.find("->");
  if (arrow == std::string_view::npos) {
    throw ConfigError("link " + in_quotes(text) + ": expected \"from.port -> to.port\" (no \"->\")");
  }
  if (text.find("->", arrow + 2) != std::string_view::npos) {
    throw ConfigError("link " + in_quotes(text) + ": more than one \"->\"");
  }
  LinkSpec spec;
  parse_endpoint(text.substr(0, arrow), text, "before", spec.from_app, spec.from_port);
  parse_endpoint(text.substr(arrow + 2), text, "after", spec.to_app, spec.to_port);
  return spec;
}

std::string LinkSpec::str() const { return from_app + "." + from_port + " -> " + to_app + "." + to_port; }

Config& Config::app(const std::string& name, AppSpec spec) {
  if (!valid_name(name)) {
    throw ConfigError("app " + in_quotes(name) + ": bad name (use letters, digits, '_' and '-')");
  }
  if (apps_.count(name) != 0) throw ConfigError("app " + in_quotes(name) + ": defined twice");
  try {
    spec.validate();
  } catch (const std::exception& e) {
    throw ConfigError("app " + in_quotes(name) + " (" + spec.type_name() + "): " + e.what());
  }
  apps_.emplace(name, std::move(spec));
  return *this;
}

Config& Config::link(std::string_view spec) { return link(LinkSpec::parse(spec)); }

Config& Config::link(const LinkSpec& spec) {
  if (!links_.insert(spec).second) {
    throw ConfigError("link " + in_quotes(spec.str()) + ": given twice");
  }
  return *this;
}

void Config::validate() const {
  std::map<std::pair<std::string, std::string>, const LinkSpec*> used_out, used_in;
  for (const LinkSpec& l : links_) {
    const std::string where = "link " + in_quotes(l.str()) + ": ";
    const auto from = apps_.find(l.from_app);
    if (from == apps_.end()) throw ConfigError(where + "no app named " + in_quotes(l.from_app));
    const auto to = apps_.find(l.to_app);
    if (to == apps_.end()) throw ConfigError(where + "no app named " + in_quotes(l.to_app));
    if (!from->second.ports().accepts_output(l.from_port)) {
      throw ConfigError(where + "app " + in_quotes(l.from_app) + " (" + from->second.type_name() +
                        ") has no output port " + in_quotes(l.from_port));
    }
    if (!to->second.ports().accepts_input(l.to_port)) {
      throw ConfigError(where + "app " + in_quotes(l.to_app) + " (" + to->second.type_name() + ") has no input port " +
                        in_quotes(l.to_port));
    }
    if (auto [it, fresh] = used_out.emplace(std::pair{l.from_app, l.from_port}, &l); !fresh) {
      throw ConfigError(where + "output port " + in_quotes(l.from_app + "." + l.from_port) + " is already linked by " +
                        in_quotes(it->second->str()));
    }
    if (auto [it, fresh] = used_in.emplace(std::pair{l.to_app, l.to_port}, &l); !fresh) {
      throw ConfigError(where + "input port " + in_quotes(l.to_app + "." + l.to_port) + " is already linked by " +
                        in_quotes(it->second->str()));
    }
  }
}

}  // namespace synnet
