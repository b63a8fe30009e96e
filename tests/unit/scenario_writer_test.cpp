// scenario_text_with_overrides (what the workbench offers as "the scenario YAML") and the
// loader's file-reference resolver (how the server confines bonus.units).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "extrasim/config/config.hpp"
#include "extrasim/model/parameters.hpp"
#include "test_support.hpp"

namespace extrasim {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::pair<std::string, std::string>> values(const Scenario& sc) {
  std::vector<std::pair<std::string, std::string>> v;
  for (const Assumption& a : assumptions_of(sc)) v.emplace_back(a.path, a.value);
  return v;
}

Override set(const std::string& path, const std::string& value) { return {path, value, "--set " + path + "=" + value}; }

TEST(ScenarioWriter, TheWrittenTextLoadsAsTheScenarioWithItsOverrides) {
  const std::string file = std::string(EXTRASIM_SOURCE_DIR) + "/scenarios/national-2017.yaml";
  const std::string text = read(file);
  const std::vector<Override> overrides = {
      set("name", "\"national, more places\""),
      set("replications", "50"),
      set("groups.newly_arrived.wage", "19000"),                          // a group by its name
      set("groups.newly_arrived.working_time", "0.75"),                   // a key the text lacks
      set("programme.intake.places", "[{from: 2017-01, value: 3000}, {from: 2018-01, value: 9000}]"),
      set("programme.subsidy.cap_per_day.1.value", "1300"),               // one entry of a timeline
      set("tax.municipal_rate", "0.21"),
  };
  const Scenario expected = load_scenario_text(text, file, overrides);
  const std::string written = scenario_text_with_overrides(text, file, overrides);
  const Scenario loaded = load_scenario_text(written, "written.yaml");
  EXPECT_EQ(values(loaded), values(expected));
  EXPECT_EQ(loaded.name, "national, more places");
  EXPECT_NE(written.find("#   --set groups.newly_arrived.wage=19000"), std::string::npos);  // the changes, named on top
}

TEST(ScenarioWriter, APathTheTextCannotTakeIsLocatedAtItsOverride) {
  const std::string file = std::string(EXTRASIM_SOURCE_DIR) + "/scenarios/motala.yaml";
  try {
    scenario_text_with_overrides(read(file), file, {set("groups.nobody.wage", "1")});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "--set groups.nobody.wage=1");
    EXPECT_EQ(e.path(), "groups.nobody.wage");
  }
}

TEST(FileReferenceResolver, DecidesWhereBonusUnitsIsRead) {
  const std::string file = std::string(EXTRASIM_SOURCE_DIR) + "/scenarios/lund.yaml";
  const std::string text = read(file);
  std::vector<std::string> asked;
  const FileReferenceResolver allow = [&](const std::string& named, const std::string& scenario) {
    asked.push_back(named + " from " + scenario);
    return std::string(EXTRASIM_SOURCE_DIR) + "/data/units-2017.csv";
  };
  EXPECT_EQ(load_scenario_text(text, "virtual/lund.yaml", {}, allow).bonus->units.size(), 311u);
  EXPECT_EQ(asked, std::vector<std::string>{"../data/units-2017.csv from virtual/lund.yaml"});
  const FileReferenceResolver refuse = [](const std::string& named, const std::string&) -> std::string {
    throw InputError({named}, "", "not a file the server may read", "a file under scenarios/, data/");
  };
  try {
    load_scenario_text(text, "virtual/lund.yaml", {}, refuse);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), "bonus.units");
    EXPECT_NE(e.found().find("not a file the server may read"), std::string::npos);
  }
}

}  // namespace
}  // namespace extrasim
