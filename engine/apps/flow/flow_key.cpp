#include "engine/apps/flow/flow_key.hpp"

#include "engine/ethernet.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace synnet {

namespace {

constexpr std::size_t kIpv4HeaderBytes = 20, kIpv6HeaderBytes = 40, kIpv6ExtMinBytes = 8;
constexpr std::uint8_t kHopByHop = 0, kRouting = 43, kFragment = 44, kDestOptions = 60;

// The minimal header of a protocol whose first four bytes are the source and
// destination ports; 0 for a protocol without ports.
std::size_t port_header_bytes(std::uint8_t protocol) noexcept {
  switch (protocol) {
    case 6: return 20;    // TCP
    case 17: return 8;    // UDP
    case 132: return 12;  // SCTP
    case 136: return 8;   // UDP-Lite
    default: return 0;
  }
}

// The L4 header starts at ip + l4; the IP payload ends at ip + end (l4 <= end).
void read_ports(const std::uint8_t* ip, std::size_t l4, std::size_t end, FlowKey& key) noexcept {
  const std::size_t need = port_header_bytes(key.protocol);
  if (need == 0 || end - l4 < need) return;
  key.src_port = be16(ip + l4);
  key.dst_port = be16(ip + l4 + 2);
  key.has_ports = true;
}

// ip points at the IPv4 header, with avail bytes of frame left.
bool parse_ipv4(const std::uint8_t* ip, std::size_t avail, FlowKey& key) noexcept {
  if (avail < kIpv4HeaderBytes || (ip[0] >> 4) != 4) return false;
  const std::size_t ihl = std::size_t{ip[0] & 0x0fu} * 4;
  const std::size_t total = be16(ip + 2);
  if (ihl < kIpv4HeaderBytes || total < ihl || total > avail) return false;
  key.family = 4;
  key.protocol = ip[9];
  std::memcpy(key.src.data(), ip + 12, 4);
  std::memcpy(key.dst.data(), ip + 16, 4);
  const bool first_fragment = (be16(ip + 6) & 0x1fff) == 0;
  if (first_fragment) read_ports(ip, ihl, total, key);
  return true;
}

// ip points at the IPv6 header, with avail bytes of frame left.
bool parse_ipv6(const std::uint8_t* ip, std::size_t avail, FlowKey& key) noexcept {
  if (avail < kIpv6HeaderBytes || (ip[0] >> 4) != 6) return false;
  const std::size_t end = kIpv6HeaderBytes + be16(ip + 4);
  if (end > avail) return false;
  std::uint8_t next = ip[6];
  std::size_t off = kIpv6HeaderBytes;  // invariant: off <= end
  bool first_fragment = true;
  for (;;) {
    if (next == kHopByHop || next == kRouting || next == kDestOptions) {
      if (end - off < kIpv6ExtMinBytes) return false;
      const std::size_t bytes = (std::size_t{ip[off + 1]} + 1) * 8;
      if (end - off < bytes) return false;
      next = ip[off];
      off += bytes;
    } else if (next == kFragment) {
      if (end - off < kIpv6ExtMinBytes) return false;
      const bool at_start = (be16(ip + off + 2) >> 3) == 0;
      next = ip[off];
      off += kIpv6ExtMinBytes;
      if (!at_start) {
        first_fragment = false;  // the rest is the middle of the payload: no headers to read
        break;
      }
    } else {
      break;
    }
  }
  key.family = 6;
  key.protocol = next;
  std::memcpy(key.src.data(), ip + 8, 16);
  std::memcpy(key.dst.data(), ip + 24, 16);
  if (first_fragment) read_ports(ip, off, end, key);
  return true;
}

unsigned max_length(std::uint8_t family) noexcept { return family == 4 ? 32 : 128; }

// addr with every bit past `length` cleared.
std::array<std::uint8_t, 16> masked(std::array<std::uint8_t, 16> addr, unsigned length) noexcept {
  for (unsigned i = 0; i < addr.size(); ++i) {
    const unsigned bit = i * 8;
    if (bit >= length) {
      addr[i] = 0;
    } else if (length - bit < 8) {
      addr[i] &= static_cast<std::uint8_t>(0xff << (8 - (length - bit)));
    }
  }
  return addr;
}

// text in double quotes, with bytes that do not print written as \xNN.
std::string quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

FlowKey parse_flow_key(const std::uint8_t* frame, std::size_t len) noexcept {
  const std::optional<L3Start> l3 = find_l3(frame, len);
  if (!l3) return {};
  const std::uint16_t type = l3->ethertype;
  const std::size_t off = l3->offset;  // the network header starts here; off <= len
  FlowKey key;
  bool ok = false;
  if (type == kEtherIpv4) {
    ok = parse_ipv4(frame + off, len - off, key);
  } else if (type == kEtherIpv6) {
    ok = parse_ipv6(frame + off, len - off, key);
  }
  return ok ? key : FlowKey{};
}

bool protocol_has_ports(std::uint8_t protocol) noexcept { return port_header_bytes(protocol) != 0; }

IpPrefix IpPrefix::parse(std::string_view text) {
  const auto fail = [&](const std::string& why) {
    throw std::invalid_argument("IP prefix " + quoted(text) + ": " + why);
  };
  const std::size_t slash = text.find('/');
  const std::string address(text.substr(0, slash));
  IpPrefix p;
  p.family = address.find(':') != std::string::npos ? 6 : 4;
  if (address.find('\0') != std::string::npos ||
      ::inet_pton(p.family == 4 ? AF_INET : AF_INET6, address.c_str(), p.addr.data()) != 1) {
    fail(quoted(address) + " is not an IPv4 or IPv6 address");
  }
  const unsigned max = max_length(p.family);
  unsigned length = max;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const char* last = digits.data() + digits.size();
    const auto [ptr, ec] = std::from_chars(digits.data(), last, length);
    if (digits.empty() || ec != std::errc{} || ptr != last || length > max) {
      fail("length " + quoted(digits) + " is not in 0.." + std::to_string(max));
    }
  }
  p.length = static_cast<std::uint8_t>(length);
  if (masked(p.addr, length) != p.addr) {
    IpPrefix network = p;
    network.addr = masked(p.addr, length);
    fail("bits are set past the prefix length (did you mean \"" + network.str() + "\"?)");
  }
  return p;
}

std::string IpPrefix::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family != 4 && family != 6) return "(no prefix)";
  ::inet_ntop(family == 4 ? AF_INET : AF_INET6, addr.data(), buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(length);
}

bool IpPrefix::contains(const FlowKey& key, bool source) const noexcept {
  if ((family != 4 && family != 6) || key.family != family || length > max_length(family)) return false;
  return masked(source ? key.src : key.dst, length) == masked(addr, length);
}

}  // namespace synnet
