#include "engine/apps/impair/rate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/gso.hpp"

namespace synnet {

void RateSpec::validate() const {
  if (rate_bps == 0) throw std::invalid_argument("rate_bps: must be above 0 (to drop everything, use Loss or Outage)");
  if (rate_bps > 10'000'000'000'000ULL)
    throw std::invalid_argument("rate_bps: " + std::to_string(rate_bps) + " is above 10 Tbit/s");
  if (mode == RateMode::kPolicer && queue_bytes != 0)
    throw std::invalid_argument("queue_bytes: a policer has no queue (leave it 0)");
}

Rate::Rate(AppContext& ctx, const Spec& spec) : App(ctx) {
  reconfigure(spec);
  refilled_at_ = now();
  tokens_ = burst_;  // start with a full bucket
}

void Rate::reconfigure(const Spec& spec) {
  if (rate_bytes_per_ns_ > 0) refill();  // charge the time so far at the old rate
  rate_bytes_per_ns_ = static_cast<double>(spec.rate_bps) / 8e9;
  overhead_ = spec.overhead_bytes;
  burst_ = spec.burst_bytes != 0 ? static_cast<double>(spec.burst_bytes)
                                 : std::max(static_cast<double>(spec.rate_bps) / 8e3, 1514.0 + overhead_);
  tokens_ = std::min(tokens_, burst_);
  queue_limit_ = spec.queue_bytes != 0 ? spec.queue_bytes
                                       : std::max<std::uint64_t>(std::uint64_t{64} * 1024, spec.rate_bps / 8 / 20);
  policer_ = spec.mode == RateMode::kPolicer;
}

void Rate::refill() noexcept {
  const Time t = now();
  if (t > refilled_at_) {
    tokens_ = std::min(burst_, tokens_ + static_cast<double>((t - refilled_at_).count()) * rate_bytes_per_ns_);
    refilled_at_ = t;
  }
}

void Rate::drain(Link* out) noexcept {
  while (!queue_.empty() && !out->full()) {
    Packet* p = queue_.front().packet;
    const double c = cost(*p);
    if (!may_send(c)) {  // wake when the bucket will hold enough (or be full)
      const double need = std::min(c, burst_) - tokens_;
      ctx().wake_at(now() + Duration{static_cast<std::int64_t>(std::ceil(need / rate_bytes_per_ns_))});
      return;
    }
    tokens_ -= c;
    queue_wait_ns_ += static_cast<std::uint64_t>(std::max<std::int64_t>(0, (now() - queue_.front().since).count()));
    ++dequeued_;
    queue_.pop_front();
    queued_bytes_ -= p->length;
    out->transmit(p);
    forwarded_ += wire_packets(*p);
  }
}

void Rate::pull() {
  if (queue_.empty()) return;
  refill();
  if (Link* out = output()) drain(out);
}

void Rate::push() {
  Link* in = input();
  Link* out = output();
  refill();
  while (!in->empty()) {
    Packet* p = in->receive();
    const std::uint32_t n = wire_packets(*p);
    if (out == nullptr) {
      pool().free(p);
      dropped_no_output_ += n;
    } else if (policer_ && queue_.empty()) {
      const double c = cost(*p);
      // Wire packets one by one: after the first, the bucket is no longer full,
      // so a super-frame goes whole only when the bucket holds all of it.
      const bool whole = n > 1 ? tokens_ >= c : may_send(c);
      if (whole && !out->full()) {
        tokens_ -= c;
        out->transmit(p);
        forwarded_ += n;
      } else if (n > 1) {
        cut(p, out);
      } else {
        trace_drop(*p, TraceFate::rate_policed);
        pool().free(p);
        ++dropped_policed_;
      }
    } else if (queued_bytes_ + p->length <= queue_limit_) {
      enqueue(p);
    } else if (n > 1) {
      cut(p, out);
    } else {
      trace_drop(*p, TraceFate::rate_queue_full, static_cast<std::uint32_t>(queue_limit_));
      pool().free(p);
      ++dropped_queue_full_;
    }
  }
  if (out != nullptr) drain(out);
}

// A super-frame of which only some wire packets may go: each is cut out and
// decided alone, in order (a policer: does the bucket hold it; a shaper: does
// it fit in the queue), as if they had arrived one by one.
void Rate::cut(Packet* p, Link* out) {
  ++segmented_;
  const std::uint32_t n = wire_packets(*p);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t bytes = gso_segment_bytes(*p, i);
    const double c = static_cast<double>(bytes) + overhead_;
    const bool go = policer_ ? may_send(c) && !out->full() : queued_bytes_ + bytes <= queue_limit_;
    if (!go) {
      ++(policer_ ? dropped_policed_ : dropped_queue_full_);
      continue;
    }
    Packet* s = gso_segment(*p, i, pool());
    if (s == nullptr) {
      ++dropped_no_buffer_;
    } else if (policer_) {
      tokens_ -= c;
      out->transmit(s);
      ++forwarded_;
    } else {
      enqueue(s);
    }
  }
  pool().free(p);
}

void Rate::stop() {
  for (const Queued& q : queue_) pool().free(q.packet);
  queue_.clear();
  queued_bytes_ = 0;
}

void Rate::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.gauge("queued_packets", queue_.size());
  emit.gauge("queued_bytes", queued_bytes_);
  emit.packets("dequeued", dequeued_);
  emit.time("queue_wait_ns", queue_wait_ns_);
  emit.drop("dropped_queue_full", Drop::queue_full, dropped_queue_full_);
  emit.drop("dropped_policed", Drop::impairment, dropped_policed_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
  emit.drop("dropped_no_buffer", Drop::no_buffer, dropped_no_buffer_);
  emit.events("segmented", segmented_);
}

}  // namespace synnet
