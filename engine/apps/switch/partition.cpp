#include "engine/apps/switch/partition.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>

#include "engine/apps/flow/flow_key.hpp"
#include "engine/ethernet.hpp"
#include "engine/sys/text.hpp"

namespace synnet {

namespace {

// A bare IPv4 or IPv6 address as (family, 16 bytes); nullopt when it is not one.
std::optional<std::pair<std::uint8_t, std::array<std::uint8_t, 16>>> parse_address(const std::string& text) {
  std::pair<std::uint8_t, std::array<std::uint8_t, 16>> a{0, {}};
  a.first = text.find(':') != std::string::npos ? 6 : 4;
  if (text.find('\0') != std::string::npos ||
      ::inet_pton(a.first == 4 ? AF_INET : AF_INET6, text.c_str(), a.second.data()) != 1) {
    return std::nullopt;
  }
  return a;
}

std::string group_name(std::size_t p, std::size_t g) {
  return "partitions[" + std::to_string(p) + "].groups[" + std::to_string(g) + "]";
}

}  // namespace

void PartitionSpec::validate() const {
  for (std::size_t p = 0; p < partitions.size(); ++p) {
    std::map<std::uint64_t, std::size_t> mac_group;
    std::map<std::pair<std::uint8_t, std::array<std::uint8_t, 16>>, std::size_t> address_group;
    const std::vector<PartitionGroup>& groups = partitions[p].groups;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (const MacAddress& mac : groups[g].macs) {
        const auto [it, fresh] = mac_group.emplace(mac_key(mac), g);
        if (!fresh && it->second != g) {
          throw std::invalid_argument(group_name(p, g) + ".macs: " + format_mac(mac) + " is also in " +
                                      group_name(p, it->second) + ": a host is in one group of a partition");
        }
      }
      for (std::size_t a = 0; a < groups[g].addresses.size(); ++a) {
        const std::string& text = groups[g].addresses[a];
        const auto address = parse_address(text);
        if (!address) {
          throw std::invalid_argument(group_name(p, g) + ".addresses[" + std::to_string(a) + "]: " + in_quotes(text) +
                                      " is not an IPv4 or IPv6 address (no prefix length)");
        }
        const auto [it, fresh] = address_group.emplace(*address, g);
        if (!fresh && it->second != g) {
          throw std::invalid_argument(group_name(p, g) + ".addresses[" + std::to_string(a) + "]: " + text +
                                      " is also in " + group_name(p, it->second) +
                                      ": a host is in one group of a partition");
        }
      }
    }
  }
}

std::size_t PartitionTable::IpKeyHash::operator()(const IpKey& k) const noexcept {
  std::uint64_t lo, hi;
  std::memcpy(&lo, k.addr.data(), 8);
  std::memcpy(&hi, k.addr.data() + 8, 8);
  return static_cast<std::size_t>((lo * 0x9e3779b97f4a7c15ULL) ^ (hi + k.family) * 0xc2b2ae3d27d4eb4fULL);
}

PartitionTable::PartitionTable(const PartitionSpec& spec) : partitions_(spec.partitions.size()) {
  spec.validate();
  const auto new_row = [&] {
    groups_.resize(groups_.size() + partitions_, -1);
    return static_cast<std::int32_t>(groups_.size() / partitions_ - 1);
  };
  std::size_t macs = 0;
  for (const Partition& p : spec.partitions) {
    for (const PartitionGroup& g : p.groups) macs += g.macs.size();
  }
  mac_rows_ = MacTable(macs);
  for (std::size_t p = 0; p < partitions_; ++p) {
    const std::vector<PartitionGroup>& groups = spec.partitions[p].groups;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (const MacAddress& mac : groups[g].macs) {
        const std::uint64_t key = mac_key(mac);
        const MacTable::Entry* e = mac_rows_.find(key);
        if (e == nullptr) e = mac_rows_.insert(key, static_cast<std::uint32_t>(new_row()), false);  // sized for all
        groups_[static_cast<std::size_t>(e->port) * partitions_ + p] = static_cast<std::int32_t>(g);
      }
      for (const std::string& text : groups[g].addresses) {
        const auto address = parse_address(text);  // validated above
        auto [it, fresh] = ip_rows_.emplace(IpKey{address->second, address->first}, 0);
        if (fresh) it->second = new_row();
        groups_[static_cast<std::size_t>(it->second) * partitions_ + p] = static_cast<std::int32_t>(g);
      }
    }
  }
}

std::int32_t PartitionTable::row(std::uint64_t mac) const noexcept {
  const MacTable::Entry* e = mac_rows_.find(mac);
  return e == nullptr ? -1 : static_cast<std::int32_t>(e->port);
}

std::int32_t PartitionTable::row(const IpKey& ip) const noexcept {
  const auto it = ip_rows_.find(ip);
  return it == ip_rows_.end() ? -1 : it->second;
}

PartitionTable::Ends PartitionTable::ends(const std::uint8_t* frame, std::size_t len) const noexcept {
  Ends e;
  if (partitions_ == 0 || len < kEthernetHeaderBytes) return e;
  if (mac_rows_.size() != 0) {
    e.dst_mac = row(mac_key(frame));
    e.src_mac = row(mac_key(frame + 6));
  }
  if (!ip_rows_.empty()) {
    const FlowKey key = parse_flow_key(frame, len);
    if (key.family != 0) {
      e.src_ip = row(IpKey{key.src, key.family});
      e.dst_ip = row(IpKey{key.dst, key.family});
    }
  }
  return e;
}

bool PartitionTable::cuts(const Ends& e) const noexcept {
  for (std::size_t i = 0; i < partitions_; ++i) {
    const int src = source_group(e, i);
    if (src < 0) continue;
    const int dst = destination_group(e, i);
    if (dst >= 0 && dst != src) return true;
  }
  return false;
}

int PartitionTable::group_of_mac(std::size_t i, const MacAddress& mac) const noexcept {
  return i < partitions_ ? at(row(mac_key(mac)), i) : -1;
}

void PartitionFilter::push() {
  Link* in = input();
  Link* out = output();
  while (!in->empty()) {
    Packet* p = in->receive();
    if (table_.cuts(p->data, p->length)) {
      trace_drop(*p, TraceFate::partition);
      pool().free(p);
      ++dropped_partition_;
    } else if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
    } else {
      out->transmit(p);
      ++forwarded_;
    }
  }
}

void PartitionFilter::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.drop("dropped_partition", Drop::partition, dropped_partition_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
}

}  // namespace synnet
