// malformed_scenarios_test.cpp — the corpus of malformed scenarios in
// malformed/ (one file per way to get a scenario wrong; see its README.md)
// run through the real synnet-test binary, as a user runs it: each file exits
// 2, and stderr names the file, the JSON path of the mistake and a hint, as
// malformed/EXPECTED says; and the whole corpus creates nothing: the network
// namespaces (`ip netns list`), the interfaces of this namespace (`ip -o
// link`), the run state under /run/synnet and the processes a run starts
// (synnet-test, synnet-forward, ping, iperf3) are the same after it as before.
//
// The corpus needs no root: a scenario is parsed before anything needs a
// privilege. As root (ctest -L privileged, which runs these tests serially:
// they look at the whole machine) "creates nothing" is the real claim; without
// root it holds trivially, and the exit codes, paths and hints are still checked.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "netns/process.hpp"
#include "netns/run_id.hpp"

namespace synnet {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(SYNNET_SOURCE_DIR) / "tests/harness/commands/malformed";
const std::string kBinary = SYNNET_TEST_BINARY;

// One line of malformed/EXPECTED: FILE<TAB>JSON PATH<TAB>HINT.
struct Expected {
  std::string file, path, hint;
  int line = 0;
};

std::vector<Expected> read_index() {
  std::ifstream in(kCorpus / "EXPECTED");
  std::vector<Expected> out;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    if (fields.size() != 3 || fields[0].empty() || fields[1].empty() || fields[2].empty()) {
      ADD_FAILURE() << "malformed/EXPECTED line " << number << ": not FILE<TAB>JSON PATH<TAB>HINT: " << line;
      continue;
    }
    out.push_back({fields[0], fields[1], fields[2], number});
  }
  return out;
}

std::string output_of(std::vector<std::string> argv) { return run_process(-1, {.argv = std::move(argv)}).out; }

// What a run could leave on the machine, by name.
struct Snapshot {
  std::string netns;                 // `ip netns list`
  std::set<std::string> interfaces;  // names in this namespace, from `ip -o link`
  std::set<std::string> run_state;   // paths under /run/synnet
  std::set<std::string> processes;   // "PID COMM" of the programs a run starts

  static Snapshot take() {
    Snapshot s;
    s.netns = output_of({"ip", "netns", "list"});
    std::istringstream links(output_of({"ip", "-o", "link"}));
    for (std::string line; std::getline(links, line);) {  // "7: a0@if6: <BROADCAST,...> ..."
      const auto colon = line.find(": ");
      if (colon == std::string::npos) continue;
      const std::string rest = line.substr(colon + 2);
      s.interfaces.insert(rest.substr(0, rest.find_first_of("@:")));
    }
    std::error_code ec;
    for (fs::recursive_directory_iterator it(kRunsDir, ec), end; !ec && it != end; it.increment(ec)) {
      s.run_state.insert(it->path().string());
    }
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string pid = entry.path().filename().string();
      if (!std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
      std::string comm;
      std::getline(std::ifstream(entry.path() / "comm"), comm);
      for (const char* program : {"synnet-test", "synnet-forward", "ping", "iperf3"}) {
        if (comm == program) s.processes.insert(pid + " " + comm);
      }
    }
    return s;
  }
};

// "added: x, y; removed: z" between two sets, or "" when they are equal.
std::string difference(const std::set<std::string>& before, const std::set<std::string>& after) {
  std::string added, removed;
  for (const std::string& x : after) {
    if (!before.contains(x)) added += (added.empty() ? "" : ", ") + x;
  }
  for (const std::string& x : before) {
    if (!after.contains(x)) removed += (removed.empty() ? "" : ", ") + x;
  }
  if (added.empty() && removed.empty()) return "";
  return "added: " + (added.empty() ? "none" : added) + "; removed: " + (removed.empty() ? "none" : removed);
}

TEST(MalformedScenarios, TheIndexListsEveryFileOfTheCorpusAndThereAreAtLeastForty) {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() == ".json") files.insert(entry.path().filename().string());
  }
  std::set<std::string> listed;
  for (const Expected& e : read_index()) {
    EXPECT_TRUE(listed.insert(e.file).second)
        << "malformed/EXPECTED line " << e.line << " lists " << e.file << " again";
    EXPECT_TRUE(files.contains(e.file)) << "malformed/EXPECTED line " << e.line << ": no file " << e.file;
  }
  for (const std::string& f : files) EXPECT_TRUE(listed.contains(f)) << f << " is not in malformed/EXPECTED";
  EXPECT_GE(files.size(), 40u) << "the corpus must not shrink below 40 files";
}

TEST(MalformedScenarios, EachExitsTwoNamingItsPathAndHintAndTheCorpusCreatesNothing) {
  const std::vector<Expected> index = read_index();
  ASSERT_GE(index.size(), 40u);
  const Snapshot before = Snapshot::take();
  for (const Expected& e : index) {
    SCOPED_TRACE("malformed/" + e.file + " (EXPECTED line " + std::to_string(e.line) + ")");
    const std::string file = (kCorpus / e.file).string();
    const ProcessResult r = run_process(-1, {.argv = {kBinary, file}, .deadline = 20s});
    EXPECT_EQ(r.exit_code, 2) << r.describe() << "\n" << r.out << r.err;
    const std::string where = "synnet-test: " + file + ": " + e.path + ": ";
    EXPECT_NE(r.err.find(where), std::string::npos) << "no \"" << where << "\" in:\n" << r.err;
    EXPECT_NE(r.err.find(e.hint), std::string::npos) << "no hint \"" << e.hint << "\" in:\n" << r.err;
    EXPECT_EQ(r.out, "") << "a scenario that does not parse runs nothing and reports nothing";
  }
  const Snapshot after = Snapshot::take();
  EXPECT_EQ(after.netns, before.netns) << "network namespaces (ip netns list)";
  EXPECT_EQ(difference(before.interfaces, after.interfaces), "") << "interfaces (ip -o link)";
  EXPECT_EQ(difference(before.run_state, after.run_state), "") << "run state under " << kRunsDir;
  EXPECT_EQ(difference(before.processes, after.processes), "") << "synnet-test, synnet-forward, ping, iperf3 processes";
}

}  // namespace
}  // namespace synnet
