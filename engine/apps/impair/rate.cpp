#include "engine/apps/impair/rate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/ethernet.hpp"
#include "engine/gso.hpp"

namespace synnet {

namespace {

std::uint64_t default_queue_bytes(double bps) {
  return std::max<std::uint64_t>(std::uint64_t{64} * 1024, static_cast<std::uint64_t>(bps / 8 / 20));
}

}  // namespace

void RateSpec::validate() const {
  if (trace) {
    if (rate_bps != 0) throw std::invalid_argument("rate_bps: must be 0 with a trace (the trace gives the capacity)");
    if (mode == RateMode::kPolicer)
      throw std::invalid_argument("trace: a policer cannot follow a trace (use a shaper)");
    if (burst_bytes != 0)
      throw std::invalid_argument("burst_bytes: a trace's opportunities are its bursts (leave it 0 with a trace)");
    trace->validate();
  } else {
    if (rate_bps == 0)
      throw std::invalid_argument("rate_bps: must be above 0 (to drop everything, use Loss or Outage)");
    if (rate_bps > 10'000'000'000'000ULL)
      throw std::invalid_argument("rate_bps: " + std::to_string(rate_bps) + " is above 10 Tbit/s");
  }
  if (mode == RateMode::kPolicer && (queue_bytes != 0 || queue_packets != 0))
    throw std::invalid_argument("queue_bytes: a policer has no queue (leave it 0)");
  if (mode == RateMode::kPolicer && aqm.discipline != QueueDiscipline::kDropTail)
    throw std::invalid_argument("aqm: a policer has no queue to manage");
  if (queue_bytes != 0 && queue_packets != 0)
    throw std::invalid_argument("queue_packets: the queue's limit is in bytes or in packets, not both");
  aqm.validate();
}

Rate::Rate(AppContext& ctx, const Spec& spec) : App(ctx), rng_(ctx.seed()) {
  reconfigure(spec);
  refilled_at_ = now();
  tokens_ = burst_;  // start with a full bucket
}

void Rate::reconfigure(const Spec& spec) {
  if (rate_bytes_per_ns_ > 0) refill();  // charge the time so far at the old rate
  const bool was_trace = static_cast<bool>(trace_);
  overhead_ = spec.overhead_bytes;
  policer_ = spec.mode == RateMode::kPolicer;
  double bps = static_cast<double>(spec.rate_bps);
  if (spec.trace) {
    if (!(trace_ == spec.trace)) {  // a new trace starts from its beginning
      trace_ = spec.trace;
      trace_start_ = now();
      next_ = 0;
      loops_ = 0;
      head_carried_ = 0;
    }
    loop_ = spec.loop;
    rate_bytes_per_ns_ = 0;
    bps = trace_->mean_bps();
  } else {
    trace_ = {};
    head_carried_ = 0;
    if (was_trace) refilled_at_ = now();
    rate_bytes_per_ns_ = static_cast<double>(spec.rate_bps) / 8e9;
    burst_ = spec.burst_bytes != 0 ? static_cast<double>(spec.burst_bytes)
                                   : std::max(static_cast<double>(spec.rate_bps) / 8e3, 1514.0 + overhead_);
    tokens_ = std::min(tokens_, burst_);
  }
  queue_limit_packets_ = spec.queue_packets;
  queue_limit_ = spec.queue_bytes != 0 ? spec.queue_bytes : default_queue_bytes(bps);
  // The same discipline keeps its state (CoDel's dropping state, PIE's
  // probability) and takes the new parameters, as `tc qdisc change` does: a
  // rate stepped every few tens of ms must not restart the AQM at each step.
  const QueueDiscipline d = spec.aqm.discipline;
  if (d != QueueDiscipline::kCodel) {
    codel_.reset();
  } else if (codel_) {
    codel_->reconfigure(spec.aqm);
  } else {
    codel_.emplace(spec.aqm);
  }
  if (d != QueueDiscipline::kPie) {
    pie_.reset();
  } else if (pie_) {
    pie_->reconfigure(spec.aqm);
  } else {
    pie_.emplace(spec.aqm);
  }
}

void Rate::refill() noexcept {
  const Time t = now();
  if (t > refilled_at_) {
    tokens_ += static_cast<double>((t - refilled_at_).count()) * rate_bytes_per_ns_;
    // While packets wait, the link is busy: what it would have sent since the
    // last breath is still owed to them (drain caps the rest once they are gone).
    if (queue_.empty()) tokens_ = std::min(tokens_, burst_);
    refilled_at_ = t;
  }
}

double Rate::trace_cost(const Packet& p) const noexcept {
  const std::uint64_t n = wire_packets(p);
  const std::uint64_t bytes = wire_bytes(p);
  const std::uint64_t headers = std::uint64_t{kEthernetHeaderBytes} * n;
  return static_cast<double>(bytes > headers ? bytes - headers : 0) + overhead_ * static_cast<double>(n);
}

void Rate::enqueue(Packet* p) {
  queue_.push_back({p, now()});
  queued_bytes_ += p->length;
}

void Rate::drop_full(Packet* p) {
  if (queue_limit_packets_ != 0) {
    trace_drop(*p, TraceFate::rate_queue_full_packets, queue_limit_packets_);
  } else {
    trace_drop(*p, TraceFate::rate_queue_full, static_cast<std::uint32_t>(std::min<std::uint64_t>(queue_limit_, ~0U)));
  }
  pool().free(p);
  ++dropped_queue_full_;
}

bool Rate::codel_drops_head() {
  if (!codel_) return false;
  const Duration sojourn = now() - queue_.front().since;
  if (!codel_->drop_at_dequeue(now(), sojourn, queued_bytes_)) return false;
  Packet* p = queue_.front().packet;
  queue_.pop_front();
  queued_bytes_ -= p->length;
  dropped_codel_ += wire_packets(*p);
  const auto waited_us = std::chrono::duration_cast<std::chrono::microseconds>(sojourn).count();
  trace_drop(*p, TraceFate::rate_codel, static_cast<std::uint32_t>(std::clamp<std::int64_t>(waited_us, 0, ~0U)));
  pool().free(p);
  return true;
}

void Rate::send_head(Link* out) {
  Packet* p = queue_.front().packet;
  queue_wait_ns_ += static_cast<std::uint64_t>(std::max<std::int64_t>(0, (now() - queue_.front().since).count()));
  ++dequeued_;
  queue_.pop_front();
  queued_bytes_ -= p->length;
  out->transmit(p);
  forwarded_ += wire_packets(*p);
}

void Rate::drain(Link* out) {
  while (!queue_.empty() && !out->full()) {
    const double c = cost(*queue_.front().packet);
    if (!may_send(c)) {  // wake when the bucket will hold enough (or be full)
      const double need = std::min(c, burst_) - tokens_;
      ctx().wake_at(now() + Duration{static_cast<std::int64_t>(std::ceil(need / rate_bytes_per_ns_))});
      return;
    }
    if (codel_drops_head()) continue;
    tokens_ -= c;
    send_head(out);
  }
  if (queue_.empty()) tokens_ = std::min(tokens_, burst_);  // idle from here: the bucket fills up to its depth
}

Time Rate::opportunity_time(std::size_t index) const noexcept {
  const std::uint64_t ms = loops_ * trace_->period_ms() + trace_->opportunities_ms[index];
  return trace_start_ + std::chrono::milliseconds(ms);
}

// With nothing queued, the opportunities before now pass unused (packets that
// arrive now may take one due now, not earlier ones): jump to the first one
// at or after now.
void Rate::skip_passed_opportunities() noexcept {
  const std::vector<std::uint64_t>& ms = trace_->opportunities_ms;
  const std::uint64_t n = ms.size(), period = trace_->period_ms();
  const std::uint64_t before = loops_ * n + next_;
  const auto elapsed_ns = static_cast<std::uint64_t>(std::max<std::int64_t>(0, (now() - trace_start_).count()));
  const std::uint64_t now_ms = (elapsed_ns + 999'999) / 1'000'000;  // opportunities at < now_ms have passed
  std::uint64_t loop = now_ms / period, within = now_ms % period;
  if (within == 0 && loop > 0) {  // the last opportunities of a loop fall on the next one's start
    --loop;
    within = period;
  }
  if (!loop_ && loop > 0) {  // past a trace that does not repeat: all of it has passed
    loop = 0;
    within = period + 1;
  }
  const auto first = static_cast<std::uint64_t>(std::lower_bound(ms.begin(), ms.end(), within) - ms.begin());
  const std::uint64_t after = loop * n + first;
  if (after <= before) return;
  opportunities_ += after - before;
  opportunity_bytes_unused_ += (after - before) * kOpportunityBytes;
  loops_ = loop;
  next_ = static_cast<std::size_t>(first);
}

void Rate::drain_trace(Link* out) {
  const Time t = now();
  const std::size_t n = trace_->opportunities_ms.size();
  for (;;) {
    if (next_ == n) {
      if (!loop_) return;  // the trace has ended: nothing more is delivered
      next_ = 0;
      ++loops_;
    }
    if (queue_.empty()) {
      skip_passed_opportunities();
      return;
    }
    const Time at = opportunity_time(next_);
    if (at > t) {
      ctx().wake_at(at);
      return;
    }
    if (out->full()) return;
    double budget = kOpportunityBytes;
    while (budget > 0 && !queue_.empty() && !out->full()) {
      if (head_carried_ == 0 && codel_drops_head()) continue;
      const double need = trace_cost(*queue_.front().packet) - head_carried_;
      if (need <= budget) {
        budget -= need;
        head_carried_ = 0;
        send_head(out);
      } else {
        head_carried_ += budget;
        budget = 0;
      }
    }
    ++opportunities_;
    opportunity_bytes_unused_ += static_cast<std::uint64_t>(budget);
    ++next_;
  }
}

void Rate::pull() {
  if (queue_.empty()) return;
  Link* out = output();
  if (out == nullptr) return;
  if (trace_) {
    drain_trace(out);
  } else {
    refill();
    drain(out);
  }
}

void Rate::push() {
  Link* in = input();
  Link* out = output();
  if (trace_) {
    if (out != nullptr) drain_trace(out);  // what was queued first takes the opportunities that have passed
  } else {
    refill();
  }
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
    } else if (pie_ && pie_->drop_at_enqueue(now(), queue_.empty() ? Duration{0} : now() - queue_.front().since,
                                             queued_bytes_, p->length, rng_)) {
      trace_drop(*p, TraceFate::rate_pie, static_cast<std::uint32_t>(pie_->probability() * 1e6));
      pool().free(p);
      dropped_pie_ += n;
    } else if (fits(p->length)) {
      enqueue(p);
    } else if (n > 1) {
      cut(p, out);
    } else {
      drop_full(p);
    }
  }
  if (out == nullptr) return;
  if (trace_) {
    drain_trace(out);
  } else {
    drain(out);
  }
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
    const bool go = policer_ ? may_send(c) && !out->full() : fits(bytes);
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
  head_carried_ = 0;
}

void Rate::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.gauge("queued_packets", queue_.size());
  emit.gauge("queued_bytes", queued_bytes_);
  emit.packets("dequeued", dequeued_);
  emit.time("queue_wait_ns", queue_wait_ns_);
  emit.drop("dropped_queue_full", Drop::queue_full, dropped_queue_full_);
  emit.drop("dropped_codel", Drop::queue_full, dropped_codel_);
  emit.drop("dropped_pie", Drop::queue_full, dropped_pie_);
  emit.drop("dropped_policed", Drop::impairment, dropped_policed_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
  emit.drop("dropped_no_buffer", Drop::no_buffer, dropped_no_buffer_);
  emit.events("segmented", segmented_);
  emit.events("opportunities", opportunities_);
  emit.bytes("opportunity_bytes_unused", opportunity_bytes_unused_);
}

}  // namespace synnet
