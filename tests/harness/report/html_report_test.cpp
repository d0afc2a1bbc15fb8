// html_report_test.cpp — report_html: one self-contained file (uPlot and the
// report's script and style inlined, nothing loaded from anywhere), the
// report document inside it intact and unable to break out of its element
// whatever text it holds, the header, tables and every plot container for a
// version-4 report with ping and iperf3 items, two link directions and
// changes; and the parts it leaves out when there is no series, no items or
// the run failed to start. The plots themselves are drawn in chromium:
// tests/harness/commands/report_browser_test.cpp.
#include "harness/report/html_report.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "harness/control/web_files.hpp"
#include "harness/report/report.hpp"
#include "tests/harness/report/html_report_fixture.hpp"

namespace synnet {
namespace {

using nlohmann::json;

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

// The text of <script type="application/json" id="report-data">.
std::string data_text(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const auto from = html.find(open);
  if (from == std::string::npos) return "";
  const auto to = html.find("</script>", from);
  return html.substr(from + open.size(), to - from - open.size());
}

TEST(HtmlReport, IsOneDocumentWithUPlotAndTheReportScriptInlined) {
  const std::string html = report_html(testing::report_v4_fixture());
  EXPECT_EQ(html.rfind("<!doctype html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_EQ(count(html, "<html"), 1u);
  EXPECT_EQ(count(html, "</html>"), 1u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  // The live page's uPlot, byte for byte, once.
  const WebFile* js = find_web_file("/ui/vendor/uPlot.iife.min.js");
  const WebFile* css = find_web_file("/ui/vendor/uPlot.min.css");
  ASSERT_NE(js, nullptr);
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(count(html, std::string(js->body)), 1u);
  EXPECT_EQ(count(html, std::string(css->body)), 1u);
  EXPECT_EQ(count(html, "var uPlot="), 1u) << "one copy of uPlot";
  EXPECT_NE(html.find("window.synnetReport"), std::string::npos) << "report.js is in";
  EXPECT_NE(html.find("Permission is hereby granted"), std::string::npos) << "uPlot's licence is in";
  // Three scripts (the data, uPlot, report.js), two styles.
  EXPECT_EQ(count(html, "<script"), 3u);
  EXPECT_EQ(count(html, "</script>"), 3u);
  EXPECT_EQ(count(html, "<style>"), 2u);
}

TEST(HtmlReport, RefersToNothingOutsideItself) {
  const std::string html = report_html(testing::report_v4_fixture(/*hostile=*/false));
  EXPECT_EQ(count(html, " src="), 0u) << "no script or image loaded from anywhere";
  EXPECT_EQ(count(html, "href="), 1u);
  EXPECT_NE(html.find("<link rel=\"icon\" href=\"data:,\">"), std::string::npos) << "the one href: an empty icon";
  EXPECT_EQ(count(html, "@import"), 0u);
  EXPECT_EQ(count(html, "url("), 0u);
  EXPECT_EQ(count(html, "fetch("), 0u);
  EXPECT_EQ(count(html, "XMLHttpRequest"), 0u);
  // The one "://" is uPlot's banner comment, /*! https://github.com/leeoniya/uPlot (v1.6.32) */: a comment, not a load.
  EXPECT_EQ(count(html, "://"), 1u);
  EXPECT_EQ(count(html, "/*! https://github.com/leeoniya/uPlot (v1.6.32) */"), 1u);
  EXPECT_EQ(count(html, "//fonts"), 0u);
}

TEST(HtmlReport, HostileTextCannotBreakOut) {
  const json doc = testing::report_v4_fixture(/*hostile=*/true);
  const std::string html = report_html(doc);
  // kHostile holds "</script>" twice and "<!--"; it is in the scenario's name, an item's name, command,
  // notes and output, a change and a service's output. None of it reaches the page as markup.
  EXPECT_EQ(count(html, "</script>"), 3u) << "only the three script elements end";
  EXPECT_EQ(count(html, "<!--"), 0u);
  EXPECT_EQ(count(html, "<script>window.pwned"), 0u) << "never as a script";
  EXPECT_GE(count(html, "&lt;script&gt;window.pwned"), 6u) << "as text, wherever it was";
  EXPECT_EQ(count(html, "<b>bold</b>"), 0u);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;!-- &amp; &quot;quoted&quot; "
                      "&#39;single&#39; &lt;b&gt;bold&lt;/b&gt;"),
            std::string::npos);
  // The document inside reads back as it was.
  const std::string data = data_text(html);
  ASSERT_FALSE(data.empty());
  EXPECT_EQ(data.find('<'), std::string::npos);
  EXPECT_EQ(data.find('>'), std::string::npos);
  EXPECT_EQ(data.find('&'), std::string::npos);
  EXPECT_EQ(json::parse(data), doc);
}

TEST(HtmlReport, InvalidUtf8IsReplacedNotFatal) {
  json doc = testing::report_v4_fixture(false);
  doc["scenario"] = "bad \xff byte";
  doc["items"][0]["output"] = "half \xe2\x82 a euro";
  std::string html;
  ASSERT_NO_THROW(html = report_html(doc));
  EXPECT_NE(html.find("bad \xEF\xBF\xBD byte"), std::string::npos);
  const json back = json::parse(data_text(html));
  EXPECT_EQ(back["scenario"], "bad \xEF\xBF\xBD byte");
}

TEST(HtmlReport, TheHeaderSaysVerdictScenarioSeedReplayAndError) {
  json doc = testing::report_v4_fixture(false);
  doc["error"] = "starting the engine: no such device";
  const std::string html = report_html(doc);
  EXPECT_NE(html.find("<title>FAIL lossy-link — synnet-test report</title>"), std::string::npos);
  EXPECT_NE(html.find("<header id=\"run\" class=\"fail\">\n<h1><span class=\"verdict fail\">FAIL</span> "
                      "<span id=\"scenario\">lossy-link</span></h1>"),
            std::string::npos);
  EXPECT_NE(html.find("<dd id=\"file\">scenarios/lossy-link.json</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dd id=\"seed\">42</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dd id=\"duration\">12.50 s</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dd id=\"held\">3 of 4 held</dd>"), std::string::npos);
  EXPECT_NE(html.find("<code id=\"replay\">synnet-test scenarios/lossy-link.json --seed 42</code>"), std::string::npos);
  EXPECT_NE(html.find("id=\"copy-replay\""), std::string::npos);
  EXPECT_NE(html.find("<p class=\"error\" id=\"run-error\">the run ended early: starting the engine: no such device"),
            std::string::npos);

  doc["passed"] = true;
  doc["error"] = nullptr;
  const std::string passed = report_html(doc);
  EXPECT_NE(passed.find("<title>PASS lossy-link"), std::string::npos);
  EXPECT_EQ(passed.find("run-error"), std::string::npos);
}

TEST(HtmlReport, ChecksChangesServicesAndCountersAreTables) {
  const std::string html = report_html(testing::report_v4_fixture(false));
  EXPECT_NE(html.find("<tr class=\"fail\"><td>loss</td><td>&lt;= 10%</td><td>20%</td><td><span class=\"verdict "
                      "fail\">FAIL</span></td>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"pass\"><td>throughput</td><td>&gt;= 9 Mbit/s</td><td>9.7 Mbit/s</td>"),
            std::string::npos);
  EXPECT_NE(html.find("rests on 2571 packets: fine</td>"), std::string::npos) << "the warning column";
  EXPECT_NE(html.find("<tr><td class=\"num\">3.00 s</td><td>timeline</td><td><code>a-b a_to_b {loss 100%}</code>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>step heal</td>"), std::string::npos);
  EXPECT_NE(html.find("b/web</h3>"), std::string::npos);
  EXPECT_NE(html.find("killed by SIGTERM (stopped at teardown)"), std::string::npos);
  EXPECT_NE(html.find("<details class=\"output\"><summary>stdout</summary><pre>served\n</pre></details>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"drop\"><td>a-b_a_to_b_loss</td><td>dropped</td><td>drop</td><td>impairment</td>"
                      "<td class=\"num\">130</td></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr class=\"error zero\">"), std::string::npos);
  EXPECT_NE(html.find("<td>a-b_a.out -&gt; a-b_a_to_b_loss.in</td><td class=\"num\">900</td>"), std::string::npos);
}

TEST(HtmlReport, EveryPlotContainerIsThere) {
  const std::string html = report_html(testing::report_v4_fixture(false));
  const std::regex plot("<div class=\"plot\" data-plot=\"([a-z_]+)\" ([^>]*)></div>");
  std::vector<std::string> found;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), plot); it != std::sregex_iterator(); ++it) {
    found.push_back((*it)[1].str() + " " + (*it)[2].str());
  }
  const std::vector<std::string> expected = {
      // ping: replies, so rtt and loss; the series has queue delays during it
      "rtt data-item=\"0\"",
      "loss data-item=\"0\"",
      "queue_delay data-item=\"0\"",
      // udp iperf3: intervals with lost counts
      "throughput data-item=\"1\"",
      "loss data-item=\"1\"",
      "queue_delay data-item=\"1\"",
      "link_throughput data-link=\"a-b\" data-dir=\"a_to_b\"",
      "link_drops data-link=\"a-b\" data-dir=\"a_to_b\"",
      "link_throughput data-link=\"a-b\" data-dir=\"b_to_a\"",
      "link_drops data-link=\"a-b\" data-dir=\"b_to_a\"",
  };
  EXPECT_EQ(found, expected);
}

