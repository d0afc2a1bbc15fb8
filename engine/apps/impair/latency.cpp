#include "engine/apps/impair/latency.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace synnet {

void LatencySpec::validate() const {
  require_at_most_an_hour("delay_us", delay_us);
  if (trace) {
    if (delay_us != 0) throw std::invalid_argument("delay_us: must be 0 with a trace (the trace gives the delay)");
    trace->validate();
    if (trace->max_value() > static_cast<double>(kMaxDelayUs)) {
      throw std::invalid_argument("trace " + trace->name + ": a delay of more than an hour (" +
                                  std::to_string(kMaxDelayUs) + " us)");
    }
  }
  if (limit_packets == 0) throw std::invalid_argument("limit_packets: must be at least 1");
}

void Latency::reconfigure(const Spec& spec) {
  delay_ = std::chrono::microseconds(spec.delay_us);
  trace_ = spec.trace;
  limit_ = spec.limit_packets;
}

Duration Latency::delay_now() const noexcept {
  if (!trace_) return delay_;
  const auto since_start = std::chrono::duration_cast<std::chrono::microseconds>(now() - origin_);
  const double us = trace_->at(static_cast<std::uint64_t>(std::max<std::int64_t>(since_start.count(), 0)));
  return Duration{static_cast<Duration::rep>(std::llround(us * 1000.0))};
}

void Latency::pull() {
  if (Link* out = output()) line_.release(out, now());
  ctx().wake_at(line_.next_due());  // kNever (no request) when nothing waits
}

void Latency::push() {
  Link* in = input();
  Link* out = output();
  const Time due = in->empty() ? now() : now() + delay_now();  // now() is fixed for the pushes
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
      line_.hold(p, due, true);
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
