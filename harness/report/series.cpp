// series.cpp — per-direction samples of the engines' counters. See series.hpp.
#include "harness/report/series.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace synnet {

using json_reader::Json;

namespace {

std::string end_of(std::string_view app, std::string_view port) {
  std::string text(app);
  text += '.';
  text += port;
  return text;
}

bool is_queue_gauge(std::string_view name) {
  return std::any_of(std::begin(kQueueGauges), std::end(kQueueGauges),
                     [&](const char* gauge) { return name == gauge; });
}

// What a count grew by since `before`; its new value when it went down (the engines restarted).
std::uint64_t grown(std::uint64_t now, std::uint64_t before) { return now >= before ? now - before : now; }

DirectionSample difference(const DirectionTotals& now_totals, const DirectionTotals& before_totals) {
  const DirectionSample& now = now_totals.counts;
  const DirectionSample& before = before_totals.counts;
  DirectionSample d;
  d.packets_in = grown(now.packets_in, before.packets_in);
  d.bytes_in = grown(now.bytes_in, before.bytes_in);
  d.packets_out = grown(now.packets_out, before.packets_out);
  d.bytes_out = grown(now.bytes_out, before.bytes_out);
  for (const auto& [reason, value] : now.drops) {
    const auto it = before.drops.find(reason);
    const std::uint64_t delta = grown(value, it == before.drops.end() ? 0 : it->second);
    if (delta > 0) d.drops[reason] = delta;
  }
  d.queue = now.queue;
  const std::uint64_t dequeued = grown(now_totals.dequeued, before_totals.dequeued);
  if (dequeued > 0) {
    // The engines restarted between the two (dequeued went down): both count from zero again.
    const std::uint64_t waited = now_totals.dequeued >= before_totals.dequeued
                                     ? grown(now_totals.queue_wait_ns, before_totals.queue_wait_ns)
                                     : now_totals.queue_wait_ns;
    d.queue_delay = static_cast<double>(waited) / 1e9 / static_cast<double>(dequeued);
  }
  return d;
}

}  // namespace

DirectionTotals direction_totals(const EngineCounters& c, const DirectionTap& tap) {
  const std::string prefix = tap.chain_prefix + "_";
  DirectionTotals totals;
  DirectionSample& s = totals.counts;
  for (const Counter& k : c.apps) {
    if (!k.app.starts_with(prefix)) continue;
    if (k.is_drop()) s.drops[to_string(k.reason)] += k.value;
    if (k.kind == CounterKind::gauge && is_queue_gauge(k.name)) s.queue += k.value;
    if (k.kind == CounterKind::time && k.name == kQueueWaitCounter) totals.queue_wait_ns += k.value;
    if (k.kind == CounterKind::packets && k.name == kDequeuedCounter) totals.dequeued += k.value;
  }
  for (const auto& [spec, link] : c.links) {
    const bool from_tap = end_of(spec.from_app, spec.from_port) == tap.from;
    if (from_tap) {
      s.packets_in += link.txpackets;
      s.bytes_in += link.txbytes;
    }
    if (end_of(spec.to_app, spec.to_port) == tap.to) {
      s.packets_out += link.txpackets;
      s.bytes_out += link.txbytes;
    }
    if (from_tap || spec.from_app.starts_with(prefix)) s.drops[to_string(Drop::queue_full)] += link.txdrop;
  }
  std::erase_if(s.drops, [](const auto& reason) { return reason.second == 0; });
  return totals;
}

SeriesRecorder::SeriesRecorder(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

SeriesSample SeriesRecorder::record(double t, const EngineCounters& cumulative, const std::vector<DirectionTap>& taps) {
  std::map<std::pair<std::string, std::string>, DirectionTotals> totals;
  for (const DirectionTap& tap : taps) totals[{tap.link, tap.direction}] = direction_totals(cumulative, tap);
  const std::lock_guard lock(mutex_);
  SeriesSample sample;
  sample.seq = next_seq_++;
  sample.t = t;
  for (const auto& [key, now] : totals) {
    const auto before = previous_.find(key);
    sample.links[key.first][key.second] =
        difference(now, before == previous_.end() ? DirectionTotals{} : before->second);
  }
  previous_ = std::move(totals);
  samples_.push_back(sample);
  while (samples_.size() > capacity_) samples_.pop_front();
  return sample;
}

std::vector<SeriesSample> SeriesRecorder::since(double t) const {
  const std::lock_guard lock(mutex_);
  std::vector<SeriesSample> out;
  for (const SeriesSample& s : samples_) {
    if (s.t > t) out.push_back(s);
  }
  return out;
}

std::vector<SeriesSample> SeriesRecorder::last(std::size_t n) const {
  const std::lock_guard lock(mutex_);
  const std::size_t k = std::min(n, samples_.size());
  return {samples_.end() - static_cast<std::ptrdiff_t>(k), samples_.end()};
}

std::optional<SeriesSample> SeriesRecorder::latest() const {
  const std::lock_guard lock(mutex_);
  if (samples_.empty()) return std::nullopt;
  return samples_.back();
}

std::uint64_t SeriesRecorder::dropped() const {
  std::lock_guard lock(mutex_);
  return next_seq_ - samples_.size();
}

std::size_t SeriesRecorder::size() const {
  const std::lock_guard lock(mutex_);
  return samples_.size();
}

Json sample_json(const SeriesSample& s) {
  Json links = Json::object();
  for (const auto& [link, directions] : s.links) {
    Json& l = links[link] = Json::object();
    for (const auto& [direction, d] : directions) {
      Json drops = Json::object();
      for (const auto& [reason, n] : d.drops) drops[reason] = n;
      l[direction] = Json{{"packets_in", d.packets_in},
                          {"bytes_in", d.bytes_in},
                          {"packets_out", d.packets_out},
                          {"bytes_out", d.bytes_out},
                          {"drops", std::move(drops)},
                          {"queue", d.queue},
                          {"queue_delay", d.queue_delay ? Json(*d.queue_delay) : Json(nullptr)}};
    }
  }
  return Json{{"seq", s.seq}, {"t", std::round(s.t * 1000) / 1000}, {"links", std::move(links)}};
}

Json series_json(const std::vector<SeriesSample>& samples, int interval_ms) {
  Json out = Json::array();
  for (const SeriesSample& s : samples) out.push_back(sample_json(s));
  return Json{{"interval_ms", interval_ms}, {"samples", std::move(out)}};
}

}  // namespace synnet
