// fidelity — do the impairments do exactly what they say? In-engine, on the
// real clock, with a paced source and a timestamping sink:
//   delay: 50 ms configured, a source paced at 10 kpps: |measured - 50 ms| p50,
//          p99, max; beside it, how late this machine wakes a thread that sleeps
//          to the same deadlines (clock_nanosleep, measured just before), which
//          bounds what any userspace delay can do
//   rate:  1 Mbit/s, 10 Mbit/s, 100 Mbit/s, 1 Gbit/s, offered 1.5x: the error of
//          every 1-second window after the first
//   trace: a constant 12 Mbit/s trace (one opportunity per ms), a constant
//          1 Gbit/s one (1000 per 12 ms) and a varying one (0..4 per ms, 24 Mbit/s
//          on average), offered 1.5x in 1500-byte IP packets: the bytes of every
//          100 ms and every 1 s window after the first second against what the
//          trace's opportunities in that window carry
//   loss:  0.1%, 1%, 10% over 1,000,000 packets: inside the 99.9% binomial interval?
// End to end (as root; real namespaces, synnet-test runs tests/bench/scenarios/):
//   tcp:   one TCP flow (cubic) through a constant 500 Mbit/s trace with 40 ms
//          each way, for 20 s: its goodput against the trace's capacity
//   queue: a saturating TCP flow and a ping every 20 ms through a 12 Mbit/s
//          trace, droptail (1000 packets) against CoDel and PIE: the ping's RTT above
//          the 40 ms base, median and p99, is the standing queue's delay
//
//   bench_fidelity [--seconds S] [--no-end-to-end]   (S: rate and trace windows; default 3)
// Last line: "fidelity: delay p99 err <us> us (max <us>, timer max <us>), rate err
// max <pct>%, trace err max <pct>% per 100 ms, <pct>% per 1 s, loss in-interval <k>/<n>".
#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

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

// How late this machine wakes a thread sleeping to absolute deadlines every
// `period` for `total`, in microseconds: what any userspace timer gets here.
std::vector<double> timer_lateness_us(std::chrono::nanoseconds period, std::chrono::nanoseconds total) {
  std::vector<double> late;
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  const auto to_ns = [](const timespec& x) { return std::int64_t{x.tv_sec} * 1'000'000'000 + x.tv_nsec; };
  std::int64_t due = to_ns(t);
  const std::int64_t end = due + total.count();
  while (due < end) {
    due += period.count();
    const timespec d{static_cast<time_t>(due / 1'000'000'000), static_cast<long>(due % 1'000'000'000)};
    ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &d, nullptr);
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    late.push_back(static_cast<double>(to_ns(t) - due) / 1e3);
  }
  return late;
}

// Runs `trace` offered 1.5x its mean rate in 1514-byte frames (1500 IP bytes)
// for seconds + 1 and prints the error of every 100 ms and 1 s window after
// the first second. Returns the largest error of each, in percent.
std::pair<double, double> trace_windows(const char* label, const DeliveryTrace& trace, int seconds) {
  constexpr std::uint32_t kFrame = 1514, kIp = 1500;
  Engine engine({.packets = 65536, .seed = 1, .clock = nullptr, .log = nullptr});
  Config c;
  c.app<PacedSource>("src", {.size = kFrame, .pps = 1.5 * trace.mean_bps() / (kIp * 8)});
  c.app<Rate>("rate", {.trace = trace}).app<testing::Recorder>("rec");
  c.link("src.output -> rate.input").link("rate.output -> rec.input");
  engine.configure(c);
  engine.run({.duration = std::chrono::seconds(seconds + 1)});
  const auto& rec = *engine.app_as<testing::Recorder>("rec");
  const Time start = engine.app_as<PacedSource>("src")->sent_at.front();  // the breath the apps started in
  const std::size_t windows = static_cast<std::size_t>(seconds + 1) * 10;
  std::vector<double> got(windows, 0), due(windows, 0);
  for (const Time t : rec.times) {
    const auto w = static_cast<std::size_t>((t - start) / 100ms);
    if (w < windows) got[w] += kIp;
  }
  const std::uint64_t period = trace.period_ms();
  for (std::uint64_t loop = 0; loop * period < windows * 100; ++loop) {
    for (const std::uint64_t ms : trace.opportunities_ms) {
      const std::uint64_t w = (loop * period + ms) / 100;
      if (w < windows) due[w] += kOpportunityBytes;
    }
  }
  double max100 = 0, max1s = 0;
  std::cout << "trace " << label << " (" << bench::fmt_fixed(trace.mean_bps() / 1e6, 1)
            << " Mbit/s mean), offered 1.5x: 100 ms windows max ";
  for (std::size_t w = 10; w < windows; ++w) max100 = std::max(max100, 100 * std::abs(got[w] - due[w]) / due[w]);
  std::cout << bench::fmt_fixed(max100, 3) << "%; 1 s windows";
  for (std::size_t s = 1; s * 10 < windows; ++s) {
    double g = 0, d = 0;
    for (std::size_t w = s * 10; w < s * 10 + 10; ++w) g += got[w], d += due[w];
    const double err = 100 * (g - d) / d;
    max1s = std::max(max1s, std::abs(err));
    std::cout << " " << (err >= 0 ? "+" : "") << bench::fmt_fixed(err, 3) << "%";
  }
  std::cout << "\n";
  return {max100, max1s};
}

