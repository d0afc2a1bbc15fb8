#include "engine/engine.hpp"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <set>
#include <sstream>

#include "engine/plan.hpp"
#include "engine/sys/system_error.hpp"

namespace synnet {

namespace {

// Apps in push order: upstream before downstream (Kahn's algorithm over the
// links; ties and cycles broken by name, so the order is deterministic).
std::vector<std::string> push_order(const Config& config) {
  std::map<std::string, int> indegree;
  std::map<std::string, std::vector<std::string>> downstream;
  for (const auto& [name, spec] : config.apps()) indegree[name] = 0;
  for (const LinkSpec& l : config.links()) {
    if (l.from_app == l.to_app) continue;
    ++indegree[l.to_app];
    downstream[l.from_app].push_back(l.to_app);
  }
  std::vector<std::string> order;
  std::set<std::string> ready;
  for (const auto& [name, d] : indegree) {
    if (d == 0) ready.insert(name);
  }
  while (order.size() < indegree.size()) {
    if (ready.empty()) {  // a cycle: release the remaining app with the fewest inputs
      std::string pick;
      int best = -1;
      for (const auto& [name, d] : indegree) {
        if (d > 0 && (best < 0 || d < best)) {
          best = d;
          pick = name;
        }
      }
      indegree[pick] = 0;
      ready.insert(pick);
    }
    const std::string name = *ready.begin();
    ready.erase(ready.begin());
    indegree[name] = -1;  // done
    order.push_back(name);
    for (const std::string& to : downstream[name]) {
      if (indegree[to] > 0 && --indegree[to] == 0) ready.insert(to);
    }
  }
  return order;
}

// `config` less the named apps and their links.
Config without_apps(const Config& config, const std::vector<std::string>& names) {
  const auto gone = [&](const std::string& app) { return std::find(names.begin(), names.end(), app) != names.end(); };
  Config out;
  for (const auto& [name, spec] : config.apps()) {
    if (!gone(name)) out.app(name, spec);
  }
  for (const LinkSpec& l : config.links()) {
    if (!gone(l.from_app) && !gone(l.to_app)) out.link(l);
  }
  return out;
}

std::uint64_t received(const std::vector<Link*>& links) noexcept {
  std::uint64_t n = 0;
  for (const Link* l : links) n += l->counters().rxpackets;
  return n;
}

}  // namespace

Engine::Engine(EngineOptions options)
    : own_clock_(options.clock == nullptr ? std::make_unique<MonotonicClock>() : nullptr),
      clock_(options.clock == nullptr ? own_clock_.get() : options.clock),
      log_(std::move(options.log)),
      seed_(options.seed),
      pool_(options.packets),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_event_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!epoll_) throw SystemError(errno, "engine: epoll_create1");
  if (!wake_event_) throw SystemError(errno, "engine: eventfd");
  epoll_add(wake_event_.get());
  now_ = clock_->now();
}

Engine::~Engine() { shutdown(); }

void Engine::log(const std::string& message) const {
  if (log_) {
    log_(message);
  } else {
    std::cerr << "synnet: " << message << '\n';
  }
}

void Engine::epoll_add(int fd) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    throw SystemError(errno, "engine: watch fd " + std::to_string(fd));
  }
}

void Engine::epoll_remove(int fd) noexcept {
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);  // ENOENT/EBADF: already gone
}

void Engine::watch_fd(int fd) {
  if (armed_) epoll_add(fd);  // else arm() adds it before the next block
  app_fds_.push_back(fd);
}

void Engine::unwatch_fd(int fd) noexcept {
  const auto it = std::find(app_fds_.begin(), app_fds_.end(), fd);
  if (it == app_fds_.end()) return;
  app_fds_.erase(it);
  if (armed_) epoll_remove(fd);
}

void Engine::arm() {
  for (std::size_t i = 0; i < app_fds_.size(); ++i) {
    try {
      epoll_add(app_fds_[i]);
    } catch (...) {  // e.g. an app closed its fd without unwatching it
      for (std::size_t j = 0; j < i; ++j) epoll_remove(app_fds_[j]);
      throw;
    }
  }
  armed_ = true;
}

void Engine::disarm() noexcept {
  for (int fd : app_fds_) epoll_remove(fd);
  armed_ = false;
  ++stats_.disarms;
}

// ---- configuration ----------------------------------------------------------

Engine::AppEntry Engine::instantiate(const std::string& name, const AppSpec& spec) {
  AppEntry entry{std::make_unique<AppContext>(*this, pool_, now_, name), nullptr};
  try {
    entry.app = spec.instantiate(*entry.ctx);
  } catch (...) {
    for (int fd : entry.ctx->watched_fds()) unwatch_fd(fd);
    throw;
  }
  return entry;
}

