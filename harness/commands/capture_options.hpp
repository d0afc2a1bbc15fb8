// capture_options.hpp — --capture DIR, --capture-limit SIZE and
// --capture-snaplen BYTES, on every command that runs a network (a scenario,
// run, attach): a verdict capture per link direction (run/capture_files.hpp).
//
//   CaptureOptions capture;
//   add_capture_options(*app, capture);             // the three options, with their help
//   std::optional<CaptureSettings> s = capture.settings();   // nullopt without --capture
//   // throws std::invalid_argument: "--capture-limit 100XB: \"100XB\" is not a size (try \"100MB\")"
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/run/capture_files.hpp"

namespace CLI {
class App;
}

namespace synnet {

struct CaptureOptions {
  std::string dir{};            // "" = no capture
  std::string limit = "100MB";  // per file, as parse_bytes reads it; "0B": no limit
  std::uint32_t snap_length = 0;

  std::optional<CaptureSettings> settings() const;
};

void add_capture_options(CLI::App& app, CaptureOptions& options);

}  // namespace synnet
