// Calibration: the loader, the fitted scenario's text, parameter draws from a file, and the
// optimiser recovering known parameters from noisy synthetic data.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>

#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/model/parameters.hpp"
#include "extrasim/simulate/expected.hpp"
#include "extrasim/simulate/runner.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

namespace fs = std::filesystem;

std::string toy_calibration() { return test::source_path("tests/data/calibration/toy-calibration.yaml"); }

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("extrasim-calibration-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream((path_ / name).string()) << text;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

double value_at(Scenario sc, const std::string& path) {
  return number_of(std::get<ParameterRef>(resolve_parameter(sc, path)));
}

}  // namespace

TEST(CalibrationLoader, ReadsTargetsAndParameters) {
  const CalibrationSpec s = load_calibration_file(toy_calibration());
  ASSERT_EQ(s.targets.size(), 4u);
  EXPECT_TRUE(s.targets[0].month.has_value());
  EXPECT_EQ(s.targets[0].month->to_string(), "2016-12");
  EXPECT_EQ(s.targets[1].period, 2);  // 2017 is the run's second year
  EXPECT_EQ(s.targets[2].period, 2);  // from the selector's .2017
  EXPECT_EQ(s.targets[3].period, 3);
  EXPECT_EQ(s.targets[0].source, "synthetic");
  ASSERT_EQ(s.parameters.size(), 2u);
  EXPECT_EQ(s.parameters[0].path, "transitions.fs.xj");
  EXPECT_DOUBLE_EQ(s.parameters[0].start, 0.02);
  EXPECT_DOUBLE_EQ(s.parameters[1].start, 0.6);
  EXPECT_EQ(s.parameters[1].transform, Transform::kLogit);
  EXPECT_EQ(s.method.starts, 3);
  EXPECT_EQ(s.draws, 400);
}

TEST(CalibrationTransforms, RoundTrip) {
  CalibrationParameter p;
  p.lo = 0.01;
  p.hi = 0.9;
  for (Transform t : {Transform::kIdentity, Transform::kLog, Transform::kLogit}) {
    p.transform = t;
    for (double x : {0.01, 0.3, 0.9}) EXPECT_NEAR(p.from_inner(p.to_inner(x)), x, 1e-12) << transform_name(t);
  }
}

TEST(FittedScenario, ReplacesValuesInPlaceKeepsCommentsAndAddsTheDraws) {
  const CalibrationSpec s = load_calibration_file(toy_calibration());
  TempDir dir;
  const std::string text = fitted_scenario_text(s, {"0.0312", "0.755"}, "posterior.csv", dir.path());
  EXPECT_NE(text.find("fs: {xj: 0.0312, job: 0.01, exit: 0.002}   # fitted by extrasim calibrate toy-calibration.yaml; was: xj: "
                      "fitted by the tests"), std::string::npos) << text;
  EXPECT_NE(text.find("extension_probability: 0.755   # fitted by extrasim calibrate toy-calibration.yaml; was: fitted by the tests"),
            std::string::npos) << text;
  EXPECT_NE(text.find("\n  draws: posterior.csv\n"), std::string::npos) << text;
  dir.write("posterior.csv", "transitions.fs.xj,programme.extension_probability\n0.03,0.7\n0.04,0.8\n");
  const Scenario fitted = load_scenario_text(text, dir.path() + "/fitted.yaml");
  EXPECT_DOUBLE_EQ(value_at(fitted, "transitions.fs.xj"), 0.0312);
  EXPECT_DOUBLE_EQ(value_at(fitted, "programme.extension_probability"), 0.755);
  ASSERT_TRUE(fitted.draws.has_value());
  EXPECT_EQ(fitted.draws->rows.size(), 2u);
  ASSERT_EQ(fitted.inputs.size(), 2u);
  EXPECT_TRUE(fitted.inputs[1].path.ends_with("posterior.csv"));
}

