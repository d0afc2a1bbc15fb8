// interface.hpp — what the I/O apps (RawSocket, XdpSocket) share about the
// Linux interface they serve.
//
//   InterfaceInfo info = interface_info(sock.get(), "veth0", where);   // ifindex, MTU
//   fail_if_deleted(ctx, sock.get(), "veth0", info.ifindex)  // ends the run (EngineFailure) once
//                                                  // the kernel no longer knows the interface
//   interface_running(sock.get(), info.ifindex)   // IFF_UP and IFF_RUNNING (carrier)
//   emit_errno_counters(emit, "tx_error_", errors) // tx_error_ENOBUFS, ...
//   TxRetry r;  if (r.due(now)) ...;  ctx.wake_at(r.failed(now));   // when to send again after a failure
//   kHousekeepingPeriod, kTxBusyWait                                 // the I/O apps' waits
//   kMaxFramesPerBreath                                  // what an I/O app reads in one breath, at most
//
// `where` prefixes error messages ("rawsock on \"veth0\" in /run/netns/x").
// The ioctls go through a socket opened in the interface's namespace, so
// names resolve there, not in the caller's namespace.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "engine/app.hpp"
#include "engine/sys/fd.hpp"
#include "engine/sys/in_netns.hpp"

namespace synnet {

struct InterfaceInfo {
  int ifindex = 0;
  unsigned mtu = 0;
};

InterfaceInfo interface_info(int sock, const std::string& ifname, const std::string& where);
void fail_if_deleted(AppContext& ctx, int sock, const std::string& ifname, int ifindex) noexcept;
// Whether interface `ifindex` (in sock's namespace) is up and has carrier (IFF_UP and IFF_RUNNING).
bool interface_running(int sock, int ifindex) noexcept;
// Reads and clears the socket's pending error (SO_ERROR); 0 when none.
int take_socket_error(int sock) noexcept;
void emit_errno_counters(const CounterVisitor& emit, const std::string& prefix,
                         const std::map<int, std::uint64_t>& counts);
std::string io_where(const char* kind, const std::string& ifname, const std::string& netns);

inline constexpr std::uint32_t kMaxFramesPerBreath = 256;  // frames an I/O app reads in one breath, at most

// How often an I/O app does its housekeeping while the engine is awake (is
// the interface gone? back up?), and so the longest a deleted interface goes
// unnoticed and a down one keeps the engine waking.
inline constexpr Duration kHousekeepingPeriod = std::chrono::milliseconds(50);
// How soon an I/O app looks again when the kernel is busy rather than failing
// (a full TX ring, EAGAIN, a send that left frames): no TxRetry backoff.
inline constexpr Duration kTxBusyWait = std::chrono::microseconds(20);

// When an I/O app may call send() again. After a failure (the interface
// down, no carrier) not for kFirst, twice as long after each further one, at
// most kLast (kHousekeepingPeriod), until succeeded() or
// reset(); pause_until() holds sends back without counting a failure. Frames
// that wait for an interface to come back cost 20 tries a second, not a
// thousand. The app asks the engine to wake at at() while !due().
class TxRetry {
 public:
  static constexpr Duration kFirst = std::chrono::milliseconds(1), kLast = kHousekeepingPeriod;
  bool due(Time now) const noexcept { return now >= at_; }
  Time at() const noexcept { return at_; }
  Time failed(Time now) noexcept {  // returns the new at()
    wait_ = wait_ == Duration{0} ? kFirst : std::min(2 * wait_, kLast);
    return at_ = now + wait_;
  }
  Time pause_until(Time t) noexcept { return at_ = t; }
  void succeeded() noexcept { wait_ = Duration{0}; }
  void reset() noexcept {  // due at once, the next failure waits kFirst
    wait_ = Duration{0};
    at_ = Time{0};
  }

 private:
  Duration wait_{0};
  Time at_{0};
};

}  // namespace synnet
