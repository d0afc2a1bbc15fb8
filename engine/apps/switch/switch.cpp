#include "engine/apps/switch/switch.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "engine/config.hpp"
#include "engine/ethernet.hpp"
#include "engine/sys/text.hpp"

namespace synnet {

namespace {

constexpr unsigned kMaskGroups = 64;  // groups a flood can tell apart per port; beyond, the port is open

bool multicast_key(std::uint64_t key) noexcept { return ((key >> 40) & 1) != 0; }

}  // namespace

void SwitchSpec::validate() const {
  std::map<std::string, std::size_t> names;
  std::map<std::uint64_t, std::size_t> mac_port;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    const SwitchPortSpec& p = ports[i];
    const std::string where = "ports[" + std::to_string(i) + "]";
    if (!valid_name(p.name)) {
      throw std::invalid_argument(where + ".name " + in_quotes(p.name) + ": use letters, digits, '_' and '-'");
    }
    if (!names.emplace(p.name, i).second) {
      throw std::invalid_argument(where + ".name " + in_quotes(p.name) + ": already the name of ports[" +
                                  std::to_string(names[p.name]) + "]");
    }
    for (const MacAddress& mac : p.macs) {
      if (is_multicast(mac)) {
        throw std::invalid_argument(where + ".macs: " + format_mac(mac) + " is multicast: a station's MAC is unicast");
      }
      const auto [it, fresh] = mac_port.emplace(mac_key(mac), i);
      if (!fresh && it->second != i) {
        throw std::invalid_argument(where + ".macs: " + format_mac(mac) + " is also on ports[" +
                                    std::to_string(it->second) + "] (" + in_quotes(ports[it->second].name) + ")");
      }
    }
  }
  std::set<std::string> path_ports;
  std::set<std::pair<std::string, std::string>> pairs;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const SwitchPathSpec& p = paths[i];
    const std::string where = "paths[" + std::to_string(i) + "]";
    for (const auto& [field, name] : {std::pair{".from", &p.from}, std::pair{".to", &p.to}}) {
      if (names.count(*name) == 0) throw std::invalid_argument(where + field + ": no port named " + in_quotes(*name));
    }
    if (p.from == p.to) throw std::invalid_argument(where + ": from and to are both " + in_quotes(p.from));
    if (!valid_name(p.port)) {
      throw std::invalid_argument(where + ".port " + in_quotes(p.port) + ": use letters, digits, '_' and '-'");
    }
    if (names.count(p.port) != 0) {
      throw std::invalid_argument(where + ".port " + in_quotes(p.port) + ": already the name of a switch port");
    }
    if (!path_ports.insert(p.port).second) {
      throw std::invalid_argument(where + ".port " + in_quotes(p.port) + ": already another path's port");
    }
    if (!pairs.emplace(p.from, p.to).second) {
      throw std::invalid_argument(where + ": a path from " + in_quotes(p.from) + " to " + in_quotes(p.to) +
                                  " is already there");
    }
  }
  if (max_learned > Switch::kMaxLearned) {
    throw std::invalid_argument("max_learned: " + std::to_string(max_learned) + " is more than " +
                                std::to_string(Switch::kMaxLearned));
  }
  try {
    partition.validate();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("partition.") + e.what());
  }
}

Switch::Switch(AppContext& ctx, const Spec& spec) : App(ctx), spec_(spec) { build(); }

