// soak — does the engine hold up under sustained overload? In-engine, on the
// real clock: a paced source offers twice the shaper's rate, in frames that
// cycle through the given sizes, to the chain a run builds
// (add_impairment_chain):
//   src -> soak_loss (1%) -> soak_rate (shaper, its default queue) -> soak_latency (20 ms) -> sink
// for S seconds; then the source stops and the chain drains (every packet out
// of the pool again). Checked:
//   conservation, exactly, every second and at the end: for every app, the
//     packets in (its input link's rx; the source: what it sent) = out (its
//     output link's tx + txdrop) + its drop counters + what it holds (its
//     queued / queued_packets gauge), and its own "forwarded" = out where it
//     has one; for every link, tx = rx + what its ring holds; end to end,
//     what the source made = what the sink got + every drop + what is held
//     and on rings, and that is what the pool has out
//   memory: resident set (VmRSS) at 10 s (or S/2 when S < 20), its largest
//     value after that and at the end, split into the packet pool's mapping
//     (/proc/self/smaps) and the rest. The rest may grow by at most 1 MiB. The
//     pool's pages become resident when a packet on them is first used (LIFO
//     freelist), so its part grows with the peak of packets in flight (a new
//     peak touches packets never used before): it must stay within two pages
//     per packet of that peak (a frame of <= 1514 bytes spans at most two)
//   file descriptors (/proc/self/fd): the same at 10 s and at the end
//
//   bench_soak [--seconds S] [--rate R] [--sizes B,B,...] [--loss F] [--delay-ms D]
//     S: default 60; R: the shaper's rate in bit/s (default 100e6; offered 2R);
//     sizes: frame bytes, cycled (default 64,576,1000,1514); F: loss ratio
//     (default 0.01); D: the latency (default 20)
// A progress line every second (every 10 s when S > 120): elapsed, packets
// in/out, drops by reason, held, RSS, fds. Exits 1 when an identity is off by
// even one packet, RSS grew beyond the bound or fds changed.
// Last line: "soak: <S> s, <N> packets, conservation exact on <k> apps and <m>
// links, RSS <a> -> <b> MiB after 10 s (+<x>), fds <c> -> <d>".
#include <unistd.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/impair/chain.hpp"
#include "engine/engine.hpp"
#include "tests/bench/bench_util.hpp"

using namespace synnet;
using namespace std::chrono_literals;

namespace {

constexpr double kRssBoundMiB = 1.0;  // the most RSS outside the packet pool may grow after the baseline

struct PacedSourceSpec {
  std::vector<std::uint32_t> sizes{1000};  // frame bytes, cycled
  double bytes_per_s = 1e6;
  bool operator==(const PacedSourceSpec&) const = default;
};

// Sends frames of the given sizes, in turn, at bytes_per_s on the engine's
// clock until stop_sending(); falls behind (and catches up later) when its
// link is full or the pool is empty, never drops. Counts what it sent.
class PacedSource final : public App {
 public:
  using Spec = PacedSourceSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  PacedSource(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec), start_(ctx.now()) {}
  void pull() override {
    if (stopped_) return;
    const double due = std::chrono::duration<double>(now() - start_).count() * spec_.bytes_per_s;
    Link* out = output();
    while (static_cast<double>(bytes_) < due && !out->full()) {
      Packet* p = pool().try_allocate();
      if (p == nullptr) {
        ++alloc_failed_;
        break;
      }
      const std::uint32_t size = spec_.sizes[sent_ % spec_.sizes.size()];
      std::memset(p->data, 0, size);
      std::memcpy(p->data + 14, &sent_, sizeof sent_);
      p->length = size;
      out->transmit(p);
      ++sent_;
      bytes_ += size;
    }
    ctx().wake_at(start_ + Duration{static_cast<std::int64_t>(static_cast<double>(bytes_) / spec_.bytes_per_s * 1e9)});
  }
  void counters(const CounterVisitor& emit) const override {
    emit.packets("sent", sent_);
    emit.bytes("sent_bytes", bytes_);
    emit.error("alloc_failed", alloc_failed_);
  }
  void stop_sending() noexcept { stopped_ = true; }

