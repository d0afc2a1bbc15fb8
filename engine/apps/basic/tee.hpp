// tee.hpp — Tee: sends every packet it receives to each of its outputs.
//
//   input --> +-----+--> any output port
//             | Tee |--> ...
//             +-----+
// The last output gets the original, the others get copies.
// Spec: none. Counters: alloc_failed (no packet for a copy: that copy is skipped),
// dropped_no_output (no output linked).
#pragma once

#include "engine/app.hpp"

namespace synnet {

struct TeeSpec {
  bool operator==(const TeeSpec&) const = default;
};

class Tee final : public App {
 public:
  using Spec = TeeSpec;
  static Ports ports(const Spec&) { return Ports{{"input"}, {}, false, true}; }

  Tee(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override;
  void counters(const CounterVisitor& emit) const override;

 private:
  std::uint64_t alloc_failed_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