void Switch::build() {
  nports_ = spec_.ports.size();
  partition_ = PartitionTable(spec_.partition);
  std::size_t statics = 0;
  for (const SwitchPortSpec& p : spec_.ports) statics += p.macs.size();
  table_ = MacTable(statics + spec_.max_learned);
  learned_ = 0;
  for (std::uint32_t i = 0; i < nports_; ++i) {
    for (const MacAddress& mac : spec_.ports[i].macs) table_.insert(mac_key(mac), i, true);
  }
  path_of_.assign(nports_ * nports_, -1);
  path_to_.clear();
  const auto port_index = [&](const std::string& name) {
    std::size_t i = 0;
    while (spec_.ports[i].name != name) ++i;  // validated: it is there
    return i;
  };
  for (std::size_t k = 0; k < spec_.paths.size(); ++k) {
    const std::size_t from = port_index(spec_.paths[k].from), to = port_index(spec_.paths[k].to);
    path_of_[from * nports_ + to] = static_cast<std::int32_t>(k);
    path_to_.push_back(static_cast<std::uint32_t>(to));
  }
  const std::size_t np = partition_.partitions();
  flood_groups_.assign(nports_ * np, 0);
  flood_open_.assign(nports_ * np, 0);
  for (std::size_t j = 0; j < nports_; ++j) {
    for (std::size_t i = 0; i < np; ++i) {
      const std::size_t at = j * np + i;
      flood_open_[at] = spec_.ports[j].macs.empty();
      for (const MacAddress& mac : spec_.ports[j].macs) {
        const int g = partition_.group_of_mac(i, mac);
        if (g < 0 || static_cast<unsigned>(g) >= kMaskGroups) {
          flood_open_[at] = 1;
        } else {
          flood_groups_[at] |= std::uint64_t{1} << g;
        }
      }
    }
  }
}

void Switch::reconfigure(const Spec& spec) {
  std::vector<std::pair<std::uint64_t, std::string>> learned;
  table_.for_each([&](const MacTable::Entry& e) {
    if (!e.fixed) learned.emplace_back(e.key, spec_.ports[e.port].name);
  });
  spec_ = spec;
  build();
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < nports_; ++i) index.emplace(spec_.ports[i].name, i);
  for (const auto& [key, name] : learned) {
    const auto it = index.find(name);
    if (!spec_.learning || it == index.end() || learned_ == spec_.max_learned || table_.find(key) != nullptr) continue;
    table_.insert(key, it->second, false);
    ++learned_;
  }
  relinked();
}

void Switch::relinked() {
  std::map<std::string, std::pair<InKind, std::uint32_t>> by_name;
  for (std::uint32_t i = 0; i < nports_; ++i) by_name.emplace(spec_.ports[i].name, std::pair{InKind::port, i});
  for (std::uint32_t k = 0; k < spec_.paths.size(); ++k) {
    by_name.emplace(spec_.paths[k].port, std::pair{InKind::path, k});
  }
  port_out_.assign(nports_, nullptr);
  path_out_.assign(spec_.paths.size(), nullptr);
  for (std::size_t k = 0; k < outputs().size(); ++k) {
    const auto it = by_name.find(output_names()[k]);
    if (it == by_name.end()) continue;
    (it->second.first == InKind::port ? port_out_ : path_out_)[it->second.second] = outputs()[k];
  }
  in_.assign(inputs().size(), In{});
  for (std::size_t k = 0; k < inputs().size(); ++k) {
    const auto it = by_name.find(input_names()[k]);
    if (it != by_name.end()) in_[k] = In{it->second.first, it->second.second, MacTable::kEmpty};
  }
  targets_.clear();
  targets_.reserve(nports_);
}

void Switch::push() {
  const std::vector<Link*>& ins = inputs();
  for (std::size_t k = 0; k < ins.size(); ++k) {
    Link* in = ins[k];
    if (in == nullptr || in->empty()) continue;
    In& at = in_[k];
    switch (at.kind) {
      case InKind::port: from_port(in, at); break;
      case InKind::path: from_path(in, at.index); break;
      case InKind::unknown:
        while (!in->empty()) {
          pool().free(in->receive());
          ++dropped_unknown_port_;
        }
        break;
    }
  }
}

