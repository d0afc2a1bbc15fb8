#include "engine/apps/impair/reorder.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <stdexcept>
#include <string>

namespace synnet {

void ReorderSpec::validate() const {
  require_probability("ratio", ratio);
  require_at_most_an_hour("delay_us", delay_us);
  if (ratio > 0 && delay_us == 0) {
    throw std::invalid_argument("delay_us: must be > 0 when ratio > 0 (ratio is " + shortest(ratio) +
                                "): packets can only overtake packets that wait");
  }
  if (limit_packets == 0) throw std::invalid_argument("limit_packets: 0 is not >= 1");
}

Reorder::Reorder(AppContext& ctx, const Spec& spec) : App(ctx), rng_{ctx.seed()}, line_(ctx.pool()) {
  reconfigure(spec);
}

void Reorder::reconfigure(const Spec& spec) {
  ratio_ = spec.ratio;
  delay_ = std::chrono::microseconds(spec.delay_us);
  limit_ = spec.limit_packets;
}

void Reorder::pull() { release(); }

void Reorder::push() {
  Link* in = input();
  Link* out = output();
  const Time t = now();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (rng_.uniform() < ratio_) {  // skips the wait: ahead of everything queued
      if (out == nullptr) {
        pool().free(p);
        ++dropped_no_output_;
      } else {
        trace_note(*p, TraceNote::reordered);
        out->transmit(p);
        ++reordered_;
      }
    } else if (line_.size() >= limit_) {
      trace_drop(*p, TraceFate::queue_full, static_cast<std::uint32_t>(limit_));
      pool().free(p);
      ++dropped_queue_full_;
    } else {
      line_.hold(p, t + delay_, true);  // in order, also after a reconfigure to a shorter delay
      ++delayed_;
    }
  }
  release();  // a zero delay sends at once; otherwise this asks for a wake-up
}

void Reorder::release() noexcept {
  if (Link* out = output()) {
    line_.release(out, now());  // a full link: due packets wait for room (the wake-up below is due now)
  } else {
    dropped_no_output_ += line_.drop_due(now());
  }
  ctx().wake_at(line_.next_due());
}

void Reorder::stop() { line_.clear(); }

void Reorder::counters(const CounterVisitor& emit) const {
  emit.altered("reordered", reordered_);
  emit.packets("delayed", delayed_);
  emit.gauge("queued", line_.size());
  emit.drop("dropped_queue_full", Drop::queue_full, dropped_queue_full_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
