// ping_output.cpp — parse_ping_output: iputils ping's text (LANG=C) into a
// Measurement (see ping_output.hpp). Three kinds of line matter; the rest
// ("PING ...", "From ... Destination Host Unreachable", "pipe 10", blank) is
// ignored:
//
//   64 bytes from 198.18.0.2: icmp_seq=3 ttl=64 time=0.049 ms [(DUP!)]
//   12 packets transmitted, 9 received, +2 duplicates, +1 errors, 25% packet loss, time 616ms
//   rtt min/avg/max/mdev = 0.049/0.064/0.158/0.029 ms
//
// Each request 1..transmitted becomes a ReplyPoint with its first reply's
// time= (a "(DUP!)" line after it changes nothing).
//
// Plain std::string_view and std::from_chars, no <regex>.
#include "harness/measure/ping_output.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "engine/sys/text.hpp"

namespace synnet {
namespace {

// Reads a number at the front of `s` and drops it from `s`; false (and `s`
// untouched) when `s` does not start with one.
template <class T>
bool take_number(std::string_view& s, T& out) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end == s.data()) return false;
  out = value;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

struct Reply {
  std::uint64_t seq = 0;
  std::optional<double> rtt;  // seconds; absent when the line has no readable "time="
};

// "time=0.049 ms" (iputils prints ms; us and s are read too) in seconds.
std::optional<double> reply_time(std::string_view rest) {
  constexpr std::string_view kTime = "time=";
  const auto at = rest.find(kTime);
  if (at == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(at + kTime.size());
  double value = 0;
  if (!take_number(rest, value) || value < 0) return std::nullopt;
  const std::string_view unit = trim(rest).substr(0, trim(rest).find(' '));
  if (unit == "ms") return value * 1e-3;
  if (unit == "us") return value * 1e-6;
  if (unit == "s") return value;
  return std::nullopt;
}

// The icmp_seq and time of an echo reply line ("64 bytes from X: icmp_seq=3
// ttl=64 time=0.049 ms"), nothing for any other line (ICMP errors read "From
// X icmp_seq=3 ...").
std::optional<Reply> reply_of(std::string_view line) {
  const auto from = line.find(" bytes from ");
  if (from == std::string_view::npos) return std::nullopt;
  std::string_view head = line.substr(0, from);
  std::uint64_t bytes = 0;
  if (!take_number(head, bytes) || !head.empty()) return std::nullopt;
  constexpr std::string_view kSeq = "icmp_seq=";
  const auto at = line.find(kSeq, from);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + kSeq.size());
  Reply reply;
  if (!take_number(rest, reply.seq)) return std::nullopt;
  reply.rtt = reply_time(rest);
  return reply;
}

struct Summary {
  std::uint64_t transmitted = 0;
  std::uint64_t received = 0;
  std::uint64_t duplicates = 0;  // read so they are never taken for received packets
  std::uint64_t errors = 0;      // ICMP errors (e.g. Destination Host Unreachable): not received either
};

// "N packets transmitted, M received, [+D duplicates, ][+E errors, ]P% packet
// loss[, time Tms]". Busybox's "M packets received" is accepted too.
std::optional<Summary> parse_summary(std::string_view line) {
  Summary summary;
  bool have_transmitted = false;
  bool have_received = false;
  while (!line.empty()) {
    const auto comma = line.find(',');
    std::string_view field = trim(line.substr(0, comma));
    line = comma == std::string_view::npos ? std::string_view{} : line.substr(comma + 1);
    const bool plus = starts_with(field, "+");
    if (plus) field.remove_prefix(1);
    std::uint64_t n = 0;
    if (!take_number(field, n)) continue;
    field = trim(field);
    if (!plus && field == "packets transmitted") {
      summary.transmitted = n;
      have_transmitted = true;
    } else if (!plus && (field == "received" || field == "packets received")) {
      summary.received = n;
      have_received = true;
    } else if (plus && (field == "duplicates" || field == "duplicate")) {
      summary.duplicates = n;
    } else if (plus && (field == "errors" || field == "error")) {
      summary.errors = n;
    }
  }
  if (!have_transmitted || !have_received) return std::nullopt;
  return summary;
}

struct Rtt {
  double min = 0, avg = 0, max = 0;
  std::optional<double> mdev;  // busybox prints min/avg/max only
};

// "rtt min/avg/max/mdev = 0.049/0.064/0.158/0.029 ms" (or busybox's
// "round-trip min/avg/max = ..."), in seconds.
std::optional<Rtt> parse_rtt(std::string_view line) {
  const auto eq = line.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view rest = trim(line.substr(eq + 1));
  double values[4] = {};
  int n = 0;
  while (n < 4 && take_number(rest, values[n])) {
    ++n;
    if (!starts_with(rest, "/")) break;
    rest.remove_prefix(1);
  }
  if (n < 3) return std::nullopt;
  // iputils appends ", pipe N" when several requests were in flight at once.
  const std::string_view unit = trim(rest.substr(0, rest.find(',')));
  double scale = 0;
  if (unit == "ms") {
    scale = 1e-3;
  } else if (unit == "us") {
    scale = 1e-6;
  } else if (unit == "s") {
    scale = 1;
  } else {
    return std::nullopt;
  }
  Rtt rtt{values[0] * scale, values[1] * scale, values[2] * scale, std::nullopt};
  if (n == 4) rtt.mdev = values[3] * scale;
  return rtt;
}

// Longest run of sequence numbers in 1..last with no reply.
std::uint64_t longest_missing_run(const std::vector<Reply>& replies, std::uint64_t last) {
  std::vector<bool> seen(last + 1, false);
  for (const Reply& r : replies) {
    if (r.seq >= 1 && r.seq <= last) seen[r.seq] = true;
  }
  std::uint64_t longest = 0;
  std::uint64_t run = 0;
  for (std::uint64_t seq = 1; seq <= last; ++seq) {
    run = seen[seq] ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

Measurement parse_ping_output(std::string_view out, std::uint32_t count, std::chrono::nanoseconds interval) {
  Measurement m;
  std::vector<Reply> replies;  // sequence numbers unwrapped
  std::optional<Summary> summary;
  std::optional<Rtt> rtt;
  std::string_view first_line;
  std::uint64_t last_raw_seq = 0;
  std::uint64_t seq_offset = 0;

  std::string_view text = out;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.empty()) continue;
    if (first_line.empty()) first_line = line;

    if (auto reply = reply_of(line)) {
      // icmp_seq is 16 bits: after 65535 ping prints 0, 1, ... again.
      if (!replies.empty() && reply->seq + 32768 < last_raw_seq) seq_offset += 65536;
      last_raw_seq = reply->seq;
      reply->seq += seq_offset;
      replies.push_back(*reply);
    } else if (line.find("packets transmitted") != std::string_view::npos) {
      if (auto s = parse_summary(line)) summary = s;
    } else if (line.find("min/avg/max") != std::string_view::npos) {
      if (auto r = parse_rtt(line)) rtt = r;
    }
  }

  if (!summary) {
    m.error = "ping printed no summary (did it run?)";
    if (!first_line.empty()) m.error += ": " + std::string(first_line);
    return m;
  }

  m.packets_sent = summary->transmitted;
  m.packets_received = summary->received;
  if (summary->transmitted > 0) {
    const auto lost = summary->transmitted - std::min(summary->received, summary->transmitted);
    m.loss = static_cast<double>(lost) / static_cast<double>(summary->transmitted);
  }
  if (rtt) {
    m.rtt_min = rtt->min;
    m.rtt_avg = rtt->avg;
    m.rtt_max = rtt->max;
    m.rtt_mdev = rtt->mdev;
  }
  // Requests ping never sent (stopped early by -w or a signal) are not lost.
  const std::uint64_t last = std::min<std::uint64_t>(count, summary->transmitted);
  if (last > 0) {
    const double interval_s = std::chrono::duration<double>(interval).count();
    const auto run = longest_missing_run(replies, last);
    m.gap = static_cast<double>(run) * interval_s;
    // Every request sent, with its first reply's time (a duplicate's is not its round trip).
    m.replies.resize(last);
    for (std::uint64_t seq = 1; seq <= last; ++seq) {
      m.replies[seq - 1] = {.seq = static_cast<std::uint32_t>(seq), .t = static_cast<double>(seq - 1) * interval_s};
    }
    std::vector<bool> answered(last + 1, false);
    for (const Reply& r : replies) {
      if (r.seq < 1 || r.seq > last || answered[r.seq]) continue;
      answered[r.seq] = true;
      m.replies[r.seq - 1].rtt = r.rtt;
    }
  }
  return m;
}

}  // namespace synnet
