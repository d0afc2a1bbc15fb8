// capture_tap.cpp — a verdict capture's entry and exit. See capture_tap.hpp.
#include "engine/apps/capture/capture_tap.hpp"

#include <stdexcept>

namespace synnet {

void CaptureTapSpec::validate() const {
  if (!capture) throw std::invalid_argument("capture: not set (a CaptureTap needs the VerdictCapture it feeds)");
}

void CaptureTap::push() {
  Link* in = input();
  Link* out = output();
  VerdictCapture& capture = *spec_.capture;
  const Time t = now();
  const bool entry = spec_.role == Spec::Role::entry;
  while (!in->empty()) {
    Packet* p = in->receive();
    if (entry) capture.entered(*p, t);  // followed from here (a full link next: "the next link was full")
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
    } else if (!entry && out->full()) {  // the chain's last drop: said before the capture lets go
      trace_drop(*p, TraceFate::link_full);
      pool().free(p);
      ++dropped_link_full_;
    } else {
      if (!entry) capture.forwarded(*p, t);
      out->transmit(p);
      ++forwarded_;
    }
  }
}

void CaptureTap::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
  emit.drop("dropped_link_full", Drop::queue_full, dropped_link_full_);
}

}  // namespace synnet
