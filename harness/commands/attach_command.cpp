// attach_command.cpp — `synnet-test attach`: the engine between an existing
// namespace's interface and its network; see attach_command.hpp.
#include "harness/commands/attach_command.hpp"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <sstream>

#include "engine/sys/text_file.hpp"
#include "harness/commands/exit_status.hpp"
#include "harness/control/api_server.hpp"
#include "harness/control/run_description.hpp"
#include "harness/report/summary.hpp"
#include "harness/report/terminal.hpp"
#include "harness/run/capture_files.hpp"
#include "harness/run/engine_link.hpp"
#include "harness/run/kill_point.hpp"
#include "harness/run/session.hpp"
#include "harness/scenario/profile.hpp"
#include "netns/attachment.hpp"

namespace synnet {

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// The flags and the profile (read now) as a validated scenario; throws ProfileError.
Scenario impairments(const AttachOptions& o) {
  std::optional<std::string> text = std::string();
  if (!o.profile.empty() && !(text = read_text(o.profile))) {
    throw ProfileError("cannot read the profile " + o.profile + ": " + std::strerror(errno));
  }
  return profile_scenario(o.flags, *text, o.profile);
}

EngineConfigs engine_configs(const Scenario& s, Attachment& a, const LinkDirections& directions,
                             const CaptureFiles& captures) {
  EngineConfigs c;
  const ScenarioLink& link = s.links.at(0);
  const std::string wire_path = a.wire().path();
  // The original interface's offloads are not ours: senders on its network may
  // hand it GSO super-frames, which its port cuts into wire packets on arrival.
  add_engine_link(c, link.name, link.io, {a.inside(), wire_path}, {a.outside(), wire_path, /*segment=*/true},
                  directions, {}, captures_of(captures.captures(), link.name));
  return c;
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
  const bool pid = !netns_or_pid.empty() &&
                   std::all_of(netns_or_pid.begin(), netns_or_pid.end(), [](char c) { return c >= '0' && c <= '9'; });
  return pid ? "/proc/" + netns_or_pid + "/ns/net" : netns_or_pid;
}

int run_attached(const AttachOptions& o) {
  std::ostream& log = o.log ? *o.log : std::cerr;
  const auto t0 = SteadyClock::now();
  const std::string path = netns_path_of(o.netns);
  Scenario scenario = impairments(o);
  if (const auto problem = o.reports.problem()) {
    log << "synnet-test attach: " << *problem << "\n";
    return exit_status::kBad;
  }
  const std::optional<CaptureSettings> capture = o.capture.settings();
  CaptureFiles captures;  // outlives the engines: their packets point at it
  if (capture) captures.open(scenario, *capture);
  Session session(o.seed ? *o.seed : random_seed());  // from here on, Ctrl-C is ours to handle
  Attachment& attachment = session.build<Attachment>(path, o.dev);
  kill_point("veths");
  session.start_engines(
      engine_configs(scenario, attachment, {scenario.links[0].a_to_b, scenario.links[0].b_to_a}, captures).parts());
  // The API and SIGUSR1 change the link through one LiveNetwork; both go before the engines stop.
  std::optional<LiveNetwork> live;
  live.emplace(scenario, session.engines(), [&scenario, &attachment, &captures](const NetworkState& state) {
    return engine_configs(scenario, attachment, state.links.at(0), captures);
  });
  std::optional<ApiServer> server;
  try {
    server.emplace(*live,
                   describe_run({.scenario = scenario,
                                 .file = o.profile,
                                 .seed = session.seed(),
                                 .prefix = session.run().prefix(),
                                 .command = "attach"},
                                nullptr, nullptr),
                   ApiServerOptions{.prefix = session.run().prefix(), .listen = o.listen});
  } catch (const std::exception& e) {
    throw setup_failure("starting the control API", e);
  }
  // One write: a reader waiting for "attached" sees the whole of both lines.
  std::ostringstream banner;
  banner << "synnet-test attach: attached to " << attachment.describe() << " in " << path << "; "
         << directions(scenario) << "; seed " << session.seed() << ", run " << session.run().prefix() << ", pid "
         << ::getpid() << "\n"
         << "synnet-test attach: Ctrl-C" << (o.duration_s ? " or the end of " + seconds_text(*o.duration_s) + " s" : "")
         << " restores it"
         << (o.profile.empty() ? "" : "; kill -HUP " + std::to_string(::getpid()) + " re-reads " + o.profile) << "\n"
         << "synnet-test attach: " << server->describe() << "\n";
  log << banner.str() << std::flush;
  kill_point("traffic");

  const auto deadline = o.duration_s ? SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                                                std::chrono::duration<double>(*o.duration_s))
                                     : SteadyClock::time_point::max();
  int status = exit_status::kOk;
  for (;;) {
    const auto left = deadline - SteadyClock::now();
    if (left <= 0s) {
      log << "synnet-test attach: the duration is over\n";
      break;
    }
    const int sig = session.next_signal(std::min<SteadyClock::duration>(left, 200ms));
    if (const std::string f = session.engine_failure(); !f.empty()) {
      log << "synnet-test attach: the engine failed: " << f << "\n";
      status = exit_status::kFailed;
      break;
    }
    if (sig == SIGUSR1) {
      if (o.profile.empty()) {
        log << "synnet-test attach: SIGUSR1: no --profile to re-read; impairments unchanged\n";
        continue;
      }
      try {
        const Scenario next = impairments(o);
        const ScenarioLink& l = next.links.at(0);
        live->apply({LinkChange{.link = l.name, .a_to_b = l.a_to_b, .b_to_a = l.b_to_a}}, "SIGUSR1");  // all or nothing
        log << "synnet-test attach: re-read " << o.profile << ": " << directions(next) << "\n" << std::flush;
      } catch (const std::exception& e) {
        log << "synnet-test attach: re-reading " << o.profile << ": " << e.what() << "; impairments unchanged\n"
            << std::flush;
      }
    } else if (sig != 0) {
      log << "synnet-test attach: " << (sigabbrev_np(sig) ? std::string("SIG") + sigabbrev_np(sig) : "signal")
          << ": restoring\n";
      break;
    }
  }
  RunReport report{.scenario = "attach",
                   .file = o.profile,
                   .seed = session.seed(),
                   .prefix = session.run().prefix(),
                   .replay = o.command_line.empty() ? "" : replay_command(o.command_line, session.seed())};
  if (const std::string f = session.engine_failure(); !f.empty()) report.error = "the engine failed: " + f;
  server.reset();
  live->report_into(report);
  live.reset();
  report.counters = session.stop_engines();
  log << "synnet-test attach: engine: " << engine_summary(report.counters, scenario.links[0].name) << "\n";
  if (!captures.empty()) {
    report.captures = captures.close();
    print_captures(log, report.captures, false);
  }
  session.close_engines();  // closes their sockets on the interfaces before they move
  try {
    attachment.restore();
    log << "synnet-test attach: restored " << o.dev << " in " << path << "\n";
  } catch (const std::exception& e) {
    log << "synnet-test attach: restoring " << o.dev << " in " << path << " failed: " << e.what()
        << "; run synnet-test --cleanup to try again\n";
    report.error += (report.error.empty() ? "" : "; ") + std::string("restoring ") + o.dev + " failed: " + e.what();
    status = exit_status::kFailed;
  }
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  if (!o.reports.write(report, log, "synnet-test attach") && status == exit_status::kOk) status = exit_status::kBad;
  return status;
}

}  // namespace synnet