void Engine::stop_app(const std::string& name, AppEntry& entry) noexcept {
  if (entry.app) {
    try {
      entry.app->stop();
    } catch (const std::exception& e) {
      log("app \"" + name + "\": stop() threw: " + e.what());
    }
    pool_.tell_tracers();  // of the packets it held
  }
  for (int fd : entry.ctx->watched_fds()) unwatch_fd(fd);
  entry.app.reset();
}

void Engine::configure(const Config& next) {
  next.validate();
  const ConfigPlan p = plan(config_, next);
  now_ = clock_->now();  // new apps read now() in their constructors (e.g. Outage's start)

  // 1. Build every new instance first: if one throws, nothing has changed.
  std::map<std::string, AppEntry> fresh;
  try {
    for (const auto* names : {&p.start, &p.restart}) {
      for (const std::string& name : *names) {
        fresh.emplace(name, instantiate(name, next.apps().at(name)));
      }
    }
  } catch (...) {
    for (auto& [name, entry] : fresh) stop_app(name, entry);
    throw;
  }

  // 2. Commit. Nothing below throws out of configure().
  for (const auto* names : {&p.stop, &p.restart}) {
    for (const std::string& name : *names) {
      stop_app(name, apps_.at(name));
      apps_.erase(name);
    }
  }
  std::vector<std::string> failed;  // reconfigure threw, and so did the restart
  for (const std::string& name : p.reconfigure) {
    AppEntry& entry = apps_.at(name);
    try {
      next.apps().at(name).reconfigure(*entry.app);
    } catch (const std::exception& e) {
      log("app \"" + name + "\": reconfigure() threw: " + e.what() + "; restarting it");
      stop_app(name, entry);
      try {
        entry = instantiate(name, next.apps().at(name));
      } catch (const std::exception& e2) {
        log("app \"" + name + "\": restart failed: " + e2.what() + "; app removed");
        failed.push_back(name);
      }
    }
  }
  for (auto& [name, entry] : fresh) apps_.emplace(name, std::move(entry));
  config_ = failed.empty() ? next : without_apps(next, failed);
  for (const std::string& name : failed) apps_.erase(name);
  for (const LinkSpec& l : config_.links()) {
    if (links_.count(l) == 0) links_.emplace(l, std::make_unique<Link>(pool_));
  }
  for (auto it = links_.begin(); it != links_.end();) {
    it = config_.links().count(it->first) != 0 ? std::next(it) : links_.erase(it);
  }
  pool_.tell_tracers();  // of the packets on the links removed
  relink();
}

void Engine::relink() {
  for (auto& [name, entry] : apps_) {
    App& app = *entry.app;
    const Ports ports = config_.apps().at(name).ports();
    app.inputs_.clear();
    app.outputs_.clear();
    app.input_names_.clear();
    app.output_names_.clear();
    if (!ports.any_inputs) {
      app.input_names_ = ports.inputs;
      app.inputs_.assign(ports.inputs.size(), nullptr);
    }
    if (!ports.any_outputs) {
      app.output_names_ = ports.outputs;
      app.outputs_.assign(ports.outputs.size(), nullptr);
    }
    std::vector<std::pair<std::string, Link*>> any_in, any_out;
    for (const auto& [spec, link] : links_) {
      if (spec.to_app == name) {
        if (ports.any_inputs) {
          any_in.emplace_back(spec.to_port, link.get());
        } else {
          const auto i = std::find(ports.inputs.begin(), ports.inputs.end(), spec.to_port);
          app.inputs_[static_cast<std::size_t>(i - ports.inputs.begin())] = link.get();
        }
      }
      if (spec.from_app == name) {
        if (ports.any_outputs) {
          any_out.emplace_back(spec.from_port, link.get());
        } else {
          const auto i = std::find(ports.outputs.begin(), ports.outputs.end(), spec.from_port);
          app.outputs_[static_cast<std::size_t>(i - ports.outputs.begin())] = link.get();
        }
      }
    }
    std::sort(any_in.begin(), any_in.end());
    std::sort(any_out.begin(), any_out.end());
    for (auto& [port, link] : any_in) {
      app.input_names_.push_back(port);
      app.inputs_.push_back(link);
    }
    for (auto& [port, link] : any_out) {
      app.output_names_.push_back(port);
      app.outputs_.push_back(link);
    }
  }

  pullers_.clear();
  pushers_.clear();
  for (const std::string& name : push_order(config_)) {
    App* app = apps_.at(name).app.get();
    if (config_.apps().at(name).pulls()) pullers_.push_back(app);
    Pusher pusher{app, {}};
    for (Link* l : app->inputs_) {
      if (l != nullptr) pusher.inputs.push_back(l);
    }
    if (!pusher.inputs.empty()) pushers_.push_back(std::move(pusher));
  }
  for (auto& [name, entry] : apps_) entry.app->relinked();
}

