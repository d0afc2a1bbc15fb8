#include "engine/clock.hpp"

#include <ctime>

namespace synnet {

Time MonotonicClock::now() const {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return Time{static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec};
}

}  // namespace synnet
