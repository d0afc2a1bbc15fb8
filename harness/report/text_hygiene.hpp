// text_hygiene.hpp — text from tools and users made safe for the reports: any
// bytes become valid UTF-8 (nlohmann::json::dump() then never throws),
// escaped XML 1.0 (JUnit), or a line a terminal shows as it is.
//
//   valid_utf8("ok \xff")            // "ok \uFFFD": each invalid byte becomes U+FFFD
//   xml_escape("a<b", false)         // "a&lt;b"; attribute = true also escapes quotes,
//                                    // newlines and tabs; control characters become U+FFFD
//   printable_line("\x1b[2Jhi\r")     // "\uFFFD[2Jhi\uFFFD": valid UTF-8 without control
//                                    // characters (tabs stay), so a tool cannot move the cursor
#pragma once

#include <string>
#include <string_view>

namespace synnet {

std::string valid_utf8(std::string_view s);
std::string xml_escape(std::string_view s, bool attribute);
std::string printable_line(std::string_view s);

}  // namespace synnet
