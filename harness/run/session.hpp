// session.hpp — Session: the one lifecycle of every synnet-test command that
// builds a network (a scenario, `run`, `attach`): stop signals held, a run
// registered, its network built, the engines started, and all of it undone
// in reverse order on every exit path. exit_status.hpp says what each
// outcome exits with.
//
//   Session session(seed);                                  // blocks SIGINT/TERM/HUP/USR1; registers a run
//   Testbed& bed = session.build<Testbed>(scenario);        // Testbed(session.run(), scenario)
//   session.start_engines(bed.engine_configs(bed.links()).parts());
//   while (...) { int sig = session.next_signal(200ms); session.engine_failure(); ... }
//   auto counters = session.stop_engines();                 // stopped; their counters, summed
//   // ~Session: the engines go first, then the network, then the run's registration
//
// Setup failures throw SetupError: "setting up the network: ..." or
// "starting the engine: ...", with a hint to run as root when the cause was
// EPERM or EACCES (is_permission_error). Nothing is left behind then.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/config.hpp"
#include "engine/engine_group.hpp"
#include "harness/run/blocked_signals.hpp"
#include "netns/run_id.hpp"

namespace synnet {

// The network or the engine could not be set up; nothing is left behind.
class SetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "<stage>: <what went wrong>", with a hint to run as root when e is a
// permission error (is_permission_error: EPERM or EACCES).
SetupError setup_failure(const std::string& stage, const std::exception& e);

// A seed for a run that names none (from std::random_device).
std::uint64_t random_seed();

class Session {
 public:
  // Blocks the stop signals and registers a run; throws SetupError.
  explicit Session(std::uint64_t seed);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const RunId& run() const { return *run_; }
  std::uint64_t seed() const noexcept { return seed_; }

  // Builds the run's network, Network(run(), args...), which lives until the
  // Session ends (after the engines). Throws SetupError("setting up the network: ...").
  template <class Network, class... Args>
  Network& build(Args&&... args) {
    try {
      auto network = std::make_shared<Network>(*run_, std::forward<Args>(args)...);
      Network& ref = *network;
      network_ = std::move(network);
      return ref;
    } catch (const std::exception& e) {
      throw setup_failure("setting up the network", e);
    }
  }

  // Configures the engines, one per part (part i on engine i; a run has an
  // engine per direction, see run/engine_link.hpp), and starts them unless
  // `start` is false. Throws SetupError("starting the engine: ...").
  void start_engines(const std::vector<Config>& parts, bool start = true);
  EngineGroup& engines() { return *engines_; }
  // "" or why an engine ended on its own.
  std::string engine_failure() const;
  // Stops the engines; returns their counters, summed by name.
  EngineCounters stop_engines();
  // Stops and destroys the engines: their sockets close (before an attached
  // interface moves back, say). engines() is then invalid.
  void close_engines();

  // Waits up to `timeout` for SIGINT, SIGTERM, SIGHUP or SIGUSR1: returns it, or 0.
  int next_signal(std::chrono::nanoseconds timeout) const { return take_signal(timeout); }

 private:
  // Destroyed in reverse order: engines, network, run, then the signal mask.
  BlockedSignals blocked_;
  std::uint64_t seed_;
  std::optional<RunId> run_;
  std::shared_ptr<void> network_;
  std::optional<EngineGroup> engines_;
};

}  // namespace synnet
