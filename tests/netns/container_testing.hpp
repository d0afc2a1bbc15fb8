// container_testing.hpp — a namespace that plays a container, for the attach
// tests: "ctr" has eth0 (198.18.7.2/24 and 2001:2:0:7::2/64, a default route
// and two more routes, one IPv6) on a Linux bridge in namespace "br", where a
// client namespace "cl" (198.18.7.1/24, also 198.18.7.3) is plugged in too —
// the shape of a Docker container on docker0.
//
//   ContainerNet net;
//   net.ip_state()                // `ip -j addr` + `ip -j route show table all` (v4, v6) of ctr
//   net.ctr.path()                // "/run/netns/snXXXXX-ctr", for --netns
//   run_process(net.cl.fd(), {.argv = {"ping", ...}})
#pragma once

#include <string>
#include <vector>

#include "netns/process.hpp"
#include "tests/netns/netns_testing.hpp"

namespace synnet::testing {

struct ContainerNet {
  RunId run = RunId::create();
  Netns ctr = Netns::create(run.name("ctr"));
  Netns br = Netns::create(run.name("br"));
  Netns cl = Netns::create(run.name("cl"));
  Veth ctr_link = Veth::create(ctr, "eth0", br, run.name("pc"));
  Veth cl_link = Veth::create(cl, "eth0", br, run.name("pl"));

  ContainerNet() {
    ip({"-n", br.name(), "link", "add", "br0", "type", "bridge"});
    for (const std::string& port : {ctr_link.b(), cl_link.b()})
      ip({"-n", br.name(), "link", "set", port, "master", "br0"});
    for (Netns* ns : {&ctr, &br, &cl}) ns->netlink().set_up("lo");
    for (const std::string& l : {std::string("br0"), ctr_link.b(), cl_link.b()}) br.netlink().set_up(l);
    ip({"-n", ctr.name(), "addr", "add", "198.18.7.2/24", "dev", "eth0"});
    ip({"-n", ctr.name(), "addr", "add", "2001:2:0:7::2/64", "dev", "eth0", "nodad"});
    ip({"-n", cl.name(), "addr", "add", "198.18.7.1/24", "dev", "eth0"});
    ip({"-n", cl.name(), "addr", "add", "198.18.7.3/24", "dev", "eth0"});
    ip({"-n", cl.name(), "addr", "add", "2001:2:0:7::1/64", "dev", "eth0", "nodad"});
    ctr.netlink().set_up("eth0");
    cl.netlink().set_up("eth0");
    ip({"-n", ctr.name(), "route", "add", "default", "via", "198.18.7.1"});
    ip({"-n", ctr.name(), "route", "add", "198.19.0.0/16", "via", "198.18.7.3", "metric", "50"});
    ip({"-n", ctr.name(), "-6", "route", "add", "2001:2:0:99::/64", "via", "2001:2:0:7::1"});
  }

  // What `attach` must leave exactly as it found it.
  std::string ip_state() const {
    return ip({"-n", ctr.name(), "-j", "addr"}) + "\n" + ip({"-n", ctr.name(), "-j", "route", "show", "table", "all"}) +
           "\n" + ip({"-n", ctr.name(), "-j", "-6", "route", "show", "table", "all"});
  }

  static std::string ip(std::vector<std::string> args) {
    args.insert(args.begin(), "ip");
    const ProcessResult r = run_process(-1, {.argv = args, .deadline = std::chrono::seconds(10)});
    if (!r.ok()) throw std::runtime_error("ip failed: " + r.err);
    return r.out;
  }
};

}  // namespace synnet::testing
