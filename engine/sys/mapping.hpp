// mapping.hpp — Mapping: a move-only owner of an mmap(2) region.
//
//   Mapping m = Mapping::map(bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, where);  // throws SystemError
//   m.data(), m.size(), bool(m), m.reset()
// The destructor unmaps the region; it never throws.
#pragma once

#include <sys/mman.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "engine/sys/system_error.hpp"

namespace synnet {

class Mapping {
 public:
  Mapping() noexcept = default;
  // mmap(nullptr, bytes, prot, flags, fd, 0); throws SystemError(errno, where) when it fails.
  static Mapping map(std::size_t bytes, int prot, int flags, int fd, const std::string& where) {
    void* p = ::mmap(nullptr, bytes, prot, flags, fd, 0);
    if (p == MAP_FAILED) throw SystemError(errno, where);
    return Mapping(p, bytes);
  }
  ~Mapping() { reset(); }
  Mapping(Mapping&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  Mapping& operator=(Mapping&& other) noexcept {
    if (this != &other) {
      reset();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  std::uint8_t* data() const noexcept { return static_cast<std::uint8_t*>(data_); }
  std::size_t size() const noexcept { return size_; }
  explicit operator bool() const noexcept { return data_ != nullptr; }
  void reset() noexcept {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
  }

 private:
  Mapping(void* data, std::size_t size) noexcept : data_(data), size_(size) {}
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace synnet
