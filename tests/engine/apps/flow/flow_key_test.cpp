// parse_flow_key on hand-built frames, and IpPrefix. Every frame is parsed
// from an exact-size heap copy, so that AddressSanitizer (the asan build)
// reports any read past its end.
#include "engine/apps/flow/flow_key.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace synnet {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Addr = std::array<std::uint8_t, 16>;

constexpr std::uint16_t kIpv4 = 0x0800, kIpv6 = 0x86dd, kArp = 0x0806, kVlan = 0x8100, kQinQ = 0x88a8;

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}

Addr addr(const char* text) {
  Addr a{};
  const int af = std::strchr(text, ':') != nullptr ? AF_INET6 : AF_INET;
  if (::inet_pton(af, text, a.data()) != 1) throw std::invalid_argument(text);
  return a;
}

// Destination and source MACs, the VLAN tags (TPIDs, VLAN id 100), the EtherType.
Bytes ethernet(std::uint16_t type, const std::vector<std::uint16_t>& tags = {}) {
  Bytes b = {0x02, 0, 0, 0, 0, 0xbb, 0x02, 0, 0, 0, 0, 0xaa};
  for (std::uint16_t tpid : tags) {
    put16(b, tpid);
    put16(b, 100);
  }
  put16(b, type);
  return b;
}

Bytes ipv4(std::uint8_t protocol, const char* src, const char* dst, const Bytes& payload,
           std::uint16_t flags_fragment = 0, std::size_t option_words = 0) {
  const std::size_t ihl = 5 + option_words;
  Bytes b = {static_cast<std::uint8_t>(0x40 | ihl), 0};
  put16(b, static_cast<std::uint16_t>(ihl * 4 + payload.size()));
  put16(b, 0x1234);  // id
  put16(b, flags_fragment);
  b.push_back(64);  // ttl
  b.push_back(protocol);
  put16(b, 0);  // checksum: not checked
  const Addr s = addr(src), d = addr(dst);
  b.insert(b.end(), s.begin(), s.begin() + 4);
  b.insert(b.end(), d.begin(), d.begin() + 4);
  b.insert(b.end(), option_words * 4, 1);  // NOP options
  return b + payload;
}

// `payload` starts with the extension headers, if any; `next` is the first next header.
Bytes ipv6(std::uint8_t next, const char* src, const char* dst, const Bytes& payload) {
  Bytes b = {0x60, 0, 0, 0};
  put16(b, static_cast<std::uint16_t>(payload.size()));
  b.push_back(next);
  b.push_back(64);  // hop limit
  const Addr s = addr(src), d = addr(dst);
  b.insert(b.end(), s.begin(), s.end());
  b.insert(b.end(), d.begin(), d.end());
  return b + payload;
}

// An IPv6 extension header of `bytes` bytes (a multiple of 8) with PadN-ish filler.
Bytes ext(std::uint8_t next, std::size_t bytes = 8) {
  Bytes b(bytes, 0);
  b[0] = next;
  b[1] = static_cast<std::uint8_t>(bytes / 8 - 1);
  return b;
}

Bytes frag6(std::uint8_t next, std::uint16_t offset_units, bool more) {
  Bytes b = {next, 0};
  put16(b, static_cast<std::uint16_t>(offset_units << 3 | (more ? 1 : 0)));
  b.insert(b.end(), {0xde, 0xad, 0xbe, 0xef});
  return b;
}

Bytes ports_header(std::uint16_t src, std::uint16_t dst, std::size_t bytes) {
  Bytes b;
  put16(b, src);
  put16(b, dst);
  b.resize(bytes, 0);
  return b;
}
Bytes tcp(std::uint16_t src, std::uint16_t dst) {
  Bytes b = ports_header(src, dst, 20);
  b[12] = 0x50;  // data offset: 5 words
  return b;
}
Bytes udp(std::uint16_t src, std::uint16_t dst, std::size_t data = 0) {
  Bytes b = ports_header(src, dst, 8 + data);
  b[4] = static_cast<std::uint8_t>((8 + data) >> 8);
  b[5] = static_cast<std::uint8_t>(8 + data);
  return b;
}
Bytes sctp(std::uint16_t src, std::uint16_t dst) { return ports_header(src, dst, 12); }
Bytes icmp() { return Bytes{8, 0, 0, 0, 0, 1, 0, 1}; }

