// engine.hpp — the Engine: owns the packet pool, the apps and the links, and
// runs the breathe loop.
//
//   Engine e({.packets = 32768, .seed = 42});
//   e.configure(config);            // diff against the running network (see plan.hpp)
//   e.run({.duration = 1s});        // or .until = predicate; e.stop() from any thread;
//                                   // throws EngineFailure when an app failed (AppContext::fail)
//   e.breathe();                    // one breath, for tests with a ManualClock
//
// A breath: now() is read; queued commands run; every app that pulls is
// pulled (inhale); now() is read again, so the pushes count from after the
// I/O apps read their frames; apps with packets on an input link are pushed,
// in link order, repeated until nothing moves (exhale, at most
// kMaxExhalePasses passes); due timers run.
// Idle: after a breath that moved nothing and a spin window (RunOptions::spin),
// the engine blocks in epoll on the fds apps watch, until the earliest
// wake_at() an app asked for, the next timer, the end of the run, stop(), a
// posted command or a stop signal. RunOptions::busy_poll never blocks.
// The apps' fds are in epoll only while the engine may block: after 1 ms of
// moving packets without a pause (kDisarmAfterBusy), or at once with
// busy_poll, they leave it, and they return before the next block (any fd
// that became readable meanwhile then ends that block at once). Otherwise
// every packet a sender hands a watched socket costs that sender an epoll
// callback (tests/bench/RESULTS.md has its measured cost).
//
// Thread safety: stop() and post() may be called from any thread; everything
// else belongs to the thread that runs the engine.
// Counters: counters() gives the apps' typed counters and each link's
// LinkCounters by LinkSpec (engine_counters.hpp);
// report_load()/report_links()/report_apps() print them as Rush does.
#pragma once

#include <atomic>
#include <csignal>
#include <cstdint>
#include <functional>
#include <future>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/clock.hpp"
#include "engine/config.hpp"
#include "engine/engine_counters.hpp"
#include "engine/link.hpp"
#include "engine/packet_pool.hpp"
#include "engine/rng.hpp"
#include "engine/sys/fd.hpp"

namespace synnet {

// Thrown by Engine::run when an app failed for good (e.g. its interface was
// deleted): what() names the app and says what happened.
class EngineFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EngineOptions {
  std::size_t packets = 32768;                    // packet pool capacity
  std::uint64_t seed = 1;                         // every app's random stream derives from this
  Clock* clock = nullptr;                         // nullptr: a MonotonicClock owned by the engine
  std::function<void(const std::string&)> log{};  // nullptr: stderr
};

struct RunOptions {
  std::optional<Duration> duration{};             // stop after this long
  std::function<bool()> until{};                  // stop once this holds (checked after each breath)
  bool busy_poll = false;                         // never block, even when idle
  Duration spin = std::chrono::microseconds(50);  // idle breaths before blocking
  std::vector<int> stop_signals{};                // e.g. {SIGINT, SIGTERM}: blocked here, then stop the run
  Duration report_interval = std::chrono::seconds(1);
  bool report_load = false;    // print the load report every report_interval
  bool report_links = false;   // print the link report every report_interval
  std::string report_title{};  // a line before each report, e.g. "veth0 -> veth1:"; a report
                               // goes to stdout in one write (engines on other threads do not cut into it)
};

struct EngineStats {
  std::uint64_t breaths = 0;
  std::uint64_t frees = 0;  // packets freed (≈ packets processed)
  std::uint64_t freed_bytes = 0;
  Duration blocked{0};        // time spent blocked in epoll
  std::uint64_t wakeups = 0;  // times epoll returned
  std::uint64_t disarms = 0;  // busy stretches that took the apps' fds out of epoll
};

class Engine {
 public:
  static constexpr int kMaxExhalePasses = 8;
  static constexpr Duration kDisarmAfterBusy = std::chrono::milliseconds(1);

  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Validates `next`, builds new app instances, then swaps them in (see plan.hpp).
  // Throws ConfigError (bad config) or whatever an app's constructor throws;
  // on a throw the running network is unchanged.
  void configure(const Config& next);
  const Config& config() const noexcept { return config_; }