TEST(FittedScenario, KeepsTheDistributionsOfPathsNotFitted) {
  TempDir dir;
  dir.write("s.yaml",
            "name: s\ncalendar: {start: 2016-01, months: 12}\ngroups: [{name: g, size: 10}]\n"
            "transitions: {fs: {xj: 0.02, job: 0.01}}\nuncertainty:\n  transitions.fs.xj: {beta: [2, 98]}\n"
            "  transitions.fs.job: {uniform: [0.005, 0.02]}\n\n# the programme\nprogramme:\n  extension_probability: 0.5\n"
            "  on_expiry: {fs: 1}\n");
  const std::string file = dir.write("c.yaml", "name: c\nscenario: s.yaml\ntargets: [{metric: scenario.end.xj, observed: 1, se: 1}]\n"
                                               "parameters: {transitions.fs.xj: {range: [0.001, 0.1]}}\n");
  const CalibrationSpec s = load_calibration_file(file);
  const std::string text = fitted_scenario_text(s, {"0.03"}, "posterior.csv", dir.path());
  EXPECT_EQ(text.find("beta"), std::string::npos) << text;
  EXPECT_NE(text.find("transitions: {fs: {xj: 0.03, job: 0.01}}   # fitted by extrasim calibrate c.yaml\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  transitions.fs.job: {uniform: [0.005, 0.02]}\n\n# the programme\nprogramme:"), std::string::npos) << text;
  dir.write("posterior.csv", "transitions.fs.xj\n0.03\n");
  const Scenario fitted = load_scenario_text(text, dir.path() + "/fitted.yaml");
  ASSERT_EQ(fitted.uncertainty.size(), 1u);
  EXPECT_EQ(fitted.uncertainty[0].path, "transitions.fs.job");
}

TEST(FittedScenario, KeepsWindowsLineEnds) {
  TempDir dir;
  dir.write("s.yaml", "name: s\r\ncalendar: {start: 2016-01, months: 12}\r\ngroups: [{name: g, size: 10}]\r\n"
                      "transitions: {fs: {xj: 0.02}}  # guess\r\nprogramme: {extension_probability: 0.5, on_expiry: {fs: 1}}\r\n");
  const std::string file = dir.write("c.yaml", "name: c\nscenario: s.yaml\ntargets: [{metric: scenario.end.xj, observed: 1, se: 1}]\n"
                                               "parameters: {transitions.fs.xj: {range: [0.001, 0.1]}}\n");
  const std::string text = fitted_scenario_text(load_calibration_file(file), {"0.03"}, "posterior.csv", dir.path());
  EXPECT_NE(text.find("transitions: {fs: {xj: 0.03}}  # fitted by extrasim calibrate c.yaml; was: guess\r\n"), std::string::npos) << text;
  dir.write("posterior.csv", "transitions.fs.xj\n0.03\n");
  EXPECT_DOUBLE_EQ(value_at(load_scenario_text(text, dir.path() + "/fitted.yaml"), "transitions.fs.xj"), 0.03);
}

TEST(ParameterDraws, ReplicationRTakesRowRModN) {
  TempDir dir;
  dir.write("draws.csv", "transitions.fs.job,groups.g.fs_benefit\n0.01,100\n0.02,200\n0.03,300\n");
  const std::string file = dir.write("s.yaml", "name: s\ncalendar: {start: 2016-01, months: 6}\ngroups: [{name: g, size: 50, fs_benefit: 7}]\n"
                                               "transitions: {fs: {job: 0.05}}\nuncertainty: {draws: draws.csv}\n");
  const Scenario sc = load_scenario_file(file);
  for (std::uint64_t r : {0u, 1u, 2u, 3u, 7u}) {
    const Scenario drawn = draw_parameters(sc, r, nullptr);
    EXPECT_DOUBLE_EQ(value_at(drawn, "transitions.fs.job"), 0.01 * static_cast<double>(r % 3 + 1)) << r;
    EXPECT_DOUBLE_EQ(value_at(drawn, "groups.g.fs_benefit"), 100.0 * static_cast<double>(r % 3 + 1)) << r;
  }
}

