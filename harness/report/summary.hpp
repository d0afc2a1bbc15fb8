// summary.hpp — one-line texts for logs and reports: what a direction's
// impairments are, and what the engine did on a link.
//
//   describe(direction)        // "loss 5%, delay 40 ms, rate 10 Mbit/s, 1 flow rule"; "none" when empty
//   engine_summary(counters, "l0")
//   // "up 3 packets in, 0 out (loss.dropped_loss 3); down 0 packets in, 0 out"
//
// In parentheses: the direction's drops and errors (by kind, counter.hpp) and
// what its impairments altered (corrupted, duplicated, reordered), as
// "<app>.<counter> n" without the prefix; a full link as "<app>.<port> txdrop n".
//
// engine_summary reads the counters of a link built by add_engine_link
// (run/engine_link.hpp): "<prefix>_a", "<prefix>_b" and the chains
// "<prefix>_a_to_b_*", "<prefix>_b_to_a_*"; "up" is a_to_b.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "engine/apps/impair/chain.hpp"
#include "engine/engine_counters.hpp"

namespace synnet {

std::string describe(const DirectionSpec& d);
std::string engine_summary(const EngineCounters& counters, const std::string& link_prefix);

}  // namespace synnet
