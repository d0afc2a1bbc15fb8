// counters_json.hpp — an engine's counters (EngineCounters, the group's sum)
// as the control API serves them (harness/control/README.md):
//
//   Json j = counters_json(c);             // GET /v1/counters
//   // {"apps": [{"app": "ab_a_to_b_loss", "name": "dropped_loss", "kind": "drop", "reason": "impairment",
//   //            "value": 4}, ...],                                // reason only on drops
//   //  "links": [{"link": "a.output -> b.input", "txpackets": 80, "txbytes": 120000, "rxpackets": 80,
//   //             "rxbytes": 120000, "txdrop": 0}, ...]}
//   std::string text = prometheus_text(c, "snx");   // GET /metrics
//
// prometheus_text writes the text exposition format 0.0.4: each family's
// # HELP and # TYPE lines, then its samples, one family after the other:
//   synnet_app_{packets,bytes,events,altered,errors}_total{run,app,counter}  counter (by CounterKind)
//   synnet_app_drops_total{run,app,counter,reason}                           counter
//   synnet_app_gauge{run,app,counter}                                        gauge
//   synnet_app_nanoseconds_total{run,app,counter}                            counter (CounterKind::time)
//   synnet_link_{tx_packets,tx_bytes,rx_packets,rx_bytes,tx_drops}_total{run,link}   counter
// Every family is written, with or without samples; label values are
// escaped as the format says (backslash, double quote, newline).
#pragma once

#include <string>

#include "engine/engine_counters.hpp"
#include "harness/scenario/json_reader.hpp"

namespace synnet {

json_reader::Json counters_json(const EngineCounters& c);
std::string prometheus_text(const EngineCounters& c, const std::string& run_prefix);

}  // namespace synnet
