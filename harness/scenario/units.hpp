// units.hpp — the scenario file's quantities, written as strings, parsed
// exactly (decimal arithmetic, no floating-point rounding) and strictly.
//
//   parse_rate("10Mbit")     -> 10'000'000        bits per second: bit, kbit, Mbit, Gbit, Tbit (powers of 1000)
//   parse_duration("250us")  -> 250'000           nanoseconds: ns, us (or µs), ms, s
//   parse_percent("2%")      -> 0.02              a fraction in [0, 1]: 0% .. 100%
//   parse_bytes("64KiB")     -> 65'536            bytes: B, kB, MB, GB (1000s), KiB, MiB, GiB (1024s)
//
// A number is digits with an optional fraction ("1.5Gbit"), then the unit,
// with nothing in between. The result must be a whole number of the base
// unit ("1.5ns" is an error). Errors throw UnitError whose message says what
// the text is not and, where it can, what to write instead:
//   "10 Mbps" is not a rate (try "10Mbit")
//   "40" is not a duration: it has no unit (try "40ms")
// The scenario parser puts the JSON path in front. format_* go the other
// way, for reports: format_rate(9.54e6) -> "9.54 Mbit/s".
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synnet {

class UnitError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

std::uint64_t parse_rate(std::string_view text);
std::uint64_t parse_duration(std::string_view text);
double parse_percent(std::string_view text);
std::uint64_t parse_bytes(std::string_view text);

// The inverse, for reports and logs: `digits` significant digits (3 for a
// measured figure), in the largest unit the value reaches.
std::string format_percent(double fraction, int digits = 3);      // 0.0512 -> "5.12%"
std::string format_rate(double bits_per_second, int digits = 3);  // 9.54e6 -> "9.54 Mbit/s"
std::string format_seconds(double seconds, int digits = 3);       // 0.0803 -> "80.3 ms", 2.5e-5 -> "25 us", 0 -> "0 s"
std::string format_bytes(double bytes,
                         int digits = 3);  // 1.234e6 -> "1.23 MB" (powers of 1000, as parse_bytes' kB, MB)
// `x` with `digits` significant digits, trailing zeros removed: 5.1234 -> "5.12".
std::string format_significant(double x, int digits);

}  // namespace synnet
