// ctl.cpp — `synnet-test ctl`'s request bodies and views. See ctl.hpp.
#include "harness/control/ctl.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

#include "harness/scenario/profile.hpp"

namespace synnet::ctl {

namespace {

// ---- Small text helpers ---------------------------------------------------

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A JSON value as a person writes it: strings without quotes, the rest compact.
std::string plain(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

std::string text_of(const Json& object, const char* key, const std::string& fallback = "") {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  return plain(*it);
}

const Json& array_of(const Json& object, const char* key) {
  static const Json kEmpty = Json::array();
  if (!object.is_object()) return kEmpty;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

double number_of(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0;
}

// Rows of cells as aligned columns, two spaces apart; `right[i]` aligns column i right.
// Each line is indented by `indent`; `decorate` may wrap a finished line (colour).
std::string table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right,
                  const std::string& indent, const std::vector<std::pair<std::string, std::string>>& decorate = {}) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = indent;
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      const std::string& cell = rows[r][i];
      const std::string pad(width[i] - cell.size(), ' ');
      const bool last = i + 1 == rows[r].size();
      if (i < right.size() && right[i]) {
        line += pad + cell;
      } else {
        line += cell + (last ? "" : pad);
      }
      if (!last) line += "  ";
    }
    if (r < decorate.size() && !decorate[r].first.empty()) line = decorate[r].first + line + decorate[r].second;
    out += line + "\n";
  }
  return out;
}

const char* reason_phrase(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

std::string partition_text(const Json& partition) {
  std::string out;
  for (const Json& group : partition.is_array() ? partition : Json::array()) {
    if (!out.empty()) out += " | ";
    std::string names;
    for (const Json& name : group.is_array() ? group : Json::array()) names += (names.empty() ? "" : ",") + plain(name);
    out += names;
  }
  return out;
}

}  // namespace

// ---- Requests -------------------------------------------------------------

std::vector<LinkPatch> link_patches(const std::map<std::string, std::string>& flags) {
  const std::vector<std::string>& keys = profile_flag_keys();
  for (const auto& [flag, value] : flags) {
    if (!is_impairment_flag(flag)) throw CtlError("--" + flag + ": not an impairment flag");
  }
  if (flags.empty()) {
    throw CtlError("nothing to set: give impairment flags, e.g. --loss 5% or --up-delay 40ms (--help lists them)");
  }
  std::vector<LinkPatch> patches;
  for (const ProfileDirection& d : kProfileDirections) {
    LinkPatch patch{.dir = d.key};
    for (const std::string& key : keys) {
      // The one-way flag wins over the two-way one.
      for (const std::string& flag : {key, std::string(d.flag) + "-" + key}) {
        const auto it = flags.find(flag);
        if (it == flags.end()) continue;
        const std::string& value = it->second;
        if (value == "none" || value == "off") {
          patch.body[key] = nullptr;
        } else if (key == "mtu") {
          const bool digits = !value.empty() && value.size() <= 9 &&
                              std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
          if (!digits) {
            throw CtlError("--" + flag + ": \"" + value +
                           "\" is not a whole number of bytes (e.g. 1400; none removes it)");
          }
          patch.body[key] = std::stoi(value);
        } else {
          patch.body[key] = value;
        }
        patch.flag_of_key[key] = flag;
      }
    }
    // --rate-trace FILE: {"rate": {"trace": FILE}}, the file made absolute (the
    // server reads it, from its own directory).
    std::string flag;
    try {
      flag = rate_trace_flag(flags, d);
    } catch (const ProfileError& e) {
      throw CtlError(e.what());
    }
    if (!flag.empty()) {
      const std::string& value = flags.at(flag);
      if (value == "none" || value == "off") {
        patch.body["rate"] = nullptr;
      } else {
        // A merge patch: a fixed rate's own keys go (a trace has no "rate", "burst" or policer "mode").
        patch.body["rate"] = {{"trace", std::filesystem::absolute(value).lexically_normal().string()},
                              {"rate", nullptr},
                              {"burst", nullptr},
                              {"mode", nullptr}};
      }
      patch.flag_of_key["rate"] = flag;
    }
    if (!patch.body.empty()) patches.push_back(std::move(patch));
  }
  return patches;
}

