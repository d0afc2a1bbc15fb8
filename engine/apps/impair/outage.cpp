#include "engine/apps/impair/outage.hpp"

#include <stdexcept>
#include <string>

namespace synnet {

namespace {

void check_max(const char* field, std::uint64_t us) {
  if (us > Outage::kMaxUs) {
    throw std::invalid_argument(std::string(field) + ": " + std::to_string(us) + " is more than a week (" +
                                std::to_string(Outage::kMaxUs) + ")");
  }
}

}  // namespace

void OutageSpec::validate() const {
  check_max("start_us", start_us);
  check_max("duration_us", duration_us);
  check_max("period_us", period_us);
  if (period_us != 0 && period_us <= duration_us) {
    throw std::invalid_argument("period_us: " + std::to_string(period_us) +
                                " must be 0 (one window) or more than duration_us (" + std::to_string(duration_us) +
                                ")");
  }
}

Outage::Outage(AppContext& ctx, const Spec& spec) : App(ctx), origin_(ctx.now()) { reconfigure(spec); }

void Outage::reconfigure(const Spec& spec) {
  start_ = std::chrono::microseconds(spec.start_us);
  duration_ = std::chrono::microseconds(spec.duration_us);
  period_ = std::chrono::microseconds(spec.period_us);
}

bool Outage::in_outage(Time t) const noexcept {
  if (duration_ == Duration{0} || t < origin_ + start_) return false;
  const Duration into = t - (origin_ + start_);
  if (period_ == Duration{0}) return into < duration_;
  return into % period_ < duration_;
}

void Outage::push() {
  Link* in = input();
  Link* out = output();
  const bool down = in_outage(now());  // now() is fixed for the pushes
  while (!in->empty()) {
    Packet* p = in->receive();
    if (down) {
      trace_drop(*p, TraceFate::outage);
      pool().free(p);
      ++dropped_outage_;
    } else if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
    } else {
      out->transmit(p);
      ++forwarded_;
    }
  }
}

void Outage::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.drop("dropped_outage", Drop::impairment, dropped_outage_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
