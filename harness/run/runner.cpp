// runner.cpp — runs a scenario: testbed, engine thread, traffic, timeline,
// checks, teardown. See runner.hpp.
#include "harness/run/runner.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <future>
#include <iostream>
#include <mutex>
#include <ostream>
#include <random>
#include <sstream>
#include <string_view>
#include <thread>

#include "engine/engine.hpp"
#include "engine/engine_group.hpp"
#include "engine/sys/system_error.hpp"
#include "harness/measure/expectations.hpp"
#include "harness/report/progress.hpp"
#include "harness/report/summary.hpp"
#include "harness/run/kill_point.hpp"
#include "harness/run/services.hpp"
#include "harness/run/testbed.hpp"
#include "harness/run/traffic.hpp"

namespace synnet {

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::nanoseconds;

double seconds_since(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s.precision(digits);
  s << std::fixed << v;
  return s.str();
}

// The longest one-way delay a direction can add (for ping's linger).
nanoseconds worst_delay(const ImpairmentSpec& s) {
  nanoseconds d{0};
  for_each_effect([&](const auto& effect) {
    if (const auto& e = s.*effect.member) d += std::chrono::microseconds(effect.worst_delay_us(*e));
  });
  return d;
}
nanoseconds worst_delay(const DirectionSpec& d) {
  nanoseconds worst = worst_delay(d.impairments);
  for (const FlowChain& f : d.flows) worst = std::max(worst, worst_delay(f.impairments));
  return worst;
}
// How long ping waits for a late reply: twice the longest round trip any
// path could add (every link and switch path, also as the changes set them;
// a generous bound, summed over all hops).
nanoseconds ping_linger(const Scenario& s) {
  nanoseconds worst{0};
  const auto changed = [&worst](const NetworkChange& change) {
    const auto* c = std::get_if<LinkChange>(&change);
    if (c == nullptr) return;
    for (const auto* d : {&c->a_to_b, &c->b_to_a}) {
      if (*d) worst += 2 * worst_delay(**d);
    }
  };
  for (const ScenarioLink& l : s.links) worst += worst_delay(l.a_to_b) + worst_delay(l.b_to_a);
  for (const ScenarioSwitch& sw : s.switches) {
    for (const SwitchPath& p : sw.paths) worst += worst_delay(p.impairments);
  }
  for (const TimelineEvent& e : s.timeline) changed(e.change);
  for (const TrafficItem& item : s.traffic) {
    if (const auto* step = std::get_if<ChangeStep>(&item.what)) changed(step->change);
  }
  return std::max<nanoseconds>(2s, 2 * worst);
}

// The columns of the terminal `log` writes to (std::cerr or std::cout, the
// only streams whose descriptor is known), else 100.
std::size_t terminal_columns(const std::ostream* log) {
  const int fd = log == &std::cerr || log == &std::clog ? STDERR_FILENO : log == &std::cout ? STDOUT_FILENO : -1;
  winsize size{};
  if (fd >= 0 && ::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 100;
}

// What the traffic thread shows the main thread.
struct Progress {
  std::mutex mutex;
  std::size_t index = 0, total = 0;
  std::string name, kind;
  SteadyClock::time_point item_start{};
  nanoseconds expected{0};
  std::vector<std::string> done_lines;  // finished-item lines not yet logged
};

class Run {
 public:
  Run(const Scenario& s, const RunSettings& settings, Testbed& bed, LiveNetwork& live, Services& services,
      std::vector<std::string> env)
      : s_(s),
        settings_(settings),
        bed_(bed),
        live_(live),
        services_(services),
        env_(std::move(env)),
        linger_(ping_linger(s)),
        t0_(live.origin()) {}

  // When the traffic started: timeline times count from it.
  SteadyClock::time_point t0() const noexcept { return t0_; }

  // The traffic thread: every item in order.
  void run_traffic() {
    std::uint16_t port = 5201;
    for (std::size_t i = 0; i < s_.traffic.size() && !cancelled_; ++i) {
      const TrafficItem& item = s_.traffic[i];
      {
        std::lock_guard lock(progress_.mutex);
        progress_.index = i + 1;
        progress_.total = s_.traffic.size();
        progress_.name = item.name;
        progress_.kind = kind_of(item);
        progress_.item_start = SteadyClock::now();
        progress_.expected = expected_length(item);
      }
      if (const auto* step = std::get_if<ChangeStep>(&item.what)) {
        change_step(item, step->change);
        continue;
      }
      if (item.engine_off) engine_off();
      std::vector<ItemReport> reports;
      if (const auto* group = std::get_if<ParallelGroup>(&item.what)) {
        reports.resize(group->items.size());
        std::vector<std::thread> threads;
        for (std::size_t k = 0; k < group->items.size(); ++k) {
          const std::uint16_t item_port = port++;
          threads.emplace_back([&, k, item_port] { reports[k] = run_one(group->items[k], item_port); });
        }
        for (std::thread& t : threads) t.join();
      } else {
        reports.push_back(run_one(item, port++));
      }
      if (item.engine_off) engine_on();
      std::lock_guard lock(progress_.mutex);
      for (ItemReport& r : reports) {
        progress_.done_lines.push_back(r.name + " (" + r.kind + "): " + (r.passed() ? "PASS" : "FAIL") + " in " +
                                       fixed(r.seconds, 1) + " s");
        items_.push_back(std::move(r));
      }
    }
    traffic_done_ = true;
  }

  // The main thread: timeline, signals, engine health and progress, until
  // the traffic is done or a signal came.
  int supervise(SteadyClock::time_point t0, std::vector<std::string>& timeline_log) {
    std::size_t next_event = 0;
    int signal = 0;
    while (!traffic_done_) {
      nanoseconds wait = 200ms;
      if (next_event < s_.timeline.size()) {
        const nanoseconds until_event = s_.timeline[next_event].at - (SteadyClock::now() - t0);
        wait = std::clamp<nanoseconds>(until_event, 1ms, wait);
      }
      const int sig = take_signal(wait);
      kill_point("traffic");
      if (sig > 0 && signal == 0) {
        signal = sig;
        cancel("interrupted by " + std::string(sigabbrev_np(sig) ? sigabbrev_np(sig) : "a signal"));
      }
      while (next_event < s_.timeline.size() && SteadyClock::now() - t0 >= s_.timeline[next_event].at) {
        apply(s_.timeline[next_event].change, "");
        ++next_event;
      }
      check_applied();
      log_changes();
      if (const std::string f = live_.engines_failure(); !f.empty() && error().empty()) {
        cancel("the engine failed: " + f);
      }
      // A dead service is a failure of what is tested (its report says so), not of
      // synnet-test: the traffic stops, the run's error stays empty.
      if (!cancelled_ && !services_.failure().empty()) cancelled_ = true;
      show_progress();
    }
    log_changes();
    show_progress();
    if (settings_.live && settings_.log) *settings_.log << "\r\033[K" << std::flush;
    timeline_log = timeline_;
    return signal;
  }

  std::vector<ItemReport> take_items() { return std::move(items_); }
  // Every change so far (also those made after the traffic, through the API).
  void take_timeline(std::vector<std::string>& out) {
    log_changes();
    out = timeline_;
  }
  std::string error() const {
    std::lock_guard lock(error_mutex_);
    return error_;
  }
  std::atomic<bool>& cancelled() { return cancelled_; }

 private:
  ItemReport run_one(const TrafficItem& item, std::uint16_t port) {
    const auto start = SteadyClock::now();
    const double start_t = live_.now();
    TrafficContext ctx{.bed = bed_, .cancelled = cancelled_, .port = port, .linger = linger_, .env = env_};
    ItemReport r = run_traffic_item(item, ctx);
    r.start = start_t;
    r.seconds = seconds_since(start);
    r.checks = check_expectations(item.expect, r.measurement, std::holds_alternative<ExecSpec>(item.what));
    return r;
  }

  void cancel(const std::string& why) {
    std::lock_guard lock(error_mutex_);  // the traffic thread cancels too (engine_on)
    if (error_.empty()) error_ = why;
    cancelled_ = true;
  }

  void engine_off() { live_.engines_off(); }
  void engine_on() {
    try {
      live_.engines_on();
    } catch (const std::exception& e) {  // on the traffic thread: end the run, not the process
      cancel(std::string("restarting the engines failed: ") + e.what());
    }
  }

  // Applies a change to the running network: every engine gets its new
  // configuration at once, applied on the engine threads between breaths
  // (while the engines are off, engine_on() applies the current state
  // anyway). Returns the engines' futures; `step`: the traffic step's name
  // ("" for a timeline event).
  std::vector<std::future<void>> apply(const NetworkChange& change, const std::string& step) {
    LiveNetwork::Posted posted = live_.post(change, step.empty() ? "" : "step " + step);
    if (step.empty()) {
      for (std::future<void>& f : posted.done) pending_.push_back(std::move(f));
      return {};
    }
    return std::move(posted.done);
  }

  // The changes made since the last call (the timeline's, the steps', the
  // API's), into the timeline and the progress lines.
  void log_changes() {
    for (const LiveNetwork::ChangeRecord& c : live_.changes_since(timeline_.size())) {
      const std::string text = fixed(c.t, 2) + " s: " + (c.source.empty() ? "" : c.source + ": ") + c.what;
      timeline_.push_back(text);
      if (settings_.log) {
        std::lock_guard lock(progress_.mutex);
        progress_.done_lines.push_back((c.source.empty() ? "timeline " : "change ") + text);
      }
    }
  }

  // A change step: applied before the next item starts.
  void change_step(const TrafficItem& item, const NetworkChange& change) {
    for (std::future<void>& f : apply(change, item.name)) {
      try {
        f.get();
      } catch (const std::exception& e) {
        cancel("change " + item.name + " failed: " + e.what());
      }
    }
  }

  // A timeline change the engine refused (its future holds the exception)
  // ends the run instead of going unnoticed.
  void check_applied() {
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->wait_for(0s) != std::future_status::ready) {
        ++it;
        continue;
      }
      try {
        it->get();
      } catch (const std::exception& e) {
        cancel(std::string("a timeline change failed: ") + e.what());
      }
      it = pending_.erase(it);
    }
  }