std::string flag_at(const LinkPatch& patch, std::string_view pointer) {
  if (pointer.size() < 2 || pointer[0] != '/') return "";
  const std::string_view key = pointer.substr(1, pointer.find('/', 1) - 1);
  const auto it = patch.flag_of_key.find(std::string(key));
  return it == patch.flag_of_key.end() ? "" : "--" + it->second;
}

Json partition_body(const std::vector<std::string>& groups) {
  if (groups.size() < 2) {
    throw CtlError("a partition needs at least two groups of hosts, each a comma list: e.g. partition n1,n2 n3");
  }
  Json partition = Json::array();
  std::set<std::string> seen;
  for (const std::string& text : groups) {
    Json group = Json::array();
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = text.find(',', start);
      const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (name.empty()) {
        throw CtlError("group \"" + text +
                       "\": an empty host name (write hosts as n1,n2 with nothing around the commas)");
      }
      if (!seen.insert(name).second) throw CtlError("host \"" + name + "\" is in two groups; a host may be in one");
      group.push_back(name);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    partition.push_back(std::move(group));
  }
  return Json{{"partition", std::move(partition)}};
}

std::string api_error_text(long status, std::string_view body) {
  std::string head = std::to_string(status);
  if (const char* phrase = reason_phrase(status); *phrase != '\0') head += std::string(" ") + phrase;
  const Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object() && doc.contains("error")) {
    std::string text = head + ": " + plain(doc["error"]);
    if (const std::string path = text_of(doc, "path"); !path.empty()) text += " (at " + path + ")";
    return text;
  }
  std::string raw(body);
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r' || raw.back() == ' ')) raw.pop_back();
  if (raw.size() > 300) raw = raw.substr(0, 300) + "...";
  return raw.empty() ? head : head + ": " + raw;
}

// ---- Views ----------------------------------------------------------------

std::string format_direction(const Json& direction) {
  if (!direction.is_object() || direction.empty()) return "-";
  std::string out;
  for (const auto& [key, value] : direction.items()) out += (out.empty() ? "" : ", ") + key + " " + plain(value);
  return out;
}

