#include "engine/apps/basic/tee.hpp"

namespace synnet {

void Tee::push() {
  Link* in = input();
  const std::vector<Link*>& outs = outputs();
  if (outs.empty()) {
    while (!in->empty()) {
      pool().free(in->receive());
      ++dropped_no_output_;
    }
    return;
  }
  const std::size_t last = outs.size() - 1;
  while (!in->empty()) {
    Packet* p = in->receive();
    for (std::size_t i = 0; i < last; ++i) {
      Packet* copy = pool().try_clone(*p);
      if (copy == nullptr) {
        ++alloc_failed_;
        continue;
      }
      outs[i]->transmit(copy);
    }
    outs[last]->transmit(p);
  }
}

void Tee::counters(const CounterVisitor& emit) const {
  emit.drop("alloc_failed", Drop::no_buffer, alloc_failed_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
