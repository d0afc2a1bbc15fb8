#include "engine/sys/text_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "engine/sys/fd.hpp"

namespace synnet {

std::optional<std::string> read_text(const std::string& path) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string text;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n == 0) return text;
    if (n > 0) {
      text.append(buf, static_cast<std::size_t>(n));
    } else if (errno != EINTR) {
      return std::nullopt;  // e.g. EISDIR: errno says why
    }
  }
}

}  // namespace synnet
