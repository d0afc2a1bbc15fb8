// mnl_socket.hpp — MnlSocket: one libmnl netlink socket inside a network
// namespace, and the request/reply exchange every raw netlink user here needs
// (ethtool's generic netlink, the interface snapshots' rtnetlink).
//
//   MnlSocket s(NETLINK_ROUTE, ns.fd(), "rtnetlink");    // -1: the caller's namespace
//   std::vector<char> buf(MnlSocket::kBufferSize);
//   nlmsghdr* req = mnl_nlmsg_put_header(buf.data()); ...
//   s.talk(req, "add address to \"eth0\"");                // request + ACK; throws NetlinkRequestError
//   s.dump(req, "list routes", [](const nlmsghdr* m) {...}); // NLM_F_DUMP, every reply until DONE
//
// Every request asks for an ACK and the socket asks for extended ACKs, so a
// failure throws NetlinkRequestError (a SystemError) whose text is
// "<label>: <what>: <errno text>: <the kernel's message>"; EPERM adds that
// root / CAP_NET_ADMIN is needed. code() is the errno, so callers can accept
// e.g. EEXIST. Exceptions thrown by on_reply are rethrown after the exchange
// has been read to its end. Helpers for walking attributes without libmnl's
// C-only macros: for_each_attr, for_each_nested, string_attr.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/sys/system_error.hpp"

struct mnl_socket;
struct nlmsghdr;
struct nlattr;

namespace synnet {

// A SystemError whose text ends with a detail, e.g. the kernel's extended-ACK message.
class NetlinkRequestError : public SystemError {
 public:
  NetlinkRequestError(int err, const std::string& what, const std::string& detail)
      : SystemError(err, std::string(SystemError(err, what).what()) + (detail.empty() ? "" : ": " + detail), verbatim) {
  }
};

class MnlSocket {
 public:
  // One recv must hold a whole message (ethtool's verbose bitsets are several KB).
  static constexpr std::size_t kBufferSize = std::size_t{32} * 1024;

  // Opens and binds a socket of that netlink protocol inside the namespace
  // (-1: the caller's); `label` starts every error text ("ethtool").
  MnlSocket(int protocol, int netns_fd, std::string label);
  MnlSocket(MnlSocket&&) noexcept;
  MnlSocket& operator=(MnlSocket&&) noexcept;
  ~MnlSocket();

  // Sends the request with NLM_F_REQUEST | NLM_F_ACK added to its flags and
  // reads until the ACK, passing each reply message to on_reply.
  void talk(nlmsghdr* request, const std::string& what, const std::function<void(const nlmsghdr*)>& on_reply = nullptr);
  // Sends a dump request (NLM_F_REQUEST | NLM_F_DUMP) and passes every reply
  // message to on_reply until NLMSG_DONE.
  void dump(nlmsghdr* request, const std::string& what, const std::function<void(const nlmsghdr*)>& on_reply);

  const std::string& label() const noexcept { return label_; }

 private:
  void exchange(nlmsghdr* request, const std::string& what, const std::function<void(const nlmsghdr*)>& on_reply);
  struct Close {
    void operator()(mnl_socket* s) const noexcept;
  };
  std::unique_ptr<mnl_socket, Close> sock_;
  std::uint32_t portid_ = 0;
  std::uint32_t seq_ = 0;
  std::string label_;
};

// Calls fn(attr) for each attribute in [begin, end).
void for_each_attr(const void* begin, const void* end, const std::function<void(const nlattr*)>& fn);
// Calls fn(attr) for each attribute nested in `nest`.
void for_each_nested(const nlattr* nest, const std::function<void(const nlattr*)>& fn);
// A NUL-terminated string attribute's value; "" if it is not one.
std::string string_attr(const nlattr* a);

}  // namespace synnet
