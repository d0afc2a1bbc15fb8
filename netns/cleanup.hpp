// cleanup.hpp — cleanup(): removes what dead runs left behind.
//
//   CleanupReport r = cleanup();            // leftovers of dead runs, all prefixes
//   CleanupReport r = cleanup("snk3f9a");   // one run's
//
// cleanup(filter) looks at run prefixes (run_id.hpp) that start with `filter`
// and, for each run whose process is dead (or never registered), SIGKILLs the
// processes still inside its namespaces (matched by namespace inode), puts
// back an interface it had attached to (restore_attachment), deletes its
// interfaces in the caller's namespace, removes its namespaces, its directory
// (/run/synnet/<prefix>: the API socket) and its registration. Live runs and names without a run prefix are never
// touched.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "netns/run_id.hpp"

namespace synnet {

struct CleanupReport {
  std::vector<std::string> runs;        // dead runs found
  std::vector<std::string> namespaces;  // removed
  std::vector<std::string> links;       // removed from the caller's namespace
  std::vector<int> processes;           // killed
  std::vector<std::string> restored;    // interfaces put back into their namespaces (attach), one line each
};

CleanupReport cleanup(std::string_view filter = kRunFamily);

}  // namespace synnet
