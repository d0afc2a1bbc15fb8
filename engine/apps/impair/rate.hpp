// rate.hpp — Rate: limits throughput with a token bucket, as a shaper (excess
// waits in a byte-limited queue) or a policer (excess is dropped).
//
//   input --> +------+--> output
//             | Rate |      at most rate_bps on average, bursts up to burst_bytes
//             +------+
//
// Spec (RateSpec):
//   rate_bps        — bits per second (> 0)
//   burst_bytes     — bucket depth; 0 (default): the larger of 1 ms at the rate
//                     and one 1514-byte frame (plus overhead)
//   overhead_bytes  — added to every packet's length when it is charged, e.g. 24
//                     for Ethernet's preamble, inter-frame gap and FCS, so the
//                     rate is the wire's
//   queue_bytes     — shaper: most bytes waiting; 0 (default): the larger of
//                     64 KiB and 50 ms at the rate. A packet that does not fit
//                     is dropped (tail drop). Must stay 0 for a policer.
//   mode            — kShaper (default) or kPolicer
// A packet goes when the bucket holds its cost, or when the bucket is full (so
// a packet larger than the burst cannot stall: the bucket goes into debt).
// Tokens accumulate continuously from the engine's clock, so the average
// rate is exact; the engine wakes at the moment the next packet may go.
// reconfigure() keeps the queue and the tokens (charged at the old rate up to now).
// Per wire packet, also in bulk mode (by accounting, not by cutting): a GSO
// super-frame (Packet::offload) is charged what its wire packets cost, every
// one with its headers and overhead_bytes (wire_bytes), and a shaper sends it
// whole, so the average rate is the wire's but a super-frame (<= 7 wire
// packets at a 1500-byte MTU) leaves as a burst. Where only some of its wire
// packets may go (a policer's bucket, a shaper's full queue), it is cut in
// software (gso_segment) and each wire packet is decided alone.
// Counters, in wire packets: forwarded, dropped_queue_full, dropped_policed,
//   dropped_no_output, dropped_no_buffer (the pool was empty when cutting);
//   segmented (super-frames cut); queued_packets and queued_bytes (what waits:
//   packets as held, super-frames counting one); dequeued (packets as held
//   that left the queue, also those that waited 0 ns) and queue_wait_ns (a
//   time: how long they had waited in it, summed, from the engine's clock at
//   the breaths that queued and sent them), so queue_wait_ns / dequeued is
//   their mean queueing delay. A policer queues nothing: both stay 0.
#pragma once

#include <deque>
#include <string>

#include "engine/app.hpp"
#include "engine/apps/impair/aqm.hpp"
#include "engine/apps/impair/trace.hpp"

namespace synnet {

enum class RateMode { kShaper, kPolicer };

struct RateSpec {
  std::uint64_t rate_bps = 0;          // 0 with a trace
  SharedTrace<DeliveryTrace> trace{};  // the capacity follows a trace instead (a shaper)
  bool loop = true;                    // the trace repeats; false: nothing is delivered after its end
  std::uint64_t burst_bytes = 0;
  std::uint32_t overhead_bytes = 0;
  std::uint64_t queue_bytes = 0;
  std::uint32_t queue_packets = 0;  // the queue's limit in packets instead of bytes (0: in bytes)
  AqmSpec aqm{};                    // what the queue drops before it is full
  RateMode mode = RateMode::kShaper;
  bool operator==(const RateSpec&) const = default;
  void validate() const;
};

class Rate final : public App {
 public:
  using Spec = RateSpec;

  Rate(AppContext& ctx, const Spec& spec);
  void pull() override;
  void push() override;
  void stop() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

 private:
  void refill() noexcept;
  double cost(const Packet& p) const noexcept {
    return static_cast<double>(wire_bytes(p)) + overhead_ * wire_packets(p);
  }
  void cut(Packet* p, Link* out);
  void enqueue(Packet* p) {
    queue_.push_back({p, now()});
    queued_bytes_ += p->length;
  }
  bool may_send(double c) const noexcept { return tokens_ >= c || tokens_ >= burst_; }
  void drain(Link* out) noexcept;

  double rate_bytes_per_ns_ = 0, burst_ = 0, overhead_ = 0, tokens_ = 0;
  std::uint64_t queue_limit_ = 0;
  bool policer_ = false;
  Time refilled_at_{0};
  struct Queued {
    Packet* packet;
    Time since;  // when it was queued
  };
  std::deque<Queued> queue_;
  std::uint64_t queued_bytes_ = 0;
  std::uint64_t forwarded_ = 0, dropped_queue_full_ = 0, dropped_policed_ = 0, dropped_no_output_ = 0;
  std::uint64_t dropped_no_buffer_ = 0, segmented_ = 0;
  std::uint64_t dequeued_ = 0, queue_wait_ns_ = 0;
};

}  // namespace synnet
