// iperf3_output.cpp — parse_iperf3_json: an iperf3 client's --json output
// into a Measurement (see iperf3_output.hpp). Checked against iperf 3.12,
// whose "end" object holds, for TCP, sum_sent and sum_received, and for UDP,
// sum (sender's bytes and rate, receiver's jitter and loss), sum_sent and
// sum_received (the receiver's own bytes and rate). Older iperf3 versions
// have only "sum" for UDP. Its "intervals" array holds, per interval, a "sum"
// over the streams as the client saw them (see read_intervals).
#include "harness/measure/iperf3_output.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/sys/text.hpp"

namespace synnet {
namespace {

using nlohmann::json;

// At most `max` characters of `text` from its first non-blank one, with each
// run of whitespace shown as one space so an error stays on one line.
std::string excerpt(std::string_view text, std::size_t max) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (kWhitespace.find(c) != std::string_view::npos) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (out.size() >= max) break;
    out += c;
  }
  return out.substr(0, max);
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<double> number(const json& object, const char* key) {
  const json* value = member(object, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

std::optional<std::uint64_t> count(const json& object, const char* key) {
  const json* value = member(object, key);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  if (value->is_number_unsigned()) return value->get<std::uint64_t>();
  const auto signed_value = value->get<std::int64_t>();
  if (signed_value < 0) return std::nullopt;
  return static_cast<std::uint64_t>(signed_value);
}

// end.<key> when it is an object with the given members, else nullptr.
const json* sum_with(const json& end, const char* key, std::initializer_list<const char*> needed) {
  const json* sum = member(end, key);
  if (sum == nullptr || !sum->is_object()) return nullptr;
  for (const char* k : needed) {
    if (member(*sum, k) == nullptr) return nullptr;
  }
  return sum;
}

void read_tcp(const json& end, Measurement& m) {
  const json* received = sum_with(end, "sum_received", {"bits_per_second"});
  if (received == nullptr) {
    m.error = "iperf3 JSON has no end.sum_received.bits_per_second";
    return;
  }
  m.throughput = number(*received, "bits_per_second");
  if (const json* sent = member(end, "sum_sent")) m.retransmits = count(*sent, "retransmits");
  // Results differ by orders of magnitude between congestion controls: a report names the sender's.
  if (const json* cc = member(end, "sender_tcp_congestion"); cc != nullptr && cc->is_string()) {
    m.congestion = cc->get<std::string>();
  }
}

// The receiver's `packets` is the highest sequence number it saw, so
// datagrams lost at the very end are not in its lost_packets. The sender's
// own count (end.sum_sent.packets) is what loss is a fraction of; received =
// packets - lost_packets on the receiver.
void read_udp(const json& end, Measurement& m) {
  const std::initializer_list<const char*> needed = {"bits_per_second", "jitter_ms", "lost_packets", "packets"};
  const json* receiver = sum_with(end, "sum_received", needed);
  if (receiver == nullptr) receiver = sum_with(end, "sum", needed);
  if (receiver == nullptr) {
    m.error =
        "iperf3 JSON has no end.sum_received or end.sum with bits_per_second, jitter_ms, lost_packets and packets";
    return;
  }
  const auto packets = count(*receiver, "packets");
  const auto lost = count(*receiver, "lost_packets");
  const auto jitter_ms = number(*receiver, "jitter_ms");
  if (!packets || !lost || !jitter_ms) {
    m.error = "iperf3 JSON has a UDP sum whose packets, lost_packets or jitter_ms is not a number";
    return;
  }
  m.throughput = number(*receiver, "bits_per_second");
  m.jitter = *jitter_ms / 1000;
  std::uint64_t sent = *packets;
  if (const json* sender = member(end, "sum_sent")) {
    if (const auto sender_packets = count(*sender, "packets"); sender_packets && *sender_packets > 0)
      sent = *sender_packets;
  }
  m.packets_sent = sent;
  // More lost than counted would be a receiver bug; more received than sent
  // means duplicated datagrams. Neither makes a fraction outside 0..1.
  m.packets_received = std::min(*packets - std::min(*lost, *packets), sent);
  if (sent > 0) m.loss = static_cast<double>(sent - m.packets_received) / static_cast<double>(sent);
}

// intervals[].sum, as the client saw it: as the TCP sender it has
// "retransmits"; as the UDP sender "packets" (sent, no loss); as the UDP
// receiver (-R) "packets" and "lost_packets"; as the TCP receiver neither.
// Intervals iperf3 marks "omitted" (-O) are left out, as iperf3 leaves them
// out of its results; an entry without start, end and bits_per_second is
// skipped.
std::vector<IntervalPoint> read_intervals(const json& doc, bool udp) {
  std::vector<IntervalPoint> out;
  const json* intervals = member(doc, "intervals");
  if (intervals == nullptr || !intervals->is_array()) return out;
  for (const json& interval : *intervals) {
    const json* sum = member(interval, "sum");
    if (sum == nullptr) continue;
    if (const json* omitted = member(*sum, "omitted"); omitted != nullptr && omitted->is_boolean() && *omitted) {
      continue;
    }
    const auto start = number(*sum, "start");
    const auto end = number(*sum, "end");
    const auto bps = number(*sum, "bits_per_second");
    if (!start || !end || !bps) continue;
    IntervalPoint p{.start = *start, .end = *end, .bits_per_second = *bps};
    if (udp) {
      p.packets = count(*sum, "packets");
      p.lost = count(*sum, "lost_packets");
    } else {
      p.retransmits = count(*sum, "retransmits");
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace

Measurement parse_iperf3_json(std::string_view json_text, bool udp) {
  Measurement m;
  // One JSON value, then possibly text iperf3 printed after it (it has
  // written "iperf3: error - ..." after a complete JSON document).
  std::istringstream in{std::string(json_text)};
  json doc;
  try {
    in >> doc;
  } catch (const json::exception&) {
    doc = json();
  }
  if (!doc.is_object()) {
    const std::string shown = excerpt(json_text, 80);
    m.error = "iperf3 output is not JSON: " + (shown.empty() ? std::string("(no output)") : shown);
    return m;
  }
  // What was measured before an error stays: the intervals come first.
  m.intervals = read_intervals(doc, udp);
  if (const json* error = member(doc, "error")) {
    m.error = "iperf3: " + (error->is_string() ? error->get<std::string>() : error->dump());
    return m;
  }

  if (const json* start = member(doc, "start")) {
    if (const json* test_start = member(*start, "test_start")) {
      if (const json* protocol = member(*test_start, "protocol"); protocol != nullptr && protocol->is_string()) {
        const std::string expected = udp ? "UDP" : "TCP";
        if (protocol->get<std::string>() != expected) {
          m.error = "iperf3 ran a " + protocol->get<std::string>() + " test, not " + expected;
          m.intervals.clear();  // read as the wrong protocol
          return m;
        }
      }
    }
  }

  const json* end = member(doc, "end");
  if (end == nullptr || !end->is_object()) {
    m.error = "iperf3 JSON has no \"end\" object";
    return m;
  }
  if (udp) {
    read_udp(*end, m);
  } else {
    read_tcp(*end, m);
  }

  if (m.error.empty()) {
    std::string rest;
    std::getline(in >> std::ws, rest);
    if (!rest.empty()) m.error = rest.rfind("iperf3", 0) == 0 ? rest : "iperf3 printed after its JSON: " + rest;
  }
  return m;
}

}  // namespace synnet
