// mac_table.hpp — the Switch's station table: MAC (mac_key) -> port, static
// or learned. Open addressing with linear probing in one flat array, sized
// once for at most max_entries (load <= 1/2), so a lookup is a multiply, a
// shift and usually one cache line, and nothing allocates after construction.
//
//   MacTable t(max_entries);
//   MacTable::Entry* e = t.find(mac_key(frame));   // nullptr: not there
//   t.insert(key, port, /*fixed=*/true);           // nullptr when full; an existing key is returned unchanged
//   t.for_each([](const MacTable::Entry& e) { ... });
//
// No removal: the Switch rebuilds the table when its spec changes.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace synnet {

class MacTable {
 public:
  struct Entry {
    std::uint64_t key = kEmpty;
    std::uint32_t port = 0;
    bool fixed = false;  // from the spec's static table (never moves)
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};  // no mac_key is this (they are < 2^48)

  explicit MacTable(std::size_t max_entries = 0)
      : max_(max_entries), slots_(std::bit_ceil(std::max<std::size_t>(16, 2 * max_entries))) {
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots_.size()));
  }

  Entry* find(std::uint64_t key) noexcept {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot(key);; i = (i + 1) & mask) {
      Entry& e = slots_[i];
      if (e.key == key) return &e;
      if (e.key == kEmpty) return nullptr;
    }
  }
  const Entry* find(std::uint64_t key) const noexcept { return const_cast<MacTable*>(this)->find(key); }

  Entry* insert(std::uint64_t key, std::uint32_t port, bool fixed) noexcept {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot(key);; i = (i + 1) & mask) {
      Entry& e = slots_[i];
      if (e.key == key) return &e;
      if (e.key == kEmpty) {
        if (size_ == max_) return nullptr;
        ++size_;
        e = Entry{key, port, fixed};
        return &e;
      }
    }
  }

  template <class F>
  void for_each(F f) const {
    for (const Entry& e : slots_) {
      if (e.key != kEmpty) f(e);
    }
  }
  std::size_t size() const noexcept { return size_; }
  std::size_t max_entries() const noexcept { return max_; }

 private:
  std::size_t slot(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ULL) >> shift_);
  }

  std::size_t max_;
  std::size_t size_ = 0;
  std::vector<Entry> slots_;
  unsigned shift_ = 0;
};

}  // namespace synnet
