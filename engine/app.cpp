#include "engine/app.hpp"

#include <algorithm>
#include <ostream>

#include "engine/engine.hpp"
#include "engine/rng.hpp"

namespace synnet {

bool Ports::accepts_input(std::string_view port) const {
  return any_inputs || std::find(inputs.begin(), inputs.end(), port) != inputs.end();
}

bool Ports::accepts_output(std::string_view port) const {
  return any_outputs || std::find(outputs.begin(), outputs.end(), port) != outputs.end();
}

void AppContext::wake_at(Time t) noexcept { engine_->wake_at(t); }
void AppContext::watch_fd(int fd) {
  engine_->watch_fd(fd);
  fds_.push_back(fd);
}
void AppContext::unwatch_fd(int fd) noexcept {
  const auto it = std::find(fds_.begin(), fds_.end(), fd);
  if (it == fds_.end()) return;
  engine_->unwatch_fd(fd);
  fds_.erase(it);
}
void AppContext::fail(const std::string& message) noexcept { engine_->fail(name_, message); }
std::uint64_t AppContext::seed() const noexcept { return derive_seed(engine_->seed(), name_); }

void App::report(std::ostream& out) const {
  counters(CounterVisitor([&](std::string_view counter, CounterKind, Drop, std::uint64_t value) {
    out << "  " << name() << '.' << counter << ": " << value << '\n';
  }));
}

}  // namespace synnet
