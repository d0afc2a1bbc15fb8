// harness_bed.cpp — HarnessBed. See harness_bed.hpp.
#include "tests/bench/harness_bed.hpp"

#include <sys/resource.h>

#include <filesystem>
#include <optional>
#include <stdexcept>

#include "engine/engine_group.hpp"
#include "harness/run/capture_files.hpp"
#include "harness/run/live_network.hpp"
#include "harness/run/testbed.hpp"
#include "harness/scenario/scenario.hpp"
#include "netns/process.hpp"
#include "netns/run_id.hpp"

namespace synnet::bench {

namespace {

// Addresses default to 198.18.0.1 (a) and 198.18.0.2 (b); the switch's ports
// are named after the links and know each host's MAC.
constexpr const char* kSwitched = R"({
  "name": "veth-pps-switch",
  "hosts": [{"name": "a"}, {"name": "b"}],
  "switches": [{"name": "s1"}],
  "links": [{"a": "a", "b": "s1"}, {"a": "b", "b": "s1"}],
  "traffic": [{"name": "unused", "ping": {"from": "a", "to": "b", "count": 1}}]
})";
constexpr const char* kPlain = R"({
  "name": "veth-pps-link",
  "hosts": [{"name": "a"}, {"name": "b"}],
  "links": [{"a": "a", "b": "b"}],
  "traffic": [{"name": "unused", "ping": {"from": "a", "to": "b", "count": 1}}]
})";

}  // namespace

// Destroyed in reverse: the sampler, then the engines stop before the
// testbed's interfaces go, and the run's registration last; the captures
// outlive the engines (their packets point at them).
struct HarnessBed::Impl {
  explicit Impl(const Options& o) : options(o), scenario(parse_scenario(o.switched ? kSwitched : kPlain)) {}
  Options options;
  Scenario scenario;
  CaptureFiles captures;
  RunId run = RunId::create();
  Testbed bed{run, scenario};
  EngineGroup engines{EngineConfigs::kEngines, 1};
  std::optional<LiveNetwork> live;
};

HarnessBed::HarnessBed(const Options& options) : impl_(std::make_unique<Impl>(options)) {
  Impl& i = *impl_;
  if (!options.capture_dir.empty()) {
    i.captures.open(i.scenario, {.dir = options.capture_dir, .limit_bytes = 0});
    i.bed.capture(i.captures.captures());
  }
  i.engines.configure(i.bed.engine_configs(NetworkState::initial(i.scenario)).parts());
  i.engines.start();
  i.live.emplace(
      i.scenario, i.engines, [&i](const NetworkState& s) { return i.bed.engine_configs(s); }, options.series);
  const ProcessResult r = run_process(a().fd(), {.argv = {"ping", "-c", "2", "-i", "0.2", "-w", "5", "198.18.0.2"},
                                                 .env = {"LANG=C"},
                                                 .deadline = std::chrono::seconds(10)});
  if (!r.ok()) throw std::runtime_error("no connectivity through the engines: " + r.out + r.err + i.engines.failure());
}

HarnessBed::~HarnessBed() {
  stop_and_close_captures();  // again is harmless: the sampler, the engines and the files are done once
  if (!impl_->options.capture_dir.empty()) std::filesystem::remove_all(impl_->options.capture_dir);
}

HarnessBed::CaptureTotals HarnessBed::stop_and_close_captures() {
  impl_->live.reset();
  impl_->engines.stop();
  CaptureTotals t;
  if (impl_->captures.empty()) return t;
  for (const CaptureReport& c : impl_->captures.close()) {
    t.frames += c.frames;
    t.written += c.written;
    t.bytes += c.bytes;
  }
  return t;
}

Netns& HarnessBed::a() { return impl_->bed.host("a"); }
Netns& HarnessBed::b() { return impl_->bed.host("b"); }
const std::string& HarnessBed::a_if() const { return impl_->bed.interface("a"); }
const std::string& HarnessBed::b_if() const { return impl_->bed.interface("b"); }

double HarnessBed::engine_cpu() const {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

}  // namespace synnet::bench
