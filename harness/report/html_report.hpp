// html_report.hpp — a run's report as one self-contained HTML file (--html):
// made from the JSON document report_json() writes (version 4; an older one,
// or one missing keys, gives the parts it has), so the two never disagree.
//
//   write_file("report.html", report_html(report_json(run_report)));
//
// The file opens from disk with no network access: it refers to nothing
// outside itself. It holds, in this order:
//   - inline CSS: uPlot's (harness/control/web/vendor, the live page's copy,
//     from synnet_web) and the report's (harness/report/html/report.css);
//   - the page, written here with every text HTML-escaped: the verdict (PASS
//     or FAIL), scenario, file, seed, prefix, duration, checks held, the
//     command that replays the run (selectable, with a copy button) and the
//     run's error; the changes made to the network (events, or the
//     version-3 timeline strings); per traffic item its command, error,
//     notes, checks table (figure, expected, measured, PASS/FAIL, warning),
//     plot containers and output; per link direction two plot containers;
//     the services; the engine counters (apps and links) as tables; uPlot's
//     licence;
//   - the report document itself, <script type="application/json"
//     id="report-data">, with '<', '>' and '&' written as \u003c, \u003e and
//     \u0026 inside its strings (the only place JSON has them), so no text
//     in it ("</script>", "<!--") can end the element;
//   - uPlot's script, then the report's (harness/report/html/report.js),
//     which draws every plot container from the document with uPlot.
//
// Plot containers are <div class="plot" data-plot=KIND> with data-item=I
// (items[I]) or data-link, data-dir. An item gets "throughput" when it has
// intervals, "rtt" when it has replies, "loss" when it has replies or an
// interval with a lost count, and "queue_delay" when a link direction's
// series has a queue delay during the item (from start to start + seconds).
// A link direction of the series gets "link_throughput" (bit/s in and out)
// and "link_drops" (drops per second stacked by reason) when it had drops.
// report.js's header says how each is drawn.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace synnet {

std::string report_html(const nlohmann::json& report);

// The report document as the text of a <script type="application/json">
// element: dump() with invalid UTF-8 replaced, and '<', '>', '&' escaped as
// \u003c, \u003e, \u0026 (JSON.parse reads it back the same).
std::string script_safe_json(const nlohmann::json& document);

// s with &, <, >, " and ' as character references; invalid UTF-8 becomes U+FFFD.
std::string html_escape(const std::string& s);

}  // namespace synnet
