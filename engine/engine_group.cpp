// engine_group.cpp — a run's engines on threads of their own. See engine_group.hpp.
#include "engine/engine_group.hpp"

#include <chrono>
#include <exception>
#include <stdexcept>

namespace synnet {

EngineGroup::EngineGroup(std::size_t engines, std::uint64_t seed) {
  if (engines == 0) throw std::invalid_argument("an engine group needs at least one engine");
  for (std::size_t i = 0; i < engines; ++i) {
    engines_.push_back(std::make_unique<Engine>(EngineOptions{.seed = seed}));
    threads_.push_back(std::make_unique<EngineThread>(*engines_.back()));
  }
  parts_.resize(engines);  // what a new engine runs: nothing
}

EngineGroup::~EngineGroup() { stop(); }

void EngineGroup::check(const std::vector<Config>& parts) const {
  if (parts.size() != engines_.size()) {
    throw std::invalid_argument("an engine group of " + std::to_string(engines_.size()) + " engines got " +
                                std::to_string(parts.size()) + " configurations");
  }
  for (const Config& part : parts) part.validate();  // a bad part throws before any engine changes
}

void EngineGroup::configure(const std::vector<Config>& parts) {
  if (running()) throw std::logic_error("EngineGroup::configure while the engines run: use post_configure or apply");
  check(parts);
  for (std::size_t i = 0; i < engines_.size(); ++i) {
    engines_[i]->configure(parts[i]);
    parts_[i] = parts[i];
  }
}

std::future<void> EngineGroup::post_part(std::size_t i, const Config& part) {
  return engines_[i]->post([part](Engine& e) { e.configure(part); });
}

bool EngineGroup::ran(std::size_t i, std::future<void>& done) const {
  while (done.wait_for(std::chrono::milliseconds(10)) != std::future_status::ready) {
    if (threads_[i]->finished()) return false;
  }
  return true;
}

void EngineGroup::wait_for(std::size_t i, std::future<void>& done) const {
  if (!ran(i, done)) {
    throw std::runtime_error("engine " + std::to_string(i) + " stopped before it took its new configuration" +
                             (threads_[i]->failure().empty() ? "" : ": " + threads_[i]->failure()));
  }
  done.get();
}

void EngineGroup::apply(const std::vector<Config>& parts) {
  std::vector<std::future<void>> done = post_configure(parts);
  std::vector<bool> applied(engines_.size(), false);
  std::exception_ptr first_error;
  for (std::size_t i = 0; i < engines_.size(); ++i) {
    try {
      wait_for(i, done[i]);
      applied[i] = true;
    } catch (...) {
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (!first_error) {
    parts_ = parts;
    return;
  }
  for (std::size_t i = 0; i < engines_.size(); ++i) {
    if (!applied[i]) continue;
    std::future<void> back = post_part(i, parts_[i]);
    try {
      wait_for(i, back);
    } catch (...) {  // the first error is what the caller hears of
    }
  }
  std::rethrow_exception(first_error);
}

std::vector<std::future<void>> EngineGroup::post_configure(const std::vector<Config>& parts) {
  check(parts);
  std::vector<std::future<void>> done;
  for (std::size_t i = 0; i < engines_.size(); ++i) {
    done.push_back(post_part(i, parts[i]));
  }
  return done;
}

void EngineGroup::start(const std::vector<RunOptions>& options) {
  if (!options.empty() && options.size() != engines_.size()) {
    throw std::invalid_argument("an engine group of " + std::to_string(engines_.size()) + " engines got " +
                                std::to_string(options.size()) + " run options");
  }
  for (std::size_t i = 0; i < threads_.size(); ++i) {
    if (!threads_[i]->running()) threads_[i]->start(options.empty() ? RunOptions{} : options[i]);
  }
}

void EngineGroup::stop() {
  for (auto& t : threads_) t->stop();
}

bool EngineGroup::running() const noexcept {
  for (const auto& t : threads_) {
    if (t->running()) return true;
  }
  return false;
}

bool EngineGroup::any_finished() const noexcept {
  for (const auto& t : threads_) {
    if (t->running() && t->finished()) return true;
  }
  return false;
}

std::exception_ptr EngineGroup::error() const {
  for (const auto& t : threads_) {
    if (std::exception_ptr e = t->error()) return e;
  }
  return nullptr;
}

std::string EngineGroup::failure() const {
  for (const auto& t : threads_) {
    if (std::string f = t->failure(); !f.empty()) return f;
  }
  return "";
}

EngineCounters EngineGroup::counters_of(std::size_t i) const {
  Engine& e = *engines_[i];
  const EngineThread& thread = *threads_[i];
  if (thread.running() && !thread.finished()) {
    // Read on the engine's own thread, between breaths. Shared: if the engine
    // ends before it runs the command, the command outlives this call.
    auto snapshot = std::make_shared<EngineCounters>();
    std::future<void> done = e.post([snapshot](Engine& running) { *snapshot = running.counters(); });
    if (ran(i, done)) return *snapshot;
    // else run() returned first: nothing else touches the engine now
  }
  return e.counters();
}

EngineCounters EngineGroup::counters() const {
  EngineCounters sum;
  for (std::size_t i = 0; i < engines_.size(); ++i) sum.merge(counters_of(i));
  return sum;
}

}  // namespace synnet
