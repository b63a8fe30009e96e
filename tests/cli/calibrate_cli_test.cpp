// extrasim calibrate as a user meets it: bad calibration files (exit 2, a located message,
// nothing written), the output folder, and the fitted scenario in run, compare, report and
// sweeps (uncertainty: {draws: posterior.csv}).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

namespace fs = std::filesystem;
using clitest::cli;
using clitest::Outcome;
using clitest::run_shell;
using clitest::TempDir;

std::vector<std::string> bad_calibrations() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(test::source_path("tests/inputs/bad-calibration"))) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class BadCalibration : public ::testing::TestWithParam<std::string> {};

// The toy calibration, fitted once for the tests that read its output.
class Fitted : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    outcome_ = new Outcome(cli("calibrate " + test::source_path("tests/data/calibration/toy-calibration.yaml") + " --out " + dir_->file("fit")));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete outcome_;
  }
  static std::string out(const std::string& name) { return dir_->file("fit/" + name); }
  static inline TempDir* dir_ = nullptr;
  static inline Outcome* outcome_ = nullptr;
};

}  // namespace

TEST_P(BadCalibration, ExitsWith2AtTheLineAndColumnAndWritesNothing) {
  TempDir dir;
  const std::string file = test::source_path("tests/inputs/bad-calibration/" + GetParam() + ".yaml");
  std::string expected = test::read_file(test::source_path("tests/inputs/bad-calibration/" + GetParam() + ".expected"));
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  const Outcome o = cli("calibrate " + file + " --out " + dir.file("out"));
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find(expected), std::string::npos) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << "one message: " << o.output;
  EXPECT_FALSE(fs::exists(dir.file("out"))) << "the output folder was made";
}

