// spec_checks.hpp — checks the impairment specs share.
//
//   require_probability("ratio", ratio);   // throws "ratio: 1.5 is not in [0, 1]" (NaN too)
//   shortest(1.5)                          // "1.5": a double in its shortest exact form
#pragma once

#include <charconv>
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

}  // namespace synnet
