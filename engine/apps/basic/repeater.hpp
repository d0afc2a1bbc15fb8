// repeater.hpp — Repeater: remembers the packets it receives and sends copies
// of them, in order, over and over.
//
//   input --> +----------+--> output
//             | Repeater |
//             +----------+
// Spec (RepeaterSpec):
//   max_packets — how many packets it remembers (default 1024); later ones are
//                 dropped and counted in dropped_full.
// Counters: stored, dropped_full, alloc_failed.
// Reconfigurable in place (keeps the stored packets that still fit).
#pragma once

#include <vector>

#include "engine/app.hpp"

namespace synnet {

struct RepeaterSpec {
  std::uint32_t max_packets = 1024;
  bool operator==(const RepeaterSpec&) const = default;
  void validate() const;
};

class Repeater final : public App {
 public:
  using Spec = RepeaterSpec;

  Repeater(AppContext& ctx, const Spec& spec) : App(ctx), max_(spec.max_packets) {}
  void push() override;
  void pull() override;
  void stop() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

 private:
  std::vector<Packet*> stored_;
  std::size_t next_ = 0;
  std::uint32_t max_;
  std::uint64_t dropped_full_ = 0;
  std::uint64_t alloc_failed_ = 0;
};

}  // namespace synnet
