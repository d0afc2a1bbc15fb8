#include "engine/apps/io/xdp_socket.hpp"

#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/xsk.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include <cstdarg>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "engine/apps/io/interface.hpp"
#include "engine/checksum.hpp"
#include "engine/sys/in_netns.hpp"
#include "engine/sys/system_error.hpp"

namespace synnet {

namespace {

constexpr std::uint32_t kFrameSize = XSK_UMEM__DEFAULT_FRAME_SIZE;  // 4096
constexpr std::uint32_t kEthernetAndVlan = 18;

// Why a bind failed, and what to try.
std::string bind_hint(int err, const XdpSocketSpec& spec) {
  switch (err) {
    case EOPNOTSUPP:
      return spec.zero_copy ? " (the driver has no AF_XDP zero-copy: set zero_copy = false)"
                            : " (the driver cannot run XDP in this mode: try attach = \"generic\")";
    case EBUSY:
    case EEXIST:
      return " (another XDP program or AF_XDP socket already uses this interface or queue: remove it, e.g. "
             "`ip link set dev IF xdp off`, or use RawSocket)";
    case ENOSPC:
      return " (veth: native XDP needs the peer's tx queue count <= this device's rx queue count, "
             "`ethtool -L PEER tx N`; or attach = \"generic\")";
    case EINVAL: return " (queue " + std::to_string(spec.queue) + " may not exist: `ethtool -l IF` lists the queues)";
    case EPERM: return " (needs root, or CAP_NET_ADMIN with CAP_BPF)";
    default: return "";
  }
}

// libbpf and libxdp print progress and fallbacks ("No bpffs found...") to
// stderr; what matters reaches the caller through our exceptions instead.
int quiet_libbpf(enum libbpf_print_level, const char*, va_list) { return 0; }
int quiet_libxdp(enum libxdp_print_level, const char*, va_list) { return 0; }

const char* attach_name(XdpSocketSpec::Attach a) { return a == XdpSocketSpec::Attach::generic ? "generic" : "native"; }

}  // namespace

// The rings' deleters: in a namespace of their own, not an anonymous one, as
// members of XdpSocket::Rings (a class with linkage) under one unity build.
namespace xdp_detail {

struct UmemDelete {
  void operator()(xsk_umem* umem) const noexcept { xsk_umem__delete(umem); }
};

// Deleting an XSK socket also detaches the XDP program, found by ifindex in
// the calling thread's namespace: it must run in the interface's, `netns`.
// (From the engine's it left the program on the interface, so the next
// socket could not bind, and asked about the interface with that ifindex in
// the engine's own namespace instead.)
struct XskDelete {
  int netns = -1;
  void operator()(xsk_socket* xsk) const noexcept {
    try {
      in_netns(netns, [xsk] { xsk_socket__delete(xsk); });
    } catch (const std::exception&) {  // no thread or no setns: close the socket, never detach elsewhere
      ::close(xsk_socket__fd(xsk));
    }
  }
};

}  // namespace xdp_detail

// Members in the order they are built: the destructor deletes the socket, then the UMEM.
struct XdpSocket::Rings {
  xsk_ring_prod fill{};
  xsk_ring_cons completion{};
  xsk_ring_cons rx{};
  xsk_ring_prod tx{};
  std::unique_ptr<xsk_umem, xdp_detail::UmemDelete> umem;
  std::unique_ptr<xsk_socket, xdp_detail::XskDelete> xsk;
};

void XdpSocketSpec::validate() const {
  if (ifname.empty() || ifname.size() > 15)
    throw std::invalid_argument("ifname: \"" + ifname + "\" must have 1 to 15 characters");
  if (frames < 64 || (frames & (frames - 1)) != 0) {
    throw std::invalid_argument("frames: " + std::to_string(frames) + " must be a power of two, at least 64");
  }
}

XdpSocket::XdpSocket(AppContext& ctx, const Spec& spec)
    : App(ctx), ifname_(spec.ifname), rings_(std::make_unique<Rings>()) {
  const std::string where = io_where("xdpsock", ifname_, spec.netns);
  netns_ = open_netns(spec.netns, where);
  ctl_ = socket_in_netns(spec.netns, AF_INET, SOCK_DGRAM, 0, where);
  const InterfaceInfo info = interface_info(ctl_.get(), ifname_, where);
  ifindex_ = info.ifindex;
  max_frame_ = info.mtu + kEthernetAndVlan;
  if (max_frame_ > kFrameSize - XSK_UMEM__DEFAULT_FRAME_HEADROOM) {
    throw SystemError(EMSGSIZE, where + ": MTU " + std::to_string(info.mtu) + " does not fit AF_XDP's " +
                                    std::to_string(kFrameSize) + "-byte frames (use RawSocket for jumbo frames)");
  }

  umem_area_ = Mapping::map(std::size_t{spec.frames} * kFrameSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, where + ": map UMEM");
  const std::uint32_t half = spec.frames / 2;
  xsk_umem_config umem_cfg{};
  umem_cfg.fill_size = half;
  umem_cfg.comp_size = half;
  umem_cfg.frame_size = kFrameSize;
  umem_cfg.frame_headroom = XSK_UMEM__DEFAULT_FRAME_HEADROOM;
  xsk_socket_config cfg{};
  cfg.rx_size = half;
  cfg.tx_size = half;
  cfg.xdp_flags = spec.attach == XdpSocketSpec::Attach::generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
  cfg.bind_flags = static_cast<std::uint16_t>((spec.zero_copy ? XDP_ZEROCOPY : XDP_COPY) | XDP_USE_NEED_WAKEUP);
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    libbpf_set_print(quiet_libbpf);
    libxdp_set_print(quiet_libxdp);
  });
  // Everything that opens a socket or resolves a name happens inside the
  // interface's namespace: xsk_umem__create opens the AF_XDP socket that the
  // first xsk_socket__create then binds, by ifindex, in the socket's namespace.
  const auto create = [&]() -> std::pair<const char*, int> {
    xsk_umem* umem = nullptr;
    const int e =
        xsk_umem__create(&umem, umem_area_.data(), umem_area_.size(), &rings_->fill, &rings_->completion, &umem_cfg);
    rings_->umem.reset(umem);
    if (e != 0) return {"create UMEM", e};
    xsk_socket* xsk = nullptr;
    const int r = xsk_socket__create(&xsk, ifname_.c_str(), spec.queue, umem, &rings_->rx, &rings_->tx, &cfg);
    rings_->xsk = std::unique_ptr<xsk_socket, xdp_detail::XskDelete>(xsk, xdp_detail::XskDelete{netns_.get()});
    return {"bind AF_XDP socket", r};
  };
  // The kernel frees a closed socket's hold on its queue a little later (in a
  // work queue): a socket that replaces one on the same queue may see EBUSY
  // for some milliseconds. kBindRetries tries, kBindRetryEvery apart.
  auto [stage, r] = in_netns(netns_.get(), create);
  for (int attempt = 1; r == -EBUSY && attempt < kBindRetries; ++attempt) {
    rings_->umem.reset();
    std::this_thread::sleep_for(kBindRetryEvery);
    std::tie(stage, r) = in_netns(netns_.get(), create);
  }
  if (r != 0) {
    throw SystemError(-r, where + ": " + stage + " on queue " + std::to_string(spec.queue) + " (" +
                              attach_name(spec.attach) + (spec.zero_copy ? ", zero-copy" : ", copy") + " mode)" +
                              bind_hint(-r, spec));
  }
  fd_ = xsk_socket__fd(rings_->xsk.get());

  // The first half of the UMEM receives (all of it on the fill ring), the second half sends.
  std::uint32_t idx = 0;
  if (xsk_ring_prod__reserve(&rings_->fill, half, &idx) != half) throw SystemError(ENOMEM, where + ": fill ring");
  for (std::uint32_t i = 0; i < half; ++i)
    *xsk_ring_prod__fill_addr(&rings_->fill, idx + i) = std::uint64_t{i} * kFrameSize;
  xsk_ring_prod__submit(&rings_->fill, half);
  tx_free_.reserve(half);
  for (std::uint32_t i = half; i < spec.frames; ++i) tx_free_.push_back(std::uint64_t{i} * kFrameSize);
  ctx.watch_fd(fd_);
}

