// mnl_socket.cpp — a libmnl netlink socket in a namespace and its
// request/ACK and dump exchanges; see mnl_socket.hpp.
#include "netns/mnl_socket.hpp"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <exception>
#include <vector>

#include "engine/sys/in_netns.hpp"

namespace synnet {

void MnlSocket::Close::operator()(mnl_socket* s) const noexcept { mnl_socket_close(s); }

void for_each_attr(const void* begin, const void* end, const std::function<void(const nlattr*)>& fn) {
  const auto* last = static_cast<const char*>(end);
  for (auto* a = static_cast<const nlattr*>(begin);
       mnl_attr_ok(a, static_cast<int>(last - reinterpret_cast<const char*>(a))); a = mnl_attr_next(a)) {
    fn(a);
  }
}

void for_each_nested(const nlattr* nest, const std::function<void(const nlattr*)>& fn) {
  const auto* p = static_cast<const char*>(mnl_attr_get_payload(nest));
  for_each_attr(p, p + mnl_attr_get_payload_len(nest), fn);
}

std::string string_attr(const nlattr* a) {
  return mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ? mnl_attr_get_str(a) : "";
}

namespace {

// The kernel's extended-ACK text in an NLMSG_ERROR message ("" if none).
std::string ext_ack_message(const nlmsghdr* nlh, const nlmsgerr& err) {
  if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return "";
  // The TLVs follow the nlmsgerr and, unless the kernel capped it, the echoed request's payload.
  std::size_t offset = sizeof(nlmsgerr);
  if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0 && err.msg.nlmsg_len > sizeof(nlmsghdr)) {
    offset += MNL_ALIGN(err.msg.nlmsg_len - sizeof(nlmsghdr));
  }
  if (offset >= mnl_nlmsg_get_payload_len(nlh)) return "";
  std::string text;
  for_each_attr(mnl_nlmsg_get_payload_offset(nlh, offset), mnl_nlmsg_get_payload_tail(nlh), [&](const nlattr* a) {
    if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG) text = string_attr(a);
  });
  return text;
}

// State of one exchange, shared with the libmnl callbacks. These never
// throw: an exception from on_reply is kept until the exchange has been read.
struct Exchange {
  const std::function<void(const nlmsghdr*)>& on_reply;
  int error = 0;  // errno of an error reply
  std::string kernel_message;
  std::exception_ptr failure;
};

int on_data(const nlmsghdr* nlh, void* data) {
  auto* x = static_cast<Exchange*>(data);
  if (!x->on_reply || x->failure) return MNL_CB_OK;
  try {
    x->on_reply(nlh);
  } catch (...) {
    x->failure = std::current_exception();
  }
  return MNL_CB_OK;
}

int on_error(const nlmsghdr* nlh, void* data) {
  auto* x = static_cast<Exchange*>(data);
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr)) {
    x->error = EBADMSG;
    return MNL_CB_ERROR;
  }
  const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  if (err->error == 0) return MNL_CB_STOP;  // the ACK
  x->error = -err->error;
  try {
    x->kernel_message = ext_ack_message(nlh, *err);
  } catch (...) {  // out of memory: report the errno alone
  }
  return MNL_CB_ERROR;
}

// NLMSG_DONE ends a dump; it carries an int error (0 when the dump completed).
int on_done(const nlmsghdr* nlh, void* data) {
  auto* x = static_cast<Exchange*>(data);
  if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
    const int err = *static_cast<const int*>(mnl_nlmsg_get_payload(nlh));
    if (err < 0) {
      x->error = -err;
      return MNL_CB_ERROR;
    }
  }
  return MNL_CB_STOP;
}

}  // namespace

MnlSocket::MnlSocket(int protocol, int netns_fd, std::string label) : label_(std::move(label)) {
  // A socket belongs for life to the namespace it was created in.
  sock_ = in_netns(netns_fd, [&] {
    std::unique_ptr<mnl_socket, Close> s(mnl_socket_open2(protocol, SOCK_CLOEXEC));
    if (!s) throw SystemError(errno, label_ + ": open a netlink socket");
    return s;
  });
  if (mnl_socket_bind(sock_.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
    throw SystemError(errno, label_ + ": bind the netlink socket");
  }
  portid_ = mnl_socket_get_portid(sock_.get());
  int one = 1;  // error replies carry the kernel's message
  if (mnl_socket_setsockopt(sock_.get(), NETLINK_EXT_ACK, &one, sizeof one) < 0) {
    throw SystemError(errno, label_ + ": setsockopt(SOL_NETLINK, NETLINK_EXT_ACK)");
  }
}

MnlSocket::MnlSocket(MnlSocket&&) noexcept = default;
MnlSocket& MnlSocket::operator=(MnlSocket&&) noexcept = default;
MnlSocket::~MnlSocket() = default;

void MnlSocket::talk(nlmsghdr* request, const std::string& what, const std::function<void(const nlmsghdr*)>& on_reply) {
  request->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  exchange(request, what, on_reply);
}

void MnlSocket::dump(nlmsghdr* request, const std::string& what, const std::function<void(const nlmsghdr*)>& on_reply) {
  request->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
  exchange(request, what, on_reply);
}

void MnlSocket::exchange(nlmsghdr* request, const std::string& what,
                         const std::function<void(const nlmsghdr*)>& on_reply) {
  request->nlmsg_seq = ++seq_;
  if (mnl_socket_sendto(sock_.get(), request, request->nlmsg_len) < 0) {
    throw SystemError(errno, label_ + ": " + what + ": send");
  }
  Exchange x{on_reply, 0, {}, {}};
  mnl_cb_t control[NLMSG_MIN_TYPE] = {};
  control[NLMSG_ERROR] = on_error;
  control[NLMSG_DONE] = on_done;
  std::vector<char> buf(kBufferSize);
  int ret = MNL_CB_OK;
  while (ret == MNL_CB_OK) {  // replies, then the ACK, DONE or an error
    const ssize_t n = mnl_socket_recvfrom(sock_.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SystemError(errno, label_ + ": " + what + ": receive");
    ret = mnl_cb_run2(buf.data(), static_cast<std::size_t>(n), seq_, portid_, on_data, &x, control, NLMSG_MIN_TYPE);
  }
  if (x.error != 0) {
    std::string detail = x.kernel_message;
    if (x.error == EPERM) {
      detail +=
          std::string(detail.empty() ? "" : ", ") + "this needs root or CAP_NET_ADMIN: run as root, e.g. with sudo";
    }
    throw NetlinkRequestError(x.error, label_ + ": " + what, detail);
  }
  if (ret < 0) throw SystemError(errno, label_ + ": " + what + ": unexpected reply");
  if (x.failure) std::rethrow_exception(x.failure);
}

}  // namespace synnet
