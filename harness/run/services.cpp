// services.cpp — starts, watches and stops the hosts' services. See services.hpp.
#include "harness/run/services.hpp"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

#include "engine/sys/text.hpp"
#include "harness/report/text_hygiene.hpp"
#include "harness/run/session.hpp"
#include "harness/scenario/units.hpp"

namespace synnet {

namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kOutputLines = 5;          // of each stream, in error messages
constexpr nanoseconds kTcpPoll = 50ms;           // between looks at /proc/<pid>/net/tcp
constexpr nanoseconds kExecPoll = 100ms;         // between runs of a ready command
constexpr nanoseconds kExecKillGrace = 500ms;    // a ready command that overran its deadline
constexpr nanoseconds kMinExecDeadline = 100ms;  // even when the service's time is nearly up

std::string seconds_text(nanoseconds t) { return format_seconds(std::chrono::duration<double>(t).count()); }

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

// `service "web" on host "n1" (/hosts/0/services/0)`
std::string about(const std::string& host, const ServiceSpec& spec) {
  return "service " + in_quotes(spec.name) + " on host " + in_quotes(host) +
         (spec.path.empty() ? "" : " (" + spec.path + ")");
}

// The last lines of its stderr and stdout, each "\n  stderr| ...", made printable.
std::string last_output(const std::string& out, const std::string& err) {
  std::string text;
  for (const auto& [label, stream] : {std::pair{"stderr", &err}, std::pair{"stdout", &out}}) {
    std::string_view rest = *stream;
    if (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
    std::vector<std::string_view> lines;
    while (!rest.empty() && lines.size() < kOutputLines) {
      const std::size_t nl = rest.rfind('\n');
      lines.push_back(nl == std::string_view::npos ? rest : rest.substr(nl + 1));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(0, nl);
    }
    for (std::size_t k = lines.size(); k-- > 0;) {  // oldest first
      text += "\n  " + std::string(label) + "| " + printable_line(lines[k]);
    }
  }
  return text.empty() ? "; it printed nothing" : "; its last output:" + text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool listening_in_namespace_of(pid_t pid, std::uint16_t port) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/net/";
  return tcp_listening(read_file(dir + "tcp"), port) || tcp_listening(read_file(dir + "tcp6"), port);
}

}  // namespace

bool tcp_listening(const std::string& proc_net_tcp, std::uint16_t port) {
  // "  sl  local_address rem_address   st ...", then per socket
  // "   0: 0100007F:1F90 00000000:0000 0A ..." (ports in hex; st 0A: LISTEN).
  std::istringstream lines(proc_net_tcp);
  std::string line;
  std::getline(lines, line);  // the heading
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    if (!(fields >> slot >> local >> remote >> state)) continue;
    const std::size_t colon = local.rfind(':');
    if (colon == std::string::npos || state != "0A") continue;
    try {
      if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) return true;
    } catch (const std::exception&) {
      // not a port: not a socket line
    }
  }
  return false;
}

Services::~Services() {
  try {
    stop();
  } catch (...) {
    // the processes are gone by now (~Process); only their reports are lost
  }
}

void Services::start(const std::string& host, int netns_fd, const ServiceSpec& spec,
                     const std::function<bool()>& cancelled) {
  std::lock_guard lock(mutex_);
  Service& s = services_.emplace_back(Service{.host = host, .spec = spec, .netns_fd = netns_fd});
  const std::string who = about(host, spec);
  try {
    s.process.emplace(Process::spawn(
        netns_fd,
        {.argv = spec.argv, .env = {"SYNNET_HOST=" + host, "SYNNET_SERVICE=" + spec.name}, .kill_grace = kill_grace_}));
  } catch (const std::exception& e) {
    s.failure = std::string("could not start: ") + e.what();
    s.message = who + ": " + s.failure;
    throw SetupError(s.message);
  }
  const std::string not_ready = wait_ready(s, cancelled);
  if (s.ended) {  // it ended before it was ready
    ended_on_its_own(s, "before it was ready");
    if (s.failure.empty()) return;  // expect_exit, status 0: done
    throw SetupError(s.message);
  }
  if (not_ready.empty()) return;
  s.ended = s.process->terminate();  // not `stopped`: that is teardown's
  s.failure = not_ready;
  s.message = who + ": " + not_ready + last_output(s.ended->out, s.ended->err);
  throw SetupError(s.message);
}

