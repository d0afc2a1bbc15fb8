// traffic.cpp — runs ping, iperf3 and exec items in the testbed and measures
// them. See traffic.hpp.
#include "harness/run/traffic.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <thread>

#include "harness/measure/iperf3_output.hpp"
#include "harness/measure/ping_output.hpp"
#include "netns/process.hpp"

namespace synnet {

namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

constexpr int kUdpAttempts = 6;  // iperf3 UDP: tries to get the stream started (see run_iperf3)

std::string seconds_arg(nanoseconds t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", std::chrono::duration<double>(t).count());
  return buf;
}

std::string shell_words(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>()#~") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

// "ip netns exec <ns> <argv>": how to run the same thing by hand.
std::string by_hand(Netns& ns, const std::vector<std::string>& argv) {
  return "ip netns exec " + ns.name() + " " + shell_words(argv);
}

// Waits for the process, terminating it early when the run is cancelled.
// The deadline is the process's own (ProcessSpec::deadline).
ProcessResult await(Process& p, nanoseconds deadline, const std::atomic<bool>& cancelled) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!p.wait_for(50ms)) {
    if (cancelled.load()) return p.terminate();
    if (std::chrono::steady_clock::now() >= until) break;
  }
  return p.wait();  // ended: its result; deadline passed: terminates it, timed_out set
}

nanoseconds deadline_of(const TrafficItem& item) {
  return item.deadline > 0ns ? item.deadline : default_deadline(item);
}

ItemReport report_for(const TrafficItem& item) {
  ItemReport r;
  r.name = item.name;
  r.kind = kind_of(item);
  return r;
}

std::string tail(const std::string& text, std::size_t n) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

void fail_if_killed(ItemReport& r, const ProcessResult& result, const std::string& what, nanoseconds deadline,
                    const std::atomic<bool>& cancelled) {
  if (result.timed_out) {
    r.error =
        what + " did not finish within its deadline (" + seconds_arg(deadline) + " s); set \"deadline\" to allow more";
  } else if (cancelled.load()) {
    r.error = "interrupted";
  }
}

ItemReport run_ping(const TrafficItem& item, const PingSpec& ping, TrafficContext& ctx) {
  ItemReport r = report_for(item);
  const std::string to = ping.to_address.empty() ? ctx.bed.address(ping.to) : ping.to_address;
  const auto linger_s = std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(ctx.linger).count());
  const std::vector<std::string> argv = {"ping", "-n",
                                         "-c",   std::to_string(ping.count),
                                         "-i",   seconds_arg(ping.interval),
                                         "-s",   std::to_string(ping.size),
                                         "-W",   std::to_string(linger_s),
                                         to};
  Netns& ns = ctx.bed.host(ping.from);
  r.command = by_hand(ns, argv);
  const nanoseconds deadline = deadline_of(item);
  Process p = Process::spawn(ns.fd(), {.argv = argv, .env = {"LANG=C"}, .deadline = deadline, .kill_grace = 1s});
  const ProcessResult result = await(p, deadline, ctx.cancelled);
  r.measurement = parse_ping_output(result.out, ping.count, ping.interval);
  if (result.signal == 0) r.measurement.exit_code = result.exit_code;
  if (!r.measurement.error.empty() && !result.err.empty()) r.measurement.error += ": " + tail(result.err, 200);
  fail_if_killed(r, result, "ping", deadline, ctx.cancelled);
  return r;
}

ItemReport run_iperf3(const TrafficItem& item, const Iperf3Spec& spec, TrafficContext& ctx) {
  const auto item_start = std::chrono::steady_clock::now();
  ItemReport r = report_for(item);
  const bool udp = spec.protocol == Iperf3Protocol::kUdp;
  const std::string port = std::to_string(ctx.port);
  const std::string server_addr = ctx.bed.address(spec.server);
  const std::vector<std::string> server_argv = {"iperf3", "-s", "-1", "-p", port, "-B", server_addr, "--forceflush"};
  std::vector<std::string> argv = {"iperf3",
                                   "-c",
                                   server_addr,
                                   "-p",
                                   port,
                                   "-t",
                                   std::to_string(std::chrono::ceil<std::chrono::seconds>(spec.duration).count()),
                                   "--json",
                                   "--connect-timeout",
                                   "3000"};
  if (udp) argv.emplace_back("-u");
  if (spec.bitrate) argv.insert(argv.end(), {"-b", std::to_string(*spec.bitrate)});
  if (spec.length) argv.insert(argv.end(), {"-l", std::to_string(*spec.length)});
  if (spec.parallel > 1) argv.insert(argv.end(), {"-P", std::to_string(spec.parallel)});
  if (spec.reverse) argv.emplace_back("-R");
  if (!spec.congestion.empty()) argv.insert(argv.end(), {"-C", spec.congestion});

  Netns& server_ns = ctx.bed.host(spec.server);
  Netns& client_ns = ctx.bed.host(spec.client);
  r.command = by_hand(client_ns, argv) + "   (server: " + by_hand(server_ns, server_argv) + ")";
  const nanoseconds deadline = deadline_of(item);
  ProcessResult result;
  auto client_start = item_start;  // of the attempt that ran
  for (int attempt = 1;; ++attempt) {
    Process server = Process::spawn(server_ns.fd(), {.argv = server_argv, .deadline = deadline + 5s, .kill_grace = 1s});
    if (!server.wait_for_output("listening", 5s)) {
      const ProcessResult s = server.terminate();
      r.error = "the iperf3 server in " + spec.server + " did not start listening on port " + port + " within 5 s (" +
                s.describe() + "): " + tail(s.err + s.out, 300);
      return r;
    }
    client_start = std::chrono::steady_clock::now();
    Process client = Process::spawn(client_ns.fd(), {.argv = argv, .deadline = deadline, .kill_grace = 1s});
    // iperf3 3.12 opens a UDP stream with one datagram each way and never
    // resends them: on a lossy link the test can hang before it starts. Once
    // the test runs, the server prints a report each second ("0.00-1.00 sec");
    // without one in 3 s, both go and the test starts over.
    if (udp && attempt < kUdpAttempts && !server.wait_for_output(" sec ", 3s) && client.running() &&
        !ctx.cancelled.load()) {
      client.terminate();
      server.terminate();
      r.notes.push_back("attempt " + std::to_string(attempt) +
                        ": the UDP stream's opening handshake was lost (iperf3 does not resend it); started over");
      continue;
    }
    result = await(client, deadline, ctx.cancelled);
    // A server whose client never connected would wait forever: it goes now.
    if (!server.wait_for(1s)) server.terminate();
    break;
  }
  r.measurement = parse_iperf3_json(result.out, udp);
  // iperf3 counts its intervals from its own start: from the item's, after
  // the server's start and any UDP attempts started over.
  const double offset = std::chrono::duration<double>(client_start - item_start).count();
  for (IntervalPoint& p : r.measurement.intervals) {
    p.start += offset;
    p.end += offset;
  }
  if (result.signal == 0) r.measurement.exit_code = result.exit_code;
  fail_if_killed(r, result, "iperf3", deadline, ctx.cancelled);
  return r;
}

