// flow_fuzz.cpp — libFuzzer target for the flow classifier: parse_flow_key,
// IpPrefix::parse, and FlowSplit's rule matching (match_rule).
//
// Built and run by ci/fuzz (clang++ -fsanitize=fuzzer,address,undefined),
// from this file and engine/apps/flow/flow_key.cpp only: the matching is
// header-only, so no engine is linked in. Each input is
//   - a frame: copied into an exact-size heap buffer (AddressSanitizer
//     catches any read past it), parsed, and checked against the key's
//     invariants; then classified by a fixed rule set, and the result checked
//     against a hand-written oracle;
//   - when short, also the text of an IP prefix: parse() either throws
//     std::invalid_argument or returns a prefix that survives str()/parse().
// A broken invariant prints what broke and aborts: libFuzzer saves the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "engine/apps/flow/flow_key.hpp"
#include "engine/apps/flow/flow_split.hpp"

namespace {

using synnet::FlowKey;
using synnet::FlowRule;
using synnet::IpPrefix;
using synnet::PortRange;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "flow_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

FlowKey parse_copy(const std::uint8_t* data, std::size_t size, std::size_t extra) {
  auto buf = std::make_unique<std::uint8_t[]>(size + extra);  // exact size: ASan sees over-reads
  if (size != 0) std::memcpy(buf.get(), data, size);
  std::memset(buf.get() + size, 0xa5, extra);
  return synnet::parse_flow_key(buf.get(), size + extra);
}

// The rules FlowSplit would run, in order; oracle() says the same thing by hand.
const std::vector<FlowRule>& rules() {
  static const std::vector<FlowRule> r = [] {
    std::vector<FlowRule> v(6);
    v[0].output = "iperf";
    v[0].protocol = 6;
    v[0].dst_ports = PortRange{5201, 5201};
    v[1].output = "dns";
    v[1].dst_ports = PortRange{53, 53};
    v[2].output = "lan4";
    v[2].src = IpPrefix::parse("198.18.0.0/15");
    v[3].output = "lan6";
    v[3].dst = IpPrefix::parse("2001:2::/48");
    v[3].src_ports = PortRange{1024, 65535};
    v[4].output = "sctp";
    v[4].protocol = 132;
    v[5].output = "v6";
    v[5].dst = IpPrefix::parse("::/0");
    return v;
  }();
  return r;
}

int oracle(const FlowKey& k) {
  if (k.family == 0) return -1;
  if (k.protocol == 6 && k.has_ports && k.dst_port == 5201) return 0;
  if (k.has_ports && k.dst_port == 53) return 1;
  if (k.family == 4 && k.src[0] == 198 && (k.src[1] & 0xfe) == 18) return 2;
  static constexpr std::uint8_t k2001_2[6] = {0x20, 0x01, 0x00, 0x02, 0x00, 0x00};
  if (k.family == 6 && std::memcmp(k.dst.data(), k2001_2, 6) == 0 && k.has_ports && k.src_port >= 1024) return 3;
  if (k.protocol == 132) return 4;
  if (k.family == 6) return 5;
  return -1;
}

void check_key(const FlowKey& k) {
  check(k.family == 0 || k.family == 4 || k.family == 6, "family is 0, 4 or 6");
  check(!k.has_ports || k.family != 0, "has_ports implies an IP family");
  check(!k.has_ports || synnet::protocol_has_ports(k.protocol), "has_ports implies TCP, UDP, SCTP or UDP-Lite");
  check(k.has_ports || (k.src_port == 0 && k.dst_port == 0), "no ports: both ports are 0");
  check(k.family != 0 || k == FlowKey{}, "family 0: every field is zero");
  if (k.family == 4) {
    for (std::size_t i = 4; i < 16; ++i) check(k.src[i] == 0 && k.dst[i] == 0, "IPv4: address bytes 4..15 are 0");
  }
}

void fuzz_prefix_text(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  IpPrefix p;
  try {
    p = IpPrefix::parse(text);
  } catch (const std::invalid_argument&) {
    return;
  }
  check(p.family == 4 || p.family == 6, "a parsed prefix is IPv4 or IPv6");
  check(p.length <= (p.family == 4 ? 32 : 128), "a parsed prefix's length fits its family");
  const IpPrefix again = IpPrefix::parse(p.str());  // must not throw
  check(again == p, "parse(str()) gives the same prefix");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const FlowKey key = parse_copy(data, size, 0);
  check_key(key);
  check(parse_copy(data, size, 0) == key, "parsing is deterministic");
  if (key.family != 0) {
    // Bytes past the IP packet are Ethernet padding: they change nothing.
    check(parse_copy(data, size, 64) == key, "trailing padding does not change a valid key");
  }

  const int r = synnet::match_rule(rules(), key);
  check(r >= -1 && r < static_cast<int>(rules().size()), "match_rule returns -1 or a rule's index");
  check(r == oracle(key), "match_rule agrees with the oracle (first match wins)");

  if (size <= 64) fuzz_prefix_text(data, size);
  return 0;
}
