// veth — I/O benchmarks on the seed's PoC topology (hosts a and b; their
// veths' outer ends in the run's wire namespace), each compared with a
// baseline measured in the same run:
//
//   bench_veth pps  [--seconds S]  64-byte UDP frames (to port 9) from trafgen in
//       a; frames delivered to b's interface per second, through synnet-forward
//       and through a Linux bridge. The headline uses b's own MAC, as the
//       reference figures did: b's UDP stack (and its ICMP replies) is part of
//       the path. It also prints the "cheap sink" variant (an unknown MAC, so
//       b drops frames at once), where the generator's own core is the limit.
//       Each round also sends them through a 2-port Switch app: hosts a and b
//       on a switch, as the harness's Testbed builds them and its engines
//       run them (veth_switch.hpp; one engine for the segment, both
//       directions, where synnet-forward has one per direction: the frames
//       go one way, so it is a fair match). Then the switch again with a
//       thread reading its engines' counters every 100 ms, as a run's
//       LiveNetwork does for its series: its ratio to the switch without.
//       Last line: "veth-pps: packet=<r>x xdp=<r>x switch=<r>x bridge
//       (<kpps> / <kpps> / <kpps> / <kpps> kpps; ...; switch with series
//       sampling <r>x: <kpps> kpps)" (packet, xdp, switch, bridge)
//   bench_veth tcp  [--seconds S]  TCP iperf3 a -> b, tx offloads off, through
//       synnet-forward (packet I/O, an engine per direction, for the headline;
//       xdp and --engines 1, one engine for both directions, printed too) and
//       through a bridge with the same settings; then with every offload on,
//       synnet-forward --bulk against a bridge with offloads on (64 KiB
//       super-frames; a's and b's gso_max_size set to what bulk mode takes,
//       65536, which is also the default).
//       Last line: "veth-tcp: <r>x bridge (<Gbit/s> vs <Gbit/s>), bulk <r>x, one engine <r>x; ..."
//   bench_veth idle [--seconds S]  synnet-forward's CPU while idle, and the RTT it
//       adds: median ping RTT through it minus over one direct veth pair. It
//       also measures what waking a thread blocked on another, idle, CPU costs
//       on this machine (an eventfd between two pinned threads), and on the
//       same CPU: a ping through an idle engine needs two such wake-ups (the
//       engine's, then ping's) where the direct ping needs none. Then the
//       RTT with neither: one engine pinned to CPU 0 (--cpu 0), ping too.
//       Last line: "idle: +<us> us RTT, <pct>% CPU"
//   pps and tcp run --rounds N (default 3) rounds, each measuring the bridge
//   and the engine back to back, and report the medians of the rounds' ratios:
//   this machine's figures drift by a third within minutes.
//
// SYNNET_FORWARD_ARGS adds options to synnet-forward (e.g. "--tx sendmmsg").
// Needs root, trafgen (netsniff-ng), iperf3, ping. Everything it creates
// carries a run prefix and is removed on exit.
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "engine/apps/io/raw_socket.hpp"
#include "netns/ethtool.hpp"
#include "netns/process.hpp"
#include "tests/bench/bench_util.hpp"
#include "tests/bench/veth_switch.hpp"
#include "tests/netns/netns_testing.hpp"

using namespace synnet;
using namespace std::chrono_literals;

namespace {

enum class Through { bridge, engine };

// The PoC topology with either a bridge or synnet-forward joining wa and wb.
struct Testbed {
  testing::PocTopology t;
  std::optional<Process> forwarder;

