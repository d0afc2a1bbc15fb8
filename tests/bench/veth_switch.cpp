// veth_switch.cpp — SwitchBed. See veth_switch.hpp.
#include "tests/bench/veth_switch.hpp"

#include <sys/resource.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "engine/engine_group.hpp"
#include "harness/run/testbed.hpp"
#include "harness/scenario/scenario.hpp"
#include "netns/process.hpp"
#include "netns/run_id.hpp"

namespace synnet::bench {

namespace {

// Addresses default to 198.18.0.1 (a) and 198.18.0.2 (b); the switch's ports
// are named after the links and know each host's MAC.
constexpr const char* kScenario = R"({
  "name": "veth-pps-switch",
  "hosts": [{"name": "a"}, {"name": "b"}],
  "switches": [{"name": "s1"}],
  "links": [{"a": "a", "b": "s1"}, {"a": "b", "b": "s1"}],
  "traffic": [{"name": "unused", "ping": {"from": "a", "to": "b", "count": 1}}]
})";

}  // namespace

// Destroyed in reverse: the engines stop before the testbed's interfaces go,
// and the run's registration last.
struct SwitchBed::Impl {
  Scenario scenario = parse_scenario(kScenario);
  RunId run = RunId::create();
  Testbed bed{run, scenario};
  EngineGroup engines{EngineConfigs::kEngines, 1};
  std::jthread sampler{};  // stops before the engines go
};

SwitchBed::SwitchBed(bool sampling) : impl_(std::make_unique<Impl>()) {
  impl_->engines.configure(impl_->bed.engine_configs(NetworkState::initial(impl_->scenario)).parts());
  impl_->engines.start();
  if (sampling) {
    impl_->sampler = std::jthread([engines = &impl_->engines](const std::stop_token& stop) {
      auto next = std::chrono::steady_clock::now();
      while (!stop.stop_requested()) {
        next += std::chrono::milliseconds(100);
        std::this_thread::sleep_until(next);
        (void)engines->counters();
      }
    });
  }
  const ProcessResult r = run_process(a().fd(), {.argv = {"ping", "-c", "2", "-i", "0.2", "-w", "5", "198.18.0.2"},
                                                 .env = {"LANG=C"},
                                                 .deadline = std::chrono::seconds(10)});
  if (!r.ok()) {
    throw std::runtime_error("no connectivity through the switch: " + r.out + r.err + impl_->engines.failure());
  }
}

SwitchBed::~SwitchBed() = default;

Netns& SwitchBed::a() { return impl_->bed.host("a"); }
Netns& SwitchBed::b() { return impl_->bed.host("b"); }
const std::string& SwitchBed::a_if() const { return impl_->bed.interface("a"); }
const std::string& SwitchBed::b_if() const { return impl_->bed.interface("b"); }

double SwitchBed::engine_cpu() const {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

}  // namespace synnet::bench
