// pcapng_writer.cpp — the pcapng block format. See pcapng_writer.hpp.
#include "engine/apps/capture/pcapng_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "engine/sys/system_error.hpp"

namespace synnet {

namespace {

constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A, kInterfaceDescription = 1, kEnhancedPacket = 6;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kEndOfOptions = 0, kComment = 1, kShbUserApplication = 4, kIfName = 2, kIfTsResolution = 9,
                        kEpbPacketId = 5;
constexpr std::uint16_t kLinkTypeEthernet = 1;

constexpr std::size_t padded(std::size_t n) { return (n + 3) & ~std::size_t{3}; }
constexpr std::size_t option_bytes(std::size_t n) { return 4 + padded(n); }

}  // namespace

PcapngWriter::PcapngWriter(const std::string& path, const Options& options)
    : path_(path),
      limit_(options.limit_bytes),
      fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
  if (!fd_) throw SystemError(errno, "capture: cannot create " + path);
  buffer_.reserve(kBufferBytes);
  const std::string application = "synnet";
  const std::uint32_t shb = static_cast<std::uint32_t>(28 + option_bytes(application.size()) + 4);
  put(kSectionHeader);
  put(shb);
  put(kByteOrderMagic);
  put(std::uint16_t{1});
  put(std::uint16_t{0});
  put(std::int64_t{-1});  // section length: not known
  option(kShbUserApplication, application.data(), application.size());
  option(kEndOfOptions, nullptr, 0);
  put(shb);
  const std::uint8_t nanoseconds = 9;
  const std::uint32_t idb =
      static_cast<std::uint32_t>(20 + option_bytes(options.interface_name.size()) + option_bytes(1) + 4);
  put(kInterfaceDescription);
  put(idb);
  put(kLinkTypeEthernet);
  put(std::uint16_t{0});
  put(options.snap_length);
  option(kIfName, options.interface_name.data(), options.interface_name.size());
  option(kIfTsResolution, &nanoseconds, 1);
  option(kEndOfOptions, nullptr, 0);
  put(idb);
}

PcapngWriter::~PcapngWriter() {
  try {
    close();
  } catch (const SystemError&) {  // close() is where errors are reported; a destructor cannot
  }
}

void PcapngWriter::append(const void* data, std::size_t n) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  buffer_.insert(buffer_.end(), p, p + n);
  bytes_ += n;
}

void PcapngWriter::pad() {
  static constexpr std::uint8_t zeros[4] = {};
  append(zeros, padded(buffer_.size()) - buffer_.size());
}

void PcapngWriter::option(std::uint16_t code, const void* data, std::size_t n) {
  put(code);
  put(static_cast<std::uint16_t>(n));
  if (n > 0) append(data, n);
  pad();
}

bool PcapngWriter::write(std::uint64_t unix_ns, std::span<const std::uint8_t> captured, std::uint32_t length,
                         std::uint64_t packet_id, const std::vector<std::string>& comments) {
  if (!fd_) throw SystemError(EBADF, "capture: " + path_ + " is closed");
  std::size_t block = 28 + padded(captured.size()) + option_bytes(8) + 4 + 4;
  for (const std::string& c : comments) block += option_bytes(std::min<std::size_t>(c.size(), 0xffff));
  if (limit_ != 0 && bytes_ + block > limit_) {
    ++refused_;
    return false;
  }
  if (buffer_.size() + block > kBufferBytes) flush();
  const auto size = static_cast<std::uint32_t>(block);
  put(kEnhancedPacket);
  put(size);
  put(std::uint32_t{0});  // interface 0
  put(static_cast<std::uint32_t>(unix_ns >> 32));
  put(static_cast<std::uint32_t>(unix_ns));
  put(static_cast<std::uint32_t>(captured.size()));
  put(length);
  append(captured.data(), captured.size());
  pad();
  option(kEpbPacketId, &packet_id, sizeof packet_id);
  for (const std::string& c : comments) option(kComment, c.data(), std::min<std::size_t>(c.size(), 0xffff));
  option(kEndOfOptions, nullptr, 0);
  put(size);
  ++frames_;
  return true;
}

void PcapngWriter::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_.get(), buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SystemError(errno, "capture: writing " + path_);
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void PcapngWriter::close() {
  if (!fd_) return;
  flush();
  if (::close(fd_.release()) != 0) throw SystemError(errno, "capture: closing " + path_);
}

}  // namespace synnet
