// series.hpp — the series of the control API (harness/control/README.md,
// "Series") and of the --json report: per scenario link direction, the
// engines' counters reduced to what crossed that direction since the
// previous sample, kept for the last `capacity` samples.
//
//   SeriesRecorder series;                                   // keeps the last 6000 samples (10 min)
//   SeriesSample s = series.record(1.2, group.counters(), configs.taps);   // every 100 ms
//   s.links.at("n1-s1").at("a_to_b").drops;                  // {"impairment": 4}
//   series.since(0.5);  series.latest();  series.last(10);   // from any thread
//   series_json(series.since(-1), 100);                      // GET /v1/series's answer
//
// A direction (its DirectionTap, which run/engine_link.hpp makes: its chain's
// apps, the ports it lies between) in an engine's cumulative counters (EngineCounters,
// the group's sum):
//   packets_in, bytes_in    txpackets, txbytes of the link(s) out of tap.from:
//                           what entered the chain
//   packets_out, bytes_out  txpackets, txbytes of the link(s) into tap.to:
//                           what left it towards the far end
//   drops                   by reason name (counter.hpp's Drop): every drop
//                           counter of the chain's apps ("<chain_prefix>_*"),
//                           and as "queue_full" the txdrop of the links out of
//                           tap.from and of the chain's apps (a full link)
//   queue                   a level: the chain's apps' gauges of packets held,
//                           kQueueGauges ("queued": latency, jitter, slot, reorder;
//                           "queued_packets": rate)
//   queue_delay             the mean seconds the packets that left the
//                           chain's queues in the interval had waited there:
//                           the growth of the chain's apps' "queue_wait_ns"
//                           (a time) over that of their "dequeued"
//                           (kQueueDelayCounters; the rate shaper's queue,
//                           not a delay's or jitter's hold); absent when
//                           none left
// A change that replaces the link out of tap.from or into tap.to (a chain's
// first or last app replaced, e.g. a rate added in front) loses what crossed
// the old link since the previous sample: the engine drops a removed link's
// counters, and the new one counts from zero.
// A sample holds the difference from the previous record for every count
// (a count that went down, the engines having restarted, gives its new value)
// and the level for queue; drops only the reasons that occurred.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine_counters.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

// Where one direction of a scenario link lies in the engines: its chain's apps
// and the two ports the chain is linked between.
struct DirectionTap {
  std::string link;          // the scenario link's name
  std::string direction;     // "a_to_b" | "b_to_a"
  std::string chain_prefix;  // the apps of its chain start with this + "_"
  std::string from, to;      // "app.port" the chain is linked between
  bool operator==(const DirectionTap&) const = default;
};

// The gauges that count the packets an app holds.
inline constexpr const char* kQueueGauges[] = {"queued", "queued_packets"};

// The counters whose growth gives a direction's queueing delay: the time
// summed (CounterKind::time) and the packets it is summed over.
inline constexpr const char* kQueueWaitCounter = "queue_wait_ns";
inline constexpr const char* kDequeuedCounter = "dequeued";

struct DirectionSample {
  std::uint64_t packets_in = 0, bytes_in = 0, packets_out = 0, bytes_out = 0;
  std::map<std::string, std::uint64_t> drops{};  // by Drop reason name ("impairment"), only > 0
  std::uint64_t queue = 0;                       // packets held in the chain at the sample
  std::optional<double> queue_delay{};           // seconds, the mean wait of those that left a queue
  bool operator==(const DirectionSample&) const = default;
};

struct SeriesSample {
  std::uint64_t seq = 0;                                                  // 0, 1, 2, ... in the order recorded
  double t = 0;                                                           // seconds since the run started
  std::map<std::string, std::map<std::string, DirectionSample>> links{};  // link -> "a_to_b"/"b_to_a" -> sample
  bool operator==(const SeriesSample&) const = default;
};

// A direction's cumulative values in `c`, as above: counts (queue its level,
// queue_delay unset) and the sums its queue delay comes from.
struct DirectionTotals {
  DirectionSample counts{};
  std::uint64_t queue_wait_ns = 0;  // the chain's apps' queue_wait_ns
  std::uint64_t dequeued = 0;       // the chain's apps' dequeued
  bool operator==(const DirectionTotals&) const = default;
};
DirectionTotals direction_totals(const EngineCounters& c, const DirectionTap& tap);

// Thread-safe: record() from the thread that samples, the rest from any.
class SeriesRecorder {
 public:
  static constexpr std::size_t kDefaultCapacity = 6000;  // 10 minutes at 100 ms

  explicit SeriesRecorder(std::size_t capacity = kDefaultCapacity);

  // Appends the sample at time t: every tap's difference from the previous
  // record (the first: from zero). Drops the oldest beyond capacity.
  SeriesSample record(double t, const EngineCounters& cumulative, const std::vector<DirectionTap>& taps);
  std::vector<SeriesSample> since(double t) const;      // the kept samples with sample.t > t, oldest first
  std::vector<SeriesSample> last(std::size_t n) const;  // the newest n kept (fewer when fewer), oldest first
  std::optional<SeriesSample> latest() const;
  std::size_t size() const;
  std::uint64_t dropped() const;  // samples recorded and no longer kept (the oldest, beyond capacity)
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<SeriesSample> samples_;
  std::uint64_t next_seq_ = 0;
  std::map<std::pair<std::string, std::string>, DirectionTotals> previous_;  // (link, direction) -> totals
};

// {"seq": 12, "t": 1.2, "links": {"n1-s1": {"a_to_b": {"packets_in": 80, ..., "drops": {...}, "queue": 3,
//                                                     "queue_delay": 0.012}}}}     (queue_delay null when absent)
json_reader::Json sample_json(const SeriesSample& s);
// {"interval_ms": 100, "samples": [...]}
json_reader::Json series_json(const std::vector<SeriesSample>& samples, int interval_ms);

}  // namespace synnet