App* Engine::app(const std::string& name) const noexcept {
  const auto it = apps_.find(name);
  return it == apps_.end() ? nullptr : it->second.app.get();
}

const Link* Engine::link(std::string_view spec) const {
  const auto it = links_.find(LinkSpec::parse(spec));
  return it == links_.end() ? nullptr : it->second.get();
}

// ---- the breathe loop ---------------------------------------------------------

void Engine::breathe() {
  now_ = clock_->now();
  next_wakeup_ = kNever;
  if (commands_pending_.load(std::memory_order_acquire)) run_commands();

  for (App* app : pullers_) app->pull();
  // Again after the pulls: the frames the I/O apps just read came before this,
  // so what the pushes count from them (a delay's due time) is never early.
  now_ = clock_->now();

  moved_ = false;
  for (int pass = 0; pass < kMaxExhalePasses; ++pass) {
    bool progress = false;
    for (Pusher& p : pushers_) {
      for (const Link* l : p.inputs) {
        if (!l->empty()) {
          const std::uint64_t before = received(p.inputs);
          p.app->push();
          progress |= received(p.inputs) != before;
          break;
        }
      }
    }
    if (!progress) break;
    moved_ = true;
  }
  if (next_wakeup_ <= now_) moved_ = true;  // an app asked to run again at once
  if (!timers_.empty()) run_timers();
  pool_.tell_tracers();
  ++stats_.breaths;
}

void Engine::run(const RunOptions& o) {
  if (!clock_->real_time()) {
    throw std::logic_error("Engine::run needs a real-time clock; with a ManualClock, call breathe()");
  }
  sigset_t mask, old_mask;
  sigemptyset(&mask);
  for (int sig : o.stop_signals) sigaddset(&mask, sig);
  if (!o.stop_signals.empty()) {
    ::pthread_sigmask(SIG_BLOCK, &mask, &old_mask);
    signal_fd_.reset(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signal_fd_) {
      const int err = errno;
      ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
      throw SystemError(err, "engine: signalfd");
    }
    epoll_add(signal_fd_.get());
  }
  std::optional<TimerId> report_timer;
  if (o.report_load || o.report_links) {
    std::ostringstream ignored;
    report_load(ignored);  // start the interval now; the first real report comes later
    report_timer = every(o.report_interval, [this, &o] {
      // One write per report: engines on other threads do not cut into it.
      std::ostringstream text;
      if (!o.report_title.empty()) text << o.report_title << "\n";
      if (o.report_load) report_load(text);
      if (o.report_links) report_links(text);
      std::cout << text.str() << std::flush;
    });
  }

  // Wake-ups are due times (a delayed packet's release), not hints: without
  // this, the kernel may add its default 50 us of timer slack to every one.
  const int old_slack = ::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  ::prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);

  const Time start = clock_->now();
  const Time deadline = o.duration ? start + *o.duration : kNever;
  Time last_moved = start;
  Time woke = start;  // the end of the last block: the busy stretch since then decides disarm()
  Time next_signal_check = start;
  for (;;) {
    breathe();
    if (stop_requested_.load(std::memory_order_relaxed) || failure_) break;
    if (now_ >= deadline) break;
    if (o.until && o.until()) break;
    if (signal_fd_ && now_ >= next_signal_check) {
      if (check_signals()) break;
      next_signal_check = now_ + std::chrono::milliseconds(1);
    }
    if (moved_) {
      last_moved = now_;
      if (armed_ && now_ - woke >= kDisarmAfterBusy) disarm();
      continue;
    }
    if (o.busy_poll) {
      if (armed_) disarm();
      continue;
    }
    if (now_ - last_moved < o.spin) continue;
    if (!armed_) {
      try {
        arm();
      } catch (const std::exception& e) {  // an app closed a watched fd without unwatching it
        failure_ = e.what();
        break;
      }
    }
    block_until(std::min({next_wakeup_, next_timer_due(), deadline}));
    woke = clock_->now();
  }
  stop_requested_.store(false);
  if (old_slack > 0) ::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(old_slack), 0, 0, 0);

  if (report_timer) cancel(*report_timer);
  if (signal_fd_) {
    epoll_remove(signal_fd_.get());
    signal_fd_.reset();
    ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  }
  if (failure_) throw EngineFailure(*std::exchange(failure_, std::nullopt));
}

void Engine::fail(const std::string& app, const std::string& message) noexcept {
  if (failure_) return;  // the first failure is the cause; later ones are its echoes
  try {
    failure_ = "app \"" + app + "\": " + message;
  } catch (...) {
    failure_.emplace("app failure (out of memory while describing it)");
  }
}

