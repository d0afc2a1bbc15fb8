// engine_group.hpp — EngineGroup: a run's engines, one per part of its
// configuration, each on a thread of its own; stoppable and restartable,
// keeping what made one fail.
//
//   EngineGroup engines(2, seed);
//   engines.configure(configs.parts());   // while stopped: part i on engine i
//   engines.start();                        // each engine.run() on a new thread (or start(options): one RunOptions
//   each) auto done = engines.post_configure(next.parts());  // while running: between breaths
//   engines.apply(next.parts());            // while running: all or nothing, waiting for it
//   engines.failure();                      // "" or the first failure's text, from any thread
//   engines.stop();                         // stop and join all; the destructor does it too
//   engines.counters();                     // every engine's counters, summed by (app, name)
//
// Every engine gets the same seed. An app's random stream derives from the
// seed and the app's name (AppContext::seed), so how a configuration is split
// over engines changes no random decision.
// Summing by (app, name) merges the sockets that one interface has in two engines
// (see engine_link.hpp) into the counters a single engine would show.
#pragma once

#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "engine/engine.hpp"
#include "engine/engine_thread.hpp"

namespace synnet {

class EngineGroup {
 public:
  EngineGroup(std::size_t engines, std::uint64_t seed);
  ~EngineGroup();
  EngineGroup(const EngineGroup&) = delete;
  EngineGroup& operator=(const EngineGroup&) = delete;

  std::size_t size() const noexcept { return engines_.size(); }
  Engine& engine(std::size_t i) { return *engines_.at(i); }

  // While stopped (std::logic_error otherwise): engine i takes parts[i].
  // Throws std::invalid_argument for a count other than size() and
  // ConfigError for an invalid part, both before any engine changes; or what
  // an app's constructor throws (the engines before that one keep their new
  // configuration).
  void configure(const std::vector<Config>& parts);
  // While running: each engine applies its part between breaths; each
  // future carries its engine's exception, if any (and never becomes ready
  // if that engine ends first: watch failure()). Throws as configure() does
  // for a wrong count or an invalid part, and then posts nothing.
  std::vector<std::future<void>> post_configure(const std::vector<Config>& parts);
  // While running: post_configure(), then waits for every engine. If one
  // fails (or ends first), the others are put back to the parts last given
  // to configure() or apply(), and the first error is thrown: all or nothing.
  void apply(const std::vector<Config>& parts);

  // Starts the engines that are not running; options[i] (when given) is engine i's RunOptions.
  void start(const std::vector<RunOptions>& options = {});
  void stop();
  bool running() const noexcept;
  bool any_finished() const noexcept;  // an engine's run() has returned (failed, stopped or its duration over)
  std::string failure() const;         // "" or the lowest-numbered failed engine's text
  std::exception_ptr error() const;    // nullptr or what the lowest-numbered failed engine threw
  // Summed by (app, name) and by link, gauges not: they keep the largest
  // (EngineCounters::merge). A running engine's are read on its own thread, between breaths.
  EngineCounters counters() const;

 private:
  void check(const std::vector<Config>& parts) const;
  EngineCounters counters_of(std::size_t i) const;
  std::future<void> post_part(std::size_t i, const Config& part);  // engine i configures itself with part
  // Waits for engine i's posted command: true once it ran, false when the
  // engine ended without running it.
  bool ran(std::size_t i, std::future<void>& done) const;
  // Waits for engine i's posted command; throws its exception, or
  // std::runtime_error when the engine ended without running it.
  void wait_for(std::size_t i, std::future<void>& done) const;

  std::vector<std::unique_ptr<Engine>> engines_;
  std::vector<std::unique_ptr<EngineThread>> threads_;
  std::vector<Config> parts_;  // what each engine runs, as configure() or apply() set it: apply()'s rollback
};

}  // namespace synnet