XdpSocket::~XdpSocket() = default;  // rings_ (the socket, the UMEM), then umem_area_

void XdpSocket::pull() {
  if (now() >= next_housekeeping_) housekeeping();
  ctx().wake_at(next_housekeeping_);  // an AF_XDP socket may not wake the engine when its device goes
  Link* out = output();
  std::uint32_t idx_rx = 0;
  const std::uint32_t budget = out != nullptr ? std::min(out->room(), kMaxFramesPerBreath) : kMaxFramesPerBreath;
  const std::uint32_t n = xsk_ring_cons__peek(&rings_->rx, budget, &idx_rx);
  if (n > 0) {
    std::uint32_t idx_fill = 0;
    // The fill ring has room for every RX frame (same size, and each frame is on one of them).
    while (xsk_ring_prod__reserve(&rings_->fill, n, &idx_fill) != n) {
    }
    std::uint32_t taken = 0;
    for (; taken < n; ++taken) {
      const xdp_desc* d = xsk_ring_cons__rx_desc(&rings_->rx, idx_rx + taken);
      if (out == nullptr) {
        ++rx_no_output_;
      } else if (d->len > kPacketCapacity) {
        ++rx_oversize_;
      } else {
        Packet* p = pool().try_allocate();
        if (p == nullptr) {
          ++rx_alloc_failed_;
          break;  // the rest stays in the RX ring
        }
        std::memcpy(p->data, xsk_umem__get_data(umem_area_.data(), d->addr), d->len);
        p->length = d->len;
        ++rx_packets_;
        rx_bytes_ += d->len;
        out->transmit(p);
      }
      *xsk_ring_prod__fill_addr(&rings_->fill, idx_fill + taken) = xsk_umem__extract_addr(d->addr);
    }
    xsk_ring_prod__submit(&rings_->fill, taken);
    xsk_ring_cons__release(&rings_->rx, taken);
    if (taken < n) {  // give back the fill slots we reserved but did not use
      rings_->fill.cached_prod -= n - taken;
    }
  }
  if (xsk_ring_prod__needs_wakeup(&rings_->fill)) {
    ::recvfrom(fd_, nullptr, 0, MSG_DONTWAIT, nullptr, nullptr);
  }
  reclaim_completions();
  kick_tx();  // what an earlier sendto() left in the TX ring
}

