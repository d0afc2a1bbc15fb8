#include "engine/apps/io/raw_socket.hpp"

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "engine/apps/io/interface.hpp"
#include "engine/apps/io/tpacket_ring.hpp"
#include "engine/apps/io/vnet_header.hpp"
#include "engine/checksum.hpp"
#include "engine/gso.hpp"

namespace synnet {

namespace {

constexpr std::uint32_t kRecvBatch = 64;  // frames per recvmmsg(2)
// Segment mode: a frame read may become this many wire packets (a 64 KiB
// super-frame cut at an MSS of 512 bytes or more), so a frame is read only
// while the output link has that much room; the rest waits in the kernel.
constexpr std::uint32_t kSegmentRoom = 128;

}  // namespace

void RawSocket::pull() {
  if (now() >= next_housekeeping_) housekeeping();
  if (suspect_) ctx().wake_at(next_housekeeping_);  // down: look again even if nothing else happens
  if (tx_ring_enabled_) {
    kick();  // frames a send() left in the TX ring (a full socket buffer, the interface down)
  } else if (!pending_.empty()) {
    send_pending();  // left over after EAGAIN
  }
  if (!receive_) return;
  Link* out = output();
  const std::uint32_t budget = out != nullptr ? std::min(out->room(), kMaxFramesPerBreath) : kMaxFramesPerBreath;
  if (rx_ring_enabled_) {
    pull_ring(out, budget);
  } else {
    pull_recvmmsg(out, budget);
  }
}

// How many frames may be read with `budget` packets of room on the output.
std::uint32_t RawSocket::frames_for(std::uint32_t budget) const noexcept {
  return segment_ ? budget / kSegmentRoom : budget;
}

void RawSocket::pull_ring(Link* out, std::uint32_t budget) {
  TpacketRing& rx = rings_.rx();
  while (frames_for(budget) > 0) {
    std::uint8_t* f = rx.frame(rx.next);
    const std::uint32_t status = status_of(f);
    if ((status & TP_STATUS_USER) == 0) break;
    const auto* hdr = reinterpret_cast<const tpacket2_hdr*>(f);
    if (out == nullptr) {
      ++rx_no_output_;
    } else if (hdr->tp_snaplen < hdr->tp_len || hdr->tp_snaplen + kVlanHeader > kPacketCapacity) {
      ++rx_oversize_;  // never forward a truncated frame
    } else {
      Packet* p = pool().try_allocate();
      if (p == nullptr) {
        ++rx_alloc_failed_;
        break;  // the frame stays in the ring for a later breath
      }
      std::memcpy(p->data, f + hdr->tp_mac, hdr->tp_snaplen);
      p->length = hdr->tp_snaplen;
      const void* vnet = bulk_ ? f + hdr->tp_mac - vnet_bytes_ : nullptr;  // the kernel puts it just before the frame
      if (finish_frame(*p, status, hdr->tp_vlan_tci, hdr->tp_vlan_tpid, vnet)) {
        budget -= std::min(budget, deliver(out, p));
      }
    }
    set_status(f, TP_STATUS_KERNEL);
    rx.advance();
  }
}

// Without an RX ring: recvmmsg(2) straight into packets, with PACKET_AUXDATA
// telling what the ring header would have (partial checksum, VLAN tag).
void RawSocket::pull_recvmmsg(Link* out, std::uint32_t budget) {
  constexpr std::size_t kCtrl = CMSG_SPACE(sizeof(tpacket_auxdata));
  while (frames_for(budget) > 0) {
    const std::uint32_t want = std::min<std::uint32_t>(frames_for(budget), kRecvBatch);
    Packet* packets[kRecvBatch];
    mmsghdr msgs[kRecvBatch];
    iovec iov[kRecvBatch][2];
    VnetHdr vnet[kRecvBatch];  // bulk: the kernel writes it before the frame
    alignas(cmsghdr) std::uint8_t ctrl[kRecvBatch][kCtrl];
    std::uint32_t n = 0;
    for (; n < want; ++n) {
      packets[n] = pool().try_allocate();
      if (packets[n] == nullptr) {
        ++rx_alloc_failed_;
        break;
      }
      iov[n][0] = {&vnet[n], vnet_bytes_};
      iov[n][1] = {packets[n]->data, kPacketCapacity - kVlanHeader};  // room to put a VLAN tag back
      msgs[n] = {};
      msgs[n].msg_hdr.msg_iov = bulk_ ? iov[n] : &iov[n][1];
      msgs[n].msg_hdr.msg_iovlen = bulk_ ? 2 : 1;
      msgs[n].msg_hdr.msg_control = ctrl[n];
      msgs[n].msg_hdr.msg_controllen = kCtrl;
    }
    const int got = n > 0 ? ::recvmmsg(fd_.get(), msgs, n, MSG_DONTWAIT | MSG_TRUNC, nullptr) : 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      Packet* p = packets[i];
      if (static_cast<int>(i) >= got) {
        pool().free(p);
        continue;
      }
      if (out == nullptr || (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) {
        out == nullptr ? ++rx_no_output_ : ++rx_oversize_;
        pool().free(p);
        continue;
      }
      tpacket_auxdata aux{};
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c != nullptr; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
      }
      p->length = msgs[i].msg_len - vnet_bytes_;
      if (finish_frame(*p, aux.tp_status, aux.tp_vlan_tci, aux.tp_vlan_tpid, bulk_ ? &vnet[i] : nullptr)) {
        budget -= std::min(budget, deliver(out, p));
      }
    }
    if (got < static_cast<int>(want)) break;  // drained (or no packets to receive into)
  }
}