TEST(HtmlReport, PlotsOnlyWhatTheDocumentHas) {
  json doc = testing::report_v4_fixture(false);
  // No drops on b_to_a, no queue delay during the ping (a gap is no delay), TCP without lost counts.
  for (json& v : doc["series"]["links"]["a-b"]["b_to_a"]["drops"]["impairment"]) v = 0;
  for (std::size_t i = 0; i < doc["series"]["links"]["a-b"]["a_to_b"]["t"].size(); ++i) {
    if (doc["series"]["links"]["a-b"]["a_to_b"]["t"][i].get<double>() <= 5.5) {
      doc["series"]["links"]["a-b"]["a_to_b"]["queue_delay"][i] = nullptr;
      doc["series"]["links"]["a-b"]["b_to_a"]["queue_delay"][i] = nullptr;
    }
  }
  for (json& in : doc["items"][1]["intervals"]) {
    in["lost"] = nullptr;
    in["packets"] = nullptr;
    in["retransmits"] = 3;
  }
  const std::string html = report_html(doc);
  EXPECT_EQ(count(html, "data-plot=\"queue_delay\" data-item=\"0\""), 0u);
  EXPECT_EQ(count(html, "data-plot=\"queue_delay\" data-item=\"1\""), 1u);
  EXPECT_EQ(count(html, "data-plot=\"loss\" data-item=\"1\""), 0u);
  EXPECT_EQ(count(html, "data-plot=\"throughput\" data-item=\"1\""), 1u);
  EXPECT_EQ(count(html, "data-plot=\"link_drops\""), 1u);
  EXPECT_NE(html.find("<p class=\"none\">no drops</p>"), std::string::npos);
}

