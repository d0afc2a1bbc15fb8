// duplicate.hpp — Duplicate: sends some packets twice, the copy right after
// the original (netem's "duplicate").
//
//   input --> +-----------+--> output
//             | Duplicate |    original, then (with probability ratio) a copy
//             +-----------+
// Spec (DuplicateSpec):
//   ratio — probability in [0, 1] that a packet is followed by one copy (default 0).
// Counters: forwarded (originals sent), duplicated (copies sent), alloc_failed
// (a copy was due but the pool was empty: the original still goes),
// dropped_no_output (output not linked).
// Conservation: in + duplicated = out + output txdrop + dropped_no_output.
// Random decisions come from the app's own seeded stream (AppContext::seed()):
// one draw per packet sent. Reconfigurable in place (keeps the stream).
#pragma once

#include <cstdint>

#include "engine/app.hpp"
#include "engine/rng.hpp"

namespace synnet {

struct DuplicateSpec {
  double ratio = 0;
  bool operator==(const DuplicateSpec&) const = default;
  void validate() const;
};

class Duplicate final : public App {
 public:
  using Spec = DuplicateSpec;

  Duplicate(AppContext& ctx, const Spec& spec) : App(ctx), rng_{ctx.seed()}, ratio_(spec.ratio) {}
  void push() override;
  void reconfigure(const Spec& spec) { ratio_ = spec.ratio; }
  void counters(const CounterVisitor& emit) const override;

 private:
  Rng rng_;
  double ratio_;
  std::uint64_t forwarded_ = 0;
  std::uint64_t duplicated_ = 0;
  std::uint64_t alloc_failed_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
