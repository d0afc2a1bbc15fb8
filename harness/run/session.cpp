// session.cpp — see session.hpp.
#include "harness/run/session.hpp"

#include <random>

#include "engine/sys/system_error.hpp"

namespace synnet {

std::uint64_t random_seed() {
  std::random_device rd;
  return (std::uint64_t{rd()} << 32) ^ rd();
}

SetupError setup_failure(const std::string& stage, const std::exception& e) {
  if (is_permission_error(e)) {
    return SetupError(stage + ": " + e.what() +
                      " (synnet-test builds network namespaces: run it as root, e.g. with sudo)");
  }
  return SetupError(stage + ": " + e.what());
}

}  // namespace synnet
