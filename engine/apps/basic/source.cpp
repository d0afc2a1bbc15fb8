#include "engine/apps/basic/source.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace synnet {

void SourceSpec::validate() const {
  if (sizes_bytes.empty()) throw std::invalid_argument("sizes_bytes: give at least one frame size");
  for (std::uint32_t size : sizes_bytes) {
    if (size == 0 || size > kPacketCapacity) {
      throw std::invalid_argument("sizes_bytes: " + std::to_string(size) + " is not in 1.." +
                                  std::to_string(kPacketCapacity));
    }
  }
  if (burst_packets == 0 || burst_packets > Link::kCapacity) {
    throw std::invalid_argument("burst_packets: " + std::to_string(burst_packets) + " is not in 1.." +
                                std::to_string(Link::kCapacity));
  }
}

Source::Source(AppContext& ctx, const Spec& spec) : App(ctx), burst_(spec.burst_packets) { reconfigure(spec); }

void Source::reconfigure(const Spec& spec) {
  templates_.clear();
  for (std::uint32_t size : spec.sizes_bytes) {
    auto p = std::make_unique<Packet>();
    std::fill_n(p->data, size, std::uint8_t{0});
    p->length = size;
    templates_.push_back(std::move(p));
  }
  next_ = 0;
  burst_ = spec.burst_packets;
}

void Source::pull() {
  const std::size_t ntemplates = templates_.size();
  for (Link* out : outputs()) {
    const std::uint32_t n = std::min(burst_, out->room());
    for (std::uint32_t i = 0; i < n; ++i) {
      Packet* p = pool().try_clone(*templates_[next_]);
      if (p == nullptr) {
        ++alloc_failed_;
        return;
      }
      if (ntemplates > 1 && ++next_ == ntemplates) next_ = 0;
      out->transmit(p);
    }
  }
}

void Source::counters(const CounterVisitor& emit) const { emit.error("alloc_failed", alloc_failed_); }

}  // namespace synnet
