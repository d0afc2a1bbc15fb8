// test_apps.hpp — small apps that exist only for the engine's tests.
//
//   Hold     — keeps every packet it receives until told to release it; reconfigurable
//              (a stand-in for apps with queued state, such as a delay line)
//   Stall    — never reads its input, so packets stay queued on its input link
//   Leaky    — takes packets and never frees them (to exercise leak detection)
//   FdWaiter — watches an fd and counts how often its pull() saw it readable
//   Alarm    — asks for a wake-up (wake_at) and records when it came
//   Burst    — sends a packet every breath for a while after its first pull, then none
//   SendOnce — puts the frames of its spec on its output once, then nothing
//   GiveUp   — fails the run from pull(), as an I/O app that lost its interface
//   Failing  — its constructor throws (to exercise configure's rollback)
//   DropTraced — drops a packet its tracer follows in every pull; frees one more in stop()
//   RecordingTracer — a PacketTracer that records the fates it is told
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/app.hpp"

namespace synnet::testing {

struct HoldSpec {
  std::uint32_t release = 0;  // packets to release per pull
  std::string tag{};          // anything, to make specs differ
  bool operator==(const HoldSpec&) const = default;
};

class Hold final : public App {
 public:
  using Spec = HoldSpec;
  Hold(AppContext& ctx, const Spec& spec) : App(ctx), release_(spec.release) { ++instances; }
  void push() override {
    while (!input()->empty()) queue_.push_back(input()->receive());
  }
  void pull() override {
    for (std::uint32_t i = 0; i < release_ && !queue_.empty() && output() != nullptr; ++i) {
      output()->transmit(queue_.front());
      queue_.pop_front();
    }
  }
  void stop() override {
    for (Packet* p : queue_) pool().free(p);
    queue_.clear();
  }
  void reconfigure(const Spec& spec) {
    release_ = spec.release;
    ++reconfigures;
  }
  std::size_t queued() const { return queue_.size(); }
  void counters(const CounterVisitor& emit) const override { emit.gauge("queued", queue_.size()); }

  int reconfigures = 0;
  static inline int instances = 0;

 private:
  std::deque<Packet*> queue_;
  std::uint32_t release_;
};

struct StallSpec {
  bool operator==(const StallSpec&) const = default;
};

// Never reads its input: packets stay queued on the link.
class Stall final : public App {
 public:
  using Spec = StallSpec;
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {}); }
  Stall(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override {}
};

struct LeakySpec {
  bool operator==(const LeakySpec&) const = default;
};

class Leaky final : public App {
 public:
  using Spec = LeakySpec;
  static Ports ports(const Spec&) { return Ports::fixed({"input"}, {}); }
  Leaky(AppContext& ctx, const Spec&) : App(ctx) {}
  void push() override {
    while (!input()->empty()) input()->receive();  // forgets the packet
  }
};

struct FdWaiterSpec {
  int fd = -1;
  bool operator==(const FdWaiterSpec&) const = default;
};

class FdWaiter final : public App {
 public:
  using Spec = FdWaiterSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {}); }
  FdWaiter(AppContext& ctx, const Spec& spec) : App(ctx), fd_(spec.fd) { ctx.watch_fd(fd_); }
  void pull() override {
    std::uint64_t n;
    if (::read(fd_, &n, sizeof n) == sizeof n) {
      ++events;
      seen_at = now();
    }
  }
  int events = 0;
  Time seen_at{0};

 private:
  int fd_;
};

struct AlarmSpec {
  Duration after{0};
  bool operator==(const AlarmSpec&) const = default;
};

// Asks the engine (wake_at) to run it `after` its first pull; records when that happened.
class Alarm final : public App {
 public:
  using Spec = AlarmSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {}); }
  Alarm(AppContext& ctx, const Spec& spec) : App(ctx), after_(spec.after) {}
  void pull() override {
    if (due == kNever) due = now() + after_;
    if (fired_at != Time{0}) return;
    if (now() >= due) {
      fired_at = now();
    } else {
      ctx().wake_at(due);
    }
  }
  Time due = kNever;
  Time fired_at{0};

 private:
  Duration after_;
};

