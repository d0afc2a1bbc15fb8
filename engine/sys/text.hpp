// text.hpp — small text helpers: in_quotes(), a name or value in double
// quotes, for error messages; trim(), a view without the whitespace around it.
//
//   throw std::invalid_argument("no app " + in_quotes(name));   // no app "loss"
//   trim("  64 bytes\r")                                         // "64 bytes"
//   kWhitespace                                                  // what trim() removes: " \t\r\n"
//
// As written, nothing escaped: for names and values the program chose or
// checked. Text from outside (packet bytes) needs escaping instead
// (flow_key.cpp's quoted() writes \xNN for bytes that do not print).
// Not named quoted(): for a std::string, std::quoted would win by
// argument-dependent lookup.
#pragma once

#include <string>
#include <string_view>

namespace synnet {

inline std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

inline constexpr std::string_view kWhitespace = " \t\r\n";

inline std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

}  // namespace synnet
