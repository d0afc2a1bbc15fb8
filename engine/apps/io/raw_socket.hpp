// raw_socket.hpp — RawSocket: connects the engine to a Linux interface with an
// AF_PACKET socket and TPACKET_V2 RX and TX rings.
//
//   input --> +-----------+--> output
//             | RawSocket |      frames from the interface come out of "output";
//             +-----------+      packets put on "input" are sent on the interface
//
//   c.app<RawSocket>("if1", {.ifname = "snk3f9a-wa", .netns = "/run/netns/snk3f9a-wire"});
//
// Spec (RawSocketSpec):
//   ifname       — the interface (at most 15 characters)
//   netns        — path of the network namespace that holds it ("" = the engine's own)
//   ring_frames  — frames per ring (RX and TX each); 0 (default): 4096 to receive
//                  (8 MiB at MTU 1500: TCP bursts through a busy engine overflowed
//                  1024, and every overflow is a loss nobody asked for) and 1024
//                  to send; 256 each in bulk mode, whose frames take 68 KiB each
//                  (17 MiB mapped per ring; the kernel allocates each frame's
//                  block as 128 KiB, so 32 MiB)
//   rx_ring      — true (default): receive through a TPACKET_V2 RX ring;
//                  false: with recvmmsg(2), 64 frames per call
//   tx_ring      — true (default): transmit through a TPACKET_V2 TX ring;
//                  false: with sendmmsg(2), 64 frames per call (the kernel
//                  copies each frame into a new buffer instead of mapping ring pages)
//                  A kernel that refuses a ring gets the recvmmsg/sendmmsg path.
//   bulk         — false (default): every frame is a wire packet (partial checksums
//                  are completed). true: PACKET_VNET_HDR, so GSO super-frames (TSO/USO
//                  on upstream) pass through whole, their offload metadata
//                  (Packet::offload) carried with the packet and handed back to the
//                  kernel on transmit, checksums left partial for the device.
//                  A packet holds a 64 KiB super-frame: the senders' gso_max_size
//                  must stay <= kBulkGsoMaxSize (65536, the default; not BIG TCP);
//                  bigger super-frames are dropped and counted (rx_oversize),
//                  never truncated.
//                  Impairments act per wire packet (see Loss and Rate).
//   segment      — false (default). true: receive as bulk does (PACKET_VNET_HDR, any
//                  super-frame up to a packet's capacity) but cut every super-frame
//                  into wire packets on arrival (gso_segment) and complete partial
//                  checksums, so everything after this port sees exactly the wire
//                  packets, whatever the senders' offloads. For an interface whose
//                  offloads are not ours to change (synnet-test attach). Transmits
//                  as bulk does, with a vnet header (a super-frame from a bulk port
//                  leaves whole). A frame is read only while the output link has
//                  room for 128 wire packets (what a 64 KiB super-frame becomes at
//                  an MSS of 512 or more), so the cut packets back up in the
//                  kernel's ring instead of overflowing the link. Not together
//                  with bulk.
//   receive      — true (default). false: a send-only socket, bound to no protocol,
//                  so the kernel hands it nothing (no RX ring, no epoll watch, no
//                  copy of every frame on the interface): the sending end of one
//                  direction when each direction has its own engine
//                  (synnet-forward, and synnet-test's runs). Not with segment.
// The socket bypasses the qdisc (PACKET_QDISC_BYPASS), does not see its own
// transmissions (PACKET_IGNORE_OUTGOING: no looped duplicates), is
// nonblocking and is watched by the engine, which sleeps until frames arrive.
// Backpressure: when the TX ring is full, packets stay on the input link
// (only a full link drops, counted as its txdrop). Frames the kernel has not
// sent yet (its socket buffer full, the interface down or without carrier)
// stay in the ring, in order, and are sent again from the next breaths, so
// they leave even if no other packet comes; after an error the socket waits
// between tries (1 ms, doubling up to 50 ms: TxRetry), and tries at once
// when housekeeping finds the interface up and running again. Frames the kernel would refuse (too
// long) are dropped and counted before the ring (tx_oversize): a refused
// frame in the ring would hold up all behind it, so the kernel is told to
// skip any that still is (PACKET_LOSS).
// Failure: if the interface is deleted, the engine's run ends with
// EngineFailure naming it (within 50 ms of the socket's next breath: a
// down interface keeps the engine waking to check); if it only goes down,
// frames wait for it to come up (in sendmmsg mode each send fails and drops
// its frame, counted as tx_error_ENETDOWN).
//
// Counters: rx_ring, tx_ring (1: the ring is in use, 0: recvmmsg/sendmmsg),
//   rx_packets, rx_bytes, tx_packets, tx_bytes (frames: a super-frame counts one),
//   rx_kernel_drops (the kernel's ring was full: PACKET_STATISTICS),
//   rx_oversize (frame larger than a packet or truncated by the ring),
//   rx_alloc_failed (packet pool empty: the frame waits in the ring),
//   rx_no_output (no output linked: frame dropped),
//   rx_csum_partial (frames whose TCP/UDP checksum the kernel left to the
//   device because tx checksum offload is on upstream: RawSocket completes
//   them, or in bulk mode carries them), rx_csum_dropped (partial checksums it
//   could not complete, e.g. malformed headers: dropped, never forwarded corrupt),
//   rx_gso_frames, rx_gso_segments (bulk: super-frames received, and the wire
//   packets they stand for), rx_gso_malformed (bulk: super-frames whose headers
//   gso_parse refused: dropped), rx_segment_dropped (segment: wire packets of a
//   super-frame lost because the packet pool was empty), tx_gso_frames, tx_gso_segments (bulk: the
//   same, sent), tx_csum_dropped (without bulk: a packet from a bulk port whose
//   partial checksum could not be completed), tx_segmented (without bulk: super-frames
//   from a bulk port, cut here into the wire packets they stand for, which are
//   sent in order as plain packets), tx_segment_dropped (their wire packets lost
//   because the packet pool was empty), tx_oversize (packet larger than the
//   interface takes; in bulk mode, a super-frame whose wire packets would be),
//   tx_ring_full (times the TX ring was full), tx_kicks (send() calls that
//   started transmission: tx_packets / tx_kicks is the batch size),
//   tx_error_<ERRNO> (send() calls that failed, by errno: with the TX ring the
//   frames stay and are tried again, so these count tries; with sendmmsg each
//   is a frame dropped). tx_packets counts frames handed to the kernel.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/apps/io/interface.hpp"
#include "engine/sys/fd.hpp"
#include "engine/gso.hpp"

