// slot.hpp — Slot: netem's `slot`: packets leave in bursts at the start of
// slots, as on a link that grants transmission slots (Wi-Fi aggregation,
// DOCSIS, cellular scheduling).
//
//   input --> +------+--> output
//             | Slot |      held until the next slot starts; each slot
//             +------+      releases up to `packets` packets and `bytes` bytes
//
// Spec (SlotSpec), as netem's `slot MIN [MAX] [packets N] [bytes B]` and
// `slot distribution D DELAY JITTER [packets N] [bytes B]`:
//   min_us, max_us  — the time from one slot's start to the next, uniform in
//                     [min, max] (max 0: equal to min)
//   distribution    — set: the time is drawn from it with mean_us and
//                     stddev_us instead (min_us and max_us must stay 0);
//                     draws below 0 count as 0
//   packets, bytes  — the most a slot releases (0: no limit)
//   limit_packets   — most packets held at once (default 1,000,000); beyond
//                     it arriving packets are dropped (dropped_queue_full)
// Order is kept. The engine wakes at each slot's start while packets wait.
// Counters: forwarded, slots (slots that released at least one packet),
//   queued (now), dropped_queue_full, dropped_no_output.
// Randomness: the app's own stream (AppContext::seed). Reconfigurable in place
// (held packets stay; the next slot is drawn with the new spec).
#pragma once

#include <deque>
#include <optional>

#include "engine/app.hpp"
#include "engine/apps/impair/distribution.hpp"
#include "engine/rng.hpp"

namespace synnet {

struct SlotSpec {
  std::uint64_t min_us = 0, max_us = 0;
  std::optional<Distribution> distribution{};
  std::uint64_t mean_us = 0, stddev_us = 0;
  std::uint32_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint32_t limit_packets = 1'000'000;
  bool operator==(const SlotSpec&) const = default;
  void validate() const;
};

}  // namespace synnet
