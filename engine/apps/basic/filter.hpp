// filter.hpp — Filter: runs a C++ callable on every packet (filter/map).
// The callable may change the packet in place; it returns true to forward the
// packet, false to drop it (counted).
//
//   input --> +--------+--> output
//             | Filter |
//             +--------+
//
//   c.app<Filter>("even", FilterSpec([](Packet& p) { return p.length % 2 == 0; }));
//
// Spec (FilterSpec): the callable. Two specs are equal when they share the
// same callable object (copies of one FilterSpec), so re-applying a config
// keeps the app, and a new lambda restarts it.
// Counters: forwarded, dropped.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "engine/app.hpp"

namespace synnet {

struct FilterSpec {
  using Fn = std::function<bool(Packet&)>;
  std::shared_ptr<const Fn> fn;

  FilterSpec() = default;
  template <class F>
  requires std::is_invocable_r_v<bool, F&, Packet&>
  explicit FilterSpec(F f) : fn(std::make_shared<const Fn>(std::move(f))) {}
  bool operator==(const FilterSpec&) const = default;
  void validate() const;
};

class Filter final : public App {
 public:
  using Spec = FilterSpec;

  Filter(AppContext& ctx, const Spec& spec) : App(ctx), fn_(spec.fn) {}
  void push() override;
  void counters(const CounterVisitor& emit) const override;

 private:
  std::shared_ptr<const FilterSpec::Fn> fn_;
  std::uint64_t forwarded_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace synnet
