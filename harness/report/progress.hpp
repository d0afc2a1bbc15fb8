// progress.hpp — the one line a scenario run keeps rewriting on a terminal
// while its traffic runs (runner.hpp): the item, and per scenario link the
// rate and loss of each direction that carries traffic, from the series.
//
//   std::string line = progress_line("[2/5] udp (iperf3) 3.2 s of ~5 s", series.last(10), 0.1, 100);
//   // "[2/5] udp (iperf3) 3.2 s of ~5 s | n1-n2 → 9.5 Mbit/s 1.2% lost ← 96 kbit/s"
//
// Over the samples given (the last second, say), per link direction: the
// rate is the bytes that left it towards the far end (bytes_out) as bits per
// second of the samples' span (their count × interval_s), with 2 significant
// digits; the loss is its drops over the packets that entered it, shown when
// above 0. "→" is a_to_b, "←" b_to_a; a direction nothing entered is left
// out, and a link with neither. Links are in name order, each after " | ".
// The line is at most `width` columns (a code point is a column): links that
// do not fit become " | +N more"; a head longer than the width is cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/series.hpp"

namespace synnet {

std::string progress_line(std::string_view head, const std::vector<SeriesSample>& recent, double interval_s,
                          std::size_t width);

// Columns `text` takes on a terminal: its UTF-8 code points.
std::size_t display_width(std::string_view text);

}  // namespace synnet
