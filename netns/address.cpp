#include "netns/address.hpp"

#include <cstdio>

namespace synnet {

Address Address::add(Netns& ns, std::string ifname, std::string prefix) {
  ns.netlink().add_address(ifname, prefix);
  return Address(ns, std::move(ifname), std::move(prefix));
}

Address::Address(Address&& other) noexcept
    : ns_(std::exchange(other.ns_, nullptr)), ifname_(std::move(other.ifname_)), prefix_(std::move(other.prefix_)) {}

Address::~Address() {
  try {
    remove();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "synnet: address %s on %s: %s\n", prefix_.c_str(), ifname_.c_str(), e.what());
  }
}

void Address::remove() {
  Netns* ns = std::exchange(ns_, nullptr);
  if (ns == nullptr || ns->fd() < 0) return;
  ns->netlink().delete_address(ifname_, prefix_);
}

}  // namespace synnet