struct SendOnceSpec {
  std::vector<std::vector<std::uint8_t>> frames;
  bool operator==(const SendOnceSpec&) const = default;
};

// Puts the frames of its spec on "output" once, as the link takes them, then
// nothing: traffic that stops, so a frame an I/O app leaves behind shows.
class SendOnce final : public App {
 public:
  using Spec = SendOnceSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  SendOnce(AppContext& ctx, const Spec& spec) : App(ctx), frames_(spec.frames) {}
  void pull() override {
    for (; next_ < frames_.size() && output()->room() > 0; ++next_) {
      Packet* p = pool().allocate();
      std::copy(frames_[next_].begin(), frames_[next_].end(), p->data);
      p->length = static_cast<std::uint32_t>(frames_[next_].size());
      output()->transmit(p);
    }
  }

 private:
  std::vector<std::vector<std::uint8_t>> frames_;
  std::size_t next_ = 0;
};

// Records the fate of every freed packet it is told of, in order.
class RecordingTracer final : public PacketTracer {
 public:
  void freed(const Packet& p) noexcept override { fates.push_back(p.trace.fate); }
  void noted(const Packet&, TraceNote, std::uint32_t) noexcept override {}
  void copied(const Packet&) noexcept override {}
  std::vector<TraceFate> fates;
};

struct DropTracedSpec {
  PacketTracer* tracer = nullptr;
  bool operator==(const DropTracedSpec&) const = default;
};

// In every pull, a packet `tracer` follows, dropped as lost; from its start,
// one more, followed too, which stop() frees with no fate given.
class DropTraced final : public App {
 public:
  using Spec = DropTracedSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {}); }
  DropTraced(AppContext& ctx, const Spec& spec) : App(ctx), tracer_(spec.tracer), held_(traced()) {}
  void pull() override {
    Packet* p = traced();
    trace_drop(*p, TraceFate::loss);
    pool().free(p);
  }
  void stop() override { pool().free(held_); }

 private:
  Packet* traced() {
    Packet* p = pool().allocate();
    p->trace = PacketTrace{.tracer = tracer_, .id = next_id_++};
    return p;
  }
  PacketTracer* tracer_;
  std::uint64_t next_id_ = 0;
  Packet* held_;
};

struct BurstSpec {
  Duration lasts{0};
  bool operator==(const BurstSpec&) const = default;
};

// Keeps the engine busy (one packet on "output" per breath) for `lasts`, then goes quiet.
class Burst final : public App {
 public:
  using Spec = BurstSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  Burst(AppContext& ctx, const Spec& spec) : App(ctx), lasts_(spec.lasts) {}
  void pull() override {
    if (ends == kNever) ends = now() + lasts_;
    if (now() >= ends) return;
    if (Packet* p = pool().try_allocate()) {
      p->length = 60;
      output()->transmit(p);
    }
  }
  Time ends = kNever;

 private:
  Duration lasts_;
};

struct GiveUpSpec {
  int after_pulls = 1;
  bool operator==(const GiveUpSpec&) const = default;
};

// Calls ctx().fail() on its n-th pull, as an I/O app whose interface vanished.
class GiveUp final : public App {
 public:
  using Spec = GiveUpSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {}); }
  GiveUp(AppContext& ctx, const Spec& spec) : App(ctx), left_(spec.after_pulls) {}
  void pull() override {
    if (--left_ == 0) ctx().fail("interface \"nope0\" was deleted");
  }

 private:
  int left_;
};

struct FailingSpec {
  bool operator==(const FailingSpec&) const = default;
};

class Failing final : public App {
 public:
  using Spec = FailingSpec;
  Failing(AppContext& ctx, const Spec&) : App(ctx) { throw std::runtime_error("cannot open interface \"nope0\""); }
};

}  // namespace synnet::testing
