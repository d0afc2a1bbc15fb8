// loss.hpp — Loss: drops packets by a random process.
//
//   input --> +------+--> output
//             | Loss |      lost packets are freed and counted
//             +------+
//
// Spec (LossSpec): model and its probabilities (each in [0, 1]):
//   model = kRandom            — each packet is lost with probability `ratio`;
//       or, with `trace` set (ratio must stay 0), with the trace's value (in
//       [0, 1]) at its arrival, counted from the app's start (its first now())
//   model = kGilbertElliott    — netem's `loss gemodel p r 1-h 1-k`: a good and a
//       bad state; per packet, first the state may change (good→bad with `p`,
//       bad→good with `r`), then the packet is lost with `loss_bad` (1-h) in the
//       bad state or `loss_good` (1-k) in the good one. With the defaults
//       (loss_bad 1, loss_good 0) bursts last 1/r packets on average and the
//       loss ratio is p/(p+r).
//   model = kMarkov4           — netem's `loss state p13 p31 p32 p23 p14`
//       (Salsano et al.): 1 = received in a gap, 2 = received in a burst,
//       3 = lost in a burst, 4 = isolated loss. Per packet the state moves
//       1→3 (p13), 1→4 (p14), 2→3 (p23), 3→1 (p31), 3→2 (p32), 4→1 (always),
//       else stays; the packet is lost in states 3 and 4.
// A field of another model than the chosen one must keep its default (an
// error otherwise: it would silently do nothing).
// Per wire packet, also in bulk mode: a GSO super-frame (Packet::offload)
// takes one decision per wire packet it stands for, in order, so a seed loses
// the same wire packets whether they arrive whole or one by one. None lost:
// it goes on whole. All lost: dropped whole. Some: the survivors are cut out
// in software (gso_segment, complete checksums) and go on as wire packets.
// Counters, in wire packets: forwarded, dropped_loss, loss_bursts (runs of
//   consecutive losses), dropped_no_output, dropped_no_buffer (the pool was
//   empty when cutting a super-frame); and segmented (super-frames cut).
//   Wire packets in = forwarded + the three drops.
// Randomness: the app's own stream (AppContext::seed).
// Reconfigurable in place (the model's state and the random stream continue;
// a trace keeps the app's start as its time 0).
#pragma once

#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/apps/impair/trace.hpp"
#include "engine/rng.hpp"

namespace synnet {

enum class LossModel { kRandom, kGilbertElliott, kMarkov4 };
const char* loss_model_name(LossModel m) noexcept;  // "random", "gilbert_elliott", "markov4"

struct LossSpec {
  LossModel model = LossModel::kRandom;
  double ratio = 0;                                    // random
  double p = 0, r = 1, loss_bad = 1, loss_good = 0;    // gilbert_elliott
  double p13 = 0, p31 = 1, p32 = 0, p23 = 0, p14 = 0;  // markov4
  SharedTrace<ValueTrace> trace{};  // random: the ratio over time (values in [0, 1]) instead of ratio
  bool operator==(const LossSpec&) const = default;
  void validate() const;
};

class Loss final : public App {
 public:
  using Spec = LossSpec;

  Loss(AppContext& ctx, const Spec& spec) : App(ctx), origin_(ctx.now()), rng_(ctx.seed()) { reconfigure(spec); }
  void push() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

  bool lose_next() noexcept;  // one decision (exposed for statistical tests)

 private:
  void push_super_frame(Packet* p, Link* out);

  Time origin_;  // the app's start: a trace's time 0
  Spec spec_;
  double ratio_ = 0;  // random: spec_.ratio, or the trace's value in this breath
  LossModel model_ = LossModel::kRandom;
  Rng rng_;
  int state_ = 1;  // gilbert_elliott: 1 good, 2 bad; markov4: 1..4
  bool last_lost_ = false;
  std::vector<bool> lost_;  // one super-frame's decisions, reused
  std::uint64_t forwarded_ = 0, dropped_loss_ = 0, loss_bursts_ = 0, dropped_no_output_ = 0, dropped_no_buffer_ = 0;
  std::uint64_t segmented_ = 0;
};

}  // namespace synnet