// Parses the first n bytes of frame from an exact-size heap buffer.
FlowKey parse(const Bytes& frame, std::size_t n) {
  auto buf = std::make_unique<std::uint8_t[]>(n);
  std::memcpy(buf.get(), frame.data(), n);
  return parse_flow_key(buf.get(), n);
}
FlowKey parse(const Bytes& frame) { return parse(frame, frame.size()); }

FlowKey key(std::uint8_t family, const char* src, const char* dst, std::uint8_t protocol) {
  FlowKey k;
  k.family = family;
  k.src = addr(src);
  k.dst = addr(dst);
  k.protocol = protocol;
  return k;
}
FlowKey key(std::uint8_t family, const char* src, const char* dst, std::uint8_t protocol, std::uint16_t sport,
            std::uint16_t dport) {
  FlowKey k = key(family, src, dst, protocol);
  k.src_port = sport;
  k.dst_port = dport;
  k.has_ports = true;
  return k;
}

const Bytes kTcp4 = ethernet(kIpv4) + ipv4(6, "198.18.0.1", "198.19.0.2", tcp(40000, 5201));
const Bytes kExtTcp6 =
    ethernet(kIpv6) + ipv6(0, "2001:2::1", "2001:2::2", ext(43, 8) + ext(60, 24) + ext(6, 16) + tcp(40000, 443));

// ---- IPv4 ---------------------------------------------------------------------

TEST(FlowKey, Ipv4Tcp) { EXPECT_EQ(parse(kTcp4), key(4, "198.18.0.1", "198.19.0.2", 6, 40000, 5201)); }

TEST(FlowKey, Ipv4UdpIgnoresEthernetPadding) {
  const Bytes frame = ethernet(kIpv4) + ipv4(17, "10.0.0.1", "10.0.0.2", udp(5353, 53));
  Bytes padded = frame;
  padded.resize(60, 0xff);  // past the IPv4 total length: padding, whatever it holds
  EXPECT_EQ(parse(frame), key(4, "10.0.0.1", "10.0.0.2", 17, 5353, 53));
  EXPECT_EQ(parse(padded), parse(frame));
}

TEST(FlowKey, Ipv4WithOptions) {
  const Bytes frame = ethernet(kIpv4) + ipv4(6, "10.0.0.1", "10.0.0.2", tcp(1, 2), 0, /*option_words=*/10);
  EXPECT_EQ(parse(frame), key(4, "10.0.0.1", "10.0.0.2", 6, 1, 2));
}

TEST(FlowKey, SctpAndUdpLiteHavePorts) {
  EXPECT_EQ(parse(ethernet(kIpv4) + ipv4(132, "10.0.0.1", "10.0.0.2", sctp(36412, 36412))),
            key(4, "10.0.0.1", "10.0.0.2", 132, 36412, 36412));
  EXPECT_EQ(parse(ethernet(kIpv4) + ipv4(136, "10.0.0.1", "10.0.0.2", udp(7, 9))),
            key(4, "10.0.0.1", "10.0.0.2", 136, 7, 9));
  EXPECT_TRUE(protocol_has_ports(6) && protocol_has_ports(17) && protocol_has_ports(132) && protocol_has_ports(136));
  EXPECT_FALSE(protocol_has_ports(1) || protocol_has_ports(58) || protocol_has_ports(0));
}

TEST(FlowKey, IcmpHasNoPorts) {
  EXPECT_EQ(parse(ethernet(kIpv4) + ipv4(1, "10.0.0.1", "10.0.0.2", icmp())), key(4, "10.0.0.1", "10.0.0.2", 1));
}

