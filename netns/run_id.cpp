#include "netns/run_id.hpp"

#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/sys/system_error.hpp"

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

void make_dirs(const std::string& path) {
  for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      throw SystemError(errno, "run: create " + dir + (errno == EACCES ? " (run as root)" : ""));
    }
    if (slash == std::string::npos) break;
  }
}

}  // namespace

std::string run_registry_path(const std::string& prefix) { return std::string(kRunRegistryDir) + "/" + prefix; }
std::string run_dir(const std::string& prefix) { return std::string(kRunsDir) + "/" + prefix; }
std::string run_api_socket(const std::string& prefix) { return run_dir(prefix) + "/api.sock"; }

std::vector<std::string> runs_with_api() {
  std::vector<std::string> runs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kRunsDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_run_prefix(name) && run_is_alive(name) && std::filesystem::is_socket(run_api_socket(name), ec)) {
      runs.push_back(name);
    }
  }
  std::sort(runs.begin(), runs.end());
  return runs;
}

RunId RunId::create() {
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  make_dirs(kRunRegistryDir);
  for (int attempt = 0; attempt < 16; ++attempt) {
    unsigned char random[5];
    if (::getrandom(random, sizeof random, 0) != sizeof random) throw SystemError(errno, "run: getrandom");
    std::string prefix(kRunFamily);
    for (unsigned char r : random) prefix += kAlphabet[r % 36];
    const std::string path = run_registry_path(prefix);
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
  if (!prefix_.empty()) ::unlink(run_registry_path(prefix_).c_str());
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

int run_pid(const std::string& prefix) {
  std::ifstream in(run_registry_path(prefix));
  int pid = 0;
  std::string started;
  if (!(in >> pid >> started) || pid <= 0) return 0;
  return start_time_of(pid) == started ? pid : 0;
}

bool run_is_alive(const std::string& prefix) { return run_pid(prefix) != 0; }

}  // namespace synnet
