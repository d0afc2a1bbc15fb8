// in_netns.hpp — run code inside another network namespace without ever
// switching the calling thread.
//
//   int fd = in_netns(ns.fd(), [] { return ::socket(AF_PACKET, SOCK_RAW, 0); });
//   in_netns(ns.fd(), [&] { write_sysctl(...); });
//
// `fn` runs on a short-lived thread that first joins the namespace
// (setns(CLONE_NEWNET)); its result is returned and its exception rethrown
// here. Sockets created this way stay bound to that namespace for life.
// netns_fd < 0 runs fn directly, in the caller's namespace.
//
//   Fd ns = open_netns("/run/netns/x", where);   // "" = none: an empty Fd, the caller's own
//   Fd sock = socket_in_netns("/run/netns/x", AF_PACKET, SOCK_RAW, proto, where);
//
// `where` prefixes error messages (SystemError).
#pragma once

#include <sched.h>

#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>

#include "engine/sys/fd.hpp"
#include "engine/sys/system_error.hpp"

namespace synnet {

template <class F>
std::invoke_result_t<F&> in_netns(int netns_fd, F&& fn) {
  using R = std::invoke_result_t<F&>;
  if (netns_fd < 0) return fn();
  std::exception_ptr error;
  if constexpr (std::is_void_v<R>) {
    std::thread t([&] {
      try {
        if (::setns(netns_fd, CLONE_NEWNET) != 0) throw SystemError(errno, "setns(CLONE_NEWNET)");
        fn();
      } catch (...) {
        error = std::current_exception();
      }
    });
    t.join();
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<R> result;
    std::thread t([&] {
      try {
        if (::setns(netns_fd, CLONE_NEWNET) != 0) throw SystemError(errno, "setns(CLONE_NEWNET)");
        result.emplace(fn());
      } catch (...) {
        error = std::current_exception();
      }
    });
    t.join();
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
}

// The namespace at `netns` ("" = none: the caller's own, returned as an empty Fd).
Fd open_netns(const std::string& netns, const std::string& where);
// A socket (SOCK_CLOEXEC) created inside the namespace at `netns` ("" = ours).
Fd socket_in_netns(const std::string& netns, int domain, int type, int protocol, const std::string& where);

}  // namespace synnet