 private:
  Spec spec_;
  Time start_;
  bool stopped_ = false;
  std::uint64_t sent_ = 0, bytes_ = 0, alloc_failed_ = 0;
};

double rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // "VmRSS:   5120 kB"
  }
  return 0;
}

// The resident part of the mapping that holds `address` (the packet pool's),
// from /proc/self/smaps. The pool maps all its packets at once and a page
// becomes resident when a packet on it is first used.
double mapping_rss_mib(std::uintptr_t address) {
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    std::uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream header(line);
    if (header >> std::hex >> from >> dash >> to && dash == '-') {
      inside = address >= from && address < to;
    } else if (inside && line.rfind("Rss:", 0) == 0) {
      return std::stod(line.substr(4)) / 1024.0;
    }
  }
  return 0;
}

int open_fds() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n - 1;  // less the one the iterator holds open
}

std::vector<std::uint32_t> parse_sizes(const std::string& text) {
  std::vector<std::uint32_t> sizes;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const std::uint64_t b = bench::parse_count(item);
    if (b < 60 || b > 9000) throw std::invalid_argument("a frame size of " + item + " bytes (60..9000)");
    sizes.push_back(static_cast<std::uint32_t>(b));
  }
  if (sizes.empty()) throw std::invalid_argument("no frame sizes");
  return sizes;
}

// One snapshot of the identities. Reads the counters and the rings between
// breaths (from a timer or after run()), so every figure is of the same moment.
struct Check {
  int apps = 0, links = 0;
  std::vector<std::string> lines;                                     // one per identity, with its numbers
  std::vector<std::string> broken;                                    // the identities that do not hold
  std::uint64_t made = 0, delivered = 0, held = 0, shaped_bytes = 0;  // shaped: what left the rate
  std::map<std::string, std::uint64_t> drops;                         // by reason, links' txdrop as queue_full
};

