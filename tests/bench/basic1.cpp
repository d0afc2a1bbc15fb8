// basic1 — the Snabb/Rush basic1 benchmark: Source(60 B) -> Tee -> Sink, with
// both Tee outputs linked into the Sink. Counts packets on the Source output.
//
//   bench_basic1 [--packets N] [--report]
//     --packets N  packets to send from the Source (default 100e6)
//     --report     print the load and link reports every second (Rush style)
// Last line: "basic1: <Mpps> Mpps (<N> packets in <s> s)".
#include <chrono>
#include <cstring>
#include <iostream>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/basic/tee.hpp"
#include "engine/engine.hpp"
#include "tests/bench/bench_util.hpp"

using namespace synnet;

int main(int argc, char** argv) {
  std::uint64_t npackets = 100'000'000;
  bool report = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--packets") == 0 && i + 1 < argc) {
      npackets = bench::parse_count(argv[++i]);
    } else if (std::strcmp(argv[i], "--report") == 0) {
      report = true;
    } else {
      std::cerr << "usage: " << argv[0] << " [--packets N] [--report]\n";
      return 2;
    }
  }

  Engine engine;
  Config c;
  c.app<Source>("source", {.sizes_bytes = {60}});
  c.app<Tee>("tee");
  c.app<Sink>("sink");
  c.link("source.output -> tee.input");
  c.link("tee.output1 -> sink.input1");
  c.link("tee.output2 -> sink.input2");
  engine.configure(c);
  const Link* counted = engine.link("source.output -> tee.input");

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
  std::cout << "basic1: " << bench::fmt_fixed(mpps, 1) << " Mpps (" << sent << " packets in "
            << bench::fmt_fixed(seconds, 2) << " s)" << std::endl;
  return 0;
}