std::string Services::wait_ready(Service& s, const std::function<bool()>& cancelled) {
  const ServiceReady& ready = s.spec.ready;
  const auto until = SteadyClock::now() + ready.timeout;
  std::string last_try;  // the ready command's last result
  for (;;) {
    if (!s.process->running()) {
      s.ended = s.process->wait();
      return "";
    }
    if (ready.tcp) {
      if (listening_in_namespace_of(s.process->pid(), *ready.tcp)) return "";
    } else if (!ready.exec.empty()) {
      const nanoseconds left = std::max<nanoseconds>(until - SteadyClock::now(), kMinExecDeadline);
      ProcessResult r;
      try {
        r = run_process(s.netns_fd, {.argv = ready.exec, .deadline = left, .kill_grace = kExecKillGrace});
      } catch (const std::exception& e) {
        return std::string("its ready command could not be run: ") + e.what();
      }
      if (r.ok()) return "";
      last_try = "; its ready command (" + join(ready.exec) + ") last " + r.describe();
      if (const std::string err = r.err.substr(0, r.err.find('\n')); !err.empty()) {
        last_try += ": " + printable_line(err);
      }
    } else {
      return "";  // ready once it runs
    }
    if (cancelled && cancelled()) return "interrupted while waiting for it to be ready";
    const auto now = SteadyClock::now();
    if (now >= until) {
      return "not ready within " + seconds_text(ready.timeout) +
             (ready.tcp ? " (nothing listens on TCP port " + std::to_string(*ready.tcp) + ")" : last_try);
    }
    std::this_thread::sleep_for(std::min<nanoseconds>(ready.tcp ? kTcpPoll : kExecPoll, until - now));
  }
}

void Services::ended_on_its_own(Service& s, const std::string& when) {
  if (s.spec.expect_exit && s.ended->ok()) return;
  s.failure = s.ended->describe() + " " + when;
  if (s.spec.expect_exit) s.failure += " (expect_exit allows it to end, not to fail)";
  s.message = about(s.host, s.spec) + ": " + s.failure + last_output(s.ended->out, s.ended->err);
}

std::string Services::failure() {
  std::lock_guard lock(mutex_);
  for (Service& s : services_) {
    if (!s.process || s.ended || s.process->running()) continue;
    s.ended = s.process->wait();
    ended_on_its_own(s, "before teardown");
  }
  for (const Service& s : services_)
    if (!s.message.empty()) return s.message;
  return "";
}

std::vector<ServiceReport> Services::stop() {
  std::lock_guard lock(mutex_);
  for (std::size_t k = services_.size(); k-- > 0;) {  // in reverse start order
    Service* s = &services_[k];
    if (!s->process || s->ended) continue;
    if (!s->process->running()) {
      s->ended = s->process->wait();
      ended_on_its_own(*s, "before teardown");
      continue;
    }
    s->ended = s->process->terminate();
    s->stopped = true;
  }
  std::vector<ServiceReport> reports;
  for (const Service& s : services_) {
    ServiceReport r;
    r.host = s.host;
    r.name = s.spec.name;
    r.command = join(s.spec.argv);
    r.stopped = s.stopped;
    r.failure = s.failure;
    if (s.ended) {
      r.ended = s.ended->describe();
      if (s.stopped && s.ended->signal == SIGKILL) {
        r.ended += " (SIGTERM did not end it within " + seconds_text(kill_grace_) + ")";
      }
      r.seconds = std::chrono::duration<double>(s.ended->elapsed).count();
      r.output = s.ended->out;
      r.errors = s.ended->err;
    }
    reports.push_back(std::move(r));
  }
  services_.clear();
  return reports;
}

std::vector<Services::State> Services::states() const {
  std::lock_guard lock(mutex_);
  std::vector<State> out;
  for (const Service& s : services_) {
    std::string state = !s.failure.empty() ? "failed: " + s.failure
                        : s.stopped        ? "stopped"
                        : s.ended          ? "ended"
                                           : "running";
    out.push_back({s.host, s.spec.name, std::move(state)});
  }
  return out;
}

}  // namespace synnet
