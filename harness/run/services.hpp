// services.hpp — Services: the programs a scenario runs on its hosts for the
// whole run (ScenarioHost::services): started in a host's namespace and seen
// ready before the first traffic item, watched while the run goes on, stopped
// at teardown, and reported with all of their output.
//
//   Services services;                                      // ~Services stops whatever still runs
//   services.start("n1", bed.host("n1").fd(), spec);        // waits until ready; throws SetupError
//   while (...) { if (std::string why = services.failure(); !why.empty()) ...; }   // cheap, ~5x/s
//   report.services = services.stop();                      // SIGTERM, then SIGKILL; one ServiceReport each
//
// A service runs as traffic's commands do (netns/process.hpp: its own process
// group, stdout and stderr captured), with SYNNET_HOST and SYNNET_SERVICE set.
// Ready (spec.ready), within spec.ready.timeout: `tcp`: a socket listens on
// that TCP port in the host's namespace (IPv4 or IPv6, any address: read from
// /proc/<pid>/net/tcp{,6}); `exec`: that command, run in the namespace every
// 100 ms, exited 0; neither: as soon as it runs. start() throws SetupError
//   service "web" on host "n1" (/hosts/0/services/0): not ready within 10 s (nothing listens
//   on TCP port 8080); its last output:
//     stderr| Traceback (most recent call last): ...
// when the program cannot start, is not ready in time, or ends before it is
// ready; the service is then stopped, and kept for stop()'s reports. A service
// with expect_exit that exits with status 0 before it is ready is done, not
// failed: start() returns.
//
// A service that ends before teardown fails the run (failure()), unless it
// says expect_exit and exited with status 0 (expect_exit allows an ending, not
// a failing one). stop() stops the services in reverse start order (each
// SIGTERM to its process group, SIGKILL after kill_grace) and reports them in
// start order. The services are children of this process, in their hosts'
// namespaces: `synnet-test --cleanup` kills those a killed run left behind.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/report.hpp"
#include "harness/scenario/scenario.hpp"
#include "netns/process.hpp"

namespace synnet {

class Services {
 public:
  explicit Services(std::chrono::nanoseconds kill_grace = std::chrono::seconds(2)) : kill_grace_(kill_grace) {}
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;
  ~Services();  // stops whatever still runs, as stop()

  // Starts `spec` in host `host`'s namespace (netns_fd) and waits until it is
  // ready. `cancelled`, when given, is asked every 50 ms while waiting: true
  // stops the service and throws SetupError ("interrupted"). Throws SetupError.
  void start(const std::string& host, int netns_fd, const ServiceSpec& spec,
             const std::function<bool()>& cancelled = {});

  // "" while every service runs (or has ended as it may); otherwise why the
  // run fails, the first service to fail, with its last lines (one per line):
  //   service "web" on host "n1" (/hosts/0/services/0): exited with status 1 before teardown; its last output:
  //     stderr| OSError: [Errno 98] Address already in use
  // A service that failed to start counts. One poll of a pidfd per running service.
  std::string failure();

  // Stops every service still running, in reverse start order, and returns a
  // report per service, in start order. Services is then empty.
  std::vector<ServiceReport> stop();

  // Each service as failure() or stop() last saw it: "running", "ended"
  // (done, as it may), "stopped" (by stop()) or "failed: <why>". For the
  // control API: safe to call from another thread.
  struct State {
    std::string host, name, state;
  };
  std::vector<State> states() const;

 private:
  struct Service {
    std::string host;
    ServiceSpec spec;
    int netns_fd = -1;
    std::optional<Process> process{};      // absent: it could not start
    std::optional<ProcessResult> ended{};  // set once it has ended (on its own or stopped)
    bool stopped = false;                  // ended by stop()
    std::string failure{};                 // why it fails the run; "" if it does not
    std::string message{};                 // failure with whose it is and its last output (failure(), SetupError)
  };

  // Waits until `s` is ready; "" when it is, else what did not happen.
  std::string wait_ready(Service& s, const std::function<bool()>& cancelled);
  // Records that `s` ended on its own: its failure, if the ending is one.
  void ended_on_its_own(Service& s, const std::string& when);

  std::chrono::nanoseconds kill_grace_;
  mutable std::mutex mutex_;  // start, failure, stop and states may be on different threads
  std::vector<Service> services_;
};

// Whether /proc/<pid>/net/tcp or tcp6 text shows a socket listening on `port`.
bool tcp_listening(const std::string& proc_net_tcp, std::uint16_t port);

}  // namespace synnet
