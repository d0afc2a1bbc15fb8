// events.hpp — EventHub: what happens to a running network (a change, a
// series sample), handed to every subscriber as Server-Sent Events text.
//
//   EventHub hub;
//   auto sub = hub.subscribe();                        // sees what is published from now on
//   hub.publish("change", R"({"t": 3.5, "applied": ["heal"]})");
//   std::optional<std::string> e = sub->next(1s);      // "event: change\ndata: {...}\n\n", or none yet
//   hub.close();                                       // next() then returns none at once, for good
//
// A subscriber that falls behind by more than kMaxQueued events loses the
// oldest (a stalled browser tab must not grow the harness without bound):
// next() then first yields a comment line saying how many were dropped.
// Thread safe: publish from any thread, each subscription read by one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace synnet {

class EventHub {
 public:
  static constexpr std::size_t kMaxQueued = 600;  // a minute of samples

  class Subscription {
   public:
    // The next event's text, waiting up to `timeout`; none on a timeout or
    // once the hub is closed (closed() tells which).
    std::optional<std::string> next(std::chrono::milliseconds timeout);
    bool closed() const;
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    friend class EventHub;
    explicit Subscription(EventHub& hub) : hub_(hub) {}
    EventHub& hub_;
    std::deque<std::string> queue_;
    std::size_t dropped_ = 0;
  };

  EventHub() = default;
  ~EventHub() { close(); }
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  std::unique_ptr<Subscription> subscribe();
  // `data` is one line of JSON (no newline).
  void publish(std::string_view event, std::string_view data);
  void close();
  std::size_t subscribers() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Subscription*> subscribers_;
  bool closed_ = false;
};

// "event: <event>\ndata: <data>\n\n".
std::string sse_event(std::string_view event, std::string_view data);

}  // namespace synnet
