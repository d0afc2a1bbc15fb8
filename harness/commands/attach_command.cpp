// attach.cpp — `synnet-test attach`: the engine between an existing
// namespace's interface and its network; see attach.hpp.
#include "harness/commands/attach_command.hpp"

#include <signal.h>
#include <string.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <sstream>

#include "engine/engine.hpp"
#include "harness/run/blocked_signals.hpp"
#include "engine/engine_group.hpp"
#include "harness/run/runner.hpp"
#include "harness/run/testbed.hpp"
#include "harness/commands/run_command.hpp"
#include "netns/attachment.hpp"
#include "netns/run_id.hpp"
#include "engine/sys/text_file.hpp"
#include "harness/report/summary.hpp"
#include "harness/run/session.hpp"
#include "harness/scenario/profile.hpp"

namespace synnet {

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr int kExitEngineFailed = 1;
constexpr int kExitBad = 2;

// The flags and the profile (read now) as a validated scenario; throws ProfileError.
Scenario impairments(const AttachOptions& o) {
  std::optional<std::string> text = std::string();
  if (!o.profile.empty() && !(text = read_text(o.profile))) {
    throw ProfileError("cannot read the profile " + o.profile + ": " + std::strerror(errno));
  }
  return profile_scenario(o.flags, *text, o.profile);
}

std::vector<Config> engine_configs(const Scenario& s, const Attachment& a, const std::string& wire_path) {
  EngineConfigs c;
  const ScenarioLink& link = s.links.at(0);
  // The original interface's offloads are not ours: senders on its network may
  // hand it GSO super-frames, which its port cuts into wire packets on arrival.
  add_engine_link(c, link.name, link.io, {a.inside(), wire_path}, {a.outside(), wire_path, /*segment=*/true},
                  {link.a_to_b, link.b_to_a});
  return c.parts();
}

std::string directions(const Scenario& s) {
  return "up {" + describe(s.links[0].a_to_b) + "}, down {" + describe(s.links[0].b_to_a) + "}";
}

std::string seconds_text(double s) {
  std::ostringstream out;
  out << s;
  return out.str();
}

}  // namespace

std::string netns_path_of(const std::string& netns_or_pid) {
  const bool pid = !netns_or_pid.empty() && std::all_of(netns_or_pid.begin(), netns_or_pid.end(),
                                                         [](char c) { return c >= '0' && c <= '9'; });
  return pid ? "/proc/" + netns_or_pid + "/ns/net" : netns_or_pid;
}

int run_attached(const AttachOptions& o) {
  std::ostream& log = o.log ? *o.log : std::cerr;
  const std::string path = netns_path_of(o.netns);
  Scenario scenario;
  try {
    scenario = impairments(o);
  } catch (const ProfileError& e) {
    log << "synnet-test attach: " << e.what() << "\n";
    return kExitBad;
  }
  const std::uint64_t seed = o.seed ? *o.seed : random_seed();
  const BlockedSignals blocked;  // from here on, Ctrl-C is ours to handle
  std::optional<RunId> run;
  std::optional<Attachment> attachment;
  std::optional<EngineGroup> engines;  // one per direction (engine_link.hpp)
  try {
    run.emplace(RunId::create());
    attachment.emplace(*run, path, o.dev);
    engines.emplace(EngineConfigs::kEngines, seed);
    engines->configure(engine_configs(scenario, *attachment, attachment->wire().path()));
  } catch (const std::exception& e) {
    engines.reset();
    attachment.reset();  // puts back whatever was changed
    const std::string hint = ::geteuid() == 0 ? "" : " (attach needs root: run it with sudo)";
    log << "synnet-test attach: " << e.what() << hint << "\n";
    return kExitBad;
  }
  engines->start();
  // One write: a reader waiting for "attached" sees the whole of both lines.
  std::ostringstream banner;
  banner << "synnet-test attach: attached to " << attachment->describe() << " in " << path << "; "
         << directions(scenario) << "; seed " << seed << ", run " << run->prefix() << ", pid " << ::getpid() << "\n"
         << "synnet-test attach: Ctrl-C" << (o.duration_s ? " or the end of " + seconds_text(*o.duration_s) + " s" : "")
         << " restores it" << (o.profile.empty() ? "" : "; kill -HUP " + std::to_string(::getpid()) + " re-reads " + o.profile)
         << "\n";
  log << banner.str() << std::flush;

  const auto deadline = o.duration_s ? SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                                          std::chrono::duration<double>(*o.duration_s))
                                     : SteadyClock::time_point::max();
  int status = 0;
  for (;;) {
    const auto left = deadline - SteadyClock::now();
    if (left <= 0s) {
      log << "synnet-test attach: the duration is over\n";
      break;
    }
    const int sig = take_signal(std::min<SteadyClock::duration>(left, 200ms));
    if (const std::string f = engines->failure(); !f.empty()) {
      log << "synnet-test attach: the engine failed: " << f << "\n";
      status = kExitEngineFailed;
      break;
    }
    if (sig == SIGHUP) {
      if (o.profile.empty()) {
        log << "synnet-test attach: SIGHUP: no --profile to re-read; impairments unchanged\n";
        continue;
      }
      try {
        const Scenario next = impairments(o);
        engines->apply(engine_configs(next, *attachment, attachment->wire().path()));  // all or nothing
        scenario = next;
        log << "synnet-test attach: re-read " << o.profile << ": " << directions(scenario) << "\n" << std::flush;
      } catch (const std::exception& e) {
        log << "synnet-test attach: re-reading " << o.profile << ": " << e.what() << "; impairments unchanged\n"
            << std::flush;
      }
    } else if (sig != 0) {
      log << "synnet-test attach: " << (sigabbrev_np(sig) ? std::string("SIG") + sigabbrev_np(sig) : "signal") << ": restoring\n";
      break;
    }
  }
  engines->stop();
  log << "synnet-test attach: engine: " << engine_summary(engines->counters(), scenario.links[0].name) << "\n";
  engines.reset();  // closes their sockets on the interfaces before they move
  try {
    attachment->restore();
  } catch (const std::exception& e) {
    log << "synnet-test attach: restoring " << o.dev << " in " << path << " failed: " << e.what()
        << "; run synnet-test --cleanup to try again\n";
    return kExitEngineFailed;
  }
  log << "synnet-test attach: restored " << o.dev << " in " << path << "\n";
  return status;
}

}  // namespace synnet
