// frame_fuzz.cpp — libFuzzer target for the frame parsers that write:
// gso_parse and gso_segment (engine/gso.hpp), complete_partial_checksum and
// complete_checksum_at (engine/checksum.hpp). Each input is
//   byte 0      offload.gso_type (any value: unsupported ones are malformed)
//   bytes 1-2   offload.gso_size, little-endian
//   byte 3      bit 0: offload.csum_partial
//   bytes 4-5   offload.csum_start, little-endian; also complete_checksum_at's
//   bytes 6-7   offload.csum_offset, little-endian; also complete_checksum_at's
//   the rest    the frame
// Checked:
//   - gso_parse reads nothing past the frame's length (the rest of the
//     packet's buffer is poisoned for AddressSanitizer) and leaves its bytes
//     alone; when it accepts a super-frame, gso_segment cuts every wire packet
//     (into a pool of one free packet, whose buffer past the longest a wire
//     packet can be is poisoned), each gso_segment_bytes long, at most
//     header_bytes + gso_size, starting with header_bytes of headers and
//     carrying its gso_size share of the payload unchanged; together they are
//     wire_bytes(p); the one after the last is nullptr;
//   - the checksum completions, on a copy of the frame in a heap buffer of
//     its exact size (AddressSanitizer sees any access past it), change the
//     frame only when they say kCompleted, and then only the two bytes of the
//     checksum field (complete_checksum_at: at csum_start + csum_offset).
// Built by ci/fuzz from engine/gso.cpp, checksum.cpp and packet_pool.cpp.
#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "engine/checksum.hpp"
#include "engine/gso.hpp"
#include "engine/packet_pool.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace synnet;
using fuzz::check;

constexpr std::size_t kPrefix = 8;

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }

// Poisons a packet's buffer from `from` to its end while alive.
class Poisoned {
 public:
  Poisoned(Packet& p, std::size_t from)
      : at_(p.data + std::min(from, kPacketCapacity)), bytes_(kPacketCapacity - std::min(from, kPacketCapacity)) {
    ASAN_POISON_MEMORY_REGION(at_, bytes_);
  }
  ~Poisoned() { ASAN_UNPOISON_MEMORY_REGION(at_, bytes_); }
  Poisoned(const Poisoned&) = delete;
  Poisoned& operator=(const Poisoned&) = delete;

 private:
  std::uint8_t* at_;
  std::size_t bytes_;
};

// Every byte the checksum completion changed is in [field, field + 2).
void check_changed(const std::vector<std::uint8_t>& before, const std::uint8_t* after, ChecksumResult r,
                   std::size_t field, const char* what) {
  std::size_t first = before.size(), last = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] != after[i]) {
      first = std::min(first, i);
      last = i;
    }
  }
  if (first == before.size()) return;  // nothing changed
  check(r == ChecksumResult::kCompleted, what);
  if (field != SIZE_MAX) check(first >= field && last < field + 2, what);
  check(last - first < 2, what);
}

void fuzz_checksums(const std::vector<std::uint8_t>& frame, std::size_t csum_start, std::size_t csum_offset) {
  const std::size_t n = frame.size();
  auto buf = std::make_unique<std::uint8_t[]>(n == 0 ? 1 : n);  // exact size: ASan sees any access past it
  if (n != 0) std::memcpy(buf.get(), frame.data(), n);
  ChecksumResult r = complete_partial_checksum(buf.get(), n);
  check_changed(frame, buf.get(), r, SIZE_MAX, "complete_partial_checksum changes its checksum field only");
  if (n != 0) std::memcpy(buf.get(), frame.data(), n);
  r = complete_checksum_at(buf.get(), n, csum_start, csum_offset);
  check_changed(frame, buf.get(), r, csum_start + csum_offset,
                "complete_checksum_at changes the two bytes at csum_start + csum_offset only");
  if (r == ChecksumResult::kCompleted) check(csum_start + csum_offset + 2 <= n, "the completed field is in the frame");
}

void fuzz_gso(PacketPool& pool, Packet& p, const std::vector<std::uint8_t>& frame) {
  bool ok = false;
  {
    Poisoned tail(p, p.length);
    ok = gso_parse(p);
  }
  check(frame.empty() || std::memcmp(p.data, frame.data(), frame.size()) == 0,
        "gso_parse leaves the frame's bytes alone");
  if (!ok) return;
  if (p.offload.gso_size == 0) {
    check(p.offload.segments == 0 && p.offload.header_bytes == 0, "not a super-frame: no segments, no headers");
    return;
  }
  const std::uint32_t n = wire_packets(p);
  const std::uint32_t header = p.offload.header_bytes, gso_size = p.offload.gso_size;
  check(p.offload.segments >= 1, "a super-frame gso_parse accepts has a wire packet");
  check(header > 0 && header < p.length, "a super-frame's headers are followed by payload");
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    Packet* s = nullptr;
    {
      Poisoned tail(p, p.length);
      // The pool's one free packet is the one gso_segment takes: nothing may land past its longest.
      Packet* spare = pool.try_allocate();
      check(spare != nullptr, "the pool has its spare packet");
      pool.free(spare);
      Poisoned spare_tail(*spare, header + gso_size);
      s = gso_segment(p, i, pool);
      check(s == spare, "gso_segment cuts into the pool's packet");
    }
    check(s->length == gso_segment_bytes(p, i), "a wire packet is gso_segment_bytes long");
    check(s->length > header && s->length <= header + gso_size, "a wire packet is headers and 1..gso_size of payload");
    check(s->offload == PacketOffload{}, "a wire packet has no offload");
    check(std::memcmp(s->data + header, p.data + header + std::size_t{i} * gso_size, s->length - header) == 0,
          "a wire packet carries its share of the payload unchanged");
    total += s->length;
    pool.free(s);
  }
  check(total == wire_bytes(p), "the wire packets add up to wire_bytes");
  Poisoned tail(p, p.length);
  check(gso_segment(p, n, pool) == nullptr, "no wire packet after the last");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static PacketPool pool(2);
  static Packet* const p = pool.allocate();  // the other packet is gso_segment's
  if (size < kPrefix) return 0;
  const std::vector<std::uint8_t> frame(data + kPrefix, data + size);
  const std::uint16_t csum_start = le16(data + 4), csum_offset = le16(data + 6);

  p->length = static_cast<std::uint32_t>(frame.size());
  p->offload = PacketOffload{.gso_size = le16(data + 1),
                             .gso_type = data[0],
                             .csum_partial = (data[3] & 1) != 0,
                             .csum_start = csum_start,
                             .csum_offset = csum_offset};
  if (!frame.empty()) std::memcpy(p->data, frame.data(), frame.size());
  fuzz_gso(pool, *p, frame);
  fuzz_checksums(frame, csum_start, csum_offset);
  return 0;
}
