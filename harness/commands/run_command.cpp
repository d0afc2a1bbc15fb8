// run_command.cpp — `synnet-test run`: a command behind a flaky link. See
// run_command.hpp.
#include "harness/commands/run_command.hpp"

#include <signal.h>

#include <iostream>
#include <numeric>
#include <thread>

#include "harness/commands/exit_status.hpp"
#include "harness/control/api_server.hpp"
#include "harness/control/run_description.hpp"
#include "harness/measure/expectations.hpp"
#include "harness/report/summary.hpp"
#include "harness/report/terminal.hpp"
#include "harness/run/capture_files.hpp"
#include "harness/run/kill_point.hpp"
#include "harness/run/session.hpp"
#include "harness/run/testbed.hpp"
#include "harness/scenario/profile.hpp"
#include "netns/process.hpp"
#include "netns/rtnetlink.hpp"
#include "netns/run_id.hpp"

namespace synnet {

namespace {

using namespace std::chrono_literals;

constexpr std::chrono::seconds kSignalGrace{5};   // a forwarded Ctrl-C: then SIGTERM, SIGKILL
constexpr const char* kWrapSubnet = "198.18.0.";  // self is .1, the peer .2 (/24)

std::string joined(const std::vector<std::string>& argv) {
  return std::accumulate(argv.begin(), argv.end(), std::string(),
                         [](const std::string& a, const std::string& b) { return a.empty() ? b : a + " " + b; });
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The command as the report's one item: an exec whose exit status is checked == 0.
ItemReport command_item(const std::vector<std::string>& argv, double start, double seconds,
                        const std::optional<ProcessResult>& result, const std::string& error) {
  ItemReport item{.name = "command", .kind = "exec", .command = joined(argv), .seconds = seconds, .start = start};
  if (result) {
    if (result->signal == 0) {
      item.measurement.exit_code = result->exit_code;
    } else {
      item.measurement.error = result->describe();
    }
  }
  item.error = error;
  if (error.empty()) item.checks = check_expectations(Expectations{}, item.measurement, /*is_exec=*/true);
  return item;
}

}  // namespace

int run_wrapped(const Scenario& s, const WrapOptions& o) {
  std::ostream& log = o.log ? *o.log : std::cerr;
  const auto t0 = std::chrono::steady_clock::now();
  if (const auto problem = o.reports.problem()) {
    log << "synnet-test run: " << *problem << "\n";
    return exit_status::kRunBad;
  }
  if (o.far_side_is_host) {
    // The host end's subnet must be free here, or the host's replies would go elsewhere.
    for (const auto& [dev, address] : RtNetlink().addresses()) {
      if (address.rfind(kWrapSubnet, 0) == 0) {
        throw ProfileError(
            "--host: " + std::string(kWrapSubnet) + "0/24 is already in use on this machine (" + address + " on " +
            dev + (run_prefix_of(dev).empty() ? "" : ": another synnet-test run --host?") + "); end that first");
      }
    }
  }
  CaptureFiles captures;  // outlives the engines: their packets point at it
  Session session(o.seed ? *o.seed : random_seed());
  Testbed& bed = session.build<Testbed>(s, o.far_side_is_host ? "peer" : "");
  if (o.capture) {
    captures.open(s, *o.capture);
    bed.capture(captures.captures());
  }
  session.start_engines(bed.engine_configs(bed.links()).parts());
  std::optional<LiveNetwork> live;  // before the server, which uses it; both go before the engines stop
  live.emplace(s, session.engines(), [&bed](const NetworkState& state) { return bed.engine_configs(state); });
  std::optional<ApiServer> server;
  try {
    server.emplace(
        *live,
        describe_run(
            {.scenario = s, .file = "", .seed = session.seed(), .prefix = session.run().prefix(), .command = "run"},
            &bed, nullptr),
        ApiServerOptions{.prefix = session.run().prefix(), .listen = o.listen});
  } catch (const std::exception& e) {
    throw setup_failure("starting the control API", e);
  }

  const std::string self = bed.address("self"), peer = bed.address("peer");
  const std::vector<std::string> env = {"SYNNET_SELF=" + self, "SYNNET_PEER=" + peer,
                                        "SYNNET_API=" + server->socket_path()};
  log << "synnet-test run: SYNNET_SELF=" << self << " SYNNET_PEER=" << peer
      << (o.far_side_is_host ? " (this machine, on " + bed.interface("peer") + ")" : "") << "; up {"
      << describe(s.links[0].a_to_b) << "}, down {" << describe(s.links[0].b_to_a) << "}; seed " << session.seed()
      << ", run " << session.run().prefix() << "\n"
      << "synnet-test run: " << server->describe() << "\n"
      << std::flush;

  std::optional<Process> peer_process;
  if (!o.peer_cmd.empty()) {
    peer_process.emplace(Process::spawn(bed.host("peer").fd(), {.argv = {"sh", "-c", o.peer_cmd}, .env = env}));
    std::this_thread::sleep_for(300ms);  // a head start; the command should still retry its first connection
  }

  int status = 0;
  const double start = live->now();
  std::optional<ProcessResult> result;
  std::string run_error;
  try {
    Process cmd = Process::spawn(bed.host("self").fd(),
                                 {.argv = o.argv, .env = env, .inherit_stdio = true, .take_terminal = true});
    int forwarded = 0;
    auto forwarded_at = std::chrono::steady_clock::now();
    kill_point("traffic");
    while (!cmd.wait_for(50ms)) {
      if (cmd.stopped()) {  // Ctrl-Z: stop with it, as a shell's job does; when continued (fg), continue it
        ::raise(SIGSTOP);
        cmd.resume();
      }
      if (const int sig = session.next_signal(0ns)) {
        if (forwarded == 0) {
          ::kill(-cmd.pid(), sig);  // the command first: it may want to clean up
          forwarded = sig;
          forwarded_at = std::chrono::steady_clock::now();
        } else {
          cmd.terminate();  // a second signal: no more waiting
        }
      }
      if (forwarded != 0 && std::chrono::steady_clock::now() - forwarded_at > kSignalGrace) cmd.terminate();
      if (const std::string f = session.engine_failure(); !f.empty()) {
        log << "synnet-test run: the engine failed: " << f << "; stopping the command\n";
        cmd.terminate();
      }
    }
    const ProcessResult r = cmd.wait();
    status = r.signal != 0 ? exit_status::signalled(r.signal) : r.exit_code;
    result = r;
  } catch (const std::exception& e) {
    log << "synnet-test run: cannot run " << o.argv.front() << ": " << e.what() << "\n";
    status = exit_status::kRunNotStarted;
    run_error = "cannot run " + o.argv.front() + ": " + e.what();
  }
  RunReport report{.scenario = s.name,
                   .file = o.profile,
                   .seed = session.seed(),
                   .prefix = session.run().prefix(),
                   .replay = o.command_line.empty() ? "" : replay_command(o.command_line, session.seed())};
  report.items.push_back(command_item(o.argv, start, live->now() - start, result, run_error));
  report.error = session.engine_failure().empty() ? "" : "the engine failed: " + session.engine_failure();

  if (peer_process) {
    const bool ended_by_itself = !peer_process->running();
    const ProcessResult p = ended_by_itself ? peer_process->wait() : peer_process->terminate();
    if (ended_by_itself && !p.ok()) {
      log << "synnet-test run: the peer command " << p.describe() << "; its output:\n" << p.out << p.err;
    }
    report.services.push_back(
        {.host = "peer",
         .name = "peer-cmd",
         .command = o.peer_cmd,
         .ended = p.describe(),
         .stopped = !ended_by_itself,
         .seconds = std::chrono::duration<double>(p.elapsed).count(),
         .output = p.out,
         .errors = p.err,
         .failure = ended_by_itself && !p.ok() ? p.describe() + " before the command ended" : ""});
  }
  server.reset();
  live->report_into(report);
  live.reset();
  const auto counters = session.stop_engines();
  log << "synnet-test run: engine: " << engine_summary(counters, bed.link_app_prefix(0)) << "\n";
  if (!captures.empty()) {
    report.captures = captures.close();
    print_captures(log, report.captures, false);
  }
  report.counters = counters;
  report.seconds = seconds_since(t0);
  if (!o.reports.write(report, log, "synnet-test run")) return exit_status::kRunBad;
  return status;
}

}  // namespace synnet
