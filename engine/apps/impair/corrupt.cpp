#include "engine/apps/impair/corrupt.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <stdexcept>
#include <string>

namespace synnet {

void CorruptSpec::validate() const { require_probability("ratio", ratio); }

void Corrupt::push() {
  Link* in = input();
  Link* out = output();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
      continue;
    }
    if (rng_.uniform() < ratio_) {
      if (p->length <= kEthernetHeaderBytes) {
        ++too_short_to_corrupt_;
      } else {
        // One draw picks byte and bit: uniform over the (length - 14) * 8 bits past the header.
        const std::uint64_t bit = rng_.below((p->length - kEthernetHeaderBytes) * 8);
        p->data[kEthernetHeaderBytes + bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        trace_note(*p, TraceNote::corrupted, static_cast<std::uint32_t>(bit));
        ++corrupted_;
      }
    }
    out->transmit(p);
    ++forwarded_;
  }
}

void Corrupt::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.altered("corrupted", corrupted_);
  emit.events("too_short_to_corrupt", too_short_to_corrupt_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