std::string format_run(const Json& run) {
  std::ostringstream out;
  out << "run " << text_of(run, "name", "(unnamed)") << "  prefix " << text_of(run, "prefix", "?");
  if (const std::string seed = text_of(run, "seed"); !seed.empty()) out << "  seed " << seed;
  if (const std::string file = text_of(run, "file"); !file.empty()) out << "  file " << file;
  out << "\n";
  if (run.contains("api") && run["api"].is_object()) {
    out << "api  " << text_of(run["api"], "socket", "-");
    if (const std::string listen = text_of(run["api"], "listen"); !listen.empty()) out << "  listen " << listen;
    out << "\n";
  }

  out << "\nhosts\n";
  std::vector<std::vector<std::string>> rows;
  for (const Json& host : array_of(run, "hosts")) {
    const Json& interfaces = array_of(host, "interfaces");
    if (interfaces.empty()) rows.push_back({text_of(host, "name"), "netns " + text_of(host, "netns", "-"), "", "", ""});
    bool first = true;
    for (const Json& iface : interfaces) {
      std::string addresses;
      for (const Json& a : array_of(iface, "addresses")) addresses += (addresses.empty() ? "" : " ") + plain(a);
      rows.push_back({first ? text_of(host, "name") : "", first ? "netns " + text_of(host, "netns", "-") : "",
                      text_of(iface, "name"), "link " + text_of(iface, "link", "-"), addresses});
      first = false;
    }
  }
  out << (rows.empty() ? "  (none)\n" : table(rows, {}, "  "));

  out << "\nlinks\n";
  if (array_of(run, "links").empty()) out << "  (none)\n";
  for (const Json& link : array_of(run, "links")) {
    const std::string a = text_of(link, "a"), b = text_of(link, "b");
    out << "  " << text_of(link, "name") << "  (" << a << " <-> " << b << ")\n";
    out << "    a_to_b  " << a << " -> " << b << "  " << format_direction(link.value("a_to_b", Json::object())) << "\n";
    out << "    b_to_a  " << b << " -> " << a << "  " << format_direction(link.value("b_to_a", Json::object())) << "\n";
  }

  if (!array_of(run, "switches").empty()) {
    std::string names;
    for (const Json& s : array_of(run, "switches")) names += (names.empty() ? "" : ", ") + text_of(s, "name");
    out << "\nswitches  " << names << "\n";
  }

  out << "\npartitions";
  if (array_of(run, "partitions").empty())
    out << "  none (every host reaches every other)\n";
  else
    out << "\n";
  for (const Json& p : array_of(run, "partitions")) out << "  " << partition_text(p) << "\n";

  if (!array_of(run, "services").empty()) {
    out << "\nservices\n";
    rows.clear();
    for (const Json& s : array_of(run, "services")) {
      rows.push_back({text_of(s, "host") + "/" + text_of(s, "name"), text_of(s, "state", "?")});
    }
    out << table(rows, {}, "  ");
  }
  return out.str();
}

std::string format_counters(const Json& counters, bool color) {
  std::ostringstream out;
  std::vector<std::vector<std::string>> rows{{"app", "counter", "kind", "value"}};
  std::vector<const Json*> drops;
  for (const Json& c : array_of(counters, "apps")) {
    if (text_of(c, "kind") == "drop") {
      drops.push_back(&c);
      continue;
    }
    rows.push_back({text_of(c, "app"), text_of(c, "name"), text_of(c, "kind"), text_of(c, "value", "0")});
  }
  out << "counters\n" << (rows.size() == 1 ? "  (none)\n" : table(rows, {false, false, false, true}, "  "));

  // Drops that happened first (largest first), then the reasons that did not occur.
  std::stable_sort(drops.begin(), drops.end(),
                   [](const Json* x, const Json* y) { return number_of(*x, "value") > number_of(*y, "value"); });
  rows = {{"app", "counter", "reason", "value"}};
  std::vector<std::pair<std::string, std::string>> decorate{{"", ""}};
  std::uint64_t total = 0;
  for (const Json* c : drops) {
    const double value = number_of(*c, "value");
    total += static_cast<std::uint64_t>(value);
    rows.push_back({text_of(*c, "app"), text_of(*c, "name"), text_of(*c, "reason", "-"), text_of(*c, "value", "0")});
    decorate.emplace_back(color && value > 0 ? std::pair<std::string, std::string>{"\033[1;31m", "\033[0m"}
                                             : std::pair<std::string, std::string>{"", ""});
  }
  out << "\ndrops (" << total << " packets)\n"
      << (drops.empty() ? "  (none)\n" : table(rows, {false, false, false, true}, "  ", decorate));

  const Json& links = array_of(counters, "links");
  if (!links.empty()) {
    rows = {{"link", "txpackets", "txbytes", "rxpackets", "rxbytes", "txdrop"}};
    decorate = {{"", ""}};
    for (const Json& l : links) {
      rows.push_back({text_of(l, "link"), text_of(l, "txpackets", "0"), text_of(l, "txbytes", "0"),
                      text_of(l, "rxpackets", "0"), text_of(l, "rxbytes", "0"), text_of(l, "txdrop", "0")});
      decorate.emplace_back(color && number_of(l, "txdrop") > 0
                                ? std::pair<std::string, std::string>{"\033[1;31m", "\033[0m"}
                                : std::pair<std::string, std::string>{"", ""});
    }
    out << "\nlinks\n" << table(rows, {false, true, true, true, true, true}, "  ", decorate);
  }
  return out.str();
}

