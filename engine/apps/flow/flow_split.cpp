#include "engine/apps/flow/flow_split.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/config.hpp"

namespace synnet {

namespace {

// The rules' distinct outputs in first-appearance order, then "default".
std::vector<std::string> declared_outputs(const FlowSplitSpec& spec) {
  std::vector<std::string> names;
  for (const FlowRule& r : spec.rules) {
    if (std::find(names.begin(), names.end(), r.output) == names.end()) names.push_back(r.output);
  }
  names.emplace_back(FlowSplit::kDefaultOutput);
  return names;
}

void check_prefix(const std::string& where, const char* field, const IpPrefix& p) {
  if (p.family != 4 && p.family != 6) {
    throw std::invalid_argument(where + field + ": family " + std::to_string(p.family) + " is not 4 or 6");
  }
  const unsigned max = p.family == 4 ? 32 : 128;
  if (p.length > max) {
    throw std::invalid_argument(where + field + ": length " + std::to_string(p.length) + " is not in 0.." +
                                std::to_string(max));
  }
}

void check_ports(const std::string& where, const char* field, const PortRange& r) {
  if (r.first > r.last) {
    throw std::invalid_argument(where + field + " " + std::to_string(r.first) + "-" + std::to_string(r.last) +
                                ": first is greater than last");
  }
}

}  // namespace

void FlowSplitSpec::validate() const {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const FlowRule& r = rules[i];
    const std::string where = "rules[" + std::to_string(i) + "]: ";
    if (r.output.empty()) throw std::invalid_argument(where + "output is empty: name the port its packets leave on");
    if (!valid_name(r.output)) {
      throw std::invalid_argument(where + "output \"" + r.output +
                                  "\" is not a valid port name (use letters, digits, '_' and '-')");
    }
    if (r.output == FlowSplit::kDefaultOutput) {
      throw std::invalid_argument(where + "output \"default\" is reserved for the packets no rule matches");
    }
    if (!r.src && !r.dst && !r.protocol && !r.src_ports && !r.dst_ports) {
      throw std::invalid_argument(where +
                                  "sets none of src, dst, protocol, src_ports, dst_ports, so it would "
                                  "match everything (packets no rule matches already go to \"default\")");
    }
    if (r.src) check_prefix(where, "src", *r.src);
    if (r.dst) check_prefix(where, "dst", *r.dst);
    if (r.src && r.dst && r.src->family != r.dst->family) {
      throw std::invalid_argument(where + "src " + r.src->str() + " and dst " + r.dst->str() +
                                  " are of different IP families: the rule could never match");
    }
    if (r.src_ports) check_ports(where, "src_ports", *r.src_ports);
    if (r.dst_ports) check_ports(where, "dst_ports", *r.dst_ports);
    if ((r.src_ports || r.dst_ports) && r.protocol && !protocol_has_ports(*r.protocol)) {
      throw std::invalid_argument(where + "protocol " + std::to_string(*r.protocol) +
                                  " has no ports (TCP 6, UDP 17, SCTP 132 and UDP-Lite 136 do): with a port "
                                  "range, the rule could never match");
    }
  }
}

Ports FlowSplit::ports(const Spec& spec) { return Ports::fixed({"input"}, declared_outputs(spec)); }

FlowSplit::FlowSplit(AppContext& ctx, const Spec& spec)
    : App(ctx), rules_(spec.rules), port_names_(declared_outputs(spec)), sent_(port_names_.size(), 0) {
  for (const FlowRule& r : rules_) {
    const auto it = std::find(port_names_.begin(), port_names_.end(), r.output);
    rule_output_.push_back(static_cast<std::size_t>(it - port_names_.begin()));
  }
  for (std::size_t i = 0; i + 1 < port_names_.size(); ++i) counter_names_.push_back("matched_" + port_names_[i]);
  counter_names_.emplace_back("default");
}

void FlowSplit::push() {
  Link* in = input();
  const std::size_t default_port = port_names_.size() - 1;
  while (!in->empty()) {
    Packet* p = in->receive();
    const int rule = match_rule(rules_, parse_flow_key(p->data, p->length));
    const std::size_t port = rule < 0 ? default_port : rule_output_[static_cast<std::size_t>(rule)];
    Link* out = output(port);
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
      continue;
    }
    out->transmit(p);
    ++sent_[port];
  }
}

void FlowSplit::counters(const CounterVisitor& emit) const {
  for (std::size_t i = 0; i < counter_names_.size(); ++i) emit.packets(counter_names_[i], sent_[i]);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
