// progress.cpp — the progress line of a scenario run. See progress.hpp.
#include "harness/report/progress.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "harness/scenario/units.hpp"

namespace synnet {

namespace {

struct Totals {
  std::uint64_t packets_in = 0, bytes_out = 0, dropped = 0;
};

// The first `columns` code points of `text`.
std::string cut(std::string_view text, std::size_t columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (seen == columns) return std::string(text.substr(0, i));
    ++seen;
  }
  return std::string(text);
}

std::string direction_text(const char* arrow, const Totals& t, double seconds) {
  std::string out = arrow;
  out += ' ';
  out += format_rate(static_cast<double>(t.bytes_out) * 8 / seconds, 2);
  if (t.dropped > 0) {
    const double loss = std::min(1.0, static_cast<double>(t.dropped) / static_cast<double>(t.packets_in));
    out += ' ' + format_percent(loss, 2) + " lost";
  }
  return out;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string progress_line(std::string_view head, const std::vector<SeriesSample>& recent, double interval_s,
                          std::size_t width) {
  std::map<std::string, std::map<std::string, Totals>> links;  // link -> direction -> totals
  for (const SeriesSample& s : recent) {
    for (const auto& [link, directions] : s.links) {
      for (const auto& [direction, d] : directions) {
        Totals& t = links[link][direction];
        t.packets_in += d.packets_in;
        t.bytes_out += d.bytes_out;
        for (const auto& [reason, n] : d.drops) t.dropped += n;
      }
    }
  }
  const double seconds = static_cast<double>(recent.size()) * interval_s;
  std::vector<std::string> parts;  // " | <link> → ... ← ..."
  for (const auto& [link, directions] : links) {
    std::string part;
    for (const auto& [direction, arrow] : {std::pair{"a_to_b", "→"}, std::pair{"b_to_a", "←"}}) {
      const auto it = directions.find(direction);
      if (it == directions.end() || it->second.packets_in == 0) continue;
      part += ' ' + direction_text(arrow, it->second, seconds);
    }
    if (!part.empty()) parts.push_back(" | " + link + part);
  }

  std::string line = cut(head, width);
  std::size_t used = display_width(line);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t need = display_width(parts[i]);
    const bool last = i + 1 == parts.size();
    // Room for this link, and (unless it is the last) for what says how many more there are.
    const std::string more = " | +" + std::to_string(parts.size() - i - 1) + " more";
    if (used + need + (last ? 0 : more.size()) <= width) {
      line += parts[i];
      used += need;
      continue;
    }
    const std::string rest = " | +" + std::to_string(parts.size() - i) + " more";
    if (used + rest.size() <= width) line += rest;
    break;
  }
  return line;
}

}  // namespace synnet
