// raw_socket.hpp — RawSocket: connects the engine to a Linux interface with an
// AF_PACKET socket: TPACKET_V2 rings (tpacket_ring.hpp), or recvmmsg/sendmmsg.
//
//   input --> +-----------+--> output
//             | RawSocket |      frames from the interface come out of "output";
//             +-----------+      packets put on "input" are sent on the interface
//
//   using Raw = RawSocketSpec;
//   c.app<RawSocket>("if1", {.ifname = "snk3f9a-wa", .netns = "/run/netns/snk3f9a-wire"});
//   c.app<RawSocket>("tx", {.ifname = "wb", .rx = Raw::Rx::none, .offloads = Raw::Offloads::bulk});
//
// Spec (RawSocketSpec):
//   ifname       — the interface (1 to 15 characters)
//   netns        — path of the network namespace that holds it ("" = the engine's own)
//   ring_frames  — frames per ring, a power of two >= 8; 0 (default): kRxRingFrames to
//                  receive and kTxRingFrames to send, kBulkRingFrames each with bulk or segment
//   rx           — ring (default): a TPACKET_V2 RX ring; recvmmsg: 64 frames per call;
//                  none: send-only, bound to no protocol (the kernel hands it nothing)
//   tx           — ring (default): a TPACKET_V2 TX ring; sendmmsg: 64 frames per call.
//                  A kernel that refuses a ring gets recvmmsg or sendmmsg instead.
//   offloads     — wire (default): every frame is a wire packet (partial checksums are
//                  completed); bulk: GSO super-frames (gso_max_size <= kBulkGsoMaxSize) pass
//                  whole, their Packet::offload carried along and handed back to the kernel;
//                  segment: received as bulk, but cut into wire packets on arrival (not with
//                  rx = none). bulk and segment send with a vnet header (vnet_header.hpp).
//
// A full TX ring leaves packets on the input link. Frames the kernel did not
// send yet (socket buffer full, interface down) stay in the ring, in order,
// and are asked for again (TxRetry). A deleted interface ends the run with
// EngineFailure naming it. The design: README.md in this folder.
//
// Counters (frames: a super-frame counts one):
//   rx_ring, tx_ring        1: the ring is in use; 0: recvmmsg, sendmmsg
//   rx_packets, rx_bytes    frames received and delivered
//   tx_packets, tx_bytes    frames handed to the kernel
//   rx_kernel_drops         the kernel's ring was full (PACKET_STATISTICS)
//   rx_oversize             larger than a packet, or truncated: dropped
//   rx_alloc_failed         packet pool empty: the frame waits in the kernel
//   rx_no_output            no output linked: dropped
//   rx_csum_partial         frames whose TCP/UDP checksum the sender left to the device
//   rx_csum_dropped         partial checksums that could not be completed: dropped
//   rx_gso_frames           bulk, segment: super-frames received
//   rx_gso_segments         bulk, segment: the wire packets they stand for
//   rx_gso_malformed        super-frames whose headers gso_parse refused: dropped
//   rx_segment_dropped      segment: wire packets lost to an empty packet pool
//   tx_gso_frames           bulk, segment: super-frames sent
//   tx_gso_segments         bulk, segment: the wire packets they stand for
//   tx_segmented            wire: super-frames from a bulk port, cut here into wire packets
//   tx_segment_dropped      wire: their wire packets lost to an empty packet pool
//   tx_csum_dropped         wire: a partial checksum from a bulk port that could not be completed
//   tx_oversize             larger than the interface takes (a super-frame: its wire packets)
//   tx_ring_full            times the TX ring was full
//   tx_kicks                send() or sendmmsg() calls (tx_packets / tx_kicks: the batch size)
//   tx_error_<ERRNO>        failed send calls by errno (TX ring: tries; sendmmsg: frames dropped)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/apps/io/interface.hpp"
#include "engine/apps/io/tpacket_ring.hpp"
#include "engine/gso.hpp"
#include "engine/sys/fd.hpp"

namespace synnet {

struct RawSocketSpec {
  enum class Rx { ring, recvmmsg, none };  // none: send-only
  enum class Tx { ring, sendmmsg };
  enum class Offloads { wire, bulk, segment };  // see above

  std::string ifname;
  std::string netns{};
  std::uint32_t ring_frames = 0;  // 0: kRxRingFrames / kTxRingFrames, or kBulkRingFrames
  Rx rx = Rx::ring;
  Tx tx = Tx::ring;
  Offloads offloads = Offloads::wire;
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
  void pull() override;
  void push() override;
  void stop() override;
  void counters(const CounterVisitor& emit) const override;
  int socket_fd() const noexcept { return fd_.get(); }  // for diagnostics and tests

 private:
  static constexpr std::size_t kTxBatch = 64;  // frames per sendmmsg(2)
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
  std::uint32_t max_frame_ = 0;        // largest frame the interface sends (MTU + Ethernet + VLAN headers)
  TpacketRings rings_;                 // rx() and tx(): base == nullptr without that ring
  std::uint32_t tx_unsent_ = 0;        // the oldest TX slot the kernel may not have taken yet
  std::uint32_t tx_unsent_count_ = 0;  // slots from there up to tx_.next: see tx_unsent()
  TxRetry tx_retry_;                   // no send() before its at() (after an error, a partial send)
  bool suspect_ = false;               // the interface was down or a send failed: see housekeeping()
  bool rx_ring_enabled_ = true, tx_ring_enabled_ = true;
  bool bulk_ = false;             // the socket has PACKET_VNET_HDR (bulk or segment)
  bool segment_ = false;          // cut super-frames into wire packets on arrival
  bool receive_ = true;           // false: send-only (bound to no protocol)
  std::uint32_t vnet_bytes_ = 0;  // bulk: sizeof(virtio_net_hdr) before every frame
  std::vector<Packet*> pending_;  // sendmmsg mode: taken from the input, not yet sent
  CutQueue cut_;                  // without bulk: wire packets of a super-frame, not yet sent
  Time next_housekeeping_{0};

  std::uint64_t rx_packets_ = 0, rx_bytes_ = 0, tx_packets_ = 0, tx_bytes_ = 0;
  mutable std::uint64_t rx_kernel_drops_ = 0;
  std::uint64_t rx_oversize_ = 0, rx_alloc_failed_ = 0, rx_no_output_ = 0, rx_csum_partial_ = 0, rx_csum_dropped_ = 0;
  std::uint64_t tx_csum_dropped_ = 0;
  std::uint64_t rx_gso_frames_ = 0, rx_gso_segments_ = 0, rx_gso_malformed_ = 0, rx_segment_dropped_ = 0,
                tx_gso_frames_ = 0, tx_gso_segments_ = 0;
  std::uint64_t tx_oversize_ = 0, tx_ring_full_ = 0, tx_kicks_ = 0;
  std::map<int, std::uint64_t> tx_errors_;  // errno -> count
};

}  // namespace synnet
