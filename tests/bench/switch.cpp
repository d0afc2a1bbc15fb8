// switch — the Switch app's cost against a plain link. A 4-port Switch with
// one static station per port; every port receives 60-byte frames from a
// source, addressed to the next port's station, and sends what leaves it to a
// Sink. The baseline, in the same run, is the same network with a Tee (one
// output) in place of the switch on each port: source i -> tee i -> sink.
// A third figure is the switch with a partition in force between two other
// hosts (nothing is cut, but every frame is looked up in the partition
// table). The three are measured in turn, rounds times; the figures are the
// medians.
//
//   bench_switch [--packets N] [--rounds R]
//     --packets N  packets through each network per round (default 20e6)
//     --rounds R   measurements of each network (default 5)
// Last line: "switch: <Mpps> Mpps (tee baseline <Mpps> Mpps, ratio <r>; with a
// partition in force <Mpps> Mpps; ...)".
#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/tee.hpp"
#include "engine/apps/switch/switch.hpp"
#include "engine/engine.hpp"
#include "tests/bench/bench_util.hpp"

using namespace synnet;

namespace {

constexpr int kPorts = 4;
constexpr std::uint32_t kFrameBytes = 60;

MacAddress station(int port) { return MacAddress{0x02, 0, 0, 0, 0, static_cast<std::uint8_t>(0x10 + port)}; }

// Source's loop with one addressed frame: as fast as its output takes them.
struct FramerSpec {
  int port = 0;  // sends from station(port) to station(port + 1)
  bool operator==(const FramerSpec&) const = default;
};

class Framer final : public App {
 public:
  using Spec = FramerSpec;
  static Ports ports(const Spec&) { return Ports::fixed({}, {"output"}); }
  Framer(AppContext& ctx, const Spec& spec) : App(ctx), frame_(std::make_unique<Packet>()) {
    std::memset(frame_->data, 0, kFrameBytes);
    const MacAddress dst = station((spec.port + 1) % kPorts), src = station(spec.port);
    std::memcpy(frame_->data, dst.data(), 6);
    std::memcpy(frame_->data + 6, src.data(), 6);
    frame_->data[12] = 0x88;  // a local experimental EtherType: not IP
    frame_->data[13] = 0xb5;
    frame_->length = kFrameBytes;
  }
  void pull() override {
    Link* out = output();
    const std::uint32_t n = std::min(Link::kCapacity / 10, out->room());
    for (std::uint32_t i = 0; i < n; ++i) {
      Packet* p = pool().try_clone(*frame_);
      if (p == nullptr) return;
      out->transmit(p);
    }
  }

 private:
  std::unique_ptr<Packet> frame_;
};

enum class Network { tee, switch_plain, switch_partitioned };

// Mpps through one of the networks: npackets leave it (summed over the ports).
double mpps(Network network, std::uint64_t npackets) {
  const bool with_switch = network != Network::tee;
  Engine engine;
  Config c;
  c.app<Sink>("sink");
  SwitchSpec spec;
  for (int i = 0; i < kPorts; ++i) spec.ports.push_back({"p" + std::to_string(i), {station(i)}});
  if (network == Network::switch_partitioned) {
    const MacAddress x{0x02, 0, 0, 0, 1, 1}, y{0x02, 0, 0, 0, 1, 2};
    spec.partition = {{Partition{{PartitionGroup{{x}, {"198.18.1.1"}}, PartitionGroup{{y}, {"198.18.1.2"}}}}}};
  }
  if (with_switch) c.app<Switch>("switch", spec);
  std::vector<std::string> counted;
  for (int i = 0; i < kPorts; ++i) {
    const std::string port = "p" + std::to_string(i), framer = "framer" + std::to_string(i);
    c.app<Framer>(framer, {.port = i});
    if (with_switch) {
      c.link(framer + ".output -> switch." + port);
      counted.push_back("switch." + port + " -> sink." + port);
    } else {
      const std::string tee = "tee" + std::to_string(i);
      c.app<Tee>(tee);
      c.link(framer + ".output -> " + tee + ".input");
      counted.push_back(tee + ".output -> sink." + port);
    }
    c.link(counted.back());
  }
  engine.configure(c);
  std::vector<const Link*> links;
  for (const std::string& l : counted) links.push_back(engine.link(l));
  const auto total = [&] {
    std::uint64_t n = 0;
    for (const Link* l : links) n += l->counters().rxpackets;
    return n;
  };
  const auto t0 = std::chrono::steady_clock::now();
  engine.run({.until = [&] { return total() >= npackets; }, .busy_poll = true});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (with_switch && engine.counters().at("switch", "forwarded") != total()) {
    std::cerr << "bench_switch: the switch did not forward every frame as unicast\n";
    std::exit(1);
  }
  return static_cast<double>(total()) / seconds / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t npackets = 20'000'000;
  std::uint64_t rounds = 5;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--packets") == 0 && i + 1 < argc) {
      npackets = bench::parse_count(argv[++i]);
    } else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = bench::parse_count(argv[++i]);
    } else {
      std::cerr << "usage: " << argv[0] << " [--packets N] [--rounds R]\n";
      return 2;
    }
  }
  std::vector<double> tee, sw, parted, ratio;
  for (std::uint64_t r = 0; r < rounds; ++r) {
    tee.push_back(mpps(Network::tee, npackets));
    sw.push_back(mpps(Network::switch_plain, npackets));
    parted.push_back(mpps(Network::switch_partitioned, npackets));
    ratio.push_back(sw.back() / tee.back());
    std::cout << "round " << r + 1 << ": tee " << bench::fmt_fixed(tee.back(), 1) << " Mpps, switch "
              << bench::fmt_fixed(sw.back(), 1) << " Mpps (" << bench::fmt_fixed(ratio.back(), 2)
              << "x), switch with a partition " << bench::fmt_fixed(parted.back(), 1) << " Mpps\n";
  }
  std::cout << "switch: " << bench::fmt_fixed(median(sw), 1) << " Mpps (tee baseline "
            << bench::fmt_fixed(median(tee), 1) << " Mpps, ratio " << bench::fmt_fixed(median(ratio), 2)
            << "; with a partition in force " << bench::fmt_fixed(median(parted), 1) << " Mpps; " << kPorts
            << " ports, " << kFrameBytes << " B, " << npackets << " packets per network per round, median of " << rounds
            << " rounds)" << std::endl;
  return 0;
}