void XdpSocket::reclaim_completions() {
  std::uint32_t idx = 0;
  const std::uint32_t n =
      xsk_ring_cons__peek(&rings_->completion, static_cast<std::uint32_t>(tx_free_.capacity()), &idx);
  for (std::uint32_t i = 0; i < n; ++i) tx_free_.push_back(*xsk_ring_cons__comp_addr(&rings_->completion, idx + i));
  xsk_ring_cons__release(&rings_->completion, n);
}

void XdpSocket::push() {
  Link* in = input();
  reclaim_completions();
  std::uint32_t queued = 0;
  while (!in->empty() || !cut_.empty()) {
    if (tx_free_.empty()) {  // every TX frame is in flight: leave the rest on the link
      ++tx_ring_full_;
      ctx().wake_at(now() + kTxBusyWait);
      break;
    }
    std::uint32_t idx = 0;
    if (xsk_ring_prod__reserve(&rings_->tx, 1, &idx) != 1) {
      ++tx_ring_full_;
      ctx().wake_at(now() + kTxBusyWait);
      break;
    }
    Packet* p = cut_.take(in, pool());  // a super-frame from a bulk RawSocket goes as its wire packets
    if (p == nullptr) {                 // none: the pool was empty
      rings_->tx.cached_prod -= 1;      // unreserve
      continue;
    }
    const bool oversize = p->length > max_frame_;
    if (oversize ||
        (p->offload.csum_partial && complete_checksum_at(p->data, p->length, p->offload.csum_start,
                                                         p->offload.csum_offset) != ChecksumResult::kCompleted)) {
      ++(oversize ? tx_oversize_ : tx_csum_dropped_);
      rings_->tx.cached_prod -= 1;  // unreserve
      pool().free(p);
      continue;
    }
    const std::uint64_t addr = tx_free_.back();
    tx_free_.pop_back();
    std::memcpy(xsk_umem__get_data(umem_area_.data(), addr), p->data, p->length);
    xdp_desc* d = xsk_ring_prod__tx_desc(&rings_->tx, idx);
    d->addr = addr;
    d->len = p->length;
    xsk_ring_prod__submit(&rings_->tx, 1);
    ++queued;
    ++tx_packets_;
    tx_bytes_ += p->length;
    pool().free(p);
  }
  if (queued > 0) kick_tx();
}

