#include "engine/apps/impair/slot.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace synnet {

namespace {
constexpr int kMostSlotsAtOnce = 10'000;  // slots one breath catches up on (a late breath)
}  // namespace

void SlotSpec::validate() const {
  require_at_most_an_hour("min_us", min_us);
  require_at_most_an_hour("max_us", max_us);
  require_at_most_an_hour("mean_us", mean_us);
  require_at_most_an_hour("stddev_us", stddev_us);
  if (distribution) {
    if (min_us != 0 || max_us != 0) {
      throw std::invalid_argument(std::string(min_us != 0 ? "min_us" : "max_us") +
                                  ": must be 0 with a distribution (it draws from mean_us and stddev_us)");
    }
    if (mean_us == 0) throw std::invalid_argument("mean_us: a distribution needs a mean above 0");
  } else {
    if (mean_us != 0 || stddev_us != 0) {
      throw std::invalid_argument(std::string(mean_us != 0 ? "mean_us" : "stddev_us") +
                                  ": needs a distribution (without one, slots are uniform in [min_us, max_us])");
    }
    if (min_us == 0) throw std::invalid_argument("min_us: must be above 0");
    if (max_us != 0 && max_us < min_us) {
      throw std::invalid_argument("max_us: " + std::to_string(max_us) + " is below min_us (" + std::to_string(min_us) +
                                  ")");
    }
  }
  if (limit_packets == 0) throw std::invalid_argument("limit_packets: must be at least 1");
}

Slot::Slot(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec), rng_(ctx.seed()) { next_slot_ = now() + draw(); }

void Slot::reconfigure(const Spec& spec) {
  spec_ = spec;
  next_slot_ = now() + draw();
}

Duration Slot::draw() noexcept {
  double us = 0;
  if (spec_.distribution) {
    us = sample(*spec_.distribution, rng_, static_cast<double>(spec_.mean_us), static_cast<double>(spec_.stddev_us));
  } else {
    const auto min = static_cast<double>(spec_.min_us);
    const auto max = static_cast<double>(std::max(spec_.max_us, spec_.min_us));
    us = min + rng_.uniform() * (max - min);
  }
  if (!(us > 0)) return Duration{0};
  return Duration{static_cast<Duration::rep>(us * 1000.0)};
}

void Slot::serve(Link* out) {
  const Time t = now();
  for (int i = 0; i < kMostSlotsAtOnce && !held_.empty() && next_slot_ <= t; ++i) {
    if (held_.front().arrived >= next_slot_) {  // a slot from before the oldest packet arrived: past
      next_slot_ = held_.front().arrived + draw();
      continue;
    }
    std::uint32_t packets = 0;
    std::uint64_t bytes = 0;
    const std::uint32_t most_packets = spec_.packets == 0 ? std::numeric_limits<std::uint32_t>::max() : spec_.packets;
    const std::uint64_t most_bytes = spec_.bytes == 0 ? std::numeric_limits<std::uint64_t>::max() : spec_.bytes;
    while (!held_.empty() && held_.front().arrived < next_slot_ && packets < most_packets && !out->full()) {
      const Packet* p = held_.front().packet;
      if (packets > 0 && bytes + p->length > most_bytes) break;  // waits for the next slot
      bytes += p->length;
      ++packets;
      out->transmit(held_.front().packet);
      held_.pop_front();
    }
    forwarded_ += packets;
    if (packets > 0) ++slots_;
    next_slot_ += draw();
  }
}

void Slot::pull() {
  if (Link* out = output()) serve(out);
  ctx().wake_at(held_.empty() ? kNever : next_slot_);
}

void Slot::push() {
  Link* in = input();
  Link* out = output();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
    } else if (held_.size() >= spec_.limit_packets) {
      trace_drop(*p, TraceFate::queue_full, spec_.limit_packets);
      pool().free(p);
      ++dropped_queue_full_;
    } else {
      held_.push_back({p, now()});
    }
  }
  if (out != nullptr) serve(out);  // draws the next slot when the one due is past for what arrived
  ctx().wake_at(held_.empty() ? kNever : next_slot_);
}

void Slot::stop() {
  for (const Held& h : held_) pool().free(h.packet);
  held_.clear();
}

void Slot::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.events("slots", slots_);
  emit.gauge("queued", held_.size());
  emit.drop("dropped_queue_full", Drop::queue_full, dropped_queue_full_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
