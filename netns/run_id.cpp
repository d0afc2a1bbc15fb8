#include "netns/run_id.hpp"

#include "netns/attachment.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "engine/sys/system_error.hpp"
#include "netns/netns.hpp"
#include "netns/rtnetlink.hpp"

namespace synnet {

namespace {

// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.
std::string start_time_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return "";
  const auto paren = stat.rfind(')');  // the command name may contain spaces
  if (paren == std::string::npos) return "";
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i <= 22 && (fields >> field); ++i) {
  }
  return field;
}

std::string registry_path(const std::string& prefix) { return std::string(kRunRegistryDir) + "/" + prefix; }

void make_dirs(const std::string& path) {
  for (std::size_t slash = path.find('/', 1); ; slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      throw SystemError(errno, "run: create " + dir + (errno == EACCES ? " (run as root)" : ""));
    }
    if (slash == std::string::npos) break;
  }
}

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

RunId RunId::create() {
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  make_dirs(kRunRegistryDir);
  for (int attempt = 0; attempt < 16; ++attempt) {
    unsigned char random[5];
    if (::getrandom(random, sizeof random, 0) != sizeof random) throw SystemError(errno, "run: getrandom");
    std::string prefix(kRunFamily);
    for (unsigned char r : random) prefix += kAlphabet[r % 36];
    const std::string path = registry_path(prefix);
    FILE* f = std::fopen(path.c_str(), "wx");  // x: fails if the prefix is taken
    if (f == nullptr) {
      if (errno == EEXIST) continue;
      throw SystemError(errno, "run: register " + path);
    }
    std::fprintf(f, "%d %s\n", ::getpid(), start_time_of(::getpid()).c_str());
    std::fclose(f);
    return RunId(std::move(prefix));
  }
  throw SystemError(EEXIST, "run: no free run prefix after 16 tries");
}

RunId::RunId(RunId&& other) noexcept : prefix_(std::move(other.prefix_)) { other.prefix_.clear(); }

RunId::~RunId() {
  if (!prefix_.empty()) ::unlink(registry_path(prefix_).c_str());
}

std::string RunId::name(std::string_view role) const {
  std::string n = prefix_ + "-" + std::string(role);
  if (role.empty() || n.size() > kMaxInterfaceName) {
    throw SystemError(EINVAL, "run: name \"" + n + "\" must have a role and fit " + std::to_string(kMaxInterfaceName) +
                                  " characters (the role may have at most " +
                                  std::to_string(kMaxInterfaceName - kRunPrefixLength - 1) + ")");
  }
  return n;
}

bool is_run_prefix(std::string_view s) {
  if (s.size() != kRunPrefixLength || s.substr(0, kRunFamily.size()) != kRunFamily) return false;
  return std::all_of(s.begin() + kRunFamily.size(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); });
}

std::string run_prefix_of(std::string_view name) {
  if (name.size() <= kRunPrefixLength + 1 || name[kRunPrefixLength] != '-') return "";
  const std::string_view prefix = name.substr(0, kRunPrefixLength);
  return is_run_prefix(prefix) ? std::string(prefix) : "";
}

bool run_is_alive(const std::string& prefix) {
  std::ifstream in(registry_path(prefix));
  int pid = 0;
  std::string started;
  if (!(in >> pid >> started) || pid <= 0) return false;
  return start_time_of(pid) == started;
}

CleanupReport cleanup(std::string_view filter) {
  CleanupReport report;
  // Runs seen anywhere: registrations, named namespaces, our own interfaces.
  std::set<std::string> runs;
  for (const std::string& p : list_dir(kRunRegistryDir)) {
    if (is_run_prefix(p)) runs.insert(p);
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
    ::unlink(registry_path(run).c_str());
  }
  return report;
}

}  // namespace synnet
