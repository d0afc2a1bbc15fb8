// source.hpp — Source: synthesizes frames, as fast as its output links take them.
//
//        +--------+
//        | Source |--> any output port (each gets the same frames)
//        +--------+
//
// Spec (SourceSpec):
//   sizes_bytes    — frame sizes, cycled in order; default {60}. Each in 1..kPacketCapacity.
//   burst_packets  — at most this many frames per output per breath; default 102
//                    (a tenth of a link, as in Snabb/Rush).
// Frames are zero-filled. Never drops: it sends only what the link has room for.
// Counters: alloc_failed (pool empty; the source waits for packets to come back).
// Reconfigurable in place.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/app.hpp"

namespace synnet {

struct SourceSpec {
  std::vector<std::uint32_t> sizes_bytes{60};
  std::uint32_t burst_packets = Link::kCapacity / 10;
  bool operator==(const SourceSpec&) const = default;
  void validate() const;
};

class Source final : public App {
 public:
  using Spec = SourceSpec;
  static Ports ports(const Spec&) { return Ports{{}, {}, false, true}; }

  Source(AppContext& ctx, const Spec& spec);
  void pull() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

 private:
  std::vector<std::unique_ptr<Packet>> templates_;
  std::size_t next_ = 0;
  std::uint32_t burst_;
  std::uint64_t alloc_failed_ = 0;
};

}  // namespace synnet
