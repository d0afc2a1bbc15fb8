#include "engine/config.hpp"

#include <gtest/gtest.h>

#include "engine/apps/basic/sink.hpp"
#include "engine/apps/basic/source.hpp"
#include "engine/apps/basic/tee.hpp"
#include "engine/apps/examples/clumsy.hpp"

namespace synnet {
namespace {

// Asserts that `fn` throws ConfigError whose message contains `needle`.
template <class Fn>
void expect_config_error(Fn fn, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "expected ConfigError containing: " << needle;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << needle;
  }
}

TEST(LinkSpec, ParsesWithOrWithoutSpaces) {
  const LinkSpec a = LinkSpec::parse("src.output -> sink.input");
  EXPECT_EQ(a.from_app, "src");
  EXPECT_EQ(a.from_port, "output");
  EXPECT_EQ(a.to_app, "sink");
  EXPECT_EQ(a.to_port, "input");
  EXPECT_EQ(LinkSpec::parse("src.output->sink.input"), a);
  EXPECT_EQ(LinkSpec::parse("  src.output   ->sink.input "), a);
  EXPECT_EQ(a.str(), "src.output -> sink.input");
}

TEST(LinkSpec, MalformedSpecsNameWhatIsWrong) {
  expect_config_error([] { LinkSpec::parse("a.out ->"); }, "link \"a.out ->\": expected \"app.port\" after \"->\"");
  expect_config_error([] { LinkSpec::parse("-> b.in"); }, "expected \"app.port\" before \"->\"");
  expect_config_error([] { LinkSpec::parse("a.out b.in"); }, "no \"->\"");
  expect_config_error([] { LinkSpec::parse("a -> b.in"); }, "\"a\" is not \"app.port\"");
  expect_config_error([] { LinkSpec::parse("a. -> b.in"); }, "bad port name \"\" of app \"a\"");
  expect_config_error([] { LinkSpec::parse("a b.out -> c.in"); }, "bad app name \"a b\"");
  expect_config_error([] { LinkSpec::parse("a.x -> b.y -> c.z"); }, "more than one \"->\"");
  expect_config_error([] { LinkSpec::parse(""); }, "no \"->\"");
}

TEST(Config, BadAppNamesAndDuplicatesAreErrors) {
  Config c;
  expect_config_error([&] { c.app<Sink>("has.dot"); }, "app \"has.dot\": bad name");
  expect_config_error([&] { c.app<Sink>(""); }, "bad name");
  c.app<Sink>("sink");
  expect_config_error([&] { c.app<Sink>("sink"); }, "app \"sink\": defined twice");
  c.app<Source>("src");
  c.link("src.output -> sink.input");
  expect_config_error([&] { c.link("src.output->sink.input"); }, "given twice");
}

TEST(Config, SpecValuesAreValidatedWhenTheAppIsAdded) {
  Config c;
  expect_config_error(
      [&] {
        c.app<Source>("src", {.sizes_bytes = {60, 70000}});
      },
      "app \"src\" (synnet::Source): sizes_bytes: 70000 is not in 1..65664");
  expect_config_error([&] { c.app<Source>("src", {.sizes_bytes = {}}); }, "give at least one frame size");
  EXPECT_TRUE(c.apps().empty());
}

TEST(Config, ValidateFindsDanglingLinks) {
  Config c;
  c.app<Source>("src").app<Sink>("sink").app<Clumsy>("clumsy");
  c.link("src.output -> sinc.input");
  expect_config_error([&] { c.validate(); }, "link \"src.output -> sinc.input\": no app named \"sinc\"");

  Config d;
  d.app<Source>("src").app<Clumsy>("clumsy");
  d.link("src.out -> clumsy.in");
  expect_config_error([&] { d.validate(); }, "app \"clumsy\" (synnet::Clumsy) has no input port \"in\"");

  Config e;
  e.app<Sink>("sink").app<Clumsy>("clumsy");
  e.link("sink.output -> clumsy.input");
  expect_config_error([&] { e.validate(); }, "app \"sink\" (synnet::Sink) has no output port \"output\"");
}

TEST(Config, APortTakesOneLink) {
  Config c;
  c.app<Source>("a").app<Source>("b").app<Clumsy>("clumsy");
  c.link("a.output -> clumsy.input").link("b.output -> clumsy.input");
  expect_config_error([&] { c.validate(); }, "input port \"clumsy.input\" is already linked by");

  Config d;
  d.app<Tee>("tee").app<Sink>("x").app<Sink>("y");
  d.link("tee.out -> x.in").link("tee.out -> y.in");
  expect_config_error([&] { d.validate(); }, "output port \"tee.out\" is already linked by");
}

TEST(Config, AValidNetworkValidates) {
  Config c;
  c.app<Source>("src").app<Tee>("tee").app<Sink>("sink");
  c.link("src.output -> tee.input").link("tee.a -> sink.a").link("tee.b -> sink.b");
  EXPECT_NO_THROW(c.validate());
}

}  // namespace
}  // namespace synnet
