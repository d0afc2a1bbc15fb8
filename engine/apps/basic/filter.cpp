#include "engine/apps/basic/filter.hpp"

#include <stdexcept>

namespace synnet {

void FilterSpec::validate() const {
  if (!fn || !*fn) throw std::invalid_argument("fn: no callable given");
}

void Filter::push() {
  Link* in = input();
  Link* out = output();
  const FilterSpec::Fn& fn = *fn_;
  while (!in->empty()) {
    Packet* p = in->receive();
    if (out != nullptr && fn(*p)) {
      out->transmit(p);
      ++forwarded_;
    } else {
      pool().free(p);
      ++dropped_;
    }
  }
}

void Filter::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.drop("dropped", Drop::impairment, dropped_);
}

}  // namespace synnet
