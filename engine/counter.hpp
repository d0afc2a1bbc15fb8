// counter.hpp — what an app counts, typed where it is counted: every counter
// has a kind, and a drop also its reason, so a report never guesses from a name.
//
//   void MyApp::counters(const CounterVisitor& emit) const {
//     emit.packets("forwarded", forwarded_);
//     emit.drop("dropped_loss", Drop::impairment, dropped_loss_);
//     emit.gauge("queued", queue_.size());
//   }
//
// Kinds (CounterKind), one per counter:
//   packets  packets handled (forwarded, rx_packets, delayed)
//   bytes    bytes handled (rx_bytes, queued bytes are a gauge)
//   events   things that happened, neither a lost packet nor a failure
//            (loss_bursts, tx_kicks, segmented super-frames)
//   altered  packets an impairment changed or added (corrupted, duplicated, reordered)
//   error    tries that failed without losing a packet by themselves
//            (alloc_failed: the frame waits; tx_error_<ERRNO>)
//   drop     packets lost here: the one definition of a drop. Its reason (Drop):
//              impairment  the scenario asked for it (loss, outage, mtu, policing, a filter)
//              queue_full  a queue, ring or link was full
//              no_output   the output port is not linked
//              no_buffer   the packet pool was empty
//              invalid     a frame the app cannot carry (oversize, malformed, bad checksum)
//              kernel      the kernel dropped it (socket or XDP ring)
//              partition   a network partition in force cuts the path (apps/switch/)
//   gauge    a level now, not a count (queued, rx_ring 1/0): never summed
//   time     nanoseconds summed over packets (queue_wait_ns: how long the
//            packets that left a queue had waited in it); divided by a
//            packets counter of the same app (dequeued) it is a mean
// Everything but a gauge only grows while an app runs, so summing over
// engines (EngineGroup) means something; a gauge there takes the largest.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace synnet {

enum class CounterKind { packets, bytes, events, altered, error, drop, gauge, time };
enum class Drop { none, impairment, queue_full, no_output, no_buffer, invalid, kernel, partition };  // none: not a drop

const char* to_string(CounterKind kind) noexcept;  // "packets", ..., "gauge", "time"
const char* to_string(Drop reason) noexcept;       // "impairment", ...; "" for none

// One counter of one app (or link: app is then LinkSpec::str(), "a.out -> b.in").
struct Counter {
  std::string app;
  std::string name;  // "dropped_loss", "rx_packets": what reports show
  CounterKind kind = CounterKind::packets;
  Drop reason = Drop::none;  // set for drops only
  std::uint64_t value = 0;

  bool is_drop() const noexcept { return kind == CounterKind::drop; }
  bool operator==(const Counter&) const = default;
};

// What App::counters() is given: one short call per counter, naming its kind.
class CounterVisitor {
 public:
  using Sink = std::function<void(std::string_view name, CounterKind kind, Drop reason, std::uint64_t value)>;
  explicit CounterVisitor(Sink sink) : sink_(std::move(sink)) {}

  void packets(std::string_view name, std::uint64_t n) const { sink_(name, CounterKind::packets, Drop::none, n); }
  void bytes(std::string_view name, std::uint64_t n) const { sink_(name, CounterKind::bytes, Drop::none, n); }
  void events(std::string_view name, std::uint64_t n) const { sink_(name, CounterKind::events, Drop::none, n); }
  void altered(std::string_view name, std::uint64_t n) const { sink_(name, CounterKind::altered, Drop::none, n); }
  void error(std::string_view name, std::uint64_t n) const { sink_(name, CounterKind::error, Drop::none, n); }
  void drop(std::string_view name, Drop reason, std::uint64_t n) const { sink_(name, CounterKind::drop, reason, n); }
  void gauge(std::string_view name, std::uint64_t n) const { sink_(name, CounterKind::gauge, Drop::none, n); }
  void time(std::string_view name, std::uint64_t ns) const { sink_(name, CounterKind::time, Drop::none, ns); }

 private:
  Sink sink_;
};

}  // namespace synnet