  // gso_max_size: if not 0, set on a's and b's veths (the senders into wa and wb).
  Testbed(Through through, bool offloads_off, const std::vector<std::string>& forwarder_args = {},
          std::uint32_t gso_max_size = 0) {
    if (gso_max_size != 0) {
      ip(t.a, {"link", "set", "dev", t.a_wire.a(), "gso_max_size", std::to_string(gso_max_size)});
      ip(t.b, {"link", "set", "dev", t.b_wire.a(), "gso_max_size", std::to_string(gso_max_size)});
    }
    if (offloads_off) {
      const Offloads off{.tx_checksum = false, .tso = false, .gso = false, .gro = false};
      t.set_offloads(off, off);
    }
    if (through == Through::bridge) {
      ip(t.wire, {"link", "add", "br0", "type", "bridge"});
      ip(t.wire, {"link", "set", t.a_wire.b(), "master", "br0"});
      ip(t.wire, {"link", "set", t.b_wire.b(), "master", "br0"});
      t.wire.netlink().set_up("br0");
    } else {
      std::vector<std::string> argv = {SYNNET_FORWARD_PATH, "--quiet",    "--netns",
                                       t.wire.path(),       t.a_wire.b(), t.b_wire.b()};
      argv.insert(argv.end(), forwarder_args.begin(), forwarder_args.end());
      if (const char* extra = std::getenv("SYNNET_FORWARD_ARGS")) {  // e.g. "--tx sendmmsg --busy-poll"
        std::istringstream words(extra);
        for (std::string w; words >> w;) argv.push_back(w);
      }
      forwarder.emplace(Process::spawn(-1, {.argv = argv, .kill_grace = 2s}));
    }
    // Both ways must work before measuring (ARP, bridge learning, engine up).
    const ProcessResult r = run_process(
        t.a.fd(),
        {.argv = {"ping", "-c", "2", "-i", "0.2", "-w", "5", "198.18.0.2"}, .env = {"LANG=C"}, .deadline = 10s});
    if (!r.ok()) throw std::runtime_error("no connectivity through the " + name(through) + ": " + r.out + r.err);
  }

  static std::string name(Through through) { return through == Through::bridge ? "bridge" : "engine"; }

  static void ip(Netns& ns, std::vector<std::string> args) {
    args.insert(args.begin(), "ip");
    const ProcessResult r = run_process(ns.fd(), {.argv = args, .deadline = 10s});
    if (!r.ok()) throw std::runtime_error("ip " + args[1] + " failed: " + r.err);
  }

