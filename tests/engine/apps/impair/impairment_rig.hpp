// impairment_rig.hpp — ImpairmentRig<A>: a gtest fixture for one impairment
// app on a ManualClock engine, wired src (SeqSource) -> <name> (an A) -> rec (Recorder).
//
//   struct LatencyTest : testing::ImpairmentRig<Latency> { LatencyTest() : ImpairmentRig("lat") {} };
//   build(spec, {.remaining = 10});  run(10us, Time{5ms});  src(), rec(), counter("lat", "queued")
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "engine/engine.hpp"
#include "tests/engine/apps/impair/impair_testing.hpp"

namespace synnet::testing {

// Derive a fixture from it: struct LatencyTest : ImpairmentRig<Latency> {
// LatencyTest() : ImpairmentRig("lat") {} };
template <class A>
struct ImpairmentRig : ::testing::Test {
  explicit ImpairmentRig(std::string app_name, std::uint64_t seed = 1, std::size_t packets = 100'000)
      : engine(EngineOptions{.packets = packets, .seed = seed, .clock = &clock, .log = nullptr}),
        name(std::move(app_name)) {}

  void build(typename A::Spec spec, SeqSourceSpec source) {
    Config c;
    c.app<SeqSource>("src", source).template app<A>(name, spec).template app<Recorder>("rec");
    c.link("src.output -> " + name + ".input").link(name + ".output -> rec.input");
    engine.configure(c);
  }
  // Breathes every `step` until `until`.
  void run(Duration step, Time until) {
    while (clock.now() <= until) {
      engine.breathe();
      clock.advance(step);
    }
  }
  SeqSource& src() { return *engine.app_as<SeqSource>("src"); }
  Recorder& rec() { return *engine.app_as<Recorder>("rec"); }
  std::uint64_t counter(const std::string& app, const std::string& name) { return engine.counters().at(app, name); }

  ManualClock clock;
  Engine engine;
  std::string name;
};

}  // namespace synnet::testing
