// text_file.hpp — reading a whole (small) file into a string: scenario files,
// impairment profiles, attach state files.
//
//   std::optional<std::string> text = read_text("scenarios/veth-poc.json");
//   if (!text) std::cerr << "cannot read it: " << std::strerror(errno) << "\n";
//
// read_text returns std::nullopt when the file cannot be opened or read, with
// errno saying why (ENOENT, EACCES, EISDIR, ...), so each caller words its own
// message.
#pragma once

#include <optional>
#include <string>

namespace synnet {

std::optional<std::string> read_text(const std::string& path);

}  // namespace synnet