TEST(ParameterDraws, OneRowIsTheSameRunAsThatValueSet) {
  TempDir dir;
  dir.write("draws.csv", "transitions.fs.job\n0.03\n");
  const std::string body = "name: s\ncalendar: {start: 2016-01, months: 6}\ngroups: [{name: g, size: 200, fs_benefit: 7}]\n"
                           "replications: 12\ntransitions: {fs: {job: 0.03}}\n";
  const Scenario plain = load_scenario_text(body, dir.path() + "/plain.yaml");
  const Scenario drawn = load_scenario_text(body + "uncertainty: {draws: draws.csv}\n", dir.path() + "/drawn.yaml");
  SessionOptions options;
  options.threads = 1;
  const RunResult a = run_monte_carlo(plain, options), b = run_monte_carlo(drawn, options);
  const int fs = index_of(Metric::kMonthsFs);
  EXPECT_EQ(a.total[0][fs].mean, b.total[0][fs].mean);
  EXPECT_EQ(a.total[0][fs].sd, b.total[0][fs].sd);
}

// Synthetic observed values: the engine's expected values at known parameters plus normal
// noise of the stated standard errors (fixed seeds). The optimiser must recover each parameter
// within 3 of its posterior standard deviations (the Laplace approximation's).
TEST(CalibrationRecovery, OptimiserRecoversKnownParametersWithin3Se) {
  const std::string scenario = test::source_path("tests/data/calibration/toy.yaml");
  const double truth[2] = {0.032, 0.78};
  Scenario at_truth = load_scenario_file(scenario);
  set_parameter(at_truth, "transitions.fs.xj", truth[0], "test");
  set_parameter(at_truth, "programme.extension_probability", truth[1], "test");
  const RunResult exact = expected_values(at_truth);
  struct Target {
    std::string metric, period;
    double value;
  };
  const int xj = index_of(Metric::kEndXj), starts = index_of(Metric::kStartsXj), job = index_of(Metric::kMonthsJob);
  std::vector<Target> targets;
  for (int y = 0; y < 3; ++y) {
    const std::string year = std::to_string(2016 + y);
    targets.push_back({"scenario.end.xj", "year: " + year, exact.yearly[static_cast<std::size_t>(y)].summaries[0][xj].mean});
    targets.push_back({"scenario.starts.xj", "year: " + year, exact.yearly[static_cast<std::size_t>(y)].summaries[0][starts].mean});
  }
  targets.push_back({"scenario.end.xj", "month: 2017-06", exact.monthly[17].mean[0][xj]});
  targets.push_back({"scenario.months.job", "", exact.total[0][job].mean});
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    std::mt19937_64 rng(seed);
    std::string text = "name: recovery\nscenario: " + scenario + "\ndraws: 200\nmethod: {type: optimise, starts: 2}\ntargets:\n";
    for (const Target& t : targets) {
      const double se = 0.03 * t.value;
      // Box-Muller on the engine's own words: the same noise on every standard library.
      const double u1 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53, u2 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53;
      const double noise = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
      text += "  - {metric: " + t.metric + (t.period.empty() ? "" : ", " + t.period) + ", observed: " + std::to_string(t.value + se * noise) +
              ", se: " + std::to_string(se) + "}\n";
    }
    text += "parameters:\n  transitions.fs.xj: {range: [0.001, 0.1], transform: logit}\n"
            "  programme.extension_probability: {range: [0.05, 0.95], transform: logit}\n";
    const CalibrationSpec spec = load_calibration_text(text, "recovery.yaml");
    const CalibrationResult r = calibrate(spec, 1);
    for (int j = 0; j < 2; ++j) {
      EXPECT_GT(r.posterior_sd[static_cast<std::size_t>(j)], 0.0);
      EXPECT_LE(std::abs(r.point[static_cast<std::size_t>(j)] - truth[j]), 3 * r.posterior_sd[static_cast<std::size_t>(j)])
          << "seed " << seed << ", " << spec.parameters[static_cast<std::size_t>(j)].path << ": fitted " << r.point[static_cast<std::size_t>(j)]
          << " +- " << r.posterior_sd[static_cast<std::size_t>(j)] << ", truth " << truth[j];
    }
    // About as many as the targets: the objective at the optimum is a chi-square's order.
    EXPECT_LT(r.objective, 4.0 * static_cast<double>(targets.size())) << seed;
  }
}

}  // namespace extrasim
