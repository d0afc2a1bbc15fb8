// synnet-forward — the seed design's proof of concept as a command: forwards
// every frame between two interfaces through the engine and prints the load
// and link reports every second, like the seed's main().
//
//   synnet-forward IF1 IF2 [--netns PATH] [--io packet|xdp] [--tx ring|sendmmsg] [--xdp-attach native|generic]
//                  [--zero-copy] [--fallback] [--bulk] [--busy-poll] [--engines 1|2] [--cpu N]
//                  [--duration S] [--quiet]
//
// With packet I/O it runs an engine per direction (--engines 2, the default),
// each on its own thread, with a receiving socket on one interface and a
// send-only one on the other: the kernel work of the hosts' network stacks,
// which runs inside the engine's send(), then splits over two cores. --io xdp,
// --bulk and --cpu run one engine for both directions by default. Either way
// the engines run in an EngineGroup (engine/engine_group.hpp), as synnet-test's do.
//
// Exit status: 0 after --duration or Ctrl-C/SIGTERM, 1 when the engine failed
// (e.g. an interface was deleted), 2 for bad arguments or setup errors.
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <thread>
#include <tuple>

#include "engine/apps/io/raw_socket.hpp"
#include "engine/apps/io/xdp_socket.hpp"
#include "engine/engine.hpp"
#include "engine/engine_group.hpp"
#include "engine/sys/system_error.hpp"

using namespace synnet;

namespace {

constexpr std::uint64_t kSeed = 1;  // nothing here is random: no impairments

}  // namespace

// Runs one engine per configuration on threads of their own (EngineGroup)
// until SIGINT/SIGTERM, the end of run.duration, or an engine's end (either
// direction ending ends both), then prints each engine's final report under
// its title ("" = none). Returns the exit status: 1 when an engine failed
// (EngineFailure: an interface deleted), 2 for a setup error inside a run.
int run_engines(const RunOptions& run, EngineGroup& group, const std::vector<std::string>& titles) {
  // The engines' threads must not take SIGINT/SIGTERM: this thread waits for them.
  sigset_t stop_signals, old_mask;
  sigemptyset(&stop_signals);
  for (int sig : run.stop_signals) sigaddset(&stop_signals, sig);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
  std::vector<RunOptions> options(group.size(), run);
  for (std::size_t i = 0; i < options.size(); ++i) {
    options[i].stop_signals.clear();
    options[i].report_title = titles[i];
  }
  group.start(options);
  const timespec tick{0, 100'000'000};
  while (::sigtimedwait(&stop_signals, nullptr, &tick) < 0 && !group.any_finished()) {
  }
  group.stop();
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  int status = 0;
  if (const std::exception_ptr error = group.error()) {
    try {
      std::rethrow_exception(error);
    } catch (const EngineFailure& e) {
      std::cerr << "synnet-forward: " << e.what() << "\n";
      status = 1;
    } catch (const std::exception& e) {
      std::cerr << "synnet-forward: " << e.what() << "\n";
      status = 2;
    }
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!titles[i].empty()) std::cout << titles[i] << "\n";
    group.engine(i).report_links(std::cout);
    group.engine(i).report_apps(std::cout);
  }
  return status;
}

