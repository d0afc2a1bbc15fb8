// raw_socket_setup.cpp — RawSocketSpec::validate, RawSocket's constructor
// (the AF_PACKET socket's options, its rings and its binding), stop() and
// the kernel's statistics. The rest of RawSocket (pull, push, kick,
// housekeeping, counters) is in raw_socket.cpp.
#include "engine/apps/io/raw_socket.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>
#include <stdexcept>

#include "engine/apps/io/interface.hpp"
#include "engine/apps/io/tpacket_ring.hpp"
#include "engine/apps/io/vnet_header.hpp"
#include "engine/sys/system_error.hpp"

namespace synnet {

namespace {

void set_option(int fd, int option, int value, const std::string& what) {
  if (::setsockopt(fd, SOL_PACKET, option, &value, sizeof value) != 0) throw SystemError(errno, what);
}

}  // namespace

void RawSocketSpec::validate() const {
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    throw std::invalid_argument("ifname: \"" + ifname + "\" must have 1 to " + std::to_string(IFNAMSIZ - 1) +
                                " characters");
  }
  if (ring_frames != 0 && (ring_frames < 8 || (ring_frames & (ring_frames - 1)) != 0)) {
    throw std::invalid_argument("ring_frames: " + std::to_string(ring_frames) +
                                " must be 0 (the default) or a power of two, at least 8");
  }
  if (offloads == Offloads::segment && rx == Rx::none) {
    throw std::invalid_argument(
        "offloads: segment acts on arrival, and a send-only socket (rx = none) receives nothing");
  }
}

RawSocket::RawSocket(AppContext& ctx, const Spec& spec) : App(ctx), ifname_(spec.ifname) {
  const std::string where = io_where("rawsock", ifname_, spec.netns);
  receive_ = spec.rx != Spec::Rx::none;
  const std::uint16_t protocol = receive_ ? htons(ETH_P_ALL) : 0;  // 0: the kernel hands this socket nothing
  fd_ = socket_in_netns(spec.netns, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, protocol, where);
  const InterfaceInfo info = interface_info(fd_.get(), ifname_, where);
  ifindex_ = info.ifindex;
  max_frame_ = info.mtu + ETH_HLEN + kVlanHeader;
  if (max_frame_ > kPacketCapacity) {
    throw SystemError(EMSGSIZE, where + ": MTU " + std::to_string(info.mtu) + " needs frames larger than a packet (" +
                                    std::to_string(kPacketCapacity) + " bytes)");
  }

  set_option(fd_.get(), PACKET_VERSION, TPACKET_V2, where + ": PACKET_VERSION TPACKET_V2");
  set_option(fd_.get(), PACKET_QDISC_BYPASS, 1, where + ": PACKET_QDISC_BYPASS");
  set_option(fd_.get(), PACKET_IGNORE_OUTGOING, 1, where + ": PACKET_IGNORE_OUTGOING");
  // A TX frame the kernel refuses would otherwise stay in the ring as
  // TP_STATUS_WRONG_FORMAT, and the kernel would send nothing behind it until
  // that slot came round again; with PACKET_LOSS it skips the frame.
  // prepare_tx() applies the kernel's rules first, so none should reach it.
  const bool tx_ring = spec.tx == Spec::Tx::ring;
  if (tx_ring) set_option(fd_.get(), PACKET_LOSS, 1, where + ": PACKET_LOSS");
  bulk_ = spec.offloads != Spec::Offloads::wire;
  segment_ = spec.offloads == Spec::Offloads::segment;
  if (bulk_) {  // before the rings: the kernel refuses it (EBUSY) once they exist
    set_option(fd_.get(), PACKET_VNET_HDR, 1, where + ": PACKET_VNET_HDR");
    vnet_bytes_ = sizeof(VnetHdr);
  }

  // Bulk: frames as large as a packet takes, in whole pages.
  const TpacketLayout layout =
      tpacket_layout(bulk_ ? std::max(kBulkMaxFrame, max_frame_) : max_frame_, vnet_bytes_, bulk_);
  const auto frames = [&](std::uint32_t fallback) { return spec.ring_frames != 0 ? spec.ring_frames : fallback; };
  tpacket_req rx_req = layout.request(frames(bulk_ ? kBulkRingFrames : kRxRingFrames));
  tpacket_req tx_req = layout.request(frames(bulk_ ? kBulkRingFrames : kTxRingFrames));
  // A kernel that refuses a ring gets recvmmsg/sendmmsg instead (the rx_ring
  // and tx_ring counters say which path runs).
  rx_ring_enabled_ = receive_ && spec.rx == Spec::Rx::ring &&
                     ::setsockopt(fd_.get(), SOL_PACKET, PACKET_RX_RING, &rx_req, sizeof rx_req) == 0;
  tx_ring_enabled_ = tx_ring && ::setsockopt(fd_.get(), SOL_PACKET, PACKET_TX_RING, &tx_req, sizeof tx_req) == 0;
  if (!rx_ring_enabled_) {
    set_option(fd_.get(), PACKET_AUXDATA, 1, where + ": PACKET_AUXDATA");
    rx_req = {};
  }
  if (!tx_ring_enabled_) tx_req = {};
  rings_ = TpacketRings(fd_.get(), rx_req, tx_req, where);
  pending_.reserve(kTxBatch);

  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = protocol;
  addr.sll_ifindex = ifindex_;
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw SystemError(errno, where + ": bind");
  }
  if (receive_) ctx.watch_fd(fd_.get());
}

void RawSocket::stop() {
  for (Packet* p : pending_) pool().free(p);
  pending_.clear();
  cut_.clear(pool());
}

void RawSocket::refresh_kernel_stats() const {
  tpacket_stats stats{};
  socklen_t len = sizeof stats;
  if (::getsockopt(fd_.get(), SOL_PACKET, PACKET_STATISTICS, &stats, &len) == 0) rx_kernel_drops_ += stats.tp_drops;
}

}  // namespace synnet
