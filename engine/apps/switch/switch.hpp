// switch.hpp — Switch: an L2 segment between hosts. A static station table
// (the spec's MACs per port), source learning, flooding, and optional
// impairment paths between two ports; a partition in force cuts frames
// between its groups (partition.hpp).
//
//   port a (input)  --> +--------+--> port a (output)     a known unicast destination:
//   port b (input)  --> | Switch |--> port b (output)     out on its port, or on a path;
//   ...                 |        |--> ...                 else flooded to every other port
//   path ab (input) --> |        |--> path ab (output) --> impairment chain --+
//        ^              +--------+                                            |
//        +--------------------------------------------------------------------+
//
// Spec (SwitchSpec):
//   ports        — name (an input and an output of that name) and the MACs of
//                  the stations behind it (the static table; unicast, each on
//                  one port).
//   paths        — {from, to, port}: unicast frames in on `from` for a station
//                  on `to` leave on output `port` (through the harness's
//                  impairment chain) and come back on input `port`, which sends
//                  them out on `to` with no further lookup. One direction each.
//                  Floods do not take paths.
//   partition    — PartitionSpec: frames it cuts are dropped; floods skip ports
//                  whose stations are all in other groups than the source.
//   learning     — learn source MACs not in the static table (default true); a
//                  learned MAC seen on another port moves there.
//   max_learned  — learned entries at most (default 4096, at most
//                  kMaxLearned); beyond, new sources are not learned
//                  (learn_table_full counts the frames). The table is
//                  allocated for it at configure time (16 bytes x 2 per entry).
// Ports: any names. A linked name the spec does not know drops what arrives
// there (dropped_unknown_port); an output the spec does not know gets nothing.
//
// Per frame in on a port:
//   shorter than 14 bytes          dropped_runt (Drop::invalid)
//   learn its source (a source already known on that port costs one compare)
//   the partition cuts it          dropped_partition (Drop::partition)
//   destination multicast/broadcast or unknown: flooded to every other linked
//     port (copies; the last port gets the original): flooded counts the frame,
//     dropped_partition_flood (Drop::partition) the copies a partition kept
//     from a port, alloc_failed (Drop::no_buffer) the copies the pool had no
//     packet for
//   destination on the input port  dropped_same_port (Drop::no_output: the
//     frame has already reached that segment, and a switch never sends a
//     frame back where it came from, so there is no output for it)
//   else                           forwarded, out on the path (from, to) if
//     there is one, else on the destination's port
// Per frame in on a path's port: out on the path's `to` port (returned).
// Output not linked: dropped_no_output (Drop::no_output). A path whose port
// is not linked drops the same way: its frames never bypass the impairments.
// Counters: forwarded, returned, flooded, learned (gauge: MACs learned now),
// moved (events), learn_table_full (events), and the drops above.
// Conservation, with in = the packets received on all inputs:
//   in = forwarded + returned + flooded + dropped_runt + dropped_partition
//        + dropped_same_port + dropped_no_output + dropped_unknown_port
// (a full output link then drops and counts txdrop); alloc_failed and
// dropped_partition_flood count copies, not frames, so they are not in it.
// Reconfigurable in place: learned MACs stay (on their port, by name) unless
// the new static table has them, their port is gone, learning is off, or
// they are past the new max_learned.
//
// Cost per frame: a lookup of the destination in an open-addressing table
// (mac_table.hpp), a compare of the source with the last one seen on that
// input, and one branch when no partition is in force; no allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/app.hpp"
#include "engine/apps/switch/mac_address.hpp"
#include "engine/apps/switch/mac_table.hpp"
#include "engine/apps/switch/partition.hpp"

namespace synnet {

struct SwitchPortSpec {
  std::string name;              // an input and an output port of this name (valid_name)
  std::vector<MacAddress> macs;  // stations reached through this port (the static table)
  bool operator==(const SwitchPortSpec&) const = default;
};

struct SwitchPathSpec {  // an impairment chain between two ports, one direction
  std::string from, to;  // port names
  std::string port;      // unicast frames in on `from` bound for a station on `to` leave on output `port`
                         // (through the harness's impairment chain) and come back on input `port`,
                         // which sends them out on `to` with no further lookup
  bool operator==(const SwitchPathSpec&) const = default;
};

struct SwitchSpec {
  std::vector<SwitchPortSpec> ports;
  std::vector<SwitchPathSpec> paths{};
  PartitionSpec partition{};
  bool learning = true;              // learn source MACs not in the static table
  std::uint32_t max_learned = 4096;  // entries; when full, new ones are not learned (counted)
  bool operator==(const SwitchSpec&) const = default;
  // std::invalid_argument naming the field: a port name twice or not
  // valid_name, a path port that is also a port's name or another path's, a
  // path naming an unknown port, from == to, a (from, to) pair twice, a MAC
  // on two ports or multicast, max_learned over Switch::kMaxLearned, and
  // partition.validate()'s errors.
  void validate() const;
};

class Switch final : public App {
 public:
  using Spec = SwitchSpec;
  static constexpr std::uint32_t kMaxLearned = 1U << 20;  // a 32 MiB table
  static Ports ports(const Spec&) { return Ports{{}, {}, true, true}; }

  Switch(AppContext& ctx, const Spec& spec);
  void push() override;
  void reconfigure(const Spec& spec);
  void counters(const CounterVisitor& emit) const override;

 protected:
  void relinked() override;

 private:
  enum class InKind : std::uint8_t { port, path, unknown };
  struct In {
    InKind kind = InKind::unknown;
    std::uint32_t index = 0;                    // the spec port or path
    std::uint64_t last_src = MacTable::kEmpty;  // a source known on this port (learning's fast path)
  };

  void build();  // tables from spec_ (learned entries are the caller's)
  void from_port(Link* in, In& at);
  void from_path(Link* in, std::uint32_t path);
  void learn(std::uint64_t src, In& at) noexcept;
  void flood(Packet* p, std::uint32_t from, const PartitionTable::Ends& ends) noexcept;
  bool partition_skips(std::uint32_t port, const PartitionTable::Ends& ends) const noexcept;

  SwitchSpec spec_;
  PartitionTable partition_;
  MacTable table_;
  std::size_t nports_ = 0;
  std::vector<std::int32_t> path_of_;        // [from * nports_ + to] -> path index, -1 none
  std::vector<std::uint32_t> path_to_;       // per path: its `to` port
  std::vector<std::uint64_t> flood_groups_;  // [port * partitions + i]: bit g set: a station in group g
  std::vector<std::uint8_t> flood_open_;     // [port * partitions + i]: a station in no group (or none)
  std::vector<Link*> port_out_;              // per spec port (nullptr: not linked)
  std::vector<Link*> path_out_;              // per path
  std::vector<In> in_;                       // per inputs() entry
  std::vector<Link*> targets_;               // flood scratch, reserved for every port

  std::uint64_t forwarded_ = 0, returned_ = 0, flooded_ = 0, learned_ = 0, moved_ = 0, learn_table_full_ = 0;
  std::uint64_t alloc_failed_ = 0, dropped_runt_ = 0, dropped_partition_ = 0, dropped_partition_flood_ = 0;
  std::uint64_t dropped_same_port_ = 0, dropped_no_output_ = 0, dropped_unknown_port_ = 0;
};

}  // namespace synnet