namespace {

int run(int argc, char** argv) {
  CLI::App cli{
      "Forwards every frame between two network interfaces through the synnet engine,\n"
      "printing the load and link reports every second. Ctrl-C stops it.\n\n"
      "Examples:\n"
      "  synnet-forward veth0 veth1\n"
      "      forward between two interfaces of this namespace\n"
      "  synnet-forward --netns /run/netns/wire wa wb\n"
      "      the interfaces live in another network namespace (the process stays in its own)\n"
      "  synnet-forward --busy-poll --duration 10 veth0 veth1\n"
      "      never sleep (lowest latency; a busy core per engine), stop after 10 s\n"
      "  taskset -c 0 my-test & synnet-forward --cpu 0 veth0 veth1\n"
      "      share the sender's CPU: an idle forwarder then wakes cheaply (low latency, little CPU)\n"
      "  synnet-forward --io xdp --fallback veth0 veth1\n"
      "      AF_XDP sockets; if they cannot bind, say why and use AF_PACKET rings\n"
      "  synnet-forward --engines 1 veth0 veth1\n"
      "      one engine (thread) for both directions instead of one per direction\n"
      "  synnet-forward --io xdp --zero-copy enp3s0f0 enp3s0f1\n"
      "      two ports of a NIC whose driver has AF_XDP zero-copy (ixgbe, i40e, ice, mlx5)\n"
      "  synnet-forward --bulk veth0 veth1\n"
      "      offloads stay on: TCP/UDP super-frames (TSO/GSO, up to 64 KiB) cross whole\n\n"
      "Frames are forwarded as the interfaces deliver them, one wire packet each when tx\n"
      "checksum offload is off on the sending interfaces (ethtool -K IF tx off); with it on,\n"
      "partial checksums are completed here, and --bulk keeps super-frames whole.",
      "synnet-forward"};
  using Raw = RawSocketSpec;
  std::string if1, if2, netns, io = "packet";
  Raw::Tx tx = Raw::Tx::ring;
  XdpSocketSpec::Attach xdp_attach = XdpSocketSpec::Attach::native;
  bool busy_poll = false, quiet = false, zero_copy = false, fallback = false, bulk = false;
  double duration_s = 0;
  int cpu = -1, engines = 0;
  cli.add_option("IF1", if1, "first interface")->required();
  cli.add_option("IF2", if2, "second interface")->required();
  cli.add_option("--netns", netns, "network namespace holding both interfaces (a path such as /run/netns/NAME)")
      ->check(CLI::ExistingFile);
  cli.add_option("--io", io, "how packets get in and out: packet (AF_PACKET TPACKET_V2 rings) or xdp (AF_XDP)")
      ->check(CLI::IsMember({"packet", "xdp"}))
      ->capture_default_str();
  cli.add_option("--xdp-attach", xdp_attach, "xdp: native (driver mode) or generic (SKB mode, works everywhere)")
      ->transform(CLI::CheckedTransformer(
                      std::map<std::string, XdpSocketSpec::Attach>{{"native", XdpSocketSpec::Attach::native},
                                                                   {"generic", XdpSocketSpec::Attach::generic}})
                      .description("{native,generic}"))
      ->type_name("TEXT")
      ->default_str("native");
  cli.add_flag("--zero-copy", zero_copy, "xdp: bind in zero-copy mode (NICs such as ixgbe, i40e, ice, mlx5)");
  cli.add_flag("--fallback", fallback, "xdp: if an AF_XDP socket cannot bind, say why and use packet I/O");
  cli.add_option("--tx", tx, "packet mode's transmit path: ring (TPACKET_V2 TX ring) or sendmmsg")
      ->transform(CLI::CheckedTransformer(
                      std::map<std::string, Raw::Tx>{{"ring", Raw::Tx::ring}, {"sendmmsg", Raw::Tx::sendmmsg}})
                      .description("{ring,sendmmsg}"))
      ->type_name("TEXT")
      ->default_str("ring");
  cli.add_flag("--bulk", bulk,
               "packet: carry GSO super-frames whole (PACKET_VNET_HDR), checksums left to the devices; "
               "senders' gso_max_size must stay <= " +
                   std::to_string(RawSocket::kBulkGsoMaxSize) + " (the default)");
  cli.add_flag("--busy-poll", busy_poll, "never block when idle (benchmarks; costs a full core)");
  cli.add_option("--engines", engines,
                 "2: an engine per direction, each on its own thread, with a receiving socket on one interface "
                 "and a send-only one on the other, so the two hosts' kernel work, which runs in the engine's "
                 "send(), splits over two cores (TCP without offloads on 2 cores: 0.6-0.7x the bridge "
                 "instead of about 0.4x); 1: one engine for both directions. Default: 2 with --io packet, "
                 "1 with --io xdp (an AF_XDP socket cannot be send-only), --cpu, or --bulk (super-frames "
                 "leave the engines little kernel work to split, and one engine carried more)")
      ->check(CLI::Range(1, 2));
  cli.add_option("--cpu", cpu,
                 "run on this CPU only; on the CPU that sends into it, an idle forwarder wakes without an "
                 "inter-processor interrupt (lower latency at low rates; see engine/apps/io/README.md, idle latency)")
      ->check(CLI::Range(0, CPU_SETSIZE - 1));
  cli.add_option("--duration", duration_s, "stop after this many seconds (default: run until Ctrl-C)")
      ->check(CLI::PositiveNumber);
  cli.add_flag("-q,--quiet", quiet, "no reports every second, only the final one");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;  // --help: 0; a bad argument: what is wrong, then 2
  }
  if (bulk && io != "packet") {
    std::cerr << "synnet-forward: --bulk needs --io packet (AF_XDP has no offload metadata)\n";
    return 2;
  }
  if (engines == 2 && io != "packet") {
    std::cerr << "synnet-forward: --engines 2 needs --io packet (an AF_XDP socket cannot be send-only)\n";
    return 2;
  }
  if (engines == 2 && cpu >= 0) {
    std::cerr << "synnet-forward: --engines 2 runs two threads: --cpu would put them on one CPU\n";
    return 2;
  }
  const bool per_direction = engines == 2 || (engines == 0 && io == "packet" && cpu < 0 && !bulk);
  if (cpu >= 0) {
    cpu_set_t set;  // --cpu's check keeps cpu below CPU_SETSIZE
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (::sched_setaffinity(0, sizeof set, &set) != 0) {
      std::cerr << "synnet-forward: --cpu " << cpu << ": " << std::strerror(errno) << " (this machine has CPUs 0 to "
                << ::sysconf(_SC_NPROCESSORS_ONLN) - 1 << ", and the allowed ones may be fewer)\n";
      return 2;
    }
  }

