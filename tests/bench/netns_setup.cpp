// netns-setup — how long building and tearing down the PoC topology takes
// with synnet_netns, against the same steps done by ip(8) commands in a shell
// script (netns_setup_ip.sh). Median of N runs each, alternating.
//
//   bench_netns_setup [--runs N]   (default 20; needs root)
// Last line: "netns-setup: <ratio>x ip(8) (synnet <ms> ms, ip <ms> ms)",
// ratio = ip's median / synnet's median (above 1: synnet is faster).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <vector>

#include "netns/cleanup.hpp"
#include "netns/process.hpp"
#include "tests/bench/bench_util.hpp"
#include "tests/netns/netns_testing.hpp"

using namespace synnet;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
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
  std::vector<double> ours, theirs;
  for (std::size_t i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    { testing::PocTopology topology; }
    ours.push_back(ms_since(t0));

    RunId run = RunId::create();  // so that cleanup() knows the script's names too
    t0 = Clock::now();
    const ProcessResult r =
        run_process(-1, {.argv = {"sh", script, run.prefix()}, .deadline = std::chrono::seconds(30)});
    theirs.push_back(ms_since(t0));
    if (!r.ok()) {
      std::cerr << "netns-setup: the ip(8) script failed (" << r.describe() << "):\n" << r.err;
      cleanup(run.prefix());
      return 1;
    }
  }
  const double ours_ms = median(ours), theirs_ms = median(theirs);
  std::cout << "runs: " << runs << " each; synnet min "
            << bench::fmt_fixed(*std::min_element(ours.begin(), ours.end()), 2) << " ms, ip min "
            << bench::fmt_fixed(*std::min_element(theirs.begin(), theirs.end()), 2) << " ms\n";
  std::cout << "netns-setup: " << bench::fmt_fixed(theirs_ms / ours_ms, 1) << "x ip(8) (synnet "
            << bench::fmt_fixed(ours_ms, 2) << " ms, ip " << bench::fmt_fixed(theirs_ms, 2) << " ms)" << std::endl;
  return 0;
}