  // CPU seconds (user + system) the forwarder process has used.
  double forwarder_cpu() const {
    if (!forwarder) return 0;
    std::ifstream in("/proc/" + std::to_string(forwarder->pid()) + "/stat");
    std::string line;
    std::getline(in, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string f;
    double ticks = 0;
    for (int i = 3; i <= 15 && (fields >> f); ++i) {
      if (i == 14 || i == 15) ticks += std::stod(f);
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
};

// trafgen's 64-byte frames from a's interface a_if for `seconds` (after 1 s of
// warm-up): the frames b's interface b_if receives per second, in thousands.
// cpu_seconds (if set) is the CPU time the path's process has used so far.
double blast(Netns& a, const std::string& a_if, Netns& b, const std::string& b_if, int seconds, bool cheap_sink,
             const std::string& label, const std::function<double()>& cpu_seconds = {},
             const std::string& cpu_what = "forwarder CPU") {
  const std::string amac = a.netlink().link_info(a_if).mac;
  const std::string bmac = cheap_sink ? "02:00:00:00:00:99" : b.netlink().link_info(b_if).mac;
  char cfg[] = "/tmp/synnet-trafgen-XXXXXX";
  const int fd = ::mkstemp(cfg);
  const std::string text = "{ eth(da=" + bmac + ", sa=" + amac +
                           "), ipv4(saddr=198.18.0.1, daddr=198.18.0.2), udp(sp=4000, dp=9), fill(0x41, 22) }\n";
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    throw std::runtime_error("cannot write the trafgen config");
  }
  ::close(fd);
  double kpps = 0;
  {
    Process gen = Process::spawn(
        a.fd(), {.argv = {"trafgen", "-P", "1", "-o", a_if, "-b", "100000000pps", "--no-sock-mem", "-c", cfg},
                 .kill_grace = 1s});
    std::this_thread::sleep_for(1s);
    const std::uint64_t r0 = b.netlink().link_info(b_if).rx_packets;
    const double cpu0 = cpu_seconds ? cpu_seconds() : 0;
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    const std::uint64_t r1 = b.netlink().link_info(b_if).rx_packets;
    const double cpu = cpu_seconds ? (cpu_seconds() - cpu0) / seconds : 0;
    kpps = static_cast<double>(r1 - r0) / seconds / 1000;
    if (!gen.running()) throw std::runtime_error("trafgen stopped: " + gen.errors());
    std::cout << "  " << (cheap_sink ? "cheap sink, " : "") << label << ": " << bench::fmt_fixed(kpps, 0)
              << " kpps delivered" << (cpu_seconds ? ", " + cpu_what + " " + bench::fmt_fixed(100 * cpu, 0) + "%" : "")
              << "\n";
  }
  ::unlink(cfg);
  return kpps;
}

double pps(Through through, int seconds, bool cheap_sink, const std::string& io = "packet") {
  Testbed bed(through, false, {"--io", io});
  std::function<double()> cpu;
  if (through == Through::engine) cpu = [&bed] { return bed.forwarder_cpu(); };
  return blast(bed.t.a, bed.t.a_wire.a(), bed.t.b, bed.t.b_wire.a(), seconds, cheap_sink,
               Testbed::name(through) + (through == Through::engine ? " (" + io + ")" : ""), cpu);
}

// The same frames through a 2-port Switch app (hosts a and b on a switch,
// built by the harness's Testbed; one engine carries the segment).
// sampling: with a thread reading the engines' counters every 100 ms, as a
// run's LiveNetwork does for its series.
double switch_pps(int seconds, bool sampling = false) {
  bench::SwitchBed bed(sampling);
  return blast(
      bed.a(), bed.a_if(), bed.b(), bed.b_if(), seconds, false,
      sampling ? "switch, series sampled every 100 ms" : "switch (2 ports, one engine)",
      [&bed] { return bed.engine_cpu(); }, "engine CPU");
}

// offloads_on: leave the veths' offloads on (TSO: super-frames), and run the
// forwarder with --bulk; gso_max_size as for Testbed.
double tcp_gbps(Through through, int seconds, const std::string& io = "packet", bool offloads_on = false,
                std::uint32_t gso_max_size = 0, bool one_engine = false) {
  std::vector<std::string> args = {"--io", io};
  if (offloads_on) args.push_back("--bulk");
  if (one_engine) args.insert(args.end(), {"--engines", "1"});
  Testbed bed(through, !offloads_on, args, gso_max_size);
  Process server = Process::spawn(bed.t.b.fd(), {.argv = {"iperf3", "-s", "-1", "-p", "5301", "--forceflush"},
                                                 .deadline = std::chrono::seconds(seconds + 30),
                                                 .kill_grace = 1s});
  server.wait_for_output("listening", 5s);
  const ProcessResult client = run_process(
      bed.t.a.fd(), {.argv = {"iperf3", "-c", "198.18.0.2", "-p", "5301", "-t", std::to_string(seconds), "--json"},
                     .deadline = std::chrono::seconds(seconds + 20)});
  if (!client.ok()) throw std::runtime_error("iperf3 through the " + Testbed::name(through) + " failed: " + client.out);
  const auto json = nlohmann::json::parse(client.out);
  const double gbps = json["end"]["sum_received"]["bits_per_second"].get<double>() / 1e9;
  const auto retransmits = json["end"]["sum_sent"].value("retransmits", 0);
  std::string what = Testbed::name(through);
  if (through == Through::engine)
    what += " (" + io + (offloads_on ? ", bulk" : "") + (one_engine ? ", one engine" : "") + ")";
  if (offloads_on) what += ", offloads on";
  if (gso_max_size != 0) what += ", gso_max_size " + std::to_string(gso_max_size);
  std::cout << "  " << what << ": " << bench::fmt_fixed(gbps, 2) << " Gbit/s, " << retransmits << " retransmits\n";
  return gbps;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// One figure over several rounds, and its ratio to a baseline from the same round.
struct Rounds {
  std::vector<double> values, ratios;
  void add(double v, double baseline = 0) {
    values.push_back(v);
    if (baseline > 0) ratios.push_back(v / baseline);
  }
  double last() const { return values.back(); }
  double median() const { return median_of(values); }
  double median_ratio() const { return median_of(ratios); }
};

// Median RTT, in microseconds, of `count` pings from ns to 198.18.0.2; ping
// runs on CPU `cpu` only if it is not -1.
double median_rtt_us(Netns& ns, int count, int cpu = -1) {
  std::vector<std::string> argv = {"ping", "-c", std::to_string(count), "-i", "0.01", "198.18.0.2"};
  if (cpu >= 0) argv.insert(argv.begin(), {"taskset", "-c", std::to_string(cpu)});
  const ProcessResult r = run_process(ns.fd(), {.argv = argv, .env = {"LANG=C"}, .deadline = 60s});
  std::vector<double> rtts;  // from each reply line's "time=0.052 ms"
  for (std::size_t at = r.out.find("time="); at != std::string::npos; at = r.out.find("time=", at + 5)) {
    rtts.push_back(std::stod(r.out.substr(at + 5)) * 1000);
  }
  if (rtts.empty()) throw std::runtime_error("ping got no replies: " + r.out);
  std::sort(rtts.begin(), rtts.end());
  return rtts[rtts.size() / 2];
}

// Median microseconds from an eventfd write on CPU `waker` to the return of a
// blocking read on CPU `sleeper`, the reader having slept ~2 ms each time.
double wake_us(int waker, int sleeper, int samples = 200) {
  const auto pin = [](int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set) == 0;
  };
  Fd event(::eventfd(0, EFD_CLOEXEC));
  if (!event) throw std::runtime_error("eventfd failed");
  std::atomic<std::int64_t> sent_ns{0};
  std::vector<double> us;
  const auto now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  std::thread reader([&] {
    pin(sleeper);
    // Two writes before a read coalesce into one count of 2: count what was
    // written, not reads, or the last read never comes.
    for (std::uint64_t written = 0; written < static_cast<std::uint64_t>(samples);) {
      std::uint64_t n;
      if (::read(event.get(), &n, sizeof n) != sizeof n) return;
      us.push_back(static_cast<double>(now_ns() - sent_ns.load()) / 1000);
      written += n;
    }
  });
  std::thread writer([&] {
    pin(waker);
    for (int i = 0; i < samples; ++i) {
      std::this_thread::sleep_for(2ms);
      sent_ns.store(now_ns());
      const std::uint64_t one = 1;
      if (::write(event.get(), &one, sizeof one) != sizeof one) return;
    }
  });
  writer.join();
  reader.join();
  return median_of(us);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 ||
      (std::strcmp(argv[1], "pps") != 0 && std::strcmp(argv[1], "tcp") != 0 && std::strcmp(argv[1], "idle") != 0)) {
    std::cerr << "usage: " << argv[0] << " pps|tcp|idle [--seconds S] [--rounds N]\n";
    return 2;
  }
  const std::string what = argv[1];
  int seconds = 5, rounds = 3;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = static_cast<int>(bench::parse_count(argv[++i]));
    } else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = static_cast<int>(bench::parse_count(argv[++i]));
    } else {
      std::cerr << "usage: " << argv[0] << " pps|tcp|idle [--seconds S] [--rounds N]\n";
      return 2;
    }
  }
  if (seconds < 1 || rounds < 1) {
    std::cerr << argv[0] << ": --seconds and --rounds must be at least 1\n";
    return 2;
  }
  if (!testing::has_admin_caps()) {
    std::cerr << "veth benchmarks need root (CAP_NET_ADMIN and CAP_SYS_ADMIN); run as root\n";
    return 2;
  }
  try {
    if (what == "pps") {
      const double cheap_bridge = pps(Through::bridge, seconds, true);
      const double cheap_packet = pps(Through::engine, seconds, true, "packet");
      const double cheap_xdp = pps(Through::engine, seconds, true, "xdp");
      std::cout << "  cheap sink: packet=" << bench::fmt_fixed(cheap_packet / cheap_bridge, 2)
                << "x xdp=" << bench::fmt_fixed(cheap_xdp / cheap_bridge, 2) << "x bridge\n";
      Rounds bridge, packet, xdp, sw, sampled;  // each round: all back to back, so they share the machine's mood
      for (int r = 1; r <= rounds; ++r) {
        std::cout << " round " << r << " of " << rounds << ":\n";
        bridge.add(pps(Through::bridge, seconds, false));
        packet.add(pps(Through::engine, seconds, false, "packet"), bridge.last());
        xdp.add(pps(Through::engine, seconds, false, "xdp"), bridge.last());
        sw.add(switch_pps(seconds), bridge.last());
        sampled.add(switch_pps(seconds, true), sw.last());
      }
      std::cout << "veth-pps: packet=" << bench::fmt_fixed(packet.median_ratio(), 2)
                << "x xdp=" << bench::fmt_fixed(xdp.median_ratio(), 2)
                << "x switch=" << bench::fmt_fixed(sw.median_ratio(), 2) << "x bridge ("
                << bench::fmt_fixed(packet.median(), 0) << " / " << bench::fmt_fixed(xdp.median(), 0) << " / "
                << bench::fmt_fixed(sw.median(), 0) << " / " << bench::fmt_fixed(bridge.median(), 0)
                << " kpps; medians of " << rounds << " rounds; switch with series sampling "
                << bench::fmt_fixed(sampled.median_ratio(), 3) << "x: " << bench::fmt_fixed(sampled.median(), 0)
                << " kpps)" << std::endl;
    } else if (what == "tcp") {
      Rounds bridge, packet, xdp, one_engine, bridge_on, bulk;
      const std::uint32_t cap = RawSocket::kBulkGsoMaxSize;
      for (int r = 1; r <= rounds; ++r) {
        std::cout << " round " << r << " of " << rounds << ":\n";
        bridge.add(tcp_gbps(Through::bridge, seconds));
        xdp.add(tcp_gbps(Through::engine, seconds, "xdp"), bridge.last());
        packet.add(tcp_gbps(Through::engine, seconds, "packet"), bridge.last());
        one_engine.add(tcp_gbps(Through::engine, seconds, "packet", false, 0, true), bridge.last());
        bridge_on.add(tcp_gbps(Through::bridge, seconds, "packet", true));
        bulk.add(tcp_gbps(Through::engine, seconds, "packet", true, cap), bridge_on.last());
      }
      std::cout << "  xdp: " << bench::fmt_fixed(xdp.median_ratio(), 2) << "x bridge\n";
      std::cout << "  one engine (synnet-forward --engines 1: one thread for both directions): "
                << bench::fmt_fixed(one_engine.median_ratio(), 2) << "x bridge ("
                << bench::fmt_fixed(one_engine.median(), 2) << " Gbit/s)\n";
      std::cout << "  bulk: " << bench::fmt_fixed(bulk.median_ratio(), 2) << "x the bridge with offloads on ("
                << bench::fmt_fixed(bulk.median(), 2) << " vs " << bench::fmt_fixed(bridge_on.median(), 2)
                << " Gbit/s)\n";
      std::cout << "veth-tcp: " << bench::fmt_fixed(packet.median_ratio(), 2) << "x bridge ("
                << bench::fmt_fixed(packet.median(), 2) << " vs " << bench::fmt_fixed(bridge.median(), 2)
                << " Gbit/s), bulk " << bench::fmt_fixed(bulk.median_ratio(), 2) << "x, one engine "
                << bench::fmt_fixed(one_engine.median_ratio(), 2) << "x; medians of " << rounds << " rounds"
                << std::endl;
    } else {
      double direct_us;
      {
        RunId run = RunId::create();
        Netns a = Netns::create(run.name("a")), b = Netns::create(run.name("b"));
        Veth v = Veth::create(a, run.name("a0"), b, run.name("b0"));
        Address aa = Address::add(a, v.a(), "198.18.0.1/24"), ba = Address::add(b, v.b(), "198.18.0.2/24");
        a.netlink().set_up(v.a());
        b.netlink().set_up(v.b());
        median_rtt_us(a, 5);
        direct_us = median_rtt_us(a, 200);
      }
      Testbed bed(Through::engine, true);
      std::this_thread::sleep_for(500ms);
      const double cpu0 = bed.forwarder_cpu();
      std::this_thread::sleep_for(std::chrono::seconds(seconds));
      const double cpu_pct = 100 * (bed.forwarder_cpu() - cpu0) / seconds;
      const double through_us = median_rtt_us(bed.t.a, 200);
      std::cout << "  direct veth: " << bench::fmt_fixed(direct_us, 1)
                << " us median RTT; through the engine: " << bench::fmt_fixed(through_us, 1) << " us\n";
      {  // the same without cross-CPU wake-ups: one engine and ping on one CPU
        Testbed pinned(Through::engine, true, {"--cpu", "0"});
        median_rtt_us(pinned.t.a, 5, 0);
        const double pinned_us = median_rtt_us(pinned.t.a, 200, 0);
        std::cout << "  one engine and ping on CPU 0 (synnet-forward --cpu 0, taskset -c 0 ping): "
                  << bench::fmt_fixed(pinned_us, 1) << " us, +" << bench::fmt_fixed(pinned_us - direct_us, 1)
                  << " us\n";
      }
      if (::sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
        std::cout << "  this machine wakes a thread blocked on another, idle CPU in "
                  << bench::fmt_fixed(wake_us(0, 1), 1) << " us (median), on the same CPU in "
                  << bench::fmt_fixed(wake_us(0, 0), 1)
                  << " us; through an idle engine a ping needs two wake-ups, directly none\n";
      }
      std::cout << "idle: +" << bench::fmt_fixed(through_us - direct_us, 1) << " us RTT, "
                << bench::fmt_fixed(cpu_pct, 2) << "% CPU" << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "veth-" << what << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
