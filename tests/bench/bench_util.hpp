// bench_util.hpp — small helpers shared by the benchmark programs.
//
//   parse_count("100e6") -> 100000000   (accepts integers and scientific notation)
//   fmt_fixed(x, 2)      -> "12.34"
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace synnet::bench {

inline std::uint64_t parse_count(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || v < 1) {
    throw std::invalid_argument("\"" + text + "\" is not a positive count (e.g. 100e6)");
  }
  return static_cast<std::uint64_t>(v);
}

inline std::string fmt_fixed(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

}  // namespace synnet::bench