std::uint32_t RawSocket::deliver(Link* out, Packet* p) {
  if (!segment_) {
    out->transmit(p);
    return 1;
  }
  if (p->offload.gso_size == 0) {  // one wire packet (finish_frame completed its checksum)
    p->offload = {};
    out->transmit(p);
    return 1;
  }
  const std::uint32_t n = wire_packets(*p);
  rx_segment_dropped_ += gso_cut(*p, pool(), [out](Packet* w) { out->transmit(w); });
  pool().free(p);
  return n;
}

// p holds a frame as the kernel delivered it. Puts back a VLAN tag the kernel
// moved into metadata; then, in bulk and segment mode, takes the offload
// metadata from the vnet header (segment mode completes a single wire
// packet's partial checksum where that header says; deliver() cuts
// super-frames), else completes a partial checksum. False: dropped, counted.
bool RawSocket::finish_frame(Packet& p, std::uint32_t status, std::uint16_t vlan_tci, std::uint16_t vlan_tpid,
                             const void* vnet_hdr) {
  const bool tagged = put_back_vlan_tag(p, status, vlan_tci, vlan_tpid);
  if (status & TP_STATUS_CSUMNOTREADY) ++rx_csum_partial_;
  if (vnet_hdr != nullptr) {  // bulk: carry what the device would have done, and check it
    VnetHdr h;
    std::memcpy(&h, vnet_hdr, sizeof h);
    p.offload = offload_of(h, tagged ? kVlanHeader : 0);
    if (p.offload.gso_type != kGsoNone) {
      if (!gso_parse(p)) {
        ++rx_gso_malformed_;
        pool().free(&p);
        return false;
      }
      ++rx_gso_frames_;
      rx_gso_segments_ += p.offload.segments;
    } else if (segment_ && p.offload.csum_partial) {  // one wire packet: finish the device's job now
      if (complete_checksum_at(p.data, p.length, p.offload.csum_start, p.offload.csum_offset) !=
          ChecksumResult::kCompleted) {
        ++rx_csum_dropped_;
        pool().free(&p);
        return false;
      }
      p.offload.csum_partial = false;
    }
  } else if (status & TP_STATUS_CSUMNOTREADY) {  // checksum offload upstream: finish the device's job
    if (complete_partial_checksum(p.data, p.length) != ChecksumResult::kCompleted) {
      ++rx_csum_dropped_;  // never forward a frame its receiver would find corrupt
      pool().free(&p);
      return false;
    }
  }
  ++rx_packets_;
  rx_bytes_ += p.length;
  return true;
}

// The next packet to send: without bulk, super-frames from a bulk port are
// cut into their wire packets first (nullptr: the pool gave nothing to cut
// one into).
Packet* RawSocket::next_to_send(Link* in) { return bulk_ ? in->receive() : cut_.take(in, pool()); }

