#include "engine/packet_pool.hpp"

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/sys/system_error.hpp"

namespace synnet {

PacketPool::PacketPool(std::size_t capacity)
    : capacity_(capacity),
      freelist_(std::make_unique<Packet*[]>(capacity)),
      traced_freed_(std::make_unique_for_overwrite<Packet*[]>(capacity)) {  // untouched until used
  if (capacity == 0) throw std::invalid_argument("packet pool: capacity must be at least 1 packet");
  void* mem = ::mmap(nullptr, capacity * sizeof(Packet), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) {
    throw SystemError(errno, "packet pool: cannot map " + std::to_string(capacity) + " packets of " +
                                 std::to_string(sizeof(Packet)) + " bytes");
  }
  base_ = static_cast<Packet*>(mem);
  // LIFO: the lowest addresses are handed out first.
  for (std::size_t i = 0; i < capacity; ++i) freelist_[i] = base_ + (capacity - 1 - i);
  nfree_ = capacity;
}

PacketPool::~PacketPool() { ::munmap(base_, capacity_ * sizeof(Packet)); }

Packet* PacketPool::allocate() {
  Packet* p = try_allocate();
  if (p == nullptr) {
    throw PoolExhausted("packet pool exhausted: all " + std::to_string(capacity_) +
                        " packets are on links or held by apps; an app that never frees "
                        "packets leaks them, otherwise raise EngineOptions::packets");
  }
  return p;
}

bool PacketPool::owns(const Packet* p) const noexcept { return p >= base_ && p < base_ + capacity_; }

void PacketPool::check_owned(const Packet* p) const noexcept {
  if (!owns(p) || nfree_ + ntraced_freed_ >= capacity_) {
    std::fprintf(stderr, "synnet: PacketPool::free(%p): %s\n", static_cast<const void*>(p),
                 owns(p) ? "double free (pool already full)" : "packet is not from this pool");
    std::abort();
  }
}

void PacketPool::tell_tracers_now() noexcept {
  for (std::size_t i = 0; i < ntraced_freed_; ++i) {
    Packet& p = *traced_freed_[i];
    p.trace.tracer->freed(p);
    p.trace = {};
    freelist_[nfree_++] = &p;
  }
  ntraced_freed_ = 0;
}

}  // namespace synnet
