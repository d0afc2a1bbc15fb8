// engine_thread.hpp — EngineThread: runs an Engine on a thread of its own,
// stoppable and restartable, keeping what made it fail.
//
//   EngineThread t(engine);
//   t.start();            // engine.run() on a new thread (or t.start(options): engine.run(options))
//   t.failure();          // "" or the text of what run() threw (an EngineFailure, ...), from any thread
//   t.error();            // what run() threw, to rethrow (nullptr: nothing), from any thread
//   t.finished();         // engine.run() has returned (failed or stopped), from any thread
//   t.stop();             // engine.stop() and join; the destructor does it too
#pragma once

#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "engine/engine.hpp"

namespace synnet {

class EngineThread {
 public:
  explicit EngineThread(Engine& engine) : engine_(engine) {}
  ~EngineThread() { stop(); }
  EngineThread(const EngineThread&) = delete;
  EngineThread& operator=(const EngineThread&) = delete;

  void start(RunOptions options = {}) {
    finished_ = false;
    thread_ = std::thread([this, options = std::move(options)] {
      try {
        engine_.run(options);
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        failure_ = e.what();
        error_ = std::current_exception();
      }
      finished_ = true;
    });
  }
  void stop() {
    if (!thread_.joinable()) return;
    engine_.stop();
    thread_.join();
  }
  bool running() const { return thread_.joinable(); }
  bool finished() const { return finished_; }
  std::string failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
  }
  std::exception_ptr error() const {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  Engine& engine_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::string failure_;
  std::exception_ptr error_;
  std::atomic<bool> finished_{false};
};

}  // namespace synnet
