// engine_link.cpp — one scenario link's apps, an engine per direction. See engine_link.hpp.
#include "harness/run/engine_link.hpp"

#include "engine/apps/capture/capture_tap.hpp"
#include "engine/apps/io/raw_socket.hpp"
#include "engine/apps/io/xdp_socket.hpp"
#include "engine/apps/switch/partition.hpp"

namespace synnet {

void add_link_direction(Config& c, const std::string& prefix, const DirectionSpec& spec, const std::string& from,
                        const std::string& to, const PartitionSpec& partition,
                        const std::shared_ptr<VerdictCapture>& capture) {
  std::string head = from, tail = to;
  if (capture) {
    using Role = CaptureTapSpec::Role;
    const std::string in = prefix + "_capture_in", out = prefix + "_capture_out";
    c.app<CaptureTap>(in, {.capture = capture, .role = Role::entry});
    c.app<CaptureTap>(out, {.capture = capture, .role = Role::exit});
    c.link(from + " -> " + in + ".input");
    c.link(out + ".output -> " + to);
    head = in + ".output";
    tail = out + ".input";
  }
  if (!partition.partitions.empty()) {
    const std::string filter = prefix + "_partition";
    c.app<PartitionFilter>(filter, partition);
    c.link(head + " -> " + filter + ".input");
    head = filter + ".output";
  }
  add_direction(c, prefix, spec, head, tail);
}

void add_engine_link(EngineConfigs& c, const std::string& name, LinkIo io, const LinkEnd& a, const LinkEnd& b,
                     const LinkDirections& directions, const PartitionSpec& partition, const LinkCaptures& captures) {
  const std::string app_a = name + "_a", app_b = name + "_b";
  c.taps.push_back({name, "a_to_b", name + "_a_to_b", app_a + ".output", app_b + ".input"});
  c.taps.push_back({name, "b_to_a", name + "_b_to_a", app_b + ".output", app_a + ".input"});
  if (io == LinkIo::kXdp) {
    for (const auto& [app, end] : {std::pair{app_a, &a}, std::pair{app_b, &b}}) {
      c.a_to_b.app<XdpSocket>(app, {.ifname = end->ifname, .netns = end->netns_path});
    }
    add_link_direction(c.a_to_b, name + "_a_to_b", directions.a_to_b, app_a + ".output", app_b + ".input", partition,
                       captures.a_to_b);
    add_link_direction(c.a_to_b, name + "_b_to_a", directions.b_to_a, app_b + ".output", app_a + ".input", partition,
                       captures.b_to_a);
    return;
  }
  // One direction: frames `from` receives cross `chain` and leave through `to`, which only sends.
  const auto direction = [&](Config& engine, const std::string& from_app, const LinkEnd& from,
                             const std::string& to_app, const LinkEnd& to, const std::string& chain_name,
                             const DirectionSpec& spec, const std::shared_ptr<VerdictCapture>& capture) {
    using Raw = RawSocketSpec;
    engine.app<RawSocket>(from_app, {.ifname = from.ifname,
                                     .netns = from.netns_path,
                                     .tx = Raw::Tx::sendmmsg,
                                     .offloads = from.segment ? Raw::Offloads::segment : Raw::Offloads::wire});
    engine.app<RawSocket>(to_app, {.ifname = to.ifname, .netns = to.netns_path, .rx = Raw::Rx::none});
    add_link_direction(engine, chain_name, spec, from_app + ".output", to_app + ".input", partition, capture);
  };
  direction(c.a_to_b, app_a, a, app_b, b, name + "_a_to_b", directions.a_to_b, captures.a_to_b);
  direction(c.b_to_a, app_b, b, app_a, a, name + "_b_to_a", directions.b_to_a, captures.b_to_a);
}

}  // namespace synnet
