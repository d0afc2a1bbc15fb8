// config.hpp — an app network as a value: named apps and the links between them.
//
//   Config c;
//   c.app<Source>("src", {.sizes_bytes = {60}});   // validates the spec now
//   c.app<Sink>("sink");
//   c.link("src.output -> sink.input");            // parses the spec now
//   c.validate();                                  // links name known apps and ports
//
// Errors throw ConfigError with a message that names the app, port or link
// spec at fault, e.g.
//   link "src.output ->": expected "app.port" after "->"
//   link "src.output -> sinc.input": no app named "sinc"
// Engine::configure(c) validates too; a Config is cheap to copy (specs are shared).
#pragma once

#include <compare>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/app_spec.hpp"

namespace synnet {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "from.port -> to.port"
struct LinkSpec {
  std::string from_app, from_port, to_app, to_port;

  static LinkSpec parse(std::string_view text);       // throws ConfigError
  std::string str() const;                            // canonical "a.out -> b.in"
  auto operator<=>(const LinkSpec&) const = default;  // NOLINT(modernize-use-nullptr): a false positive here
};

// App and port names: letters, digits, '_' and '-'; not empty.
bool valid_name(std::string_view name) noexcept;

class Config {
 public:
  template <AppClass A>
  Config& app(const std::string& name, typename A::Spec spec = {}) {
    return app(name, AppSpec::of<A>(std::move(spec)));
  }
  Config& app(const std::string& name, AppSpec spec);
  Config& link(std::string_view spec);
  Config& link(const LinkSpec& spec);

  // Every link names apps that exist and ports those apps declare; a port has one link.
  void validate() const;

  const std::map<std::string, AppSpec>& apps() const noexcept { return apps_; }
  const std::set<LinkSpec>& links() const noexcept { return links_; }

 private:
  std::map<std::string, AppSpec> apps_;
  std::set<LinkSpec> links_;
};

}  // namespace synnet
