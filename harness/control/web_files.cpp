// web_files.cpp — looks a URL path up in the table embed.cmake generates.
#include "harness/control/web_files.hpp"

#include <algorithm>
#include <cstddef>

namespace synnet {

namespace web_detail {
// Defined in the generated source (build dir: harness/web_files_generated.cpp).
extern const WebFile kFiles[];
extern const std::size_t kFileCount;
}  // namespace web_detail

const WebFile* find_web_file(std::string_view url_path) {
  if (const auto end = url_path.find_first_of("?#"); end != std::string_view::npos) {
    url_path = url_path.substr(0, end);
  }
  if (url_path == "/ui/" || url_path == "/ui/index.html") url_path = "/";
  for (std::size_t i = 0; i < web_detail::kFileCount; ++i) {
    if (web_detail::kFiles[i].path == url_path) return &web_detail::kFiles[i];
  }
  return nullptr;
}

std::vector<const WebFile*> web_files() {
  std::vector<const WebFile*> files;
  for (std::size_t i = 0; i < web_detail::kFileCount; ++i) files.push_back(&web_detail::kFiles[i]);
  std::sort(files.begin(), files.end(), [](const WebFile* a, const WebFile* b) { return a->path < b->path; });
  return files;
}

}  // namespace synnet
