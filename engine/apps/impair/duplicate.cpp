#include "engine/apps/impair/duplicate.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <stdexcept>
#include <string>

namespace synnet {

void DuplicateSpec::validate() const { require_probability("ratio", ratio); }

void Duplicate::push() {
  Link* in = input();
  Link* out = output();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
      continue;
    }
    // Clone before transmitting: once transmitted, p belongs to the link
    // (a full link frees it at once).
    Packet* copy = nullptr;
    if (rng_.uniform() < ratio_) {
      copy = pool().try_clone(*p);
      if (copy == nullptr) {
        ++alloc_failed_;
      } else {
        trace_copy(*copy, *p);
      }
    }
    out->transmit(p);
    ++forwarded_;
    if (copy != nullptr) {
      out->transmit(copy);
      ++duplicated_;
    }
  }
}

void Duplicate::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.altered("duplicated", duplicated_);
  emit.error("alloc_failed", alloc_failed_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