namespace synnet {

struct RawSocketSpec {
  std::string ifname;
  std::string netns{};
  std::uint32_t ring_frames = 0;  // 0: kRxRingFrames / kTxRingFrames, or kBulkRingFrames
  bool rx_ring = true;
  bool tx_ring = true;
  bool bulk = false;
  bool segment = false;
  bool receive = true;
  bool operator==(const RawSocketSpec&) const = default;
  void validate() const;
};

class RawSocket final : public App {
 public:
  using Spec = RawSocketSpec;
  // Bulk mode: the largest frame a packet takes (room left to put back a VLAN
  // tag), and the largest gso_max_size whose super-frames fit in it.
  static constexpr std::uint32_t kRxRingFrames = 4096, kTxRingFrames = 1024, kBulkRingFrames = 256;
  static constexpr std::uint32_t kBulkMaxFrame = kPacketCapacity - 4;
  static constexpr std::uint32_t kBulkGsoMaxSize = 65536;
  static_assert(kBulkGsoMaxSize + 14 + 4 <= kBulkMaxFrame);
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {"output"}); }

  RawSocket(AppContext& ctx, const Spec& spec);  // throws SystemError naming the interface
  ~RawSocket() override;
  void pull() override;
  void push() override;
  void stop() override;
  void counters(const CounterVisitor& emit) const override;
  int socket_fd() const noexcept { return fd_.get(); }  // for diagnostics and tests

 private:
  struct Ring {
    std::uint8_t* base = nullptr;
    std::uint32_t frames = 0;
    std::uint32_t next = 0;
  };
  std::uint8_t* frame(const Ring& r, std::uint32_t i) const noexcept { return r.base + std::size_t{i} * frame_size_; }
  std::uint32_t frames_for(std::uint32_t budget) const noexcept;
  void pull_ring(Link* out, std::uint32_t budget);
  void pull_recvmmsg(Link* out, std::uint32_t budget);
  // Puts a received frame on out: in segment mode a super-frame as its wire packets. Returns how many.
  std::uint32_t deliver(Link* out, Packet* p);
  bool finish_frame(Packet& p, std::uint32_t status, std::uint16_t vlan_tci, std::uint16_t vlan_tpid,
                    const void* vnet_hdr);
  Packet* next_to_send(Link* in);
  bool prepare_tx(Packet& p);
  std::uint32_t write_vnet_hdr(std::uint8_t* to, const Packet& p) noexcept;
  bool tx_unsent() noexcept;
  void kick();
  void send_pending();  // sendmmsg mode
  void housekeeping();
  void refresh_kernel_stats() const;

  std::string ifname_;
  Fd fd_;
  int ifindex_ = 0;
  std::uint32_t frame_size_ = 0;
  std::uint32_t max_frame_ = 0;  // largest frame the interface sends (MTU + Ethernet + VLAN headers)
  std::uint8_t* map_ = nullptr;
  std::size_t map_size_ = 0;
  Ring rx_, tx_;
  std::uint32_t tx_unsent_ = 0;        // the oldest TX slot the kernel may not have taken yet
  std::uint32_t tx_unsent_count_ = 0;  // slots from there up to tx_.next: see tx_unsent()
  TxRetry tx_retry_;                   // no send() before its at() (after an error, a partial send)
  bool suspect_ = false;               // the interface was down or a send failed: see housekeeping()
  bool rx_ring_enabled_ = true, tx_ring_enabled_ = true;
  bool bulk_ = false;     // the socket has PACKET_VNET_HDR (bulk or segment)
  bool segment_ = false;  // cut super-frames into wire packets on arrival
  bool receive_ = true;   // false: send-only (bound to no protocol)
  std::uint32_t vnet_bytes_ = 0;  // bulk: sizeof(virtio_net_hdr) before every frame
  std::vector<Packet*> pending_;  // sendmmsg mode: taken from the input, not yet sent
  CutQueue cut_;                  // without bulk: wire packets of a super-frame, not yet sent
  Time next_housekeeping_{0};

  std::uint64_t rx_packets_ = 0, rx_bytes_ = 0, tx_packets_ = 0, tx_bytes_ = 0;
  mutable std::uint64_t rx_kernel_drops_ = 0;
  std::uint64_t rx_oversize_ = 0, rx_alloc_failed_ = 0, rx_no_output_ = 0, rx_csum_partial_ = 0, rx_csum_dropped_ = 0;
  std::uint64_t tx_csum_dropped_ = 0;
  std::uint64_t rx_gso_frames_ = 0, rx_gso_segments_ = 0, rx_gso_malformed_ = 0, rx_segment_dropped_ = 0, tx_gso_frames_ = 0, tx_gso_segments_ = 0;
  std::uint64_t tx_oversize_ = 0, tx_ring_full_ = 0, tx_kicks_ = 0;
  std::map<int, std::uint64_t> tx_errors_;  // errno -> count
};

}  // namespace synnet