Check check(Engine& engine, const std::vector<std::string>& chain) {
  Check c;
  const EngineCounters k = engine.counters();
  const auto link_to = [&](const std::string& app) {
    for (const auto& [spec, counters] : k.links)
      if (spec.to_app == app) return spec;
    throw std::logic_error("no link into " + app);
  };
  const auto link_from = [&](const std::string& app) {
    for (const auto& [spec, counters] : k.links)
      if (spec.from_app == app) return spec;
    throw std::logic_error("no link out of " + app);
  };
  const auto verdict = [&c](bool ok, const std::string& what) {
    c.lines.push_back(std::string(ok ? "  ok     " : "  BROKEN ") + what);
    if (!ok) c.broken.push_back(what);
  };

  // Links: tx = rx + the ring.
  std::uint64_t on_rings = 0, txdrops = 0;
  for (const auto& [spec, counters] : k.links) {
    const std::uint64_t ring = engine.link(spec.str())->size();
    on_rings += ring;
    txdrops += counters.txdrop;
    c.drops["queue_full"] += counters.txdrop;
    verdict(counters.txpackets == counters.rxpackets + ring,
            "link " + spec.str() + ": tx " + std::to_string(counters.txpackets) + " = rx " +
                std::to_string(counters.rxpackets) + " + on the ring " + std::to_string(ring) + " (txdrop " +
                std::to_string(counters.txdrop) + ")");
    ++c.links;
  }

  // The source: sent = its link's tx + txdrop.
  {
    const LinkCounters& out = k.links.at(link_from("src"));
    c.made = k.at("src", "sent");
    verdict(c.made == out.txpackets + out.txdrop, "app src: sent " + std::to_string(c.made) + " = out " +
                                                      std::to_string(out.txpackets) + " + txdrop " +
                                                      std::to_string(out.txdrop));
    ++c.apps;
  }

  // The chain's apps: in = out + drops + held.
  std::uint64_t app_drops = 0;
  for (const std::string& app : chain) {
    const std::uint64_t in = k.links.at(link_to(app)).rxpackets;
    const LinkCounters& o = k.links.at(link_from(app));
    const std::uint64_t out = o.txpackets + o.txdrop;
    std::uint64_t drops = 0, held = 0;
    std::string drop_text, held_text;
    std::optional<std::uint64_t> forwarded;
    for (const Counter& x : k.apps) {
      if (x.app != app) continue;
      if (x.is_drop()) {
        drops += x.value;
        c.drops[to_string(x.reason)] += x.value;
        if (x.value != 0) drop_text += " + " + x.name + " " + std::to_string(x.value);
      } else if (x.kind == CounterKind::gauge && x.name.rfind("queued", 0) == 0 && !x.name.ends_with("_bytes")) {
        held += x.value;
        held_text += " + " + x.name + " " + std::to_string(x.value);
      } else if (x.name == "forwarded") {
        forwarded = x.value;
      }
    }
    app_drops += drops;
    c.held += held;
    verdict(in == out + drops + held,
            "app " + app + ": in " + std::to_string(in) + " = out " + std::to_string(out) + drop_text + held_text);
    if (forwarded) {
      verdict(*forwarded == out, "app " + app + ": forwarded " + std::to_string(*forwarded) + " = out " +
                                     std::to_string(out) + " (its link's tx + txdrop)");
    }
    ++c.apps;
  }

  // End to end, and the pool.
  c.delivered = k.links.at(link_to("sink")).rxpackets;
  c.shaped_bytes = k.links.at(link_from("soak_rate")).txbytes;
  verdict(c.made == c.delivered + app_drops + txdrops + c.held + on_rings,
          "end to end: made " + std::to_string(c.made) + " = delivered " + std::to_string(c.delivered) +
              " + dropped in apps " + std::to_string(app_drops) + " + txdrop " + std::to_string(txdrops) + " + held " +
              std::to_string(c.held) + " + on rings " + std::to_string(on_rings));
  const std::size_t in_use = engine.pool().in_use();
  verdict(in_use == c.held + on_rings, "pool: in use " + std::to_string(in_use) + " = held " + std::to_string(c.held) +
                                           " + on rings " + std::to_string(on_rings));
  return c;
}