bool Engine::check_signals() noexcept {
  signalfd_siginfo info{};
  bool got = false;
  while (::read(signal_fd_.get(), &info, sizeof info) == sizeof info) got = true;
  if (got) stop_requested_.store(true);
  return got;
}

void Engine::block_until(Time deadline) {
  epoll_event events[8];
  const Time before = clock_->now();
  int n;
  if (deadline == kNever) {
    n = ::epoll_pwait2(epoll_.get(), events, 8, nullptr, nullptr);
  } else {
    const auto left = std::max(Duration{0}, deadline - before).count();
    timespec ts{static_cast<time_t>(left / 1'000'000'000), static_cast<long>(left % 1'000'000'000)};
    n = ::epoll_pwait2(epoll_.get(), events, 8, &ts, nullptr);
    if (n < 0 && errno == ENOSYS) {  // kernels before 5.11: millisecond resolution, rounded up
      n = ::epoll_wait(epoll_.get(), events, 8, static_cast<int>((left + 999'999) / 1'000'000));
    }
  }
  stats_.blocked += clock_->now() - before;
  ++stats_.wakeups;
  for (int i = 0; i < n; ++i) {
    if (events[i].data.fd == wake_event_.get()) {
      std::uint64_t count;
      while (::read(wake_event_.get(), &count, sizeof count) > 0) {
      }
    } else if (signal_fd_ && events[i].data.fd == signal_fd_.get()) {
      check_signals();
    }
  }
}

void Engine::stop() noexcept {
  stop_requested_.store(true);
  const std::uint64_t one = 1;
  [[maybe_unused]] auto r = ::write(wake_event_.get(), &one, sizeof one);
}

std::future<void> Engine::post(std::function<void(Engine&)> command) {
  auto promise = std::make_shared<std::promise<void>>();
  std::future<void> done = promise->get_future();
  {
    std::lock_guard lock(commands_mutex_);
    commands_.emplace_back([this, promise, command = std::move(command)] {
      try {
        command(*this);
        promise->set_value();
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
    commands_pending_.store(true, std::memory_order_release);
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] auto r = ::write(wake_event_.get(), &one, sizeof one);
  return done;
}

void Engine::run_commands() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard lock(commands_mutex_);
    batch.swap(commands_);
    commands_pending_.store(false, std::memory_order_relaxed);
  }
  for (auto& command : batch) command();
}

// ---- timers -----------------------------------------------------------------

Engine::TimerId Engine::every(Duration period, std::function<void()> fn) {
  if (period <= Duration{0}) throw std::invalid_argument("Engine::every: period must be positive");
  timers_.push_back({next_timer_id_, clock_->now() + period, period, std::move(fn)});
  return next_timer_id_++;
}

Engine::TimerId Engine::after(Duration delay, std::function<void()> fn) {
  timers_.push_back({next_timer_id_, clock_->now() + delay, Duration{0}, std::move(fn)});
  return next_timer_id_++;
}

void Engine::cancel(TimerId id) noexcept {
  std::erase_if(timers_, [id](const Timer& t) { return t.id == id; });
}

Time Engine::next_timer_due() const noexcept {
  Time due = kNever;
  for (const Timer& t : timers_) due = std::min(due, t.due);
  return due;
}

void Engine::run_timers() {
  std::vector<TimerId> due;
  for (const Timer& t : timers_) {
    if (t.due <= now_) due.push_back(t.id);
  }
  for (TimerId id : due) {  // a timer may add or cancel timers: look each one up again
    auto it = std::find_if(timers_.begin(), timers_.end(), [id](const Timer& t) { return t.id == id; });
    if (it == timers_.end()) continue;
    std::function<void()> fn = it->fn;
    if (it->period > Duration{0}) {
      it->due += it->period;
      if (it->due <= now_) it->due = now_ + it->period;  // fell behind: do not burst
    } else {
      timers_.erase(it);
    }
    fn();
  }
}

// ---- teardown -----------------------------------------------------------------

std::size_t Engine::shutdown() noexcept {
  for (auto& [name, entry] : apps_) stop_app(name, entry);
  apps_.clear();
  links_.clear();
  pullers_.clear();
  pushers_.clear();
  config_ = Config{};
  pool_.tell_tracers();
  const std::size_t leaked = pool_.in_use();
  if (leaked != 0 && leaked != reported_leak_) {
    reported_leak_ = leaked;
    log("engine shutdown: " + std::to_string(leaked) + " packet" + (leaked == 1 ? "" : "s") +
        " leaked (taken from the pool and never freed by an app)");
  }
  return leaked;
}

}  // namespace synnet
