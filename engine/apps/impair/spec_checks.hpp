// spec_checks.hpp — checks the impairment specs share.
//
//   require_probability("ratio", ratio);   // throws "ratio: 1.5 is not in [0, 1]" (NaN too)
//   require_at_most_an_hour("delay_us", d); // throws "delay_us: 3600000001 is more than an hour"
//   shortest(1.5)                          // "1.5": a double in its shortest exact form
#pragma once

#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace synnet {

inline std::string shortest(double x) {
  char text[32];
  return std::string(text, std::to_chars(text, text + sizeof text, x).ptr);
}

inline void require_probability(const char* field, double value) {
  if (!(value >= 0 && value <= 1)) {  // also rejects NaN
    throw std::invalid_argument(std::string(field) + ": " + shortest(value) + " is not in [0, 1]");
  }
}

// The longest delay any impairment takes, in microseconds.
inline constexpr std::uint64_t kMaxDelayUs = 3'600'000'000;  // an hour

inline void require_at_most_an_hour(const char* field, std::uint64_t us) {
  if (us > kMaxDelayUs)
    throw std::invalid_argument(std::string(field) + ": " + std::to_string(us) + " is more than an hour");
}

}  // namespace synnet
