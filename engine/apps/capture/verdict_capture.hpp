// verdict_capture.hpp — VerdictCapture: follows every frame that enters one
// direction's impairment chain and writes it, as it entered, to a pcapng file
// with its fate as packet comments.
//
//   auto capture = std::make_shared<VerdictCapture>(VerdictCapture::Options{
//       .path = "out/n1-n2.a_to_b.pcapng", .name = "n1-n2 a_to_b"});
//   config.app<CaptureTap>("ab_capture_in", {capture, CaptureTap::Role::entry});   // capture_tap.hpp
//   ... the chain ...
//   config.app<CaptureTap>("ab_capture_out", {capture, CaptureTap::Role::exit});
//   ... run, stop the engine ...
//   capture->close();   // frames still followed get their last word; the file is complete
//   capture->totals();  // {frames, written, not_written, bytes}
//
// Each frame gets an id (1, 2, ... in the order they entered: the pcapng
// packet id, tshark's frame.packet_id) and a copy of its first snap_length
// bytes (0: all of it) when it enters; it is written once every packet it
// became has met its fate, with the time it entered and these comments, in
// the order they happened:
//   forwarded after 20105 us            left the chain (20.105 ms after it entered)
//   dropped by loss (random)            loss; gilbert_elliott and markov4 name the state:
//   dropped by loss (gilbert_elliott, bad state)
//   dropped by loss (markov4, state 3: lost in a burst)   (4: an isolated loss)
//   dropped by outage
//   dropped by partition
//   dropped by rate (queue full: 64000 bytes)
//   dropped by rate (policer: no tokens)
//   dropped by mtu (larger than 1400 bytes)
//   dropped: delay queue full (1000 packets)   a latency, jitter or reorder app was full
//   dropped: the next link was full
//   dropped without a verdict (an app freed it: stopped with it queued, or no output)
//   corrupted at bit 1234               counted from the first bit after the Ethernet header
//   reordered (sent ahead of frames that came before it)
//   duplicated                          then the copy's fate: "duplicate forwarded after ..."
//   still in the chain when the capture ended   (close() found it queued)
// So a file's comments count what the chain's counters count: one "dropped by
// loss" per dropped_loss, one "forwarded" per frame out of the chain.
//
// The file is written as frames meet their fate, so frames that waited (a
// delay) come after later ones that were dropped: sort by frame.packet_id or
// time for the order they entered. Files stop at limit_bytes
// (totals().not_written counts the frames left out).
//
// Threads: everything but close() and totals() on the engine thread that runs
// the chain; close() and totals() after that engine stopped. A write error
// (a full disk) stops the capture: error() says what, the engine goes on.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/apps/capture/pcapng_writer.hpp"
#include "engine/clock.hpp"
#include "engine/packet.hpp"
#include "engine/packet_trace.hpp"

namespace synnet {

class VerdictCapture final : public PacketTracer {
 public:
  struct Options {
    std::string path;                         // the pcapng file, created (truncated)
    std::string name;                         // the interface's name in the file ("n1-n2 a_to_b")
    std::uint32_t snap_length = 0;            // bytes kept of each frame; 0: all
    std::uint64_t limit_bytes = 100'000'000;  // the file's largest size; 0: no limit
  };
  struct Totals {
    std::uint64_t frames = 0;       // frames that entered
    std::uint64_t written = 0;      // frames in the file
    std::uint64_t not_written = 0;  // frames left out: the limit, or a write error
    std::uint64_t bytes = 0;        // the file's size
  };

  // Creates the file (throws SystemError naming it). Times in the file are
  // the engine's monotonic clock (MonotonicClock) put on the Unix epoch.
  explicit VerdictCapture(const Options& options);
  ~VerdictCapture() override;

  void entered(Packet& p, Time now) noexcept;    // at the chain's head: follows p from now
  void forwarded(Packet& p, Time now) noexcept;  // at its tail: p left the chain (p.trace is cleared)
  void freed(const Packet& p) noexcept override;
  void noted(const Packet& p, TraceNote note, std::uint32_t detail) noexcept override;
  void copied(const Packet& copy) noexcept override;

  void close();  // writes the frames still followed and closes the file; throws SystemError on a write error
  Totals totals() const noexcept;
  const std::string& path() const noexcept { return writer_.path(); }
  const std::string& error() const noexcept { return error_; }  // "" or why writing stopped

  static std::string fate_text(TraceFate fate, std::uint32_t detail);  // "dropped by loss (random)", ...
  static std::string note_text(TraceNote note, std::uint32_t detail);  // "corrupted at bit 12", ...

 private:
  struct Frame {
    Time entered{};
    std::uint32_t length = 0;         // on the wire
    std::vector<std::uint8_t> bytes;  // the first snap_length of them
    std::vector<std::string> comments;
    std::uint32_t packets = 0;  // packets of this frame still in the chain
    bool done = false;
  };
  Frame* frame(const Packet& p) noexcept;  // nullptr: not one of ours (already written)
  void add(Frame& f, const std::function<std::string()>& comment) noexcept;  // out of memory: left out
  void finish(Frame& f, std::uint64_t id) noexcept;                          // the frame's last packet met its fate
  void write(Frame& f, std::uint64_t id) noexcept;

  PcapngWriter writer_;
  std::uint32_t snap_length_;
  std::int64_t epoch_offset_ns_;  // Unix time - monotonic time, at creation
  std::deque<Frame> frames_;      // frames_[i] has id first_id_ + i; done ones at the front are popped
  std::uint64_t first_id_ = 1, next_id_ = 1;
  std::vector<std::vector<std::uint8_t>> spare_;  // frame buffers to reuse
  std::uint64_t not_written_ = 0;
  std::string error_;
  bool closed_ = false;
};

}  // namespace synnet
