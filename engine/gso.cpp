#include "engine/gso.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "engine/checksum.hpp"
#include "engine/ethernet.hpp"

namespace synnet {

namespace {

constexpr std::uint8_t kTcpFin = 0x01, kTcpPsh = 0x08, kTcpCwr = 0x80;

std::uint32_t be32(const std::uint8_t* p) noexcept {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
void put16(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) noexcept {
  put16(p, v >> 16);
  put16(p + 2, v & 0xffff);
}

// Where a super-frame's headers are: IP at l3, TCP/UDP at l4, payload from
// header to end (the end of the IP packet).
struct Layout {
  std::size_t l3 = 0, l4 = 0, header = 0, end = 0;
  bool ipv4 = false;
  std::uint8_t proto = 0;
};

std::optional<Layout> layout(const Packet& p) noexcept {
  const std::uint8_t* f = p.data;
  const std::size_t len = p.length;
  const auto type = static_cast<std::uint8_t>(p.offload.gso_type & ~kGsoEcn);
  if (type != kGsoTcpV4 && type != kGsoTcpV6 && type != kGsoUdpL4) return std::nullopt;
  Layout l;
  const std::optional<L3Start> start = find_l3(f, len);
  if (!start) return std::nullopt;
  const std::uint16_t ether = start->ethertype;
  l.l3 = start->offset;
  if (ether == kEtherIpv4 && type != kGsoTcpV6) {
    if (len < l.l3 + 20 || (f[l.l3] >> 4) != 4) return std::nullopt;
    const std::size_t ihl = std::size_t{f[l.l3] & 0x0fu} * 4;
    if (ihl < 20 || (be16(f + l.l3 + 6) & 0x3fff) != 0) return std::nullopt;  // options too short, or a fragment
    l.ipv4 = true;
    l.proto = f[l.l3 + 9];
    l.l4 = l.l3 + ihl;
    l.end = l.l3 + be16(f + l.l3 + 2);
  } else if (ether == kEtherIpv6 && type != kGsoTcpV4) {
    if (len < l.l3 + 40 || (f[l.l3] >> 4) != 6) return std::nullopt;
    l.end = l.l3 + 40 + be16(f + l.l3 + 4);
    l.proto = f[l.l3 + 6];
    l.l4 = l.l3 + 40;
    while (l.proto == 0 || l.proto == 43 || l.proto == 60) {  // hop-by-hop, routing, destination options
      if (std::min(l.end, len) < l.l4 + 8) return std::nullopt;
      l.proto = f[l.l4];
      l.l4 += (std::size_t{f[l.l4 + 1]} + 1) * 8;
    }
  } else {
    return std::nullopt;
  }
  // The IP datagram is the whole frame: gso_segment_bytes and wire_bytes count
  // the payload to the frame's end, gso_segment cuts it to the datagram's.
  if (l.end != len || l.end < l.l4) return std::nullopt;
  if (type == kGsoUdpL4) {
    if (l.proto != kProtoUdp) return std::nullopt;
    l.header = l.l4 + 8;
  } else {
    if (l.proto != kProtoTcp || l.end < l.l4 + 20) return std::nullopt;
    l.header = l.l4 + static_cast<std::size_t>(f[l.l4 + 12] >> 4) * 4;
    if (l.header < l.l4 + 20) return std::nullopt;
  }
  if (l.header >= l.end) return std::nullopt;  // no payload to cut
  if (p.offload.csum_partial && p.offload.csum_start != l.l4) return std::nullopt;
  return l;
}

// The TCP/UDP pseudo-header's sum for an L4 segment of l4_bytes.
std::uint32_t pseudo_header(const std::uint8_t* f, const Layout& l, std::size_t l4_bytes) noexcept {
  const std::uint32_t sum = l.proto + static_cast<std::uint32_t>(l4_bytes);
  return l.ipv4 ? checksum_add(f + l.l3 + 12, 8, sum) : checksum_add(f + l.l3 + 8, 32, sum);
}

}  // namespace

bool gso_parse(Packet& p) noexcept {
  p.offload.header_bytes = 0;
  p.offload.segments = 0;
  if (p.offload.gso_size == 0) return true;
  const std::optional<Layout> l = layout(p);
  if (!l) return false;
  const std::size_t payload = l->end - l->header;
  p.offload.header_bytes = static_cast<std::uint16_t>(l->header);
  p.offload.segments = static_cast<std::uint16_t>((payload + p.offload.gso_size - 1) / p.offload.gso_size);
  return true;
}

Packet* gso_segment(const Packet& p, std::uint32_t i, PacketPool& pool) noexcept {
  const std::optional<Layout> l = p.offload.gso_size != 0 ? layout(p) : std::nullopt;
  if (!l) return nullptr;
  const std::size_t start = l->header + std::size_t{i} * p.offload.gso_size;
  if (start >= l->end) return nullptr;
  const std::size_t bytes = std::min<std::size_t>(p.offload.gso_size, l->end - start);
  const bool first = i == 0, last = start + bytes == l->end;
  Packet* s = pool.try_allocate();
  if (s == nullptr) return nullptr;
  std::uint8_t* f = s->data;
  std::memcpy(f, p.data, l->header);
  std::memcpy(f + l->header, p.data + start, bytes);
  s->length = static_cast<std::uint32_t>(l->header + bytes);

  const std::size_t l4_bytes = l->header - l->l4 + bytes;
  if (l->ipv4) {
    const std::size_t ihl = l->l4 - l->l3;
    put16(f + l->l3 + 2, static_cast<std::uint32_t>(ihl + l4_bytes));
    put16(f + l->l3 + 4, be16(f + l->l3 + 4) + i);  // the id counts up, as the kernel's GSO does
    put16(f + l->l3 + 10, 0);
    put16(f + l->l3 + 10, static_cast<std::uint16_t>(~checksum_fold(checksum_add(f + l->l3, ihl, 0))));
  } else {
    put16(f + l->l3 + 4, static_cast<std::uint32_t>(l->l4 - l->l3 - 40 + l4_bytes));
  }
  std::size_t field;
  if (l->proto == kProtoTcp) {
    put32(f + l->l4 + 4, be32(f + l->l4 + 4) + static_cast<std::uint32_t>(start - l->header));
    if (!last) f[l->l4 + 13] &= static_cast<std::uint8_t>(~(kTcpFin | kTcpPsh));
    if (!first) f[l->l4 + 13] &= static_cast<std::uint8_t>(~kTcpCwr);
    field = l->l4 + 16;
  } else {
    put16(f + l->l4 + 4, static_cast<std::uint32_t>(l4_bytes));
    field = l->l4 + 6;
  }
  put16(f + field, 0);
  std::uint16_t c =
      static_cast<std::uint16_t>(~checksum_fold(checksum_add(f + l->l4, l4_bytes, pseudo_header(f, *l, l4_bytes))));
  if (l->proto == kProtoUdp && c == 0) c = 0xffff;  // 0 means "no checksum" for UDP
  put16(f + field, c);
  return s;
}

std::uint32_t CutQueue::cut(Packet* p, PacketPool& pool) {
  if (empty()) {  // reuse the storage
    cut_.clear();
    at_ = 0;
  }
  cut_.reserve(cut_.size() + wire_packets(*p));  // push_back below never throws
  const std::uint32_t lost = gso_cut(*p, pool, [this](Packet* w) { cut_.push_back(w); });
  pool.free(p);
  ++segmented_;
  dropped_ += lost;
  return lost;
}

Packet* CutQueue::take(Link* in, PacketPool& pool) {
  if (empty()) {
    Packet* p = in->receive();
    if (p->offload.gso_size == 0) return p;
    cut(p, pool);
  }
  return next();
}

void CutQueue::clear(PacketPool& pool) noexcept {
  while (Packet* p = next()) pool.free(p);
  cut_.clear();
  at_ = 0;
}

}  // namespace synnet
