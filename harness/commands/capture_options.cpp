// capture_options.cpp — the capture's command-line options. See capture_options.hpp.
#include "harness/commands/capture_options.hpp"

#include <CLI/CLI.hpp>
#include <stdexcept>

#include "harness/scenario/units.hpp"

namespace synnet {

std::optional<CaptureSettings> CaptureOptions::settings() const {
  if (dir.empty()) return std::nullopt;
  try {
    return CaptureSettings{.dir = dir, .limit_bytes = parse_bytes(limit), .snap_length = snap_length};
  } catch (const UnitError& e) {
    throw std::invalid_argument("--capture-limit " + limit + ": " + e.what());
  }
}

void add_capture_options(CLI::App& app, CaptureOptions& o) {
  app.add_option("--capture", o.dir,
                 "write DIR/<link>.<direction>.pcapng: every frame as it entered the link's impairments, its fate "
                 "(forwarded after N us, dropped by loss, ...) in a packet comment; "
                 "tshark -r FILE -T fields -e frame.packet_id -e frame.comment")
      ->type_name("DIR");
  app.add_option("--capture-limit", o.limit,
                 "the most a capture file holds; frames beyond it are counted, not written (0B: no limit)")
      ->type_name("SIZE")
      ->default_str("100MB");
  app.add_option("--capture-snaplen", o.snap_length, "bytes kept of each captured frame (0: all of it)")
      ->type_name("BYTES")
      ->default_str("0");
}

}  // namespace synnet
