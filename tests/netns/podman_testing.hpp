// podman_testing.hpp — a real podman container for the attach tests: an image
// imported from this machine's busybox-static (no registry), run detached with
// `--network ns:PATH` in a namespace the test made (never podman's own
// networks), with all of podman's state in a directory of its own that
// remove() deletes.
//
//   if (std::string why = PodmanContainer::unavailable(); !why.empty()) GTEST_SKIP() << why;
//   PodmanContainer web(net.run.prefix(), net.ctr.path(), {"httpd", "-f", "-p", "8080", "-h", "/www"});
//   if (!web.error().empty()) GTEST_SKIP() << web.error();   // podman cannot run a container here
//   web.pid()                                  // the container's first process, for `attach --netns PID`
//   web.podman({"exec", web.name(), "ping", "-c", "3", "198.18.7.1"})
//   web.remove()                               // rm -f, rmi, conmons reaped, the directory deleted
//   PodmanContainer::host_traces()             // what podman would leave outside that directory
//
// How it runs where root lacks CAP_SYS_RESOURCE and cgroups are v1 with v2
// beside them (netns/README.md#attach has the story):
//  - containers.conf `default_ulimits = []`: no rlimits in the OCI spec (podman
//    asks for RLIMIT_NOFILE 1048576, above the hard limit: setrlimit EPERM);
//  - `--cgroups=disabled`: the container stays in the test's cgroups, none made;
//  - each podman command in a private mount namespace where a tmpfs hides the
//    hybrid cgroup v2 tree (crun refuses a hybrid one with a controller in v2,
//    even with cgroups disabled) and /var/lib (`podman import` keeps a blob
//    cache in /var/lib/containers whatever --root says);
//  - crun through a script that gives it a state directory (--root) in ours,
//    storage (vfs), tmp_dir, network_config_dir in ours; events_logger none.
#pragma once

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet::testing {

class PodmanContainer {
 public:
  static constexpr const char* kImage = "synnet-busybox";
  static constexpr const char* kCrun = "/usr/bin/crun";
  static constexpr const char* kBusybox = "/bin/busybox";  // busybox-static: runs without a libc in the image
  // /www/big.bin's size: enough packets for a loss to hit.
  static constexpr std::size_t kBigFileBytes = 256 * std::size_t{1024};

  // /www/big.bin's bytes: line numbers, so a piece lost or repeated shows.
  static std::string big_file() {
    std::string s;
    for (std::size_t i = 0; s.size() < kBigFileBytes; ++i) s += std::to_string(i) + '\n';
    s.resize(kBigFileBytes);
    return s;
  }

  // Why no container can be made here ("" when one can be tried).
  static std::string unavailable() {
    if (run_process(-1, {.argv = {"sh", "-c", "command -v podman"}, .deadline = std::chrono::seconds(10)}).out.empty())
      return "needs podman (apt-get install podman crun; ci/install does)";
    if (!std::filesystem::exists(kCrun)) return "needs crun (apt-get install crun)";
    if (!std::filesystem::exists(kBusybox))
      return "needs busybox-static for the image (apt-get install busybox-static)";
    return "";
  }

  // Paths outside its directory that podman (root) creates by default, which exist now.
  static std::vector<std::string> host_traces() {
    std::vector<std::string> found;
    for (const char* p : {"/var/lib/containers", "/run/containers", "/run/libpod", "/run/crun", "/run/runc",
                          "/etc/cni/net.d/cni.lock", "/etc/containers/networks", "/run/mount"}) {
      if (std::filesystem::exists(p)) found.emplace_back(p);
    }
    for (const char* h : {"blkio", "cpu", "memory", "pids", "systemd", "unified"}) {
      const std::string parent = std::string("/sys/fs/cgroup/") + h + "/libpod_parent";
      if (std::filesystem::exists(parent)) found.push_back(parent);
    }
    return found;
  }

  // Imports the image and runs `busybox COMMAND...` detached in the namespace at netns_path.
  PodmanContainer(const std::string& prefix, const std::string& netns_path, const std::vector<std::string>& command)
      : dir_(std::filesystem::temp_directory_path() / ("synnet-podman-" + prefix)), name_(prefix + "-web") {
    // conmon (one for the container, one per exec) leaves podman as an orphan:
    // it becomes our child, so that we reap it (PID 1 here may never do).
    ::prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper_);
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    write_files();
    ProcessResult r = run_process(
        -1, {.argv = {"tar", "-C", dir_ / "rootfs", "-cf", dir_ / "rootfs.tar", "."}, .deadline = kDeadline});
    if (!r.ok()) {
      error_ = "tar: " + r.err;
      return;
    }
    r = podman({"import", dir_ / "rootfs.tar", kImage});
    if (!r.ok()) {
      error_ = "podman import: " + r.describe() + ": " + r.err;
      return;
    }
    std::vector<std::string> run = {
        "run", "-d", "--name", name_, "--network", "ns:" + netns_path, "--cgroups=disabled", kImage, kBusybox};
    run.insert(run.end(), command.begin(), command.end());
    r = podman(run);
    if (!r.ok()) {
      error_ = "podman run: " + r.describe() + ": " + r.err;
      return;
    }
    pid_ = std::atoi(podman({"inspect", "-f", "{{.State.Pid}}", name_}).out.c_str());
    if (pid_ <= 0) error_ = "podman inspect: no PID for " + name_;
  }
  PodmanContainer(const PodmanContainer&) = delete;
  PodmanContainer& operator=(const PodmanContainer&) = delete;
  ~PodmanContainer() {
    try {
      remove();
    } catch (const std::exception& e) {
      std::cerr << "PodmanContainer: " << e.what() << '\n';
    }
  }

  const std::string& error() const noexcept { return error_; }  // "" when it runs
  const std::string& name() const noexcept { return name_; }
  int pid() const noexcept { return pid_; }

  bool running() {
    return podman({"inspect", "-f", "{{.State.Running}}", name_}).out == "true\n" && !process_gone(pid_);
  }

  // `podman ARGS...` with this container's configuration and storage.
  ProcessResult podman(std::vector<std::string> args) const {
    static constexpr const char* kPrivateMounts =
        "mount -n -t tmpfs -o size=1m synnet-podman /var/lib || exit 1\n"
        "if [ \"$(stat -f -c %T /sys/fs/cgroup)\" = tmpfs ] &&"
        " [ \"$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)\" = cgroup2fs ]; then\n"
        "  mount -n -t tmpfs -o ro,size=4k synnet-podman /sys/fs/cgroup/unified || exit 1\n"
        "fi\n"
        "exec podman \"$@\"\n";
    args.insert(args.begin(), {"unshare", "-m", "sh", "-c", kPrivateMounts, "podman", "--runtime", dir_ / "crun"});
    return run_process(-1, {.argv = args,
                            .env = {"CONTAINERS_CONF=" + (dir_ / "containers.conf").string(),
                                    "CONTAINERS_STORAGE_CONF=" + (dir_ / "storage.conf").string(), "LANG=C"},
                            .deadline = kDeadline});
  }

  // Removes the container, its image and every file of podman's; reaps the conmons.
  void remove() {
    if (!std::filesystem::exists(dir_)) return;
    const ProcessResult r = podman({"rm", "-f", "-t", "0", "--ignore", name_});
    if (!r.ok()) throw std::runtime_error("podman rm: " + r.err);
    podman({"rmi", "-f", "--ignore", kImage});
    for (auto end = std::chrono::steady_clock::now() + kDeadline; reap_conmons() > 0;) {
      if (std::chrono::steady_clock::now() > end) throw std::runtime_error("a conmon did not end");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::prctl(PR_SET_CHILD_SUBREAPER, was_subreaper_);
    std::filesystem::remove_all(dir_);
  }

 private:
  static constexpr std::chrono::seconds kDeadline{60};

  // Reaps our conmon children that have ended; returns how many still run.
  static int reap_conmons() {
    int running = 0;
    for (const std::string& entry : dir_entries("/proc")) {
      std::ifstream stat("/proc/" + entry + "/stat");
      std::string line;
      if (entry.find_first_not_of("0123456789") != std::string::npos || !std::getline(stat, line)) continue;
      const auto paren = line.rfind(')');
      if (line.find("(conmon)") == std::string::npos || paren == std::string::npos) continue;
      char state = 0;
      int ppid = 0;
      if (std::sscanf(line.c_str() + paren + 1, " %c %d", &state, &ppid) != 2 || ppid != ::getpid()) continue;
      if (state == 'Z') {
        ::waitpid(std::stoi(entry), nullptr, WNOHANG);
      } else {
        ++running;
      }
    }
    return running;
  }

  void write_files() const {
    namespace fs = std::filesystem;
    const fs::path rootfs = dir_ / "rootfs";
    for (const char* d : {"bin", "www", "etc", "proc", "sys", "dev", "tmp", "run"}) fs::create_directories(rootfs / d);
    fs::copy_file(kBusybox, rootfs / "bin/busybox");
    for (const char* applet : {"sh", "ping", "httpd", "wget", "nc", "ip", "sleep", "cat"})
      fs::create_symlink("busybox", rootfs / "bin" / applet);
    std::ofstream(rootfs / "www/index.html") << "hello from the podman container\n";
    std::ofstream(rootfs / "www/big.bin") << big_file();
    const std::string d = dir_.string();
    std::ofstream(dir_ / "containers.conf") << "[containers]\ndefault_ulimits = []\n"
                                            << "[engine]\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"none\"\n"
                                            << "tmp_dir = \"" << d << "/tmp\"\n"
                                            << "[network]\nnetwork_config_dir = \"" << d << "/net\"\n";
    std::ofstream(dir_ / "storage.conf") << "[storage]\ndriver = \"vfs\"\ngraphroot = \"" << d
                                         << "/root\"\nrunroot = \"" << d << "/runroot\"\n";
    std::ofstream(dir_ / "crun") << "#!/bin/sh\nexec " << kCrun << " --root " << d << "/crun-state \"$@\"\n";
    fs::permissions(dir_ / "crun", fs::perms::owner_all);
  }

  std::filesystem::path dir_;
  std::string name_;
  std::string error_;
  int pid_ = -1;
  int was_subreaper_ = 0;
};

}  // namespace synnet::testing
