// trace_files.cpp — reading capacity, delay and loss traces. See trace_files.hpp.
#include "harness/scenario/trace_files.hpp"

#include <cerrno>
#include <cstring>
#include <optional>

#include "engine/sys/text.hpp"
#include "engine/sys/text_file.hpp"
#include "harness/scenario/units.hpp"

namespace synnet {

using namespace json_reader;

namespace {

// Calls each(line_number, line) for every line, trimmed, that is neither blank
// nor (with `comments`) a '#' comment.
template <class Each>
void for_each_line(std::string_view text, bool comments, Each each) {
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
    if (line.empty() || (comments && line.front() == '#')) continue;
    each(number, line);
  }
}

bool has_lines(std::string_view text, bool comments) {
  bool any = false;
  for_each_line(text, comments, [&any](std::size_t, std::string_view) { any = true; });
  return any;
}

// Digits with an optional fraction: "1.5", "40".
bool plain_number(std::string_view s) {
  bool digits = false, point = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits;
}

// A duration in whole microseconds: with a unit, or a plain number in `plain_unit`.
std::uint64_t micros(std::string_view text, const char* plain_unit, const std::string& what, std::size_t line) {
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    throw TraceError(line, in_quotes(text) + " is not a number (" + what + ")");
  }
  std::uint64_t ns = 0;
  try {
    ns = parse_duration(plain_number(text) ? std::string(text) + plain_unit : std::string(text));
  } catch (const UnitError& e) {
    throw TraceError(line, std::string(e.what()) + " (" + what + ")");
  }
  if (ns % 1000 != 0) throw TraceError(line, in_quotes(text) + " is not a whole number of microseconds");
  return ns / 1000;
}

double ratio(std::string_view text, const std::string& what, std::size_t line) {
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    throw TraceError(line, in_quotes(text) + " is not a number (" + what + ")");
  }
  try {
    return parse_percent(plain_number(text) ? std::string(text) + "%" : std::string(text));
  } catch (const UnitError& e) {
    throw TraceError(line, std::string(e.what()) + " (" + what + ")");
  }
}

// The file's text, or a JsonError at v's path naming the file.
std::string file_text(const Value& v, const std::string& path) {
  const std::optional<std::string> text = read_text(path);
  if (!text) fail(v.path, "cannot read " + in_quotes(path) + ": " + std::strerror(errno));
  return *text;
}

}  // namespace

ValueTrace parse_value_trace(std::string_view text, TraceValue kind, std::string name) {
  static const std::string kTime = "TIME is a duration such as \"1.5s\" or \"250ms\", or a plain number of seconds";
  static const std::string kDelay = "VALUE is a delay such as \"40ms\", or a plain number of milliseconds";
  static const std::string kLoss = "VALUE is a loss percentage such as \"1%\", or a plain number of percent";
  ValueTrace t;
  t.name = std::move(name);
  std::string_view last_time;
  std::size_t last_line = 0;
  for_each_line(text, true, [&](std::size_t line, std::string_view s) {
    const std::size_t comma = s.find(',');
    if (comma == std::string_view::npos || s.find(',', comma + 1) != std::string_view::npos) {
      throw TraceError(line, in_quotes(s.substr(0, 60)) + " is not TIME,VALUE (e.g. " +
                                 (kind == TraceValue::kDelay ? "\"1.5s,40ms\"" : "\"1.5s,2%\"") + ")");
    }
    const std::string_view time = trim(s.substr(0, comma)), value = trim(s.substr(comma + 1));
    ValueTrace::Point p;
    p.at_us = micros(time, "s", kTime, line);
    p.value =
        kind == TraceValue::kDelay ? static_cast<double>(micros(value, "ms", kDelay, line)) : ratio(value, kLoss, line);
    if (t.points.empty() && p.at_us != 0) {
      throw TraceError(line, "the first point is at " + std::string(time) +
                                 ": a trace starts at time 0 (add a point \"0," + std::string(value) + "\" before it)");
    }
    if (!t.points.empty() && p.at_us <= t.points.back().at_us) {
      throw TraceError(line, "times must increase: " + std::string(time) + " is not after " + std::string(last_time) +
                                 " on line " + std::to_string(last_line));
    }
    t.points.push_back(p);
    last_time = time;
    last_line = line;
  });
  if (t.points.empty()) throw TraceError(1, "the trace is empty (no TIME,VALUE points)");
  return t;
}

DeliveryTrace read_delivery_trace(const Value& file_name) {
  const std::string path = file_path(file_name);
  const std::string text = file_text(file_name, path);
  if (!has_lines(text, false)) {
    fail(file_name.path, in_quotes(path) +
                             " is empty: a capacity trace has one line per 1500-byte delivery opportunity, "
                             "its time in milliseconds (mahimahi's format)");
  }
  try {
    return parse_delivery_trace(text, path);
  } catch (const TraceError& e) {
    fail(file_name.path, in_quotes(path) + " " + e.what());
  }
}

ValueTrace read_value_trace(const Value& file_name, TraceValue kind) {
  const std::string path = file_path(file_name);
  const std::string text = file_text(file_name, path);
  if (!has_lines(text, true)) {
    fail(file_name.path, in_quotes(path) + " is empty: a " + (kind == TraceValue::kDelay ? "delay" : "loss") +
                             " trace has one TIME,VALUE point per line (e.g. " +
                             (kind == TraceValue::kDelay ? "\"0,40ms\"" : "\"0,1%\"") + ")");
  }
  try {
    return parse_value_trace(text, kind, path);
  } catch (const TraceError& e) {
    fail(file_name.path, in_quotes(path) + " " + e.what());
  }
}

}  // namespace synnet
