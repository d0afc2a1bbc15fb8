// effects.hpp — the catalogue of impairment effects: ImpairmentSpec (one
// optional spec per effect) and kEffects, one row per effect in the order a
// direction's chain applies them (see chain.hpp):
//   mtu → outage → loss → corrupt → duplicate → rate → latency → jitter → slot → reorder
//
//   for_each_effect([&](const auto& e) {            // e: an Effect<App>
//     if (const auto& s = spec.*e.member) config.app<typename std::remove_cvref_t<decltype(e)>::App>(...);
//   });
//
// Everything that lists the effects iterates over this table: the chain
// builder (add_impairment_chain), the scenario reader (a direction's and a
// flow's keys, parse_impairments), describe() in reports, the longest delay a
// direction adds (ping's linger) and the flags of `synnet-test run`. A new
// effect is its app, its member and row here, its JSON Schema entry
// (scenarios/synnet-scenario.schema.json, held to this table by a test) and
// its reader (harness/scenario/impairments_json.cpp, a parse_spec overload:
// the build fails without it).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "engine/apps/impair/corrupt.hpp"
#include "engine/apps/impair/duplicate.hpp"
#include "engine/apps/impair/jitter.hpp"
#include "engine/apps/impair/latency.hpp"
#include "engine/apps/impair/loss.hpp"
#include "engine/apps/impair/mtu.hpp"
#include "engine/apps/impair/outage.hpp"
#include "engine/apps/impair/rate.hpp"
#include "engine/apps/impair/reorder.hpp"
#include "engine/apps/impair/slot.hpp"

namespace synnet {

struct ImpairmentSpec {
  std::optional<MtuSpec> mtu{};
  std::optional<OutageSpec> outage{};
  std::optional<LossSpec> loss{};
  std::optional<CorruptSpec> corrupt{};
  std::optional<DuplicateSpec> duplicate{};
  std::optional<RateSpec> rate{};
  std::optional<LatencySpec> latency{};
  std::optional<JitterSpec> jitter{};
  std::optional<SlotSpec> slot{};
  std::optional<ReorderSpec> reorder{};
  bool operator==(const ImpairmentSpec&) const = default;
  bool empty() const noexcept { return *this == ImpairmentSpec{}; }
};

// How the caller prints numbers, for Effect::describe (the engine formats none).
struct EffectFormat {
  std::string (*percent)(double fraction);  // 0.05 -> "5%"
  std::string (*micros)(std::uint64_t us);  // 40'000 -> "40 ms"
  std::string (*rate)(std::uint64_t bps);   // 10'000'000 -> "10 Mbit/s"
};

template <class A>
struct Effect {
  using App = A;
  using Spec = typename A::Spec;
  std::string_view name;                         // its app is "<prefix>_<name>", e.g. "latency"
  std::string_view key;                          // its key in a scenario's direction and flow objects, e.g. "delay"
  std::optional<Spec> ImpairmentSpec::*member;   // where ImpairmentSpec holds it
  bool flag;                                     // a flag of `synnet-test run` (--<key>, --up-<key>, --down-<key>)
  std::uint64_t (*worst_delay_us)(const Spec&);  // the longest it holds a packet (ping's linger)
  std::string (*describe)(const Spec&, const EffectFormat&);  // "delay 40 ms", for logs and reports
};

namespace effect_rows {
template <class Spec>
constexpr std::uint64_t no_delay(const Spec&) {
  return 0;
}
}  // namespace effect_rows

// The rows, in chain order.
inline constexpr auto kEffects = std::make_tuple(
    Effect<Mtu>{"mtu", "mtu", &ImpairmentSpec::mtu, true, effect_rows::no_delay<MtuSpec>,
                [](const MtuSpec& s, const EffectFormat&) { return "mtu " + std::to_string(s.mtu_bytes); }},
    Effect<Outage>{"outage", "outage", &ImpairmentSpec::outage, false, effect_rows::no_delay<OutageSpec>,
                   [](const OutageSpec& s, const EffectFormat& f) {
                     return "outage " + f.micros(s.duration_us) + " at " + f.micros(s.start_us);
                   }},
    Effect<Loss>{"loss", "loss", &ImpairmentSpec::loss, true, effect_rows::no_delay<LossSpec>,
                 [](const LossSpec& s, const EffectFormat& f) {
                   if (s.trace) return "loss trace " + s.trace->name;
                   return s.model == LossModel::kRandom ? "loss " + f.percent(s.ratio)
                                                        : "loss " + std::string(loss_model_name(s.model));
                 }},
    Effect<Corrupt>{"corrupt", "corrupt", &ImpairmentSpec::corrupt, true, effect_rows::no_delay<CorruptSpec>,
                    [](const CorruptSpec& s, const EffectFormat& f) { return "corrupt " + f.percent(s.ratio); }},
    Effect<Duplicate>{"duplicate", "duplicate", &ImpairmentSpec::duplicate, true, effect_rows::no_delay<DuplicateSpec>,
                      [](const DuplicateSpec& s, const EffectFormat& f) { return "duplicate " + f.percent(s.ratio); }},
    Effect<Rate>{"rate", "rate", &ImpairmentSpec::rate, true, effect_rows::no_delay<RateSpec>,
                 [](const RateSpec& s, const EffectFormat& f) {
                   std::string text = s.trace ? "rate trace " + s.trace->name + " (" +
                                                    f.rate(static_cast<std::uint64_t>(s.trace->mean_bps())) + " mean)"
                                              : "rate " + f.rate(s.rate_bps);
                   if (s.aqm.discipline != QueueDiscipline::kDropTail)
                     text += std::string(", ") + queue_discipline_name(s.aqm.discipline);
                   return text;
                 }},
    Effect<Latency>{"latency", "delay", &ImpairmentSpec::latency, true,
                    [](const LatencySpec& s) {
                      return s.trace ? static_cast<std::uint64_t>(std::ceil(s.trace->max_value())) : s.delay_us;
                    },
                    [](const LatencySpec& s, const EffectFormat& f) {
                      return s.trace ? "delay trace " + s.trace->name : "delay " + f.micros(s.delay_us);
                    }},
    Effect<Jitter>{"jitter", "jitter", &ImpairmentSpec::jitter, true,
                   [](const JitterSpec& s) { return s.mean_us + 4 * s.stddev_us; },
                   [](const JitterSpec& s, const EffectFormat& f) {
                     return "jitter " + f.micros(s.mean_us) + " ± " + f.micros(s.stddev_us);
                   }},
    Effect<Slot>{
        "slot", "slot", &ImpairmentSpec::slot, false,
        [](const SlotSpec& s) { return s.distribution ? s.mean_us + 4 * s.stddev_us : std::max(s.min_us, s.max_us); },
        [](const SlotSpec& s, const EffectFormat& f) {
          if (s.distribution) return "slot " + f.micros(s.mean_us) + " ± " + f.micros(s.stddev_us);
          return "slot " + f.micros(s.min_us) + (s.max_us > s.min_us ? ".." + f.micros(s.max_us) : "");
        }},
    Effect<Reorder>{"reorder", "reorder", &ImpairmentSpec::reorder, false,
                    [](const ReorderSpec& s) { return s.delay_us; },
                    [](const ReorderSpec& s, const EffectFormat& f) { return "reorder " + f.percent(s.ratio); }});

// Calls f(row) for every row of kEffects, in chain order.
template <class F>
constexpr void for_each_effect(F&& f) {
  std::apply([&f](const auto&... row) { (f(row), ...); }, kEffects);
}

}  // namespace synnet
