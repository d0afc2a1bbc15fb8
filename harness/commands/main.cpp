// synnet-test — runs a scenario file: builds its network of namespaces and
// veths, puts the engine's impairments between them, runs real traffic
// (ping, iperf3, any command) and checks what it measured against the
// file's expectations.
//
//   synnet-test SCENARIO.json [--json FILE] [--junit FILE] [--html FILE] [--seed N] [--keep] [--quiet]
//   synnet-test --check SCENARIO.json      validate only
//   synnet-test --cleanup                  remove what killed runs left behind
//   synnet-test run [--loss 2% --delay 40ms ... | --profile FILE] [--peer-cmd CMD] [--json F] [--html F] -- CMD ARGS...
//   synnet-test attach --netns PATH|PID --dev IFNAME [--loss 2% ... | --profile FILE] [--duration S] [--json F] [--html
//   F] synnet-test up SCENARIO.json [--listen ADDR:PORT]   the network up until Ctrl-C or `down` synnet-test down
//   [PREFIX] synnet-test ctl [--run PREFIX | --api URL [--token T]] list|show|set|partition|heal|counters|watch|raw ...
//
// This file is the command line only: options, help texts, and dispatch to
// one file per command (test_command, run_command, attach_command,
// cleanup_command, ctl_command). The exit statuses are exit_status.hpp's: 0 success, 1
// what was tested failed, 2 synnet-test could not do its job (125 under
// `run`, whose status is its command's), 128+N interrupted by signal N.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>

#include "engine/sys/text_file.hpp"
#include "harness/commands/attach_command.hpp"
#include "harness/commands/capture_options.hpp"
#include "harness/commands/cleanup_command.hpp"
#include "harness/commands/ctl_command.hpp"
#include "harness/commands/exit_status.hpp"
#include "harness/commands/report_files.hpp"
#include "harness/commands/run_command.hpp"
#include "harness/commands/test_command.hpp"
#include "harness/commands/up_command.hpp"
#include "harness/run/session.hpp"
#include "harness/scenario/profile.hpp"

using namespace synnet;

