// veth.hpp — Veth: a veth pair whose ends are created directly in their
// namespaces; removing it (or its first end's namespace) removes both ends.
//
//   Veth v = Veth::create(client, "snk3f9a-c", wire, "snk3f9a-cw");
//   v.a(), v.b()                 // names of the ends
//   v.remove();                  // idempotent; the destructor calls it
//
// The Netns objects must outlive the Veth (declare them first: C++ destroys
// in reverse order, which is the right teardown order).
#pragma once

#include <string>

#include "netns/netns.hpp"

namespace synnet {

class Veth {
 public:
  static Veth create(Netns& a_ns, std::string a, Netns& b_ns, std::string b);
  Veth(Veth&& other) noexcept;
  Veth& operator=(Veth&&) = delete;
  ~Veth();

  const std::string& a() const noexcept { return a_; }
  const std::string& b() const noexcept { return b_; }
  void remove();

 private:
  Veth(Netns& a_ns, std::string a, std::string b) : a_ns_(&a_ns), a_(std::move(a)), b_(std::move(b)) {}
  Netns* a_ns_;
  std::string a_, b_;
};

}  // namespace synnet
