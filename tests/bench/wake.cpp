// wake — how fast an idle (blocked) engine reacts to a watched fd becoming
// readable. Another thread writes an eventfd at random 1–5 ms intervals; an
// app that watches the fd records when its pull() saw the event. The engine
// runs in its default (blocking) mode.
//
//   bench_wake [--samples N]   wakeups to measure (default 1000)
// Last line: "wake: <us> us median (p99 <us> us, max <us> us, <N> wakeups)".
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <iostream>
#include <random>
#include <thread>
#include <vector>

#include "engine/engine.hpp"
#include "engine/sys/fd.hpp"
#include "tests/bench/bench_util.hpp"

using namespace synnet;

namespace {

struct EventWatcherSpec {
  int fd = -1;
  bool operator==(const EventWatcherSpec&) const = default;
};

// Reads the eventfd; the value written is the writer's timestamp (ns), so the
// latency is this breath's now() minus it.
class EventWatcher final : public App {
 public:
  using Spec = EventWatcherSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {}); }
  EventWatcher(AppContext& ctx, const Spec& spec) : App(ctx), fd_(spec.fd) { ctx.watch_fd(fd_); }
  void pull() override {
    std::uint64_t sent_ns;
    if (::read(fd_, &sent_ns, sizeof sent_ns) == sizeof sent_ns) {
      latencies_ns.push_back(static_cast<double>(now().count() - static_cast<std::int64_t>(sent_ns)));
    }
  }
  std::vector<double> latencies_ns;

 private:
  int fd_;
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t samples = 1000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--samples") == 0 && i + 1 < argc) {
      samples = bench::parse_count(argv[++i]);
    } else {
      std::cerr << "usage: " << argv[0] << " [--samples N]\n";
      return 2;
    }
  }
  Fd event(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  Engine engine;
  Config c;
  c.app<EventWatcher>("watcher", {.fd = event.get()});
  engine.configure(c);
  auto* watcher = engine.app_as<EventWatcher>("watcher");

  std::thread writer([&] {
    MonotonicClock clock;
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> gap_us(1000, 5000);
    for (std::size_t i = 0; i < samples; ++i) {
      std::this_thread::sleep_for(std::chrono::microseconds(gap_us(rng)));
      const auto t = static_cast<std::uint64_t>(clock.now().count());
      if (::write(event.get(), &t, sizeof t) != sizeof t) break;
    }
  });
  engine.run({.duration = std::chrono::seconds(60), .until = [&] { return watcher->latencies_ns.size() >= samples; }});
  writer.join();

  std::vector<double> v = watcher->latencies_ns;
  std::sort(v.begin(), v.end());
  const auto pct = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))] / 1000;
  };
  const EngineStats s = engine.stats();
  std::cout << "engine blocked " << bench::fmt_fixed(std::chrono::duration<double>(s.blocked).count(), 2) << " s, "
            << s.wakeups << " wakeups, " << s.breaths << " breaths\n";
  std::cout << "wake: " << bench::fmt_fixed(pct(0.5), 1) << " us median (p99 " << bench::fmt_fixed(pct(0.99), 1)
            << " us, max " << bench::fmt_fixed(v.back() / 1000, 1) << " us, " << v.size() << " wakeups)" << std::endl;
  return 0;
}
