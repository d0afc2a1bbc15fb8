// units.cpp — the scenario's quantities parsed exactly, and formatted back for
// reports. See units.hpp.
#include "harness/scenario/units.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "engine/sys/text.hpp"

namespace synnet {

namespace {

struct Unit {
  std::string_view name;
  std::uint64_t scale;  // base units per one of this unit
};

// "12.5Mbit" -> number "12.5", unit "Mbit". Leading/trailing spaces are kept in
// the unit part (and so rejected), as are any other characters.
struct Split {
  std::string_view number, unit;
};

Split split(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  return {text.substr(0, i), text.substr(i)};
}

// The number times `scale`, exactly; nullopt when it is not a plain decimal,
// not a whole number of base units, or too large.
std::optional<std::uint64_t> scaled(std::string_view number, std::uint64_t scale) {
  const auto dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty()) || frac.find('.') != std::string_view::npos) {
    return std::nullopt;
  }
  unsigned __int128 value = 0;
  for (char c : whole) {
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > UINT64_MAX) return std::nullopt;
  }
  value *= scale;
  unsigned __int128 frac_value = 0, frac_scale = 1;
  for (char c : frac) {
    frac_value = frac_value * 10 + static_cast<unsigned>(c - '0');
    frac_scale *= 10;
    if (frac_scale > (static_cast<unsigned __int128>(1) << 100)) return std::nullopt;
  }
  // frac_value / frac_scale in lowest terms, num / den: a whole number of base
  // units when den divides scale, and then num * (scale / den) < scale (num <
  // den), where frac_value * scale could pass 2^128 (30 decimals of seconds).
  unsigned __int128 a = frac_value, b = frac_scale;
  while (b != 0) {
    const unsigned __int128 r = a % b;
    a = b;
    b = r;
  }
  const unsigned __int128 num = frac_value / a, den = frac_scale / a;
  if (scale % den != 0) return std::nullopt;  // not a whole number of base units
  value += num * (scale / den);
  if (value > UINT64_MAX) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

// Parses `text` with `units`; on failure builds "<text> is not a <what> ..." with a hint.
std::uint64_t parse_with(std::string_view text, const std::vector<Unit>& units, const char* what,
                         const std::vector<std::pair<std::string_view, std::string_view>>& aliases,
                         std::string_view example_unit, const char* unit_list) {
  const Split s = split(text);
  for (const Unit& u : units) {
    if (s.unit == u.name) {
      if (const auto v = scaled(s.number, u.scale)) return *v;
      throw UnitError(in_quotes(text) + " is not a " + what + ": " +
                      (s.number.empty()
                           ? std::string("it has no number")
                           : "too many decimal places for " + std::string(units.front().name) + ", or too large"));
    }
  }
  // A hint: the same number with the unit the user probably meant.
  const std::string number = s.number.empty() ? "10" : std::string(s.number);
  const std::string unit = lower(trimmed(s.unit));
  std::string_view suggestion = example_unit;
  for (const Unit& u : units) {
    if (lower(u.name) == unit) suggestion = u.name;  // right unit, wrong case or spaces
  }
  for (const auto& [alias, canonical] : aliases) {
    if (alias == unit) suggestion = canonical;
  }
  if (s.unit.empty()) {
    throw UnitError(in_quotes(text) + " is not a " + what + ": it has no unit (try \"" + number +
                    std::string(suggestion) + "\")");
  }
  throw UnitError(in_quotes(text) + " is not a " + what + " (try \"" + number + std::string(suggestion) +
                  "\"; units: " + unit_list + ")");
}

}  // namespace