TEST(FlowKey, Ipv4OnlyTheFirstFragmentHasPorts) {
  const Bytes payload = udp(1000, 2000, 32);
  const auto frame = [&](std::uint16_t flags_fragment) {
    return ethernet(kIpv4) + ipv4(17, "10.0.0.1", "10.0.0.2", payload, flags_fragment);
  };
  EXPECT_EQ(parse(frame(0x2000)), key(4, "10.0.0.1", "10.0.0.2", 17, 1000, 2000));  // MF, offset 0
  EXPECT_EQ(parse(frame(0x4000)), key(4, "10.0.0.1", "10.0.0.2", 17, 1000, 2000));  // DF
  EXPECT_EQ(parse(frame(0x2000 | 185)), key(4, "10.0.0.1", "10.0.0.2", 17));        // MF, offset 1480
  EXPECT_EQ(parse(frame(185)), key(4, "10.0.0.1", "10.0.0.2", 17));                 // the last one
}

TEST(FlowKey, Ipv4CutShortL4HeaderKeepsAddressesWithoutPorts) {
  Bytes half_tcp = tcp(1, 2);
  half_tcp.resize(19);
  EXPECT_EQ(parse(ethernet(kIpv4) + ipv4(6, "10.0.0.1", "10.0.0.2", half_tcp)), key(4, "10.0.0.1", "10.0.0.2", 6));
  const Bytes short_udp = {0, 1, 0, 2, 0, 7, 0};  // 7 bytes: ports are there, the header is not
  EXPECT_EQ(parse(ethernet(kIpv4) + ipv4(17, "10.0.0.1", "10.0.0.2", short_udp)), key(4, "10.0.0.1", "10.0.0.2", 17));
  EXPECT_EQ(parse(ethernet(kIpv4) + ipv4(132, "10.0.0.1", "10.0.0.2", Bytes(11, 0))),
            key(4, "10.0.0.1", "10.0.0.2", 132));
}

TEST(FlowKey, Ipv4InconsistentHeadersAreNotIp) {
  const Bytes good = ethernet(kIpv4) + ipv4(6, "10.0.0.1", "10.0.0.2", tcp(1, 2));
  const auto with = [&](std::size_t at, std::uint8_t v) {
    Bytes f = good;
    f[14 + at] = v;
    return f;
  };
  EXPECT_EQ(parse(with(0, 0x55)), FlowKey{});  // version 5
  EXPECT_EQ(parse(with(0, 0x44)), FlowKey{});  // IHL 16 bytes
  EXPECT_EQ(parse(with(0, 0x4f)), FlowKey{});  // IHL 60 bytes > total length 40
  EXPECT_EQ(parse(with(3, 19)), FlowKey{});    // total length 19 < IHL
  EXPECT_EQ(parse(with(3, 41)), FlowKey{});    // total length 41 > the 40 bytes there
  EXPECT_EQ(parse(with(2, 0xff)), FlowKey{});  // total length 65320
}

// ---- IPv6 ---------------------------------------------------------------------

TEST(FlowKey, Ipv6Udp) {
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(17, "2001:2::1", "fd00::53", udp(40000, 53, 12))),
            key(6, "2001:2::1", "fd00::53", 17, 40000, 53));
}

TEST(FlowKey, Ipv6SkipsHopByHopRoutingAndDestinationOptions) {
  EXPECT_EQ(parse(kExtTcp6), key(6, "2001:2::1", "2001:2::2", 6, 40000, 443));
}

TEST(FlowKey, Ipv6OnlyTheFirstFragmentHasPorts) {
  const auto frame = [](std::uint16_t offset, bool more) {
    return ethernet(kIpv6) + ipv6(44, "2001:2::1", "2001:2::2", frag6(17, offset, more) + udp(1000, 2000, 40));
  };
  EXPECT_EQ(parse(frame(0, true)), key(6, "2001:2::1", "2001:2::2", 17, 1000, 2000));
  EXPECT_EQ(parse(frame(181, true)), key(6, "2001:2::1", "2001:2::2", 17));
  EXPECT_EQ(parse(frame(181, false)), key(6, "2001:2::1", "2001:2::2", 17));
  // Extension headers on both sides of the fragment header, in the first fragment.
  const Bytes chained =
      ethernet(kIpv6) + ipv6(0, "2001:2::1", "2001:2::2", ext(44) + frag6(60, 0, true) + ext(6) + tcp(5, 6));
  EXPECT_EQ(parse(chained), key(6, "2001:2::1", "2001:2::2", 6, 5, 6));
}

