// units_fuzz.cpp — libFuzzer target for the scenario's quantities
// (harness/scenario/units.hpp). Each input is
//   - the text for parse_rate, parse_duration, parse_percent and parse_bytes:
//     each either throws UnitError (with a message) or returns a value that
//     is in range (a rate above 0, a fraction in [0, 1]) and exact: the same
//     value written in the base unit ("<n>bit", "<n>ns", "<n>B") or with a
//     zero appended to its fraction parses to the same number; formatted
//     for a report (format_rate, format_seconds, format_bytes, format_percent,
//     3 digits) it reads back within half a unit of its third digit;
//   - when at least 9 bytes long, a double (its first 8 bytes) and a digit
//     count (the 9th, 1..17) for format_significant, which must print the
//     number to that many significant digits (while that needs at most 15
//     decimals, where it stops), and format_* that must not crash (NaN, inf,
//     negative and huge numbers too).
// For the units that are powers of ten (all but KiB, MiB, GiB) an oracle
// working on the decimal digits says what each parser must return or refuse.
// A broken invariant or any exception but UnitError crashes the fuzzer.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "harness/scenario/units.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace synnet;
using fuzz::check;

// The number at the front of a formatted figure, times the scale of its unit
// ("9.54 Mbit/s" -> 9.54e6); NaN when the unit is not one of `units`.
struct Suffix {
  const char* text;
  double scale;
};
template <std::size_t N>
double read_back(const std::string& s, const Suffix (&units)[N]) {
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);
  const std::string unit(end);
  for (const Suffix& u : units) {
    if (unit == u.text) return x * u.scale;
  }
  return NAN;
}

// |shown - x| within half a unit of the third significant digit of `shown`'s
// number (and of x's: rounding can carry into a new digit), plus rounding.
bool close(double shown, double x) {
  const double ulp = std::fabs(x) * 1e-12;
  return std::fabs(shown - x) <= 0.005 * std::max(std::fabs(x), std::fabs(shown)) + ulp;
}

constexpr Suffix kRateUnits[] = {
    {" bit/s", 1}, {" kbit/s", 1e3}, {" Mbit/s", 1e6}, {" Gbit/s", 1e9}, {" Tbit/s", 1e12}};
constexpr Suffix kSecondUnits[] = {{" ns", 1e-9}, {" us", 1e-6}, {" ms", 1e-3}, {" s", 1}};
constexpr Suffix kByteUnits[] = {{" B", 1}, {" kB", 1e3}, {" MB", 1e6}, {" GB", 1e9}};
constexpr Suffix kPercentUnits[] = {{"%", 0.01}};

// `text` with a '0' appended to its number's fraction (a '.' first when it
// has none): "1.5Mbit" -> "1.50Mbit", "40ms" -> "40.0ms". Empty when `text`
// does not start with a digit, or when the fraction would have more than 30
// digits (the parsers' limit: they refuse more than 10^30 in the fraction's
// denominator).
std::string padded(const std::string& text) {
  std::size_t i = 0, point = std::string::npos;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || (text[i] == '.' && point == std::string::npos))) {
    if (text[i] == '.') point = i;
    ++i;
  }
  if (i == 0 || text[0] == '.') return {};
  if (point != std::string::npos && i - point - 1 >= 30) return {};
  return text.substr(0, i) + (point != std::string::npos ? "0" : ".0") + text.substr(i);
}

// An oracle for the units that are powers of ten: the value of
// "<whole>[.<frac>]<unit>" in base units, worked out on the decimal digits
// (the decimal point moved right by the unit's exponent); nullopt when the
// parser must refuse it: no such unit, not a plain decimal, not a whole
// number of base units, above 2^64 - 1, or more than 30 decimals (the
// parsers' limit).
struct PowerUnit {
  std::string_view name;
  int exponent;
};
template <std::size_t N>
std::optional<std::uint64_t> oracle(std::string_view text, const PowerUnit (&units)[N]) {
  std::size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  const std::string_view number = text.substr(0, i), unit = text.substr(i);
  const PowerUnit* u = nullptr;
  for (const PowerUnit& c : units) {
    if (c.name == unit) u = &c;
  }
  if (u == nullptr) return std::nullopt;
  const std::size_t dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty()) || frac.find('.') != std::string_view::npos ||
      frac.size() > 30) {
    return std::nullopt;
  }
  std::string digits = std::string(whole) + std::string(frac);
  const std::size_t point = whole.size() + static_cast<std::size_t>(u->exponent);
  if (point >= digits.size()) {
    digits.append(point - digits.size(), '0');
  } else {
    if (digits.find_first_not_of('0', point) != std::string::npos) return std::nullopt;  // not whole
    digits.resize(point);
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  const std::string max = std::to_string(UINT64_MAX);
  if (digits.size() > max.size() || (digits.size() == max.size() && digits > max)) return std::nullopt;
  return std::stoull(digits);
}

constexpr PowerUnit kRatePowers[] = {{"bit", 0}, {"kbit", 3}, {"Kbit", 3}, {"Mbit", 6}, {"Gbit", 9}, {"Tbit", 12}};
constexpr PowerUnit kDurationPowers[] = {{"ns", 0}, {"us", 3}, {"\xC2\xB5s", 3}, {"ms", 6}, {"s", 9}};
constexpr PowerUnit kBytePowers[] = {{"B", 0}, {"kB", 3}, {"KB", 3}, {"MB", 6}, {"GB", 9}};  // not KiB, MiB, GiB
constexpr PowerUnit kPercentPowers[] = {{"%", 6}};                                           // millionths of a percent