std::uint64_t parse_rate(std::string_view text) {
  static const std::vector<Unit> units = {{"bit", 1},          {"kbit", 1'000},         {"Kbit", 1'000},
                                          {"Mbit", 1'000'000}, {"Gbit", 1'000'000'000}, {"Tbit", 1'000'000'000'000}};
  // tc writes "mbps" for megaBYTES per second: never guess bytes, point at bits.
  static const std::vector<std::pair<std::string_view, std::string_view>> aliases = {
      {"bps", "bit"},   {"b/s", "bit"},   {"kbps", "kbit"}, {"kb/s", "kbit"},  {"mbps", "Mbit"},  {"mb/s", "Mbit"},
      {"gbps", "Gbit"}, {"gb/s", "Gbit"}, {"tbps", "Tbit"}, {"mbits", "Mbit"}, {"gbits", "Gbit"}, {"kbits", "kbit"}};
  const std::uint64_t v = parse_with(text, units, "rate", aliases, "Mbit", "bit, kbit, Mbit, Gbit, Tbit");
  if (v == 0) throw UnitError(in_quotes(text) + " is not a rate: it must be above 0");
  return v;
}

std::uint64_t parse_duration(std::string_view text) {
  static const std::vector<Unit> units = {
      {"ns", 1}, {"us", 1'000}, {"\xC2\xB5s", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}};
  static const std::vector<std::pair<std::string_view, std::string_view>> aliases = {
      {"msec", "ms"}, {"millis", "ms"}, {"usec", "us"}, {"sec", "s"},
      {"secs", "s"},  {"seconds", "s"}, {"nsec", "ns"}, {"µsec", "us"}};
  return parse_with(text, units, "duration", aliases, "ms", "ns, us, ms, s");
}

double parse_percent(std::string_view text) {
  // Hundredths of a hundredth of a percent are exact: scale by 1e6 per percent.
  static const std::vector<Unit> units = {{"%", 1'000'000}};
  const std::uint64_t millionths = parse_with(text, units, "percentage", {}, "%", "%");
  if (millionths > 100'000'000) throw UnitError(in_quotes(text) + " is not a percentage: it is above 100%");
  return static_cast<double>(millionths) / 100'000'000.0;
}

std::uint64_t parse_bytes(std::string_view text) {
  static const std::vector<Unit> units = {{"B", 1},          {"kB", 1'000},         {"KB", 1'000},
                                          {"MB", 1'000'000}, {"GB", 1'000'000'000}, {"KiB", 1024},
                                          {"MiB", 1 << 20},  {"GiB", 1ULL << 30}};
  static const std::vector<std::pair<std::string_view, std::string_view>> aliases = {
      {"bytes", "B"}, {"byte", "B"}, {"k", "KiB"}, {"m", "MiB"}, {"kb", "kB"}, {"mb", "MB"}};
  return parse_with(text, units, "size", aliases, "KiB", "B, kB, MB, GB, KiB, MiB, GiB");
}

// ---- Formatting ------------------------------------------------------------

// `x` with `digits` significant digits in fixed notation, trailing zeros and
// a trailing point removed: 5.1234 -> "5.12", 0.004 -> "0.004", 1234.5 -> "1235".
std::string format_significant(double x, int digits) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  if (x == 0) return "0";
  const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  const int decimals = std::clamp(digits - 1 - exponent, 0, 15);
  // Up to 309 digits before the point (DBL_MAX) and 15 after it.
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

namespace {

struct DisplayUnit {
  double scale;
  const char* suffix;
};

// `x` in the largest unit it reaches (after rounding: 999.96 kbit/s is "1 Mbit/s");
// zero in the base unit (scale 1).
std::string format_in_units(double x, int digits, const std::vector<DisplayUnit>& units) {
  if (!std::isfinite(x) || x == 0) {
    const auto base = std::find_if(units.begin(), units.end(), [](const DisplayUnit& u) { return u.scale == 1; });
    return format_significant(x, digits) + " " + (base == units.end() ? units.front() : *base).suffix;
  }
  std::size_t i = 0;
  while (i + 1 < units.size() && std::fabs(x) >= units[i + 1].scale) ++i;
  std::string number = format_significant(x / units[i].scale, digits);
  if (i + 1 < units.size() &&
      std::fabs(std::strtod(number.c_str(), nullptr)) >= std::round(units[i + 1].scale / units[i].scale)) {
    ++i;
    number = format_significant(x / units[i].scale, digits);
  }
  return number + " " + units[i].suffix;
}

}  // namespace

std::string format_percent(double fraction, int digits) { return format_significant(fraction * 100, digits) + "%"; }

std::string format_rate(double bps, int digits) {
  static const std::vector<DisplayUnit> units = {
      {1, "bit/s"}, {1e3, "kbit/s"}, {1e6, "Mbit/s"}, {1e9, "Gbit/s"}, {1e12, "Tbit/s"}};
  return format_in_units(bps, digits, units);
}

std::string format_bytes(double bytes, int digits) {
  static const std::vector<DisplayUnit> units = {{1, "B"}, {1e3, "kB"}, {1e6, "MB"}, {1e9, "GB"}};
  return format_in_units(bytes, digits, units);
}

std::string format_seconds(double s, int digits) {
  static const std::vector<DisplayUnit> units = {{1e-9, "ns"}, {1e-6, "us"}, {1e-3, "ms"}, {1, "s"}};
  return format_in_units(s, digits, units);
}

}  // namespace synnet
