// capture_files.hpp — CaptureFiles: a run's verdict captures (--capture DIR):
// a pcapng file per scenario link direction, DIR/<link>.<direction>.pcapng,
// holding every frame as it entered that direction's chain with its fate as
// packet comments (engine/apps/capture/verdict_capture.hpp says which).
//
//   CaptureFiles captures;                        // before the Session: it outlives the engines
//   captures.open(scenario, {.dir = "out"});      // makes out/ and the files; throws SetupError
//   bed.capture(captures.captures());             // the engines' configurations get the taps
//   ... run, stop the engines ...
//   report.captures = captures.close();           // per file: frames, written, not written, bytes
//
// Switch paths are not captured (they are not scenario links), and what a
// switch drops (a partition, a frame for no port) it drops after the link's
// chain: such a frame says "forwarded" in its link's file, the switch's
// counters count it. The files are
// complete once close() returns; a file that hit its limit says so in its
// CaptureReport (not_written), as does one that could not be written (error).
// The VerdictCaptures must outlive every packet they follow, so this object
// must outlive the engines: declare it before the Session.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/report/report.hpp"
#include "harness/run/network_engines.hpp"
#include "harness/scenario/scenario.hpp"

namespace synnet {

struct CaptureSettings {
  std::string dir;                          // made if missing (with its parents)
  std::uint64_t limit_bytes = 100'000'000;  // per file; 0: no limit
  std::uint32_t snap_length = 0;            // bytes kept of each frame; 0: all
};

class CaptureFiles {
 public:
  CaptureFiles() = default;
  CaptureFiles(const CaptureFiles&) = delete;
  CaptureFiles& operator=(const CaptureFiles&) = delete;

  // Every link of s, both directions. Throws SetupError naming the directory
  // or file that could not be made, and what to do.
  void open(const Scenario& s, const CaptureSettings& settings);
  const NetworkCaptures& captures() const noexcept { return captures_; }
  bool empty() const noexcept { return captures_.empty(); }
  // After the engines stopped: the frames still followed are written, the
  // files closed. In link order, a_to_b first.
  std::vector<CaptureReport> close();

 private:
  std::vector<std::string> order_;  // link names in scenario order
  NetworkCaptures captures_;
};

// "n1-n2.a_to_b.pcapng"
std::string capture_file_name(const std::string& link, const std::string& direction);

}  // namespace synnet
