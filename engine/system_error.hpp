// system_error.hpp — the exception for failed system calls during setup.
//
//   throw SystemError(errno, "rawsock: bind to veth0");
//   // what(): "rawsock: bind to veth0: No such device (errno 19)"
//   e.code() == 19
//
// Hot paths (pull/push) never throw: they count errors instead.
#pragma once

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace synnet {

class SystemError : public std::runtime_error {
 public:
  SystemError(int err, const std::string& what)
      : std::runtime_error(what + ": " + std::strerror(err) + " (errno " + std::to_string(err) + ")"),
        code_(err) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

}  // namespace synnet
