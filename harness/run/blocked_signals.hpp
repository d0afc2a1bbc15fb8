// blocked_signals.hpp — BlockedSignals: while alive, SIGINT, SIGTERM, SIGHUP and
// SIGUSR1 are blocked in this thread and in every thread it starts, so that a
// run takes them with sigtimedwait()/sigwait() at a moment of its choosing
// instead of dying with its namespaces still up. Every subcommand ends a run
// on any of them (SIGHUP: a closed terminal) but `attach`, for which SIGUSR1
// re-reads its profile. Child processes unblock them (Process
// resets the mask before execve).
//
//   BlockedSignals blocked;
//   int sig = take_signal(std::chrono::milliseconds(100));   // 0 when none came
#pragma once

#include <signal.h>

#include <chrono>

namespace synnet {

class BlockedSignals {
 public:
  BlockedSignals() {
    const sigset_t s = set();
    ::pthread_sigmask(SIG_BLOCK, &s, &old_);
  }
  ~BlockedSignals() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;

  static sigset_t set() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);   // a closed terminal ends a run like Ctrl-C
    sigaddset(&s, SIGUSR1);  // `attach` re-reads its profile; elsewhere it ends a run (its default would kill it)
    return s;
  }

 private:
  sigset_t old_;
};

// Waits up to `timeout` for SIGINT, SIGTERM, SIGHUP or SIGUSR1 (blocked by a BlockedSignals);
// returns it, or 0.
inline int take_signal(std::chrono::nanoseconds timeout) {
  const sigset_t s = BlockedSignals::set();
  const auto ns = timeout.count();
  timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  const int sig = ::sigtimedwait(&s, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

}  // namespace synnet
