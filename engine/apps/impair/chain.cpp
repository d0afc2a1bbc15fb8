#include "engine/apps/impair/chain.hpp"

#include "engine/apps/basic/join.hpp"

namespace synnet {

void add_impairment_chain(Config& config, const std::string& prefix, const ImpairmentSpec& spec,
                          const std::string& from, const std::string& to) {
  std::string upstream = from;
  // The app of each effect the spec has, linked in chain order.
  for_each_effect([&](const auto& effect) {
    using App = typename std::remove_cvref_t<decltype(effect)>::App;
    const auto& s = spec.*effect.member;
    if (!s) return;
    const std::string name = prefix + "_" + std::string(effect.name);
    config.app<App>(name, *s);
    config.link(upstream + " -> " + name + ".input");
    upstream = name + ".output";
  });
  config.link(upstream + " -> " + to);
}

void add_direction(Config& config, const std::string& prefix, const DirectionSpec& spec, const std::string& from,
                   const std::string& to) {
  if (spec.flows.empty()) {
    add_impairment_chain(config, prefix, spec.impairments, from, to);
    return;
  }
  const std::string split = prefix + "_split", join = prefix + "_join";
  FlowSplitSpec split_spec;
  for (std::size_t i = 0; i < spec.flows.size(); ++i) {
    FlowRule rule = spec.flows[i].rule;
    rule.output = "f" + std::to_string(i);
    split_spec.rules.push_back(std::move(rule));
  }
  config.app<FlowSplit>(split, split_spec);
  config.app<Join>(join);
  config.link(from + " -> " + split + ".input");
  for (std::size_t i = 0; i < spec.flows.size(); ++i) {
    const std::string f = "f" + std::to_string(i);
    add_impairment_chain(config, prefix + "_" + f, spec.flows[i].impairments, split + "." + f, join + "." + f);
  }
  add_impairment_chain(config, prefix, spec.impairments, split + ".default", join + ".default");
  config.link(join + ".output -> " + to);
}

}  // namespace synnet
