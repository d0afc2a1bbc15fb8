#include "netns/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

#include "engine/sys/in_netns.hpp"
#include "engine/sys/system_error.hpp"
#include "engine/sys/text.hpp"

namespace synnet {

namespace {

std::string permission_hint(int err) {
  return err == EPERM || err == EACCES ? " (this needs root or CAP_SYS_ADMIN: run as root, e.g. with sudo)" : "";
}

// /run/netns must be a shared mount so that namespaces mounted under it show up
// in every mount namespace (ip netns exec makes its own): iproute2's netns_add.
void prepare_run_dir() {
  if (::mkdir(kNetnsRunDir, 0755) != 0 && errno != EEXIST) {
    throw SystemError(errno, std::string("netns: create ") + kNetnsRunDir + permission_hint(errno));
  }
  if (::mount("", kNetnsRunDir, "none", MS_SHARED | MS_REC, nullptr) == 0) return;
  if (errno != EINVAL)
    throw SystemError(errno, std::string("netns: make ") + kNetnsRunDir + " shared" + permission_hint(errno));
  // Not a mount point yet: bind it onto itself, then make it shared.
  if (::mount(kNetnsRunDir, kNetnsRunDir, "none", MS_BIND | MS_REC, nullptr) != 0 ||
      ::mount("", kNetnsRunDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
    throw SystemError(errno, std::string("netns: mount ") + kNetnsRunDir + permission_hint(errno));
  }
}

ino_t inode_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

std::string sysctl_path(const std::string& key) {
  std::string path = key;
  if (path.find('/') == std::string::npos) std::replace(path.begin(), path.end(), '.', '/');
  return "/proc/sys/" + path;
}

}  // namespace

Netns::Netns(Fd fd, std::string name, std::string path, bool owned)
    : fd_(std::move(fd)), name_(std::move(name)), path_(std::move(path)), inode_(inode_of(fd_.get())), owned_(owned) {}

Netns::Netns(Netns&& other) noexcept
    : fd_(std::move(other.fd_)),
      name_(std::move(other.name_)),
      path_(std::move(other.path_)),
      inode_(other.inode_),
      owned_(std::exchange(other.owned_, false)),
      netlink_(std::move(other.netlink_)) {}

Netns& Netns::operator=(Netns&& other) noexcept {
  if (this != &other) {
    try {
      remove();
    } catch (...) {
    }
    fd_ = std::move(other.fd_);
    name_ = std::move(other.name_);
    path_ = std::move(other.path_);
    inode_ = other.inode_;
    owned_ = std::exchange(other.owned_, false);
    netlink_ = std::move(other.netlink_);
  }
  return *this;
}

Netns::~Netns() {
  try {
    remove();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "synnet: netns %s: %s\n", name_.c_str(), e.what());
  }
}

Netns Netns::create(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    throw SystemError(EINVAL, "netns: " + in_quotes(name) + " is not a valid namespace name");
  }
  prepare_run_dir();
  const std::string path = std::string(kNetnsRunDir) + "/" + name;
  {
    Fd placeholder(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
    if (!placeholder) {
      throw SystemError(errno, "netns: create " + path +
                                   (errno == EEXIST ? " (a namespace with this name exists)" : permission_hint(errno)));
    }
  }
  // A helper thread gets a new namespace; its ns/net is bind-mounted on the file.
  std::exception_ptr error;
  std::thread helper([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      error = std::make_exception_ptr(SystemError(errno, "netns: unshare(CLONE_NEWNET)" + permission_hint(errno)));
    } else if (::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0) {
      error = std::make_exception_ptr(SystemError(errno, "netns: bind mount on " + path));
    }
  });
  helper.join();
  if (error) {
    ::unlink(path.c_str());
    std::rethrow_exception(error);
  }
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    const int err = errno;
    remove_named_netns(name);
    throw SystemError(err, "netns: open " + path);
  }
  return Netns(std::move(fd), name, path, true);
}

Netns Netns::open(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw SystemError(errno, "netns: open " + path + permission_hint(errno));
  const auto slash = path.rfind('/');
  std::string name = path.rfind(std::string(kNetnsRunDir) + "/", 0) == 0 ? path.substr(slash + 1) : "";
  return Netns(std::move(fd), std::move(name), path, false);
}

Netns Netns::current() { return open("/proc/thread-self/ns/net"); }

RtNetlink& Netns::netlink() {
  if (!fd_) throw SystemError(EBADF, "netns " + in_quotes(name_) + ": already removed");
  if (!netlink_) netlink_ = std::make_unique<RtNetlink>(fd_.get());
  return *netlink_;
}

void Netns::set_sysctl(const std::string& key, const std::string& value) {
  const std::string path = sysctl_path(key);
  in_netns(fd_.get(), [&] {
    Fd f(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!f || ::write(f.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
      throw SystemError(errno,
                        "netns " + in_quotes(name_) + ": set sysctl " + key + "=" + value + permission_hint(errno));
    }
  });
}

std::string Netns::sysctl(const std::string& key) {
  const std::string path = sysctl_path(key);
  return in_netns(fd_.get(), [&] {
    std::ifstream in(path);
    if (!in) throw SystemError(errno, "netns " + in_quotes(name_) + ": read sysctl " + key);
    std::string value;
    std::getline(in, value);
    return value;
  });
}

void Netns::remove() {
  netlink_.reset();
  if (!owned_) {
    fd_.reset();
    return;
  }
  fd_.reset();
  owned_ = false;
  remove_named_netns(name_);
}

bool remove_named_netns(const std::string& name) {
  const std::string path = std::string(kNetnsRunDir) + "/" + name;
  // EINVAL: not mounted (a placeholder left by a failed create); ENOENT: gone.
  if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    throw SystemError(errno, "netns: unmount " + path + permission_hint(errno));
  }
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return false;
    throw SystemError(errno, "netns: remove " + path);
  }
  return true;
}

}  // namespace synnet