TEST(FlowKey, Ipv6WithoutPorts) {
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(58, "fe80::1", "ff02::1", icmp())), key(6, "fe80::1", "ff02::1", 58));
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(0, "fe80::1", "ff02::1", ext(59))), key(6, "fe80::1", "ff02::1", 59));
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(6, "fe80::1", "ff02::1", Bytes(19, 0))), key(6, "fe80::1", "ff02::1", 6));
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(17, "fe80::1", "ff02::1", {})), key(6, "fe80::1", "ff02::1", 17));
}

TEST(FlowKey, Ipv6MalformedHeadersAreNotIp) {
  // A hop-by-hop header that says 16 bytes, in a payload of 8.
  Bytes long_ext = ext(59);
  long_ext[1] = 1;
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(0, "2001:2::1", "2001:2::2", long_ext)), FlowKey{});
  // An extension header shorter than its 8-byte minimum.
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(60, "2001:2::1", "2001:2::2", Bytes{6, 0, 0, 0})), FlowKey{});
  EXPECT_EQ(parse(ethernet(kIpv6) + ipv6(44, "2001:2::1", "2001:2::2", Bytes{6, 0, 0, 0})), FlowKey{});
  // Payload length past the frame; version 4 in an IPv6 EtherType.
  Bytes f = ethernet(kIpv6) + ipv6(17, "2001:2::1", "2001:2::2", udp(1, 2));
  f[14 + 5] += 1;
  EXPECT_EQ(parse(f), FlowKey{});
  f = ethernet(kIpv6) + ipv6(17, "2001:2::1", "2001:2::2", udp(1, 2));
  f[14] = 0x40;
  EXPECT_EQ(parse(f), FlowKey{});
}

// ---- Ethernet -----------------------------------------------------------------

TEST(FlowKey, UpToTwoVlanTags) {
  const Bytes ip = ipv4(17, "10.0.0.1", "10.0.0.2", udp(1, 2));
  const FlowKey want = key(4, "10.0.0.1", "10.0.0.2", 17, 1, 2);
  EXPECT_EQ(parse(ethernet(kIpv4, {kVlan}) + ip), want);
  EXPECT_EQ(parse(ethernet(kIpv4, {kQinQ}) + ip), want);
  EXPECT_EQ(parse(ethernet(kIpv4, {kQinQ, kVlan}) + ip), want);
  EXPECT_EQ(parse(ethernet(kIpv6, {kVlan, kVlan}) + ipv6(6, "::1", "::2", tcp(3, 4))), key(6, "::1", "::2", 6, 3, 4));
  EXPECT_EQ(parse(ethernet(kIpv4, {kQinQ, kVlan, kVlan}) + ip), FlowKey{});  // a third tag: not read
}

TEST(FlowKey, ArpAndOtherEtherTypesAreNotIp) {
  Bytes arp = ethernet(kArp) + Bytes{0, 1, 8, 0, 6, 4, 0, 1};
  arp.resize(60, 0);
  EXPECT_EQ(parse(arp), FlowKey{});
  EXPECT_EQ(parse(ethernet(0x8847) + ipv4(6, "10.0.0.1", "10.0.0.2", tcp(1, 2))), FlowKey{});  // MPLS
  EXPECT_EQ(parse(ethernet(kVlan)), FlowKey{});
  EXPECT_EQ(parse_flow_key(nullptr, 0), FlowKey{});
}