void RawSocket::push() {
  Link* in = input();
  if (!tx_ring_enabled_) {
    while (!in->empty() || !cut_.empty()) {
      while (pending_.size() < kTxBatch && (!in->empty() || !cut_.empty())) {
        Packet* p = next_to_send(in);
        if (p == nullptr) continue;
        if (prepare_tx(*p)) {
          pending_.push_back(p);
        } else {
          pool().free(p);
        }
      }
      send_pending();
      if (!pending_.empty()) return;  // the kernel pushed back: the rest waits on the link
    }
    return;
  }
  TpacketRing& tx = rings_.tx();
  while (!in->empty() || !cut_.empty()) {
    std::uint8_t* f = tx.frame(tx.next);
    if (status_of(f) != TP_STATUS_AVAILABLE) {  // ring full (unsent or in flight): leave the rest on the link
      ++tx_ring_full_;
      kick();
      ctx().wake_at(now() + kTxBusyWait);  // come back soon even if nothing else happens
      return;
    }
    Packet* p = next_to_send(in);
    if (p == nullptr) continue;
    if (prepare_tx(*p)) {
      const std::uint32_t vnet = write_vnet_hdr(f + kTpacketTxDataOffset, *p);
      std::memcpy(f + kTpacketTxDataOffset + vnet, p->data, p->length);
      reinterpret_cast<tpacket2_hdr*>(f)->tp_len = vnet + p->length;
      set_status(f, TP_STATUS_SEND_REQUEST);
      tx.advance();
      ++tx_unsent_count_;
      ++tx_packets_;
      tx_bytes_ += p->length;
    }
    pool().free(p);
  }
  kick();
}

// Whether p may go out on this interface, as it is or with a vnet header
// (bulk); counts what does not. Without bulk, a partial checksum is completed
// here: a packet from a bulk port may carry one.
bool RawSocket::prepare_tx(Packet& p) {
  if (bulk_ && p.offload.gso_size != 0) {  // every wire packet the kernel cuts from it must fit
    if (std::uint32_t{p.offload.header_bytes} + p.offload.gso_size > max_frame_) {
      ++tx_oversize_;
      return false;
    }
    ++tx_gso_frames_;
    tx_gso_segments_ += wire_packets(p);
    return true;
  }
  // The kernel takes 4 bytes over MTU + Ethernet header only for an 802.1Q
  // tag (a vnet header, in bulk mode, lifts its check).
  const bool tagged = p.length >= ETH_HLEN && p.data[12] == 0x81 && p.data[13] == 0x00;
  if (p.length > (bulk_ || tagged ? max_frame_ : max_frame_ - kVlanHeader)) {
    ++tx_oversize_;
    return false;
  }
  if (!bulk_ && p.offload.csum_partial) {
    if (complete_checksum_at(p.data, p.length, p.offload.csum_start, p.offload.csum_offset) !=
        ChecksumResult::kCompleted) {
      ++tx_csum_dropped_;
      return false;
    }
    p.offload = {};
  }
  return true;
}

// Bulk: the vnet header telling the kernel what p leaves to the device.
// Returns the bytes written (0 without bulk).
std::uint32_t RawSocket::write_vnet_hdr(std::uint8_t* to, const Packet& p) noexcept {
  if (!bulk_) return 0;
  const VnetHdr h = vnet_header_of(p.offload);
  std::memcpy(to, &h, sizeof h);
  return vnet_bytes_;
}

// Whether the TX ring holds frames the kernel has not taken yet
// (TP_STATUS_SEND_REQUEST), counted from the oldest we wrote; frames it took
// are sending (their pages still in use) or available again.
bool RawSocket::tx_unsent() noexcept {
  const TpacketRing& tx = rings_.tx();
  while (tx_unsent_count_ > 0 && status_of(tx.frame(tx_unsent_)) != TP_STATUS_SEND_REQUEST) {
    tx_unsent_ = tx.after(tx_unsent_);
    --tx_unsent_count_;
  }
  return tx_unsent_count_ > 0;
}

// Asks the kernel to send what the TX ring holds. Never blocks. Whatever it
// leaves (a full socket buffer, the interface down or without carrier) stays
// in the ring, in order, and a later breath asks again: soon after EAGAIN or
// a partial send, after tx_retry_'s wait after an error.
void RawSocket::kick() {
  if (!tx_unsent()) return;
  if (!tx_retry_.due(now())) {
    ctx().wake_at(tx_retry_.at());
    return;
  }
  ++tx_kicks_;
  const bool sent = ::send(fd_.get(), nullptr, 0, MSG_DONTWAIT) >= 0;
  const int err = sent ? 0 : errno;
  if (sent || err == EAGAIN || err == EINTR) {
    tx_retry_.succeeded();
    if (tx_unsent()) ctx().wake_at(tx_retry_.pause_until(now() + kTxBusyWait));
    return;
  }
  ++tx_errors_[err];
  ctx().wake_at(tx_retry_.failed(now()));
  suspect_ = true;
  if (err == ENXIO || err == ENODEV) housekeeping();  // gone?
}

