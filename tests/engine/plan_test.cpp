#include "engine/plan.hpp"

#include <gtest/gtest.h>

#include "engine/apps/basic/join.hpp"
#include "engine/apps/basic/repeater.hpp"
#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"

namespace synnet {
namespace {

using Names = std::vector<std::string>;
using Links = std::vector<LinkSpec>;

Config base() {
  Config c;
  c.app<Source>("src", {.sizes_bytes = {60}});
  c.app<Repeater>("rep", {.max_packets = 10});
  c.app<Sink>("sink");
  c.link("src.output -> rep.input").link("rep.output -> sink.input");
  return c;
}

TEST(Plan, SameConfigKeepsEverything) {
  const ConfigPlan p = plan(base(), base());
  EXPECT_EQ(p.keep, (Names{"rep", "sink", "src"}));
  EXPECT_TRUE(p.start.empty() && p.stop.empty() && p.restart.empty() && p.reconfigure.empty());
  EXPECT_EQ(p.keep_links.size(), 2u);
  EXPECT_TRUE(p.add_links.empty() && p.remove_links.empty());
}

TEST(Plan, FromNothingStartsEverything) {
  const ConfigPlan p = plan(Config{}, base());
  EXPECT_EQ(p.start, (Names{"rep", "sink", "src"}));
  EXPECT_EQ(p.add_links.size(), 2u);
}

TEST(Plan, ToNothingStopsEverything) {
  const ConfigPlan p = plan(base(), Config{});
  EXPECT_EQ(p.stop, (Names{"rep", "sink", "src"}));
  EXPECT_EQ(p.remove_links.size(), 2u);
}

TEST(Plan, ChangedSpecOfAReconfigurableAppIsReconfigured) {
  Config next;
  next.app<Source>("src", {.sizes_bytes = {1500}});  // Source::reconfigure exists
  next.app<Repeater>("rep", {.max_packets = 20});    // so does Repeater::reconfigure
  next.app<Sink>("sink");
  next.link("src.output -> rep.input").link("rep.output -> sink.input");
  const ConfigPlan p = plan(base(), next);
  EXPECT_EQ(p.reconfigure, (Names{"rep", "src"}));
  EXPECT_EQ(p.keep, (Names{"sink"}));
  EXPECT_EQ(p.keep_links.size(), 2u);
}

TEST(Plan, NewClassUnderAnOldNameRestarts) {
  Config next;
  next.app<Source>("src", {.sizes_bytes = {60}});
  next.app<Join>("rep");  // was a Repeater
  next.app<Sink>("sink");
  next.link("src.output -> rep.input").link("rep.output -> sink.input");
  const ConfigPlan p = plan(base(), next);
  EXPECT_EQ(p.restart, (Names{"rep"}));
  EXPECT_EQ(p.keep, (Names{"sink", "src"}));
  EXPECT_EQ(p.keep_links.size(), 2u);  // links whose ends survive stay, even across a restart
}

TEST(Plan, LinksAreAddedAndRemovedByValue) {
  Config next;
  next.app<Source>("src", {.sizes_bytes = {60}});
  next.app<Repeater>("rep", {.max_packets = 10});
  next.app<Sink>("sink");
  next.app<Sink>("sink2");
  next.link("src.output -> rep.input").link("rep.output -> sink2.input");
  const ConfigPlan p = plan(base(), next);
  EXPECT_EQ(p.start, (Names{"sink2"}));
  EXPECT_EQ(p.keep_links, (Links{LinkSpec::parse("src.output -> rep.input")}));
  EXPECT_EQ(p.add_links, (Links{LinkSpec::parse("rep.output -> sink2.input")}));
  EXPECT_EQ(p.remove_links, (Links{LinkSpec::parse("rep.output -> sink.input")}));
}

TEST(Plan, RemovedAppsStopAndTheirLinksGo) {
  Config next;
  next.app<Source>("src", {.sizes_bytes = {60}});
  next.app<Sink>("sink");
  next.link("src.output -> sink.input");
  const ConfigPlan p = plan(base(), next);
  EXPECT_EQ(p.stop, (Names{"rep"}));
  EXPECT_EQ(p.remove_links.size(), 2u);
  EXPECT_EQ(p.add_links.size(), 1u);
}

}  // namespace
}  // namespace synnet
