// impair_testing.hpp — apps for testing impairments with a ManualClock.
//
//   SeqSource  — each pull sends `per_pull` frames of `size` bytes carrying a
//                sequence number (bytes 14..21) while `remaining` > 0; remembers
//                each frame's send time (sent_at[seq])
//   Recorder   — takes every frame, records (seq, arrival time), frees it
//   seq_of(p)  — the sequence number in a frame
//   ImpairmentRig<A> — a test fixture: a ManualClock engine running
//                src (SeqSource) -> <name> (an A) -> rec (Recorder)
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/engine.hpp"

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

// Derive a fixture from it: struct LatencyTest : ImpairmentRig<Latency> {
// LatencyTest() : ImpairmentRig("lat") {} };
template <class A>
struct ImpairmentRig : ::testing::Test {
  explicit ImpairmentRig(std::string app_name, std::uint64_t seed = 1, std::size_t packets = 100'000)
      : engine(EngineOptions{.packets = packets, .seed = seed, .clock = &clock, .log = nullptr}),
        name(std::move(app_name)) {}

  void build(typename A::Spec spec, SeqSourceSpec source) {
    Config c;
    c.app<SeqSource>("src", source).template app<A>(name, spec).template app<Recorder>("rec");
    c.link("src.output -> " + name + ".input").link(name + ".output -> rec.input");
    engine.configure(c);
  }
  // Breathes every `step` until `until`.
  void run(Duration step, Time until) {
    while (clock.now() <= until) {
      engine.breathe();
      clock.advance(step);
    }
  }
  SeqSource& src() { return *engine.app_as<SeqSource>("src"); }
  Recorder& rec() { return *engine.app_as<Recorder>("rec"); }
  std::uint64_t counter(const std::string& key) { return engine.counters().at(key); }

  ManualClock clock;
  Engine engine;
  std::string name;
};

}  // namespace synnet::testing
