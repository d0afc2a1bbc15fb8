// html_report_fixture.hpp — a version-4 JSON report made by hand, as
// report_json writes it (harness/report/html_report.hpp's input): a ping and
// a UDP iperf3 item with their replies and intervals and bounded checks, one
// link's two directions sampled every 100 ms for 10 s (drops by two reasons,
// queue delays with gaps), two changes, a service and engine counters. Text
// that tries to break out of the HTML (hostile = true) sits in names, commands
// and output. Used by html_report_test.cpp and the browser test of the report.
//
//   nlohmann::json doc = testing::report_v4_fixture();
//   std::string html = report_html(doc);
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace synnet::testing {

// Text that would end a <script> or open a comment if it were not escaped.
inline const std::string kHostile = "</script><script>window.pwned=1</script><!-- & \"quoted\" 'single' <b>bold</b>";

inline nlohmann::json report_v4_fixture(bool hostile = true) {
  using nlohmann::json;
  const std::string extra = hostile ? " " + kHostile : "";
  json replies = json::array();
  for (int seq = 1; seq <= 25; ++seq) {
    const double t = 0.5 + (seq - 1) * 0.2;
    const bool lost = t >= 3.0 && t < 4.0;  // the link cut between 3 s and 4 s
    replies.push_back({{"seq", seq}, {"t", t}, {"rtt", lost ? json() : json(0.040 + 0.001 * (seq % 3))}});
  }
  json intervals = json::array();
  for (int i = 0; i < 3; ++i) {
    intervals.push_back({{"start", 6.0 + i},
                         {"end", 7.0 + i},
                         {"bits_per_second", 9.6e6 + 1e5 * i},
                         {"retransmits", nullptr},
                         {"packets", 857},
                         {"lost", 40 + i}});
  }
  json ab = {{"t", json::array()},           {"packets_in", json::array()},
             {"bytes_in", json::array()},    {"packets_out", json::array()},
             {"bytes_out", json::array()},   {"queue", json::array()},
             {"queue_delay", json::array()}, {"drops", {{"impairment", json::array()}, {"queue_full", json::array()}}}};
  json ba = ab;
  ba["drops"] = {{"impairment", json::array()}};
  for (int i = 1; i <= 100; ++i) {
    const double t = i * 0.1;
    const bool udp = t > 6.0 && t <= 9.0;
    const std::uint64_t packets = udp ? 86 : 5;
    for (json* d : {&ab, &ba}) {
      (*d)["t"].push_back(std::round(t * 10) / 10);
      (*d)["packets_in"].push_back(packets);
      (*d)["bytes_in"].push_back(packets * 1428);
      (*d)["packets_out"].push_back(packets - (udp ? 4 : 0));
      (*d)["bytes_out"].push_back((packets - (udp ? 4 : 0)) * 1428);
      (*d)["queue"].push_back(udp ? 3 : 0);
      (*d)["queue_delay"].push_back(i % 10 == 0 ? json() : json(udp ? 0.004 : 0.0002));
    }
    ab["drops"]["impairment"].push_back(udp ? 4 : (t >= 3.0 && t < 4.0 ? 5 : 0));
    ab["drops"]["queue_full"].push_back(udp && i % 5 == 0 ? 2 : 0);
    ba["drops"]["impairment"].push_back(t >= 3.0 && t < 4.0 ? 1 : 0);
  }
  const auto check = [](const char* figure, const char* expected, const char* measured, double value, bool pass,
                        json min, json max, json warning = nullptr) {
    return json{{"figure", figure}, {"expected", expected}, {"measured", measured}, {"value", value},
                {"pass", pass},     {"warning", warning},   {"min", min},           {"max", max}};
  };
  const json measurement_keys = {{"loss", nullptr},       {"throughput", nullptr}, {"rtt_min", nullptr},
                                 {"rtt_avg", nullptr},    {"rtt_max", nullptr},    {"rtt_mdev", nullptr},
                                 {"jitter", nullptr},     {"gap", nullptr},        {"exit_code", 0},
                                 {"packets_sent", 0},     {"packets_received", 0}, {"retransmits", nullptr},
                                 {"congestion", nullptr}, {"error", nullptr}};
  json ping_m = measurement_keys;
  ping_m["loss"] = 0.2;
  ping_m["rtt_avg"] = 0.041;
  ping_m["packets_sent"] = 25;
  ping_m["packets_received"] = 20;
  json udp_m = measurement_keys;
  udp_m["loss"] = 0.0475;
  udp_m["throughput"] = 9.7e6;
  json ping = {{"name", "ping" + extra},
               {"kind", "ping"},
               {"command", "ip netns exec sn1abcd-a ping -c 25 -i 0.2 198.18.0.2" + extra},
               {"seconds", 5.0},
               {"start", 0.5},
               {"passed", false},
               {"error", nullptr},
               {"measurement", ping_m},
               {"notes", json::array({"a note" + extra})},
               {"output", "PING 198.18.0.2" + extra + "\n"},
               {"errors", ""},
               {"checks", json::array({check("loss", "<= 10%", "20%", 0.2, false, nullptr, 0.1),
                                       check("rtt_avg", "<= 100 ms", "41 ms", 0.041, true, nullptr, 0.1)})},
               {"intervals", json::array()},
               {"replies", replies}};
  json udp = {{"name", "udp"},
              {"kind", "iperf3"},
              {"command", "ip netns exec sn1abcd-a iperf3 -c 198.18.0.2 -u -b 10M -t 3 --json"},
              {"seconds", 3.0},
              {"start", 6.0},
              {"passed", true},
              {"error", nullptr},
              {"measurement", udp_m},
              {"notes", json::array()},
              {"output", ""},
              {"errors", ""},
              {"checks", json::array({check("loss", "3% .. 7%", "4.75%", 0.0475, true, 0.03, 0.07,
                                            "loss bound 3% .. 7% rests on 2571 packets: fine"),
                                      check("throughput", ">= 9 Mbit/s", "9.7 Mbit/s", 9.7e6, true, 9e6, nullptr)})},
              {"intervals", intervals},
              {"replies", json::array()}};
  json service = {{"host", "b"},
                  {"name", "web"},
                  {"command", "python3 -m http.server 80"},
                  {"ended", "killed by SIGTERM"},
                  {"stopped", true},
                  {"seconds", 11.0},
                  {"passed", true},
                  {"failure", nullptr},
                  {"output", "served" + extra + "\n"},
                  {"errors", ""}};
  json apps = json::array({
      {{"app", "a-b_a_to_b_loss"}, {"name", "dropped"}, {"kind", "drop"}, {"reason", "impairment"}, {"value", 130}},
      {{"app", "a-b_a_to_b_loss"}, {"name", "rx_packets"}, {"kind", "packets"}, {"reason", nullptr}, {"value", 900}},
      {{"app", "a-b_a_to_b_rate"}, {"name", "errors"}, {"kind", "error"}, {"reason", nullptr}, {"value", 0}},
  });
  json link_counters = json::array({{{"link", "a-b_a.out -> a-b_a_to_b_loss.in"},
                                     {"txpackets", 900},
                                     {"txbytes", 1285200},
                                     {"rxpackets", 900},
                                     {"rxbytes", 1285200},
                                     {"txdrop", 0}}});
  return {{"version", 4},
          {"scenario", "lossy-link" + extra},
          {"file", "scenarios/lossy-link.json"},
          {"seed", 42},
          {"prefix", "sn1abcd"},
          {"replay", "synnet-test scenarios/lossy-link.json --seed 42"},
          {"passed", false},
          {"seconds", 12.5},
          {"error", nullptr},
          {"checks", {{"total", 4}, {"failed", 1}}},
          {"items", json::array({ping, udp})},
          {"services", json::array({service})},
          {"timeline", json::array({"3.00 s: a-b a_to_b {loss 100%}", "4.00 s: a-b a_to_b {loss 5%}"})},
          {"events", json::array({{{"t", 3.0}, {"source", ""}, {"what", "a-b a_to_b {loss 100%}" + extra}},
                                  {{"t", 4.0}, {"source", "step heal"}, {"what", "a-b a_to_b {loss 5%}"}}})},
          {"series", {{"interval", 0.1}, {"dropped", 0}, {"links", {{"a-b", {{"a_to_b", ab}, {"b_to_a", ba}}}}}}},
          {"counters", {{"apps", apps}, {"links", link_counters}}}};
}

}  // namespace synnet::testing
