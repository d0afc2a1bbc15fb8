// The README's "Writing an app" program, compiled and run by ctest so the
// documentation cannot drift from the API. Keep it identical to the README
// (except the shorter run).
#include <iostream>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/examples/clumsy.hpp"
#include "engine/engine.hpp"

using namespace synnet;
using namespace std::chrono_literals;

int main() {
  Engine engine;  // owns the packet pool, apps and links
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60, 61}});
  c.app<Clumsy>("clumsy");
  c.app<Sink>("sink");
  c.link("src.output -> clumsy.input");
  c.link("clumsy.output -> sink.input");
  engine.configure(c);  // validates; errors name the app, port or link
  engine.run({.duration = 200ms});
  engine.report_links(std::cout);
  for (const Counter& k : engine.counters().all()) std::cout << k.app << "." << k.name << " = " << k.value << "\n";
  // Not in the README: the check that makes this a test.
  const auto counters = engine.counters();
  const bool ok = counters.at("clumsy", "forwarded") > 0 &&
                  counters.at("clumsy", "forwarded") + counters.at("clumsy", "dropped_odd_size") ==
                      counters.link("src.output -> clumsy.input").rxpackets;
  return ok ? 0 : 1;
}
