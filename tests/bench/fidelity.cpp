// fidelity — do the impairments do exactly what they say? In-engine, on the
// real clock, with a paced source and a timestamping sink:
//   delay: 50 ms configured, a source paced at 10 kpps: |measured - 50 ms| p50, p99, max
//   rate:  1 Mbit/s, 10 Mbit/s, 100 Mbit/s, 1 Gbit/s, offered 1.5x: the error of
//          every 1-second window after the first
//   loss:  0.1%, 1%, 10% over 1,000,000 packets: inside the 99.9% binomial interval?
//
//   bench_fidelity [--seconds S]   (rate windows per rate; default 3)
// Last line: "fidelity: delay p99 err <us> us, rate err max <pct>%, loss in-interval <k>/<n>".
#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/impair/latency.hpp"
#include "engine/apps/impair/loss.hpp"
#include "engine/apps/impair/rate.hpp"
#include "engine/engine.hpp"
#include "tests/bench/bench_util.hpp"
#include "tests/engine/apps/impair/impair_testing.hpp"

using namespace synnet;
using namespace std::chrono_literals;

namespace {

struct PacedSourceSpec {
  std::uint32_t size = 100;
  double pps = 1000;
  bool operator==(const PacedSourceSpec&) const = default;
};

// Sends frames at `pps` on the engine's clock (a sequence number in each, as
// testing::SeqSource does), asking the engine to wake for the next one.
class PacedSource final : public App {
 public:
  using Spec = PacedSourceSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  PacedSource(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec), start_(ctx.now()) {}
  void pull() override {
    const double elapsed_s = std::chrono::duration<double>(now() - start_).count();
    const auto due = static_cast<std::uint64_t>(elapsed_s * spec_.pps) + 1;
    while (sent_at.size() < due && !output()->full()) {
      Packet* p = pool().try_allocate();
      if (p == nullptr) break;
      std::memset(p->data, 0, spec_.size);
      const std::uint64_t seq = sent_at.size();
      std::memcpy(p->data + 14, &seq, sizeof seq);
      p->length = spec_.size;
      sent_at.push_back(now());
      output()->transmit(p);
    }
    ctx().wake_at(start_ + Duration{static_cast<std::int64_t>(static_cast<double>(sent_at.size()) / spec_.pps * 1e9)});
  }
  std::vector<Time> sent_at;

 private:
  Spec spec_;
  Time start_;
};

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = static_cast<int>(bench::parse_count(argv[++i]));
    } else {
      std::cerr << "usage: " << argv[0] << " [--seconds S]\n";
      return 2;
    }
  }

  // Delay.
  double delay_p99_us;
  {
    Engine engine({.packets = 4096, .seed = 1, .clock = nullptr, .log = nullptr});
    Config c;
    c.app<PacedSource>("src", {.size = 100, .pps = 10'000}).app<Latency>("lat", {.delay_us = 50'000});
    c.app<testing::Recorder>("rec");
    c.link("src.output -> lat.input").link("lat.output -> rec.input");
    engine.configure(c);
    engine.run({.duration = 2s});
    const auto& src = *engine.app_as<PacedSource>("src");
    const auto& rec = *engine.app_as<testing::Recorder>("rec");
    std::vector<double> err_us;
    for (std::size_t i = 0; i < rec.seqs.size(); ++i) {
      const Duration d = rec.times[i] - src.sent_at[rec.seqs[i]];
      err_us.push_back(std::abs(std::chrono::duration<double, std::micro>(d - 50ms).count()));
    }
    delay_p99_us = percentile(err_us, 0.99);
    std::cout << "delay 50 ms, " << err_us.size() << " frames at 10 kpps: |error| p50 "
              << bench::fmt_fixed(percentile(err_us, 0.5), 1) << " us, p99 " << bench::fmt_fixed(delay_p99_us, 1)
              << " us, max " << bench::fmt_fixed(*std::max_element(err_us.begin(), err_us.end()), 1) << " us\n";
  }

  // Rate.
  double rate_err_max = 0;
  for (const std::uint64_t rate : {1'000'000ULL, 10'000'000ULL, 100'000'000ULL, 1'000'000'000ULL}) {
    const std::uint32_t size = 1250;  // 10,000 bits
    Engine engine({.packets = 65536, .seed = 1, .clock = nullptr, .log = nullptr});
    Config c;
    c.app<PacedSource>("src", {.size = size, .pps = 1.5 * static_cast<double>(rate) / (size * 8)});
    c.app<Rate>("rate", {.rate_bps = rate}).app<testing::Recorder>("rec");
    c.link("src.output -> rate.input").link("rate.output -> rec.input");
    engine.configure(c);
    engine.run({.duration = std::chrono::seconds(seconds + 1)});
    const auto& rec = *engine.app_as<testing::Recorder>("rec");
    const Time start = engine.app_as<PacedSource>("src")->sent_at.front();
    std::vector<double> bits(static_cast<std::size_t>(seconds + 1), 0);
    for (const Time t : rec.times) {
      const auto w = static_cast<std::size_t>((t - start) / 1s);
      if (w < bits.size()) bits[w] += size * 8;
    }
    std::cout << "rate " << bench::fmt_fixed(static_cast<double>(rate) / 1e6, 0) << " Mbit/s, offered 1.5x: windows";
    for (std::size_t w = 1; w < bits.size(); ++w) {  // after the first second
      const double err = 100 * std::abs(bits[w] - static_cast<double>(rate)) / static_cast<double>(rate);
      rate_err_max = std::max(rate_err_max, err);
      std::cout << " " << bench::fmt_fixed(err, 3) << "%";
    }
    std::cout << "\n";
  }

  // Loss.
  int in_interval = 0, tested = 0;
  for (const double ratio : {0.001, 0.01, 0.1}) {
    ManualClock clock;
    Engine engine({.packets = 4096, .seed = 1, .clock = &clock, .log = nullptr});
    Config c;
    c.app<Source>("src", {.sizes_bytes = {64}, .burst_packets = 1000})
        .app<Loss>("loss", {.ratio = ratio})
        .app<Sink>("sink");
    c.link("src.output -> loss.input").link("loss.output -> sink.input");
    engine.configure(c);
    for (int i = 0; i < 1000; ++i) engine.breathe();
    const auto k = engine.counters();
    const double n = static_cast<double>(k.link("src.output -> loss.input").rxpackets);
    const double lost = static_cast<double>(k.at("loss", "dropped_loss"));
    const double half = 3.29 * std::sqrt(n * ratio * (1 - ratio));
    const bool ok = std::abs(lost - n * ratio) <= half;
    in_interval += ok;
    ++tested;
    std::cout << "loss " << ratio * 100 << "%: " << lost << " of " << n << " (99.9% interval "
              << bench::fmt_fixed(n * ratio - half, 0) << ".." << bench::fmt_fixed(n * ratio + half, 0) << ") "
              << (ok ? "inside" : "OUTSIDE") << "\n";
  }

  std::cout << "fidelity: delay p99 err " << bench::fmt_fixed(delay_p99_us, 1) << " us, rate err max "
            << bench::fmt_fixed(rate_err_max, 3) << "%, loss in-interval " << in_interval << "/" << tested << std::endl;
  return 0;
}
