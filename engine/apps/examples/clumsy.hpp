// clumsy.hpp — Clumsy: the seed design's first impairment, kept as the example
// of how to write an app. Forwards even-sized packets, drops odd-sized ones.
//
//   input --> +--------+--> output
//             | Clumsy |
//             +--------+
// Spec: none. Counters: forwarded, dropped_odd_size, dropped_no_output.
// README.md ("Writing an app") walks through this file and clumsy.cpp.
#pragma once

#include "engine/app.hpp"

namespace synnet {

struct ClumsySpec {
  bool operator==(const ClumsySpec&) const = default;
};

class Clumsy final : public App {
 public:
  using Spec = ClumsySpec;
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {"output"}); }

  Clumsy(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override;
  void counters(const CounterVisitor& emit) const override;

 private:
  std::uint64_t forwarded_ = 0;
  std::uint64_t dropped_odd_size_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
