// trace_files.hpp — the trace files a scenario names: a link's capacity in
// mahimahi's format (engine/apps/impair/trace.hpp), and a delay or a loss
// ratio over time, one "TIME,VALUE" point per line. Both are read before
// anything is created, and every error names the file and the line.
//
//   DeliveryTrace d = read_delivery_trace(f.need("trace"));            // "traces/lte.up"
//   ValueTrace v = read_value_trace(f.need("trace"), TraceValue::kDelay);  // "rtt.csv": 0,40ms ...
//   ValueTrace p = parse_value_trace("0,1%\n2s,5%\n", TraceValue::kLoss, "loss.csv");  // throws TraceError
//
// The value format (scenarios/README.md): '#' starts a comment line, blank
// lines are skipped, every other line is TIME,VALUE. TIME is a duration with
// a unit as in scenario files ("1.5s", "250ms") or a plain number of seconds
// ("1.5"), in whole microseconds; times increase and the first is 0. VALUE is
// a delay ("40ms"; a plain number is milliseconds) or a loss percentage
// ("1%"; a plain number is a percentage). Delays are held in microseconds
// (whole ones) and loss as a ratio in [0, 1], as the engine's specs want them.
// The shape (step or linear) and looping are the spec's, not the file's.
//
// read_* take the JSON string that names the file (json_reader::file_path:
// relative to the scenario file's directory) and throw JsonError at its path:
//   /links/0/a_to_b/delay/trace: "scenarios/traces/rtt.csv" line 7: "abc" is not a number ...
//   /links/0/a_to_b/rate/trace: cannot read "lte.up": No such file or directory
#pragma once

#include <string>
#include <string_view>

#include "engine/apps/impair/trace.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

enum class TraceValue { kDelay, kLoss };

// The value format above; errors throw TraceError (trace.hpp) with the line.
// An empty trace (no points) is a TraceError too, at line 1.
ValueTrace parse_value_trace(std::string_view text, TraceValue kind, std::string name);

DeliveryTrace read_delivery_trace(const json_reader::Value& file_name);
ValueTrace read_value_trace(const json_reader::Value& file_name, TraceValue kind);

}  // namespace synnet
