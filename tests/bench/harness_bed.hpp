// harness_bed.hpp — for `bench_veth pps`: hosts a and b built as a run builds
// them (a harness Testbed of a one-link scenario, its engines running in an
// EngineGroup), either on one switch or on a plain link, with the run's
// series sampler and its verdict capture on or off: what a scenario run's
// engines do, so their cost can be set against each other.
//
//   bench::HarnessBed bed({.switched = true});              // throws if a cannot ping b through it
//   bench::HarnessBed bed({.series = true, .capture_dir = "/tmp/x"});
//   trafgen in bed.a() on bed.a_if(); count bed.b_if()'s rx_packets in bed.b()
//   bed.engine_cpu();                                        // CPU seconds the engines have used
//   bed.capture_totals();                                    // after the run: frames written, not written
//
// switched: the segment lies whole on one engine, which carries both
// directions (network_engines.hpp); plain: an engine per direction.
// series: a LiveNetwork sampling the engines' counters every 100 ms, as every
// scenario run does (off: the same LiveNetwork, sampling off).
// capture_dir: a VerdictCapture per direction there (no size limit), removed
// with the bed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "netns/netns.hpp"

namespace synnet::bench {

class HarnessBed {
 public:
  struct Options {
    bool switched = false;
    bool series = false;
    std::string capture_dir{};  // "": no capture
  };
  explicit HarnessBed(const Options& options);
  ~HarnessBed();
  HarnessBed(const HarnessBed&) = delete;
  HarnessBed& operator=(const HarnessBed&) = delete;

  Netns& a();
  Netns& b();
  const std::string& a_if() const;  // "eth0", 198.18.0.1
  const std::string& b_if() const;  // "eth0", 198.18.0.2
  // This process's CPU seconds (user + system): its engines' threads, as
  // the rest of it sleeps while traffic runs.
  double engine_cpu() const;
  // Stops the engines and closes the captures: the frames and bytes written.
  struct CaptureTotals {
    std::uint64_t frames = 0, written = 0, bytes = 0;
  };
  CaptureTotals stop_and_close_captures();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace synnet::bench
