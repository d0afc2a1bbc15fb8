// address.cpp — a scenario host's address. See address.hpp.
#include "harness/scenario/address.hpp"
#include "engine/sys/text.hpp"

#include <charconv>
#include <stdexcept>

namespace synnet {
namespace {

bool same_leading_bits(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, unsigned bits) {
  for (unsigned i = 0; i < bits; ++i) {
    const unsigned mask = 0x80u >> (i % 8);
    if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

HostAddress parse_host_address(std::string_view text_view) {
  const std::string text(text_view);
  const std::size_t slash = text.find('/');
  const bool v6 = text.find(':') != std::string::npos;
  if (slash == std::string::npos) {
    throw std::invalid_argument(in_quotes(text) + " has no prefix length: write it as CIDR, e.g. " +
                                in_quotes(text + (v6 ? "/64" : "/24")));
  }
  IpPrefix address;
  try {
    address = IpPrefix::parse(text.substr(0, slash));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(in_quotes(text) + ": " + in_quotes(text.substr(0, slash)) +
                                " is not an IPv4 or IPv6 address");
  }
  const unsigned max = address.family == 4 ? 32 : 128;
  unsigned length = 0;
  const std::string_view digits = std::string_view(text).substr(slash + 1);
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || length > max) {
    throw std::invalid_argument(in_quotes(text) + ": the prefix length " + in_quotes(digits) + " is not in 0.." +
                                std::to_string(max));
  }
  static const IpPrefix v4_range = IpPrefix::parse("198.18.0.0/15"), v6_range = IpPrefix::parse("2001:2::/48");
  const IpPrefix& range = address.family == 4 ? v4_range : v6_range;
  const std::string why = address.family == 4
                              ? " (IPv4 test addresses lie in 198.18.0.0/15, the benchmarking range, so a test network "
                                "never collides with a real one)"
                              : " (IPv6 test addresses lie in 2001:2::/48, the benchmarking range, so a test network "
                                "never collides with a real one)";
  if (!same_leading_bits(address.addr, range.addr, range.length)) {
    throw std::invalid_argument(in_quotes(text) + " is outside " + range.str() + why);
  }
  if (length < range.length) {
    throw std::invalid_argument(in_quotes(text) + ": its subnet /" + std::to_string(length) + " reaches outside " +
                                range.str() + why + "; use a prefix length of " + std::to_string(range.length) +
                                " or more");
  }
  // The first and last addresses of an IPv4 subnet of 4 or more name the subnet and its broadcast, not a host.
  if (address.family == 4 && length <= 30) {
    const std::uint32_t v = std::uint32_t{address.addr[0]} << 24 | std::uint32_t{address.addr[1]} << 16 |
                            std::uint32_t{address.addr[2]} << 8 | address.addr[3];
    const std::uint32_t host_bits = (1u << (32 - length)) - 1;
    if ((v & host_bits) == 0 || (v & host_bits) == host_bits) {
      throw std::invalid_argument(in_quotes(text) + " is the " + ((v & host_bits) == 0 ? "network" : "broadcast") +
                                  " address of its subnet /" + std::to_string(length) +
                                  ", not a host's: pick one between them");
    }
  }
  return HostAddress{address, static_cast<std::uint8_t>(length)};
}

std::string HostAddress::ip() const {
  std::string s = address.str();
  return s.erase(s.find('/'));
}

std::string HostAddress::str() const { return ip() + "/" + std::to_string(prefix_length); }

}  // namespace synnet
