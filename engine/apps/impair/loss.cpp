#include "engine/apps/impair/loss.hpp"

#include "engine/apps/impair/spec_checks.hpp"
#include "engine/gso.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace synnet {

const char* loss_model_name(LossModel m) noexcept {
  switch (m) {
    case LossModel::kRandom: return "random";
    case LossModel::kGilbertElliott: return "gilbert_elliott";
    case LossModel::kMarkov4: return "markov4";
  }
  return "?";
}

void LossSpec::validate() const {
  const LossSpec d;  // the defaults
  struct Field {
    const char* name;
    double value, default_value;
    LossModel model;
  };
  constexpr LossModel random = LossModel::kRandom, ge = LossModel::kGilbertElliott, markov4 = LossModel::kMarkov4;
  const Field fields[] = {{"ratio", ratio, d.ratio, random},
                          {"p", p, d.p, ge},
                          {"r", r, d.r, ge},
                          {"loss_bad", loss_bad, d.loss_bad, ge},
                          {"loss_good", loss_good, d.loss_good, ge},
                          {"p13", p13, d.p13, markov4},
                          {"p31", p31, d.p31, markov4},
                          {"p32", p32, d.p32, markov4},
                          {"p23", p23, d.p23, markov4},
                          {"p14", p14, d.p14, markov4}};
  for (const Field& f : fields) {
    require_probability(f.name, f.value);
    if (f.model != model && f.value != f.default_value) {
      throw std::invalid_argument(std::string(f.name) + ": belongs to the " + loss_model_name(f.model) +
                                  " model, not " + loss_model_name(model));
    }
  }
  if (trace) {
    if (model != LossModel::kRandom) {
      throw std::invalid_argument(std::string("trace: only the random model follows a trace, not ") +
                                  loss_model_name(model));
    }
    if (ratio != 0) throw std::invalid_argument("ratio: must be 0 with a trace (the trace gives the ratio)");
    trace->validate();
    for (const ValueTrace::Point& point : trace->points)
      require_probability(("trace " + trace->name).c_str(), point.value);
  }
  if (p13 + p14 > 1.0) throw std::invalid_argument("p13: p13 + p14 must not exceed 1");
  if (p31 + p32 > 1.0) throw std::invalid_argument("p31: p31 + p32 must not exceed 1");
}

void Loss::reconfigure(const Spec& spec) {
  if (spec.model != model_) state_ = 1;  // a new model starts in its good state
  model_ = spec.model;
  spec_ = spec;
  ratio_ = spec.ratio;
}

bool Loss::lose_next() noexcept {
  switch (model_) {
    case LossModel::kRandom: return rng_.uniform() < ratio_;
    case LossModel::kGilbertElliott: {
      const double u = rng_.uniform();
      if (state_ == 1 && u < spec_.p) {
        state_ = 2;
      } else if (state_ == 2 && u < spec_.r) {
        state_ = 1;
      }
      return rng_.uniform() < (state_ == 2 ? spec_.loss_bad : spec_.loss_good);
    }
    case LossModel::kMarkov4: {
      const double u = rng_.uniform();
      switch (state_) {
        case 1: state_ = u < spec_.p13 ? 3 : u < spec_.p13 + spec_.p14 ? 4 : 1; break;
        case 2: state_ = u < spec_.p23 ? 3 : 2; break;
        case 3: state_ = u < spec_.p31 ? 1 : u < spec_.p31 + spec_.p32 ? 2 : 3; break;
        default: state_ = 1; break;
      }
      return state_ == 3 || state_ == 4;
    }
  }
  return false;
}

void Loss::push() {
  Link* in = input();
  Link* out = output();
  if (spec_.trace && !in->empty()) {
    const auto since_start = std::chrono::duration_cast<std::chrono::microseconds>(now() - origin_);
    ratio_ = spec_.trace->at(static_cast<std::uint64_t>(std::max<std::int64_t>(since_start.count(), 0)));
  }
  while (!in->empty()) {
    Packet* p = in->receive();
    if (wire_packets(*p) > 1) {
      push_super_frame(p, out);
      continue;
    }
    const bool lost = lose_next();
    if (lost) {
      if (!last_lost_) ++loss_bursts_;
      trace_drop(*p, TraceFate::loss, loss_detail(static_cast<int>(model_), state_));
      pool().free(p);
      ++dropped_loss_;
    } else if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
    } else {
      out->transmit(p);
      ++forwarded_;
    }
    last_lost_ = lost;
  }
}

void Loss::push_super_frame(Packet* p, Link* out) {
  const std::uint32_t n = wire_packets(*p);
  lost_.assign(n, false);
  std::uint32_t lost = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    lost_[i] = lose_next();
    if (lost_[i]) {
      ++lost;
      if (!last_lost_) ++loss_bursts_;
    }
    last_lost_ = lost_[i];
  }
  dropped_loss_ += lost;
  if (out == nullptr) {
    dropped_no_output_ += n - lost;
  } else if (lost == 0) {
    out->transmit(p);
    forwarded_ += n;
    return;
  } else if (lost < n) {
    ++segmented_;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (lost_[i]) continue;
      if (Packet* s = gso_segment(*p, i, pool())) {
        out->transmit(s);
        ++forwarded_;
      } else {
        ++dropped_no_buffer_;
      }
    }
  }
  pool().free(p);
}

void Loss::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.drop("dropped_loss", Drop::impairment, dropped_loss_);
  emit.events("loss_bursts", loss_bursts_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
  emit.drop("dropped_no_buffer", Drop::no_buffer, dropped_no_buffer_);
  emit.events("segmented", segmented_);
}

}  // namespace synnet