TEST(FlowKey, EveryTruncationOfAValidFrameIsNotIp) {
  const std::vector<Bytes> frames = {
      kTcp4,
      kExtTcp6,
      ethernet(kIpv4, {kQinQ, kVlan}) + ipv4(17, "10.0.0.1", "10.0.0.2", udp(1, 2, 3), 0, 2),
      ethernet(kIpv4) + ipv4(132, "10.0.0.1", "10.0.0.2", sctp(1, 2)),
      ethernet(kIpv4) + ipv4(17, "10.0.0.1", "10.0.0.2", udp(1, 2), 0x2000 | 100),
      ethernet(kIpv6, {kVlan}) + ipv6(44, "2001:2::1", "2001:2::2", frag6(136, 0, true) + udp(1000, 2000, 5)),
      ethernet(kIpv6) + ipv6(44, "2001:2::1", "2001:2::2", frag6(17, 9, false) + Bytes(30, 0xab)),
  };
  for (const Bytes& frame : frames) {
    ASSERT_NE(parse(frame).family, 0) << "frame of " << frame.size() << " bytes";
    // Each IP header's length says the whole frame: any shorter one is truncated.
    for (std::size_t n = 0; n < frame.size(); ++n) {
      EXPECT_EQ(parse(frame, n), FlowKey{}) << n << " of " << frame.size() << " bytes";
    }
  }
}

// ---- IpPrefix -----------------------------------------------------------------

TEST(FlowKeyIpPrefix, ParsesIpv4AndIpv6) {
  const IpPrefix v4 = IpPrefix::parse("198.18.0.0/15");
  EXPECT_EQ(v4.family, 4);
  EXPECT_EQ(v4.length, 15);
  EXPECT_EQ(v4.addr, addr("198.18.0.0"));
  EXPECT_EQ(v4.str(), "198.18.0.0/15");

  const IpPrefix v6 = IpPrefix::parse("2001:2::/48");
  EXPECT_EQ(v6.family, 6);
  EXPECT_EQ(v6.length, 48);
  EXPECT_EQ(v6.addr, addr("2001:2::"));
  EXPECT_EQ(v6.str(), "2001:2::/48");

  EXPECT_EQ(IpPrefix::parse("198.18.0.1"), (IpPrefix{4, addr("198.18.0.1"), 32}));
  EXPECT_EQ(IpPrefix::parse("2001:2::1"), (IpPrefix{6, addr("2001:2::1"), 128}));
  EXPECT_EQ(IpPrefix::parse("0.0.0.0/0"), (IpPrefix{4, {}, 0}));
  EXPECT_EQ(IpPrefix::parse("::/0"), (IpPrefix{6, {}, 0}));
  EXPECT_EQ(IpPrefix::parse("::ffff:10.0.0.0/104").family, 6);
  EXPECT_EQ(IpPrefix::parse("10.0.0.0/08").length, 8);
}

TEST(FlowKeyIpPrefix, RejectsBadTextAndNamesIt) {
  const struct {
    std::string text;
    std::string why;
  } cases[] = {
      {"", "is not an IPv4 or IPv6 address"},
      {"/8", "is not an IPv4 or IPv6 address"},
      {"198.18.0", "is not an IPv4 or IPv6 address"},
      {"198.18.0.256", "is not an IPv4 or IPv6 address"},
      {" 198.18.0.0", "is not an IPv4 or IPv6 address"},
      {"fe80::1%eth0", "is not an IPv4 or IPv6 address"},
      {"2001:2::/48/48", "length \"48/48\" is not in 0..128"},
      {"example.com/24", "is not an IPv4 or IPv6 address"},
      {"198.18.0.0/", "length \"\" is not in 0..32"},
      {"198.18.0.0/33", "length \"33\" is not in 0..32"},
      {"198.18.0.0/-1", "length \"-1\" is not in 0..32"},
      {"198.18.0.0/+8", "length \"+8\" is not in 0..32"},
      {"198.18.0.0/15x", "length \"15x\" is not in 0..32"},
      {"198.18.0.0/99999999999", "is not in 0..32"},
      {"2001:2::/129", "length \"129\" is not in 0..128"},
      {"198.18.0.1/15", "did you mean \"198.18.0.0/15\"?"},
      {"198.19.0.0/15", "did you mean \"198.18.0.0/15\"?"},
      {"2001:2::1/48", "did you mean \"2001:2::/48\"?"},
  };
  for (const auto& c : cases) {
    try {
      IpPrefix::parse(c.text);
      ADD_FAILURE() << "accepted \"" << c.text << "\"";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("IP prefix \"" + c.text + "\""), std::string::npos) << what;
      EXPECT_NE(what.find(c.why), std::string::npos) << what;
    }
  }
  // Bytes that do not print are escaped, so the message is whole.
  try {
    IpPrefix::parse(std::string("10.0.0.1\0junk\n", 14));
    ADD_FAILURE() << "accepted an address with a NUL in it";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 R"(IP prefix "10.0.0.1\x00junk\x0a": "10.0.0.1\x00junk\x0a" is not an IPv4 or IPv6 address)");
  }
}

