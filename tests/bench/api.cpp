// api — the control API against real traffic: how soon a change made through
// it takes effect on packets, and what serving it costs the engine. Both run
// in one process on a real 2-host network (hosts a 198.18.0.1 and b
// 198.18.0.2, one link a-b), built as a run builds it: a Testbed, its
// EngineGroup, a LiveNetwork and an ApiServer on the run's UNIX socket.
//
//   bench_api [effect|load] [--trials N] [--seconds D] [--rounds R] [--clients C]   (needs root)
//
// effect (--trials, default 20): a thread in a sends b a UDP datagram every
//   100 us (busy-wait pacing) carrying its sequence number and CLOCK_MONOTONIC
//   send time; a thread in b records every arrival. Each trial, after 300 ms
//   of traffic: PUT /v1/links/a-b/a_to_b {"loss": "100%"}, timed from before
//   the connect (t_request) to the answer read whole (t_answer); 300 ms more;
//   PUT {} restores it. The last packet of the trial that arrived was sent at
//   t_last: the change took effect between t_last and t_last + 100 us, so
//   effect - answer = t_last - t_answer (negative: before the answer, as the
//   API promises). Packets sent after t_answer that arrived mean the answer
//   came before the change was in effect: a bug, and the exit status is 1.
//   Packets sent before t_answer that arrived after it were inside the
//   engine or the receiver's socket then, and are counted apart.
//   Its line: "api effect: max <ms> ms after the answer (median <ms> ms;
//   answer in <ms> ms median; <N> trials)".
// load (--seconds D, default 3; --rounds R, default 3; --clients C, default
//   100): a thread in a sends 64-byte UDP payloads to b with sendmmsg as fast
//   as it can (b has a socket bound that nobody reads: the kernel drops them
//   there); the engine's forwarding rate is a-b_b's tx_packets over D seconds
//   (after 0.5 s of warm-up), in three configurations, each with a fresh
//   LiveNetwork and ApiServer on the same network and engines, interleaved
//   per round: (i) sampling off, no clients (the baseline); (ii) sampling
//   every 100 ms, no clients; (iii) sampling and C threads requesting in a
//   loop, one connection each (GET /v1/counters, GET /v1/series?since=<0.3 s
//   ago>, GET /metrics, PATCH b_to_a's delay to 1ms and back: b_to_a carries
//   nothing, so a_to_b's path is not changed). Ratios are medians of each
//   round's ratio to its own baseline.
//   Its line, the program's last: "api load: <kpps> kpps with <C> clients
//   (<req/s> req/s) vs <kpps> kpps idle API = <r>x; sampling <r>x".
// Without an argument both run, effect first. Everything it creates carries a
// run prefix and is removed on exit.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_group.hpp"
#include "engine/sys/fd.hpp"
#include "engine/sys/in_netns.hpp"
#include "engine/sys/system_error.hpp"
#include "harness/control/api_server.hpp"
#include "harness/control/run_description.hpp"
#include "harness/run/live_network.hpp"
#include "harness/run/testbed.hpp"
#include "harness/scenario/scenario.hpp"
#include "netns/run_id.hpp"
#include "tests/bench/bench_util.hpp"
#include "tests/netns/netns_testing.hpp"

using namespace synnet;
using namespace std::chrono_literals;

namespace {

constexpr const char* kScenario = R"({
  "name": "bench-api",
  "hosts": [{"name": "a", "addresses": ["198.18.0.1/24"]}, {"name": "b", "addresses": ["198.18.0.2/24"]}],
  "links": [{"a": "a", "b": "b"}],
  "traffic": [{"name": "unused", "ping": {"from": "a", "to": "b", "count": 1}}]
})";
constexpr std::uint16_t kProbePort = 9001, kBlastPort = 9002;
constexpr std::int64_t kSendInterval = 100'000;  // ns between the effect probe's datagrams
constexpr std::int64_t kGuard = 10'000'000;      // ns before a restore whose packets a trial ignores