  void show_progress() {
    if (!settings_.log) return;
    std::lock_guard lock(progress_.mutex);
    std::ostream& out = *settings_.log;
    if (settings_.live) {
      out << "\r\033[K";
      for (const std::string& line : progress_.done_lines) out << "  " << line << "\n";
      progress_.done_lines.clear();
      if (!traffic_done_ && progress_.index > 0) {
        std::string head = "[" + std::to_string(progress_.index) + "/" + std::to_string(progress_.total) + "] " +
                           progress_.name + " (" + progress_.kind + ") " +
                           fixed(seconds_since(progress_.item_start), 1) + " s";
        if (progress_.expected > 0ns)
          head += " of ~" + fixed(std::chrono::duration<double>(progress_.expected).count(), 0) + " s";
        // The last second of the series: each link's rate and loss now. One
        // column short of the width, so the line never wraps.
        const double interval_s = std::chrono::duration<double>(LiveNetwork::kSeriesInterval).count();
        const auto recent = live_.series().last(static_cast<std::size_t>(std::lround(1.0 / interval_s)));
        out << progress_line(head, recent, interval_s, terminal_columns(settings_.log) - 1);
      }
      out << std::flush;
    } else {
      for (const std::string& line : progress_.done_lines) out << "  " << line << "\n";
      progress_.done_lines.clear();
      if (progress_.index != announced_ && progress_.index > 0 && !traffic_done_) {
        announced_ = progress_.index;
        out << "[" << progress_.index << "/" << progress_.total << "] " << progress_.name << " (" << progress_.kind
            << ")\n";
      }
      out << std::flush;
    }
  }

