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
//   packets, bytes  — the most a slot releases (0: no limit); a packet larger
//                     than the bytes a slot has left waits for the next slot,
//                     but a slot's first packet always goes
//   limit_packets   — most packets held at once (default 1,000,000); beyond
//                     it arriving packets are dropped (dropped_queue_full)
// Order is kept. The engine wakes at each slot's start while packets wait.
// A slot releases the packets that arrived before its start; the next slot
// starts one draw later. As in netem, a slot that started before the oldest
// waiting packet arrived is past: the next is drawn from that packet's
// arrival (so a packet reaching an idle Slot waits one whole draw). Each of
// min_us, max_us, mean_us and stddev_us is at most an hour; min_us (or, with
// a distribution, mean_us) must be above 0.
// Counters: forwarded, slots (slots that released at least one packet),
//   queued (now), dropped_queue_full, dropped_no_output.
// Randomness: the app's own stream (AppContext::seed). Reconfigurable in place
// (held packets stay; the next slot is drawn anew, from now, with the new spec).
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

class Slot final : public App {
 public:
  using Spec = SlotSpec;

  Slot(AppContext& ctx, const Spec& spec);
  void pull() override;
  void push() override;
  void stop() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

 private:
  struct Held {
    Packet* packet;
    Time arrived;
  };
  Duration draw() noexcept;  // the time from one slot's start to the next
  void serve(Link* out);     // releases every slot started by now()

  Spec spec_;
  Rng rng_;
  Time next_slot_{0};
  std::deque<Held> held_;
  std::uint64_t forwarded_ = 0, slots_ = 0, dropped_queue_full_ = 0, dropped_no_output_ = 0;
};

}  // namespace synnet
