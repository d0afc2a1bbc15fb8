// web_files.hpp — the web page's files, built into the binary: what the
// control API serves on GET / and GET /ui/* (harness/control/web/README.md).
//
//   if (const WebFile* f = find_web_file(request_path)) {   // "/", "/ui/app.js?v=1", ...
//     answer 200, Content-Type: f->content_type, body f->body;
//   } else { answer 404 }
//   for (const WebFile* f : web_files()) ...                 // every file, in path order
//
// The files are every file under harness/control/web/ but its README.md,
// VENDOR.md and embed.cmake; harness/control/web/embed.cmake turns them into
// a generated source at build time, byte for byte. The URL mapping:
//
//   index.html             "/" (its `path`), also "/ui/" and "/ui/index.html"
//   any other file <p>     "/ui/<p>": "/ui/app.js", "/ui/style.css",
//                          "/ui/vendor/uPlot.iife.min.js", "/ui/vendor/uPlot.min.css",
//                          "/ui/vendor/LICENSE"
//
// A query string or fragment ("?...", "#...") is ignored; anything else
// (another path, "..", a missing leading "/") finds nothing. Content types:
// "text/html; charset=utf-8", "text/javascript", "text/css", and
// "text/plain; charset=utf-8" for the rest (the licence). The views point
// into static storage: valid for the whole program.
#pragma once

#include <string_view>
#include <vector>

namespace synnet {

struct WebFile {
  std::string_view path;          // the canonical URL path: "/" or "/ui/..."
  std::string_view content_type;  // for the Content-Type header
  std::string_view body;          // the file's bytes
};

// The file served at `url_path`, or nullptr.
const WebFile* find_web_file(std::string_view url_path);

// Every file, sorted by path.
std::vector<const WebFile*> web_files();

}  // namespace synnet
