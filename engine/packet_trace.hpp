// packet_trace.hpp — following one frame through an impairment chain: what
// the verdict capture (apps/capture/) learns of each frame's fate.
//
// A traced packet carries its tracer and frame id in Packet::trace; every
// other packet has trace.tracer == nullptr, and each hook below is then one
// untaken branch. An app that drops a packet says why just before it frees it;
// the pool tells the tracer when a traced packet is freed:
//
//   trace_drop(*p, TraceFate::loss, loss_detail(model, state));  pool().free(p);
//   trace_note(*p, TraceNote::corrupted, bit);       // altered, still on its way
//   trace_copy(*copy, *p);                           // a duplicate: the same frame again
//
// PacketPool::free() sets a traced packet aside; PacketPool::tell_tracers(),
// which the Engine calls at the end of every breath, configure() and app
// stop(), calls tracer->freed(p) (p.trace.fate says why; none when nobody
// said: an app stopped with packets queued, a port not linked), clears
// p.trace and puts the packet back on the freelist. Link::transmit() into a
// full link says link_full. The capture's exit app (CaptureTap, role exit)
// calls the tracer's own forwarded() and clears p.trace, so the rest of the
// engine never sees a traced packet. Everything runs on the engine thread that owns the
// packet: a tracer is called from that thread only.
#pragma once

#include <cstdint>

namespace synnet {

struct Packet;

// Why a traced packet was dropped. detail: what the app adds (see each).
enum class TraceFate : std::uint8_t {
  none,                     // freed with no reason given
  loss,                     // detail: loss_detail(model, state)
  outage,                   // the link is down
  partition,                // a partition in force cuts the path
  rate_queue_full,          // the shaper's queue was full; detail: its limit in bytes
  rate_policed,             // the policer had no tokens
  rate_queue_full_packets,  // the shaper's queue was full; detail: its limit in packets
  rate_codel,               // CoDel dropped it at the queue's head; detail: how long it had waited, microseconds
  rate_pie,                 // PIE dropped it on arrival; detail: the drop probability, parts per million
  mtu,                      // detail: the MTU it exceeded (bytes of the L3 packet)
  queue_full,               // a delay line (latency, jitter, slot, reorder) was full; detail: its limit in packets
  link_full,                // the next link's ring was full
};

// What happened to a traced packet that goes on.
enum class TraceNote : std::uint8_t {
  corrupted,   // detail: the bit flipped, counted from the first bit after the Ethernet header
  duplicated,  // the packet is the copy (trace_copy)
  reordered,   // it skipped the queue ahead of packets that arrived before it
};

class PacketTracer {
 public:
  virtual ~PacketTracer() = default;
  virtual void freed(const Packet& p) noexcept = 0;  // p.trace.fate says why
  virtual void noted(const Packet& p, TraceNote note, std::uint32_t detail) noexcept = 0;
  virtual void copied(const Packet& copy) noexcept = 0;  // copy.trace is the original's
};

struct PacketTrace {
  PacketTracer* tracer = nullptr;  // nullptr: not traced
  std::uint64_t id = 0;            // the tracer's frame id
  std::uint32_t detail = 0;        // with fate
  TraceFate fate = TraceFate::none;
  bool copy = false;  // a duplicate of frame `id`
};

// loss: the model (LossModel's value) and its state when the packet was lost.
constexpr std::uint32_t loss_detail(int model, int state) noexcept {
  return static_cast<std::uint32_t>(model) << 8 | static_cast<std::uint32_t>(state & 0xff);
}

}  // namespace synnet
