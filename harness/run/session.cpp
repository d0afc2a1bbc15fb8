// session.cpp — a run's lifecycle. See session.hpp.
#include "harness/run/session.hpp"

#include <random>

#include "engine/sys/system_error.hpp"
#include "harness/run/kill_point.hpp"

namespace synnet {

std::uint64_t random_seed() {
  std::random_device rd;
  return (std::uint64_t{rd()} << 32) ^ rd();
}

SetupError setup_failure(const std::string& stage, const std::exception& e) {
  if (is_permission_error(e)) {
    return SetupError(stage + ": " + e.what() +
                      " (synnet-test builds network namespaces: run it as root, e.g. with sudo)");
  }
  return SetupError(stage + ": " + e.what());
}

Session::Session(std::uint64_t seed) : seed_(seed) {
  try {
    run_.emplace(RunId::create());
  } catch (const std::exception& e) {
    throw setup_failure("setting up the network", e);
  }
}

Session::~Session() {
  engines_.reset();  // stopped and joined before the interfaces they use go
  kill_point("teardown");
  network_.reset();
}

void Session::start_engines(const std::vector<Config>& parts, bool start) {
  try {
    if (!engines_) engines_.emplace(parts.size(), seed_);
    engines_->configure(parts);
  } catch (const std::exception& e) {
    throw setup_failure("starting the engine", e);
  }
  if (start) {
    engines_->start();
    kill_point("engines");
  }
}

std::string Session::engine_failure() const { return engines_ ? engines_->failure() : std::string(); }

EngineCounters Session::stop_engines() {
  if (!engines_) return {};
  engines_->stop();
  return engines_->counters();
}

void Session::close_engines() { engines_.reset(); }

}  // namespace synnet
