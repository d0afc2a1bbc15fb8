// address.hpp — Address: an IPv4 or IPv6 address on an interface, removed
// when the object goes (IPv6 addresses skip duplicate address detection).
//
//   Address addr = Address::add(client, "snk3f9a-c", "198.18.0.1/24");
//   addr.remove();   // idempotent; fine when the interface or namespace is gone
//
// The Netns must outlive the Address.
#pragma once

#include <string>

#include "netns/netns.hpp"

namespace synnet {

class Address {
 public:
  static Address add(Netns& ns, std::string ifname, std::string prefix);
  Address(Address&& other) noexcept;
  Address& operator=(Address&&) = delete;
  ~Address();

  const std::string& ifname() const noexcept { return ifname_; }
  const std::string& prefix() const noexcept { return prefix_; }
  void remove();

 private:
  Address(Netns& ns, std::string ifname, std::string prefix)
      : ns_(&ns), ifname_(std::move(ifname)), prefix_(std::move(prefix)) {}
  Netns* ns_;
  std::string ifname_, prefix_;
};

}  // namespace synnet