TEST(FlowKeyIpPrefix, ContainsComparesTheLeadingBits) {
  const IpPrefix p = IpPrefix::parse("198.18.0.0/15");
  const auto dst = [](const char* a) { return key(4, "10.0.0.1", a, 6); };
  EXPECT_TRUE(p.contains(dst("198.18.0.0"), false));
  EXPECT_TRUE(p.contains(dst("198.19.255.255"), false));
  EXPECT_FALSE(p.contains(dst("198.17.255.255"), false));
  EXPECT_FALSE(p.contains(dst("198.20.0.0"), false));
  EXPECT_FALSE(p.contains(dst("198.18.0.1"), true)) << "the source is 10.0.0.1";
  EXPECT_TRUE(IpPrefix::parse("10.0.0.1").contains(dst("198.18.0.1"), true));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1").contains(dst("198.18.0.1"), false));

  const IpPrefix v6 = IpPrefix::parse("2001:2::/48");
  EXPECT_TRUE(v6.contains(key(6, "2001:2:0:ffff::1", "::1", 17), true));
  EXPECT_FALSE(v6.contains(key(6, "2001:2:1::1", "::1", 17), true));
  EXPECT_TRUE(IpPrefix::parse("2001:2::/47").contains(key(6, "2001:2:1::1", "::1", 17), true));
  EXPECT_TRUE(IpPrefix::parse("2001:2::/31").contains(key(6, "2001:3::1", "::1", 17), true));
  EXPECT_FALSE(IpPrefix::parse("2001:2::/32").contains(key(6, "2001:3::1", "::1", 17), true));

  // The other family, not IP, no prefix at all.
  EXPECT_TRUE(IpPrefix::parse("0.0.0.0/0").contains(dst("1.2.3.4"), false));
  EXPECT_FALSE(IpPrefix::parse("::/0").contains(dst("1.2.3.4"), false));
  EXPECT_FALSE(IpPrefix::parse("0.0.0.0/0").contains(key(6, "::1", "::2", 6), false));
  EXPECT_FALSE(IpPrefix::parse("0.0.0.0/0").contains(FlowKey{}, false));
  EXPECT_FALSE(IpPrefix{}.contains(FlowKey{}, false));
}

TEST(FlowKeyIpPrefix, HandBuiltPrefixes) {
  // Bits past the length do not count; an impossible length contains nothing.
  EXPECT_TRUE((IpPrefix{4, addr("198.19.1.1"), 15}).contains(key(4, "198.18.0.1", "::", 6), true));
  EXPECT_FALSE((IpPrefix{4, addr("198.18.0.1"), 33}).contains(key(4, "198.18.0.1", "::", 6), true));
  EXPECT_FALSE((IpPrefix{5, addr("198.18.0.1"), 8}).contains(key(4, "198.18.0.1", "::", 6), true));
  EXPECT_EQ(IpPrefix{}.str(), "(no prefix)");
}

}  // namespace
}  // namespace synnet
