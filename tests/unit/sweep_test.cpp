#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "extrasim/error.hpp"
#include "extrasim/studies/sensitivity.hpp"
#include "extrasim/studies/sweep.hpp"
#include "extrasim/results/sweep_results.hpp"
#include "sweep_support.hpp"
#include "test_support.hpp"

namespace extrasim {

TEST(Sweep, GridVariesTheLastParameterFastest) {
  SweepSpec spec;
  spec.parameters = {{"a", {1, 2}}, {"b", {10, 20, 30}}};
  const auto points = sweep_points(spec);
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(points[0], (std::vector<double>{1, 10}));
  EXPECT_EQ(points[1], (std::vector<double>{1, 20}));
  EXPECT_EQ(points[5], (std::vector<double>{2, 30}));
}

TEST(Sweep, LatinHypercubeHitsEveryStratumOnce) {
  SweepSpec spec;
  spec.design = SweepDesign::kLhs;
  spec.samples = 50;
  spec.seed = 3;
  spec.parameters = {{"a", {}, 0, 1}, {"b", {}, 100, 200}};
  const auto points = sweep_points(spec);
  ASSERT_EQ(points.size(), 50u);
  for (std::size_t j = 0; j < 2; ++j) {
    std::set<int> strata;
    for (const auto& p : points) strata.insert(static_cast<int>((p[j] - spec.parameters[j].lo) / (spec.parameters[j].hi - spec.parameters[j].lo) * 50));
    EXPECT_EQ(strata.size(), 50u) << "parameter " << j;
  }
  EXPECT_EQ(sweep_points(spec), points);  // keyed by the seed alone
  spec.seed = 4;
  EXPECT_NE(sweep_points(spec), points);
}

TEST(Sweep, SaltelliDesignFollowsTheSobolSequence) {
  // The Sobol sequence (Joe-Kuo) after its zero point, dimension 4: (1/2, 1/2, 1/2, 1/2),
  // (3/4, 1/4, 1/4, 1/4), (1/4, 3/4, 3/4, 3/4); A is the first two columns, B the last two.
  const SweepSpec spec = test::sobol_spec({{0, 1}, {10, 20}}, 3);
  const auto p = sweep_points(spec);
  ASSERT_EQ(p.size(), static_cast<std::size_t>(saltelli_points(3, 2)));
  ASSERT_EQ(p.size(), 12u);
  const std::vector<std::vector<double>> block1 = {{0.75, 12.5}, {0.25, 12.5}, {0.75, 12.5}, {0.25, 12.5}};
  EXPECT_EQ(std::vector(p.begin() + 4, p.begin() + 8), block1);  // A, AB1, AB2, B
  EXPECT_EQ(p[8], (std::vector<double>{0.25, 17.5}));
  EXPECT_EQ(p[11], (std::vector<double>{0.75, 17.5}));
  EXPECT_EQ(saltelli_layout_problem(p, 2), "");
  auto broken = p;
  broken[6][0] = 0.5;
  EXPECT_EQ(saltelli_layout_problem(broken, 2), "point 6 is not point 4 with parameter 2 from point 7");
  EXPECT_NE(saltelli_layout_problem(std::vector(p.begin(), p.begin() + 10), 2), "");
}

TEST(SweepFile, SobolDesignNeedsSamplesAndRanges) {
  const std::string dir = std::filesystem::temp_directory_path() / ("extrasim-sweep-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto load = [&](const std::string& design, const std::string& parameter) {
    std::ofstream(dir + "/s.yaml") << "name: s\nscenario: " << test::source_path("scenarios/timra.yaml") << "\ndesign: " << design
                                  << "\nparameters:\n  " << parameter << "\nmetrics: [difference.municipality.net]\n";
    return load_sweep_file(dir + "/s.yaml");
  };
  const SweepSpec s = load("{type: sobol, samples: 8}", "programme.extension_probability: {range: [0.5, 0.9]}");
  EXPECT_EQ(s.design, SweepDesign::kSobol);
  EXPECT_EQ(sweep_points(s).size(), 24u);
  EXPECT_STREQ(design_name(s.design), "sobol");
  auto message = [&](const std::string& design, const std::string& parameter) {
    try {
      (void)load(design, parameter);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("{type: sobol}", "programme.extension_probability: {range: [0.5, 0.9]}").find("samples: N base samples"), std::string::npos);
  EXPECT_NE(message("{type: sobol, samples: 1}", "programme.extension_probability: {range: [0.5, 0.9]}").find("s.yaml:3:"), std::string::npos);
  EXPECT_NE(message("{type: sobol, samples: 8}", "programme.extension_probability: {values: [0.5]}").find("range"), std::string::npos);
  // Designs too large to run are refused before anything is checked or drawn.
  std::string sixty = "{values: [1";
  for (int v = 2; v <= 60; ++v) sixty += ", " + std::to_string(v);
  sixty += "]}";
  EXPECT_NE(message("{type: grid}", "a: " + sixty + "\n  b: " + sixty + "\n  c: " + sixty + "\n  d: " + sixty)
                .find("design: found 12960000 points, expected at most 10000000 points in a sweep"),
            std::string::npos);
  std::string nine = "p1: {range: [0, 1]}";
  for (int p = 2; p <= 9; ++p) nine += "\n  p" + std::to_string(p) + ": {range: [0, 1]}";
  EXPECT_NE(message("{type: sobol, samples: 1000000}", nine).find("found 11000000 points"), std::string::npos);
  EXPECT_NE(message("{type: sobel, samples: 8}", "programme.extension_probability: {range: [0.5, 0.9]}").find("grid, lhs or sobol"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(SweepResults, ReadBackExactlyWhatWasWritten) {
  const SweepSpec spec = test::sobol_spec({{0, 1}, {0, 3}}, 4);
  std::istringstream file(test::results_of(spec, [](const std::vector<double>& x) { return x[0] / 3 + x[1] * 1e9; }));
  const SweepResultsTable t = read_sweep_results(file, "r.csv");
  EXPECT_EQ(t.parameters, (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(t.metrics, (std::vector<std::string>{"difference.municipality.net"}));
  EXPECT_EQ(t.points, sweep_points(spec));
  for (std::size_t k = 0; k < t.points.size(); ++k) EXPECT_EQ(t.means[0][k], t.points[k][0] / 3 + t.points[k][1] * 1e9);
}

TEST(SweepResults, InterruptedOrDamagedFilesAreNamedByLine) {
  const std::string header = "point,x1,metric,mean,sd,se,p05,p50,p95\n";
  auto message = [](const std::string& text) {
    std::istringstream in(text);
    try {
      (void)read_sweep_results(in, "r.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message(header + "0,1,m,1,0,0,1,1,1\n2,1,m,1,0,0,1,1,1\n").find("point 1: found no rows (an interrupted sweep?)"), std::string::npos);
  EXPECT_NE(message(header + "0,1,m,x,0,0,1,1,1\n").find("r.csv:2: mean: found 'x', expected a number"), std::string::npos);
  EXPECT_NE(message(header + "0,1,m,1,0,0\n").find("r.csv:2: row: found 6 cells"), std::string::npos);
  EXPECT_NE(message(header + "0,1,m,1,0,0,1,1,1\n0,2,n,1,0,0,1,1,1\n").find("other parameter values"), std::string::npos);
  EXPECT_NE(message("a,b\n").find("r.csv:1: header"), std::string::npos);
  EXPECT_NE(message(header).find("no rows"), std::string::npos);
}

}  // namespace extrasim

namespace extrasim {

TEST(SweepFile, ShippedSweepsLoad) {
  const SweepSpec lhs = load_sweep_file(test::source_path("scenarios/national-sweep.yaml"));
  EXPECT_EQ(sweep_points(lhs).size(), 24u);
  const SweepSpec sobol = load_sweep_file(test::source_path("scenarios/national-sobol.yaml"));
  EXPECT_EQ(sobol.design, SweepDesign::kSobol);
  EXPECT_EQ(sweep_points(sobol).size(), 160u);
  EXPECT_EQ(saltelli_layout_problem(sweep_points(sobol), 3), "");
}

}  // namespace extrasim