namespace {

const char* const kRunDescription =
    "Runs a command in a fresh network namespace (\"self\", 198.18.0.1) whose only link goes\n"
    "through the engine's impairments to a peer namespace (\"peer\", 198.18.0.2), where\n"
    "--peer-cmd runs, or, with --host, to this machine (198.18.0.2 on a veth the run\n"
    "creates). The command finds the addresses in SYNNET_SELF and SYNNET_PEER; its\n"
    "stdin/stdout/stderr are untouched and its exit status is synnet-test's. Ctrl-C goes\n"
    "to the command first; then everything is torn down. A summary of what the engine did\n"
    "goes to stderr.\n\n"
    "Examples:\n"
    "  synnet-test run --loss 2% --delay 40ms -- ping -c 10 198.18.0.2\n"
    "  synnet-test run --rate 10Mbit --peer-cmd 'iperf3 -s' -- sh -c 'iperf3 -c $SYNNET_PEER -t 3'\n"
    "  synnet-test run --up-loss 5% --down-delay 100ms --peer-cmd 'python3 -m http.server 80' -- ./my-tests.sh\n"
    "  synnet-test run --profile slow-link.json -- make test\n"
    "  synnet-test run --host --delay 40ms -- sh -c 'curl http://$SYNNET_PEER:8080/'\n"
    "      the far side is this machine: reach a server running here through the impairments\n"
    "      the profile is a scenario's link object: {\"a_to_b\": {...}, \"b_to_a\": {...}} (a_to_b is up)\n"
    "  synnet-test run --loss 5% --html run.html --json run.json -- ping -c 20 198.18.0.2\n"
    "      also write a report: the command's status and duration, the link's throughput,\n"
    "      drops and queueing delay every 100 ms, the engine's counters (open run.html anywhere)\n\n"
    "Each impairment flag sets both directions; --up-X (self -> peer) and --down-X (back) set one.\n"
    "Values are as in scenario files: --loss 2%, --delay 40ms, --jitter 5ms (extra 0..10 ms),\n"
    "--rate 10Mbit, --duplicate 1%, --corrupt 0.1%, --mtu 1400.\n"
    "--rate-trace FILE: the rate follows a capacity trace in mahimahi's format (one 1500-byte\n"
    "delivery opportunity per line, in ms; mahimahi's own traces work as they are), e.g.\n"
    "  synnet-test run --up-rate-trace scenarios/traces/lte-driving.up \\\n"
    "      --down-rate-trace scenarios/traces/lte-driving.down --delay 20ms -- ./my-tests.sh\n"
    "It replaces --rate for its direction (both for one direction: an error); queue disciplines\n"
    "(codel, pie) and delay or loss traces are a profile's: see scenarios/README.md.\n"
    "Exit status: the command's; 125 when synnet-test failed; 127 when the command could not run.";

const char* const kUpDescription =
    "Builds a scenario's network (hosts, switches, links, routes), starts its engines and\n"
    "services, and keeps it up until Ctrl-C, SIGTERM or `synnet-test down PREFIX`; its traffic\n"
    "and timeline do not run. Your test code steers it through the control API: HTTP + JSON on\n"
    "the run's UNIX socket /run/synnet/PREFIX/api.sock (root only), with --listen also on TCP,\n"
    "where a web page with live plots is served at /. `synnet-test ctl` is its command line.\n\n"
    "Examples:\n"
    "  synnet-test up scenarios/cluster-partition.json --listen 127.0.0.1:8080\n"
    "  curl --unix-socket /run/synnet/PREFIX/api.sock http://synnet/v1/run\n"
    "  curl --unix-socket /run/synnet/PREFIX/api.sock -X PATCH -d '{\"loss\": \"5%\"}' \\\n"
    "       http://synnet/v1/links/n1-s1/a_to_b\n"
    "  curl --unix-socket /run/synnet/PREFIX/api.sock -d '{\"partition\": [[\"n1\"], [\"n2\", \"n3\"]]}' \\\n"
    "       http://synnet/v1/partition\n"
    "  synnet-test down PREFIX\n"
    "The API is described in harness/control/README.md.";

const char* const kAttachDescription =
    "Puts the engine's impairments between an existing network namespace's interface (a\n"
    "container's eth0) and the network it is plugged into, until Ctrl-C or --duration; then\n"
    "restores the namespace exactly: same interface, addresses, routes and link state.\n"
    "The interface moves into a namespace of synnet's, and a veth with its name, MAC, MTU,\n"
    "addresses and routes takes its place; the engine forwards between the two. Processes\n"
    "in the namespace keep running; their sockets keep working.\n\n"
    "Examples:\n"
    "  synnet-test attach --netns $(docker inspect -f '{{.State.Pid}}' web) --dev eth0 --delay 40ms\n"
    "  synnet-test attach --netns /run/netns/ctr --dev eth0 --loss 5% --duration 60\n"
    "  synnet-test attach --netns 1234 --dev eth0 --profile flaky.json --html attach.html &\n"
    "  kill -USR1 $!     # re-read flaky.json and apply it (queued packets are kept)\n"
    "  kill -INT $!      # restore the namespace, write attach.html (the link's plots) and exit\n\n"
    "Up is the namespace -> the network (a_to_b in a profile), down is the way back; the\n"
    "impairment flags and the profile are as for `synnet-test run`. After a kill -9,\n"
    "`synnet-test --cleanup` restores the namespace from the state synnet-test saved in\n"
    "/run/synnet/attach before it changed anything.\n"
    "Exit status: 0 restored; 1 the engine or the restore failed; 2 bad arguments or setup\n"
    "failure (whatever was changed is put back).";

const char* const kDescription =
    "Runs a scenario: builds a small network of namespaces, puts the synnet engine's\n"
    "impairments (loss, delay, jitter, rate, outages, ...) between its hosts, runs real\n"
    "traffic through it and checks what the traffic measured.\n\n"
    "Examples:\n"
    "  synnet-test scenarios/veth-poc.json\n"
    "      the seed's PoC: ping and iperf3 through the engine; exit 0 when all held\n"
    "  synnet-test scenarios/lossy-link.json --json report.json --junit junit.xml\n"
    "      also write the full report as JSON and as JUnit XML for your CI\n"
    "  synnet-test scenarios/lossy-link.json --html report.html\n"
    "      and as one HTML file with plots (throughput, RTT, loss, queueing delay, drops),\n"
    "      the changes marked; it opens in any browser, with no network access\n"
    "  synnet-test scenarios/lossy-link.json --seed 42\n"
    "      replay a run with the seed it printed (same random decisions in the engine)\n"
    "  synnet-test --check my-scenario.json\n"
    "      only validate the file: errors name the JSON path, e.g.\n"
    "      /links/0/a_to_b/rate: \"10 Mbps\" is not a rate (try \"10Mbit\")\n"
    "  synnet-test scenarios/high-latency.json --keep\n"
    "      after the checks, keep the network up and print how to enter it\n"
    "  synnet-test --cleanup\n"
    "      remove the namespaces and processes of runs that were killed (kill -9), and put\n"
    "      back interfaces that a killed `attach` had taken\n"
    "  synnet-test run --loss 2% -- ping -c 10 198.18.0.2\n"
    "      a command behind a flaky link (synnet-test run --help)\n"
    "  synnet-test attach --netns PID --dev eth0 --delay 40ms\n"
    "      a running container's interface behind a flaky link (synnet-test attach --help)\n\n"
    "The scenario format is in scenarios/README.md (JSON Schema:\n"
    "scenarios/synnet-scenario.schema.json). Needs root: it creates network namespaces.\n"
    "Exit status: 0 all expectations held, 1 some failed, 2 bad scenario or setup failure,\n"
    "130/143 interrupted by SIGINT/SIGTERM (everything is torn down).";

const char* const kCtlDescription =
    "Talks to a running network's control API: shows it, changes a link's impairments,\n"
    "cuts and heals partitions, shows counters and live rates. The run is the only one that is\n"
    "up with an API (/run/synnet/<prefix>/api.sock, as `synnet-test up SCENARIO` serves it),\n"
    "or --run PREFIX, or --api URL for one served on TCP (--listen; --token when not on loopback).\n\n"
    "Examples:\n"
    "  synnet-test up scenarios/lossy-link.json &       # in another terminal, or in the background\n"
    "  synnet-test ctl show\n"
    "  synnet-test ctl set a-b --up-loss 100%           # a -> b loses everything\n"
    "  synnet-test ctl set a-b --up-loss none --delay 40ms\n"
    "  synnet-test ctl partition n1,n2 n3              # n3 cut off from n1 and n2\n"
    "  synnet-test ctl heal\n"
    "  synnet-test ctl counters\n"
    "  synnet-test ctl watch                            # rates per link direction, every second\n"
    "  synnet-test ctl raw GET /metrics\n"
    "  synnet-test ctl --run snk3f9a show --json\n"
    "  synnet-test ctl --api http://10.0.0.5:7700 --token $TOKEN show\n\n"
    "The API and curl examples: harness/control/README.md and CLIENTS.md. Needs root for a\n"
    "run's socket (mode 0600).\n"
    "Exit status: 0 done; 2 the API refused (its error is printed, with the JSON path of a bad\n"
    "value), or there is no run or API to talk to.";

const char* const kCtlSetDescription =
    "Changes a link's impairments while the run goes on: one JSON merge patch per direction\n"
    "(PATCH /v1/links/LINK/a_to_b and /b_to_a); the keys not named stay as they are.\n"
    "Each flag sets both directions; --up-X sets a_to_b (a -> b), --down-X b_to_a (b -> a),\n"
    "and wins over --X. Values are as in scenario files; none (or off) removes the impairment.\n"
    "The change is in effect when the command returns; it prints each direction as it is now.\n\n"
    "Examples:\n"
    "  synnet-test ctl set a-b --loss 5%\n"
    "  synnet-test ctl set a-b --up-delay 40ms --down-rate 10Mbit\n"
    "  synnet-test ctl set n1-s1 --up-loss 100%         # cut n1 -> s1 only\n"
    "  synnet-test ctl set a-b --loss none --delay off  # back to no loss, no delay\n"
    "  synnet-test ctl set a-b --mtu 1400 --jitter 5ms\n"
    "  synnet-test ctl set a-b --down-rate-trace scenarios/traces/lte-driving.down\n"
    "      the rate follows a capacity trace (sent as an absolute path: the run reads it)\n"
    "Link names are as in `synnet-test ctl show` (default \"<a>-<b>\").";

const char* const kCtlWatchDescription =
    "A live view, refreshed every second, of each link direction: Mbit/s in and out of its\n"
    "impairment chain, packets/s out, packets queued in the chain, and drops per second by\n"
    "reason (impairment, queue_full, partition, ...). From GET /v1/series (a sample every\n"
    "100 ms). On a terminal it redraws in place; otherwise it prints one block a second.\n"
    "Stops at Ctrl-C, when the run goes away, or after --count refreshes.\n\n"
    "Examples:\n"
    "  synnet-test ctl watch\n"
    "  synnet-test ctl watch --count 10 > rates.txt";

const char* const kCtlRawDescription =
    "Any request to the API; prints the answer's body as it is.\n\n"
    "Examples:\n"
    "  synnet-test ctl raw GET /v1/links/a-b/a_to_b\n"
    "  synnet-test ctl raw PUT /v1/links/a-b/a_to_b '{\"loss\": \"5%\", \"delay\": \"40ms\"}'\n"
    "  synnet-test ctl raw POST /v1/changes '[{\"link\": \"a-b\", \"a_to_b\": {}}, {\"heal\": true}]'\n"
    "  synnet-test ctl raw GET '/v1/series?since=12.5'\n"
    "  synnet-test ctl raw GET /metrics\n"
    "  echo '{\"partition\": [[\"n1\"], [\"n2\", \"n3\"]]}' | synnet-test ctl raw POST /v1/partition -";

// Runs a command; what stops it before it could do its job (bad flags or
// profile, a setup failure) is said as "<who>: <what>" and exits `bad`.
int guarded(const std::string& who, int bad, const std::function<int()>& command) {
  try {
    return command();
  } catch (const ProfileError& e) {
    std::cerr << who << ": " << e.what() << "\n";
  } catch (const SetupError& e) {
    std::cerr << who << ": " << e.what() << "\n";
  } catch (const std::invalid_argument& e) {  // an option's value (--capture-limit 100XB)
    std::cerr << who << ": " << e.what() << "\n";
  }
  return bad;
}

// --loss/--up-loss/--down-loss and the like for every impairment key, into `flags`.
void add_impairment_flags(CLI::App* app, std::map<std::string, std::string>& flags) {
  for (const std::string& key : profile_flag_keys()) {
    const std::string example = key == "loss"                       ? "2%"
                                : key == "rate"                     ? "10Mbit"
                                : key == "mtu"                      ? "1400"
                                : key == "delay" || key == "jitter" ? "40ms"
                                                                    : "1%";
    for (const std::string& flag : {key, "up-" + key, "down-" + key}) {
      const std::string help = flag == key ? key + ", both directions (scenario format, e.g. " + example + ")"
                                           : key + ", " + (flag[0] == 'u' ? "up only" : "down only");
      app->add_option_function<std::string>(
             "--" + flag, [&flags, flag](const std::string& v) { flags[flag] = v; }, help)
          ->type_name("VALUE");
    }
  }
  const std::string trace = kRateTraceFlag;
  for (const std::string& flag : {trace, "up-" + trace, "down-" + trace}) {
    const std::string help = flag == trace
                                 ? "the rate follows a capacity trace FILE (mahimahi's format), both directions"
                                 : std::string("rate trace, ") + (flag[0] == 'u' ? "up only" : "down only");
    app->add_option_function<std::string>(
           "--" + flag, [&flags, flag](const std::string& v) { flags[flag] = v; }, help)
        ->type_name("FILE");
  }
}

}  // namespace

