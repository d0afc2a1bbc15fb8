// rate.hpp — Rate: limits throughput, at a fixed rate with a token bucket
// (a shaper: excess waits in a queue; or a policer: excess is dropped), or
// following a capacity trace (mahimahi's delivery opportunities), with an
// active queue manager (CoDel, PIE) in front if asked.
//
//   input --> +------+--> output
//             | Rate |      at most rate_bps on average, bursts up to burst_bytes;
//             +------+      or what the trace's opportunities carry
//
// Spec (RateSpec):
//   rate_bps        — bits per second (> 0), or 0 with a trace
//   trace           — a DeliveryTrace (trace.hpp): from the app's start, each
//                     opportunity carries up to 1500 bytes of the queue's head,
//                     counted in bytes: several small packets, or part of a
//                     large one, which leaves when its last byte is carried;
//                     bytes an opportunity does not use are lost. A packet is
//                     charged its IP bytes (the frame less its 14-byte Ethernet
//                     header), as mahimahi counts them, plus overhead_bytes.
//                     A shaper only; burst_bytes must stay 0.
//   loop            — with a trace: it repeats every period (mahimahi's way,
//                     the default); false: after its end nothing more is delivered
//   burst_bytes     — bucket depth; 0 (default): the larger of 1 ms at the rate
//                     and one 1514-byte frame (plus overhead)
//   overhead_bytes  — added to every packet's length when it is charged, e.g. 24
//                     for Ethernet's preamble, inter-frame gap and FCS, so the
//                     rate is the wire's
//   queue_bytes     — shaper: most bytes waiting; 0 (default): the larger of
//                     64 KiB and 50 ms at the rate (a trace's mean rate). A
//                     packet that does not fit is dropped (tail drop).
//   queue_packets   — the limit in packets instead (queue_bytes must stay 0)
//   aqm             — CoDel or PIE (aqm.hpp) in front of the limit; a shaper only
//   mode            — kShaper (default) or kPolicer (no queue, no trace)
// Fixed rate: a packet goes when the bucket holds its cost, or when the
// bucket is full (so a packet larger than the burst cannot stall: the bucket
// goes into debt). Tokens accumulate continuously from the engine's clock and
// are capped at the burst only while nothing waits: while the queue holds
// packets the link is busy, so a breath that comes late (the machine was busy)
// sends what the link would have sent meanwhile, and the average rate stays
// exact. The engine wakes at the moment the next packet may go (fixed rate)
// or at the next opportunity (trace).
// reconfigure() keeps the queue, the tokens (charged at the old rate up to
// now) and the AQM's state when its discipline stays (new parameters apply);
// a new trace starts from its beginning, a new discipline from nothing.
// Per wire packet, also in bulk mode (by accounting, not by cutting): a GSO
// super-frame (Packet::offload) is charged what its wire packets cost, every
// one with its headers and overhead_bytes (wire_bytes), and a shaper sends it
// whole, so the average rate is the wire's but a super-frame (<= 7 wire
// packets at a 1500-byte MTU) leaves as a burst. Where only some of its wire
// packets may go (a policer's bucket, a shaper's full queue), it is cut in
// software (gso_segment) and each wire packet is decided alone.
// Counters, in wire packets: forwarded, dropped_queue_full, dropped_codel,
//   dropped_pie, dropped_policed, dropped_no_output, dropped_no_buffer (the
//   pool was empty when cutting); segmented (super-frames cut); queued_packets
//   and queued_bytes (what waits: packets as held, super-frames counting one);
//   dequeued (packets as held that left the queue, also those that waited 0 ns,
//   not those CoDel dropped) and queue_wait_ns (a time: how long they had
//   waited in it, summed, from the engine's clock at the breaths that queued
//   and sent them), so queue_wait_ns / dequeued is their mean queueing delay.
//   With a trace: opportunities (passed while the app ran) and
//   opportunity_bytes_unused (the bytes they could have carried but did not).
//   A policer queues nothing: its queue counters stay 0.
// Randomness (PIE's coin): the app's own stream (AppContext::seed).
#pragma once

#include <deque>
#include <optional>
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
  double trace_cost(const Packet& p) const noexcept;
  void cut(Packet* p, Link* out);
  bool fits(std::uint64_t bytes) const noexcept {
    return queue_limit_packets_ != 0 ? queue_.size() < queue_limit_packets_ : queued_bytes_ + bytes <= queue_limit_;
  }
  void enqueue(Packet* p);
  void drop_full(Packet* p);
  bool may_send(double c) const noexcept { return tokens_ >= c || tokens_ >= burst_; }
  bool codel_drops_head();
  void send_head(Link* out);
  void drain(Link* out);
  void drain_trace(Link* out);
  Time opportunity_time(std::size_t index) const noexcept;
  void skip_passed_opportunities() noexcept;

  double rate_bytes_per_ns_ = 0, burst_ = 0, overhead_ = 0, tokens_ = 0;
  std::uint64_t queue_limit_ = 0;
  std::uint32_t queue_limit_packets_ = 0;
  bool policer_ = false;
  Time refilled_at_{0};
  struct Queued {
    Packet* packet;
    Time since;  // when it was queued
  };
  std::deque<Queued> queue_;
  std::uint64_t queued_bytes_ = 0;
  // With a trace: the next opportunity is trace_->opportunities_ms[next_], in
  // the loop that starts trace_start_ + loops_ periods after the app's start.
  SharedTrace<DeliveryTrace> trace_;
  bool loop_ = true;
  Time trace_start_{0};
  std::size_t next_ = 0;
  std::uint64_t loops_ = 0;
  double head_carried_ = 0;  // bytes of the head packet earlier opportunities carried
  std::optional<Codel> codel_;
  std::optional<Pie> pie_;
  Rng rng_;
  std::uint64_t forwarded_ = 0, dropped_queue_full_ = 0, dropped_policed_ = 0, dropped_no_output_ = 0;
  std::uint64_t dropped_no_buffer_ = 0, segmented_ = 0, dropped_codel_ = 0, dropped_pie_ = 0;
  std::uint64_t dequeued_ = 0, queue_wait_ns_ = 0;
  std::uint64_t opportunities_ = 0, opportunity_bytes_unused_ = 0;
};

}  // namespace synnet
