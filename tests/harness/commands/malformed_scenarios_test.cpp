// malformed_scenarios_test.cpp — the corpus of malformed scenarios in
// malformed/ (one file per way to get a scenario wrong; see its README.md)
// run through the real synnet-test binary, as a user runs it: each file exits
// 2, and stderr names the file, the JSON path of the mistake and a hint, as
// malformed/EXPECTED says, and no run began (no "run snxxxxx" line); and the
// whole corpus creates nothing: the network namespaces (`ip netns list`), the
// interfaces of this namespace (`ip -o link`), the run state under
// /run/synnet and the processes a run starts (synnet-test, synnet-forward,
// ping, iperf3) are the same after it as before.
//
// Those are the whole machine's, so what another live run does meanwhile (a
// person's, or a test's on a shared machine) is told apart: a name that
// carries the prefix of a run that is alive and not one of ours, and a process
// whose parent is not this one (the test is the subreaper of what its runs
// start) are not ours; what disappeared carrying a run's prefix was another
// run's teardown. Anything else that changed fails the test.
//
// The corpus needs no root: a scenario is parsed before anything needs a
// privilege. As root (ctest -L privileged, which runs these tests serially)
// "creates nothing" is the real claim; without root it holds trivially, and
// the exit codes, paths and hints are still checked.
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <unistd.h>

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
  std::set<std::string> netns;           // `ip netns list`, one name a line ("snk3f9a-a (id: 3)": the name)
  std::set<std::string> interfaces;      // names in this namespace, from `ip -o link`
  std::set<std::string> run_state;       // paths under /run/synnet
  std::map<std::string, int> processes;  // "PID COMM" of the programs a run starts: their parent's pid

  static Snapshot take() {
    Snapshot s;
    std::istringstream netns(output_of({"ip", "netns", "list"}));
    for (std::string line; std::getline(netns, line);) s.netns.insert(line.substr(0, line.find(' ')));
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
      std::string comm, stat;
      std::getline(std::ifstream(entry.path() / "comm"), comm);
      std::getline(std::ifstream(entry.path() / "stat"), stat);  // "PID (COMM) STATE PPID ..."
      const auto paren = stat.rfind(')');
      std::istringstream rest(paren == std::string::npos ? "" : stat.substr(paren + 2));
      std::string state;
      int ppid = 0;
      rest >> state >> ppid;
      for (const char* program : {"synnet-test", "synnet-forward", "ping", "iperf3"}) {
        if (comm == program) s.processes.emplace(pid + " " + comm, ppid);
      }
    }
    return s;
  }
};

// The run prefix a name or path carries ("snk3f9a-wire", "/run/synnet/runs/snk3f9a",
// "/run/synnet/attach/snk3f9a.json"), or "".
std::string prefix_in(const std::string& name) {
  for (const auto& part : fs::path(name)) {
    std::string text = part.string(), stem = part.stem().string();
    if (is_run_prefix(text)) return text;
    if (is_run_prefix(stem)) return stem;
    if (std::string p = run_prefix_of(text); !p.empty()) return p;
  }
  return "";
}

// What changed from `before` to `after` that is not another live run's doing:
// "added: x, y; removed: z", or "" when nothing was. `ours`: our runs' pids.
std::string changed(const std::set<std::string>& before, const std::set<std::string>& after,
                    const std::set<int>& ours) {
  std::string added, removed;
  for (const std::string& x : after) {
    if (before.contains(x)) continue;
    const std::string prefix = prefix_in(x);
    const int pid = prefix.empty() ? 0 : run_pid(prefix);
    if (pid == 0 || ours.contains(pid)) added += (added.empty() ? "" : ", ") + x;
  }
  for (const std::string& x : before) {
    if (!after.contains(x) && prefix_in(x).empty()) removed += (removed.empty() ? "" : ", ") + x;
  }
  if (added.empty() && removed.empty()) return "";
  return "added: " + (added.empty() ? "none" : added) + "; removed: " + (removed.empty() ? "none" : removed);
}

// The programs a run starts that appeared and are ours: children of this process
// (the subreaper of everything our runs started), or started by one of our runs.
std::string processes_added(const Snapshot& before, const Snapshot& after, const std::set<int>& ours) {
  std::string added;
  for (const auto& [process, parent] : after.processes) {
    if (before.processes.contains(process)) continue;
    if (parent == ::getpid() || ours.contains(parent)) added += (added.empty() ? "" : ", ") + process;
  }
  return added;
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
  // What our runs start and leave running becomes our child when its parent ends, so we can tell it apart.
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  std::set<int> ours;
  const Snapshot before = Snapshot::take();
  for (const Expected& e : index) {
    SCOPED_TRACE("malformed/" + e.file + " (EXPECTED line " + std::to_string(e.line) + ")");
    const std::string file = (kCorpus / e.file).string();
    Process run = Process::spawn(-1, {.argv = {kBinary, file}, .deadline = 20s});
    ours.insert(run.pid());
    const ProcessResult r = run.wait();
    EXPECT_EQ(r.exit_code, 2) << r.describe() << "\n" << r.out << r.err;
    const std::string where = "synnet-test: " + file + ": " + e.path + ": ";
    EXPECT_NE(r.err.find(where), std::string::npos) << "no \"" << where << "\" in:\n" << r.err;
    EXPECT_NE(r.err.find(e.hint), std::string::npos) << "no hint \"" << e.hint << "\" in:\n" << r.err;
    EXPECT_EQ(r.err.find(": run sn"), std::string::npos) << "a run began:\n" << r.err;
    EXPECT_EQ(r.out, "") << "a scenario that does not parse runs nothing and reports nothing";
  }
  const Snapshot after = Snapshot::take();
  EXPECT_EQ(changed(before.netns, after.netns, ours), "") << "network namespaces (ip netns list)";
  EXPECT_EQ(changed(before.interfaces, after.interfaces, ours), "") << "interfaces (ip -o link)";
  EXPECT_EQ(changed(before.run_state, after.run_state, ours), "") << "run state under " << kRunsDir;
  EXPECT_EQ(processes_added(before, after, ours), "") << "synnet-test, synnet-forward, ping or iperf3 left running";
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

}  // namespace
}  // namespace synnet
