// partition.hpp — network partitions: which hosts cannot reach which.
// PartitionTable decides, for one frame, whether a partition in force cuts
// it; the PartitionFilter app drops what it cuts on a plain link (the Switch
// asks the same table, switch.hpp).
//
//   PartitionSpec spec{{Partition{{PartitionGroup{{mac_a}, {"198.18.0.1"}},
//                                  PartitionGroup{{mac_b}, {"198.18.0.2", "2001:2::2"}}}}}};
//   spec.validate();                       // std::invalid_argument naming the field
//   PartitionTable t(spec);
//   t.cuts(frame, len)                     // some partition puts its two ends in different groups
//   PartitionTable::Ends e = t.ends(frame, len);           // look the frame's ends up once,
//   t.source_group(e, 0), t.destination_group(e, 0)        // then ask per partition (-1: unknown)
//   t.group_of_mac(0, mac)                 // -1: the MAC is in no group of partition 0
//
// A partition splits some hosts into groups; hosts in different groups of one
// partition cannot reach each other, both ways; a host named in no group
// (e.g. a router, or a host the partition leaves alone) reaches everyone.
// Several partitions can be in force at once: a frame is cut when any cuts it.
//
// Which group a frame's end is in, per partition: by its IP address when the
// frame is IPv4/IPv6 (parse_flow_key) and the address is named in that
// partition; otherwise by its Ethernet address (source, destination). IP
// first because a router between two groups forwards with its own MAC as the
// source (and the next hop's as the destination), while the IP addresses
// still name the hosts at the two ends.
//
// Cost: with no partition, one branch. Otherwise two lookups of the MACs in
// an open-addressing table (mac_table.hpp) and, when the partitions name IP
// addresses, a parse of the headers and two hash lookups of the addresses.
//
// PartitionFilter: drops what the table cuts.
//
//   input --> +-----------------+--> output   frames no partition cuts
//             | PartitionFilter |--x          dropped_partition (Drop::partition)
//             +-----------------+
// Spec: a PartitionSpec (empty: forwards everything). Reconfigurable in place.
// Counters: forwarded, dropped_partition, dropped_no_output (output not linked).
// Conservation: in = forwarded + dropped_partition + dropped_no_output
// (forwarded includes what a full output link then dropped, its txdrop).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/app.hpp"
#include "engine/apps/switch/mac_address.hpp"
#include "engine/apps/switch/mac_table.hpp"

namespace synnet {

struct PartitionGroup {  // the interfaces of some hosts
  std::vector<MacAddress> macs;
  std::vector<std::string> addresses;  // bare IPv4/IPv6 addresses, "198.18.0.1", "2001:2::1"
  bool operator==(const PartitionGroup&) const = default;
};

struct Partition {  // groups that cannot reach each other, both ways
  std::vector<PartitionGroup> groups;
  bool operator==(const Partition&) const = default;
};

struct PartitionSpec {  // every partition in force (empty: none)
  std::vector<Partition> partitions;
  bool operator==(const PartitionSpec&) const = default;
  // std::invalid_argument naming the field: a bad address, an address or MAC
  // in two groups of one partition.
  void validate() const;
};

class PartitionTable {
 public:
  // A frame's ends, looked up once: rows of the table (-1: not named anywhere).
  struct Ends {
    std::int32_t src_ip = -1, dst_ip = -1, src_mac = -1, dst_mac = -1;
  };

  PartitionTable() = default;
  explicit PartitionTable(const PartitionSpec& spec);  // validates it

  bool empty() const noexcept { return partitions_ == 0; }
  std::size_t partitions() const noexcept { return partitions_; }

  bool cuts(const std::uint8_t* frame, std::size_t len) const noexcept {
    return partitions_ != 0 && cuts(ends(frame, len));
  }
  bool cuts(const Ends& e) const noexcept;
  Ends ends(const std::uint8_t* frame, std::size_t len) const noexcept;
  // The group (index in Partition::groups) of the frame's source or
  // destination in partition i; -1 when that partition names neither its
  // address nor its MAC.
  int source_group(const Ends& e, std::size_t i) const noexcept { return group(e.src_ip, e.src_mac, i); }
  int destination_group(const Ends& e, std::size_t i) const noexcept { return group(e.dst_ip, e.dst_mac, i); }
  int group_of_mac(std::size_t i, const MacAddress& mac) const noexcept;

 private:
  struct IpKey {
    std::array<std::uint8_t, 16> addr{};
    std::uint8_t family = 0;
    bool operator==(const IpKey&) const = default;
  };
  struct IpKeyHash {
    std::size_t operator()(const IpKey& k) const noexcept;
  };

  int at(std::int32_t row, std::size_t i) const noexcept {
    return row < 0 ? -1 : groups_[static_cast<std::size_t>(row) * partitions_ + i];
  }
  int group(std::int32_t ip_row, std::int32_t mac_row, std::size_t i) const noexcept {
    const int g = at(ip_row, i);
    return g >= 0 ? g : at(mac_row, i);
  }
  std::int32_t row(std::uint64_t mac) const noexcept;
  std::int32_t row(const IpKey& ip) const noexcept;

  std::size_t partitions_ = 0;
  MacTable mac_rows_;  // mac_key -> row (in Entry::port)
  std::unordered_map<IpKey, std::int32_t, IpKeyHash> ip_rows_;
  std::vector<std::int32_t> groups_;  // [row * partitions_ + partition] -> group, -1 none
};

class PartitionFilter final : public App {
 public:
  using Spec = PartitionSpec;

  PartitionFilter(AppContext& ctx, const Spec& spec) : App(ctx), table_(spec) {}
  void push() override;
  void reconfigure(const Spec& spec) { table_ = PartitionTable(spec); }
  void counters(const CounterVisitor& emit) const override;

 private:
  PartitionTable table_;
  std::uint64_t forwarded_ = 0;
  std::uint64_t dropped_partition_ = 0;
  std::uint64_t dropped_no_output_ = 0;
};

}  // namespace synnet
