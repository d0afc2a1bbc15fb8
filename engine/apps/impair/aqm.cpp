#include "engine/apps/impair/aqm.hpp"

#include "engine/apps/impair/spec_checks.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace synnet {

namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr Duration kCodelTarget = milliseconds(5), kCodelInterval = milliseconds(100);
constexpr Duration kPieTarget = milliseconds(15), kPieMaxBurst = milliseconds(150);
constexpr Duration kPieUpdate = milliseconds(15);     // RFC 8033's T_UPDATE
constexpr double kPieAlpha = 0.125, kPieBeta = 1.25;  // per second of delay
constexpr std::uint64_t kPieMeanPacketBytes = 1514;   // the RFC's MEAN_PKTSIZE (an Ethernet frame)
constexpr int kPieMostCatchUp = 1000;                 // updates caught up at once (15 s) after an idle spell

double seconds(Duration d) noexcept { return std::chrono::duration<double>(d).count(); }

}  // namespace

const char* queue_discipline_name(QueueDiscipline d) noexcept {
  switch (d) {
    case QueueDiscipline::kDropTail: return "droptail";
    case QueueDiscipline::kCodel: return "codel";
    case QueueDiscipline::kPie: return "pie";
  }
  return "?";
}

void AqmSpec::validate() const {
  require_at_most_an_hour("target_us", target_us);
  require_at_most_an_hour("interval_us", interval_us);
  require_at_most_an_hour("max_burst_us", max_burst_us);
  const std::string name = queue_discipline_name(discipline);
  if (discipline == QueueDiscipline::kDropTail && target_us != 0)
    throw std::invalid_argument("target_us: belongs to the codel and pie disciplines, not droptail");
  if (discipline != QueueDiscipline::kCodel && interval_us != 0)
    throw std::invalid_argument("interval_us: belongs to the codel discipline, not " + name);
  if (discipline != QueueDiscipline::kPie && max_burst_us != 0)
    throw std::invalid_argument("max_burst_us: belongs to the pie discipline, not " + name);
}

// ---- CoDel (RFC 8289) -------------------------------------------------------
//
// The RFC's dequeue() runs a loop over the head packets; here each call is one
// step of that loop, for one head packet: dodequeue()'s ok_to_drop, then what
// dequeue() does with it. Differences from the pseudo-code, both invisible
// while the queue stays above target: a drop in the dropping state advances
// drop_next at once (the RFC does it after looking at the next head), and the
// packet after the one that starts a dropping state leaves it when it is not
// itself ok to drop (the RFC waits for the next dequeue).

void Codel::reconfigure(const AqmSpec& spec, std::uint32_t mtu_bytes) {
  target_ = spec.target_us == 0 ? kCodelTarget : Duration{microseconds(spec.target_us)};
  interval_ = spec.interval_us == 0 ? kCodelInterval : Duration{microseconds(spec.interval_us)};
  mtu_ = mtu_bytes;
}

bool Codel::drop_at_dequeue(Time now, Duration sojourn, std::uint64_t backlog_bytes) noexcept {
  // dodequeue(): ok to drop once the sojourn stayed above target for an interval.
  bool ok_to_drop = false;
  if (sojourn < target_ || backlog_bytes <= mtu_) {
    first_above_ = Time{0};
  } else if (first_above_ == Time{0}) {
    first_above_ = now + interval_;
  } else if (now >= first_above_) {
    ok_to_drop = true;
  }
  const auto control_law = [this](Time t) {
    return t + Duration{static_cast<Duration::rep>(static_cast<double>(interval_.count()) /
                                                   std::sqrt(static_cast<double>(count_)))};
  };
  if (dropping_) {
    if (!ok_to_drop) {
      dropping_ = false;
      return false;
    }
    if (now < drop_next_) return false;
    ++count_;
    drop_next_ = control_law(drop_next_);
    return true;
  }
  if (!ok_to_drop) return false;
  // Enter the dropping state with this packet. If it was left recently, start
  // from the drop rate it had then (count - lastcount: the drops of that episode).
  dropping_ = true;
  const std::uint32_t delta = count_ - last_count_;
  count_ = 1;
  if (delta > 1 && now - drop_next_ < 16 * interval_) count_ = delta;
  drop_next_ = control_law(now);
  last_count_ = count_;
  return true;
}

// ---- PIE (RFC 8033) ---------------------------------------------------------

void Pie::reconfigure(const AqmSpec& spec) {
  target_ = spec.target_us == 0 ? kPieTarget : Duration{microseconds(spec.target_us)};
  max_burst_ = spec.max_burst_us == 0 ? kPieMaxBurst : Duration{microseconds(spec.max_burst_us)};
  tupdate_ = kPieUpdate;
}

// calculate_drop_prob(), every T_UPDATE.
void Pie::update(Duration queue_delay) noexcept {
  double delta = kPieAlpha * seconds(queue_delay - target_) + kPieBeta * seconds(queue_delay - qdelay_old_);
  // Auto-tuning: small steps while the probability is small.
  if (p_ < 0.000001) {
    delta /= 2048;
  } else if (p_ < 0.00001) {
    delta /= 512;
  } else if (p_ < 0.0001) {
    delta /= 128;
  } else if (p_ < 0.001) {
    delta /= 32;
  } else if (p_ < 0.01) {
    delta /= 8;
  } else if (p_ < 0.1) {
    delta /= 2;
  }
  if (p_ >= 0.1 && delta > 0.02) delta = 0.02;  // cap the adjustment
  p_ += delta;
  if (queue_delay == Duration{0} && qdelay_old_ == Duration{0}) p_ *= 0.98;  // decay when the queue is idle
  p_ = std::clamp(p_, 0.0, 1.0);
  burst_allowance_ = std::max(Duration{0}, burst_allowance_ - tupdate_);
  // A new congestion episode gets a burst allowance again once it is over.
  if (p_ == 0 && queue_delay < target_ / 2 && qdelay_old_ < target_ / 2) burst_allowance_ = max_burst_;
  qdelay_old_ = queue_delay;
}

bool Pie::drop_at_enqueue(Time now, Duration queue_delay, std::uint64_t backlog_bytes, std::uint32_t /*bytes*/,
                          Rng& rng) noexcept {
  if (!started_) {
    started_ = true;
    next_update_ = now + tupdate_;
    burst_allowance_ = max_burst_;
  }
  // Bring the probability up to date: every update missed since the last
  // arrival, with the delay seen now (after a long idle spell, a bounded number).
  for (int i = 0; now >= next_update_; ++i) {
    if (i == kPieMostCatchUp) {
      next_update_ = now + tupdate_;
      break;
    }
    update(queue_delay);
    next_update_ += tupdate_;
  }
  // drop_early().
  if (burst_allowance_ > Duration{0}) return false;
  if (qdelay_old_ < target_ / 2 && p_ < 0.2) return false;
  if (backlog_bytes <= 2 * kPieMeanPacketBytes) return false;
  return rng.uniform() < p_;
}

}  // namespace synnet
