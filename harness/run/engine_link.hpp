// engine_link.hpp — the apps that carry one scenario link through the
// engine, split over a run's two engines: one per direction.
//
//   EngineConfigs c;
//   add_engine_link(c, "ab", LinkIo::kPacket, {"snx-l0a", wire}, {"snx-l0b", wire}, {a_to_b, b_to_a});
//   EngineGroup engines(EngineConfigs::kEngines, seed);
//   engines.configure(c.parts());          // c.a_to_b on engine 0, c.b_to_a on engine 1
//
// Why two engines: without offloads, the kernel runs the receiving host's
// TCP (and the sender's ACK processing and next transmissions) inside the
// engine's send() into its veth. One engine thread then does both hosts'
// kernel work on one core; an engine per direction splits it over two
// (ci/bench veth-tcp measures it; tests/bench/RESULTS.md has the figures).
//
// For io "packet", link <name>'s apps are:
//   c.a_to_b: "<name>_a" RawSocket receiving on a's end (no TX ring: it never
//             sends), the chain "<name>_a_to_b", "<name>_b" a send-only
//             RawSocket (receive = false) on b's end;
//   c.b_to_a: the mirror image: "<name>_b" receiving, "<name>_b_to_a",
//             "<name>_a" send-only.
// An interface thus has a socket in each engine under the same app name, and
// EngineGroup::counters() sums them: "<name>_a.rx_packets" counts what a's
// end received, "<name>_a.tx_packets" what it sent, as one engine would.
// For io "xdp" the whole link ("<name>_a", "<name>_b" XdpSockets, both
// chains) goes into c.a_to_b: an AF_XDP socket cannot be send-only, and a
// queue takes only one.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "engine/apps/capture/verdict_capture.hpp"
#include "engine/apps/impair/chain.hpp"
#include "engine/apps/switch/partition.hpp"
#include "engine/config.hpp"
#include "harness/report/series.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

struct LinkDirections {
  DirectionSpec a_to_b{}, b_to_a{};
};

// A scenario link's verdict captures (--capture; engine/apps/capture/): one
// per direction, or none.
struct LinkCaptures {
  std::shared_ptr<VerdictCapture> a_to_b{}, b_to_a{};
};

// One end of a link as the engine sees it: an interface and the namespace that holds it.
struct LinkEnd {
  std::string ifname;
  std::string netns_path;
  bool segment = false;  // RawSocketSpec::Offloads::segment: its offloads are not ours; cut super-frames on arrival
};

// The configurations of a run's two engines.
struct EngineConfigs {
  static constexpr std::size_t kEngines = 2;  // an EngineGroup for parts() has this many
  Config a_to_b, b_to_a;
  std::vector<DirectionTap> taps{};  // every scenario link direction (not switch paths), in link order
  std::vector<Config> parts() const { return {a_to_b, b_to_a}; }  // for EngineGroup, in that order
};

// Adds link `name`'s apps to c as described above, and its two directions'
// taps: chains "<name>_a_to_b" from "<name>_a.output" to "<name>_b.input" and
// "<name>_b_to_a" from "<name>_b.output" to "<name>_a.input". With partitions
// in force, each direction's chain is headed by a PartitionFilter
// "<chain>_partition" (inside the chain: its drops are the chain's). With
// captures, as add_link_direction says.
void add_engine_link(EngineConfigs& c, const std::string& name, LinkIo io, const LinkEnd& a, const LinkEnd& b,
                     const LinkDirections& directions, const PartitionSpec& partition = {},
                     const LinkCaptures& captures = {});

// One direction's chain "<prefix>" between `from` and `to` ("app.port"):
// add_direction's apps, headed by a PartitionFilter "<prefix>_partition" when
// `partition` has any, and with a capture, all of that between its taps
// "<prefix>_capture_in" (first: it sees frames as they enter) and
// "<prefix>_capture_out" (last). All the apps start with "<prefix>_", so a
// DirectionTap's counts (series.hpp) hold them.
void add_link_direction(Config& c, const std::string& prefix, const DirectionSpec& spec, const std::string& from,
                        const std::string& to, const PartitionSpec& partition,
                        const std::shared_ptr<VerdictCapture>& capture);

}  // namespace synnet
