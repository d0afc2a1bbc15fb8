#include "netns/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <thread>

#include "engine/sys/system_error.hpp"

extern char** environ;

namespace synnet {

namespace {

using std::chrono::nanoseconds;

// Where the child failed, reported to the parent through a close-on-exec pipe.
enum class Stage : int { kSetns = 1, kMounts, kChdir, kExec };
struct ChildFailure {
  Stage stage;
  int err;
};

const char* stage_text(Stage s) {
  switch (s) {
    case Stage::kSetns: return "enter the network namespace";
    case Stage::kMounts: return "set up its mount namespace (/sys)";
    case Stage::kChdir: return "change directory";
    case Stage::kExec: return "execute";
  }
  return "start";
}

std::string find_in_path(const std::string& command, const std::string& path_env) {
  if (command.find('/') != std::string::npos) return command;
  std::size_t start = 0;
  while (start <= path_env.size()) {
    const std::size_t end = std::min(path_env.find(':', start), path_env.size());
    const std::string dir = end > start ? path_env.substr(start, end - start) : ".";
    std::string candidate = dir + "/" + command;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  throw SystemError(ENOENT, "process: command \"" + command + "\" not found in PATH=" + path_env +
                                " (install it, or give its full path)");
}

std::string read_all(int fd) {
  std::string s;
  char buf[65536];
  off_t off = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, off);
    if (n <= 0) break;
    s.append(buf, static_cast<std::size_t>(n));
    off += n;
  }
  return s;
}

Fd memory_file(const char* name) {
  Fd fd(::memfd_create(name, MFD_CLOEXEC));
  if (!fd) throw SystemError(errno, std::string("process: memfd_create ") + name);
  return fd;
}

// Our stdin is a terminal and we are its foreground: a command may take it.
bool own_terminal() noexcept { return ::isatty(STDIN_FILENO) == 1 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp(); }

// tcsetpgrp with SIGTTOU blocked: a process group that is not the terminal's
// foreground (we, once the command has it) may then still set it.
void set_foreground(pid_t pgrp) noexcept {
  sigset_t ttou, old;
  sigemptyset(&ttou);
  sigaddset(&ttou, SIGTTOU);
  ::pthread_sigmask(SIG_BLOCK, &ttou, &old);
  ::tcsetpgrp(STDIN_FILENO, pgrp);
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

// Runs in the forked child: only async-signal-safe calls until execve.
[[noreturn]] void child(int netns_fd, const char* path, char* const* argv, char* const* envp, const char* cwd,
                        int devnull, int out, int err, int report, bool foreground) {
  auto fail = [report](Stage stage) {
    const ChildFailure f{stage, errno};
    [[maybe_unused]] auto r = ::write(report, &f, sizeof f);
    ::_exit(127);
  };
  ::setpgid(0, 0);
  if (foreground) {  // as the parent does too, whichever comes first (SIGTTOU ignored: we are not foreground yet)
    ::signal(SIGTTOU, SIG_IGN);
    ::tcsetpgrp(STDIN_FILENO, ::getpid());
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  if (netns_fd >= 0) {
    if (::setns(netns_fd, CLONE_NEWNET) != 0) fail(Stage::kSetns);
    // As `ip netns exec`: a private mount namespace whose /sys shows this netns.
    if (::unshare(CLONE_NEWNS) != 0) fail(Stage::kMounts);
    if (::mount("", "/", "none", MS_SLAVE | MS_REC, nullptr) != 0) fail(Stage::kMounts);
    ::umount2("/sys", MNT_DETACH);
    if (::mount("sysfs", "/sys", "sysfs", 0, nullptr) != 0) fail(Stage::kMounts);
  }
  if (cwd != nullptr && ::chdir(cwd) != 0) fail(Stage::kChdir);
  if (devnull >= 0) {  // -1: inherit_stdio, the child keeps ours
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
  }
  ::execve(path, argv, envp);
  fail(Stage::kExec);
  ::_exit(127);
}

}  // namespace

std::string ProcessResult::describe() const {
  std::string s;
  if (signal != 0) {
    const char* name = sigabbrev_np(signal);
    s = std::string("killed by SIG") + (name != nullptr ? name : std::to_string(signal).c_str());
  } else {
    s = "exited with status " + std::to_string(exit_code);
  }
  if (timed_out) s += " (its deadline passed)";
  return s;
}

Process Process::spawn(int netns_fd, const ProcessSpec& spec) {
  if (spec.argv.empty()) throw SystemError(EINVAL, "process: empty argv");

  // Everything the child needs is built before the fork.
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const std::string& kv : spec.env) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw SystemError(EINVAL, "process: env entry \"" + kv + "\" is not KEY=VALUE");
    }
    env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  const std::string path =
      find_in_path(spec.argv[0], env.count("PATH") ? env["PATH"] : "/usr/sbin:/usr/bin:/sbin:/bin");
  std::vector<std::string> env_strings;
  env_strings.reserve(env.size());
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  Fd out = memory_file("synnet-stdout");
  Fd err = memory_file("synnet-stderr");
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw SystemError(errno, "process: pipe");
  Fd report_read(report[0]), report_write(report[1]);

