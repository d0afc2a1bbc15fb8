// json_reader.cpp — the strict JSON reader. See json_reader.hpp.
#include "harness/scenario/json_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>

#include "harness/scenario/units.hpp"

namespace synnet::json_reader {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a floating-point number";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "an unexpected value";
  }
}

std::string range_text(std::uint64_t lo, std::uint64_t hi) {
  return hi == kU64Max || hi == kU32Max ? ">= " + std::to_string(lo)
                                        : "in " + std::to_string(lo) + ".." + std::to_string(hi);
}

// A value with a unit: a string parsed by parse (units.hpp), its UnitError prefixed with the path.
template <class Parse>
auto with_unit(const Value& v, Parse parse, const char* what) {
  if (!v->is_string()) wrong_type(v, std::string("a string (") + what + ")");
  try {
    return parse(v->get_ref<const std::string&>());
  } catch (const UnitError& e) {
    fail(v.path, e.what());
  }
}

// "line 3, column 14" of the character at byte offset `byte` (1-based, as nlohmann counts), columns in characters.
std::string position(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's reason without its "[json.exception...] parse error at ...: " prefix.
std::string reason(const std::string& what) {
  const std::size_t column = what.find("column ");
  const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

bool contains(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::string x = lower(a), y = lower(b);
  std::vector<std::vector<std::size_t>> d(x.size() + 1, std::vector<std::size_t>(y.size() + 1));
  for (std::size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    for (std::size_t j = 1; j <= y.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] != y[j - 1] ? 1 : 0)});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

// The candidate `word` is most likely a typo of: at most 2 edits away (a third
// of the length for long words) and fewer edits than either has letters, or
// (3 letters or more) the start of the other ("max" for "maximum").
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
  static const std::pair<std::string_view, std::string_view> synonyms[] = {{"latency", "delay"}, {"bandwidth", "rate"}};
  for (const auto& [synonym, key] : synonyms) {
    if (lower(word) == synonym && contains(candidates, key)) return std::string(key);
  }
  std::optional<std::string> best;
  std::size_t best_distance = kU64Max;
  const std::string w = lower(word);
  for (const std::string& c : candidates) {
    if (std::min(w.size(), c.size()) >= 3 && (w.starts_with(c) || c.starts_with(w))) return c;
    const std::size_t d = edit_distance(word, c);
    const std::size_t limit = std::max<std::size_t>(2, std::max(word.size(), c.size()) / 3);
    if (d < best_distance && d <= limit && d < std::min(word.size(), c.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates, std::string_view what) {
  if (const auto c = closest(word, candidates)) return " (did you mean " + in_quotes(*c) + "?)";
  return " (" + std::string(what) + ": " + join(candidates) + ")";
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

[[noreturn]] void fail(const std::string& path, const std::string& message) { throw JsonError(path, message); }

[[noreturn]] void wrong_type(const Value& v, const std::string& expected) {
  fail(v.path, "expected " + expected + ", got " + type_name(*v));
}

Fields::Fields(const Value& v, const std::vector<std::string>& keys, std::initializer_list<std::string_view> required)
    : value_(v), keys_(keys) {
  if (!v->is_object()) wrong_type(v, "an object");
  for (const auto& item : v->items()) {
    if (!contains(keys_, item.key())) {
      fail(v.path + "/" + pointer_token(item.key()), "unknown key" + suggestion(item.key(), keys_, "valid keys"));
    }
  }
  for (std::string_view key : required) {
    if (!v->contains(std::string(key))) fail(v.path, "missing " + in_quotes(key));
  }
}

std::optional<Value> Fields::get(std::string_view key) const {
  if (!contains(keys_, key)) throw std::logic_error("the parser reads undeclared key " + std::string(key));
  const auto it = value_->find(std::string(key));
  if (it == value_->end()) return std::nullopt;
  return Value{&*it, path() + "/" + std::string(key), value_.dir};
}

std::vector<Value> elements(const Value& v) {
  if (!v->is_array()) wrong_type(v, "an array");
  std::vector<Value> out;
  for (std::size_t i = 0; i < v->size(); ++i) out.push_back({&(*v)[i], v.path + "/" + std::to_string(i), v.dir});
  return out;
}

const std::string& as_string(const Value& v) {
  if (!v->is_string()) wrong_type(v, "a string");
  return v->get_ref<const std::string&>();
}

const std::string& as_nonempty_string(const Value& v) {
  const std::string& s = as_string(v);
  if (s.empty()) fail(v.path, "must not be empty");
  return s;
}

bool as_bool(const Value& v) {
  if (!v->is_boolean()) wrong_type(v, "true or false");
  return v->get<bool>();
}

std::uint64_t as_uint(const Value& v, std::uint64_t lo, std::uint64_t hi) {
  if (!v->is_number_integer()) wrong_type(v, "an integer");
  if (!v->is_number_unsigned()) fail(v.path, std::to_string(v->get<std::int64_t>()) + " is not " + range_text(lo, hi));
  const auto n = v->get<std::uint64_t>();
  if (n < lo || n > hi) fail(v.path, std::to_string(n) + " is not " + range_text(lo, hi));
  return n;
}

// At most what std::chrono::nanoseconds holds (292 years): the callers keep durations in it.
std::uint64_t as_duration(const Value& v) {
  const std::uint64_t ns = with_unit(v, parse_duration, "a duration, e.g. \"40ms\"");
  if (ns > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail(v.path, in_quotes(as_string(v)) + " is too long: a duration is at most 9223372036s (292 years)");
  }
  return ns;
}
std::uint64_t as_rate(const Value& v) { return with_unit(v, parse_rate, "a rate, e.g. \"10Mbit\""); }
double as_percent(const Value& v) { return with_unit(v, parse_percent, "a percentage, e.g. \"5%\""); }
std::uint64_t as_bytes(const Value& v) { return with_unit(v, parse_bytes, "a size, e.g. \"64KiB\""); }

// A duration for the engine, whose unit is the microsecond.
std::uint64_t as_micros(const Value& v) {
  const std::uint64_t ns = as_duration(v);
  if (ns % 1000 != 0)
    fail(v.path, in_quotes(as_string(v)) + " is not a whole number of microseconds (the engine's unit)");
  return ns / 1000;
}

// A byte count written either as an integer or as a size string ("1400B").
std::uint64_t as_size(const Value& v, std::uint64_t lo, std::uint64_t hi) {
  if (v->is_number_integer()) return as_uint(v, lo, hi);
  if (!v->is_string()) wrong_type(v, "an integer (bytes) or a size string, e.g. \"1400B\"");
  const std::uint64_t n = as_bytes(v);
  if (n < lo || n > hi) {
    fail(v.path, in_quotes(as_string(v)) + " is " + std::to_string(n) + " bytes, not " + range_text(lo, hi));
  }
  return n;
}

std::string file_path(const Value& v) {
  const std::filesystem::path name(as_nonempty_string(v));
  if (v.dir == nullptr || v.dir->empty() || name.is_absolute()) return name.string();
  return (*v.dir / name).lexically_normal().string();
}

Json parse_json(std::string_view text) {
  struct Open {  // an object or array being read
    bool array = false;
    std::size_t index = 0;  // array: the element being read
    std::string key{};      // object: the key being read
    std::set<std::string> keys{};
  };
  std::vector<Open> open;
  const auto path = [&open] {
    std::string p;
    for (const Open& o : open) p += "/" + (o.array ? std::to_string(o.index) : pointer_token(o.key));
    return p;
  };
  const auto element_done = [&open] {
    if (!open.empty() && open.back().array) ++open.back().index;
  };
  const Json::parser_callback_t check = [&](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start: open.push_back(Open{}); break;
      case Json::parse_event_t::array_start:
        open.push_back(Open{});
        open.back().array = true;
        break;
      case Json::parse_event_t::key:
        open.back().key = parsed.get<std::string>();
        if (!open.back().keys.insert(open.back().key).second) fail(path(), "duplicate key: this object already has it");
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        open.pop_back();
        element_done();
        break;
      case Json::parse_event_t::value: element_done(); break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), check);
  } catch (const Json::parse_error& e) {
    fail("", "not valid JSON at " + position(text, e.byte) + ": " + reason(e.what()));
  } catch (const Json::out_of_range&) {  // 406: a number past a double's range, e.g. 1e400
    fail(path(), "a number too large for JSON's numbers (a double's range, about 1.8e308)");
  }
}

}  // namespace synnet::json_reader
