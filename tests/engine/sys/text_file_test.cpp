// read_text: a whole file, byte for byte; errno says why it could not be read.
#include "engine/sys/text_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

namespace synnet {
namespace {

namespace fs = std::filesystem;

TEST(ReadText, ReturnsEveryByteOfAFileLargerThanOneRead) {
  std::string text;
  for (int i = 0; i < 40000; ++i) text += static_cast<char>(i % 251);  // NULs included
  const fs::path path = fs::temp_directory_path() / ("synnet-read-text-" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << text;
  const std::optional<std::string> got = read_text(path.string());
  fs::remove(path);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, text);
}

TEST(ReadText, AnEmptyFileIsAnEmptyString) {
  const std::optional<std::string> got = read_text("/dev/null");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, "");
}

TEST(ReadText, SaysWhyThroughErrno) {
  errno = 0;
  EXPECT_FALSE(read_text("/nonexistent/synnet/scenario.json").has_value());
  EXPECT_EQ(errno, ENOENT);
  errno = 0;
  EXPECT_FALSE(read_text(fs::temp_directory_path().string()).has_value());
  EXPECT_EQ(errno, EISDIR);
}

}  // namespace
}  // namespace synnet