void Switch::from_port(Link* in, In& at) {
  const std::uint32_t from = at.index;
  const bool learning = spec_.learning;
  const bool partitioned = !partition_.empty();
  PartitionTable::Ends ends;  // set per frame when partitioned; never read otherwise
  while (!in->empty()) {
    Packet* p = in->receive();
    if (p->length < kEthernetHeaderBytes) {
      pool().free(p);
      ++dropped_runt_;
      continue;
    }
    const std::uint8_t* d = p->data;
    if (learning) {
      const std::uint64_t src = mac_key(d + 6);
      if (src != at.last_src) learn(src, at);
    }
    if (partitioned) {
      ends = partition_.ends(d, p->length);
      if (partition_.cuts(ends)) {
        pool().free(p);
        ++dropped_partition_;
        continue;
      }
    }
    const MacTable::Entry* e = (d[0] & 1) != 0 ? nullptr : table_.find(mac_key(d));
    if (e == nullptr) {
      flood(p, from, ends);
      continue;
    }
    const std::uint32_t to = e->port;
    if (to == from) {
      pool().free(p);
      ++dropped_same_port_;
      continue;
    }
    const std::int32_t path = path_of_[from * nports_ + to];
    Link* out = path < 0 ? port_out_[to] : path_out_[static_cast<std::size_t>(path)];
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
      continue;
    }
    out->transmit(p);
    ++forwarded_;
  }
}

void Switch::from_path(Link* in, std::uint32_t path) {
  Link* out = port_out_[path_to_[path]];
  while (!in->empty()) {
    Packet* p = in->receive();
    if (out == nullptr) {
      pool().free(p);
      ++dropped_no_output_;
    } else {
      out->transmit(p);
      ++returned_;
    }
  }
}

void Switch::learn(std::uint64_t src, In& at) noexcept {
  if (multicast_key(src)) return;  // not a station's address: never learned
  MacTable::Entry* e = table_.find(src);
  if (e == nullptr) {
    if (learned_ == spec_.max_learned || (e = table_.insert(src, at.index, false)) == nullptr) {
      ++learn_table_full_;  // not remembered in last_src: every such frame counts
      return;
    }
    ++learned_;
  } else if (!e->fixed && e->port != at.index) {
    e->port = at.index;
    ++moved_;
    for (In& other : in_) other.last_src = MacTable::kEmpty;  // one of them may hold this MAC
  }
  at.last_src = src;
}

bool Switch::partition_skips(std::uint32_t port, const PartitionTable::Ends& ends) const noexcept {
  const std::size_t np = partition_.partitions();
  for (std::size_t i = 0; i < np; ++i) {
    const int g = partition_.source_group(ends, i);
    if (g < 0 || static_cast<unsigned>(g) >= kMaskGroups) continue;
    const std::size_t at = port * np + i;
    if (flood_open_[at] == 0 && ((flood_groups_[at] >> g) & 1) == 0) return true;
  }
  return false;
}

void Switch::flood(Packet* p, std::uint32_t from, const PartitionTable::Ends& ends) noexcept {
  ++flooded_;
  const bool partitioned = !partition_.empty();
  targets_.clear();  // reserved for every port in relinked(): no allocation
  for (std::uint32_t j = 0; j < nports_; ++j) {
    if (j == from || port_out_[j] == nullptr) continue;
    if (partitioned && partition_skips(j, ends)) {
      ++dropped_partition_flood_;
      continue;
    }
    targets_.push_back(port_out_[j]);
  }
  if (targets_.empty()) {
    pool().free(p);
    return;
  }
  const std::size_t last = targets_.size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    Packet* copy = pool().try_clone(*p);
    if (copy == nullptr) {
      ++alloc_failed_;
      continue;
    }
    targets_[i]->transmit(copy);
  }
  targets_[last]->transmit(p);
}

void Switch::counters(const CounterVisitor& emit) const {
  emit.packets("forwarded", forwarded_);
  emit.packets("returned", returned_);
  emit.packets("flooded", flooded_);
  emit.gauge("learned", learned_);
  emit.events("moved", moved_);
  emit.events("learn_table_full", learn_table_full_);
  emit.drop("alloc_failed", Drop::no_buffer, alloc_failed_);
  emit.drop("dropped_runt", Drop::invalid, dropped_runt_);
  emit.drop("dropped_partition", Drop::partition, dropped_partition_);
  emit.drop("dropped_partition_flood", Drop::partition, dropped_partition_flood_);
  emit.drop("dropped_same_port", Drop::no_output, dropped_same_port_);
  emit.drop("dropped_no_output", Drop::no_output, dropped_no_output_);
  emit.drop("dropped_unknown_port", Drop::no_output, dropped_unknown_port_);
}

}  // namespace synnet