  try {
    RunOptions run;
    run.busy_poll = busy_poll;
    run.stop_signals = {SIGINT, SIGTERM};
    run.report_load = !quiet;
    run.report_links = !quiet;
    if (duration_s > 0) run.duration = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(duration_s));
    const Raw::Offloads offloads = bulk ? Raw::Offloads::bulk : Raw::Offloads::wire;
    if (per_direction) {
      // Frames `from` receives (and never sends: no TX ring) go out on `to`, which only sends.
      const auto direction = [&](const std::string& from, const std::string& to) {
        Config c;
        c.app<RawSocket>("rx", {.ifname = from, .netns = netns, .tx = Raw::Tx::sendmmsg, .offloads = offloads});
        c.app<RawSocket>("tx", {.ifname = to, .netns = netns, .rx = Raw::Rx::none, .tx = tx, .offloads = offloads});
        c.link("rx.output -> tx.input");
        return c;
      };
      EngineGroup group(2, kSeed);
      group.configure({direction(if1, if2), direction(if2, if1)});
      return run_engines(run, group, {if1 + " -> " + if2 + ":", if2 + " -> " + if1 + ":"});
    }

    const auto network = [&](bool xdp) {
      Config c;
      for (const auto& [name, ifname] : {std::pair{"if1", if1}, std::pair{"if2", if2}}) {
        if (xdp) {
          c.app<XdpSocket>(name, {.ifname = ifname, .netns = netns, .attach = xdp_attach, .zero_copy = zero_copy});
        } else {
          c.app<RawSocket>(name, {.ifname = ifname, .netns = netns, .tx = tx, .offloads = offloads});
        }
      }
      c.link("if1.output -> if2.input").link("if2.output -> if1.input");
      return c;
    };
    EngineGroup group(1, kSeed);
    try {
      group.configure({network(io == "xdp")});
    } catch (const SystemError& e) {
      if (io != "xdp" || !fallback) throw;
      std::cerr << "synnet-forward: " << e.what() << "\nsynnet-forward: falling back to packet I/O\n";
      group.configure({network(false)});
    }
    return run_engines(run, group, {""});
  } catch (const std::exception& e) {
    std::cerr << "synnet-forward: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Every failure a user can cause is handled where it happens; what reaches
  // here is a bug, said as such rather than as std::terminate's abort.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "synnet-forward: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "synnet-forward: internal error\n";
  }
  return 2;
}