  const Scenario& s_;
  const RunSettings& settings_;
  Testbed& bed_;
  LiveNetwork& live_;
  Services& services_;
  std::vector<std::string> env_;       // for every exec item (SYNNET_API)
  std::vector<std::string> timeline_;  // the main thread's (log_changes)
  std::vector<std::future<void>> pending_;
  nanoseconds linger_;
  SteadyClock::time_point t0_;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> traffic_done_{false};
  mutable std::mutex error_mutex_;
  std::string error_;
  Progress progress_;
  std::size_t announced_ = 0;
  std::vector<ItemReport> items_;
};

int wait_for_signal() {
  for (;;) {
    if (const int sig = take_signal(std::chrono::hours(1))) return sig;
  }
}

void print_keep_help(std::ostream& out, const Scenario& s, Testbed& bed, const std::string& prefix) {
  out << "\nthe network " << prefix << " stays up with its engines running; enter it with:\n";
  for (const ScenarioHost& h : s.hosts) {
    out << "  ip netns exec " << bed.host(h.name).name() << " bash    # host " << h.name;
    for (const HostAddress& a : h.addresses) out << " " << a;
    out << "\n";
  }
  out << "press Ctrl-C (or send SIGTERM, or run: synnet-test down " << prefix << ") to tear it down\n" << std::flush;
}

}  // namespace

