// live_network.cpp — LiveNetwork. See live_network.hpp.
#include "harness/run/live_network.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace synnet {

namespace {

std::string seconds_json(double t) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << t;
  return out.str();
}

}  // namespace

LiveNetwork::LiveNetwork(const Scenario& s, EngineGroup& engines, Configure configure, bool sample,
                         std::size_t series_capacity)
    : s_(s),
      engines_(engines),
      configure_(std::move(configure)),
      state_(NetworkState::initial(s)),
      taps_(configure_(state_).taps),
      engines_on_(engines.running()),
      series_(series_capacity),
      sampler_([this, sample] {
        if (sample) sample_loop();
      }) {}

LiveNetwork::~LiveNetwork() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  sampler_.join();
  events_.close();
}

NetworkState LiveNetwork::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

double LiveNetwork::now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

void LiveNetwork::report_into(RunReport& report) const {
  report.series = series_.since(-1);
  report.series_interval_ms = static_cast<int>(kSeriesInterval.count());
  report.series_dropped = series_.dropped();
  report.events.clear();
  for (ChangeRecord& c : changes_since(0)) report.events.push_back({c.t, std::move(c.source), std::move(c.what)});
}

std::vector<LiveNetwork::ChangeRecord> LiveNetwork::changes_since(std::size_t index) const {
  std::lock_guard lock(mutex_);
  const std::size_t skip = index > log_first_ ? index - log_first_ : 0;
  if (skip >= log_.size()) return {};
  return {log_.begin() + static_cast<std::ptrdiff_t>(skip), log_.end()};
}

std::vector<std::string> LiveNetwork::apply(const std::vector<NetworkChange>& changes, const std::string& source) {
  std::vector<std::string> what;
  {
    std::lock_guard lock(mutex_);
    NetworkState next = state_;
    try {
      for (const NetworkChange& c : changes) what.push_back(next.apply(s_, c));
    } catch (const std::out_of_range& e) {
      throw ChangeError(e.what());
    }
    EngineConfigs configs;
    try {
      configs = configure_(next);
      if (engines_on_) engines_.apply(configs.parts());
    } catch (const std::exception& e) {
      throw ChangeError(std::string("the engines refused the change (nothing changed): ") + e.what());
    }
    state_ = std::move(next);
    taps_ = std::move(configs.taps);
    record(what, source);
  }
  return what;
}

LiveNetwork::Posted LiveNetwork::post(const NetworkChange& change, const std::string& source) {
  Posted p;
  {
    std::lock_guard lock(mutex_);
    p.what = state_.apply(s_, change);
    EngineConfigs configs = configure_(state_);
    if (engines_on_) p.done = engines_.post_configure(configs.parts());
    taps_ = std::move(configs.taps);
    record({p.what}, source);
  }
  return p;
}

void LiveNetwork::engines_off() {
  std::lock_guard lock(mutex_);
  engines_.stop();
  engines_.configure(std::vector<Config>(engines_.size()));  // closes the sockets: nothing can cross
  engines_on_ = false;
}

void LiveNetwork::engines_on() {
  std::lock_guard lock(mutex_);
  EngineConfigs configs = configure_(state_);
  engines_.configure(configs.parts());
  taps_ = std::move(configs.taps);
  engines_.start();
  engines_on_ = true;
}

EngineCounters LiveNetwork::counters() const {
  std::lock_guard lock(mutex_);
  return engines_.counters();
}

EngineCounters LiveNetwork::sampled_counters() const {
  {
    std::lock_guard lock(sampled_mutex_);
    if (sampled_) return *sampled_;
  }
  return counters();
}

void LiveNetwork::record(const std::vector<std::string>& what, const std::string& source) {
  const double t = now();
  for (const std::string& w : what) log_.push_back({t, source, w});
  while (log_.size() > kMaxChangeLog) {
    log_.pop_front();
    ++log_first_;
  }
  const nlohmann::json applied = what;
  events_.publish("change", "{\"t\": " + seconds_json(t) + ", \"source\": " + nlohmann::json(source).dump() +
                                ", \"applied\": " + applied.dump() + "}");
}

void LiveNetwork::sample_loop() {
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    next += kSeriesInterval;
    {
      std::unique_lock lock(stop_mutex_);
      if (stop_cv_.wait_until(lock, next, [this] { return stopping_; })) return;
    }
    std::string data;
    try {
      std::lock_guard lock(mutex_);
      if (engines_.failure().empty()) {
        EngineCounters counters = engines_.counters();
        const SeriesSample sample = series_.record(now(), counters, taps_);
        data = sample_json(sample).dump();
        std::lock_guard sampled_lock(sampled_mutex_);
        sampled_ = std::move(counters);
      }
    } catch (const std::exception&) {
      // An engine that ended between the check and the read: the runner reports it.
    }
    if (!data.empty()) events_.publish("sample", data);
    const auto now = std::chrono::steady_clock::now();
    if (now > next + kSeriesInterval) next = now;  // fell behind (a stopped machine): no burst of catch-up samples
  }
}

}  // namespace synnet
