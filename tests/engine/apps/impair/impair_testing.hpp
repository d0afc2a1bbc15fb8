// impair_testing.hpp — apps for testing impairments with a ManualClock.
//
//   SeqSource  — each pull sends `per_pull` frames of `size` bytes carrying a
//                sequence number (bytes 14..21) while `remaining` > 0; remembers
//                each frame's send time (sent_at[seq])
//   Recorder   — takes every frame, records (seq, arrival time), frees it
//   seq_of(p)  — the sequence number in a frame
// (No gtest here: benchmarks use these apps too. The gtest fixture is in impairment_rig.hpp.)
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "engine/app.hpp"

namespace synnet::testing {

inline std::uint64_t seq_of(const Packet& p) {
  std::uint64_t s;
  std::memcpy(&s, p.data + 14, sizeof s);
  return s;
}

struct SeqSourceSpec {
  std::uint32_t size = 100;
  std::uint32_t per_pull = 1;
  std::uint64_t remaining = 0;
  bool operator==(const SeqSourceSpec&) const = default;
};

class SeqSource final : public App {
 public:
  using Spec = SeqSourceSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  SeqSource(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec) {}
  void pull() override {
    for (std::uint32_t i = 0; i < spec_.per_pull && spec_.remaining > 0; ++i) {
      Packet* p = pool().try_allocate();
      if (p == nullptr) return;
      std::memset(p->data, 0, spec_.size);
      const std::uint64_t seq = sent_at.size();
      std::memcpy(p->data + 14, &seq, sizeof seq);
      p->length = spec_.size;
      sent_at.push_back(now());
      --spec_.remaining;
      output()->transmit(p);
    }
  }
  // More frames to send (keeps what was sent).
  void add(std::uint64_t n) { spec_.remaining += n; }
  std::vector<Time> sent_at;

 private:
  Spec spec_;
};

struct RecorderSpec {
  bool operator==(const RecorderSpec&) const = default;
};

class Recorder final : public App {
 public:
  using Spec = RecorderSpec;
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {}); }
  Recorder(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override {
    while (!input()->empty()) {
      Packet* p = input()->receive();
      seqs.push_back(seq_of(*p));
      times.push_back(now());
      bytes += p->length;
      pool().free(p);
    }
  }
  std::vector<std::uint64_t> seqs;
  std::vector<Time> times;
  std::uint64_t bytes = 0;
};

}  // namespace synnet::testing
