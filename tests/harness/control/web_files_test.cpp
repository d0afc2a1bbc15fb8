// The web page built into the binary (harness/control/web_files.hpp): every
// file under harness/control/web/ is found at its URL with its content type
// and its exact bytes, "/" is the page, the page refers only to files that
// are there, and nothing else is found.
#include "harness/control/web_files.hpp"
#include "engine/sys/text_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

namespace synnet {
namespace {

namespace fs = std::filesystem;

const fs::path kWebDir = fs::path(SYNNET_SOURCE_DIR) / "harness/control/web";

// The files the binary serves: every file of the folder but its notes and the embedding script.
std::set<std::string> served_files() {
  std::set<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(kWebDir)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = e.path().lexically_relative(kWebDir).generic_string();
    if (rel != "README.md" && rel != "VENDOR.md" && rel != "embed.cmake") files.insert(rel);
  }
  return files;
}

std::string url_of(const std::string& rel) { return rel == "index.html" ? "/" : "/ui/" + rel; }

std::string expected_type(const std::string& rel) {
  const std::string ext = fs::path(rel).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript";
  if (ext == ".css") return "text/css";
  return "text/plain; charset=utf-8";
}

TEST(WebFiles, EveryFileIsServedByteExactWithItsContentType) {
  const std::set<std::string> files = served_files();
  ASSERT_TRUE(files.count("index.html")) << kWebDir;
  for (const char* rel :
       {"app.js", "style.css", "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css", "vendor/LICENSE"}) {
    EXPECT_TRUE(files.count(rel)) << rel << " is missing from " << kWebDir;
  }
  for (const std::string& rel : files) {
    SCOPED_TRACE(rel);
    const WebFile* f = find_web_file(url_of(rel));
    ASSERT_NE(f, nullptr) << url_of(rel);
    EXPECT_EQ(f->path, url_of(rel));
    EXPECT_EQ(f->content_type, expected_type(rel));
    const std::string bytes = read_text(kWebDir / rel).value();
    EXPECT_EQ(f->body.size(), bytes.size());
    EXPECT_TRUE(f->body == bytes) << "the built-in copy differs from the file: rebuild";
  }
  EXPECT_EQ(web_files().size(), files.size()) << "web_files() and the folder disagree";
}

TEST(WebFiles, ListsEveryFileOnceSortedByPath) {
  const std::vector<const WebFile*> files = web_files();
  ASSERT_FALSE(files.empty());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(find_web_file(files[i]->path), files[i]) << files[i]->path;
    if (i > 0) {
      EXPECT_LT(files[i - 1]->path, files[i]->path);
    }
  }
}

TEST(WebFiles, TheRootIsThePage) {
  const WebFile* root = find_web_file("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(root->body, read_text(kWebDir / "index.html").value());
  EXPECT_EQ(find_web_file("/ui/"), root);
  EXPECT_EQ(find_web_file("/ui/index.html"), root);
  EXPECT_EQ(find_web_file("/?from=bookmark"), root);
  EXPECT_EQ(find_web_file("/ui/app.js?v=2#x"), find_web_file("/ui/app.js"));
}

TEST(WebFiles, ThePageRefersOnlyToFilesThatAreServed) {
  const WebFile* root = find_web_file("/");
  ASSERT_NE(root, nullptr);
  const std::string html(root->body);
  const std::regex attribute(R"re(\b(?:src|href)\s*=\s*["']([^"']*)["'])re");
  int refs = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), attribute); it != std::sregex_iterator(); ++it) {
    const std::string url = (*it)[1].str();
    if (url.rfind("data:", 0) == 0) continue;  // inline (the empty favicon), no request
    ++refs;
    EXPECT_EQ(url.rfind("/", 0), 0u) << url << ": an absolute path, so it works from / and /ui/";
    EXPECT_NE(find_web_file(url), nullptr) << "index.html refers to " << url << ", which is not served";
  }
  EXPECT_GE(refs, 4) << "uPlot's script and CSS, app.js, style.css";
}

TEST(WebFiles, AnythingElseIsNotFound) {
  for (const char* path :
       {"", "/index.html", "/app.js", "ui/app.js", "/ui", "/ui/app.js/", "/ui//app.js", "/ui/../ui/app.js",
        "/ui/README.md", "/ui/VENDOR.md", "/ui/embed.cmake", "/ui/vendor/", "/ui/APP.JS", "/v1/run", "/favicon.ico"}) {
    EXPECT_EQ(find_web_file(path), nullptr) << '"' << path << '"';
  }
}

}  // namespace
}  // namespace synnet
