#include "netns/veth.hpp"

#include <cstdio>

namespace synnet {

Veth Veth::create(Netns& a_ns, std::string a, Netns& b_ns, std::string b) {
  a_ns.netlink().add_veth(a, a_ns.fd(), b, b_ns.fd());
  return Veth(a_ns, std::move(a), std::move(b));
}

Veth::Veth(Veth&& other) noexcept
    : a_ns_(std::exchange(other.a_ns_, nullptr)), a_(std::move(other.a_)), b_(std::move(other.b_)) {}

Veth::~Veth() {
  try {
    remove();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "synnet: veth %s: %s\n", a_.c_str(), e.what());
  }
}

void Veth::remove() {
  if (a_ns_ == nullptr) return;
  Netns* ns = std::exchange(a_ns_, nullptr);
  if (ns->fd() < 0) return;  // its namespace is gone, and the veth with it
  ns->netlink().delete_link(a_);
}

}  // namespace synnet
