// run_id.hpp — RunId: a run's name prefix and its registration, and
// cleanup() of what dead runs left behind.
//
//   RunId run = RunId::create();      // e.g. prefix "snk3f9a", registered as alive
//   run.name("client")                // "snk3f9a-client"; throws if over 15 characters
//   CleanupReport r = cleanup();      // leftovers of dead runs, all prefixes
//   CleanupReport r = cleanup("snk3f9a");
//
// Every namespace and interface a run creates is named "<prefix>-<role>",
// where the prefix is "sn" and 5 characters of [0-9a-z]. A run registers
// itself in /run/synnet/runs/<prefix> (its pid and the process's start time,
// so a reused pid does not look alive) before it creates anything, and
// unregisters when RunId is destroyed, after everything else it built.
//
// cleanup(filter) looks at run prefixes that start with `filter` and, for
// each run whose process is dead (or never registered), SIGKILLs the
// processes still inside its namespaces (matched by namespace inode), puts
// back an interface it had attached to (restore_attachment), deletes
// its interfaces in the caller's namespace, removes its namespaces and its
// registration. Live runs and names without a run prefix are never touched.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace synnet {

inline constexpr std::string_view kRunFamily = "sn";
inline constexpr std::size_t kRunPrefixLength = 7;  // "sn" + 5
inline constexpr std::size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1
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

struct CleanupReport {
  std::vector<std::string> runs;        // dead runs found
  std::vector<std::string> namespaces;  // removed
  std::vector<std::string> links;       // removed from the caller's namespace
  std::vector<int> processes;           // killed
  std::vector<std::string> restored;    // interfaces put back into their namespaces (attach), one line each
};

CleanupReport cleanup(std::string_view filter = kRunFamily);

}  // namespace synnet
