// text_hygiene.hpp — text from tools and users made safe for the reports: any
// bytes become valid UTF-8 (nlohmann::json::dump() then never throws) or
// escaped XML 1.0 (JUnit).
//
//   valid_utf8("ok \xff")            // "ok \uFFFD": each invalid byte becomes U+FFFD
//   xml_escape("a<b", false)         // "a&lt;b"; attribute = true also escapes quotes,
//                                    // newlines and tabs; control characters become U+FFFD
#pragma once

#include <string>
#include <string_view>

namespace synnet {

std::string valid_utf8(std::string_view s);
std::string xml_escape(std::string_view s, bool attribute);

}  // namespace synnet
