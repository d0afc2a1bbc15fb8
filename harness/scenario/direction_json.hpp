// direction_json.hpp — a direction (DirectionSpec) written back as a scenario
// link's `a_to_b` / `b_to_a` object: the exact inverse of parse_direction
// (impairments_json.hpp), in the scenario format's units.
//
//   Json j = direction_json(d);   // {"loss": "5%", "delay": "40ms"}; {} when nothing is impaired
//   parse_direction(Value{&j, ""}) == d        // for every d the parser can produce
//
// Each quantity is written in its shortest exact form ("1.5ms", "10Mbit",
// "0.1%", "64KiB"; on a tie the smaller unit); an effect in its short form (a
// string) when that says it all, else as an object with only the keys that
// differ from the defaults; effects in chain order (effects.hpp), then
// "flows", each with its "match" first. A trace is written as the path it
// was read from (its name), which reads it again from the current directory.
#pragma once

#include <cstdint>
#include <string>

#include "engine/apps/impair/chain.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

json_reader::Json direction_json(const DirectionSpec& d);

// The quantities as the scenario format writes them, shortest exact form.
std::string percent_text(double fraction);    // 0.001 -> "0.1%" (to a millionth of a percent)
std::string micros_text(std::uint64_t us);    // 1'500 -> "1.5ms"
std::string rate_text(std::uint64_t bps);     // 10'000'000 -> "10Mbit"
std::string bytes_text(std::uint64_t bytes);  // 65'536 -> "64KiB"

}  // namespace synnet