  const bool foreground = spec.inherit_stdio && spec.take_terminal && own_terminal();
  const pid_t pid = ::fork();
  if (pid < 0) throw SystemError(errno, "process: fork");
  if (pid == 0) {
    child(netns_fd, path.c_str(), argv.data(), envp.data(), spec.cwd.empty() ? nullptr : spec.cwd.c_str(),
          spec.inherit_stdio ? -1 : devnull.get(), out.get(), err.get(), report_write.get(), foreground);
  }
  ::setpgid(pid, pid);  // also in the parent, so a kill(-pid) right away cannot miss
  const pid_t our_pgrp = ::getpgrp();
  if (foreground) set_foreground(pid);
  report_write.reset();
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));

  ChildFailure failure{};
  ssize_t n;
  do {
    n = ::read(report_read.get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof failure) {  // the child did not get to execve
    int status;
    ::waitpid(pid, &status, 0);
    if (foreground) set_foreground(our_pgrp);
    throw SystemError(
        failure.err,
        std::string("process: \"") + spec.argv[0] + "\": cannot " + stage_text(failure.stage) +
            (failure.stage == Stage::kSetns || failure.stage == Stage::kMounts ? " (needs root or CAP_SYS_ADMIN)"
                                                                               : ""));
  }
  if (!pidfd) {
    const int e = errno;
    ::kill(-pid, SIGKILL);
    int status;
    ::waitpid(pid, &status, 0);
    if (foreground) set_foreground(our_pgrp);
    throw SystemError(e, "process: pidfd_open");
  }
  Process p(pid, std::move(pidfd), std::move(out), std::move(err), spec);
  if (foreground) {
    p.terminal_pgrp_ = our_pgrp;
    p.has_terminal_ = true;
  }
  return p;
}

void Process::give_back_terminal() noexcept {
  if (terminal_pgrp_ > 0 && std::exchange(has_terminal_, false)) set_foreground(terminal_pgrp_);
}

bool Process::stopped() {
  if (reaped_) return false;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WSTOPPED | WNOHANG) != 0) return false;
  if (info.si_pid != pid_ || info.si_code != CLD_STOPPED) return false;
  give_back_terminal();
  return true;
}

void Process::resume() {
  if (reaped_) return;
  if (terminal_pgrp_ > 0 && !has_terminal_) {
    set_foreground(pid_);
    has_terminal_ = true;
  }
  ::kill(-pid_, SIGCONT);
}

Process::Process(pid_t pid, Fd pidfd, Fd out, Fd err, const ProcessSpec& spec)
    : pid_(pid),
      pidfd_(std::move(pidfd)),
      out_(std::move(out)),
      err_(std::move(err)),
      started_(std::chrono::steady_clock::now()),
      deadline_(spec.deadline),
      kill_grace_(spec.kill_grace) {}

Process::Process(Process&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)),
      terminal_pgrp_(std::exchange(o.terminal_pgrp_, -1)),
      has_terminal_(std::exchange(o.has_terminal_, false)),
      pidfd_(std::move(o.pidfd_)),
      out_(std::move(o.out_)),
      err_(std::move(o.err_)),
      started_(o.started_),
      ended_(o.ended_),
      deadline_(o.deadline_),
      kill_grace_(o.kill_grace_),
      reaped_(std::exchange(o.reaped_, true)),
      timed_out_(o.timed_out_),
      status_(o.status_) {}

Process::~Process() {
  if (pid_ > 0 && !reaped_) terminate();
}

bool Process::wait_exit(std::optional<nanoseconds> timeout) {
  if (reaped_) return true;
  const auto until =
      timeout ? std::chrono::steady_clock::now() + *timeout : std::chrono::steady_clock::time_point::max();
  for (;;) {
    int ms = -1;
    if (timeout) {
      const auto left = until - std::chrono::steady_clock::now();
      ms = static_cast<int>(std::max<long long>(0, std::chrono::ceil<std::chrono::milliseconds>(left).count()));
    }
    pollfd p{pidfd_.get(), POLLIN, 0};
    const int r = ::poll(&p, 1, ms);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) {
      status_ = status;
      reaped_ = true;
      ended_ = std::chrono::steady_clock::now();
      ::kill(-pid_, SIGKILL);  // whatever the command left running in its group
      give_back_terminal();
      return true;
    }
    if (errno != EINTR) {  // ECHILD: someone else reaped it
      reaped_ = true;
      ended_ = std::chrono::steady_clock::now();
      give_back_terminal();
      return true;
    }
  }
}

bool Process::running() {
  if (reaped_) return false;
  return !wait_exit(nanoseconds{0});
}

ProcessResult Process::wait() {
  if (deadline_) {
    const auto left = *deadline_ - (std::chrono::steady_clock::now() - started_);
    if (!wait_exit(std::max(nanoseconds{0}, std::chrono::duration_cast<nanoseconds>(left)))) {
      timed_out_ = true;
      return terminate();
    }
  } else {
    wait_exit(std::nullopt);
  }
  return result();
}

ProcessResult Process::terminate() {
  if (!reaped_) {
    ::kill(-pid_, SIGTERM);
    if (!wait_exit(kill_grace_)) {
      ::kill(-pid_, SIGKILL);
      wait_exit(std::nullopt);
    }
  }
  return result();
}

ProcessResult Process::result() {
  ProcessResult r;
  if (WIFEXITED(status_)) r.exit_code = WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) r.signal = WTERMSIG(status_);
  r.timed_out = timed_out_;
  r.out = output();
  r.err = errors();
  r.elapsed = (reaped_ ? ended_ : std::chrono::steady_clock::now()) - started_;
  return r;
}

std::string Process::output() const { return read_all(out_.get()); }

bool Process::wait_for_output(std::string_view text, nanoseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (output().find(text) != std::string::npos) return true;
    if (!running() || std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}
std::string Process::errors() const { return read_all(err_.get()); }

ProcessResult run_process(int netns_fd, const ProcessSpec& spec) { return Process::spawn(netns_fd, spec).wait(); }

}  // namespace synnet