std::string replay_command(const std::string& file, std::uint64_t seed) {
  if (file.empty()) return "";
  const bool plain = std::all_of(file.begin(), file.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("/._-+,:=@%").find(c) != std::string_view::npos;
  });
  std::string quoted = file;
  if (!plain) {
    quoted = "'";
    for (const char c : file) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
  }
  return "synnet-test " + quoted + " --seed " + std::to_string(seed);
}

RunOutcome run_scenario(const Scenario& scenario, const RunSettings& settings) {
  const auto started = SteadyClock::now();
  RunOutcome outcome;
  RunReport& report = outcome.report;
  report.scenario = scenario.name;
  report.file = settings.file;
  report.seed = settings.seed ? *settings.seed : scenario.seed ? *scenario.seed : random_seed();
  report.replay = replay_command(settings.file, report.seed);
  std::ostream* log = settings.log;

  CaptureFiles captures;  // outlives the engines: their packets point at it
  Session session(report.seed);
  report.prefix = session.run().prefix();
  if (log) *log << scenario.name << ": run " << report.prefix << ", seed " << report.seed << "\n" << std::flush;
  Testbed& bed = session.build<Testbed>(scenario);
  if (settings.capture) {
    captures.open(scenario, *settings.capture);
    bed.capture(captures.captures());
  }
  const bool engine_off_first = !scenario.traffic.empty() && scenario.traffic.front().engine_off;
  session.start_engines(bed.engine_configs(bed.links()).parts(), /*start=*/!engine_off_first);
  EngineGroup& engines = session.engines();
  Services services;  // stopped before the session tears the network down
  int signal = 0;
  const auto interrupted = [&signal] {
    if (signal == 0) signal = take_signal(std::chrono::nanoseconds(0));
    return signal != 0;
  };
  for (const ScenarioHost& h : scenario.hosts) {
    for (const ServiceSpec& spec : h.services) {
      if (log) *log << "service " << h.name << "/" << spec.name << ": starting\n" << std::flush;
      try {
        services.start(h.name, bed.host(h.name).fd(), spec, interrupted);
      } catch (const SetupError&) {
        if (signal == 0) throw;
        outcome.signal = signal;  // Ctrl-C while a service got ready: an interrupted run, not a failed setup
        report.error = "interrupted by a signal while services started";
        report.services = services.stop();
        return outcome;
      }
    }
  }
  kill_point("services");
  // The sampler's thread reads the engines: it ends (live.reset()) before they stop.
  std::optional<LiveNetwork> live;
  live.emplace(
      scenario, engines, [&bed](const NetworkState& state) { return bed.engine_configs(state); }, /*sample=*/true,
      kRunSeriesCapacity);
  std::vector<std::string> env;
  std::shared_ptr<void> served;
  if (settings.serve) served = settings.serve(LiveRun{*live, bed, services, report}, env);
  Run r(scenario, settings, bed, *live, services, std::move(env));

  const auto t0 = r.t0();
  std::thread traffic([&r] { r.run_traffic(); });
  try {
    outcome.signal = r.supervise(t0, report.timeline);
  } catch (...) {
    r.cancelled() = true;
    traffic.join();
    throw;
  }
  traffic.join();

  auto collect = [&] {
    if (report.error.empty()) report.error = r.error();
    if (const std::string f = engines.failure(); !f.empty() && report.error.empty()) {
      report.error = "the engine failed: " + f;
    }
    report.counters = live ? live->counters() : engines.counters();
    report.seconds = seconds_since(started);
  };
  report.items = r.take_items();
  if (settings.keep && outcome.signal == 0) {
    collect();
    if (settings.on_checked) settings.on_checked(report);
    print_keep_help(log ? *log : std::cerr, scenario, bed, report.prefix);
    wait_for_signal();
  }
  served.reset();                    // no more changes from outside
  r.take_timeline(report.timeline);  // with the changes made through the API while kept
  live->report_into(report);         // the series and the changes, the whole run
  live.reset();
  report.services = services.stop();
  engines.stop();
  if (!captures.empty()) report.captures = captures.close();
  collect();
  return outcome;  // ~Session: the engines, then the testbed, then the run go
}

}  // namespace synnet
