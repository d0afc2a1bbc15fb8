// report.cpp — RunReport's counts. Its three forms: terminal.cpp, json.cpp, junit.cpp.
#include "harness/report/report.hpp"

namespace synnet {

std::size_t RunReport::checks_total() const noexcept {
  std::size_t n = 0;
  for (const ItemReport& item : items) n += item.checks.size();
  return n;
}

std::size_t RunReport::checks_failed() const noexcept {
  std::size_t n = 0;
  for (const ItemReport& item : items) {
    for (const Check& c : item.checks) n += c.pass ? 0 : 1;
  }
  return n;
}

bool RunReport::passed() const noexcept {
  if (!error.empty()) return false;
  for (const ItemReport& item : items)
    if (!item.passed()) return false;
  for (const ServiceReport& service : services)
    if (!service.passed()) return false;
  return true;
}

}  // namespace synnet
