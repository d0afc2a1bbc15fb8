// attachment.hpp — Attachment: makes room for the engine between an existing
// namespace's interface (a container's eth0) and the network it is plugged
// into, and puts everything back exactly.
//
//   RunId run = RunId::create();
//   Attachment a(run, "/proc/1234/ns/net", "eth0");   // throws AttachError saying what and what to do
//   a.wire()      // the run's namespace "<prefix>-wire", where both engine ends live
//   a.outside()   // "eth0": the original interface, moved into the wire namespace (to the network)
//   a.inside()    // "<prefix>-in": wire end of the new veth whose other end is the namespace's new "eth0"
//   a.describe()  // "eth0 (02:..., mtu 1500): 198.18.7.2/24; routes: default via 198.18.7.1"
//   a.restore();  // the destructor does it too (and logs instead of throwing)
//   restore_attachment("snk3f9a")   // what cleanup() does for a killed run
//
// How (as synthetic-network's setup.sh does inside its container, but from outside):
//   1. save the interface's addresses and routes (InterfaceSnapshot), MAC,
//      MTU and up/down state, in /run/synnet/attach/<prefix>.json, before
//      anything changes — that file is what restores after a kill -9;
//   2. move the interface into the wire namespace (the kernel drops its
//      addresses and routes there; IPv6 is off in the wire namespace, so it
//      sends nothing of its own);
//   3. create a veth whose namespace end takes the interface's name, MAC and
//      MTU (so neighbours' ARP caches stay right), with tx checksum offload,
//      TSO, GSO and GRO off (wire-sized frames with complete checksums), and
//      put the saved addresses and routes on it.
// Restoring deletes the veth, moves the interface back, sets its MTU and
// state and replays the saved addresses and routes, then removes the state
// file. Each step tolerates having been done already, so a restore after a
// crash at any point of create() or restore() finishes the job.
//
// Refused: the caller's own network namespace (moving its interface would cut
// this machine off), a missing interface (the error lists the ones there),
// loopback, and an interface that is already attached by a live run.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "netns/interface_snapshot.hpp"
#include "netns/netns.hpp"
#include "netns/run_id.hpp"

namespace synnet {

inline constexpr const char* kAttachStateDir = "/run/synnet/attach";

class AttachError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What an attachment changed: enough to undo it, from this process or from a later one.
struct AttachState {
  std::string prefix;      // the run's prefix
  std::string netns_path;  // the attached namespace, as given ("/proc/1234/ns/net")
  unsigned long netns_inode = 0;
  std::string dev;  // the interface's name
  std::string mac;
  unsigned mtu = 0;
  bool up = false;
  std::string wire;    // name of the run's wire namespace
  std::string inside;  // wire end of the veth
  InterfaceSnapshot snapshot;

  nlohmann::json to_json() const;
  static AttachState from_json(const nlohmann::json& j);  // throws std::invalid_argument
  std::string path() const;                               // /run/synnet/attach/<prefix>.json
};

class Attachment {
 public:
  Attachment(const RunId& run, const std::string& netns_path, const std::string& dev);
  Attachment(const Attachment&) = delete;
  Attachment& operator=(const Attachment&) = delete;
  ~Attachment();

  Netns& wire() { return *wire_; }
  const std::string& outside() const noexcept { return state_.dev; }
  const std::string& inside() const noexcept { return state_.inside; }
  const AttachState& state() const noexcept { return state_; }
  std::string describe() const;
  void restore();  // idempotent

 private:
  AttachState state_;
  std::unique_ptr<Netns> target_;
  std::unique_ptr<Netns> wire_;
  bool restored_ = false;
};

// Restores the attachment recorded for that run prefix, if any: returns a
// line saying what was done ("" when there was no state file). Used by
// cleanup() for dead runs before their namespaces go.
std::string restore_attachment(const std::string& prefix);

}  // namespace synnet
