// attachment.cpp — moving an interface out of its namespace for the engine
// and back, with a state file for crash recovery; see attachment.hpp.
#include "netns/attachment.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/sys/system_error.hpp"
#include "engine/sys/text.hpp"
#include "engine/sys/text_file.hpp"
#include "netns/ethtool.hpp"

namespace synnet {

namespace {

std::string state_path(const std::string& prefix) { return std::string(kAttachStateDir) + "/" + prefix + ".json"; }

void write_state(const AttachState& s) {
  std::error_code ec;
  std::filesystem::create_directories(kAttachStateDir, ec);
  if (ec) throw SystemError(ec.value(), std::string("create ") + kAttachStateDir);
  const std::string path = s.path(), tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << s.to_json().dump(2) << "\n";
    out.close();
    if (!out) throw SystemError(errno, "write " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw SystemError(errno, "rename " + tmp + " to " + path);
}

std::optional<AttachState> read_state(const std::string& path) {
  const std::optional<std::string> text = read_text(path);
  if (!text) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw std::invalid_argument(path + ": not valid JSON");
  try {
    return AttachState::from_json(j);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
}

std::string link_names(RtNetlink& nl) {
  std::string s;
  for (const std::string& l : nl.links()) s += (s.empty() ? "" : ", ") + l;
  return s;
}

// Undoes whatever part of an attachment exists: the veth goes, the
// interface comes back from the wire namespace (when that still exists),
// gets its MTU and state, and its saved addresses and routes.
void undo(const AttachState& s, Netns& target, Netns* wire) {
  if (wire != nullptr) {
    wire->netlink().delete_link(s.inside);  // both ends of the veth; false when never made
    if (wire->netlink().has_link(s.dev)) wire->netlink().move_link(s.dev, target.fd());
  }
  RtNetlink& nl = target.netlink();
  if (!nl.has_link(s.dev)) {
    throw AttachError(
        "interface " + in_quotes(s.dev) + " is gone from " + s.netns_path +
        (wire == nullptr ? " (the run's wire namespace was deleted, and a virtual interface with it)" : ""));
  }
  const LinkInfo info = nl.link_info(s.dev);
  if (info.mtu != s.mtu) nl.set_mtu(s.dev, s.mtu);
  if (info.up != s.up) nl.set_up(s.dev, s.up);
  s.snapshot.apply(target.fd(), info.ifindex);
}

}  // namespace

nlohmann::json AttachState::to_json() const {
  return {{"prefix", prefix},
          {"netns_path", netns_path},
          {"netns_inode", netns_inode},
          {"dev", dev},
          {"mac", mac},
          {"mtu", mtu},
          {"up", up},
          {"wire", wire},
          {"inside", inside},
          {"snapshot", snapshot.to_json()}};
}

AttachState AttachState::from_json(const nlohmann::json& j) {
  AttachState s;
  try {
    s.prefix = j.at("prefix").get<std::string>();
    s.netns_path = j.at("netns_path").get<std::string>();
    s.netns_inode = j.at("netns_inode").get<unsigned long>();
    s.dev = j.at("dev").get<std::string>();
    s.mac = j.at("mac").get<std::string>();
    s.mtu = j.at("mtu").get<unsigned>();
    s.up = j.at("up").get<bool>();
    s.wire = j.at("wire").get<std::string>();
    s.inside = j.at("inside").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("not an attachment's state: ") + e.what());
  }
  s.snapshot = InterfaceSnapshot::from_json(j.at("snapshot"));
  return s;
}

std::string AttachState::path() const { return state_path(prefix); }

Attachment::Attachment(const RunId& run, const std::string& netns_path, const std::string& dev) {
  try {
    target_ = std::make_unique<Netns>(Netns::open(netns_path));
  } catch (const SystemError& e) {
    throw AttachError("cannot open the network namespace " + netns_path + ": " + e.what() +
                      " (give a path such as /run/netns/NAME or /proc/PID/ns/net, or a container's PID)");
  }
  if (target_->inode() == Netns::current().inode()) {
    throw AttachError(netns_path + " is synnet-test's own network namespace: attaching to " + in_quotes(dev) +
                      " there could cut this machine off; give a container's namespace (--netns PID)");
  }
  RtNetlink& nl = target_->netlink();
  if (!nl.has_link(dev)) {
    throw AttachError("no interface " + in_quotes(dev) + " in " + netns_path + " (it has: " + link_names(nl) + ")");
  }
  if (dev == "lo")
    throw AttachError("cannot attach to the loopback interface; give the namespace's link to the network");
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(kAttachStateDir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    std::optional<AttachState> other;
    try {
      other = read_state(it->path());
    } catch (const std::invalid_argument&) {
      continue;
    }
    if (!other || other->netns_inode != target_->inode() || other->dev != dev) continue;
    throw AttachError(in_quotes(dev) + " in " + netns_path + " is already attached by run " + other->prefix +
                      (run_is_alive(other->prefix)
                           ? " (still running)"
                           : ", which was killed: run synnet-test --cleanup to restore it first"));
  }

  const LinkInfo info = nl.link_info(dev);
  state_.prefix = run.prefix();
  state_.netns_path = netns_path;
  state_.netns_inode = target_->inode();
  state_.dev = dev;
  state_.mac = info.mac;
  state_.mtu = info.mtu;
  state_.up = info.up;
  state_.wire = run.name("wire");
  state_.inside = run.name("in");
  state_.snapshot = InterfaceSnapshot::take(target_->fd(), info.ifindex);

  wire_ = std::make_unique<Netns>(Netns::create(state_.wire));
  // No IPv6 on the interface while it is the engine's: it must send nothing of its own.
  for (const char* key : {"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"}) {
    wire_->set_sysctl(key, "1");
  }
  wire_->netlink().set_up("lo");
  write_state(state_);  // from here on, a crash is undone by cleanup()

  try {
    nl.move_link(dev, wire_->fd());
    wire_->netlink().add_veth(state_.inside, wire_->fd(), dev, target_->fd());
    nl.set_mac(dev, state_.mac);
    nl.set_mtu(dev, state_.mtu);
    wire_->netlink().set_mtu(state_.inside, state_.mtu);
    const Offloads off{.tx_checksum = false, .tso = false, .gso = false, .gro = false};
    Ethtool(target_->fd()).set_offloads(dev, off);
    Ethtool(wire_->fd()).set_offloads(state_.inside, off);
    wire_->netlink().set_up(dev);
    wire_->netlink().set_up(state_.inside);
    if (state_.up) nl.set_up(dev);
    state_.snapshot.apply(target_->fd(), nl.ifindex(dev));
  } catch (const std::exception& e) {
    const std::string what = e.what();
    try {
      restore();
    } catch (const std::exception& r) {
      throw AttachError("attaching to " + in_quotes(dev) + " failed: " + what +
                        "; putting it back failed too: " + r.what() + " (run synnet-test --cleanup)");
    }
    throw AttachError("attaching to " + in_quotes(dev) + " failed: " + what + " (everything was put back)");
  }
}

Attachment::~Attachment() {
  try {
    restore();
  } catch (const std::exception& e) {
    // The wire namespace holds the interface: removing it would destroy a virtual one.
    if (wire_) wire_->keep();
    std::fprintf(stderr, "synnet: restoring %s in %s: %s (run synnet-test --cleanup)\n", state_.dev.c_str(),
                 state_.netns_path.c_str(), e.what());
  }
}

std::string Attachment::describe() const {
  return state_.dev + " (" + state_.mac + ", mtu " + std::to_string(state_.mtu) + (state_.up ? "" : ", down") +
         "): " + state_.snapshot.describe();
}

void Attachment::restore() {
  if (restored_ || !wire_) return;
  undo(state_, *target_, wire_.get());
  restored_ = true;
  ::unlink(state_.path().c_str());
  wire_->remove();
}

std::string restore_attachment(const std::string& prefix) {
  std::optional<AttachState> s;
  try {
    s = read_state(state_path(prefix));
  } catch (const std::invalid_argument& e) {
    return std::string("cannot restore: ") + e.what();
  }
  if (!s) return "";
  const std::string done = s->dev + " in " + s->netns_path;
  struct stat st {};
  if (::stat(s->netns_path.c_str(), &st) != 0 || st.st_ino != s->netns_inode) {
    ::unlink(s->path().c_str());
    return done + ": that namespace is gone, nothing to restore";
  }
  try {
    Netns target = Netns::open(s->netns_path);
    std::optional<Netns> wire;
    if (::access((std::string(kNetnsRunDir) + "/" + s->wire).c_str(), F_OK) == 0) {
      wire.emplace(Netns::open(std::string(kNetnsRunDir) + "/" + s->wire));
    }
    undo(*s, target, wire ? &*wire : nullptr);
  } catch (const std::exception& e) {
    return done + ": cannot restore: " + e.what();  // the state file stays for another try
  }
  ::unlink(s->path().c_str());
  return done + ": restored";
}

}  // namespace synnet
