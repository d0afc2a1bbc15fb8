// events.cpp — EventHub. See events.hpp.
#include "harness/run/events.hpp"

#include <algorithm>

namespace synnet {

std::string sse_event(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(event.size() + data.size() + 16);
  out.append("event: ").append(event).append("\ndata: ").append(data).append("\n\n");
  return out;
}

std::unique_ptr<EventHub::Subscription> EventHub::subscribe() {
  std::unique_ptr<Subscription> sub(new Subscription(*this));
  std::lock_guard lock(mutex_);
  subscribers_.push_back(sub.get());
  return sub;
}

void EventHub::publish(std::string_view event, std::string_view data) {
  const std::string text = sse_event(event, data);
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    for (Subscription* s : subscribers_) {
      if (s->queue_.size() >= kMaxQueued) {
        s->queue_.pop_front();
        ++s->dropped_;
      }
      s->queue_.push_back(text);
    }
  }
  cv_.notify_all();
}

void EventHub::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  cv_.notify_all();
}

std::size_t EventHub::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

EventHub::Subscription::~Subscription() {
  std::lock_guard lock(hub_.mutex_);
  std::erase(hub_.subscribers_, this);
}

bool EventHub::Subscription::closed() const {
  std::lock_guard lock(hub_.mutex_);
  return hub_.closed_;
}

std::optional<std::string> EventHub::Subscription::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(hub_.mutex_);
  hub_.cv_.wait_for(lock, timeout, [this] { return hub_.closed_ || !queue_.empty(); });
  if (hub_.closed_) return std::nullopt;
  if (dropped_ > 0) {
    const std::string note = ": " + std::to_string(dropped_) + " events dropped (this client fell behind)\n\n";
    dropped_ = 0;
    return note;
  }
  if (queue_.empty()) return std::nullopt;
  std::string e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

}  // namespace synnet
