// chain — the cost of an app: Source(60 B) -> N pass-through apps (Join with
// one input) -> Sink, for N = 1, 4, 16, 64. Prints ns per packet through the
// whole chain and per app. Per-app cost, not per-breath overhead, should
// dominate: ns/packet/app at 64 apps within 1.5x of that at 4 apps.
//
//   bench_chain [--packets N]   packets per chain length (default 20e6)
// Last line: "chain: <ns> ns/packet/app at 64 apps (<ns> at 4)".
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include "engine/apps/basic/join.hpp"
#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/engine.hpp"
#include "tests/bench/bench_util.hpp"

using namespace synnet;

namespace {

// Returns ns per packet through a chain of n pass-through apps.
double ns_per_packet(int n, std::uint64_t npackets) {
  Engine engine;
  Config c;
  c.app<Source>("source", {.sizes_bytes = {60}});
  c.app<Sink>("sink");
  std::string prev = "source.output";
  for (int i = 0; i < n; ++i) {
    const std::string name = "app" + std::to_string(i);
    c.app<Join>(name);
    c.link(prev + " -> " + name + ".input");
    prev = name + ".output";
  }
  c.link(prev + " -> sink.input");
  engine.configure(c);
  const Link* last = engine.link(prev + " -> sink.input");
  const auto t0 = std::chrono::steady_clock::now();
  engine.run({.until = [&] { return last->counters().rxpackets >= npackets; }, .busy_poll = true});
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  return ns / static_cast<double>(last->counters().rxpackets);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t npackets = 20'000'000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--packets") == 0 && i + 1 < argc) {
      npackets = bench::parse_count(argv[++i]);
    } else {
      std::cerr << "usage: " << argv[0] << " [--packets N]\n";
      return 2;
    }
  }
  std::map<int, double> per_app;
  std::cout << "apps  ns/packet  ns/packet/app\n";
  for (int n : {1, 4, 16, 64}) {
    // Longer chains cost more per packet: send fewer packets so each run takes similar time.
    const double total =
        ns_per_packet(n, std::max<std::uint64_t>(npackets * 4 / static_cast<std::uint64_t>(n + 3), 1'000'000));
    per_app[n] = total / n;
    std::cout << (n < 10 ? "   " : "  ") << n << "  " << bench::fmt_fixed(total, 2) << "      "
              << bench::fmt_fixed(per_app[n], 3) << "\n";
  }
  const double ratio = per_app[64] / per_app[4];
  std::cout << "ratio at 64 apps vs 4 apps: " << bench::fmt_fixed(ratio, 2) << "x (target: within 1.5x)\n";
  std::cout << "chain: " << bench::fmt_fixed(per_app[64], 2) << " ns/packet/app at 64 apps ("
            << bench::fmt_fixed(per_app[4], 2) << " at 4)" << std::endl;
  return 0;
}
