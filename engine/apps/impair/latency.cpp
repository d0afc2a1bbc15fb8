#include "engine/apps/impair/latency.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <stdexcept>
#include <string>

namespace synnet {

void LatencySpec::validate() const {
  require_at_most_an_hour("delay_us", delay_us);
  if (limit_packets == 0) throw std::invalid_argument("limit_packets: must be at least 1");
}

void Latency::reconfigure(const Spec& spec) {
  delay_ = std::chrono::microseconds(spec.delay_us);
  limit_ = spec.limit_packets;
}

void Latency::pull() {
  if (Link* out = output()) line_.release(out, now());
  ctx().wake_at(line_.next_due());  // kNever (no request) when nothing waits
}

void Latency::push() {
  Link* in = input();
  Link* out = output();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
    } else if (line_.size() >= limit_) {
      trace_drop(*p, TraceFate::queue_full, static_cast<std::uint32_t>(limit_));
      pool().free(p);
      ++dropped_queue_full_;
    } else {
      line_.hold(p, now() + delay_, true);
      ++delayed_;
    }
  }
  ctx().wake_at(line_.next_due());
}

void Latency::counters(const CounterVisitor& emit) const {
  emit.packets("delayed", delayed_);
  emit.gauge("queued", line_.size());
  emit.drop("dropped_queue_full", Drop::queue_full, dropped_queue_full_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
