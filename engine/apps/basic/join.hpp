// join.hpp — Join: merges all its inputs into one output (with one input, a
// plain pass-through).
//
//   any input port --> +------+
//   ...            --> | Join |--> output
//                      +------+
// Spec: none. Counters: dropped_no_output (output not linked).
#pragma once

#include "engine/app.hpp"

namespace synnet {

struct JoinSpec {
  bool operator==(const JoinSpec&) const = default;
};

class Join final : public App {
 public:
  using Spec = JoinSpec;
  static Ports ports(const Spec&) { return Ports{{}, {"output"}, true, false}; }

  Join(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override {
    Link* out = output();
    for (Link* in : inputs()) {
      while (!in->empty()) {
        if (out != nullptr) {
          out->transmit(in->receive());
        } else {
          pool().free(in->receive());
          ++dropped_no_output_;
        }
      }
    }
  }
  void counters(const CounterVisitor& emit) const override {
    emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
  }

 private:
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