INSTANTIATE_TEST_SUITE_P(BadInputs, BadCalibration, ::testing::ValuesIn(bad_calibrations()), [](const auto& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

TEST_F(Fitted, WritesItsFilesAndATable) {
  ASSERT_EQ(outcome_->status, 0) << outcome_->output;
  for (const char* name : {"fitted.yaml", "posterior.csv", "fit.csv", "manifest.json"}) EXPECT_TRUE(fs::exists(out(name))) << name;
  EXPECT_NE(outcome_->output.find("objective from expected values"), std::string::npos) << outcome_->output;
  EXPECT_NE(outcome_->output.find("transitions.fs.xj"), std::string::npos);
  const std::string fitted = test::read_file(out("fitted.yaml"));
  EXPECT_NE(fitted.find("# fitted by extrasim calibrate toy-calibration.yaml; was: xj: fitted by the tests"), std::string::npos)
      << "comments kept: " << fitted;
  EXPECT_NE(fitted.find("draws: posterior.csv"), std::string::npos) << fitted;
  const std::string posterior = test::read_file(out("posterior.csv"));
  EXPECT_TRUE(posterior.starts_with("transitions.fs.xj,programme.extension_probability\n")) << posterior.substr(0, 100);
  EXPECT_EQ(std::count(posterior.begin(), posterior.end(), '\n'), 401);  // header + draws: 400
  const auto manifest = nlohmann::json::parse(test::read_file(out("manifest.json")));
  EXPECT_EQ(manifest["provenance"]["inputs"].size(), 2u);  // the calibration and the scenario
  EXPECT_EQ(manifest["provenance"]["inputs"][0]["sha256"].get<std::string>().size(), 64u);
  const std::string fit = test::read_file(out("fit.csv"));
  EXPECT_TRUE(fit.starts_with("target,metric,period,observed,se,simulated,simulated_se,z,source\n")) << fit;
}

TEST_F(Fitted, RefusesToOverwriteWithoutForce) {
  ASSERT_EQ(outcome_->status, 0) << outcome_->output;
  const std::string calibration = test::source_path("tests/data/calibration/toy-calibration.yaml");
  const std::string before = test::read_file(out("fitted.yaml"));
  Outcome o = cli("calibrate " + calibration + " --out " + dir_->file("fit"));
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("already holds fitted.yaml"), std::string::npos) << o.output;
  o = cli("calibrate " + calibration + " --out " + dir_->file("fit") + " --force");
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(test::read_file(out("fitted.yaml")), before) << "the same fit again";
}

TEST_F(Fitted, FittedScenarioRunsWithItsPosteriorEverywhere) {
  ASSERT_EQ(outcome_->status, 0) << outcome_->output;
  Outcome o = cli("run " + out("fitted.yaml") + " --replications 8 --threads 1 --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto json = nlohmann::json::parse(o.output);
  bool draws_listed = false;
  for (const auto& input : json["provenance"]["inputs"]) {
    if (input["path"].get<std::string>().ends_with("posterior.csv")) draws_listed = input["sha256"].get<std::string>().size() == 64;
  }
  EXPECT_TRUE(draws_listed) << json["provenance"].dump();
  // The draws vary the replications: the xj stock's spread is not 0.
  EXPECT_GT(json["metrics"]["scenario"]["end.xj"]["sd"].get<double>(), 0.0);
  o = cli("compare " + out("fitted.yaml") + " " + test::source_path("tests/data/calibration/toy.yaml") + " --replications 8 --threads 1");
  EXPECT_EQ(o.status, 0) << o.output;
  o = cli("report " + out("fitted.yaml") + " --replications 8 --threads 1 --html " + dir_->file("report.html"));
  EXPECT_EQ(o.status, 0) << o.output;
  // The fit on the people chart: the month target (end.xj in 2016-12) as a point with whiskers.
  const std::string html = test::read_file(dir_->file("report.html"));
  EXPECT_NE(html.find("points: observed"), std::string::npos);
  std::size_t points = 0;
  for (std::size_t at = html.find("class='observed'"); at != std::string::npos; at = html.find("class='observed'", at + 1)) ++points;
  EXPECT_EQ(points, 2u) << "one target at a month, and the legend's point";
  const std::string sweep = dir_->write("sweep.yaml", "name: s\nscenario: " + out("fitted.yaml") +
                                                          "\nreplications: 8\ndesign: {type: grid}\nparameters:\n"
                                                          "  transitions.job.fs: {values: [0.01, 0.02]}\nmetrics: [scenario.end.xj]\n");
  o = cli("sweep " + sweep + " --threads 1 --out " + dir_->file("sweep.csv"));
  EXPECT_EQ(o.status, 0) << o.output;
}

// ABC-SMC keys every random number by (seed, stage, particle): the same files on any thread count.
TEST(CalibrateCli, AbcSmcIsTheSameOnOneAndTwoThreads) {
  TempDir dir;
  const std::string file = test::source_path("tests/data/calibration/toy-abc.yaml");
  const Outcome one = cli("calibrate " + file + " --threads 1 --out " + dir.file("one"));
  ASSERT_EQ(one.status, 0) << one.output;
  EXPECT_NE(one.output.find("ABC-SMC with 200 particles"), std::string::npos) << one.output;
  EXPECT_NE(one.output.find("reached tolerance 1"), std::string::npos) << one.output;
  const Outcome two = cli("calibrate " + file + " --threads 2 --out " + dir.file("two"));
  ASSERT_EQ(two.status, 0) << two.output;
  for (const char* name : {"posterior.csv", "fit.csv", "fitted.yaml"}) {
    EXPECT_EQ(test::read_file(dir.file(std::string("one/") + name)), test::read_file(dir.file(std::string("two/") + name))) << name;
  }
}

// The shipped national calibration's committed output: fitted.yaml's expected values are the
// simulated column of its fit.csv (so the committed files agree with each other and the code),
// and every target is met within 2 standard errors.
TEST(CalibrateCli, ShippedNationalFitReproducesItsTargets) {
  const std::string dir = test::source_path("scenarios/calibration/national-fit/");
  const Outcome o = cli("expected " + dir + "fitted.yaml --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto json = nlohmann::json::parse(o.output);
  std::map<std::string, double> months_xj;
  for (const auto& m : json["monthly"]) months_xj[m["month"].get<std::string>()] = m["scenario"]["months.xj"].get<double>();
  std::istringstream fit(test::read_file(dir + "fit.csv"));
  std::string line;
  std::getline(fit, line);
  int rows = 0;
  while (std::getline(fit, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream row(line);
    for (int k = 0; k < 8 && std::getline(row, cell, ','); ++k) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 8u) << line;
    ++rows;
    EXPECT_LE(std::abs(std::stod(cells[7])), 2.0) << line;
    if (cells[1] == "scenario.months.xj") {
      EXPECT_NEAR(months_xj.at(cells[2]), std::stod(cells[5]), 1e-6 * std::stod(cells[5])) << line;
    }
  }
  EXPECT_EQ(rows, 10);
}

#ifdef EXTRASIM_MPIEXEC
// ABC-SMC's particles split over MPI processes: the same files as one process (leak checks off
// under ASan for the MPI run only, as for the MPI sweeps in cli_test.cpp).
TEST(CalibrateCli, AbcSmcOverTwoMpiProcessesWritesTheSameFiles) {
  TempDir dir;
  const std::string file = test::source_path("tests/data/calibration/toy-abc.yaml");
  const Outcome one = cli("calibrate " + file + " --threads 1 --out " + dir.file("one"));
  ASSERT_EQ(one.status, 0) << one.output;
  const std::string environment = test::kSanitized ? "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 " : "";
  const Outcome two = run_shell(environment + EXTRASIM_MPIEXEC + " -n 2 --oversubscribe --allow-run-as-root " + EXTRASIM_CLI +
                                " calibrate " + file + " --threads 1 --out " + dir.file("two"));
  ASSERT_EQ(two.status, 0) << two.output;
  EXPECT_NE(two.output.find("(2 processes)"), std::string::npos) << two.output;
  for (const char* name : {"posterior.csv", "fit.csv", "fitted.yaml"}) {
    EXPECT_EQ(test::read_file(dir.file(std::string("one/") + name)), test::read_file(dir.file(std::string("two/") + name))) << name;
  }
  // A bad file under MPI: reported once, by the root, exit 2.
  const Outcome bad = run_shell(environment + EXTRASIM_MPIEXEC + " -n 2 --oversubscribe --allow-run-as-root " + EXTRASIM_CLI +
                                " calibrate " + test::source_path("tests/inputs/bad-calibration/se-zero.yaml") + " --out " + dir.file("bad"));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("expected a standard error > 0"), std::string::npos) << bad.output;
}
#endif

TEST(CalibrateCli, BadDrawsFileIsLocatedInTheScenario) {
  TempDir dir;
  dir.write("draws.csv", "transitions.fs.job\n0.01\nabc\n");
  const std::string scenario = dir.write("s.yaml", "name: x\ncalendar: {start: 2016-01, months: 3}\ngroups: [{name: g, size: 1}]\n"
                                                   "transitions: {fs: {job: 0.01}}\nuncertainty:\n  draws: draws.csv\n");
  const Outcome o = cli("run " + scenario);
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("s.yaml:6:10: uncertainty.draws: found 'draws.csv': "), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("draws.csv:3:1: transitions.fs.job: found 'abc'"), std::string::npos) << o.output;
  dir.write("draws.csv", "transitions.fs.jobb\n0.01\n");
  const Outcome unknown = cli("run " + scenario);
  EXPECT_EQ(unknown.status, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("the column 'transitions.fs.jobb' of"), std::string::npos) << unknown.output;
}

}  // namespace extrasim
