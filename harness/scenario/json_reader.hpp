// json_reader.hpp — a strict reader of JSON documents: objects with a fixed
// set of keys, typed values with units, and errors that carry the offending
// value's JSON Pointer. It knows nothing of scenarios (scenario.hpp and
// impairments_json.hpp read theirs with it).
//
//   const Json doc = parse_json(text);                      // refuses duplicate keys
//   const Fields f(Value{&doc, ""}, keys, {"name"});         // unknown key: "did you mean"
//   std::string name = as_string(f.need("name"));
//   if (const auto d = f.get("delay")) delay_ns = as_duration(*d);   // "40ms"
//
// Every reader throws JsonError, whose what() is "<json path>: <message>",
// e.g. `/links/0/a_to_b/rate: "10 Mbps" is not a rate (try "10Mbit")`;
// path() is the JSON Pointer of the offending value ("" for the document,
// shown as "(document)").
//
// A Value also carries the directory its document's relative file names are
// read from (the scenario file's; none: the current directory), handed on
// by Fields::get and elements(); file_path(v) is the file a string value names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sys/text.hpp"

namespace synnet::json_reader {

using Json = nlohmann::ordered_json;
inline constexpr std::uint64_t kU32Max = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

class JsonError : public std::runtime_error {
 public:
  JsonError(std::string path, const std::string& message)
      : std::runtime_error((path.empty() ? std::string("(document)") : path) + ": " + message),
        path_(std::move(path)) {}
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

// ---- Words and suggestions ------------------------------------------------

std::string join(const std::vector<std::string>& words);  // "a, b, c"
bool contains(const std::vector<std::string>& words, std::string_view word);
// Edits (insert, delete, replace, swap two neighbours) from a to b, ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate `word` is most likely a typo of, if any ("latency" -> "delay", "max" -> "maximum").
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean "x"?)" or " (<what>: a, b, c)".
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates, std::string_view what);
// A JSON Pointer reference token: '~' and '/' escaped.
std::string pointer_token(std::string_view key);

// ---- Values and objects ---------------------------------------------------

[[noreturn]] void fail(const std::string& path, const std::string& message);  // throws JsonError

// A value of the document, its JSON Pointer, and the directory relative file
// names in the document are read from (nullptr: the current directory; it
// must outlive the Value and those read from it).
struct Value {
  const Json* json = nullptr;
  std::string path{};
  const std::filesystem::path* dir = nullptr;
  const Json& operator*() const { return *json; }
  const Json* operator->() const { return json; }
};

// "expected <expected>, got an integer" at v's path.
[[noreturn]] void wrong_type(const Value& v, const std::string& expected);

// An object whose keys must be among `keys` (the first unknown one, in file
// order, is an error suggesting the closest valid key), `required` ones present.
// `keys` must outlive the Fields.
class Fields {
 public:
  Fields(const Value& v, const std::vector<std::string>& keys, std::initializer_list<std::string_view> required = {});

  // The value at `key`, if present. Throws std::logic_error for a key not in `keys` (a parser bug).
  std::optional<Value> get(std::string_view key) const;
  Value need(std::string_view key) const { return *get(key); }  // a required key (checked on construction)
  const std::string& path() const { return value_.path; }
  bool empty() const { return value_->empty(); }

 private:
  Value value_;
  const std::vector<std::string>& keys_;
};

std::vector<Value> elements(const Value& v);  // an array's elements, with their paths
const std::string& as_string(const Value& v);
const std::string& as_nonempty_string(const Value& v);
bool as_bool(const Value& v);
std::uint64_t as_uint(const Value& v, std::uint64_t lo, std::uint64_t hi);  // an integer in lo..hi
// Strings with a unit (units.hpp), in base units.
std::uint64_t as_duration(const Value& v);  // "40ms" -> ns
std::uint64_t as_rate(const Value& v);      // "10Mbit" -> bit/s
double as_percent(const Value& v);          // "5%" -> 0.05
std::uint64_t as_bytes(const Value& v);     // "64KiB" -> bytes
std::uint64_t as_micros(const Value& v);    // a duration in whole microseconds (the engine's unit)
// A byte count written either as an integer or as a size string ("1400B"), in lo..hi.
std::uint64_t as_size(const Value& v, std::uint64_t lo, std::uint64_t hi);
// The file a non-empty string names: as written when absolute or when v has
// no directory, else relative to v.dir ("traces/lte.up" in scenarios/ ->
// "scenarios/traces/lte.up").
std::string file_path(const Value& v);

// A string that names one of `choices`, as its value: "\"x\" is not one of a, b" otherwise.
template <class T>
T one_of(const Value& v, std::initializer_list<std::pair<const char*, T>> choices) {
  const std::string& s = as_string(v);
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) {
    if (s == name) return value;
    names.emplace_back(name);
  }
  fail(v.path, in_quotes(s) + " is not one of " + join(names));
}

// The engine's own checks (spec.validate() throws std::invalid_argument), reported at `path`.
template <class Spec>
Spec validated(Spec spec, const std::string& path) {
  try {
    spec.validate();
  } catch (const std::invalid_argument& e) {
    fail(path, e.what());
  }
  return spec;
}

// ---- The document ---------------------------------------------------------

// Parses the text, refusing duplicate keys (nlohmann keeps the last one
// silently). Syntax errors name the line and column (in characters); a
// number past a double's range (1e400) is an error at its path.
Json parse_json(std::string_view text);

}  // namespace synnet::json_reader