WatchFrame watch_frame(const Json& run, const Json& samples, double interval_s) {
  WatchFrame frame;
  std::vector<WatchRow> rows;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  const auto row_of = [&](const std::string& link, const std::string& dir, const std::string& ends) -> WatchRow& {
    const auto [it, added] = index.emplace(std::pair{link, dir}, rows.size());
    if (added) rows.push_back(WatchRow{.link = link, .dir = dir, .ends = ends});
    return rows[it->second];
  };
  for (const Json& link : array_of(run, "links")) {
    const std::string name = text_of(link, "name"), a = text_of(link, "a"), b = text_of(link, "b");
    row_of(name, "a_to_b", a + " -> " + b);
    row_of(name, "b_to_a", b + " -> " + a);
  }
  const std::size_t listed = rows.size();

  // Sums over the samples, divided by their span at the end.
  for (const Json& sample : samples.is_array() ? samples : Json::array()) {
    ++frame.samples;
    frame.t = std::max(frame.t, number_of(sample, "t"));
    if (!sample.contains("links") || !sample["links"].is_object()) continue;
    for (const auto& [link, dirs] : sample["links"].items()) {
      if (!dirs.is_object()) continue;
      for (const auto& [dir, d] : dirs.items()) {
        WatchRow& row = row_of(link, dir, dir);
        row.in_bps += number_of(d, "bytes_in") * 8;
        row.out_bps += number_of(d, "bytes_out") * 8;
        row.in_pps += number_of(d, "packets_in");
        row.out_pps += number_of(d, "packets_out");
        row.queue = static_cast<std::int64_t>(number_of(d, "queue"));
        if (d.contains("drops") && d["drops"].is_object()) {
          for (const auto& [reason, n] : d["drops"].items()) {
            if (n.is_number()) row.drops_per_s[reason] += n.get<double>();
          }
        }
      }
    }
  }
  frame.span_s = static_cast<double>(frame.samples) * interval_s;
  for (WatchRow& row : rows) {
    if (frame.span_s <= 0) break;
    row.in_bps /= frame.span_s;
    row.out_bps /= frame.span_s;
    row.in_pps /= frame.span_s;
    row.out_pps /= frame.span_s;
    for (auto& [reason, n] : row.drops_per_s) n /= frame.span_s;
  }
  // Links the run did not list, in name order after the listed ones.
  std::sort(rows.begin() + static_cast<std::ptrdiff_t>(listed), rows.end(),
            [](const WatchRow& x, const WatchRow& y) { return std::tie(x.link, x.dir) < std::tie(y.link, y.dir); });
  frame.rows = std::move(rows);
  return frame;
}

std::string format_watch(const WatchFrame& frame, std::string_view title) {
  std::string out(title);
  out += "\n";
  if (frame.samples == 0) {
    out += "  no new samples (is the run's engine running?)\n";
    return out;
  }
  std::vector<std::vector<std::string>> rows{
      {"link", "direction", "", "in Mbit/s", "out Mbit/s", "out pkt/s", "queue", "drops/s"}};
  for (const WatchRow& r : frame.rows) {
    std::string drops;
    for (const auto& [reason, n] : r.drops_per_s) drops += (drops.empty() ? "" : ", ") + reason + " " + fixed(n, 1);
    rows.push_back({r.link, r.dir, r.ends == r.dir ? "" : r.ends, fixed(r.in_bps / 1e6, 2), fixed(r.out_bps / 1e6, 2),
                    fixed(r.out_pps, 0), std::to_string(r.queue), drops.empty() ? "-" : drops});
  }
  out += table(rows, {false, false, false, true, true, true, true, false}, "  ");
  return out;
}

}  // namespace synnet::ctl
