// mtu.hpp — Mtu: drops frames too big for a smaller link, as a router with a
// lower MTU would (without sending ICMP "fragmentation needed" back).
//
//   input --> +-----+--> output   layer-3 size <= mtu_bytes
//             | Mtu |--x          bigger: dropped (dropped_too_big)
//             +-----+
// Spec (MtuSpec):
//   mtu_bytes — largest layer-3 packet let through, in bytes (default 1500);
//               68 (IPv4's minimum) to 10,226 (a 10,240-byte jumbo frame less
//               the Ethernet header).
// Layer-3 size: frame length less the 14-byte Ethernet header and 4 bytes per
// 802.1Q/802.1ad VLAN tag (ethertype 0x8100 or 0x88a8; up to two tags). Frames
// too short to have an Ethernet header are forwarded.
// A GSO super-frame (bulk mode) is judged by its largest wire packet (headers
// plus gso_size) and goes on or is dropped whole.
// Counters, in wire packets: forwarded, dropped_too_big, dropped_no_output (output not linked).
// Conservation: in = out + output txdrop + dropped_too_big + dropped_no_output.
// Reconfigurable in place.
#pragma once

#include <cstdint>

#include "engine/app.hpp"

namespace synnet {

struct MtuSpec {
  std::uint32_t mtu_bytes = 1500;
  bool operator==(const MtuSpec&) const = default;
  void validate() const;
};

class Mtu final : public App {
 public:
  using Spec = MtuSpec;
  static constexpr std::uint32_t kEthernetHeaderBytes = 14;
  static constexpr std::uint32_t kVlanTagBytes = 4;
  static constexpr std::uint32_t kMinMtuBytes = 68;
  static constexpr std::uint32_t kMaxMtuBytes = 10240 - kEthernetHeaderBytes;

  Mtu(AppContext& ctx, const Spec& spec) : App(ctx), mtu_(spec.mtu_bytes) {}
  void push() override;
  void reconfigure(const Spec& spec) { mtu_ = spec.mtu_bytes; }
  void counters(const CounterVisitor& emit) const override;
  // The frame's layer-3 size, as defined above; 0 for a frame shorter than an Ethernet header.
  static std::uint32_t l3_bytes(const Packet& p) noexcept;

 private:
  std::uint32_t mtu_;
  std::uint64_t forwarded_ = 0;
  std::uint64_t dropped_too_big_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
