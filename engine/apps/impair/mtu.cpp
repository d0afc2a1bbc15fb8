#include "engine/apps/impair/mtu.hpp"

#include <stdexcept>
#include <string>

namespace synnet {

void MtuSpec::validate() const {
  if (mtu_bytes < Mtu::kMinMtuBytes || mtu_bytes > Mtu::kMaxMtuBytes) {
    throw std::invalid_argument("mtu_bytes: " + std::to_string(mtu_bytes) + " is not in [" +
                                std::to_string(Mtu::kMinMtuBytes) + ", " + std::to_string(Mtu::kMaxMtuBytes) + "]");
  }
}

std::uint32_t Mtu::l3_bytes(const Packet& p) noexcept {
  if (p.length < kEthernetHeaderBytes) return 0;
  std::uint32_t header = kEthernetHeaderBytes;
  // The ethertype sits in the header's last two bytes; each VLAN tag pushes it 4 bytes on.
  for (int tags = 0; tags < 2; ++tags) {
    const std::uint32_t at = header - 2;
    const auto ethertype = static_cast<std::uint16_t>(p.data[at] << 8 | p.data[at + 1]);
    if (ethertype != 0x8100 && ethertype != 0x88a8) break;
    if (p.length < header + kVlanTagBytes) break;  // a tag cut short: no room for it, count no tag
    header += kVlanTagBytes;
  }
  return p.length - header;
}

void Mtu::push() {
  Link* in = input();
  Link* out = output();
  while (!in->empty()) {
    Packet* p = in->receive();
    const std::uint32_t n = wire_packets(*p);
    // A super-frame's wire packets are its headers plus gso_size bytes (the last one maybe fewer).
    const std::uint32_t beyond = n > 1 ? p->length - (p->offload.header_bytes + p->offload.gso_size) : 0;
    if (l3_bytes(*p) - beyond > mtu_) {
      trace_drop(*p, TraceFate::mtu, mtu_);
      pool().free(p);
      dropped_too_big_ += n;
    } else if (out == nullptr) {
      pool().free(p);
      dropped_no_output_ += n;
    } else {
      out->transmit(p);
      forwarded_ += n;
    }
  }
}

void Mtu::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.drop("dropped_too_big", Drop::impairment, dropped_too_big_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
