// report_schema.hpp — validates a JSON report against
// scenarios/synnet-report.schema.json with python3-jsonschema (Debian's
// package, from ci/install), draft 2020-12 like the scenario schema.
//
//   EXPECT_EQ(report_schema_errors(report_json(r), SYNNET_SOURCE_DIR), "");
//
// Returns "" when the report is valid, else one line per error ("items/0/notes: ...").
// A missing python3 or jsonschema is an error too, never a silent pass.
#pragma once

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace synnet::testing {

inline std::string report_schema_errors(const nlohmann::json& report, const std::string& source_dir) {
  char path[] = "/tmp/synnet-report-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return "mkstemp failed";
  ::close(fd);
  std::ofstream(path) << report.dump(2);
  const std::string script =
      "import json, sys\n"
      "try:\n"
      "    import jsonschema\n"
      "except ImportError:\n"
      "    sys.exit('python3-jsonschema is not installed (ci/install installs it)')\n"
      "schema = json.load(open(sys.argv[2]))\n"
      "jsonschema.Draft202012Validator.check_schema(schema)\n"
      "errors = jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[1])))\n"
      "lines = sorted('/'.join(map(str, e.absolute_path)) + ': ' + e.message for e in errors)\n"
      "print('\\n'.join(lines))\n"
      "sys.exit(1 if lines else 0)\n";
  const std::string script_path = std::string(path) + ".py";
  std::ofstream(script_path) << script;
  const std::string command =
      "python3 " + script_path + " " + path + " " + source_dir + "/scenarios/synnet-report.schema.json 2>&1";
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::array<char, 4096> buf;
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  const int status = ::pclose(p);
  std::remove(path);
  std::remove(script_path.c_str());
  if (status == 0) return "";
  return out.empty() ? "python3 failed (status " + std::to_string(status) + ")" : out;
}

}  // namespace synnet::testing
