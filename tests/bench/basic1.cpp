// basic1 — the Snabb/Rush basic1 benchmark: Source(60 B) -> Tee -> Sink, with
// both Tee outputs linked into the Sink. Counts packets on the Source output.
//
//   bench_basic1 [--packets N] [--report] [--series-rounds R] [--series-seconds S]
//     --packets N  packets to send from the Source (default 100e6)
//     --report     print the load and link reports every second (Rush style)
// Then what a run's series costs the engine: the same engine on a thread of
// its own (an EngineGroup of one, as a run has), S seconds (default 2, after
// 0.3 s of warm-up) with nothing reading it and S seconds with a thread
// reading EngineGroup::counters() every 100 ms, as LiveNetwork's sampler
// does (each read runs on the engine's thread, between breaths); R rounds
// (default 3), each measuring both, and the median of the rounds' ratios.
// Last line: "basic1: <Mpps> Mpps (<N> packets in <s> s; series sampling <r>x: <Mpps> vs <Mpps> Mpps)".
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/basic/tee.hpp"
#include "engine/engine.hpp"
#include "engine/engine_group.hpp"
#include "tests/bench/bench_util.hpp"

using namespace synnet;
using namespace std::chrono_literals;

namespace {

constexpr const char* kCounted = "source.output -> tee.input";

Config basic1() {
  Config c;
  c.app<Source>("source", {.sizes_bytes = {60}});
  c.app<Tee>("tee");
  c.app<Sink>("sink");
  c.link(kCounted);
  c.link("tee.output1 -> sink.input1");
  c.link("tee.output2 -> sink.input2");
  return c;
}

// Mpps through kCounted with the engine on its own thread for `seconds`,
// with or without a sampler reading its counters every 100 ms.
double group_mpps(double seconds, bool sampling) {
  EngineGroup group(1, 1);
  group.configure({basic1()});
  group.start({RunOptions{.busy_poll = true}});
  std::atomic<bool> stop{false};
  std::uint64_t samples = 0;
  std::thread sampler;
  if (sampling) {
    sampler = std::thread([&] {
      auto next = std::chrono::steady_clock::now();
      while (!stop.load()) {
        next += 100ms;
        std::this_thread::sleep_until(next);
        (void)group.counters();
        ++samples;
      }
    });
  }
  std::this_thread::sleep_for(300ms);
  const std::uint64_t before = group.counters().link(kCounted).txpackets;
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const std::uint64_t after = group.counters().link(kCounted).txpackets;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stop = true;
  if (sampler.joinable()) sampler.join();
  group.stop();
  if (const std::string why = group.failure(); !why.empty()) throw std::runtime_error("the engine failed: " + why);
  if (sampling && samples == 0) throw std::runtime_error("the sampler never read the counters");
  return static_cast<double>(after - before) / s / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t npackets = 100'000'000;
  bool report = false;
  std::uint64_t rounds = 3;
  double series_seconds = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--packets") == 0 && i + 1 < argc) {
      npackets = bench::parse_count(argv[++i]);
    } else if (std::strcmp(argv[i], "--report") == 0) {
      report = true;
    } else if (std::strcmp(argv[i], "--series-rounds") == 0 && i + 1 < argc) {
      rounds = bench::parse_count(argv[++i]);
    } else if (std::strcmp(argv[i], "--series-seconds") == 0 && i + 1 < argc) {
      series_seconds = static_cast<double>(bench::parse_count(argv[++i]));
    } else {
      std::cerr << "usage: " << argv[0] << " [--packets N] [--report] [--series-rounds R] [--series-seconds S]\n";
      return 2;
    }
  }

  Engine engine;
  engine.configure(basic1());
  const Link* counted = engine.link(kCounted);

  const auto t0 = std::chrono::steady_clock::now();
  engine.run({.until = [&] { return counted->counters().txpackets >= npackets; },
              .busy_poll = true,
              .report_load = report,
              .report_links = report});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::uint64_t sent = counted->counters().txpackets;
  if (report) {
    engine.report_load(std::cout);
    engine.report_links(std::cout);
    engine.report_apps(std::cout);
  }
  const double mpps = static_cast<double>(sent) / seconds / 1e6;
  std::cout << "Processed " << bench::fmt_fixed(static_cast<double>(sent) / 1e6, 1) << " million packets in "
            << bench::fmt_fixed(seconds, 2) << " seconds (rate: " << bench::fmt_fixed(mpps, 1) << " Mpps).\n";

  std::vector<double> off, on, ratios;
  for (std::uint64_t r = 0; r < rounds; ++r) {
    off.push_back(group_mpps(series_seconds, false));
    on.push_back(group_mpps(series_seconds, true));
    ratios.push_back(on.back() / off.back());
    std::cout << "  round " << r + 1 << ": series off " << bench::fmt_fixed(off.back(), 1) << " Mpps, on "
              << bench::fmt_fixed(on.back(), 1) << " Mpps = " << bench::fmt_fixed(ratios.back(), 3) << "x\n";
  }
  std::cout << "basic1: " << bench::fmt_fixed(mpps, 1) << " Mpps (" << sent << " packets in "
            << bench::fmt_fixed(seconds, 2) << " s; series sampling " << bench::fmt_fixed(median(ratios), 3)
            << "x: " << bench::fmt_fixed(median(on), 1) << " vs " << bench::fmt_fixed(median(off), 1) << " Mpps)"
            << std::endl;
  return 0;
}
