// chain.hpp — builds one direction's impairments from a declarative spec (the
// shape of a scenario file's `a_to_b` / `b_to_a`), so nobody wires impairment
// apps by hand.
//
//   DirectionSpec d;
//   d.impairments.loss = LossSpec{.ratio = 0.01};
//   d.impairments.latency = LatencySpec{.delay_us = 20'000};
//   d.flows.push_back({FlowRule{.output = "dns", .protocol = 17, .dst_ports = PortRange{53, 53}},
//                      ImpairmentSpec{.loss = LossSpec{.ratio = 0.5}}});
//   add_direction(config, "a_to_b", d, "if_a.output", "if_b.input");
//
// One direction's apps are named "<prefix>_<effect>" and linked in this fixed
// order (the rows of effects.hpp's kEffects), which models a bottleneck link
// and then the path behind it:
//   mtu → outage → loss → corrupt → duplicate → rate → latency → jitter → slot → reorder
// With flows, a FlowSplit ("<prefix>_split") sends each packet to the chain of
// the first rule it matches ("<prefix>_f<i>_<effect>"), the rest to the
// default chain, and a Join ("<prefix>_join") merges them again. With no
// effect at all, `from` is linked straight to `to`.
// Re-applying a changed spec keeps the apps that stay (Engine::configure
// reconfigures them in place, keeping queued packets and token buckets).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/apps/flow/flow_split.hpp"
#include "engine/apps/impair/effects.hpp"
#include "engine/config.hpp"

namespace synnet {

struct FlowChain {
  FlowRule rule;  // rule.output is ignored: each flow gets its own port
  ImpairmentSpec impairments{};
  bool operator==(const FlowChain&) const = default;
};

struct DirectionSpec {
  ImpairmentSpec impairments{};  // for packets no flow rule matches
  std::vector<FlowChain> flows{};
  bool operator==(const DirectionSpec&) const = default;
};

// Adds the apps and links of one direction between `from` and `to` ("app.port").
// Throws ConfigError (bad prefix, bad spec: the message names the app).
void add_direction(Config& config, const std::string& prefix, const DirectionSpec& spec, const std::string& from,
                   const std::string& to);
// One chain without flows (what add_direction uses for each chain).
void add_impairment_chain(Config& config, const std::string& prefix, const ImpairmentSpec& spec,
                          const std::string& from, const std::string& to);

}  // namespace synnet
