// fd.hpp — Fd: a move-only owner of a file descriptor.
//
//   Fd fd(::eventfd(0, EFD_CLOEXEC));   // -1 is allowed and means "none"
//   fd.get(), fd.release(), fd.reset(), bool(fd)
// The destructor closes the descriptor; it never throws.
#pragma once

#include <unistd.h>

#include <utility>

namespace synnet {

class Fd {
 public:
  Fd() noexcept = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace synnet
