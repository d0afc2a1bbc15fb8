// ethtool.cpp — device features over ethtool netlink (libmnl); see ethtool.hpp.
#include "netns/ethtool.hpp"

#include <libmnl/libmnl.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <set>
#include <span>
#include <stdexcept>
#include <vector>

#include "engine/sys/system_error.hpp"
#include "engine/sys/text.hpp"
#include "netns/mnl_socket.hpp"

namespace synnet {

// One FEATURES_GET reply. A device "has" a feature that is changeable or on;
// ethtool(8) shows the others as "off [fixed]".
struct Ethtool::Features {
  std::set<std::string> hw, active, nochange;

  bool on(const std::string& name) const { return active.count(name) > 0; }
  bool has(const std::string& name) const { return hw.count(name) > 0 || on(name); }
  bool fixed(const std::string& name) const { return hw.count(name) == 0 || nochange.count(name) > 0; }
};

namespace {

constexpr std::size_t kBufferSize = MnlSocket::kBufferSize;

constexpr const char* kChecksum[] = {"tx-checksum-ipv4", "tx-checksum-ip-generic", "tx-checksum-ipv6",
                                     "tx-checksum-sctp", "tx-checksum-fcoe-crc"};
// accecn exists since Linux 6.18; ethtool(8) lists it under tcp-segmentation-offload.
constexpr const char* kTso[] = {"tx-tcp-segmentation", "tx-tcp-ecn-segmentation", "tx-tcp-mangleid-segmentation",
                                "tx-tcp6-segmentation", "tx-tcp-accecn-segmentation"};
constexpr const char* kGso[] = {"tx-generic-segmentation"};
constexpr const char* kGro[] = {"rx-gro"};

struct Group {
  const char* label;
  std::optional<bool> Offloads::*member;
  std::span<const char* const> names;
};
constexpr Group kGroups[] = {{"tx_checksum", &Offloads::tx_checksum, kChecksum},
                             {"tso", &Offloads::tso, kTso},
                             {"gso", &Offloads::gso, kGso},
                             {"gro", &Offloads::gro, kGro}};

void append(std::string& list, const std::string& item) { list += (list.empty() ? "" : ", ") + item; }

// libmnl's *_check functions return false / nullptr when the request would not fit.
template <class T>
T fits(T ok, const std::string& what) {
  if (!ok) throw SystemError(EMSGSIZE, "ethtool: " + what + ": request does not fit in its buffer");
  return ok;
}

// The names of the bits that are on in a verbose bitset. GET replies list
// only the bits that are on (NOMASK); otherwise a bit is on if it has VALUE.
std::set<std::string> bits_on(const nlattr* bitset) {
  bool nomask = false;
  const nlattr* bits = nullptr;
  for_each_nested(bitset, [&](const nlattr* a) {
    if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_NOMASK) nomask = true;
    if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_BITS) bits = a;
  });
  std::set<std::string> on;
  if (bits == nullptr) return on;
  for_each_nested(bits, [&](const nlattr* bit) {
    if (mnl_attr_get_type(bit) != ETHTOOL_A_BITSET_BITS_BIT) return;
    std::string name;
    bool value = nomask;
    for_each_nested(bit, [&](const nlattr* a) {
      if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_BIT_NAME) name = string_attr(a);
      if (mnl_attr_get_type(a) == ETHTOOL_A_BITSET_BIT_VALUE) value = true;
    });
    if (value && !name.empty()) on.insert(name);
  });
  return on;
}

// Starts a generic netlink request in a kBufferSize buffer.
nlmsghdr* put_genl_request(char* buf, std::uint16_t family, std::uint8_t cmd, std::uint8_t version) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = family;
  auto* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
  genl->cmd = cmd;
  genl->version = version;
  return nlh;
}

// The ethtool request header: which device, and ETHTOOL_FLAG_* flags.
void put_dev_header(nlmsghdr* nlh, const std::string& ifname, std::uint32_t flags, const std::string& what) {
  nlattr* header = fits(mnl_attr_nest_start_check(nlh, kBufferSize, ETHTOOL_A_FEATURES_HEADER), what);
  fits(mnl_attr_put_strz_check(nlh, kBufferSize, ETHTOOL_A_HEADER_DEV_NAME, ifname.c_str()), what);
  if (flags != 0) fits(mnl_attr_put_u32_check(nlh, kBufferSize, ETHTOOL_A_HEADER_FLAGS, flags), what);
  mnl_attr_nest_end(nlh, header);
}

// The command of a generic netlink message; 0 if it is too short to have one.
std::uint8_t genl_cmd(const nlmsghdr* nlh) {
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(genlmsghdr)) return 0;
  return static_cast<const genlmsghdr*>(mnl_nlmsg_get_payload(nlh))->cmd;
}

// Calls fn(attr) for each attribute of a generic netlink message (after its genlmsghdr).
template <class F>
void for_each_genl_attr(const nlmsghdr* nlh, F&& fn) {
  if (genl_cmd(nlh) == 0) return;
  for_each_attr(mnl_nlmsg_get_payload_offset(nlh, sizeof(genlmsghdr)), mnl_nlmsg_get_payload_tail(nlh), fn);
}

}  // namespace

