// xdp_socket.hpp — XdpSocket: connects the engine to a Linux interface with an
// AF_XDP socket (libxdp), the fast path.
//
//   input --> +-----------+--> output
//             | XdpSocket |      frames from the interface come out of "output";
//             +-----------+      packets put on "input" are sent on the interface
//
//   c.app<XdpSocket>("if1", {.ifname = "snk3f9a-wa", .netns = "/run/netns/snk3f9a-wire"});
//
// Spec (XdpSocketSpec):
//   ifname      — the interface
//   netns       — path of the network namespace that holds it ("" = the engine's own)
//   queue       — the interface's RX/TX queue to bind (default 0)
//   frames      — UMEM frames of 4096 bytes (half for receiving, half for sending), default 4096
//   attach      — native (default: the driver runs XDP; veth and most NIC drivers) or
//                 generic (the kernel's SKB mode: works everywhere, slower)
//   zero_copy   — true: bind in zero-copy mode (NICs whose drivers support it:
//                 ixgbe, i40e, ice, mlx5); false (default): copy mode (veth has
//                 no zero-copy)
// libxdp loads its default AF_XDP program on the interface (through its
// dispatcher, so other XDP programs can coexist) and removes it when the
// socket closes (in the interface's namespace: libxdp finds the interface by
// ifindex, which means another interface elsewhere). Frames are copied between the UMEM and engine packets.
// When the socket cannot bind, the error says why and what to try: zero-copy
// unsupported, an XDP program already attached, queue counts (veth), no such queue.
// EBUSY is tried again for up to 200 ms first (kBindRetries): the kernel frees
// a closed socket's queue a little later, so a socket that replaces another on
// the same queue (a reconfiguration, an engine switched off and on) would
// otherwise fail.
//
// Counters: rx_packets, rx_bytes, tx_packets, tx_bytes, rx_alloc_failed,
//   rx_no_output, rx_oversize, tx_oversize, tx_segmented (GSO super-frames
//   from a bulk RawSocket, cut here into the wire packets they stand for: AF_XDP
//   has no offload metadata), tx_segment_dropped (those wire packets lost
//   because the packet pool was empty), tx_csum_dropped (a
//   packet from a bulk RawSocket whose partial checksum, completed here, could
//   not be), tx_ring_full, tx_kicks,
//   the kernel's XDP_STATISTICS (rx_dropped, rx_invalid_descs, tx_invalid_descs,
//   rx_ring_full, rx_fill_ring_empty_descs, tx_ring_empty_descs),
//   tx_error_<ERRNO> (sendto() failures by errno; EBUSY: the device dropped
//   a frame). tx_packets counts frames put in the TX ring; those the kernel
//   has not taken yet are asked for again every breath (copy mode sends 32 per
//   sendto()), so a burst leaves whole even if nothing follows it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/apps/io/interface.hpp"
#include "engine/gso.hpp"
#include "engine/sys/fd.hpp"
#include "engine/sys/mapping.hpp"

namespace synnet {

struct XdpSocketSpec {
  enum class Attach { native, generic };

  std::string ifname;
  std::string netns{};
  std::uint32_t queue = 0;
  std::uint32_t frames = 4096;
  Attach attach = Attach::native;
  bool zero_copy = false;
  bool operator==(const XdpSocketSpec&) const = default;
  void validate() const;
};

class XdpSocket final : public App {
 public:
  using Spec = XdpSocketSpec;
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {"output"}); }
  static constexpr int kBindRetries = 20;  // EBUSY just after a socket on the queue closed
  static constexpr Duration kBindRetryEvery = std::chrono::milliseconds(10);

  XdpSocket(AppContext& ctx, const Spec& spec);  // throws SystemError saying why it cannot bind
  ~XdpSocket() override;                         // closes the socket (detaching the XDP program), then frees the UMEM
  void pull() override;
  void push() override;
  void stop() override { cut_.clear(pool()); }
  void counters(const CounterVisitor& emit) const override;
  int socket_fd() const noexcept { return fd_; }  // for diagnostics and tests

 private:
  struct Rings;  // libxdp's ring structures and handles, kept out of this header
  void reclaim_completions();
  std::uint32_t tx_unsent() noexcept;
  void kick_tx();
  void housekeeping();

  std::string ifname_;
  Fd netns_;  // the interface's namespace (empty: the engine's own); libxdp detaches in it
  Fd ctl_;    // a socket in the interface's namespace, for ioctls
  int ifindex_ = 0;
  std::uint32_t max_frame_ = 0;
  // Built in this order, undone in the reverse: the UMEM's memory, then in
  // rings_ the UMEM and the socket.
  Mapping umem_area_;
  std::unique_ptr<Rings> rings_;
  int fd_ = -1;                         // the XSK socket (owned by rings_)
  std::vector<std::uint64_t> tx_free_;  // UMEM addresses free for sending
  TxRetry tx_retry_;                    // no sendto() before its at() (after an error)
  Time next_housekeeping_{0};

  std::uint64_t rx_packets_ = 0, rx_bytes_ = 0, tx_packets_ = 0, tx_bytes_ = 0;
  CutQueue cut_;  // wire packets of a super-frame, not yet sent
  std::uint64_t rx_alloc_failed_ = 0, rx_no_output_ = 0, rx_oversize_ = 0, tx_oversize_ = 0, tx_csum_dropped_ = 0,
                tx_ring_full_ = 0, tx_kicks_ = 0;
  std::map<int, std::uint64_t> tx_errors_;
};

}  // namespace synnet
