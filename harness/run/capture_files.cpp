// capture_files.cpp — a run's pcapng files, one per link direction. See capture_files.hpp.
#include "harness/run/capture_files.hpp"

#include <filesystem>
#include <memory>

#include "engine/sys/system_error.hpp"
#include "harness/run/session.hpp"

namespace synnet {

std::string capture_file_name(const std::string& link, const std::string& direction) {
  return link + "." + direction + ".pcapng";
}

void CaptureFiles::open(const Scenario& s, const CaptureSettings& settings) {
  std::error_code ec;
  std::filesystem::create_directories(settings.dir, ec);
  if (ec) {
    throw SetupError("--capture: cannot make the directory " + settings.dir + ": " + ec.message() +
                     " (give a directory you can write to)");
  }
  for (const ScenarioLink& link : s.links) {
    LinkCaptures& c = captures_[link.name];
    order_.push_back(link.name);
    for (const auto& [direction, capture] : {std::pair{"a_to_b", &c.a_to_b}, std::pair{"b_to_a", &c.b_to_a}}) {
      const std::string path = (std::filesystem::path(settings.dir) / capture_file_name(link.name, direction)).string();
      try {
        *capture = std::make_shared<VerdictCapture>(VerdictCapture::Options{.path = path,
                                                                            .name = link.name + " " + direction,
                                                                            .snap_length = settings.snap_length,
                                                                            .limit_bytes = settings.limit_bytes});
      } catch (const SystemError& e) {
        throw SetupError(std::string("--capture: ") + e.what() + " (give a directory you can write to)");
      }
    }
  }
}

std::vector<CaptureReport> CaptureFiles::close() {
  std::vector<CaptureReport> out;
  for (const std::string& name : order_) {
    const LinkCaptures& c = captures_.at(name);
    for (const auto& [direction, capture] : {std::pair{"a_to_b", &c.a_to_b}, std::pair{"b_to_a", &c.b_to_a}}) {
      CaptureReport r{.link = name, .direction = direction, .path = (*capture)->path()};
      try {
        (*capture)->close();
      } catch (const SystemError& e) {
        r.error = e.what();
      }
      const VerdictCapture::Totals t = (*capture)->totals();
      r.frames = t.frames;
      r.written = t.written;
      r.not_written = t.not_written;
      r.bytes = t.bytes;
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace synnet