// Descriptors in the TX ring the kernel has not consumed yet.
std::uint32_t XdpSocket::tx_unsent() noexcept {
  return rings_->tx.size - xsk_prod_nb_free(&rings_->tx, rings_->tx.size);
}

// Copy mode transmits only when asked (sendto), and at most 32 frames per
// call (the kernel's TX batch; it says EAGAIN when more wait); zero-copy
// when the driver says it needs a wakeup. So this runs every breath while
// frames wait, and asks for the next breath at once while the kernel takes
// frames, kTxBusyWait later when it took none, after tx_retry_'s wait after an error.
void XdpSocket::kick_tx() {
  if (!xsk_ring_prod__needs_wakeup(&rings_->tx)) return;
  const std::uint32_t before = tx_unsent();
  if (before == 0) return;
  if (!tx_retry_.due(now())) {
    ctx().wake_at(tx_retry_.at());
    return;
  }
  ++tx_kicks_;
  const bool sent = ::sendto(fd_, nullptr, 0, MSG_DONTWAIT, nullptr, 0) >= 0;
  const int err = sent ? 0 : errno;
  if (err == EBUSY) ++tx_errors_[err];  // the device dropped a frame (it is completed, not sent)
  if (sent || err == EAGAIN || err == EBUSY || err == EINTR) {
    tx_retry_.succeeded();
    // More to send: at once after progress (the kernel's batch ended), a
    // little later if the device took nothing (busy).
    if (const std::uint32_t left = tx_unsent(); left > 0) ctx().wake_at(left < before ? now() : now() + kTxBusyWait);
    return;
  }
  ++tx_errors_[err];
  ctx().wake_at(tx_retry_.failed(now()));
  if (err == ENXIO || err == ENETDOWN || err == ENODEV) housekeeping();
}

void XdpSocket::housekeeping() {
  next_housekeeping_ = now() + kHousekeepingPeriod;
  fail_if_deleted(ctx(), ctl_.get(), ifname_, ifindex_);
}

void XdpSocket::counters(const CounterVisitor& emit) const {
  emit.packets("rx_packets", rx_packets_);
  emit.bytes("rx_bytes", rx_bytes_);
  emit.packets("tx_packets", tx_packets_);
  emit.bytes("tx_bytes", tx_bytes_);
  emit.error("rx_alloc_failed", rx_alloc_failed_);
  emit.drop("rx_no_output", Drop::no_output, rx_no_output_);
  emit.drop("rx_oversize", Drop::invalid, rx_oversize_);
  emit.drop("tx_oversize", Drop::invalid, tx_oversize_);
  emit.events("tx_segmented", cut_.segmented());
  emit.drop("tx_segment_dropped", Drop::no_buffer, cut_.dropped());
  emit.drop("tx_csum_dropped", Drop::invalid, tx_csum_dropped_);
  emit.events("tx_ring_full", tx_ring_full_);
  emit.events("tx_kicks", tx_kicks_);
  xdp_statistics stats{};
  socklen_t len = sizeof stats;
  if (::getsockopt(fd_, SOL_XDP, XDP_STATISTICS, &stats, &len) == 0) {
    emit.drop("rx_dropped", Drop::kernel, stats.rx_dropped);
    emit.error("rx_invalid_descs", stats.rx_invalid_descs);
    emit.error("tx_invalid_descs", stats.tx_invalid_descs);
    emit.drop("rx_ring_full", Drop::kernel, stats.rx_ring_full);
    emit.events("rx_fill_ring_empty_descs", stats.rx_fill_ring_empty_descs);
    emit.events("tx_ring_empty_descs", stats.tx_ring_empty_descs);
  }
  emit_errno_counters(emit, "tx_error_", tx_errors_);
}

}  // namespace synnet
