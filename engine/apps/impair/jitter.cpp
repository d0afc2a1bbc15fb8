#include "engine/apps/impair/jitter.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <stdexcept>

namespace synnet {

void JitterSpec::validate() const {
  require_at_most_an_hour("mean_us", mean_us);
  require_at_most_an_hour("stddev_us", stddev_us);
  if (distribution == Distribution::kPareto && stddev_us > 0 && mean_us == 0) {
    throw std::invalid_argument("mean_us: a pareto distribution needs a mean above 0");
  }
  if (limit_packets == 0) throw std::invalid_argument("limit_packets: must be at least 1");
}

void Jitter::reconfigure(const Spec& spec) {
  distribution_ = spec.distribution;
  mean_ns_ = static_cast<double>(spec.mean_us) * 1000.0;
  stddev_ns_ = static_cast<double>(spec.stddev_us) * 1000.0;
  reorder_ = spec.reorder;
  limit_ = spec.limit_packets;
}

void Jitter::pull() {
  if (Link* out = output()) line_.release(out, now());
  ctx().wake_at(line_.next_due());  // kNever (no request) when nothing waits
}

void Jitter::push() {
  Link* in = input();
  Link* out = output();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
      continue;
    }
    if (line_.size() >= limit_) {
      trace_drop(*p, TraceFate::queue_full, static_cast<std::uint32_t>(limit_));
      pool().free(p);
      ++dropped_queue_full_;
      continue;
    }
    double delay_ns = sample(distribution_, rng_, mean_ns_, stddev_ns_);
    if (delay_ns < 0) {
      delay_ns = 0;
      ++clamped_to_zero_;
    }
    line_.hold(p, now() + Duration{static_cast<std::int64_t>(delay_ns)}, !reorder_);
    ++delayed_;
  }
  ctx().wake_at(line_.next_due());
}

void Jitter::counters(const CounterVisitor& emit) const {
  emit.packets("delayed", delayed_);
  emit.gauge("queued", line_.size());
  emit.events("clamped_to_zero", clamped_to_zero_);
  emit.drop("dropped_queue_full", Drop::queue_full, dropped_queue_full_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