std::int64_t mono_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double max_of(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

// The network, its engines started; destroyed in reverse: the engines stop
// before the testbed's interfaces go, and the run's registration last.
struct Net {
  Scenario scenario = parse_scenario(kScenario);
  RunId run = RunId::create();
  Testbed bed{run, scenario};
  std::uint64_t seed;
  EngineGroup engines;

  explicit Net(std::uint64_t s) : seed(s), engines(EngineConfigs::kEngines, s) {
    engines.configure(bed.engine_configs(NetworkState::initial(scenario)).parts());
    engines.start();
  }
  LiveNetwork::Configure configure() {
    return [this](const NetworkState& s) { return bed.engine_configs(s); };
  }
};

// A LiveNetwork and the API on the run's socket; the server goes first.
struct Live {
  LiveNetwork live;
  ApiServer server;
  Live(Net& net, bool sample)
      : live(net.scenario, net.engines, net.configure(), sample),
        server(live,
               describe_run({.scenario = net.scenario, .file = "", .seed = net.seed, .prefix = net.run.prefix()},
                            &net.bed, nullptr),
               ApiServerOptions{.prefix = net.run.prefix()}) {}
};

// One request on a new connection to the API's UNIX socket (Connection:
// close), read until the server closes it: the answer's status, or -1.
int http(const std::string& socket_path, const std::string& method, const std::string& target,
         const std::string& body = "") {
  const std::string raw = method + " " + target + " HTTP/1.1\r\nHost: synnet\r\nConnection: close\r\n" +
                          (body.empty() ? "" : "Content-Type: application/json\r\n") +
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
  const Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return -1;
  timeval tv{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (std::size_t sent = 0; sent < raw.size();) {
    const ssize_t n = ::send(fd.get(), raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return -1;
    sent += static_cast<std::size_t>(n);
  }
  std::string head;
  char buf[8192];
  for (ssize_t n; (n = ::recv(fd.get(), buf, sizeof buf, 0)) != 0;) {
    if (n < 0) return -1;
    if (head.size() < 12) head.append(buf, static_cast<std::size_t>(n));
  }
  if (head.rfind("HTTP/1.1 ", 0) != 0 || head.size() < 12) return -1;
  return std::stoi(head.substr(9, 3));
}

// A UDP socket made inside ns (it stays there for life).
Fd udp_socket(Netns& ns, const std::string& where) {
  Fd fd(in_netns(ns.fd(), [] { return ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0); }));
  if (!fd) throw SystemError(errno, where + ": socket");
  return fd;
}

sockaddr_in ipv4(const char* address, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, address, &a.sin_addr);
  return a;
}

void bind_to(const Fd& fd, const char* address, std::uint16_t port, const std::string& where) {
  const sockaddr_in a = ipv4(address, port);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
    throw SystemError(errno, where + ": bind");
}

// ---- effect ----

struct Probe {
  std::uint64_t seq;
  std::int64_t sent_ns;
};
struct Arrival {
  std::uint64_t seq;
  std::int64_t sent_ns, received_ns;
};
struct Trial {
  std::int64_t request, answer, restore_request, restore_answer;
};

struct EffectResult {
  double max_ms = 0, median_ms = 0, answer_median_ms = 0;
  bool violated = false;
};

EffectResult effect(Net& net, int trials) {
  Live l(net, true);
  const std::string& api = l.server.socket_path();
  Fd tx = udp_socket(net.bed.host("a"), "the probe's sender in a");
  Fd rx = udp_socket(net.bed.host("b"), "the probe's receiver in b");
  bind_to(rx, "198.18.0.2", kProbePort, "the probe's receiver in b");
  const int rcvbuf = 4 << 20;
  ::setsockopt(rx.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  timeval tv{.tv_sec = 0, .tv_usec = 50'000};
  ::setsockopt(rx.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  std::vector<Arrival> arrivals;
  arrivals.reserve(static_cast<std::size_t>(trials) * 8000 + 20000);
  std::atomic<std::size_t> arrived{0};
  std::atomic<std::uint64_t> sent{0};
  std::optional<std::jthread> receiver, sender;
  receiver.emplace([&](const std::stop_token& stop) {
    Probe p{};
    while (!stop.stop_requested()) {
      if (::recv(rx.get(), &p, sizeof p, 0) != sizeof p) continue;
      arrivals.push_back({p.seq, p.sent_ns, mono_ns()});
      arrived.store(arrivals.size(), std::memory_order_release);
    }
  });
  sender.emplace([&](const std::stop_token& stop) {
    const sockaddr_in to = ipv4("198.18.0.2", kProbePort);
    std::int64_t next = mono_ns();
    for (std::uint64_t seq = 0; !stop.stop_requested(); ++seq) {
      std::int64_t now;
      while ((now = mono_ns()) < next) {
      }
      next = now > next + kSendInterval ? now : next + kSendInterval;  // preempted: no burst to catch up
      const Probe p{seq, mono_ns()};
      ::sendto(tx.get(), &p, sizeof p, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
      sent.store(seq + 1, std::memory_order_relaxed);
    }
  });
  const std::int64_t start = mono_ns();
  while (arrived.load(std::memory_order_acquire) == 0) {
    if (mono_ns() - start > 5'000'000'000) throw std::runtime_error("no probe crossed a -> b in 5 s");
    std::this_thread::sleep_for(10ms);
  }
  const std::string target = "/v1/links/a-b/a_to_b";
  std::vector<Trial> done;
  for (int i = 0; i < trials; ++i) {
    Trial t{};
    std::this_thread::sleep_for(300ms);
    t.request = mono_ns();
    const int put = http(api, "PUT", target, R"({"loss": "100%"})");
    t.answer = mono_ns();
    std::this_thread::sleep_for(300ms);
    t.restore_request = mono_ns();
    const int restore = http(api, "PUT", target, "{}");
    t.restore_answer = mono_ns();
    if (put != 200 || restore != 200) {
      throw std::runtime_error("PUT " + target + " answered " + std::to_string(put) + ", its restore " +
                               std::to_string(restore));
    }
    done.push_back(t);
  }
  std::this_thread::sleep_for(300ms);
  sender.reset();
  std::this_thread::sleep_for(50ms);
  receiver.reset();
  const std::uint64_t total_sent = sent.load();
  if (const std::string why = net.engines.failure(); !why.empty()) throw std::runtime_error("an engine failed: " + why);

  std::cout << "effect: " << trials << " trials; a probe every " << kSendInterval / 1000 << " us from a to b, "
            << total_sent << " sent, " << arrivals.size() << " arrived\n";
  std::vector<double> effects, answers, from_request;
  std::size_t in_flight_total = 0, after_total = 0;
  for (std::size_t i = 0; i < done.size(); ++i) {
    const Trial& t = done[i];
    const std::int64_t lo = i == 0 ? start : done[i - 1].restore_answer, hi = t.restore_request - kGuard;
    std::int64_t last = 0;
    std::uint64_t first_seq = UINT64_MAX, last_seq_before = 0;
    std::size_t before = 0, in_flight = 0, after = 0;
    for (const Arrival& a : arrivals) {
      if (a.sent_ns < lo || a.sent_ns >= hi) continue;
      last = std::max(last, a.sent_ns);
      if (a.sent_ns < t.request) {
        ++before;
        first_seq = std::min(first_seq, a.seq);
        last_seq_before = std::max(last_seq_before, a.seq);
      }
      if (a.sent_ns < t.answer && a.received_ns > t.answer) ++in_flight;
      if (a.sent_ns >= t.answer) ++after;
    }
    const std::size_t lost_before = before == 0 ? 0 : last_seq_before - first_seq + 1 - before;
    effects.push_back(ms(last - t.answer));
    answers.push_back(ms(t.answer - t.request));
    from_request.push_back(ms(last - t.request));
    in_flight_total += in_flight;
    after_total += after;
    std::cout << "  trial " << i + 1 << ": answer in " << bench::fmt_fixed(answers.back(), 2)
              << " ms; last packet through sent " << bench::fmt_fixed(effects.back(), 3)
              << " ms from the answer; arrived after the answer: " << in_flight << " sent before it, " << after
              << " sent after it; " << lost_before << " lost before the request\n";
  }
  EffectResult r{.max_ms = max_of(effects),
                 .median_ms = median(effects),
                 .answer_median_ms = median(answers),
                 .violated = after_total > 0};
  std::cout << "  effect - answer (ms; the change took effect within " << kSendInterval / 1000
            << " us after the last packet through was sent): median " << bench::fmt_fixed(r.median_ms, 3) << ", max "
            << bench::fmt_fixed(r.max_ms, 3) << "\n";
  std::cout << "  effect - request (ms): median " << bench::fmt_fixed(median(from_request), 3) << ", max "
            << bench::fmt_fixed(max_of(from_request), 3) << "\n";
  std::cout << "  answer latency (ms): median " << bench::fmt_fixed(r.answer_median_ms, 2) << ", max "
            << bench::fmt_fixed(max_of(answers), 2) << "\n";
  std::cout << "  packets that arrived after the answer: " << in_flight_total
            << " sent before it (inside the engine or b's socket then), " << after_total
            << " sent after it (must be 0)\n";
  if (r.violated) {
    std::cout << "  BUG: " << after_total
              << " packets sent after the API answered crossed a 100% loss: the answer came before every engine "
                 "had taken the change\n";
  }
  std::cout << "api effect: max " << bench::fmt_fixed(r.max_ms, 2) << " ms after the answer (median "
            << bench::fmt_fixed(r.median_ms, 2) << " ms; answer in " << bench::fmt_fixed(r.answer_median_ms, 2)
            << " ms median; " << trials << " trials)" << std::endl;
  return r;
}

// ---- load ----

enum class Setup { baseline, sampling, clients };

struct LoadResult {
  double offered_kpps = 0, in_kpps = 0, kernel_drop_kpps = 0, out_kpps = 0, requests_per_s = 0;
  std::uint64_t failed = 0;
};

std::uint64_t counter(const EngineCounters& c, const char* app, const char* name) {
  const Counter* k = c.find(app, name);
  return k == nullptr ? 0 : k->value;
}

// The requests each client cycles through; the PATCH alternates b_to_a's delay.
void client_loop(const std::stop_token& stop, const std::string& api, const LiveNetwork& live, int id,
                 std::atomic<std::uint64_t>& served, std::atomic<std::uint64_t>& failed) {
  for (unsigned i = static_cast<unsigned>(id); !stop.stop_requested(); ++i) {
    int status = -1;
    switch (i % 5) {
      case 0: status = http(api, "GET", "/v1/counters"); break;
      case 1: status = http(api, "GET", "/v1/series?since=" + bench::fmt_fixed(live.now() - 0.3, 3)); break;
      case 2: status = http(api, "GET", "/metrics"); break;
      case 3: status = http(api, "PATCH", "/v1/links/a-b/b_to_a", R"({"delay": "1ms"})"); break;
      default: status = http(api, "PATCH", "/v1/links/a-b/b_to_a", R"({"delay": null})"); break;
    }
    (status == 200 ? served : failed).fetch_add(1, std::memory_order_relaxed);
  }
}

LoadResult load(Net& net, Setup config, int seconds, int clients) {
  Live l(net, config != Setup::baseline);
  Fd tx = udp_socket(net.bed.host("a"), "the blaster in a");
  Fd sink = udp_socket(net.bed.host("b"), "the sink in b");
  bind_to(sink, "198.18.0.2", kBlastPort, "the sink in b");
  const sockaddr_in to = ipv4("198.18.0.2", kBlastPort);
  if (::connect(tx.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    throw SystemError(errno, "the blaster in a: connect");
  }
  std::atomic<std::uint64_t> sent{0}, served{0}, failed{0};
  std::vector<std::jthread> threads;  // stopped and joined before the server goes
  threads.emplace_back([&](const std::stop_token& stop) {
    constexpr unsigned kBatch = 64;
    char payload[64] = {};
    iovec iov{payload, sizeof payload};
    std::vector<mmsghdr> msgs(kBatch);
    for (mmsghdr& m : msgs) {
      m.msg_hdr.msg_iov = &iov;
      m.msg_hdr.msg_iovlen = 1;
    }
    while (!stop.stop_requested()) {
      const int n = ::sendmmsg(tx.get(), msgs.data(), kBatch, 0);
      if (n > 0) sent.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
    }
  });
  if (config == Setup::clients) {
    for (int i = 0; i < clients; ++i) {
      threads.emplace_back([&, i](const std::stop_token& stop) {
        client_loop(stop, l.server.socket_path(), l.live, i, served, failed);
      });
    }
  }
  std::this_thread::sleep_for(500ms);
  const EngineCounters c0 = l.live.counters();
  const std::uint64_t sent0 = sent.load(), served0 = served.load(), failed0 = failed.load();
  const std::int64_t t0 = mono_ns();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const EngineCounters c1 = l.live.counters();
  const std::uint64_t sent1 = sent.load(), served1 = served.load(), failed1 = failed.load();
  const double s = static_cast<double>(mono_ns() - t0) / 1e9;
  for (std::jthread& t : threads) t.request_stop();
  threads.clear();
  if (config == Setup::clients && http(l.server.socket_path(), "PUT", "/v1/links/a-b/b_to_a", "{}") != 200) {
    throw std::runtime_error("could not restore b_to_a after the clients");
  }
  if (const std::string why = net.engines.failure(); !why.empty()) throw std::runtime_error("an engine failed: " + why);
  const auto rate = [s](std::uint64_t from, std::uint64_t to) { return static_cast<double>(to - from) / s; };
  LoadResult r{
      .offered_kpps = rate(sent0, sent1) / 1000,
      .in_kpps = rate(counter(c0, "a-b_a", "rx_packets"), counter(c1, "a-b_a", "rx_packets")) / 1000,
      .kernel_drop_kpps = rate(counter(c0, "a-b_a", "rx_kernel_drops"), counter(c1, "a-b_a", "rx_kernel_drops")) / 1000,
      .out_kpps = rate(counter(c0, "a-b_b", "tx_packets"), counter(c1, "a-b_b", "tx_packets")) / 1000,
      .requests_per_s = rate(served0, served1),
      .failed = failed1 - failed0};
  static const char* const kNames[] = {"(i) sampling off, no clients", "(ii) sampling on, no clients",
                                       "(iii) sampling on, clients"};
  std::cout << "  " << kNames[static_cast<int>(config)] << ": " << bench::fmt_fixed(r.out_kpps, 0)
            << " kpps forwarded (" << bench::fmt_fixed(r.in_kpps, 0) << " kpps into the engine, "
            << bench::fmt_fixed(r.kernel_drop_kpps, 0) << " kpps dropped by the kernel before it read them, "
            << bench::fmt_fixed(r.offered_kpps, 0) << " kpps sent)";
  if (config == Setup::clients) {
    std::cout << "; " << clients << " clients, " << bench::fmt_fixed(r.requests_per_s, 0) << " req/s served, "
              << r.failed << " failed";
  }
  std::cout << "\n";
  return r;
}

void load_rounds(Net& net, int seconds, int rounds, int clients) {
  std::cout << "load: 64-byte UDP payloads a -> b, " << seconds << " s per configuration, " << rounds << " rounds\n";
  std::vector<double> base, sampling, hammered, requests, sampling_ratio, clients_ratio;
  std::uint64_t failed = 0;
  for (int r = 1; r <= rounds; ++r) {
    std::cout << " round " << r << " of " << rounds << ":\n";
    const LoadResult i = load(net, Setup::baseline, seconds, clients);
    const LoadResult ii = load(net, Setup::sampling, seconds, clients);
    const LoadResult iii = load(net, Setup::clients, seconds, clients);
    base.push_back(i.out_kpps);
    sampling.push_back(ii.out_kpps);
    hammered.push_back(iii.out_kpps);
    requests.push_back(iii.requests_per_s);
    failed += iii.failed;
    if (i.out_kpps > 0) {
      sampling_ratio.push_back(ii.out_kpps / i.out_kpps);
      clients_ratio.push_back(iii.out_kpps / i.out_kpps);
    }
  }
  std::cout << "  medians: (i) " << bench::fmt_fixed(median(base), 0) << " kpps, (ii) "
            << bench::fmt_fixed(median(sampling), 0) << " kpps, (iii) " << bench::fmt_fixed(median(hammered), 0)
            << " kpps (" << bench::fmt_fixed(median(hammered) / 1000, 3) << " Mpps); (ii)/(i) "
            << bench::fmt_fixed(median(sampling_ratio), 2) << "x, (iii)/(i) "
            << bench::fmt_fixed(median(clients_ratio), 2) << "x; API " << bench::fmt_fixed(median(requests), 0)
            << " req/s, " << failed << " failed\n";
  std::cout << "api load: " << bench::fmt_fixed(median(hammered), 0) << " kpps with " << clients << " clients ("
            << bench::fmt_fixed(median(requests), 0) << " req/s) vs " << bench::fmt_fixed(median(base), 0)
            << " kpps idle API = " << bench::fmt_fixed(median(clients_ratio), 2) << "x; sampling "
            << bench::fmt_fixed(median(sampling_ratio), 2) << "x" << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string usage =
      std::string("usage: ") + argv[0] + " [effect|load] [--trials N] [--seconds D] [--rounds R] [--clients C]\n";
  std::string what = "all";
  int trials = 20, seconds = 3, rounds = 3, clients = 100;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (i == 1 && (arg == "effect" || arg == "load")) {
        what = arg;
      } else if (arg == "--trials" && i + 1 < argc) {
        trials = static_cast<int>(bench::parse_count(argv[++i]));
      } else if (arg == "--seconds" && i + 1 < argc) {
        seconds = static_cast<int>(bench::parse_count(argv[++i]));
      } else if (arg == "--rounds" && i + 1 < argc) {
        rounds = static_cast<int>(bench::parse_count(argv[++i]));
      } else if (arg == "--clients" && i + 1 < argc) {
        clients = static_cast<int>(bench::parse_count(argv[++i]));
      } else {
        std::cerr << usage;
        return 2;
      }
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << argv[0] << ": " << e.what() << "\n" << usage;
    return 2;
  }
  if (!testing::has_admin_caps()) {
    std::cerr << "api: needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to build namespaces and the API socket\n";
    return 2;
  }
  bool violated = false;
  try {  // unwinding stops the threads, the API, the engines, then removes the network
    Net net(1);
    if (what != "load") violated = effect(net, trials).violated;
    if (what != "effect") load_rounds(net, seconds, rounds, clients);
  } catch (const std::exception& e) {
    std::cerr << "api: " << e.what() << "\n";
    return 1;
  }
  return violated ? 1 : 0;
}
