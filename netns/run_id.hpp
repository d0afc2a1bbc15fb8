// run_id.hpp — RunId: a run's name prefix and its registration (cleanup.hpp
// removes what dead runs left behind).
//
//   RunId run = RunId::create();      // e.g. prefix "snk3f9a", registered as alive
//   run.name("client")                // "snk3f9a-client"; throws if over 15 characters
//   run_is_alive("snk3f9a"), run_prefix_of("snk3f9a-client"), is_run_prefix("snk3f9a")
//
// Every namespace and interface a run creates is named "<prefix>-<role>",
// where the prefix is "sn" and 5 characters of [0-9a-z]. A run registers
// itself in /run/synnet/runs/<prefix> (its pid and the process's start time,
// so a reused pid does not look alive) before it creates anything, and
// unregisters when RunId is destroyed, after everything else it built.
//
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace synnet {

inline constexpr std::string_view kRunFamily = "sn";
inline constexpr std::size_t kRunPrefixLength = 7;    // "sn" + 5
inline constexpr std::size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1
inline constexpr const char* kRunsDir = "/run/synnet";
inline constexpr const char* kRunRegistryDir = "/run/synnet/runs";

class RunId {
 public:
  static RunId create();
  RunId(RunId&& other) noexcept;
  RunId& operator=(RunId&&) = delete;
  ~RunId();

  const std::string& prefix() const noexcept { return prefix_; }
  std::string name(std::string_view role) const;

 private:
  explicit RunId(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string prefix_;
};

// The run prefix of a name such as "snk3f9a-client", or "" if it has none.
std::string run_prefix_of(std::string_view name);
// Whether s is a run prefix itself, such as "snk3f9a" (a registry or state file's name).
bool is_run_prefix(std::string_view s);
bool run_is_alive(const std::string& prefix);
// The pid of run `prefix`'s process while it lives, else 0.
int run_pid(const std::string& prefix);
// Where run `prefix` is registered: kRunRegistryDir/<prefix>.
std::string run_registry_path(const std::string& prefix);
// The run's own directory, /run/synnet/<prefix> (its control API's socket,
// api.sock, mode 0700), and that socket's path.
std::string run_dir(const std::string& prefix);
std::string run_api_socket(const std::string& prefix);
// The runs that are alive and serve a control API on their socket, by prefix.
std::vector<std::string> runs_with_api();

}  // namespace synnet
