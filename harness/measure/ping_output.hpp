// ping_output.hpp — reads what iputils ping printed (run with LANG=C) into a
// Measurement: loss, rtt min/avg/max/mdev, the longest gap in replies and
// every request's round trip.
//
//   Measurement m = parse_ping_output(out, /*count=*/20, /*interval=*/200ms);
//
// loss = 1 - received/transmitted from the summary line ("20 packets
// transmitted, 19 received, 5% packet loss"; "+N duplicates" and "+N errors"
// are read too: duplicates are not received packets). rtt_* from the
// "rtt min/avg/max/mdev = a/b/c/d ms" line (absent when nothing came back).
// gap = the longest run of icmp_seq values in 1..count with no reply, times
// the interval; replies missing at the end count (a link that never
// recovered shows as a long gap). Requests ping never sent are not counted:
// when it stopped early (-w, a signal) and its summary says fewer than
// `count` were transmitted, the run ends at that number. "From ... icmp_seq=N
// Destination Host Unreachable" lines are not replies ("+N errors" in the
// summary). packets_sent/received from the summary. replies: one entry per
// request ping sent (1..min(count, transmitted)), t = (seq - 1) × interval
// from the item's start, rtt the "time=" of its first reply (a duplicate is
// counted once), absent when none came. Output without a summary
// line gives a Measurement with `error` set: "ping printed no summary (did it
// run?)", then ": " and the first line printed, if any.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "harness/measure/measurement.hpp"

namespace synnet {

Measurement parse_ping_output(std::string_view out, std::uint32_t count, std::chrono::nanoseconds interval);

}  // namespace synnet
