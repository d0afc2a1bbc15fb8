// clock.hpp — where the engine's time comes from.
//
// Time is nanoseconds since the clock's own epoch (std::chrono::nanoseconds).
// The engine reads now() twice per breath, before the pulls and before the
// pushes; apps see that cached value.
//
//   MonotonicClock — CLOCK_MONOTONIC, the default
//   ManualClock    — for tests: set(t), advance(d); exact and deterministic
#pragma once

#include <chrono>

namespace synnet {

using Duration = std::chrono::nanoseconds;
using Time = std::chrono::nanoseconds;  // since the clock's epoch

inline constexpr Time kNever = Time::max();

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
  virtual bool real_time() const { return true; }  // false: blocking waits are meaningless
};

class MonotonicClock final : public Clock {
 public:
  Time now() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start = Time{0}) : now_(start) {}
  Time now() const override { return now_; }
  bool real_time() const override { return false; }
  void set(Time t) { now_ = t; }
  void advance(Duration d) { now_ += d; }

 private:
  Time now_;
};

}  // namespace synnet
