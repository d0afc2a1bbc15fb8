// text.hpp — in_quotes(): a name or value in double quotes, for error messages.
//
//   throw std::invalid_argument("no app " + in_quotes(name));   // no app "loss"
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

}  // namespace synnet
