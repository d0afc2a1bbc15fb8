// capture_tap.hpp — CaptureTap: where a verdict capture (verdict_capture.hpp)
// starts and stops following frames: one at the head of a direction's chain
// (role entry), one at its tail (role exit).
//
//   input --> +------------+--> output      every packet goes on unchanged;
//             | CaptureTap |                entry: capture->entered(p, now)
//             +------------+                exit:  capture->forwarded(p, now)
//
//   config.app<CaptureTap>("ab_capture_in", {.capture = c, .role = CaptureTapSpec::Role::entry});
//
// Spec (CaptureTapSpec): the capture (shared: both taps and the harness hold
// it; it must outlive every packet it follows, so the harness keeps it until
// the engines are gone) and the role. Counters: forwarded, dropped_no_output
// (the output port is not linked: the packet is freed, and a followed one gets
// "dropped without a verdict"), and for the exit dropped_link_full: the link
// out was full, so the frame is dropped here, with that verdict, rather than
// by the link after the capture said "forwarded".
// Reconfigurable in place (a new spec is taken as it is).
#pragma once

#include <memory>

#include "engine/app.hpp"
#include "engine/apps/capture/verdict_capture.hpp"

namespace synnet {

struct CaptureTapSpec {
  enum class Role { entry, exit };
  std::shared_ptr<VerdictCapture> capture{};
  Role role = Role::entry;
  bool operator==(const CaptureTapSpec&) const = default;
  void validate() const;  // capture set
};

class CaptureTap final : public App {
 public:
  using Spec = CaptureTapSpec;

  CaptureTap(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec) {}
  void push() override;
  void reconfigure(const Spec& spec) { spec_ = spec; }
  void counters(const CounterVisitor& emit) const override;

 private:
  Spec spec_;
  std::uint64_t forwarded_ = 0, dropped_no_output_ = 0, dropped_link_full_ = 0;
};

}  // namespace synnet
