#include "engine/apps/basic/repeater.hpp"

#include <algorithm>
#include <stdexcept>

namespace synnet {

void RepeaterSpec::validate() const {
  if (max_packets == 0) throw std::invalid_argument("max_packets: must be at least 1");
}

void Repeater::push() {
  Link* in = input();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (stored_.size() < max_) {
      stored_.push_back(p);
    } else {
      pool().free(p);
      ++dropped_full_;
    }
  }
}

void Repeater::pull() {
  Link* out = output();
  if (out == nullptr || stored_.empty()) return;
  const std::uint32_t n = std::min<std::uint32_t>(out->room(), Link::kCapacity / 10);
  for (std::uint32_t i = 0; i < n; ++i) {
    Packet* p = pool().try_clone(*stored_[next_]);
    if (p == nullptr) {
      ++alloc_failed_;
      return;
    }
    out->transmit(p);
    if (++next_ == stored_.size()) next_ = 0;
  }
}

void Repeater::stop() {
  for (Packet* p : stored_) pool().free(p);
  stored_.clear();
}

void Repeater::reconfigure(const Spec& spec) {
  max_ = spec.max_packets;
  while (stored_.size() > max_) {
    pool().free(stored_.back());
    stored_.pop_back();
    ++dropped_full_;
  }
  if (next_ >= stored_.size()) next_ = 0;
}

void Repeater::counters(const CounterVisitor& emit) const {
  emit.gauge("stored", stored_.size());
  emit.drop("dropped_full", Drop::queue_full, dropped_full_);
  emit.error("alloc_failed", alloc_failed_);
}

}  // namespace synnet
