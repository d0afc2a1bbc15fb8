// aqm.hpp — active queue management for Rate's queue: what a queue drops
// before it is full, so a saturating flow does not keep it standing full.
//
//   AqmSpec{.discipline = QueueDiscipline::kCodel}       // CoDel, target 5 ms, interval 100 ms
//   Codel codel(spec);
//   while (codel.drop_at_dequeue(now, head_sojourn, backlog_bytes)) { drop the head; next head... }
//
//   Pie pie(spec);
//   if (pie.drop_at_enqueue(now, head_sojourn, backlog_bytes, bytes, rng)) { drop the arriving packet }
//
// kDropTail: nothing beyond the queue's limit (what Rate does alone).
// kCodel (RFC 8289): at dequeue, a packet whose sojourn time stayed above
//   `target_us` for at least `interval_us` is dropped, then the next drops
//   come at interval/sqrt(count), until a sojourn falls below target (or the
//   backlog is at most one MTU). Defaults: target 5 ms, interval 100 ms (the
//   RFC's, and mahimahi's codel queue's).
// kPie (RFC 8033): a drop probability updated every 15 ms from the queue
//   delay (alpha 0.125, beta 1.25, scaled down while the probability is small),
//   applied to arriving packets; none are dropped during the first `max_burst_us`
//   of a congestion episode or while the delay is under half the target and
//   the probability under 20%. Defaults: target 15 ms, max burst 150 ms (the
//   RFC's; mahimahi's pie queue takes qdelay_ref and max_burst as arguments).
// Both are deterministic but for PIE's coin, which comes from the caller's Rng.
#pragma once

#include <cstdint>

#include "engine/clock.hpp"
#include "engine/rng.hpp"

namespace synnet {

enum class QueueDiscipline { kDropTail, kCodel, kPie };
const char* queue_discipline_name(QueueDiscipline d) noexcept;  // "droptail", "codel", "pie"

struct AqmSpec {
  QueueDiscipline discipline = QueueDiscipline::kDropTail;
  std::uint64_t target_us = 0;     // 0: the discipline's default (CoDel 5 ms, PIE 15 ms)
  std::uint64_t interval_us = 0;   // CoDel only; 0: 100 ms
  std::uint64_t max_burst_us = 0;  // PIE only; 0: 150 ms
  bool operator==(const AqmSpec&) const = default;
  void validate() const;  // throws std::invalid_argument (a field of another discipline set, times over an hour)
};

class Codel {
 public:
  explicit Codel(const AqmSpec& spec, std::uint32_t mtu_bytes = 1514) { reconfigure(spec, mtu_bytes); }
  void reconfigure(const AqmSpec& spec, std::uint32_t mtu_bytes = 1514);
  // The head packet is about to leave at `now` after waiting `sojourn`;
  // `backlog_bytes` are the bytes queued, it included. True: drop it (the
  // caller frees and counts it, then asks again for the new head).
  bool drop_at_dequeue(Time now, Duration sojourn, std::uint64_t backlog_bytes) noexcept;
  bool dropping() const noexcept { return dropping_; }

 private:
  Duration target_{0}, interval_{0};
  std::uint32_t mtu_ = 1514;
  Time first_above_{0};  // 0: the sojourn is not (or not long) above target
  Time drop_next_{0};
  std::uint32_t count_ = 0, last_count_ = 0;
  bool dropping_ = false;
};

class Pie {
 public:
  explicit Pie(const AqmSpec& spec) { reconfigure(spec); }
  void reconfigure(const AqmSpec& spec);
  // A packet of `bytes` arrives at `now`; the queue's delay is `queue_delay`
  // (the head's sojourn, 0 when empty) and it holds `backlog_bytes`. True:
  // drop it. The probability is brought up to date first (every 15 ms).
  bool drop_at_enqueue(Time now, Duration queue_delay, std::uint64_t backlog_bytes, std::uint32_t bytes,
                       Rng& rng) noexcept;
  double probability() const noexcept { return p_; }

 private:
  void update(Duration queue_delay) noexcept;
  Duration target_{0}, max_burst_{0}, tupdate_{0};
  Time next_update_{0};
  double p_ = 0;
  Duration qdelay_old_{0};
  Duration burst_allowance_{0};
  bool started_ = false;
};

}  // namespace synnet