namespace {

int run(int argc, char** argv) {
  CLI::App cli{kDescription, "synnet-test"};
  const std::vector<std::string> command_line(argv, argv + argc);
  const std::string html_help =
      "write the report as one HTML file with plots, self-contained (opens with no network access)";
  const std::string json_help = "write the report as JSON to FILE (scenarios/synnet-report.schema.json)";
  std::string file;
  ReportFiles reports;
  std::optional<std::uint64_t> seed;
  bool keep = false, quiet = false, check_only = false, do_clean = false;
  cli.add_option("SCENARIO", file, "the scenario file (JSON)");
  cli.add_option("--json", reports.json, "write the full report as JSON to FILE")->type_name("FILE");
  cli.add_option("--junit", reports.junit, "write JUnit XML (one testcase per expectation) to FILE")->type_name("FILE");
  cli.add_option("--html", reports.html, html_help)->type_name("FILE");
  CaptureOptions capture;
  add_capture_options(cli, capture);
  cli.add_option("--seed", seed, "the engine's random seed (overrides the file's; printed on every run)");
  cli.add_flag("--keep", keep, "after the checks, keep the network and engine up until Ctrl-C; print how to enter it");
  cli.add_flag("--check", check_only, "only validate the scenario file (needs no root)");
  cli.add_flag("--cleanup", do_clean, "remove the leftovers of killed runs and exit");
  cli.add_flag("-q,--quiet", quiet, "no progress lines, only the report");
  std::string listen;
  const std::string listen_help =
      "serve the control API and web page also on TCP, e.g. 127.0.0.1:8080 (port 0: any free one); on a "
      "non-loopback address every request needs the token printed at start";
  cli.add_option("--listen", listen, listen_help)->type_name("ADDR:PORT");
  CLI::App* up = cli.add_subcommand("up", "build a scenario's network and keep it up, steered through the API");
  up->description(kUpDescription);
  UpOptions up_options;
  up->add_option("SCENARIO", up_options.file, "the scenario file (JSON)")->required();
  up->add_option("--listen", up_options.listen, listen_help)->type_name("ADDR:PORT");
  up->add_option("--seed", up_options.seed, "the engine's random seed (overrides the file's; printed)");
  CLI::App* down = cli.add_subcommand("down", "tear down a run started with `up` (or any run that is up)");
  std::string down_prefix;
  down->add_option("PREFIX", down_prefix, "the run's prefix (default: the only run that is up)");
  CLI::App* run = cli.add_subcommand("run", "run a command behind a flaky link (see: synnet-test run --help)");
  run->description(kRunDescription);
  std::map<std::string, std::string> impairments;
  add_impairment_flags(run, impairments);
  std::string profile, peer_cmd;
  std::vector<std::string> command;
  std::optional<std::uint64_t> run_seed;
  run->add_option("--profile", profile, "impairments from a file: a scenario's link object (a_to_b is up)")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  run->add_option("--peer-cmd", peer_cmd, "run this (through sh -c) on the far side, e.g. a server")->type_name("CMD");
  bool far_side_is_host = false;
  run->add_flag(
      "--host", far_side_is_host,
      "the far side is this machine (198.18.0.2 on a veth the run creates and removes), not a peer namespace");
  run->add_option("--seed", run_seed, "the engine's random seed (printed on every run)");
  std::string run_listen;
  run->add_option("--listen", run_listen, listen_help)->type_name("ADDR:PORT");
  ReportFiles run_reports;
  run->add_option("--json", run_reports.json, json_help)->type_name("FILE");
  run->add_option("--html", run_reports.html, html_help)->type_name("FILE");
  CaptureOptions run_capture;
  add_capture_options(*run, run_capture);
  run->add_option("CMD", command, "the command and its arguments (after --)")->required();
  CLI::App* attach = cli.add_subcommand(
      "attach", "put a running container's interface behind a flaky link (see: synnet-test attach --help)");
  attach->description(kAttachDescription);
  AttachOptions attach_options;
  double attach_seconds = 0;
  attach
      ->add_option("--netns", attach_options.netns,
                   "the namespace: a path (/run/netns/NAME, /proc/PID/ns/net) or a PID")
      ->required()
      ->type_name("PATH|PID");
  attach->add_option("--dev", attach_options.dev, "the interface in that namespace, e.g. eth0")
      ->required()
      ->type_name("IFNAME");
  add_impairment_flags(attach, attach_options.flags);
  attach
      ->add_option("--profile", attach_options.profile,
                   "impairments from a file (a scenario's link object; re-read on SIGUSR1)")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  attach->add_option("--duration", attach_seconds, "restore after this many seconds (default: at Ctrl-C)")
      ->check(CLI::PositiveNumber)
      ->type_name("SECONDS");
  attach->add_option("--seed", attach_options.seed, "the engine's random seed (printed)");
  attach->add_option("--listen", attach_options.listen, listen_help)->type_name("ADDR:PORT");
  attach->add_option("--json", attach_options.reports.json, json_help)->type_name("FILE");
  attach->add_option("--html", attach_options.reports.html, html_help)->type_name("FILE");
  add_capture_options(*attach, attach_options.capture);
  CLI::App* ctl = cli.add_subcommand("ctl", "talk to a running network's control API (see: synnet-test ctl --help)");
  ctl->footer(kCtlDescription);  // after the options: the top-level --help keeps the one-line summary
  ctl->require_subcommand(1);
  CtlOptions ctl_options;
  ctl->add_option("--run", ctl_options.run, "the run, by prefix (default: the only one up with an API)")
      ->type_name("PREFIX");
  ctl->add_option("--api", ctl_options.api, "an API served on TCP instead, e.g. http://127.0.0.1:7700")
      ->type_name("URL");
  ctl->add_option("--token", ctl_options.token, "the bearer token for --api (printed by the run at start)")
      ->type_name("TOKEN");
  const auto ctl_subcommand = [ctl](const char* name, const std::string& help, const std::string& description) {
    CLI::App* sub = ctl->add_subcommand(name, help);
    sub->footer(description);  // `ctl --help` lists the one-liners; `ctl NAME --help` ends with this
    sub->fallthrough();        // --run and --api also after the subcommand
    return sub;
  };
  ctl_subcommand("list", "the runs that serve an API: prefix, scenario name, socket",
                 "Lists the runs that are up with a control API: prefix, scenario name, socket.\n\n"
                 "Example:\n  synnet-test ctl list");
  CLI::App* ctl_show = ctl_subcommand("show", "the run: hosts and addresses, links and their impairments, ...",
                                      "The run (GET /v1/run): its hosts and their addresses, links with each\n"
                                      "direction's impairments now, partitions in force, services.\n\n"
                                      "Examples:\n  synnet-test ctl show\n  synnet-test ctl show --json | jq .links");
  ctl_show->add_flag("--json", ctl_options.json, "print the API's JSON as it is");
  CLI::App* ctl_set =
      ctl_subcommand("set", "change a link's impairments: set LINK --loss 5% --up-delay 40ms ...", kCtlSetDescription);
  ctl_set->add_option("LINK", ctl_options.link, "the link's name, e.g. a-b (ctl show lists them)")->required();
  add_impairment_flags(ctl_set, ctl_options.flags);
  CLI::App* ctl_partition =
      ctl_subcommand("partition", "cut the network into groups of hosts: partition n1,n2 n3",
                     "Cuts the network into groups of hosts that reach only each other (POST\n"
                     "/v1/partition). Each group is a comma list of host names; a host not named\n"
                     "keeps reaching everyone. `ctl heal` ends every partition.\n\n"
                     "Examples:\n  synnet-test ctl partition n1,n2 n3\n"
                     "  synnet-test ctl partition n1 n2 n3      # everyone alone");
  ctl_partition->add_option("GROUPS", ctl_options.groups, "two or more groups, each a comma list: n1,n2")->required();
  ctl_subcommand("heal", "end every partition",
                 "Ends every partition in force (POST /v1/heal).\n\n"
                 "Example:\n  synnet-test ctl heal");
  CLI::App* ctl_counters =
      ctl_subcommand("counters", "the engine's counters: packets, bytes, drops by reason",
                     "The engine's counters (GET /v1/counters): each app's packets and bytes, then the\n"
                     "drops by reason (those that dropped something first; red on a terminal), then the\n"
                     "links between apps.\n\n"
                     "Examples:\n  synnet-test ctl counters\n  synnet-test ctl counters --json");
  ctl_counters->add_flag("--json", ctl_options.json, "print the API's JSON as it is");
  CLI::App* ctl_watch =
      ctl_subcommand("watch", "live rates, queues and drops per link direction, every second", kCtlWatchDescription);
  ctl_watch->add_option("--count", ctl_options.count, "stop after N refreshes")
      ->check(CLI::PositiveNumber)
      ->type_name("N");
  CLI::App* ctl_raw = ctl_subcommand("raw", "any request: raw METHOD PATH [BODY]", kCtlRawDescription);
  ctl_raw->add_option("METHOD", ctl_options.method, "GET, PUT, PATCH, POST, ...")->required();
  ctl_raw->add_option("PATH", ctl_options.path, "e.g. /v1/run")->required();
  ctl_raw->add_option("BODY", ctl_options.body, "a JSON body; - reads it from stdin");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = cli.exit(e);
    return rc == 0 ? exit_status::kOk : (run->parsed() ? exit_status::kRunBad : exit_status::kBad);
  }
  if (up->parsed()) return guarded("synnet-test up", exit_status::kBad, [&] { return run_up(up_options); });
  if (down->parsed()) return guarded("synnet-test down", exit_status::kBad, [&] { return run_down(down_prefix); });
  if (ctl->parsed()) {
    for (const CLI::App* sub : ctl->get_subcommands()) ctl_options.subcommand = sub->get_name();
    return run_ctl(ctl_options);
  }
  if (attach->parsed()) {
    if (attach_seconds > 0) attach_options.duration_s = attach_seconds;
    attach_options.command_line = command_line;
    return guarded("synnet-test attach", exit_status::kBad, [&] { return run_attached(attach_options); });
  }
  if (run->parsed()) {
    return guarded("synnet-test run", exit_status::kRunBad, [&] {
      std::optional<std::string> profile_text = std::string();
      if (!profile.empty() && !(profile_text = read_text(profile))) {
        throw ProfileError("cannot read " + profile + ": " + std::strerror(errno));
      }
      const Scenario s = profile_scenario(impairments, *profile_text, profile);
      return run_wrapped(s, {.argv = command,
                             .peer_cmd = peer_cmd,
                             .far_side_is_host = far_side_is_host,
                             .seed = run_seed,
                             .listen = run_listen,
                             .reports = run_reports,
                             .profile = profile,
                             .command_line = command_line,
                             .capture = run_capture.settings()});
    });
  }
  if (do_clean) return run_cleanup();
  if (file.empty()) {
    std::cerr << "synnet-test: no scenario file given (try: synnet-test scenarios/veth-poc.json; --help for more)\n";
    return exit_status::kBad;
  }
  if (check_only) return check_test_file(file);
  return run_test_file({.file = file,
                        .reports = reports,
                        .command_line = command_line,
                        .seed = seed,
                        .keep = keep,
                        .quiet = quiet,
                        .listen = listen,
                        .capture = capture});
}

}  // namespace

int main(int argc, char** argv) {
  // Every failure a user can cause is handled where it happens; what reaches
  // here is a bug, said as such rather than as std::terminate's abort.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "synnet-test: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "synnet-test: internal error\n";
  }
  return exit_status::kBad;
}