// Sends pending_ with sendmmsg(2), in order. EAGAIN keeps the rest for the
// next breath; any other error drops (and counts) the frame it hit.
void RawSocket::send_pending() {
  mmsghdr msgs[kTxBatch];
  iovec iov[kTxBatch][2];
  VnetHdr vnet[kTxBatch];
  std::size_t done = 0;
  while (done < pending_.size()) {
    const std::size_t n = std::min(pending_.size() - done, kTxBatch);
    for (std::size_t i = 0; i < n; ++i) {
      const Packet& p = *pending_[done + i];
      iov[i][0] = {&vnet[i], write_vnet_hdr(reinterpret_cast<std::uint8_t*>(&vnet[i]), p)};
      iov[i][1] = {const_cast<std::uint8_t*>(p.data), p.length};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = bulk_ ? iov[i] : &iov[i][1];
      msgs[i].msg_hdr.msg_iovlen = bulk_ ? 2 : 1;
    }
    ++tx_kicks_;
    const int sent = ::sendmmsg(fd_.get(), msgs, static_cast<unsigned>(n), MSG_DONTWAIT);
    if (sent > 0) {
      for (int i = 0; i < sent; ++i) {
        Packet* p = pending_[done + static_cast<std::size_t>(i)];
        ++tx_packets_;
        tx_bytes_ += p->length;
        pool().free(p);
      }
      done += static_cast<std::size_t>(sent);
      continue;
    }
    const int err = errno;
    if (err == EAGAIN || err == EINTR) {
      ctx().wake_at(now() + kTxBusyWait);
      break;
    }
    ++tx_errors_[err];
    pool().free(pending_[done++]);
    suspect_ = true;
    if (err == ENXIO || err == ENODEV) housekeeping();
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
}

// Has the interface gone (checked by ifindex: a send-only socket hears of
// nothing)? From a sign of trouble until it runs again, keep the engine waking.
void RawSocket::housekeeping() {
  next_housekeeping_ = now() + kHousekeepingPeriod;
  if (take_socket_error(fd_.get()) != 0) suspect_ = true;
  fail_if_deleted(ctx(), fd_.get(), ifname_, ifindex_);
  if (suspect_ && interface_running(fd_.get(), ifindex_)) {  // back: what waits in the TX ring goes now
    suspect_ = false;
    tx_retry_.reset();
  }
}

void RawSocket::counters(const CounterVisitor& emit) const {
  refresh_kernel_stats();
  emit.gauge("rx_ring", rx_ring_enabled_ ? 1 : 0);
  emit.gauge("tx_ring", tx_ring_enabled_ ? 1 : 0);
  emit.packets("rx_packets", rx_packets_);
  emit.bytes("rx_bytes", rx_bytes_);
  emit.packets("tx_packets", tx_packets_);
  emit.bytes("tx_bytes", tx_bytes_);
  emit.drop("rx_kernel_drops", Drop::kernel, rx_kernel_drops_);
  emit.drop("rx_oversize", Drop::invalid, rx_oversize_);
  emit.error("rx_alloc_failed", rx_alloc_failed_);
  emit.drop("rx_no_output", Drop::no_output, rx_no_output_);
  emit.events("rx_csum_partial", rx_csum_partial_);
  emit.drop("rx_csum_dropped", Drop::invalid, rx_csum_dropped_);
  emit.packets("rx_gso_frames", rx_gso_frames_);
  emit.packets("rx_gso_segments", rx_gso_segments_);
  emit.drop("rx_gso_malformed", Drop::invalid, rx_gso_malformed_);
  emit.drop("rx_segment_dropped", Drop::no_buffer, rx_segment_dropped_);
  emit.packets("tx_gso_frames", tx_gso_frames_);
  emit.packets("tx_gso_segments", tx_gso_segments_);
  emit.events("tx_segmented", cut_.segmented());
  emit.drop("tx_segment_dropped", Drop::no_buffer, cut_.dropped());
  emit.drop("tx_csum_dropped", Drop::invalid, tx_csum_dropped_);
  emit.drop("tx_oversize", Drop::invalid, tx_oversize_);
  emit.events("tx_ring_full", tx_ring_full_);
  emit.events("tx_kicks", tx_kicks_);
  emit_errno_counters(emit, "tx_error_", tx_errors_);
}

}  // namespace synnet