Ethtool::Ethtool(int netns_fd) : sock_(NETLINK_GENERIC, netns_fd, "ethtool") {
  std::vector<char> buf(kBufferSize);
  nlmsghdr* nlh = put_genl_request(buf.data(), GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
  mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
  const std::string what =
      "resolve generic netlink family \"" ETHTOOL_GENL_NAME "\" (needs Linux 5.6+ with CONFIG_ETHTOOL_NETLINK)";
  sock_.talk(nlh, what, [&](const nlmsghdr* reply) {
    for_each_genl_attr(reply, [&](const nlattr* a) {
      if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID && mnl_attr_validate(a, MNL_TYPE_U16) == 0) {
        family_ = mnl_attr_get_u16(a);
      }
    });
  });
  if (family_ == 0) throw SystemError(ENOENT, "ethtool: " + what + ": no family id in the reply");
}

Ethtool::Features Ethtool::features(const std::string& ifname) {
  const std::string what = "get features of " + in_quotes(ifname);
  std::vector<char> buf(kBufferSize);
  nlmsghdr* nlh = put_genl_request(buf.data(), family_, ETHTOOL_MSG_FEATURES_GET, ETHTOOL_GENL_VERSION);
  put_dev_header(nlh, ifname, 0, what);  // no COMPACT flag: bits come with names
  Features f;
  bool replied = false;
  sock_.talk(nlh, what, [&](const nlmsghdr* reply) {
    if (genl_cmd(reply) != ETHTOOL_MSG_FEATURES_GET_REPLY) return;
    replied = true;
    for_each_genl_attr(reply, [&](const nlattr* a) {
      switch (mnl_attr_get_type(a)) {
        case ETHTOOL_A_FEATURES_HW: f.hw = bits_on(a); break;
        case ETHTOOL_A_FEATURES_ACTIVE: f.active = bits_on(a); break;
        case ETHTOOL_A_FEATURES_NOCHANGE: f.nochange = bits_on(a); break;
        default: break;
      }
    });
  });
  if (!replied) throw SystemError(EBADMSG, "ethtool: " + what + ": no reply before the ACK");
  return f;
}

std::map<std::string, bool> Ethtool::active_features(const std::string& ifname) {
  const Features f = features(ifname);
  std::map<std::string, bool> result;
  for (const std::string& name : f.hw) result[name] = f.on(name);
  for (const std::string& name : f.active) result[name] = true;
  return result;
}

void Ethtool::set_features(const std::string& ifname, const std::map<std::string, bool>& wanted) {
  if (wanted.empty()) return;
  const std::string what = "set features on " + in_quotes(ifname);
  std::vector<char> buf(kBufferSize);
  nlmsghdr* nlh = put_genl_request(buf.data(), family_, ETHTOOL_MSG_FEATURES_SET, ETHTOOL_GENL_VERSION);
  put_dev_header(nlh, ifname, ETHTOOL_FLAG_OMIT_REPLY, what);
  // A verbose bitset without NOMASK: the listed bits are the mask, and VALUE
  // marks those to turn on. The kernel silently skips bits that are not in hw.
  nlattr* wanted_nest = fits(mnl_attr_nest_start_check(nlh, kBufferSize, ETHTOOL_A_FEATURES_WANTED), what);
  nlattr* bits = fits(mnl_attr_nest_start_check(nlh, kBufferSize, ETHTOOL_A_BITSET_BITS), what);
  for (const auto& [name, on] : wanted) {
    nlattr* bit = fits(mnl_attr_nest_start_check(nlh, kBufferSize, ETHTOOL_A_BITSET_BITS_BIT), what);
    fits(mnl_attr_put_strz_check(nlh, kBufferSize, ETHTOOL_A_BITSET_BIT_NAME, name.c_str()), what);
    if (on) fits(mnl_attr_put_check(nlh, kBufferSize, ETHTOOL_A_BITSET_BIT_VALUE, 0, nullptr), what);
    mnl_attr_nest_end(nlh, bit);
  }
  mnl_attr_nest_end(nlh, bits);
  mnl_attr_nest_end(nlh, wanted_nest);
  sock_.talk(nlh, what);
}

void Ethtool::set_offloads(const std::string& ifname, const Offloads& o) {
  const std::string what = "ethtool: set offloads on " + in_quotes(ifname);
  const Features before = features(ifname);
  std::map<std::string, bool> wanted;
  std::string refused;
  for (const Group& g : kGroups) {
    const std::optional<bool>& on = o.*g.member;
    if (!on) continue;
    bool any = false;
    for (const std::string name : g.names) {
      if (!before.has(name)) continue;
      any = true;
      if (!before.fixed(name)) {
        wanted[name] = *on;
      } else if (before.on(name) != *on) {
        append(refused, name + " is fixed " + (before.on(name) ? "on" : "off"));
      }
    }
    if (!any && *on) append(refused, std::string(g.label) + ": the device has none of its features");
  }
  // Refuse before changing anything when a fixed feature is in the way.
  if (!refused.empty()) throw NetlinkRequestError(EOPNOTSUPP, what, refused);

  set_features(ifname, wanted);
  const Features after = features(ifname);
  for (const auto& [name, on] : wanted) {
    if (after.on(name) != on) append(refused, name + " is " + (on ? "off" : "on"));
  }
  if (!refused.empty()) {
    throw NetlinkRequestError(EOPNOTSUPP, what,
                              refused +
                                  " (the kernel ties features together, e.g. TSO needs tx checksumming; "
                                  "the other changes took effect)");
  }
}

Offloads Ethtool::offloads(const std::string& ifname) {
  const Features f = features(ifname);
  Offloads o;
  for (const Group& g : kGroups) {
    o.*g.member = std::any_of(g.names.begin(), g.names.end(), [&](const char* name) { return f.on(name); });
  }
  return o;
}

}  // namespace synnet
