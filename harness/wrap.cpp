// wrap.cpp — `synnet-test run`: the scenario its flags describe, and running
// a command behind it. See wrap.hpp.
#include "harness/wrap.hpp"

#include <signal.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/engine.hpp"
#include "harness/blocked_signals.hpp"
#include "harness/engine_group.hpp"
#include "harness/runner.hpp"
#include "harness/testbed.hpp"
#include "netns/process.hpp"
#include "netns/rtnetlink.hpp"
#include "netns/run_id.hpp"

namespace synnet {

namespace {

using namespace std::chrono_literals;
using nlohmann::ordered_json;

constexpr std::chrono::seconds kSignalGrace{5};
constexpr const char* kWrapSubnet = "198.18.0.";  // self is .1, the peer .2 (/24)  // a forwarded Ctrl-C: then SIGTERM, SIGKILL

struct Direction {
  const char* key;   // "a_to_b"
  const char* flag;  // "up"
};
constexpr Direction kDirections[] = {{"a_to_b", "up"}, {"b_to_a", "down"}};

ordered_json flag_value(const std::string& key, const std::string& flag, const std::string& value) {
  if (key != "mtu") return value;
  std::size_t used = 0;
  int mtu = 0;
  try {
    mtu = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || value.empty()) throw WrapError("--" + flag + ": \"" + value + "\" is not a whole number of bytes (e.g. 1400)");
  return mtu;
}

// "/links/0/a_to_b/loss/..." -> the flag that set it, or "".
std::string flag_of(const std::string& path, const std::map<std::string, std::string>& source) {
  for (const auto& [prefix, flag] : source) {
    if (path == prefix || path.rfind(prefix + "/", 0) == 0) return flag;
  }
  return "";
}

// True for an I/O app's counter that explains a lost packet: frames it could
// not take in (rx_oversize, rx_kernel_drops, rx_csum_dropped, ...) or send.
bool io_loss_counter(const std::string& name, bool receiving) {
  if (receiving) {
    return name.rfind("rx_", 0) == 0 && name != "rx_packets" && name != "rx_bytes" && name != "rx_ring" &&
           name != "rx_csum_partial" && name != "rx_gso_frames" && name != "rx_gso_segments";
  }
  return name == "tx_oversize" || name.rfind("tx_error", 0) == 0;
}

std::string counters_summary(const std::map<std::string, std::uint64_t>& c, const std::string& p, const Direction& d) {
  const bool up = std::string(d.key) == "a_to_b";
  const std::string from = p + (up ? "_a" : "_b") + ".", to = p + (up ? "_b" : "_a") + ".";
  auto value = [&](const std::string& k) { return c.count(k) ? c.at(k) : 0; };
  // In wire packets: a GSO super-frame received whole counts as the packets it stands for.
  const std::uint64_t in = value(from + "rx_packets") + value(from + "rx_gso_segments") - value(from + "rx_gso_frames");
  const std::uint64_t out = value(to + "tx_packets") + value(to + "tx_gso_segments") - value(to + "tx_gso_frames");
  std::string s = std::string(d.flag) + " " + std::to_string(in) + " packets in, " + std::to_string(out) + " out";
  std::string drops;
  const std::string chain = p + "_" + d.key + "_";
  for (const auto& [key, n] : c) {
    if (n == 0) continue;
    std::string shown;
    if (key.rfind(chain, 0) == 0 && (key.find("drop") != std::string::npos || key.find("corrupted") != std::string::npos ||
                                     key.find("duplicated") != std::string::npos)) {
      shown = key.substr(chain.size());
    } else if (key.rfind(from, 0) == 0 && io_loss_counter(key.substr(from.size()), true)) {
      shown = key.substr(p.size() + 1);  // "a.rx_oversize"
    } else if (key.rfind(to, 0) == 0 && io_loss_counter(key.substr(to.size()), false)) {
      shown = key.substr(p.size() + 1);
    } else {
      continue;
    }
    drops += (drops.empty() ? "" : ", ") + shown + " " + std::to_string(n);
  }
  return drops.empty() ? s : s + " (" + drops + ")";
}

}  // namespace

std::string engine_summary(const std::map<std::string, std::uint64_t>& counters, const std::string& link_prefix) {
  return counters_summary(counters, link_prefix, kDirections[0]) + "; " +
         counters_summary(counters, link_prefix, kDirections[1]);
}

const std::vector<std::string>& wrap_flag_keys() {
  static const std::vector<std::string> keys = {"loss", "delay", "jitter", "rate", "duplicate", "corrupt", "mtu"};
  return keys;
}

Scenario wrap_scenario(const std::map<std::string, std::string>& flags, const std::string& profile_text,
                       const std::string& profile_name) {
  ordered_json link = ordered_json::object();
  if (!profile_text.empty()) {
    link = ordered_json::parse(profile_text, nullptr, /*allow_exceptions=*/false);
    if (link.is_discarded()) throw WrapError("profile " + profile_name + ": not valid JSON");
    if (!link.is_object()) throw WrapError("profile " + profile_name + ": expected a JSON object (a scenario's link: a_to_b, b_to_a, io, mtu)");
    for (const char* taken : {"a", "b", "name"}) {
      if (link.contains(taken)) {
        throw WrapError("profile " + profile_name + ": /" + taken + ": set by synnet-test run (self is a, peer is b); remove it");
      }
    }
  }
  link["a"] = "self";
  link["b"] = "peer";
  std::map<std::string, std::string> source;  // JSON path -> the flag that set it
  for (const std::string& key : wrap_flag_keys()) {
    for (const Direction& d : kDirections) {
      // The one-way flag wins over the two-way one.
      for (const std::string& flag : {key, std::string(d.flag) + "-" + key}) {
        const auto it = flags.find(flag);
        if (it == flags.end()) continue;
        link[d.key][key] = flag_value(key, flag, it->second);
        source["/links/0/" + std::string(d.key) + "/" + key] = flag;
      }
    }
  }
  for (const auto& [flag, value] : flags) {
    bool known = false;
    for (const std::string& key : wrap_flag_keys()) known = known || flag == key || flag == "up-" + key || flag == "down-" + key;
    if (!known) throw WrapError("--" + flag + ": not an impairment flag");
  }
  const ordered_json doc = {
      {"name", "run"},
      {"hosts", {{{"name", "self"}}, {{"name", "peer"}}}},
      {"links", {link}},
      {"traffic", {{{"name", "command"}, {"exec", {{"host", "self"}, {"argv", {"true"}}}}}}},
  };
  try {
    return parse_scenario(doc.dump());
  } catch (const ScenarioError& e) {
    const std::string message = std::string(e.what()).substr(e.path().size() + 2);
    if (const std::string flag = flag_of(e.path(), source); !flag.empty()) throw WrapError("--" + flag + ": " + message);
    if (e.path().rfind("/links/0", 0) == 0) {
      throw WrapError("profile " + profile_name + ": " + e.path().substr(8) + ": " + message);
    }
    throw WrapError(e.what());
  }
}

int run_wrapped(const Scenario& s, const WrapOptions& o) {
  std::ostream& log = o.log ? *o.log : std::cerr;
  const std::uint64_t seed = o.seed ? *o.seed : random_seed();
  const BlockedSignals blocked;
  if (o.far_side_is_host) {
    // The host end's subnet must be free here, or the host's replies would go elsewhere.
    for (const auto& [dev, address] : RtNetlink().addresses()) {
      if (address.rfind(kWrapSubnet, 0) == 0) {
        throw WrapError("--host: " + std::string(kWrapSubnet) + "0/24 is already in use on this machine (" + address +
                        " on " + dev + (run_prefix_of(dev).empty() ? "" : ": another synnet-test run --host?") +
                        "); end that first");
      }
    }
  }
  std::optional<RunId> run;
  std::optional<Testbed> bed;
  try {
    run.emplace(RunId::create());
    bed.emplace(*run, s, o.far_side_is_host ? "peer" : "");
  } catch (const std::exception& e) {
    throw setup_failure("setting up the network", e);
  }
  EngineGroup engines(EngineConfigs::kEngines, seed);  // one per direction (engine_link.hpp)
  try {
    engines.configure(bed->engine_configs(bed->links()).parts());
  } catch (const std::exception& e) {
    throw setup_failure("starting the engine", e);
  }
  engines.start();

  const std::string self = bed->address("self"), peer = bed->address("peer");
  const std::vector<std::string> env = {"SYNNET_SELF=" + self, "SYNNET_PEER=" + peer};
  log << "synnet-test run: SYNNET_SELF=" << self << " SYNNET_PEER=" << peer
      << (o.far_side_is_host ? " (this machine, on " + bed->interface("peer") + ")" : "") << "; up {"
      << describe(s.links[0].a_to_b) << "}, down {" << describe(s.links[0].b_to_a) << "}; seed " << seed << ", run "
      << run->prefix() << "\n"
      << std::flush;

  std::optional<Process> peer_process;
  if (!o.peer_cmd.empty()) {
    peer_process.emplace(Process::spawn(bed->host("peer").fd(), {.argv = {"sh", "-c", o.peer_cmd}, .env = env}));
    std::this_thread::sleep_for(300ms);  // a head start; the command should still retry its first connection
  }

  int status = 0;
  try {
    Process cmd = Process::spawn(bed->host("self").fd(), {.argv = o.argv, .env = env, .inherit_stdio = true});
    int forwarded = 0;
    auto forwarded_at = std::chrono::steady_clock::now();
    while (!cmd.wait_for(50ms)) {
      if (const int sig = take_signal(0ns)) {
        if (forwarded == 0) {
          ::kill(-cmd.pid(), sig);  // the command first: it may want to clean up
          forwarded = sig;
          forwarded_at = std::chrono::steady_clock::now();
        } else {
          cmd.terminate();  // a second signal: no more waiting
        }
      }
      if (forwarded != 0 && std::chrono::steady_clock::now() - forwarded_at > kSignalGrace) cmd.terminate();
      if (const std::string f = engines.failure(); !f.empty()) {
        log << "synnet-test run: the engine failed: " << f << "; stopping the command\n";
        cmd.terminate();
      }
    }
    const ProcessResult r = cmd.wait();
    status = r.signal != 0 ? 128 + r.signal : r.exit_code;
  } catch (const std::exception& e) {
    log << "synnet-test run: cannot run " << o.argv.front() << ": " << e.what() << "\n";
    status = 127;
  }

  if (peer_process) {
    const bool ended_by_itself = !peer_process->running();
    const ProcessResult p = ended_by_itself ? peer_process->wait() : peer_process->terminate();
    if (ended_by_itself && !p.ok()) {
      log << "synnet-test run: the peer command " << p.describe() << "; its output:\n" << p.out << p.err;
    }
  }
  engines.stop();
  const auto counters = engines.counters();
  const std::string prefix = bed->link_app_prefix(0);
  log << "synnet-test run: engine: " << engine_summary(counters, prefix) << "\n";
  return status;
}

}  // namespace synnet
