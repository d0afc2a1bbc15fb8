// report_files.cpp — the report files checked, then written; the replay
// command. See report_files.hpp.
#include "harness/commands/report_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <string_view>
#include <utility>

#include "harness/report/html_report.hpp"

namespace synnet {

namespace {

namespace fs = std::filesystem;

// Why `path` cannot be written, or "".
std::string unwritable(const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) return "it is a folder; name a file in it";
  fs::path dir = p.parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::exists(dir, ec)) return "the folder " + dir.string() + " does not exist; create it or pick another path";
  if (!fs::is_directory(dir, ec)) return dir.string() + " is not a folder; pick another path";
  if (fs::exists(p, ec)) {
    if (::access(path.c_str(), W_OK) != 0) {
      return std::string(std::strerror(errno)) + " (the file exists and cannot be written); pick another path";
    }
  } else if (::access(dir.c_str(), W_OK) != 0) {
    return "cannot create a file in " + dir.string() + " (" + std::strerror(errno) + "); pick another path";
  }
  return "";
}

bool write_text(const std::string& path, const std::string& text, const std::string& flag, std::ostream& err,
                const std::string& who) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    err << who << ": cannot write " << flag << " " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

// Quoted for a POSIX shell when it holds anything but [A-Za-z0-9_./:=@%+,-].
std::string shell_word(const std::string& s) {
  const bool plain = !s.empty() && s.find_first_not_of(
                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789_./:=@%+,-") == std::string::npos;
  if (plain) return s;
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::optional<std::string> ReportFiles::problem() const {
  std::string out;
  for (const auto& [flag, path] :
       {std::pair<const char*, const std::string&>{"--json", json}, {"--junit", junit}, {"--html", html}}) {
    if (path.empty()) continue;
    if (const std::string why = unwritable(path); !why.empty()) {
      out += (out.empty() ? "" : "; ") + std::string(flag) + " " + path + ": " + why;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

bool ReportFiles::write(const RunReport& report, std::ostream& err, const std::string& who) const {
  bool ok = true;
  if (!json.empty() || !html.empty()) {
    const nlohmann::json document = report_json(report);
    if (!json.empty()) ok = write_text(json, document.dump(2) + "\n", "--json", err, who) && ok;
    if (!html.empty()) ok = write_text(html, report_html(document), "--html", err, who) && ok;
  }
  if (!junit.empty()) ok = write_text(junit, report_junit(report), "--junit", err, who) && ok;
  return ok;
}

std::string replay_command(const std::vector<std::string>& args, std::uint64_t seed) {
  static const std::set<std::string_view> kLeftOut = {"--seed", "--json", "--junit", "--html", "--listen"};
  std::vector<std::string> kept = {"synnet-test"};
  std::size_t i = args.empty() ? 0 : 1;
  for (; i < args.size() && args[i] != "--"; ++i) {
    const std::string& a = args[i];
    const auto eq = a.find('=');
    if (kLeftOut.count(a.substr(0, eq))) {
      if (eq == std::string::npos) ++i;  // and its value
      continue;
    }
    kept.push_back(a);
  }
  kept.emplace_back("--seed");
  kept.push_back(std::to_string(seed));
  for (; i < args.size(); ++i) kept.push_back(args[i]);
  std::string out;
  for (const std::string& a : kept) out += (out.empty() ? "" : " ") + shell_word(a);
  return out;
}

}  // namespace synnet
