// sink.hpp — Sink: frees every packet it receives.
//
//   any input port --> +------+
//                      | Sink |
//                      +------+
// Spec: none. Counters: none (the input links count what arrived).
#pragma once

#include "engine/app.hpp"

namespace synnet {

struct SinkSpec {
  bool operator==(const SinkSpec&) const = default;
};

class Sink final : public App {
 public:
  using Spec = SinkSpec;
  static Ports ports(const Spec&) { return Ports{{}, {}, true, false}; }

  Sink(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override {
    for (Link* in : inputs()) {
      while (!in->empty()) pool().free(in->receive());
    }
  }
};

}  // namespace synnet
