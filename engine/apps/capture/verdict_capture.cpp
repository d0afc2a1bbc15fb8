// verdict_capture.cpp — following frames through a chain into a pcapng file.
// See verdict_capture.hpp.
#include "engine/apps/capture/verdict_capture.hpp"

#include <time.h>

#include <algorithm>
#include <utility>

#include "engine/apps/impair/loss.hpp"
#include "engine/sys/system_error.hpp"

namespace synnet {

namespace {

std::int64_t clock_ns(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string loss_text(std::uint32_t detail) {
  const auto model = static_cast<LossModel>(detail >> 8);
  const std::uint32_t state = detail & 0xff;
  std::string text = std::string("dropped by loss (") + loss_model_name(model);
  if (model == LossModel::kGilbertElliott) text += state == 2 ? ", bad state" : ", good state";
  if (model == LossModel::kMarkov4) {
    text += ", state " + std::to_string(state) + (state == 3 ? ": lost in a burst" : ": an isolated loss");
  }
  return text + ")";
}

}  // namespace

std::string VerdictCapture::fate_text(TraceFate fate, std::uint32_t detail) {
  const std::string n = std::to_string(detail);
  switch (fate) {
    case TraceFate::none: return "dropped without a verdict (an app freed it: stopped with it queued, or no output)";
    case TraceFate::loss: return loss_text(detail);
    case TraceFate::outage: return "dropped by outage";
    case TraceFate::partition: return "dropped by partition";
    case TraceFate::rate_queue_full: return "dropped by rate (queue full: " + n + " bytes)";
    case TraceFate::rate_policed: return "dropped by rate (policer: no tokens)";
    case TraceFate::rate_queue_full_packets: return "dropped by rate (queue full: " + n + " packets)";
    case TraceFate::rate_codel: return "dropped by rate (codel: waited " + n + " us)";
    case TraceFate::rate_pie: return "dropped by rate (pie: drop probability " + n + " ppm)";
    case TraceFate::mtu: return "dropped by mtu (larger than " + n + " bytes)";
    case TraceFate::queue_full: return "dropped: delay queue full (" + n + " packets)";
    case TraceFate::link_full: return "dropped: the next link was full";
  }
  return "dropped";
}

std::string VerdictCapture::note_text(TraceNote note, std::uint32_t detail) {
  switch (note) {
    case TraceNote::corrupted: return "corrupted at bit " + std::to_string(detail);
    case TraceNote::duplicated: return "duplicated";
    case TraceNote::reordered: return "reordered (sent ahead of frames that came before it)";
  }
  return "altered";
}

VerdictCapture::VerdictCapture(const Options& options)
    : writer_(options.path,
              {.interface_name = options.name, .snap_length = options.snap_length, .limit_bytes = options.limit_bytes}),
      snap_length_(options.snap_length),
      epoch_offset_ns_(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC)) {}

VerdictCapture::~VerdictCapture() = default;  // the writer flushes what it holds

VerdictCapture::Frame* VerdictCapture::frame(const Packet& p) noexcept {
  if (p.trace.tracer != this || p.trace.id < first_id_ || p.trace.id >= next_id_) return nullptr;
  Frame& f = frames_[p.trace.id - first_id_];
  return f.done ? nullptr : &f;
}

void VerdictCapture::add(Frame& f, const std::function<std::string()>& comment) noexcept {
  try {
    f.comments.push_back(comment());
  } catch (const std::bad_alloc&) {  // a comment less; the engine goes on
  }
}

void VerdictCapture::entered(Packet& p, Time now) noexcept {
  if (closed_) return;
  try {
    frames_.emplace_back();
  } catch (const std::bad_alloc&) {  // no record: this frame goes unfollowed
    ++not_written_;
    return;
  }
  Frame& f = frames_.back();
  f.entered = now;
  f.length = p.length;
  f.packets = 1;
  const std::size_t keep = snap_length_ == 0 ? p.length : std::min<std::size_t>(p.length, snap_length_);
  try {
    if (!spare_.empty()) {
      f.bytes = std::move(spare_.back());
      spare_.pop_back();
    }
    f.bytes.assign(p.data, p.data + keep);
  } catch (const std::bad_alloc&) {  // followed, written without its bytes
    f.bytes.clear();
  }
  p.trace = PacketTrace{.tracer = this, .id = next_id_++};
}

void VerdictCapture::forwarded(Packet& p, Time now) noexcept {
  if (Frame* f = frame(p)) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - f->entered).count();
    add(*f, [&] {
      return std::string(p.trace.copy ? "duplicate " : "") + "forwarded after " + std::to_string(us) + " us";
    });
    const std::uint64_t id = p.trace.id;
    p.trace = {};
    finish(*f, id);
    return;
  }
  if (p.trace.tracer == this) p.trace = {};
}

void VerdictCapture::freed(const Packet& p) noexcept {
  if (Frame* f = frame(p)) {
    add(*f, [&] { return std::string(p.trace.copy ? "duplicate " : "") + fate_text(p.trace.fate, p.trace.detail); });
    finish(*f, p.trace.id);
  }
}

void VerdictCapture::noted(const Packet& p, TraceNote note, std::uint32_t detail) noexcept {
  if (Frame* f = frame(p))
    add(*f, [&] { return std::string(p.trace.copy ? "duplicate " : "") + note_text(note, detail); });
}

void VerdictCapture::copied(const Packet& copy) noexcept {
  if (Frame* f = frame(copy)) {
    ++f->packets;
    add(*f, [] { return note_text(TraceNote::duplicated, 0); });
  }
}

void VerdictCapture::finish(Frame& f, std::uint64_t id) noexcept {
  if (--f.packets > 0) return;
  write(f, id);
  f.done = true;
  while (!frames_.empty() && frames_.front().done) {
    frames_.pop_front();
    ++first_id_;
  }
}

void VerdictCapture::write(Frame& f, std::uint64_t id) noexcept {
  if (error_.empty()) {
    try {
      const auto unix_ns = static_cast<std::uint64_t>(f.entered.count() + epoch_offset_ns_);
      if (!writer_.write(unix_ns, f.bytes, f.length, id, f.comments)) ++not_written_;
    } catch (const std::exception& e) {  // SystemError (a full disk), bad_alloc
      error_ = e.what();
      ++not_written_;
    }
  } else {
    ++not_written_;
  }
  f.comments = {};
  if (spare_.size() < 1024) {
    f.bytes.clear();
    spare_.push_back(std::move(f.bytes));
  }
  f.bytes = {};
}

void VerdictCapture::close() {
  if (closed_) return;
  closed_ = true;
  for (std::size_t i = 0; i < frames_.size(); ++i) {
    Frame& f = frames_[i];
    if (f.done) continue;
    add(f, [] { return std::string("still in the chain when the capture ended"); });
    write(f, first_id_ + i);
    f.done = true;
  }
  frames_.clear();
  first_id_ = next_id_;
  if (!error_.empty()) throw SystemError(EIO, error_, SystemError::verbatim);
  writer_.close();
}

VerdictCapture::Totals VerdictCapture::totals() const noexcept {
  return {.frames = next_id_ - 1, .written = writer_.frames(), .not_written = not_written_, .bytes = writer_.bytes()};
}

}  // namespace synnet
