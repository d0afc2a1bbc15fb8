// session.hpp — what every command that builds a network shares: its setup
// errors, and a seed when the user gave none.
//
//   throw setup_failure("setting up the network", e);  // SetupError; "run it as root" when e was EPERM/EACCES
//   std::uint64_t seed = random_seed();
#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

namespace synnet {

// The network or the engine could not be set up; nothing is left behind.
class SetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "<stage>: <what went wrong>", with a hint to run as root when e is a
// permission error (is_permission_error: EPERM or EACCES).
SetupError setup_failure(const std::string& stage, const std::exception& e);

// A seed for a run that names none (from std::random_device).
std::uint64_t random_seed();

}  // namespace synnet
