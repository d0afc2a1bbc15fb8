// impairments_json.hpp — the impairments of one direction of a scenario link
// (its `a_to_b` / `b_to_a` object, also a timeline event's and a profile's)
// into the engine's DirectionSpec, read with the strict JSON reader.
//
//   DirectionSpec d = parse_direction(Value{&json, "/links/0/a_to_b"});   // throws JsonError
//
// Every value is checked as the engine would (its spec's validate()), with
// the error at the value's JSON Pointer. The format is scenarios/README.md's.
// Trace files ("trace" of a rate, a delay, a loss) are read here, relative to
// the Value's directory (trace_files.hpp), so a bad trace is an error at the
// path of its "trace" value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/apps/impair/chain.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

// object_kind: "direction", or "switch_path" (a direction with "from" and "to"
// keys, which the caller reads).
DirectionSpec parse_direction(const json_reader::Value& v, std::string_view object_kind = "direction");

// The keys an impairment object of `object_kind` may have ("direction", "flow",
// "switch_path", "match", "loss", "delay", "jitter", "rate", "queue", "reorder", "outage"), or nullptr
// for another kind.
const std::vector<std::string>* impairment_keys(std::string_view object_kind);

}  // namespace synnet
