// flow_split.hpp — FlowSplit: sends each packet to the output of the first
// rule its flow matches, so that each flow can get its own impairment chain.
//
//              +-----------+--> <rules[i].output>   (one port per distinct output name,
//   input  --> | FlowSplit |--> ...                  in order of first appearance)
//              +-----------+--> default             (no rule matched; not IP; malformed)
//
// Spec (FlowSplitSpec):
//   rules — ordered; the FIRST rule that matches wins. Each FlowRule has
//     output    — the output port's name (letters, digits, '_' and '-'; not "default").
//                 Several rules may share an output.
//     src, dst  — IpPrefix: the packet's source / destination address is inside it
//     protocol  — the IP protocol number (6 TCP, 17 UDP, 58 ICMPv6, ...; for IPv6
//                 the one after the extension headers, see flow_key.hpp)
//     src_ports, dst_ports — PortRange [first, last], inclusive: the packet's
//                 source / destination port is in it
//   A rule matches when every field it sets matches; fields left unset match
//   anything. A packet without ports (ICMP, a non-first fragment, a truncated
//   L4 header) never matches a rule with a port range; an IPv4 packet never
//   matches an IPv6 prefix, nor the other way round.
//
// Direction: a rule matches the packet's own header fields, source as source
// and destination as destination. It has no notion of "client" or "server".
// A FlowSplit sees one direction of traffic, so for a two-way link the
// harness puts one FlowSplit in each direction and writes each direction's
// rules. For an iperf3 server on B, port 5201:
//   a_to_b: {.output = "iperf", .dst_ports = PortRange{5201, 5201}}
//   b_to_a: {.output = "iperf", .src_ports = PortRange{5201, 5201}}
//
// validate() throws std::invalid_argument, naming the rule ("rules[2] ..."),
// when: an output name is empty, not a valid port name, or "default"; a rule
// sets no field (it would match everything: use "default" for that); a port
// range has first > last; a prefix is not IPv4/IPv6 or its length is too
// long; src and dst are of different families, or a port range is set with a
// protocol that has no ports (the rule could never match).
//
// Counters (every packet taken from the input is counted in exactly one):
//   matched_<output>  — packets a rule sent to <output>, handed to its link
//   default           — packets no rule matched, handed to the "default" link
//   dropped_no_output — packets whose chosen output (or "default") is not linked: freed
// So input rxpackets = sum of matched_* + default + dropped_no_output. (A
// full output link drops and counts its own txdrop, as every link does.)
// Holds no packets; a new spec restarts it (counters start from zero).
//
// The matching itself is pure and header-only (FlowRule::matches,
// match_rule), so tests and the fuzz target use it without an engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/apps/flow/flow_key.hpp"

namespace synnet {

struct PortRange {
  std::uint16_t first = 0, last = 65535;  // inclusive
  bool contains(std::uint16_t port) const noexcept { return first <= port && port <= last; }
  bool operator==(const PortRange&) const = default;
};

struct FlowRule {
  std::string output;
  std::optional<IpPrefix> src{}, dst{};
  std::optional<std::uint8_t> protocol{};
  std::optional<PortRange> src_ports{}, dst_ports{};
  bool operator==(const FlowRule&) const = default;

  // Every field the rule sets matches the key. A key with family 0 matches
  // nothing (a rule sets at least one field).
  bool matches(const FlowKey& key) const noexcept {
    if (key.family == 0) return false;
    if (src && !src->contains(key, true)) return false;
    if (dst && !dst->contains(key, false)) return false;
    if (protocol && key.protocol != *protocol) return false;
    if ((src_ports || dst_ports) && !key.has_ports) return false;
    if (src_ports && !src_ports->contains(key.src_port)) return false;
    if (dst_ports && !dst_ports->contains(key.dst_port)) return false;
    return true;
  }
};

// The index of the first rule that matches key, or -1 when none does.
inline int match_rule(const std::vector<FlowRule>& rules, const FlowKey& key) noexcept {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].matches(key)) return static_cast<int>(i);
  }
  return -1;
}

struct FlowSplitSpec {
  std::vector<FlowRule> rules{};
  bool operator==(const FlowSplitSpec&) const = default;
  void validate() const;
};

class FlowSplit final : public App {
 public:
  using Spec = FlowSplitSpec;
  static constexpr const char* kDefaultOutput = "default";

  // Outputs: the rules' distinct output names in first-appearance order, then "default".
  static Ports ports(const Spec& spec);

  FlowSplit(AppContext& ctx, const Spec& spec);
  void push() override;
  void counters(const CounterVisitor& emit) const override;

 private:
  std::vector<FlowRule> rules_;
  std::vector<std::size_t> rule_output_;    // rules_[i] sends to output(rule_output_[i])
  std::vector<std::string> port_names_;     // as ports() declares them; the last is "default"
  std::vector<std::string> counter_names_;  // "matched_<output>"..., then "default"
  std::vector<std::uint64_t> sent_;         // per output port
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
