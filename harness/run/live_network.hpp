// live_network.hpp — LiveNetwork: a running network's changeable state and
// the one way to change it, shared by everything that does (the timeline,
// traffic steps, the control API), plus its counters sampled every 100 ms.
//
//   LiveNetwork live(scenario, engines, [&bed](const NetworkState& s) { return bed.engine_configs(s); });
//   live.apply({PartitionChange{{{"n1"}, {"n2"}}}});  // every engine has it, or none: returns {"partition n1 | n2"}
//   live.post(change);                       // the timeline's way: futures, not waited for
//   live.engines_off(); live.engines_on();   // an engine_off traffic item (changes meanwhile wait for _on)
//   live.counters();                         // the engines' counters now, summed
//   live.sampled_counters();                 // as the sampler read them last (no engine is asked)
//   live.series().since(t);                  // per link direction every 100 ms (report/series.hpp),
//                                            // the last 6000 (or the constructor's series_capacity)
//   auto sub = live.events().subscribe();    // changes and samples as they happen (events.hpp)
//   live.report_into(report);                // the series and the changes into a RunReport
//
// Every change is checked against the scenario first (NetworkState::apply on a
// copy: an unknown link changes nothing), then posted to every engine at once
// (EngineGroup::apply: all or nothing; a refused change leaves the state and
// the engines as they were). Changes, the sampler and engines_off/on hold one
// mutex, so they never cross. The sampler is a thread of its own that reads
// the engines' counters (EngineGroup::counters: on each engine's thread,
// between breaths) every series interval; the packet path takes no lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_group.hpp"
#include "harness/report/report.hpp"
#include "harness/report/series.hpp"
#include "harness/run/events.hpp"
#include "harness/run/network_engines.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

// A change the network refused (an unknown link, an engine that failed to
// take it); nothing changed.
class ChangeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LiveNetwork {
 public:
  using Configure = std::function<EngineConfigs(const NetworkState&)>;
  static constexpr std::chrono::milliseconds kSeriesInterval{100};
  static constexpr std::size_t kMaxChangeLog = 10000;

  // The engines run (or are started later) with configure(NetworkState::initial(s)).
  // The sampler starts at once, unless `sample` is false (series() stays
  // empty: for benchmarks that measure what sampling costs); series() keeps
  // the last `series_capacity` samples (10 minutes by default; a scenario
  // run keeps an hour for its report).
  LiveNetwork(const Scenario& s, EngineGroup& engines, Configure configure, bool sample = true,
              std::size_t series_capacity = SeriesRecorder::kDefaultCapacity);
  ~LiveNetwork();  // stops the sampler
  LiveNetwork(const LiveNetwork&) = delete;
  LiveNetwork& operator=(const LiveNetwork&) = delete;

  const Scenario& scenario() const noexcept { return s_; }
  NetworkState state() const;
  // Seconds since origin(), when this object was made: the clock of the
  // series, the events and the change log.
  double now() const;
  std::chrono::steady_clock::time_point origin() const noexcept { return t0_; }

  // Every change made, in order: when, by whom ("" the timeline, "step <name>",
  // "api") and what it did. changes_since(i): from the i-th change made (0:
  // the first), of the last kMaxChangeLog kept (a client that changes the
  // network in a loop for days must not grow the harness without bound).
  struct ChangeRecord {
    double t = 0;
    std::string source;
    std::string what;
  };
  std::vector<ChangeRecord> changes_since(std::size_t index) const;

  // Applies `changes` in order to a copy of the state, then the result to
  // every engine at once, waiting until each has taken it; or, while the
  // engines are off, to the state alone. Returns what each change did
  // (describe()). Throws ChangeError and then nothing changed.
  std::vector<std::string> apply(const std::vector<NetworkChange>& changes, const std::string& source = "api");
  // The timeline's way: posted to every engine, not waited for. The futures
  // say whether each engine took it (none while the engines are off).
  struct Posted {
    std::string what;
    std::vector<std::future<void>> done;
  };
  Posted post(const NetworkChange& change, const std::string& source = "");

  // An engine_off traffic item: the engines stop and lose their sockets;
  // engines_on() configures them with the state now and starts them again.
  void engines_off();
  void engines_on();  // throws what EngineGroup::configure throws

  // The engines' counters now (each engine reads its own between breaths).
  EngineCounters counters() const;
  // The counters as the sampler last read them (at most one series interval
  // old): what the API serves, so no request makes an engine do anything.
  // Before the first sample, or with sampling off: counters().
  EngineCounters sampled_counters() const;
  std::string engines_failure() const { return engines_.failure(); }  // "" or why an engine ended
  const SeriesRecorder& series() const noexcept { return series_; }
  // Into `report`: every sample kept (series, series_interval_ms,
  // series_dropped) and every change kept (events), as they are now.
  void report_into(RunReport& report) const;
  EventHub& events() noexcept { return events_; }

 private:
  void sample_loop();
  void record(const std::vector<std::string>& what, const std::string& source);  // the log and the event

  const Scenario& s_;
  EngineGroup& engines_;
  Configure configure_;
  const std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;  // state_, taps_, engines_on_, every use of engines_
  NetworkState state_;
  std::vector<DirectionTap> taps_;
  bool engines_on_ = true;
  std::deque<ChangeRecord> log_;  // the last kMaxChangeLog
  std::size_t log_first_ = 0;     // the index of log_.front() among every change made
  mutable std::mutex sampled_mutex_;
  std::optional<EngineCounters> sampled_;  // the sampler's last read
  SeriesRecorder series_;
  EventHub events_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread sampler_;
};

}  // namespace synnet
