#include "engine/apps/examples/clumsy.hpp"

namespace synnet {

void Clumsy::push() {
  Link* in = input();    // the "input" port: push() runs only when it has packets
  Link* out = output();  // the "output" port: nullptr when nothing is linked to it
  while (!in->empty()) {
    Packet* p = in->receive();
    if (p->length % 2 != 0) {
      pool().free(p);  // every packet taken is transmitted or freed...
      ++dropped_odd_size_;
    } else if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;  // ...and every drop is counted with its reason
    } else {
      out->transmit(p);  // the packet now belongs to the link
      ++forwarded_;
    }
  }
}

void Clumsy::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.drop("dropped_odd_size", Drop::impairment, dropped_odd_size_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