std::string env_name(const std::string& host) {
  std::string out = "SYNNET_ADDR_";
  for (char c : host) out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

ItemReport run_exec(const TrafficItem& item, const ExecSpec& spec, TrafficContext& ctx) {
  ItemReport r = report_for(item);
  Netns& ns = ctx.bed.host(spec.host);
  r.command = by_hand(ns, spec.argv);
  std::vector<std::string> env = ctx.env;
  env.push_back("SYNNET_HOST=" + spec.host);
  for (const std::string& host : ctx.bed.host_names()) {
    try {
      env.push_back(env_name(host) + "=" + ctx.bed.address(host));
    } catch (const std::out_of_range&) {
      // a host without IPv4 address: no variable
    }
  }
  const nanoseconds deadline = deadline_of(item);
  std::optional<Process> p;
  try {
    p.emplace(Process::spawn(ns.fd(), {.argv = spec.argv, .env = env, .deadline = deadline, .kill_grace = 2s}));
  } catch (const std::exception& e) {
    r.error = std::string("could not start ") + spec.argv.front() + ": " + e.what();
    return r;
  }
  const ProcessResult result = await(*p, deadline, ctx.cancelled);
  if (result.signal == 0) r.measurement.exit_code = result.exit_code;
  r.output = tail(result.out, 4096);
  r.errors = tail(result.err, 4096);
  if (result.exit_code == 127 && result.signal == 0) {
    r.measurement.error = spec.argv.front() + " could not be run (exit status 127: not found?)";
  }
  fail_if_killed(r, result, spec.argv.front(), deadline, ctx.cancelled);
  return r;
}

}  // namespace

const char* kind_of(const TrafficItem& item) {
  struct Kind {
    const char* operator()(const PingSpec&) const { return "ping"; }
    const char* operator()(const Iperf3Spec&) const { return "iperf3"; }
    const char* operator()(const ExecSpec&) const { return "exec"; }
    const char* operator()(const ParallelGroup&) const { return "parallel"; }
    const char* operator()(const ChangeStep&) const { return "change"; }
  };
  return std::visit(Kind{}, item.what);
}

nanoseconds expected_length(const TrafficItem& item) {
  if (const auto* p = std::get_if<PingSpec>(&item.what)) return p->interval * (p->count > 0 ? p->count - 1 : 0);
  if (const auto* i = std::get_if<Iperf3Spec>(&item.what)) return i->duration;
  if (const auto* g = std::get_if<ParallelGroup>(&item.what)) {
    nanoseconds longest{0};
    for (const TrafficItem& sub : g->items) longest = std::max(longest, expected_length(sub));
    return longest;
  }
  return 0ns;  // exec: unknown
}

nanoseconds default_deadline(const TrafficItem& item) {
  if (std::holds_alternative<ExecSpec>(item.what)) return 60s;
  return expected_length(item) + 15s;
}

ItemReport run_traffic_item(const TrafficItem& item, TrafficContext& ctx) {
  try {
    if (const auto* p = std::get_if<PingSpec>(&item.what)) return run_ping(item, *p, ctx);
    if (const auto* i = std::get_if<Iperf3Spec>(&item.what)) return run_iperf3(item, *i, ctx);
    if (const auto* e = std::get_if<ExecSpec>(&item.what)) return run_exec(item, *e, ctx);
  } catch (const std::exception& e) {
    ItemReport r = report_for(item);
    r.error = e.what();
    return r;
  }
  ItemReport r = report_for(item);
  r.error = "a parallel group is not one item";
  return r;
}

}  // namespace synnet
