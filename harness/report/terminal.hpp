// terminal.hpp — the parts of the terminal report (terminal.cpp) that the
// JUnit report's <system-out> repeats as plain text.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "harness/report/report.hpp"

namespace synnet {

// "engine counters (non-zero):" and its lines; nothing when all are zero.
void print_counters(std::ostream& out, const RunReport& report, bool color);
// "captures (...):" and a line per file (path, frames, size, what was not
// written); nothing without captures. The terminal report ends with it too.
void print_captures(std::ostream& out, const std::vector<CaptureReport>& captures, bool color);
// "lossy-link: PASS (4 of 4 expectations held) in 12.3 s, seed 42"
std::string summary_line(const RunReport& report, bool color);

}  // namespace synnet