  void run(const RunOptions& options = {});
  void breathe();
  void stop() noexcept;  // any thread
  // Any thread: runs `command` on the engine thread at the start of the next
  // breath; the future carries its exception, if any.
  std::future<void> post(std::function<void(Engine&)> command);

  // Timers run on the engine thread after a breath, at or after their due time.
  using TimerId = std::uint64_t;
  TimerId every(Duration period, std::function<void()> fn);
  TimerId after(Duration delay, std::function<void()> fn);
  void cancel(TimerId id) noexcept;

  Time now() const noexcept { return now_; }
  // The earliest wake_at() apps asked for in the last breath (kNever: none).
  Time next_wakeup() const noexcept { return next_wakeup_; }
  PacketPool& pool() noexcept { return pool_; }
  std::uint64_t seed() const noexcept { return seed_; }
  App* app(const std::string& name) const noexcept;
  template <class A>
  A* app_as(const std::string& name) const noexcept {
    return dynamic_cast<A*>(app(name));
  }
  const Link* link(std::string_view spec) const;  // nullptr when absent

  EngineCounters counters() const;
  EngineStats stats() const noexcept;
  void report_load(std::ostream& out);  // since the previous report_load
  void report_links(std::ostream& out) const;
  void report_apps(std::ostream& out) const;

  // Stops every app, frees the packets on links, and returns how many packets
  // are still out of the pool (a leak, also logged). Idempotent; the
  // destructor calls it.
  std::size_t shutdown() noexcept;

  // For AppContext.
  void wake_at(Time t) noexcept {
    if (t < next_wakeup_) next_wakeup_ = t;
  }
  void fail(const std::string& app, const std::string& message) noexcept;
  void watch_fd(int fd);  // throws SystemError
  void unwatch_fd(int fd) noexcept;

 private:
  struct AppEntry {
    std::unique_ptr<AppContext> ctx;
    std::unique_ptr<App> app;
  };
  struct Pusher {
    App* app;
    std::vector<Link*> inputs;
  };
  struct Timer {
    TimerId id;
    Time due;
    Duration period;  // 0: one-shot
    std::function<void()> fn;
  };

  AppEntry instantiate(const std::string& name, const AppSpec& spec);
  void stop_app(const std::string& name, AppEntry& entry) noexcept;
  bool check_signals() noexcept;
  void relink();
  void run_commands();
  void run_timers();
  Time next_timer_due() const noexcept;
  void block_until(Time deadline);
  void epoll_add(int fd);  // throws SystemError
  void epoll_remove(int fd) noexcept;
  void arm();              // the apps' fds into epoll; throws SystemError
  void disarm() noexcept;  // and out again
  void log(const std::string& message) const;

  std::unique_ptr<Clock> own_clock_;
  Clock* clock_;
  std::function<void(const std::string&)> log_;
  std::uint64_t seed_;
  PacketPool pool_;
  Config config_;
  std::map<std::string, AppEntry> apps_;
  std::map<LinkSpec, std::unique_ptr<Link>> links_;
  std::vector<App*> pullers_;
  std::vector<Pusher> pushers_;

  Time now_{0};
  Time next_wakeup_ = kNever;
  bool moved_ = false;
  EngineStats stats_;
  std::uint64_t reported_frees_ = 0, reported_bytes_ = 0, reported_breaths_ = 0;
  Duration reported_blocked_{0};
  std::optional<Time> reported_at_;  // none: no load report yet

  std::vector<Timer> timers_;
  TimerId next_timer_id_ = 1;

  Fd epoll_;
  std::vector<int> app_fds_;  // what apps watch: in epoll_ while armed_
  bool armed_ = true;
  Fd wake_event_;  // eventfd: stop() and post() write it to end a block
  Fd signal_fd_;   // signalfd during run() with stop_signals
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> commands_pending_{false};
  std::mutex commands_mutex_;
  std::vector<std::function<void()>> commands_;
  std::size_t reported_leak_ = 0;
  std::optional<std::string> failure_;  // the first app failure; ends run()
};

}  // namespace synnet
