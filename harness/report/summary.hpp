// summary.hpp — one-line texts for logs and reports: what a direction's
// impairments are, and what the engine did on a link.
//
//   describe(direction)        // "loss 5%, delay 40 ms, rate 10 Mbit/s, 1 flow rule"; "none" when empty
//   engine_summary(counters, "l0")
//   // "up 3 packets in, 0 out (loss.dropped_loss 3); down 0 packets in, 0 out"
//
// engine_summary reads the counters of a link built by add_engine_link
// (run/engine_link.hpp): "<prefix>_a", "<prefix>_b" and the chains
// "<prefix>_a_to_b_*", "<prefix>_b_to_a_*"; "up" is a_to_b.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "engine/apps/impair/chain.hpp"

namespace synnet {

std::string describe(const DirectionSpec& d);
std::string engine_summary(const std::map<std::string, std::uint64_t>& counters, const std::string& link_prefix);

}  // namespace synnet
