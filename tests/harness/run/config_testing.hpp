// config_testing.hpp — questions about an engine Config, for the tests of
// what builds one (engine_link_test.cpp, network_engines_test.cpp).
//
//   is_source(c, "a-b_a.output");   // a link of c starts at that port
//   is_target(c, "a-b_b.input");    // a link of c ends there
#pragma once

#include <algorithm>
#include <string>

#include "engine/config.hpp"

namespace synnet::testing {

inline bool is_source(const Config& c, const std::string& end) {
  return std::any_of(c.links().begin(), c.links().end(),
                     [&](const LinkSpec& l) { return l.from_app + "." + l.from_port == end; });
}
inline bool is_target(const Config& c, const std::string& end) {
  return std::any_of(c.links().begin(), c.links().end(),
                     [&](const LinkSpec& l) { return l.to_app + "." + l.to_port == end; });
}

}  // namespace synnet::testing
