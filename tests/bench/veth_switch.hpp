// veth_switch.hpp — for `bench_veth pps`: hosts a and b on one switch, built
// as a run builds them (a harness Testbed of that scenario, its engines
// running in an EngineGroup). The switch segment lies whole on one engine,
// which carries both directions (network_engines.hpp).
//
//   bench::SwitchBed bed;                      // throws if a cannot ping b through it
//   bench::SwitchBed sampled(true);            // plus a thread reading the engines' counters every
//                                              // 100 ms, as a run's LiveNetwork does for its series
//   trafgen in bed.a() on bed.a_if(); count bed.b_if()'s rx_packets in bed.b()
//   bed.engine_cpu();                          // CPU seconds the engines have used
#pragma once

#include <memory>
#include <string>

#include "netns/netns.hpp"

namespace synnet::bench {

class SwitchBed {
 public:
  explicit SwitchBed(bool sampling = false);
  ~SwitchBed();
  SwitchBed(const SwitchBed&) = delete;
  SwitchBed& operator=(const SwitchBed&) = delete;

  Netns& a();
  Netns& b();
  const std::string& a_if() const;  // "eth0", 198.18.0.1
  const std::string& b_if() const;  // "eth0", 198.18.0.2
  // This process's CPU seconds (user + system): its engines' threads, as
  // the rest of it sleeps while traffic runs.
  double engine_cpu() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace synnet::bench
