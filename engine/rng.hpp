// rng.hpp — seeded, splittable pseudo-random numbers for apps.
//
// Every random decision in synnet comes from one engine seed. Each app gets
// its own stream, derived from that seed and the app's name, so adding an app
// does not change the decisions of the others, and the same seed and the same
// packets give the same decisions.
//
//   std::uint64_t s = derive_seed(engine_seed, "loss_a_to_b");
//   Rng rng(s);
//   rng.next()        — 64 uniformly random bits (xoshiro256**)
//   rng.uniform()     — double in [0, 1)
//   rng.below(n)      — integer in [0, n), n > 0
#pragma once

#include <cstdint>
#include <string_view>

namespace synnet {

// SplitMix64 step: a good 64-bit mixer, used to seed and to derive seeds.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A seed for the stream named `name`, derived from `base` (FNV-1a of the name, then mixed).
inline std::uint64_t derive_seed(std::uint64_t base, std::string_view name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  std::uint64_t state = base ^ h;
  return splitmix64(state);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept {
    std::uint64_t state = seed;
    for (auto& w : s_) w = splitmix64(state);
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Lemire's nearly-divisionless bounded integer; n must be > 0.
  std::uint64_t below(std::uint64_t n) noexcept {
    __uint128_t m = static_cast<__uint128_t>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<__uint128_t>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace synnet
