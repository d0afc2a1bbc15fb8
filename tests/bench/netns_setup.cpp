// netns-setup — how long building and tearing down a topology takes with
// synnet, against the same steps done by ip(8) commands in a shell script.
// Median of N runs each, alternating:
//   - the PoC topology with synnet_netns (testing::PocTopology), against
//     netns_setup_ip.sh;
//   - 5 hosts n1..n5 on one switch s1: parse_scenario of an inline JSON, a
//     Testbed of it, its engine configurations, then its destruction, against
//     netns_setup_switch_ip.sh (the same with a Linux bridge in the wire
//     namespace where synnet has its Switch app).
//
//   bench_netns_setup [--runs N]   (default 20; needs root)
// Last line: "netns-setup: <ratio>x ip(8) (synnet <ms> ms, ip <ms> ms); switch <ratio>x
// ip(8) (synnet <ms> ms, ip <ms> ms)", ratio = ip's median / synnet's median
// (above 1: synnet is faster).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <vector>

#include "harness/run/testbed.hpp"
#include "harness/scenario/scenario.hpp"
#include "netns/cleanup.hpp"
#include "netns/process.hpp"
#include "tests/bench/bench_util.hpp"
#include "tests/netns/netns_testing.hpp"

using namespace synnet;
using BenchClock = std::chrono::steady_clock;

namespace {

double ms_since(BenchClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(BenchClock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// 5 hosts on one switch; their addresses default to 198.18.0.1..5/24.
constexpr const char* kSwitchScenario = R"({
  "name": "netns-setup-switch",
  "hosts": [{"name": "n1"}, {"name": "n2"}, {"name": "n3"}, {"name": "n4"}, {"name": "n5"}],
  "switches": [{"name": "s1"}],
  "links": [{"a": "n1", "b": "s1"}, {"a": "n2", "b": "s1"}, {"a": "n3", "b": "s1"},
            {"a": "n4", "b": "s1"}, {"a": "n5", "b": "s1"}],
  "traffic": [{"name": "unused", "ping": {"from": "n1", "to": "n2", "count": 1}}]
})";

// Runs the ip(8) script with a fresh run prefix; its milliseconds, or -1 after
// reporting its failure (and cleaning up after it).
double time_script(const std::string& script) {
  RunId run = RunId::create();  // so that cleanup() knows the script's names too
  const auto t0 = BenchClock::now();
  const ProcessResult r = run_process(-1, {.argv = {"sh", script, run.prefix()}, .deadline = std::chrono::seconds(30)});
  const double ms = ms_since(t0);
  if (!r.ok()) {
    std::cerr << "netns-setup: " << script << " failed (" << r.describe() << "):\n" << r.err;
    cleanup(run.prefix());
    return -1;
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 20;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = bench::parse_count(argv[++i]);
    } else {
      std::cerr << "usage: " << argv[0] << " [--runs N]\n";
      return 2;
    }
  }
  if (!testing::has_admin_caps()) {
    std::cerr << "netns-setup: needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to build namespaces; run as root\n";
    return 2;
  }
  const std::string script = std::string(SYNNET_BENCH_DIR) + "/netns_setup_ip.sh";
  const std::string switch_script = std::string(SYNNET_BENCH_DIR) + "/netns_setup_switch_ip.sh";
  std::vector<double> ours, theirs, ours_switch, theirs_switch;
  std::size_t engine_apps = 0;
  try {  // unwinding removes what a failed run built
    for (std::size_t i = 0; i < runs; ++i) {
      auto t0 = BenchClock::now();
      { testing::PocTopology topology; }
      ours.push_back(ms_since(t0));
      const double ms = time_script(script);
      if (ms < 0) return 1;
      theirs.push_back(ms);

      t0 = BenchClock::now();
      {
        const Scenario scenario = parse_scenario(kSwitchScenario);
        RunId run = RunId::create();
        Testbed bed(run, scenario);
        const EngineConfigs configs = bed.engine_configs(NetworkState::initial(scenario));
        engine_apps = 0;
        for (const Config& part : configs.parts()) engine_apps += part.apps().size();
      }
      ours_switch.push_back(ms_since(t0));
      const double switch_ms = time_script(switch_script);
      if (switch_ms < 0) return 1;
      theirs_switch.push_back(switch_ms);
    }
  } catch (const std::exception& e) {
    std::cerr << "netns-setup: " << e.what() << "\n";
    return 1;
  }
  const auto min_of = [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); };
  const double ours_ms = median(ours), theirs_ms = median(theirs);
  const double ours_switch_ms = median(ours_switch), theirs_switch_ms = median(theirs_switch);
  std::cout << "runs: " << runs << " each\n";
  std::cout << "  PoC (2 hosts, one link): synnet median " << bench::fmt_fixed(ours_ms, 2) << " ms (min "
            << bench::fmt_fixed(min_of(ours), 2) << "), ip median " << bench::fmt_fixed(theirs_ms, 2) << " ms (min "
            << bench::fmt_fixed(min_of(theirs), 2) << ")\n";
  std::cout << "  switch (5 hosts, Testbed + " << engine_apps << " engine apps vs ip(8) + a bridge): synnet median "
            << bench::fmt_fixed(ours_switch_ms, 2) << " ms (min " << bench::fmt_fixed(min_of(ours_switch), 2)
            << "), ip median " << bench::fmt_fixed(theirs_switch_ms, 2) << " ms (min "
            << bench::fmt_fixed(min_of(theirs_switch), 2) << ")\n";
  std::cout << "netns-setup: " << bench::fmt_fixed(theirs_ms / ours_ms, 1) << "x ip(8) (synnet "
            << bench::fmt_fixed(ours_ms, 2) << " ms, ip " << bench::fmt_fixed(theirs_ms, 2) << " ms); switch "
            << bench::fmt_fixed(theirs_switch_ms / ours_switch_ms, 1) << "x ip(8) (synnet "
            << bench::fmt_fixed(ours_switch_ms, 2) << " ms, ip " << bench::fmt_fixed(theirs_switch_ms, 2) << " ms)"
            << std::endl;
  return 0;
}