// `text` ends with one of the binary units (KiB, MiB, GiB): no oracle.
bool binary_unit(std::string_view text) {
  for (const std::string_view u : {"KiB", "MiB", "GiB"}) {
    if (text.size() >= u.size() && text.substr(text.size() - u.size()) == u) return true;
  }
  return false;
}

template <class Parse>
bool parses(Parse parse, const std::string& text, decltype(parse(text))& out) {
  try {
    out = parse(text);
    return true;
  } catch (const UnitError& e) {
    check(e.what()[0] != '\0', "a UnitError says what is wrong");
    return false;
  }
}

void fuzz_parsers(const std::string& text) {
  std::uint64_t v = 0, again = 0;
  double p = 0, p_again = 0;
  const std::string pad = padded(text);

  std::optional<std::uint64_t> expected = oracle(text, kRatePowers);
  if (expected == 0) expected.reset();
  check(parses(parse_rate, text, v) == expected.has_value(), "parse_rate accepts what the oracle does");
  check(!expected || v == *expected, "parse_rate gives the oracle's value");
  expected = oracle(text, kDurationPowers);
  check(parses(parse_duration, text, v) == expected.has_value(), "parse_duration accepts what the oracle does");
  check(!expected || v == *expected, "parse_duration gives the oracle's value");
  if (!binary_unit(text)) {
    expected = oracle(text, kBytePowers);
    check(parses(parse_bytes, text, v) == expected.has_value(), "parse_bytes accepts what the oracle does");
    check(!expected || v == *expected, "parse_bytes gives the oracle's value");
  }
  expected = oracle(text, kPercentPowers);
  if (expected > 100'000'000) expected.reset();
  check(parses(parse_percent, text, p) == expected.has_value(), "parse_percent accepts what the oracle does");
  check(!expected || p == static_cast<double>(*expected) / 100'000'000.0, "parse_percent gives the oracle's value");

  if (parses(parse_rate, text, v)) {
    check(v > 0, "a rate is above 0");
    check(parse_rate(std::to_string(v) + "bit") == v, "a rate in bits parses to itself");
    if (!pad.empty()) check(parses(parse_rate, pad, again) && again == v, "a 0 more in the fraction: the same rate");
    check(close(read_back(format_rate(static_cast<double>(v)), kRateUnits), static_cast<double>(v)),
          "format_rate reads back within its 3 digits");
  }
  if (parses(parse_duration, text, v)) {
    check(parse_duration(std::to_string(v) + "ns") == v, "a duration in ns parses to itself");
    if (!pad.empty()) {
      check(parses(parse_duration, pad, again) && again == v, "a 0 more in the fraction: the same duration");
    }
    const double s = static_cast<double>(v) * 1e-9;
    check(close(read_back(format_seconds(s), kSecondUnits), s), "format_seconds reads back within its 3 digits");
  }
  if (parses(parse_bytes, text, v)) {
    check(parse_bytes(std::to_string(v) + "B") == v, "a size in bytes parses to itself");
    if (!pad.empty()) check(parses(parse_bytes, pad, again) && again == v, "a 0 more in the fraction: the same size");
    check(close(read_back(format_bytes(static_cast<double>(v)), kByteUnits), static_cast<double>(v)),
          "format_bytes reads back within its 3 digits");
  }
  if (parses(parse_percent, text, p)) {
    check(p >= 0 && p <= 1, "a percentage is a fraction in [0, 1]");
    if (!pad.empty()) {
      check(parses(parse_percent, pad, p_again) && p_again == p, "a 0 more in the fraction: the same percentage");
    }
    check(close(read_back(format_percent(p), kPercentUnits), p), "format_percent reads back within its 3 digits");
  }
}

void fuzz_format(const std::uint8_t* data) {
  double x = 0;
  std::memcpy(&x, data, sizeof x);
  const int digits = 1 + data[8] % 17;
  const std::string s = format_significant(x, digits);
  (void)format_rate(x, digits);
  (void)format_seconds(x, digits);
  (void)format_bytes(x, digits);
  (void)format_percent(x, digits);
  if (std::isnan(x)) {
    check(s == "nan", "format_significant(NaN) is \"nan\"");
    return;
  }
  if (std::isinf(x)) {
    check(s == (x < 0 ? "-inf" : "inf"), "format_significant(inf) is \"inf\" or \"-inf\"");
    return;
  }
  char* end = nullptr;
  const double shown = std::strtod(s.c_str(), &end);
  check(*end == '\0' && end != s.c_str(), "format_significant prints a plain number");
  if (x == 0) {
    check(s == "0", "format_significant(0) is \"0\"");
    return;
  }
  // It prints digits - 1 - exponent decimals, at most 15: the number is
  // within half a unit of the last one printed (and of what strtod reads).
  const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  const int decimals = digits - 1 - exponent;
  if (decimals > 15) return;
  const double half_unit = 0.5 * std::pow(10.0, -std::max(decimals, 0));
  check(std::fabs(shown - x) <= half_unit * (1 + 1e-9) + std::fabs(x) * 1e-15,
        "format_significant(x, digits) is x to `digits` significant digits");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_parsers(std::string(fuzz::text_of(data, size)));
  if (size >= 9) fuzz_format(data);
  return 0;
}