TEST(HtmlReport, NoSeriesNoItemsAndARunErrorStillMakeAPage) {
  // What a run that failed in its setup reports: no items, no series, no events, an error.
  RunReport r;
  r.scenario = "broken";
  r.file = "broken.json";
  r.seed = 7;
  r.error = "setting up the network: Operation not permitted (run as root)";
  const json doc = report_json(r);
  const std::string html = report_html(doc);
  EXPECT_EQ(count(html, "<div class=\"plot\""), 0u);
  EXPECT_NE(html.find("no traffic items"), std::string::npos);
  EXPECT_NE(html.find("no series of the links in this report"), std::string::npos);
  EXPECT_NE(html.find("the run ended early: setting up the network: Operation not permitted"), std::string::npos);
  EXPECT_EQ(json::parse(data_text(html)), doc);

  // A version-3 document: the timeline's strings stand for the events; items without start or intervals.
  json v3 = testing::report_v4_fixture(false);
  for (const char* key : {"events", "series", "replay"}) v3.erase(key);
  for (json& item : v3["items"]) {
    for (const char* key : {"start", "intervals", "replies"}) item.erase(key);
  }
  v3["version"] = 3;
  const std::string old = report_html(v3);
  EXPECT_EQ(count(old, "<div class=\"plot\""), 0u);
  EXPECT_NE(old.find("<li><code>3.00 s: a-b a_to_b {loss 100%}</code></li>"), std::string::npos);
  EXPECT_EQ(old.find("id=\"replay\""), std::string::npos);

  // Not even an object: a page that says nothing, not a crash.
  EXPECT_NO_THROW(report_html(json::array()));
  EXPECT_NO_THROW(report_html(json{{"items", 3}, {"series", {{"links", {{"x", 1}}}}}, {"seed", "text"}}));
}

TEST(HtmlReport, ScriptSafeJsonEscapesOnlyInsideStrings) {
  const json doc = {{"a", "</script><!-- & >"}, {"n", 1}};
  const std::string s = script_safe_json(doc);
  EXPECT_EQ(s, R"({"a":"\u003c/script\u003e\u003c!-- \u0026 \u003e","n":1})");
  EXPECT_EQ(json::parse(s), doc);
  EXPECT_EQ(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
}

}  // namespace
}  // namespace synnet
