// system_error.hpp — SystemError: a std::system_error for failed system calls
// during setup, carrying errno.
//
//   throw SystemError(errno, "rawsock: bind to veth0");
//   // what(): "rawsock: bind to veth0: No such device (errno 19)"
//   e.code() == std::errc::no_such_device;  e.code().value() == ENODEV
//   is_permission_error(e)   // EPERM or EACCES: "run it as root" is the hint to give
//
// Layers that word their own text (netlink with the kernel's extended ACK)
// derive from it with SystemError(err, message, SystemError::verbatim).
// Hot paths (pull/push) never throw: they count errors instead.
#pragma once

#include <cerrno>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>

namespace synnet {

class SystemError : public std::system_error {
 public:
  struct Verbatim {};
  static constexpr Verbatim verbatim{};

  SystemError(int err, const std::string& what)
      : SystemError(err, what + ": " + std::strerror(err) + " (errno " + std::to_string(err) + ")", verbatim) {}
  // what() is `message` exactly.
  SystemError(int err, const std::string& message, Verbatim)
      : std::system_error(err, std::generic_category()), text_(message) {}
  const char* what() const noexcept override { return text_.what(); }

 private:
  std::runtime_error text_;  // copies without throwing, like the base
};

// Whether e (or the exception it wraps) is a system error that means "not allowed": EPERM or EACCES.
inline bool is_permission_error(const std::exception& e) noexcept {
  const auto* s = dynamic_cast<const std::system_error*>(&e);
  return s != nullptr && (s->code() == std::errc::operation_not_permitted || s->code() == std::errc::permission_denied);
}

}  // namespace synnet
