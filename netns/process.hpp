// process.hpp — run a command inside a network namespace, with a deadline.
//
//   ProcessResult r = run_process(ns.fd(), {.argv = {"ping", "-c", "1", "198.18.0.2"},
//                                           .env = {"LANG=C"}, .deadline = 10s});
//   r.exit_code, r.signal, r.timed_out, r.out, r.err, r.elapsed, r.ok(), r.describe()
//
//   Process server = Process::spawn(ns.fd(), {.argv = {"iperf3", "-s"}});  // in the background
//   server.running();  server.pid();  server.output();   // stdout so far
//   server.wait_for_output("listening", 5s);              // e.g. until a server is up
//   ProcessResult r = server.terminate();                 // SIGTERM, then SIGKILL after kill_grace
//   // ~Process terminates and reaps a child that is still running.
//
// The child: its own process group (signals reach everything it started),
// signal mask and dispositions reset, setns into the namespace (-1: stay),
// a private mount namespace with /sys remounted so /sys/class/net shows the
// namespace's interfaces (as `ip netns exec` does), cwd, stdin from
// /dev/null, stdout and stderr into memory files the parent reads (or ours,
// and with take_terminal the terminal's foreground, as a shell gives a job). argv[0]
// is looked up in PATH before the fork; a missing command or a failed setup
// step throws SystemError naming it. The caller's thread never changes namespace.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sys/fd.hpp"

namespace synnet {

struct ProcessSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env{};                                 // "KEY=VALUE", added to (or replacing) ours
  std::string cwd{};                                              // empty: inherit
  std::optional<std::chrono::nanoseconds> deadline{};             // from spawn; then SIGTERM
  std::chrono::nanoseconds kill_grace = std::chrono::seconds(2);  // SIGTERM → SIGKILL
  bool inherit_stdio =
      false;  // true: stdin/stdout/stderr are ours (output() stays empty); false: /dev/null in, output captured
  // With inherit_stdio, when our stdin is a terminal whose foreground we are:
  // the command's process group becomes its foreground group (it can read the
  // terminal; Ctrl-C and the other job control keys reach it, not us), and
  // ours again once it has been reaped.
  bool take_terminal = false;
};

struct ProcessResult {
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  bool timed_out = false;
  std::string out, err;
  std::chrono::nanoseconds elapsed{0};

  bool ok() const noexcept { return exit_code == 0 && signal == 0 && !timed_out; }
  std::string describe() const;  // "exited with status 0", "killed by SIGKILL (deadline 1.0 s passed)"
};

class Process {
 public:
  static Process spawn(int netns_fd, const ProcessSpec& spec);

  Process(Process&& other) noexcept;
  Process& operator=(Process&&) = delete;
  ~Process();

  pid_t pid() const noexcept { return pid_; }
  bool running();  // reaps it if it has ended
  // Waits up to `timeout` for it to end (and reaps it); true when it has ended.
  // For callers that must also watch something else, e.g. a cancel flag.
  bool wait_for(std::chrono::nanoseconds timeout) { return wait_exit(timeout); }
  // Whether it has stopped (Ctrl-Z, SIGSTOP) since last asked; a command
  // that had the terminal (take_terminal) gives it back to us then.
  bool stopped();
  void resume();               // continues it (SIGCONT to its group), the terminal its again if it had it
  ProcessResult wait();        // until it ends, or its deadline (then terminates it)
  ProcessResult terminate();   // SIGTERM the group, SIGKILL after kill_grace; reaps
  std::string output() const;  // stdout so far
  // Waits (polling every 10 ms) until stdout contains `text`, e.g. a server's
  // "listening"; false when `timeout` passed or the process ended first.
  bool wait_for_output(std::string_view text, std::chrono::nanoseconds timeout);
  std::string errors() const;  // stderr so far

 private:
  Process(pid_t pid, Fd pidfd, Fd out, Fd err, const ProcessSpec& spec);
  bool wait_exit(std::optional<std::chrono::nanoseconds> timeout);  // false: timed out
  ProcessResult result();

  void give_back_terminal() noexcept;

  pid_t pid_ = -1;
  pid_t terminal_pgrp_ = -1;   // take_terminal: our process group, to give the terminal back to
  bool has_terminal_ = false;  // take_terminal: the terminal is the command's now
  Fd pidfd_, out_, err_;
  std::chrono::steady_clock::time_point started_, ended_;
  std::optional<std::chrono::nanoseconds> deadline_;
  std::chrono::nanoseconds kill_grace_;
  bool reaped_ = false;
  bool timed_out_ = false;
  int status_ = 0;
};

ProcessResult run_process(int netns_fd, const ProcessSpec& spec);

}  // namespace synnet