int soak(int argc, char** argv) {
  int seconds = 60;
  std::uint64_t rate_bps = 100'000'000;
  std::vector<std::uint32_t> sizes{64, 576, 1000, 1514};
  double loss = 0.01;
  std::uint64_t delay_ms = 20;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (i + 1 >= argc) throw std::invalid_argument(a + ": no value");
      const std::string v = argv[++i];
      if (a == "--seconds") {
        seconds = static_cast<int>(bench::parse_count(v));
      } else if (a == "--rate") {
        rate_bps = bench::parse_count(v);
      } else if (a == "--sizes") {
        sizes = parse_sizes(v);
      } else if (a == "--loss") {
        loss = std::stod(v);
      } else if (a == "--delay-ms") {
        delay_ms = bench::parse_count(v);
      } else {
        throw std::invalid_argument(a + ": no such option");
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_soak: " << e.what() << "\nusage: " << argv[0]
              << " [--seconds S] [--rate BPS] [--sizes B,B,...] [--loss RATIO] [--delay-ms D]\n";
    return 2;
  }

  double mean_size = 0;
  for (const std::uint32_t s : sizes) mean_size += s;
  mean_size /= static_cast<double>(sizes.size());
  const int baseline_s = seconds >= 20 ? 10 : seconds / 2;
  const int every_s = seconds > 120 ? 10 : 1;

  Engine engine({.packets = 32768, .seed = 1, .clock = nullptr, .log = nullptr});
  Config config;
  config.app<PacedSource>("src", {.sizes = sizes, .bytes_per_s = 2.0 * static_cast<double>(rate_bps) / 8});
  config.app<Sink>("sink");
  ImpairmentSpec impairments;
  impairments.loss = LossSpec{.ratio = loss};
  impairments.rate = RateSpec{.rate_bps = rate_bps};
  impairments.latency = LatencySpec{.delay_us = delay_ms * 1000};
  add_impairment_chain(config, "soak", impairments, "src.output", "sink.input");
  engine.configure(config);
  const std::vector<std::string> chain{"soak_loss", "soak_rate", "soak_latency"};

  std::cout << "soak: " << seconds << " s, src -> loss " << loss * 100 << "% -> rate "
            << bench::fmt_fixed(static_cast<double>(rate_bps) / 1e6, 1) << " Mbit/s (shaper) -> delay " << delay_ms
            << " ms -> sink, offered " << bench::fmt_fixed(2 * static_cast<double>(rate_bps) / 1e6, 1)
            << " Mbit/s in frames of " << bench::fmt_fixed(mean_size, 1) << " bytes on average; RSS "
            << bench::fmt_fixed(rss_mib(), 2) << " MiB, fds " << open_fds() << " before the run" << std::endl;

  int elapsed = 0;
  // Any packet's address is in the pool's mapping.
  Packet* probe = engine.pool().allocate();
  const auto pool_address =
      reinterpret_cast<std::uintptr_t>(probe);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  engine.pool().free(probe);
  std::size_t in_flight_peak = 0, peak_base = 0;
  double rss_base = 0, rss_max_after = 0, pool_base = 0, rest_base = 0, rest_max_after = 0;
  int fds_base = -1;
  std::vector<std::string> first_broken;
  std::uint64_t shaped_before = 0;
  Time shaped_at{0};
  engine.every(1s, [&] {
    ++elapsed;
    if (elapsed > seconds) return;  // draining
    const Check c = check(engine, chain);
    if (first_broken.empty() && !c.broken.empty()) {
      first_broken = c.broken;
      first_broken.insert(first_broken.begin(), "at " + std::to_string(elapsed) + " s:");
    }
    const double rss = rss_mib(), pool_rss = mapping_rss_mib(pool_address);
    const int fds = open_fds();
    if (elapsed == baseline_s) {
      rss_base = rss;
      pool_base = pool_rss;
      rest_base = rss - pool_rss;
      peak_base = in_flight_peak;
      fds_base = fds;
    }
    if (elapsed >= baseline_s) {
      rss_max_after = std::max(rss_max_after, rss);
      rest_max_after = std::max(rest_max_after, rss - pool_rss);
    }
    if (elapsed % every_s != 0 && elapsed != baseline_s) return;
    const double window_s = std::chrono::duration<double>(engine.now() - shaped_at).count();
    const double shaped_mbps =  // the first window's start is not known: from the run's start
        static_cast<double>(c.shaped_bytes - shaped_before) * 8 / (shaped_at == Time{0} ? every_s : window_s) / 1e6;
    shaped_before = c.shaped_bytes;
    shaped_at = engine.now();
    std::ostringstream line;
    line << "t=" << elapsed << " s: in " << c.made << " out " << c.delivered << " (the rate sent "
         << bench::fmt_fixed(shaped_mbps, 2) << " Mbit/s), drops";
    for (const auto& [reason, n] : c.drops) line << " " << reason << " " << n;
    line << ", held " << c.held << ", RSS " << bench::fmt_fixed(rss, 2) << " MiB (the packet pool "
         << bench::fmt_fixed(pool_rss, 2) << ", in flight at most " << in_flight_peak << "), fds " << fds
         << (c.broken.empty() ? ", conservation exact" : ", CONSERVATION BROKEN");
    std::cout << line.str() << std::endl;
  });
  bool stopped = false, drained = false;
  engine.after(std::chrono::seconds(seconds), [&] {
    engine.app_as<PacedSource>("src")->stop_sending();
    stopped = true;
  });

  engine.run({.duration = std::chrono::seconds(seconds + 30), .until = [&] {
                in_flight_peak = std::max(in_flight_peak, engine.pool().in_use());
                drained = stopped && engine.pool().in_use() == 0;
                return drained;
              }});

  const Check end = check(engine, chain);
  const double rss_end = rss_mib(), pool_end = mapping_rss_mib(pool_address);
  const int fds_end = open_fds();
  rss_max_after = std::max(rss_max_after, rss_end);
  rest_max_after = std::max(rest_max_after, rss_end - pool_end);
  const double growth = rss_max_after - rss_base, rest_growth = rest_max_after - rest_base;
  // A frame of at most 1514 bytes touches at most two pages of its packet.
  const double pool_bound = static_cast<double>(in_flight_peak) * 2 * 4096 / (1 << 20);
  std::cout << "after the source stopped and the chain " << (drained ? "drained" : "DID NOT DRAIN") << ":\n";
  for (const std::string& l : end.lines) std::cout << l << "\n";
  std::cout << "drops by reason:";
  for (const auto& [reason, n] : end.drops) std::cout << " " << reason << " " << n;
  std::cout << "\nRSS " << bench::fmt_fixed(rss_base, 2) << " MiB at " << baseline_s << " s, "
            << bench::fmt_fixed(rss_end, 2) << " MiB at the end, at most " << bench::fmt_fixed(rss_max_after, 2)
            << " MiB after " << baseline_s << " s: +" << bench::fmt_fixed(growth, 2) << " MiB (bound "
            << bench::fmt_fixed(kRssBoundMiB, 2) << " outside the pool); fds " << fds_base << " -> " << fds_end
            << "\n  outside the packet pool " << bench::fmt_fixed(rest_base, 2) << " -> at most "
            << bench::fmt_fixed(rest_max_after, 2) << " MiB: +" << bench::fmt_fixed(rest_growth, 2)
            << " MiB\n  the packet pool's resident pages " << bench::fmt_fixed(pool_base, 2) << " -> "
            << bench::fmt_fixed(pool_end, 2) << " MiB, packets in flight at most " << peak_base << " -> "
            << in_flight_peak << " (pages are touched when a packet is first used: the pool grows with the peak, "
            << "at most " << bench::fmt_fixed(pool_bound, 2) << " MiB for it)\n";

  bool ok = drained && end.broken.empty() && first_broken.empty();
  for (const std::string& b : first_broken) std::cout << "conservation broken " << b << "\n";
  if (rest_growth > kRssBoundMiB) {
    std::cout << "RSS outside the packet pool grew by more than " << kRssBoundMiB << " MiB after " << baseline_s
              << " s\n";
    ok = false;
  }
  if (pool_end > pool_bound) {
    std::cout << "the packet pool holds more resident pages than its in-flight peak explains\n";
    ok = false;
  }
  if (fds_end != fds_base) {
    std::cout << "the open fds changed after " << baseline_s << " s\n";
    ok = false;
  }
  const std::size_t leaked = engine.shutdown();
  if (leaked != 0) {
    std::cout << "shutdown: " << leaked << " packets still out of the pool\n";
    ok = false;
  }
  std::cout << "soak: " << seconds << " s, " << end.made << " packets, conservation "
            << (end.broken.empty() && first_broken.empty() ? "exact" : "BROKEN") << " on " << end.apps << " apps and "
            << end.links << " links, RSS " << bench::fmt_fixed(rss_base, 2) << " -> " << bench::fmt_fixed(rss_end, 2)
            << " MiB after " << baseline_s << " s (+" << bench::fmt_fixed(growth, 2) << "), fds " << fds_base << " -> "
            << fds_end << " (outside the packet pool +" << bench::fmt_fixed(rest_growth, 2) << " MiB; the pool +"
            << bench::fmt_fixed(pool_end - pool_base, 2) << " MiB, in-flight peak " << peak_base << " -> "
            << in_flight_peak << ")" << (ok ? "" : " — FAILED") << std::endl;
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return soak(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_soak: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "bench_soak: an unknown exception\n");
  }
  return 1;
}
