// app.hpp — what an app is, and what the engine gives it.
//
// An app is one small class that does one thing to packets. It declares its
// ports, receives packets on input links, and transmits them on output links.
//
//   struct MySpec { int x = 0; bool operator==(const MySpec&) const = default;
//                   void validate() const;   // optional: throw std::invalid_argument
//   };
//   class MyApp : public App {
//    public:
//     using Spec = MySpec;
//     static Ports ports(const Spec&) { return Ports::fixed({"input"}, {"output"}); }  // optional
//     MyApp(AppContext& ctx, const Spec& spec);
//     void pull() override;            // optional: bring packets in (I/O, sources, timers)
//     void push() override;            // optional: called when an input link has packets
//     void stop() override;            // optional: free the packets the app holds
//     void reconfigure(const Spec&);   // optional, not virtual: take a new spec, keep state
//     void counters(const CounterVisitor& emit) const override;  // optional: counter.hpp
//   };
//
// Ports: fixed names in a declared order (input(0) is the first declared
// input; nullptr when that port is not linked), or "any" names (inputs() holds
// the linked ones, sorted by port name). The default is one "input" and one
// "output".
//
// Counters: one line each, naming the kind (counter.hpp), e.g.
// emit.packets("forwarded", forwarded_); emit.drop("dropped_loss", Drop::impairment, dropped_).
//
// Rules for pull/push: no exceptions, no asserts, no blocking calls. Count
// drops with a reason. Every packet taken from a link is transmitted or freed.
// After transmit(p) the packet belongs to the link (a full link frees it at
// once): never touch p again; clone before transmitting if you need a copy.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.hpp"
#include "engine/counter.hpp"
#include "engine/link.hpp"
#include "engine/packet_pool.hpp"

namespace synnet {

class Engine;

struct Ports {
  std::vector<std::string> inputs;   // declared input names (ignored when any_inputs)
  std::vector<std::string> outputs;  // declared output names (ignored when any_outputs)
  bool any_inputs = false;
  bool any_outputs = false;

  static Ports fixed(std::vector<std::string> in, std::vector<std::string> out) {
    return Ports{std::move(in), std::move(out), false, false};
  }
  bool accepts_input(std::string_view port) const;
  bool accepts_output(std::string_view port) const;
};

// The engine's services for one app: packets, time, wake-ups, fds, its seed.
class AppContext {
 public:
  AppContext(Engine& engine, PacketPool& pool, const Time& now, std::string name)
      : engine_(&engine), pool_(&pool), now_(&now), name_(std::move(name)) {}
  const std::string& name() const noexcept { return name_; }
  PacketPool& pool() const noexcept { return *pool_; }
  Time now() const noexcept { return *now_; }  // read by the engine before the pulls and before the pushes
  // Asks for a breath no later than t (e.g. a delayed packet's due time).
  // Valid for the current breath only: ask again on every breath you still need
  // it, from pull() or push() (push() runs after this breath's pull(), so a
  // packet queued there needs the request from push()). t <= now() means "at once".
  void wake_at(Time t) noexcept;
  // The engine wakes from idle when fd becomes readable. Unwatched when the app stops.
  void watch_fd(int fd);
  void unwatch_fd(int fd) noexcept;
  // Ends the engine's run: Engine::run throws EngineFailure("app \"name\": message").
  // For failures an app cannot recover from (its interface was deleted).
  void fail(const std::string& message) noexcept;
  // This app's seed: derived from the engine's seed and the app's name.
  std::uint64_t seed() const noexcept;
  const std::vector<int>& watched_fds() const noexcept { return fds_; }

 private:
  Engine* engine_;
  PacketPool* pool_;
  const Time* now_;
  std::string name_;
  std::vector<int> fds_;
};

class App {
 public:
  virtual ~App() = default;
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  virtual void pull() {}
  virtual void push() {}
  virtual void stop() {}
  virtual void counters(const CounterVisitor& /*emit*/) const {}
  // Prints the app's counters, one per line. Override for more.
  virtual void report(std::ostream& out) const;

  const std::string& name() const noexcept { return ctx_->name(); }

 protected:
  explicit App(AppContext& ctx) noexcept : ctx_(&ctx), pool_(&ctx.pool()) {}

  AppContext& ctx() const noexcept { return *ctx_; }
  PacketPool& pool() const noexcept { return *pool_; }
  Time now() const noexcept { return ctx_->now(); }

  Link* input(std::size_t i = 0) const noexcept { return i < inputs_.size() ? inputs_[i] : nullptr; }
  Link* output(std::size_t i = 0) const noexcept { return i < outputs_.size() ? outputs_[i] : nullptr; }
  const std::vector<Link*>& inputs() const noexcept { return inputs_; }
  const std::vector<Link*>& outputs() const noexcept { return outputs_; }
  // Port names matching inputs()/outputs() (useful for "any" ports).
  const std::vector<std::string>& input_names() const noexcept { return input_names_; }
  const std::vector<std::string>& output_names() const noexcept { return output_names_; }

  // Called after the engine (re)connected this app's ports.
  virtual void relinked() {}

 private:
  friend class Engine;
  AppContext* ctx_;
  PacketPool* pool_;
  std::vector<Link*> inputs_;
  std::vector<Link*> outputs_;
  std::vector<std::string> input_names_;
  std::vector<std::string> output_names_;
};

}  // namespace synnet