// Runs a scenario of tests/bench/scenarios with synnet-test and returns its
// JSON report (null when it could not run).
nlohmann::json run_scenario(const std::string& name) {
  const std::string file = std::string(SYNNET_BENCH_DIR) + "/scenarios/" + name;
  const std::string out = "/tmp/synnet-bench-fidelity-" + std::to_string(::getpid()) + ".json";
  const std::string command = std::string(SYNNET_TEST_PATH) + " '" + file + "' --quiet --json '" + out + "' >/dev/null";
  std::cout << "running " << name << " ..." << std::endl;
  const int status = std::system(command.c_str());
  std::ifstream in(out);
  if (!in) {
    std::cout << "  " << name << ": no report (synnet-test exited with " << status << ")\n";
    return nullptr;
  }
  nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
  std::remove(out.c_str());
  return report.is_discarded() ? nlohmann::json(nullptr) : report;
}

const nlohmann::json* item(const nlohmann::json& report, const std::string& name) {
  for (const auto& i : report["items"]) {
    if (i["name"] == name) return &i;
  }
  return nullptr;
}

// The ping's replies above `base_ms`, in ms (lost ones left out).
std::vector<double> queueing_ms(const nlohmann::json& ping, double base_ms) {
  std::vector<double> out;
  for (const auto& r : ping["replies"]) {
    const auto& rtt = r.is_object() ? r["rtt"] : r;
    if (rtt.is_number()) out.push_back(std::max(0.0, rtt.get<double>() * (r.is_object() ? 1e3 : 1.0) - base_ms));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 3;
  bool end_to_end = ::geteuid() == 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = static_cast<int>(bench::parse_count(argv[++i]));
    } else if (std::strcmp(argv[i], "--no-end-to-end") == 0) {
      end_to_end = false;
    } else {
      std::cerr << "usage: " << argv[0] << " [--seconds S] [--no-end-to-end]\n";
      return 2;
    }
  }

  // Delay, and this machine's timers in the same run.
  double delay_p99_us, delay_max_us, timer_max_us;
  {
    const std::vector<double> late = timer_lateness_us(100us, 2s);
    timer_max_us = *std::max_element(late.begin(), late.end());
    std::cout << "timer: a thread sleeping to deadlines every 100 us for 2 s wakes late by p50 "
              << bench::fmt_fixed(percentile(late, 0.5), 1) << " us, p99 "
              << bench::fmt_fixed(percentile(late, 0.99), 1) << " us, max " << bench::fmt_fixed(timer_max_us, 1)
              << " us\n";
  }
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
    delay_max_us = *std::max_element(err_us.begin(), err_us.end());
    std::cout << "delay 50 ms, " << err_us.size() << " frames at 10 kpps: |error| p50 "
              << bench::fmt_fixed(percentile(err_us, 0.5), 1) << " us, p99 " << bench::fmt_fixed(delay_p99_us, 1)
              << " us, max " << bench::fmt_fixed(delay_max_us, 1) << " us\n";
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
      const double err = 100 * (bits[w] - static_cast<double>(rate)) / static_cast<double>(rate);
      rate_err_max = std::max(rate_err_max, std::abs(err));
      std::cout << " " << (err >= 0 ? "+" : "") << bench::fmt_fixed(err, 3) << "%";
    }
    std::cout << "\n";
  }

  // Traces.
  double trace_max100 = 0, trace_max1s = 0;
  {
    DeliveryTrace t12{.opportunities_ms = {}, .name = "12 Mbit/s"};
    for (std::uint64_t ms = 1; ms <= 1000; ++ms) t12.opportunities_ms.push_back(ms);
    DeliveryTrace t1g{.opportunities_ms = {}, .name = "1 Gbit/s"};
    for (std::uint64_t k = 0; k < 1000; ++k) t1g.opportunities_ms.push_back(k * 12 / 1000);
    t1g.opportunities_ms.push_back(
        12);  // 1000 opportunities in 12 ms: the last is the period, the first at 0 is dropped
    t1g.opportunities_ms.erase(t1g.opportunities_ms.begin());
    DeliveryTrace varying{.opportunities_ms = {}, .name = "varying"};
    Rng rng(7);
    for (std::uint64_t ms = 1; ms <= 1000; ++ms) {
      for (std::uint64_t k = rng.below(5); k > 0; --k) varying.opportunities_ms.push_back(ms);
    }
    for (const auto& [label, trace] : std::initializer_list<std::pair<const char*, const DeliveryTrace*>>{
             {"12 Mbit/s", &t12}, {"1 Gbit/s", &t1g}, {"varying", &varying}}) {
      const auto [m100, m1s] = trace_windows(label, *trace, seconds);
      trace_max100 = std::max(trace_max100, m100);
      trace_max1s = std::max(trace_max1s, m1s);
    }
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

  // End to end.
  std::string e2e = "end to end not run (needs root)";
  if (end_to_end) {
    double tcp_share = 0;
    if (const nlohmann::json r = run_scenario("trace-500mbit-tcp.json"); !r.is_null()) {
      if (const auto* tcp = item(r, "tcp"); tcp && (*tcp)["measurement"]["throughput"].is_number()) {
        const double bps = (*tcp)["measurement"]["throughput"].get<double>();
        tcp_share = bps / 500e6;
        std::cout << "tcp through a 500 Mbit/s trace, 40 ms each way, 20 s: " << bench::fmt_fixed(bps / 1e6, 1)
                  << " Mbit/s goodput, " << bench::fmt_fixed(100 * tcp_share, 1)
                  << "% of the trace (goodput at most 1448/1500 = 96.5% of its IP bytes)\n";
      }
    }
    std::map<std::string, std::pair<double, double>> queue;
    for (const char* q : {"droptail", "codel", "pie"}) {
      const nlohmann::json r = run_scenario(std::string("queue-delay-") + q + ".json");
      const auto* ping = r.is_null() ? nullptr : item(r, "ping");
      const auto* tcp = r.is_null() ? nullptr : item(r, "tcp");
      if (ping == nullptr || tcp == nullptr) continue;
      const std::vector<double> delay = queueing_ms(*ping, 40.0);
      if (delay.empty()) continue;
      queue[q] = {percentile(delay, 0.5), percentile(delay, 0.99)};
      std::cout << "queue " << q << ", 12 Mbit/s trace, a saturating TCP flow: ping RTT above 40 ms p50 "
                << bench::fmt_fixed(queue[q].first, 1) << " ms, p99 " << bench::fmt_fixed(queue[q].second, 1)
                << " ms over " << delay.size() << " replies; tcp "
                << bench::fmt_fixed((*tcp)["measurement"]["throughput"].get<double>() / 1e6, 2) << " Mbit/s\n";
    }
    e2e = "tcp " + bench::fmt_fixed(100 * tcp_share, 1) + "% of a 500 Mbit/s trace";
    for (const auto& [q, d] : queue)
      e2e += ", " + q + " queue delay p50 " + bench::fmt_fixed(d.first, 1) + " ms p99 " +
             bench::fmt_fixed(d.second, 1) + " ms";
  }

  std::cout << "fidelity: delay p99 err " << bench::fmt_fixed(delay_p99_us, 1) << " us (max "
            << bench::fmt_fixed(delay_max_us, 1) << ", timer max " << bench::fmt_fixed(timer_max_us, 1)
            << "), rate err max " << bench::fmt_fixed(rate_err_max, 3) << "%, trace err max "
            << bench::fmt_fixed(trace_max100, 3) << "% per 100 ms, " << bench::fmt_fixed(trace_max1s, 3)
            << "% per 1 s, loss in-interval " << in_interval << "/" << tested << "; " << e2e << std::endl;
  return 0;
}
