// cleanup.cpp — removing what dead runs left behind. See cleanup.hpp.
#include "netns/cleanup.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "netns/attachment.hpp"
#include "netns/netns.hpp"
#include "netns/rtnetlink.hpp"
#include "netns/run_id.hpp"

namespace synnet {

namespace {

std::vector<std::string> list_dir(const char* path) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(path); d != nullptr) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// PIDs of processes whose network namespace is one of `inodes`.
std::vector<int> processes_in(const std::set<ino_t>& inodes) {
  std::vector<int> pids;
  const int self = ::getpid();
  for (const std::string& entry : list_dir("/proc")) {
    if (entry.find_first_not_of("0123456789") != std::string::npos) continue;
    const int pid = std::stoi(entry);
    struct stat st {};
    if (pid != self && ::stat(("/proc/" + entry + "/ns/net").c_str(), &st) == 0 && inodes.count(st.st_ino) != 0) {
      pids.push_back(pid);
    }
  }
  return pids;
}

}  // namespace

CleanupReport cleanup(std::string_view filter) {
  CleanupReport report;
  // Runs seen anywhere: registrations, named namespaces, our own interfaces.
  std::set<std::string> runs;
  for (const std::string& p : list_dir(kRunRegistryDir)) {
    if (is_run_prefix(p)) runs.insert(p);
  }
  for (const std::string& p : list_dir(kRunsDir)) {
    if (is_run_prefix(p)) runs.insert(p);  // a run's directory (its API socket)
  }
  const std::vector<std::string> namespaces = list_dir(kNetnsRunDir);
  for (const std::string& n : namespaces) {
    if (auto p = run_prefix_of(n); !p.empty()) runs.insert(p);
  }
  RtNetlink host;
  const std::vector<std::string> links = host.links();
  for (const std::string& l : links) {
    if (auto p = run_prefix_of(l); !p.empty()) runs.insert(p);
  }
  for (const std::string& f : list_dir(kAttachStateDir)) {
    if (f.ends_with(".json") && is_run_prefix(f.substr(0, f.size() - 5))) runs.insert(f.substr(0, f.size() - 5));
  }

  for (const std::string& run : runs) {
    if (run.compare(0, filter.size(), filter) != 0 || run_is_alive(run)) continue;
    report.runs.push_back(run);
    // An interface the run took out of someone's namespace goes back before
    // the run's wire namespace (which holds it) is removed.
    if (std::string r = restore_attachment(run); !r.empty()) report.restored.push_back(std::move(r));
    std::set<ino_t> inodes;
    std::vector<std::string> mine;
    for (const std::string& n : namespaces) {
      if (run_prefix_of(n) != run) continue;
      mine.push_back(n);
      struct stat st {};
      if (::stat((std::string(kNetnsRunDir) + "/" + n).c_str(), &st) == 0) inodes.insert(st.st_ino);
    }
    for (int pid : processes_in(inodes)) {
      if (::kill(pid, SIGKILL) == 0) report.processes.push_back(pid);
    }
    for (int i = 0; i < 100 && !processes_in(inodes).empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (const std::string& l : links) {
      if (run_prefix_of(l) == run && host.delete_link(l)) report.links.push_back(l);
    }
    for (const std::string& n : mine) {
      if (remove_named_netns(n)) report.namespaces.push_back(n);
    }
    ::unlink(run_api_socket(run).c_str());
    ::rmdir(run_dir(run).c_str());
    ::unlink(run_registry_path(run).c_str());
  }
  return report;
}

}  // namespace synnet
