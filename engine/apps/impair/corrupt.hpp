// corrupt.hpp — Corrupt: flips one random bit in some packets (netem's
// "corrupt"), never in the Ethernet header, so the frame still reaches its
// destination and the damage shows up above layer 2 (IP/UDP/TCP checksums).
//
//   input --> +---------+--> output
//             | Corrupt |    every packet, some with one bit flipped
//             +---------+
// Spec (CorruptSpec):
//   ratio — probability in [0, 1] that a packet is corrupted (default 0).
// A corrupted packet has exactly one bit flipped: the byte is uniform in
// [14, length) (past the 14-byte Ethernet header), the bit uniform in 0..7.
// Checksums are not fixed up: that is the point.
// Counters: forwarded (every packet sent, corrupted or not), corrupted,
// too_short_to_corrupt (drawn for corruption but <= 14 bytes long: sent
// unchanged), dropped_no_output (output not linked).
// Conservation: in = out + output txdrop + dropped_no_output.
// Random decisions come from the app's own seeded stream (AppContext::seed()):
// one draw per packet sent, one more per corrupted packet. Reconfigurable in place.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/app.hpp"
#include "engine/rng.hpp"

namespace synnet {

struct CorruptSpec {
  double ratio = 0;
  bool operator==(const CorruptSpec&) const = default;
  void validate() const;
};

class Corrupt final : public App {
 public:
  using Spec = CorruptSpec;
  static constexpr std::size_t kEthernetHeaderBytes = 14;  // never corrupted

  Corrupt(AppContext& ctx, const Spec& spec) : App(ctx), rng_{ctx.seed()}, ratio_(spec.ratio) {}
  void push() override;
  void reconfigure(const Spec& spec) { ratio_ = spec.ratio; }
  void counters(const CounterVisitor& emit) const override;

 private:
  Rng rng_;
  double ratio_;
  std::uint64_t forwarded_ = 0;
  std::uint64_t corrupted_ = 0;
  std::uint64_t too_short_to_corrupt_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
