// Idle behaviour: an engine with nothing to do blocks instead of spinning, and
// a watched fd wakes it. Generous bounds only: precise figures are in ci/bench wake.
#include <sys/eventfd.h>
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "engine/apps/basic/join.hpp"
#include "engine/apps/basic/sink.hpp"
#include "engine/engine.hpp"
#include "tests/engine/test_apps.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;

double process_cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

TEST(Idle, AnIdleEngineUsesAlmostNoCpu) {
  Engine e;
  Config c;
  c.app<Join>("join").app<Sink>("sink");
  c.link("join.output -> sink.input");
  e.configure(c);
  const double cpu0 = process_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  e.run({.duration = 2s});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = process_cpu_seconds() - cpu0;
  RecordProperty("cpu_percent", std::to_string(100 * cpu / wall));
  EXPECT_GE(wall, 1.9);
  EXPECT_LT(cpu / wall, 0.02) << "idle engine used " << cpu << " s of CPU in " << wall << " s";
}

// A thread that writes 1 to the eventfd `fd` after `delay`, noting when in `written`.
std::thread write_later(int fd, Duration delay, Time& written) {
  return std::thread([fd, delay, &written] {
    std::this_thread::sleep_for(delay);
    written = MonotonicClock().now();
    const std::uint64_t one = 1;
    EXPECT_EQ(::write(fd, &one, sizeof one), 8);
  });
}

TEST(Idle, AWatchedFdWakesTheEngine) {
  Fd event(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  ASSERT_TRUE(event);
  Engine e;
  Config c;
  c.app<testing::FdWaiter>("waiter", {.fd = event.get()});
  e.configure(c);
  auto* waiter = e.app_as<testing::FdWaiter>("waiter");
  Time written{0};
  std::thread writer = write_later(event.get(), 300ms, written);  // the engine is blocked by then
  e.run({.duration = 10s, .until = [&] { return waiter->events > 0; }});
  writer.join();
  ASSERT_EQ(waiter->events, 1);
  EXPECT_GT(e.stats().blocked, 200ms) << "the engine should have been blocked, not spinning";
  EXPECT_LT(waiter->seen_at - written, 200ms) << "woke late";
}

// Whether fd is in any epoll set of this process ("tfd: <fd>" in the epoll fd's fdinfo).
bool in_some_epoll(int fd) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fdinfo")) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      int tfd = -1;
      if (std::sscanf(line.c_str(), "tfd: %d", &tfd) == 1 && tfd == fd) return true;
    }
  }
  return false;
}

// A busy engine takes the apps' fds out of epoll (senders into a watched
// socket then pay no epoll callback per packet) and puts them back before it
// blocks: the fd still wakes it.
TEST(Idle, ABusyStretchTakesTheFdsOutOfEpollAndTheNextBlockPutsThemBack) {
  Fd event(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  ASSERT_TRUE(event);
  Engine e;
  Config c;
  c.app<testing::FdWaiter>("waiter", {.fd = event.get()});
  c.app<testing::Burst>("burst", {.lasts = 50ms}).app<Sink>("sink");
  c.link("burst.output -> sink.input");
  e.configure(c);
  EXPECT_TRUE(in_some_epoll(event.get())) << "watched from the start";
  auto* waiter = e.app_as<testing::FdWaiter>("waiter");
  auto* burst = e.app_as<testing::Burst>("burst");
  std::optional<bool> in_epoll_while_busy;
  Time written{0};
  std::thread writer = write_later(event.get(), 300ms, written);  // the burst is over and the engine blocked by then
  e.run({.duration = 10s, .until = [&] {
           if (!in_epoll_while_busy && burst->ends != kNever && e.now() >= burst->ends - 20ms) {
             in_epoll_while_busy = in_some_epoll(event.get());
           }
           return waiter->events > 0;
         }});
  writer.join();
  ASSERT_TRUE(in_epoll_while_busy.has_value());
  EXPECT_FALSE(*in_epoll_while_busy) << "30 ms into a burst, the fd should have left epoll";
  EXPECT_GE(e.stats().disarms, 1u);
  ASSERT_EQ(waiter->events, 1);
  EXPECT_GT(e.stats().blocked, 150ms) << "the engine should have blocked after the burst";
  EXPECT_LT(waiter->seen_at - written, 200ms) << "the fd did not wake the engine: not back in epoll?";
  EXPECT_TRUE(in_some_epoll(event.get()));
}

TEST(Idle, BusyPollKeepsTheFdsOutOfEpoll) {
  Fd event(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  ASSERT_TRUE(event);
  Engine e;
  Config c;
  c.app<testing::FdWaiter>("waiter", {.fd = event.get()});
  e.configure(c);
  std::optional<bool> in_epoll;
  int breaths = 0;
  e.run({.duration = 5s,
         .until =
             [&] {
               if (++breaths < 100) return false;
               in_epoll = in_some_epoll(event.get());
               return true;
             },
         .busy_poll = true});
  ASSERT_TRUE(in_epoll.has_value());
  EXPECT_FALSE(*in_epoll);
}

TEST(Idle, AnAppsWakeAtEndsTheBlockOnTime) {
  Engine e;
  Config c;
  c.app<testing::Alarm>("alarm", {.after = 100ms});
  e.configure(c);
  e.run({.duration = 400ms});
  auto* alarm = e.app_as<testing::Alarm>("alarm");
  ASSERT_NE(alarm->fired_at, Time{0}) << "never woke for its wake_at";
  EXPECT_GE(alarm->fired_at - alarm->due, 0ms);
  EXPECT_LT(alarm->fired_at - alarm->due, 50ms) << "woke late";
  EXPECT_GT(e.stats().blocked, 50ms) << "should have blocked while waiting, not spun";
}

TEST(Idle, ATimerFiresWhileIdle) {
  Engine e;
  Config c;
  c.app<Join>("join").app<Sink>("sink");
  c.link("join.output -> sink.input");
  e.configure(c);
  Time fired{0};
  MonotonicClock clock;
  const Time start = clock.now();
  e.after(100ms, [&] { fired = clock.now(); });
  e.run({.duration = 400ms});
  ASSERT_NE(fired, Time{0});
  EXPECT_GE(fired - start, 100ms);
  EXPECT_LT(fired - start, 300ms);
}

}  // namespace
}  // namespace synnet
