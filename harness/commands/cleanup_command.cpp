// cleanup_command.cpp — see cleanup_command.hpp.
#include "harness/commands/cleanup_command.hpp"

#include <iostream>

#include "harness/commands/exit_status.hpp"
#include "netns/cleanup.hpp"

namespace synnet {

int run_cleanup() {
  const CleanupReport r = cleanup();
  std::cout << "runs cleaned up: " << r.runs.size() << "\n";
  for (const std::string& ns : r.namespaces) std::cout << "  namespace " << ns << " removed\n";
  for (const std::string& l : r.links) std::cout << "  interface " << l << " removed\n";
  for (int pid : r.processes) std::cout << "  process " << pid << " killed\n";
  for (const std::string& line : r.restored) std::cout << "  interface " << line << "\n";
  return exit_status::kOk;
}

}  // namespace synnet
