// The command line as a user meets it: exit statuses, messages, and files that appear whole
// or not at all.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sweep_support.hpp"
#include "cli_support.hpp"
#include "test_support.hpp"

namespace extrasim {

namespace {

namespace fs = std::filesystem;
using clitest::cli;
using clitest::Outcome;
using clitest::run_shell;
using clitest::TempDir;

std::string vector_file() { return test::source_path("tests/data/vectors/v2-cap-timelines.yaml"); }

struct BadInvocation {
  std::string label;
  std::string args;
  std::string message;  // must appear in the output
};
void PrintTo(const BadInvocation& b, std::ostream* os) { *os << b.label; }

class BadInput : public ::testing::TestWithParam<BadInvocation> {};

}  // namespace

TEST_P(BadInput, ExitsWith2AndAClearMessage) {
  const BadInvocation& b = GetParam();
  TempDir dir;
  std::string args = b.args;
  const std::string placeholder = "{vector}";
  if (auto at = args.find(placeholder); at != std::string::npos) args.replace(at, placeholder.size(), vector_file());
  const Outcome o = cli(args + " --out " + dir.file("out.json"));
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find(b.message), std::string::npos) << o.output;
  EXPECT_EQ(dir.entries(), 0u) << "an output file was left behind";
}

INSTANTIATE_TEST_SUITE_P(
    Cli, BadInput,
    ::testing::Values(
        BadInvocation{"no command", "", "usage"},
        BadInvocation{"unknown command", "simulate {vector}", "unknown command"},
        BadInvocation{"unknown flag", "run {vector} --replicates 5", "unrecognised option"},
        BadInvocation{"missing scenario", "run", "missing the scenario"},
        BadInvocation{"missing file", "run /nonexistent.yaml", "/nonexistent.yaml: cannot open"},
        BadInvocation{"directory", "run /tmp", "/tmp: found a directory"},
        BadInvocation{"bad format", "run {vector} --format xml", "table, json or csv"},
        BadInvocation{"bad threads", "run {vector} --threads 0", "--threads"},
        BadInvocation{"bad replications", "run {vector} --replications 0", "--replications"},
        BadInvocation{"non-numeric replications", "run {vector} --replications many", "replications"},
        BadInvocation{"bad set syntax", "run {vector} --set transitions.fs.job", "PATH=VALUE"},
        BadInvocation{"bad set value", "run {vector} --set transitions.fs.job=1.5",
                      "--set transitions.fs.job=1.5: transitions.fs.job: found '1.5', expected a probability"},
        BadInvocation{"set path names nothing", "run {vector} --set transitions.other.job=0.1",
                      "names nothing"},
        BadInvocation{"negative seed", "run {vector} --seed -1", "--seed -1: seed: found '-1', expected an integer"},
        BadInvocation{"nan discount rate", "run {vector} --discount-rate nan", "--discount-rate nan"},
        BadInvocation{"negative discount rate", "run {vector} --discount-rate -0.5", "expected a rate in [0, 1]"},
        BadInvocation{"set value not UTF-8", "run {vector} --set 'name=\xff'", "not UTF-8"},
        BadInvocation{"a second document", "run " + test::source_path("tests/inputs/bad/multi-document.yaml"), "a second YAML document"},
        BadInvocation{"bonus count with a decimal comma", "bonus " + test::source_path("tests/data/units-small.csv") + " --count Alfa=40,5",
                      "'.' as the decimal mark"},
        BadInvocation{"bonus count with trailing text", "bonus " + test::source_path("tests/data/units-small.csv") + " --count Alfa=40abc",
                      "--count Alfa=40abc"},
        BadInvocation{"bonus count huge", "bonus " + test::source_path("tests/data/units-small.csv") + " --count Alfa=1e301", "--count Alfa=1e301"},
        BadInvocation{"bonus unit misspelt", "bonus " + test::source_path("data/units-2017.csv") + " --count Gavle=40", "(did you mean Gävle?)"},
        BadInvocation{"bonus pot NaN", "bonus " + test::source_path("tests/data/units-small.csv") + " --pot nan", "--pot nan"},
        BadInvocation{"bonus negative spread", "bonus " + test::source_path("tests/data/units-small.csv") + " --spread-total -1", "--spread-total -1"},
        BadInvocation{"units row with extra cells", "bonus " + test::source_path("tests/inputs/bad-units/extra-cells.csv"),
                      "found 5 cells ('Beta,municipality,1,000,20'), expected 4 cells as in the header"},
        BadInvocation{"units population huge", "bonus " + test::source_path("tests/inputs/bad-units/huge-population.csv"),
                      "expected a population in (0, 1e10]"},
        BadInvocation{"units count nan", "bonus " + test::source_path("tests/inputs/bad-units/nan-count.csv"), "expected a count in [0, 1e7]"},
        BadInvocation{"expected with capacity intake",
                      "expected " + test::source_path("tests/data/uncertain-intake.yaml"),
                      "capacity intake"}));

// Every file in tests/inputs/bad/ with its expected message (FILE.expected): exit status 2,
// one clear message, within 10 s and 1 GiB of address space, and no output file.
std::vector<std::string> bad_inputs() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(test::source_path("tests/inputs/bad"))) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Runs the CLI within 10 s and 1 GiB of address space (time only in sanitizer builds).
Outcome bounded_cli(const std::string& args) {
  const std::string memory = test::kSanitized ? "" : "ulimit -v 1048576; ";
  return run_shell("bash -c '" + memory + "exec timeout 10 " + std::string(EXTRASIM_CLI) + " " + args + "'");
}

class HostileInput : public ::testing::TestWithParam<std::string> {};

TEST_P(HostileInput, FailsCleanlyWithinBounds) {
  TempDir dir;
  const std::string file = test::source_path("tests/inputs/bad/" + GetParam() + ".yaml");
  std::string expected = test::read_file(test::source_path("tests/inputs/bad/" + GetParam() + ".expected"));
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  const Outcome o = bounded_cli("run " + file + " --out " + dir.file("out.json"));
  EXPECT_EQ(o.status, 2) << o.output;  // 124 would be the timeout, 1 a crash or bad_alloc
  EXPECT_NE(o.output.find(expected), std::string::npos) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << "one message: " << o.output;
  EXPECT_EQ(dir.entries(), 0u);
}

INSTANTIATE_TEST_SUITE_P(BadInputs, HostileInput, ::testing::ValuesIn(bad_inputs()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Cli, HundredMegabyteFileIsRefusedBeforeReading) {
  TempDir dir;
  {
    std::ofstream big(dir.file("big.yaml"));
    big << "name: x\ncalendar: {start: 2016-01, months: 3}\ngroups: [{name: g, size: 1}]\n"
           "description: \"";
    const std::string chunk(1 << 20, 'a');
    for (int i = 0; i < 100; ++i) big << chunk;
    big << "\"\n";
  }
  const Outcome o = bounded_cli("validate " + dir.file("big.yaml"));
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("expected a scenario file of at most 16 MiB"), std::string::npos) << o.output;
}

TEST(Cli, DirectoryAndMissingFileAreBadInput) {
  TempDir dir;
  Outcome o = bounded_cli("run " + test::source_path("tests/inputs/bad"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("found a directory, expected a scenario file"), std::string::npos) << o.output;
  o = bounded_cli("run " + dir.file("missing.yaml"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("missing.yaml: cannot open the file"), std::string::npos) << o.output;
}

// A signal mid-run: the process ends non-zero and leaves neither the output nor its
// temporary file behind.
void expect_signal_leaves_nothing(const char* signal_name) {
  TempDir dir;
  const std::string run = std::string(EXTRASIM_CLI) + " run " +
                          test::source_path("scenarios/national-2017.yaml") + " --replications 400 --out " +
                          dir.file("r.json");
  // The signal goes once the run has opened its output (its temporary file is there), so it
  // lands during the computation, not before or after it.
  const std::string output =
      run_shell("bash -c '" + run + " & pid=$!; until ls -A " + dir.file("") + " | grep -q extrasim; do sleep 0.01; done; kill -" +
                signal_name + " $pid; wait $pid; echo status=$?'").output;
  const std::string killed = std::string("status=") + (std::string(signal_name) == "INT" ? "130" : "143");
  EXPECT_NE(output.find(killed), std::string::npos) << "not ended by the signal: " << output;
  EXPECT_EQ(dir.entries(), 0u) << "a partial file was left behind";
}

TEST(Cli, SigtermLeavesNoPartialFile) { expect_signal_leaves_nothing("TERM"); }
TEST(Cli, SigintLeavesNoPartialFile) { expect_signal_leaves_nothing("INT"); }

TEST(Cli, AbsurdRunsAreRefusedWithAnEstimate) {
  TempDir dir;
  const Outcome o = cli("run " + test::source_path("scenarios/national-2017.yaml") +
                        " --replications 50000000 --out " + dir.file("r.json"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("GB of memory"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("--force"), std::string::npos) << o.output;
  EXPECT_EQ(dir.entries(), 0u);
}

TEST(Cli, BonusAllocatesATableAndItsMarginalPayouts) {
  const std::string units = test::source_path("data/units-2017.csv");
  Outcome o = cli("bonus " + units + " --spread-total 11168 --count Lund=60 --only Lund --marginal Lund --steps 3");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("4,615,385"), std::string::npos) << o.output;  // 5.53 MSEK x 60 / 71.9
  EXPECT_NE(o.output.find("500,000,000.00"), std::string::npos) << o.output;  // all units together
  EXPECT_NE(o.output.find("assumed"), std::string::npos);
  EXPECT_NE(o.output.find("76,923"), std::string::npos);  // one more extratjänst
  o = cli("bonus " + units + " --spread-total 11168 --format csv");
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1 + 311);
  EXPECT_EQ(cli("bonus " + units + " --count Nowhere=3").status, 2);
  EXPECT_EQ(cli("bonus " + units + " --count Lund=-3").status, 2);
  EXPECT_EQ(cli("bonus " + units + " --sort size").status, 2);
  EXPECT_EQ(cli("bonus " + test::source_path("tests/data/vectors/v1-bands-rate-intake.yaml")).status, 2);
}

TEST(Cli, CompareShowsBudgetYearsAndPairedDifferences) {
  const std::string a = test::source_path("scenarios/norrkoping-120.yaml");
  const std::string b = test::source_path("scenarios/norrkoping-200.yaml");
  Outcome o = cli("compare " + a + " " + b + " --replications 50");
  ASSERT_EQ(o.status, 0) << o.output;
  for (const char* text : {"Budget year 2017", "Budget year 2018", "Whole period", "norrkoping-200 - norrkoping-120 [95 %]", "P(higher)"}) {
    EXPECT_NE(o.output.find(text), std::string::npos) << text;
  }
  o = cli("compare " + a + " " + b + " --replications 20 --format csv --csv-locale sv");
  ASSERT_EQ(o.status, 0) << o.output;
  // Swedish Excel: a UTF-8 byte order mark, then ';' and decimal commas.
  EXPECT_EQ(o.output.rfind("\xEF\xBB\xBFperiod;metric;scenario;mean;difference_to_first;p025;p975;p_higher\n", 0), 0u) << o.output.substr(0, 200);
  EXPECT_NE(o.output.find("total;months.xj;norrkoping-200;4800;1920;1920;1920;1\n"), std::string::npos);
  EXPECT_EQ(cli("compare " + a).status, 2);
  EXPECT_EQ(cli("compare " + a + " " + test::source_path("scenarios/timra.yaml") + " --replications 5").status, 2);
}

// compare runs its scenarios in one pass, with one baseline for those that share it: each
// one's figures are those of its own run to the last bit, shared or not, on 1 and 2 threads.
TEST(Cli, CompareGivesEachScenarioTheFiguresOfItsOwnRun) {
  const std::string a = test::source_path("scenarios/norrkoping-120.yaml");
  const std::string b = test::source_path("scenarios/norrkoping-200.yaml");
  TempDir dir;
  std::string text = test::read_file(b);
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"name: norrkoping-200", "name: faster-jobs"},
                                 {"fs: {job: 0.015", "fs: {job: 0.02"}}) {
    ASSERT_NE(text.find(from), std::string::npos) << from;
    text.replace(text.find(from), from.size(), to);
  }
  const std::string faster = dir.write("faster.yaml", text);  // another baseline: fs finds jobs faster
  for (const std::string& second : {b, faster}) {
    for (const char* threads : {"1", "2"}) {
      const std::string flags = std::string(" --replications 30 --format json --threads ") + threads;
      const Outcome c = cli("compare " + a + " " + second + flags);
      ASSERT_EQ(c.status, 0) << c.output;
      const auto compared = nlohmann::json::parse(c.output);
      EXPECT_EQ(compared["notes"].empty(), second == b) << compared["notes"];
      for (const std::string& file : {a, second}) {
        const Outcome r = cli("run " + file + flags);
        ASSERT_EQ(r.status, 0) << r.output;
        const auto run = nlohmann::json::parse(r.output);
        const std::string name = run["scenario"];
        for (const auto& [metric, summary] : run["metrics"]["scenario"].items()) {
          EXPECT_EQ(compared["periods"]["total"]["means"][name][metric], summary["mean"]) << name << " " << metric << " " << threads;
          EXPECT_EQ(compared["periods"]["2018"]["means"][name][metric], run["yearly"]["2018"]["scenario"][metric]) << name << " " << metric;
        }
        EXPECT_EQ(compared["effects"][name], run["effect"]) << name;
      }
    }
  }
}

TEST(Cli, MonthlyCsvHasTheMonthLevelDetail) {
  const Outcome o = cli("expected " + vector_file() + " --format csv --monthly");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output.rfind("month,side,metric,mean\n", 0), 0u);
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1 + 20 * 3 * 31);  // 20 months, no end.* or pv.*; state.activity_support repeats state.benefits
  EXPECT_NE(o.output.find("\n2017-05,difference,months.xj,"), std::string::npos);
}

TEST(Cli, SwedishCsvAndDiscountRateOverride) {
  Outcome o = cli("run " + vector_file() + " --replications 20 --format csv --csv-locale sv");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output.rfind("\xEF\xBB\xBFsida;mått;medelvärde;standardavvikelse;medelfel;5:e percentil;median;95:e percentil;"
                           "2,5:e percentil;97,5:e percentil;period\n", 0), 0u) << o.output.substr(0, 200);
  // A row's numbers use decimal commas: after "scenario;months.fs;" no '.' but some ','.
  const std::size_t row = o.output.find("scenario;months.fs;");
  const std::string numbers = o.output.substr(row + 19, o.output.find('\n', row) - row - 19);
  EXPECT_EQ(numbers.find('.'), std::string::npos) << numbers;
  EXPECT_NE(numbers.find(','), std::string::npos) << numbers;
  EXPECT_EQ(cli("run " + vector_file() + " --format csv --csv-locale de").status, 2);
  o = cli("expected " + vector_file() + " --discount-rate 0.04 --format csv");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("pv.municipality.net"), std::string::npos);
  EXPECT_EQ(cli("expected " + vector_file() + " --discount-rate 2").status, 2);
}

TEST(Cli, ProgressBarOnlyOnATerminalAndOnlyForLongRuns) {
  // `script` gives the command a terminal; a run of about 5 s shows the bar, with its ETA.
  const std::string run = std::string(EXTRASIM_CLI) + " run " + test::source_path("scenarios/national-2017.yaml") +
                          " --threads 1 --replications 800 --format csv > /dev/null";
  const Outcome on_terminal = run_shell("script -qec \"" + run + "\" /dev/null");
  EXPECT_NE(on_terminal.output.find("ETA"), std::string::npos) << on_terminal.output.substr(0, 300);
  EXPECT_NE(on_terminal.output.find("national-2017 ["), std::string::npos);
  // The same run with stderr to a pipe: nothing but the result.
  EXPECT_EQ(run_shell(run).output, "");
  // A short run on a terminal: no bar either.
  const Outcome quick = run_shell("script -qec \"" + std::string(EXTRASIM_CLI) + " run " + vector_file() +
                                  " --replications 20 --format csv > /dev/null\" /dev/null");
  EXPECT_EQ(quick.output.find("ETA"), std::string::npos) << quick.output;
}

// A sweep of few replications a point runs several points at once (each on one thread) on 2
// or more threads, and one point at a time on all threads when a point has many: the file is
// the same byte for byte either way, and for any number of threads.
TEST(Cli, SweepRowsDoNotDependOnThreadsOrOnRunningPointsAtOnce) {
  TempDir dir;
  const std::string sweep = test::source_path("tests/data/sweep-grid.yaml");  // 8 replications: 2 blocks a point
  const Outcome one = cli("sweep " + sweep + " --threads 1 --out " + dir.file("one.csv"));
  ASSERT_EQ(one.status, 0) << one.output;
  for (const char* threads : {"2", "3"}) {
    const std::string out = dir.file(std::string("t") + threads + ".csv");
    const Outcome o = cli("sweep " + sweep + " --threads " + threads + " --out " + out);
    ASSERT_EQ(o.status, 0) << o.output;
    EXPECT_EQ(test::read_file(out), test::read_file(dir.file("one.csv"))) << threads << " threads";
  }
  // 40 replications (10 blocks) on 2 threads: one point at a time.
  std::string text = test::read_file(sweep);
  text.replace(text.find("replications: 8"), 15, "replications: 40");
  text.replace(text.find("../../scenarios"), 15, test::source_path("scenarios"));
  const std::string many = dir.write("many.yaml", text);
  const Outcome within = cli("sweep " + many + " --threads 2 --out " + dir.file("within.csv"));
  ASSERT_EQ(within.status, 0) << within.output;
  const Outcome serial = cli("sweep " + many + " --threads 1 --out " + dir.file("serial.csv"));
  ASSERT_EQ(serial.status, 0) << serial.output;
  EXPECT_EQ(test::read_file(dir.file("within.csv")), test::read_file(dir.file("serial.csv")));
  EXPECT_NE(test::read_file(dir.file("within.csv")), test::read_file(dir.file("one.csv")));
}

// Killed (on 1 thread, and on 2: several points at once), then resumed: the same file.
TEST(Cli, SweepKilledWithSigkillResumesToTheSameRows) {
  for (const char* threads : {"1", "2"}) {
    SCOPED_TRACE(std::string(threads) + " threads");
    TempDir dir;
    const std::string sweep = test::source_path("tests/data/sweep-grid.yaml");
    const Outcome whole = cli("sweep " + sweep + " --threads 1 --out " + dir.file("whole.csv"));
    ASSERT_EQ(whole.status, 0) << whole.output;
    const std::string run = std::string(EXTRASIM_CLI) + " sweep " + sweep + " --threads " + threads + " --out " + dir.file("cut.csv");
    // Killed once two points are in the file (header + 2 points x 2 metrics = 5 lines), so the
    // cut file really holds part of the work and misses the rest.
    const Outcome killed = run_shell("bash -c '" + run + " & pid=$!; until [ \"$(wc -l < " + dir.file("cut.csv") +
                                     " 2>/dev/null)\" -ge 5 ]; do sleep 0.01; done; kill -KILL $pid; wait $pid; echo status=$?'");
    EXPECT_NE(killed.output.find("status=137"), std::string::npos) << "the sweep ended before the kill: " << killed.output;
    const std::string cut = test::read_file(dir.file("cut.csv"));
    EXPECT_GE(std::count(cut.begin(), cut.end(), '\n'), 5);
    EXPECT_LT(std::count(cut.begin(), cut.end(), '\n'), 1 + 9 * 2) << "the kill came after the last point";
    const Outcome resumed = cli("sweep " + sweep + " --threads " + threads + " --resume --out " + dir.file("cut.csv"));
    ASSERT_EQ(resumed.status, 0) << resumed.output;
    const std::string expected = test::read_file(dir.file("whole.csv"));
    EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 1 + 9 * 2);
    EXPECT_EQ(test::read_file(dir.file("cut.csv")), expected);
    const auto manifest = nlohmann::json::parse(test::read_file(dir.file("cut.csv.manifest.json")));
    EXPECT_EQ(manifest["design"]["points"], 9);
    EXPECT_EQ(manifest["processes"], 1);
    EXPECT_EQ(manifest["inputs"][0]["sha256"].get<std::string>().size(), 64u);
    // An existing file is never overwritten without --resume.
    EXPECT_EQ(cli("sweep " + sweep + " --out " + dir.file("whole.csv")).status, 2);
  }
}

TEST(Cli, SensitivityRecoversIshigamiIndicesFromAResultsFile) {
  // The results file a Sobol sweep of Ishigami's function would write, read and analysed by
  // the command as a user runs it.
  TempDir dir;
  const double pi = 3.14159265358979323846;
  const SweepSpec spec = test::sobol_spec({{-pi, pi}, {-pi, pi}, {-pi, pi}}, 1024);
  const std::string results = dir.write("ishigami.csv", test::results_of(spec, test::ishigami));
  dir.write("ishigami.csv.manifest.json", R"({"design": {"type": "sobol", "points": 5120}, "finished": "2026-11-22T12:00:00Z"})");
  const Outcome o = cli("sensitivity " + results + " --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto j = nlohmann::json::parse(o.output);
  EXPECT_EQ(j["base_samples"], 1024);
  EXPECT_EQ(j["points"], 5 * 1024);
  const test::AnalyticIndices exact = test::ishigami_indices();
  const auto& parameters = j["metrics"][0]["parameters"];
  ASSERT_EQ(parameters.size(), 3u);
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(parameters[p]["parameter"], "x" + std::to_string(p + 1));
    for (const auto& [index, value] : {std::pair{"first", exact.first[p]}, std::pair{"total", exact.total[p]}}) {
      const auto& x = parameters[p][index];
      EXPECT_LE(x["lo"].get<double>(), value) << index << " x" << p + 1;
      EXPECT_GE(x["hi"].get<double>(), value) << index << " x" << p + 1;
    }
  }
  const Outcome table = cli("sensitivity " + results);
  EXPECT_NE(table.output.find("first order"), std::string::npos) << table.output;
  const Outcome csv = cli("sensitivity " + results + " --format csv --bootstrap 100");
  EXPECT_EQ(csv.output.substr(0, csv.output.find('\n')), "metric,parameter,index,estimate,lo,hi");
  EXPECT_EQ(std::count(csv.output.begin(), csv.output.end(), '\n'), 1 + 3 * 2);
}

TEST(Cli, SobolSweepThenSensitivity) {
  TempDir dir;
  const std::string sweep = test::source_path("tests/data/sweep-sobol.yaml");
  const Outcome run = cli("sweep " + sweep + " --out " + dir.file("sobol.csv"));
  ASSERT_EQ(run.status, 0) << run.output;
  const auto manifest = nlohmann::json::parse(test::read_file(dir.file("sobol.csv.manifest.json")));
  EXPECT_EQ(manifest["design"]["type"], "sobol");
  EXPECT_EQ(manifest["design"]["samples"], 4);
  EXPECT_EQ(manifest["design"]["points"], 16);
  const Outcome o = cli("sensitivity " + dir.file("sobol.csv") + " --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto j = nlohmann::json::parse(o.output);
  ASSERT_EQ(j["metrics"].size(), 2u);
  EXPECT_EQ(j["metrics"][0]["metric"], "difference.municipality.net");
  EXPECT_TRUE(j["metrics"][0]["parameters"][0]["total"]["estimate"].is_number());
  // A metric that does not vary over the points has no indices to give.
  EXPECT_EQ(j["metrics"][1]["variance"], 0.0);
  EXPECT_TRUE(j["metrics"][1]["parameters"][0]["first"]["estimate"].is_null());
  // Results that are not a Sobol design, or are unfinished, are bad input.
  const Outcome grid = cli("sweep " + test::source_path("tests/data/sweep-grid.yaml") + " --out " + dir.file("grid.csv"));
  ASSERT_EQ(grid.status, 0) << grid.output;
  const Outcome refused = cli("sensitivity " + dir.file("grid.csv"));
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.output.find("design.type: found \"grid\", expected \"sobol\""), std::string::npos) << refused.output;
  fs::remove(dir.file("grid.csv.manifest.json"));
  EXPECT_NE(cli("sensitivity " + dir.file("grid.csv")).output.find("not a Saltelli design"), std::string::npos);
  // A sweep cut between two blocks looks complete but for its manifest.
  std::string cut = test::read_file(dir.file("sobol.csv"));
  cut.resize(cut.find("\n8,") + 1);
  const std::string manifest_text = test::read_file(dir.file("sobol.csv.manifest.json"));
  const std::string finished = manifest_text.substr(manifest_text.find("\"finished\""));
  dir.write("cut.csv.manifest.json", manifest_text.substr(0, manifest_text.find("\"finished\"")) + "\"finished\": null\n}\n");
  Outcome unfinished = cli("sensitivity " + dir.write("cut.csv", cut));
  EXPECT_EQ(unfinished.status, 2);
  EXPECT_NE(unfinished.output.find("--resume --out " + dir.file("cut.csv")), std::string::npos) << unfinished.output;
  dir.write("cut.csv.manifest.json", manifest_text);
  unfinished = cli("sensitivity " + dir.file("cut.csv"));
  EXPECT_EQ(unfinished.status, 2);
  EXPECT_NE(unfinished.output.find("8 points, expected 16 as the manifest says"), std::string::npos) << unfinished.output;
  // Without a manifest the command says what it could not check; a cut inside a block fails.
  fs::remove(dir.file("cut.csv.manifest.json"));
  unfinished = cli("sensitivity " + dir.file("cut.csv"));
  EXPECT_EQ(unfinished.status, 0);
  EXPECT_NE(unfinished.output.find("cannot check that the sweep finished"), std::string::npos) << unfinished.output;
  cut.resize(cut.find("\n6,") + 1);
  EXPECT_NE(cli("sensitivity " + dir.write("cut.csv", cut)).output.find("not a Saltelli design (6 points"), std::string::npos);
  EXPECT_EQ(cli("sensitivity " + dir.file("sobol.csv") + " --bootstrap 3").status, 2);
  EXPECT_EQ(cli("sensitivity " + dir.file("missing.csv")).status, 2);
}

#ifdef EXTRASIM_MPIEXEC
// Sweeps over MPI processes write the same file as one process. --oversubscribe: more ranks
// than cores is fine here; --allow-run-as-root: CI containers run as root. Under ASan, leak
// checks are off for these runs only: Open MPI leaves its plugins' allocations at exit, in
// modules it has unloaded (so no suppression can name them); our own code's leaks are checked
// by the one-process sweeps, which run the same code but for the message passing.
Outcome mpi_sweep(int processes, const std::string& args) {
  const std::string environment = test::kSanitized ? "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 " : "";
  return run_shell(environment + EXTRASIM_MPIEXEC + " -n " + std::to_string(processes) + " --oversubscribe --allow-run-as-root " +
                   EXTRASIM_CLI + " sweep " + args);
}

nlohmann::json manifest_without_times_and_processes(const std::string& file) {
  auto m = nlohmann::json::parse(test::read_file(file));
  for (const char* key : {"started", "finished", "processes"}) m.erase(key);
  return m;
}

TEST(Cli, MpiSweepWritesTheSameFileAsOneProcess) {
  TempDir dir;
  const std::string sweep = test::source_path("tests/data/sweep-grid.yaml");
  const Outcome one = cli("sweep " + sweep + " --threads 1 --out " + dir.file("one.csv"));
  ASSERT_EQ(one.status, 0) << one.output;
  const Outcome two = mpi_sweep(2, sweep + " --threads 1 --out " + dir.file("two.csv"));
  ASSERT_EQ(two.status, 0) << two.output;
  // Each process running several points at once: the same file.
  const Outcome threaded = mpi_sweep(2, sweep + " --threads 2 --out " + dir.file("threaded.csv"));
  ASSERT_EQ(threaded.status, 0) << threaded.output;
  EXPECT_EQ(test::read_file(dir.file("threaded.csv")), test::read_file(dir.file("one.csv")));
  EXPECT_NE(two.output.find("2 processes"), std::string::npos) << two.output;
  EXPECT_EQ(test::read_file(dir.file("two.csv")), test::read_file(dir.file("one.csv")));
  EXPECT_EQ(nlohmann::json::parse(test::read_file(dir.file("two.csv.manifest.json")))["processes"], 2);
  EXPECT_EQ(manifest_without_times_and_processes(dir.file("two.csv.manifest.json")),
            manifest_without_times_and_processes(dir.file("one.csv.manifest.json")));
  // More processes than points left, after a cut: --resume fills in the same rows.
  std::string cut = test::read_file(dir.file("one.csv"));
  cut.resize(cut.find("\n7,") + 1 + 5);  // points 0-6 and the start of a row of point 7
  dir.write("cut.csv", cut);
  dir.write("cut.csv.manifest.json", test::read_file(dir.file("one.csv.manifest.json")));
  const Outcome resumed = mpi_sweep(3, sweep + " --resume --out " + dir.file("cut.csv"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_EQ(test::read_file(dir.file("cut.csv")), test::read_file(dir.file("one.csv")));
  // A bad input is reported once, by the first process, with the usual status.
  const Outcome bad = mpi_sweep(2, sweep + " --out " + dir.file("one.csv"));
  EXPECT_NE(bad.status, 0);
  const std::string message = "found an existing file";
  EXPECT_EQ(std::count_if(bad.output.begin(), bad.output.end(), [&, i = std::size_t{0}](char) mutable {
              return bad.output.compare(i++, message.size(), message) == 0;
            }), 1) << bad.output;
}
#endif

// The shipped behavioural study (docs/behaviour.md) runs and its sensitivity table names the
// three assumptions; it takes a few seconds.
TEST(Cli, BehaviourSobolStudyRuns) {
  TempDir dir;
  const std::string out = dir.file("behaviour.csv");
  Outcome o = cli("sweep " + test::source_path("scenarios/behaviour-sobol.yaml") + " --out " + out + " --threads 2");
  ASSERT_EQ(o.status, 0) << o.output;
  o = cli("sensitivity " + out);
  ASSERT_EQ(o.status, 0) << o.output;
  for (const char* p : {"after_xj.other.job", "transitions.xj.job", "programme.intake.selection.groups.newly_arrived",
                        "difference.twin.xj_baseline_job"}) {
    EXPECT_NE(o.output.find(p), std::string::npos) << p << "\n" << o.output;
  }
}

TEST(Cli, SweepDryRunPlansWithoutRunning) {
  TempDir dir;
  const Outcome o = cli("sweep " + test::source_path("scenarios/national-sobol.yaml") + " --dry-run --threads 2");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("national-sobol: 160 points (sobol), 10 replications each of"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find(" s on 2 threads"), std::string::npos) << o.output;
  EXPECT_EQ(dir.entries(), 0u);
  const std::string bad = dir.write("bad.yaml", "name: s\nscenario: " + test::source_path("scenarios/timra.yaml") +
                                                    "\ndesign: {type: sobol}\nparameters:\n  transitions.fs.job: {range: [0.01, 0.02]}\nmetrics: [difference.municipality.net]\n");
  EXPECT_EQ(cli("sweep " + bad + " --dry-run").status, 2);
}

TEST(Cli, BadSweepFilesAreBadInput) {
  TempDir dir;
  const std::string bad = dir.write("bad.yaml", "name: s\nscenario: " + test::source_path("scenarios/timra.yaml") +
                                                    "\ndesign: {type: grid}\nparameters:\n  programme.extension_probability: {values: [0.5, 1.5]}\nmetrics: [difference.municipality.net]\n");
  Outcome o = cli("sweep " + bad + " --out " + dir.file("r.csv"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("a probability in [0, 1]"), std::string::npos) << o.output;
  const std::string metric = dir.write("metric.yaml", "name: s\nscenario: " + test::source_path("scenarios/timra.yaml") +
                                                        "\ndesign: {type: lhs, samples: 3}\nparameters:\n  transitions.fs.job: {range: [0.01, 0.02]}\nmetrics: [difference.nothing]\n");
  o = cli("sweep " + metric + " --out " + dir.file("r.csv"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("metric.yaml:6:"), std::string::npos) << o.output;
  const std::string range = dir.write("range.yaml", "name: s\nscenario: " + test::source_path("scenarios/timra.yaml") +
                                                      "\ndesign: {type: lhs, samples: 3}\nparameters:\n  transitions.fs.job: {range: [0.5, 1.2]}\nmetrics: [difference.municipality.net]\n");
  o = cli("sweep " + range + " --out " + dir.file("r.csv"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("a point the scenario refuses"), std::string::npos) << o.output;
  const std::string head = "name: s\nscenario: " + test::source_path("scenarios/timra.yaml") + "\n";
  const std::string tail = "metrics: [difference.municipality.net]\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"design: {type: grid}\nparameters:\n  seed: {values: [1, 2]}\n", "a run setting"},
      {"design: {type: grid}\nparameters:\n  replications: {values: [1, 2]}\n", "a run setting"},
      {"design: {type: lhs, samples: 3}\nparameters:\n  calendar.months: {range: [3, 9]}\n", "a run setting"},
      {"design: {type: lhs, samples: 3}\nparameters:\n  programme.max_months: {range: [12, 24]}\n", "an integer, in a lhs design"},
      {"design: {type: grid}\nparameters:\n  transitions.fs.job: {values: [0.1]}\n  transitions.fs.job: {values: [0.2]}\n", "duplicate"},
  };
  for (const auto& [design, message] : cases) {
    o = cli("sweep " + dir.write("case.yaml", head + design + tail) + " --out " + dir.file("r.csv"));
    EXPECT_EQ(o.status, 2) << design;
    EXPECT_NE(o.output.find(message), std::string::npos) << design << o.output;
  }
  fs::create_directory(dir.file("m.csv.manifest.json"));
  o = cli("sweep " + dir.write("ok.yaml", head + "design: {type: grid}\nparameters:\n  transitions.fs.job: {values: [0.1]}\n" + tail) +
          " --out " + dir.file("m.csv"));
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("m.csv.manifest.json: is a folder"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(dir.file("r.csv")));
  EXPECT_FALSE(fs::exists(dir.file("m.csv")));
}

// --resume refuses a file whose inputs or settings changed (naming what), and a garbled row
// anywhere but at the end; a row cut at the end is run again.
TEST(Cli, ResumeChecksTheManifestAndTheRows) {
  TempDir dir;
  const std::string scenario = dir.write("s.yaml", test::read_file(test::source_path("scenarios/timra.yaml")));
  const std::string sweep = dir.write("w.yaml", "name: w\nscenario: s.yaml\nreplications: 4\ndesign: {type: grid}\nparameters:\n"
                                                "  programme.extension_probability: {values: [0.5, 0.7, 0.9]}\nmetrics: [difference.municipality.net]\n");
  ASSERT_EQ(cli("sweep " + sweep + " --threads 1 --out " + dir.file("r.csv")).status, 0);
  const std::string whole = test::read_file(dir.file("r.csv"));
  // Cut in the middle of the last row: resumed to the same file.
  dir.write("r.csv", whole.substr(0, whole.size() - 7));
  Outcome o = cli("sweep " + sweep + " --threads 1 --resume --out " + dir.file("r.csv"));
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(test::read_file(dir.file("r.csv")), whole);
  // A garbled row before the end.
  const std::size_t second = whole.find('\n', whole.find('\n') + 1) + 1;
  dir.write("r.csv", whole.substr(0, second) + "garbage\n" + whole.substr(second));
  o = cli("sweep " + sweep + " --resume --out " + dir.file("r.csv"));
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("r.csv:3:1: found a malformed row ('garbage')"), std::string::npos) << o.output;
  // The scenario edited since: refused, naming the inputs.
  dir.write("r.csv", whole);
  dir.write("s.yaml", test::read_file(scenario) + "# edited\n");
  o = cli("sweep " + sweep + " --resume --out " + dir.file("r.csv"));
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("--resume " + dir.file("r.csv") + ": inputs:"), std::string::npos) << o.output;
  EXPECT_EQ(test::read_file(dir.file("r.csv")), whole);
}

TEST(Cli, BadScenarioNamesFileLineAndPath) {
  TempDir dir;
  const std::string file = dir.write("bad.yaml", "name: x\ncalendar: {start: 2016-01, months: 3}\n"
                                                 "groups: [{name: g, size: 3}]\ntransitions:\n"
                                                 "  fs: {job: 0.7, other: 0.4}\n");
  const Outcome o = cli("validate " + file);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find(file + ":5:7: transitions.fs: found probabilities summing to 1.1, "
                                 "expected a row summing to at most 1"),
            std::string::npos)
      << o.output;
}

TEST(Cli, ValidateAcceptsAGoodFile) {
  const Outcome o = cli("validate " + vector_file());
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("valid"), std::string::npos);
}

TEST(Cli, RunWritesJsonAtomicallyWithTheDocumentedShape) {
  TempDir dir;
  const Outcome o = cli("run " + vector_file() + " --replications 40 --seed 3 --threads 2 --format json --out " +
                        dir.file("r.json"));
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(dir.entries(), 1u);  // no temporary file left
  const auto j = nlohmann::json::parse(test::read_file(dir.file("r.json")));
  EXPECT_EQ(j["extrasim"], "1.0.0");
  EXPECT_EQ(j["scenario"], "vector-2");
  EXPECT_EQ(j["seed"], 3);
  EXPECT_EQ(j["replications"], 40);
  for (const char* key : {"mean", "sd", "se", "p05", "p50", "p95"}) {
    EXPECT_TRUE(j["metrics"]["difference"]["municipality.net"].contains(key)) << key;
  }
  EXPECT_TRUE(j["yearly"]["2017"]["baseline"]["municipality.net"].is_number());
  EXPECT_EQ(j["monthly"][0]["month"], "2016-09");
  EXPECT_TRUE(j["monthly"][0]["difference"]["months.xj"].is_number());
}

TEST(Cli, CsvHasOneRowPerSideAndMetric) {
  const Outcome o = cli("run " + vector_file() + " --replications 20 --format csv");
  ASSERT_EQ(o.status, 0) << o.output;
  // MODEL.md §6's columns, then the interval the table shows and the period: the whole
  // horizon, then each budget year (the vector's calendar covers 2016-2018).
  EXPECT_EQ(o.output.rfind("side,metric,mean,sd,se,p05,p50,p95,p025,p975,period\n", 0), 0u);
  const int years = 3;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1 + (1 + years) * (3 * 36 + 2));  // twin.* on the difference side only  // no pv.* (r = 0); state.activity_support repeats state.benefits
  EXPECT_NE(o.output.find("\ndifference,twin.xj_baseline_job,"), std::string::npos);
  EXPECT_EQ(o.output.find("\nscenario,twin.xj_baseline_job,"), std::string::npos);
  EXPECT_NE(o.output.find("\ndifference,municipality.fs_benefit,"), std::string::npos);
  EXPECT_NE(o.output.find(",total\n"), std::string::npos);
  EXPECT_NE(o.output.find(",2017\n"), std::string::npos);
  const Outcome wide = cli("run " + vector_file() + " --replications 20 --format csv --wide");
  ASSERT_EQ(wide.status, 0) << wide.output;
  EXPECT_EQ(wide.output.rfind("side,metric,2016,2017,2018,total\n", 0), 0u) << wide.output.substr(0, 200);
}

// MODEL.md §9: the work value is not in municipality.net; the table shows the net with it
// beside the net, only when the scenario values the work.
TEST(Cli, TableShowsTheNetWithTheWorkValueBesideTheNet) {
  const std::string v3 = test::source_path("tests/data/vectors/v3-payers-tax-behaviour.yaml");
  Outcome o = cli("run " + v3 + " --replications 20");
  ASSERT_EQ(o.status, 0) << o.output;
  const std::size_t net = o.output.find("\nmunicipality.net ");
  ASSERT_NE(net, std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("\nmunicipality.net incl. work_value "), o.output.find('\n', net + 1)) << o.output;
  o = cli("expected " + v3);
  EXPECT_NE(o.output.find("municipality.net incl. work_value"), std::string::npos) << o.output;
  EXPECT_EQ(cli("run " + vector_file() + " --replications 20").output.find("incl. work_value"), std::string::npos);
}

// MODEL.md §9: twins on the difference side only, with the deadweight share next to them
// (twin in job / months in xj, the ratio of the means); expected has no twins.
TEST(Cli, TwinsAndTheDeadweightShare) {
  Outcome o = cli("run " + vector_file() + " --replications 40 --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto j = nlohmann::json::parse(o.output);
  const auto& difference = j["metrics"]["difference"];
  ASSERT_TRUE(difference.contains("twin.xj_baseline_job")) << o.output;
  EXPECT_TRUE(difference.contains("twin.xj_baseline_fs"));
  EXPECT_FALSE(j["metrics"]["scenario"].contains("twin.xj_baseline_job"));
  EXPECT_FALSE(j["metrics"]["baseline"].contains("twin.xj_baseline_fs"));
  EXPECT_TRUE(j["yearly"]["2017"]["difference"].contains("twin.xj_baseline_job"));
  const double xj = j["metrics"]["scenario"]["months.xj"]["mean"].get<double>();
  ASSERT_GT(xj, 0.0);
  EXPECT_DOUBLE_EQ(j["deadweight_share"].get<double>(), difference["twin.xj_baseline_job"]["mean"].get<double>() / xj);
  o = cli("run " + vector_file() + " --replications 40");
  const std::size_t twins = o.output.find("\ntwin.xj_baseline_fs ");
  ASSERT_NE(twins, std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("\ndeadweight share "), o.output.find('\n', twins + 1)) << o.output;
  o = cli("expected " + vector_file() + " --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output.find("twin."), std::string::npos);
  EXPECT_EQ(o.output.find("deadweight"), std::string::npos);
}

TEST(Cli, TableShowsIntervalsAndYears) {
  const Outcome o = cli("run " + vector_file() + " --replications 50");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("95 % interval of difference"), std::string::npos);
  EXPECT_NE(o.output.find("P(diff > 0)"), std::string::npos);
  EXPECT_NE(o.output.find("Difference by calendar year"), std::string::npos);
  EXPECT_NE(o.output.find("2017"), std::string::npos);
}

TEST(Cli, SeedFlagIsReproducibleAndSetOverrides) {
  const std::string base = "run " + vector_file() + " --replications 30 --format csv";
  EXPECT_EQ(cli(base + " --seed 5").output, cli(base + " --seed 5 --threads 1").output);
  EXPECT_NE(cli(base + " --seed 5").output, cli(base + " --seed 6").output);
  EXPECT_NE(cli(base + " --seed 5").output, cli(base + " --seed 5 --set transitions.fs.job=0.05").output);
}

TEST(Cli, ExpectedPrintsMeansOnly) {
  const Outcome o = cli("expected " + vector_file() + " --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto j = nlohmann::json::parse(o.output);
  EXPECT_TRUE(j["exact"].get<bool>());
  EXPECT_FALSE(j["metrics"]["scenario"]["months.xj"].contains("sd"));
}

TEST(Cli, UnwritableOutputFailsBeforeWork) {
  const Outcome o = cli("run " + vector_file() + " --out /nonexistent-dir/r.json");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("/nonexistent-dir/r.json: cannot write the output in the folder '/nonexistent-dir': No such file or directory"),
            std::string::npos) << o.output;
}

// The report's assumptions are the scenario as it ran: a --set value, marked as set, not the
// file's; every output records the --set (MODEL.md §11).
TEST(Cli, ReportAndJsonShowTheValueThatRan) {
  TempDir dir;
  const std::string html = dir.file("r.html");
  Outcome o = cli("report " + vector_file() + " --replications 20 --set transitions.fs.job=0.2 --html " + html);
  ASSERT_EQ(o.status, 0) << o.output;
  const std::string page = test::read_file(html);
  EXPECT_NE(page.find("<td>transitions.fs.job</td><td><code>0.2</code></td><td>--set transitions.fs.job=0.2</td>"),
            std::string::npos);
  EXPECT_NE(page.find("programme.supervision_cost"), std::string::npos) << "defaults are listed too";
  o = cli("run " + vector_file() + " --replications 20 --format json --set transitions.fs.job=0.2 --discount-rate 0.03");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto j = nlohmann::json::parse(o.output);
  EXPECT_EQ(j["provenance"]["set"], nlohmann::json::array({"--discount-rate 0.03", "--replications 20", "--set transitions.fs.job=0.2"}));
  EXPECT_EQ(j["provenance"]["discount_rate"], 0.03);
  EXPECT_EQ(j["provenance"]["inputs"][0]["sha256"].get<std::string>().size(), 64u);
}

// Nothing a user types destroys a file: an output that is an input, a link, a folder or a
// device is refused before any work, and a replaced file keeps its permissions.
TEST(Cli, OutputNeverDestroysAFile) {
  TempDir dir;
  const std::string scenario = dir.write("s.yaml", test::read_file(vector_file()));
  const std::string before = test::read_file(scenario);
  for (const std::string& command : std::vector<std::string>{"run", "expected", "compare " + scenario}) {
    const Outcome o = cli(command + " " + scenario + " --replications 5 --out " + scenario);
    EXPECT_EQ(o.status, 2) << command << ": " << o.output;
    EXPECT_NE(o.output.find("is the input file"), std::string::npos) << o.output;
  }
  EXPECT_EQ(test::read_file(scenario), before);
  fs::create_symlink(scenario, dir.file("link.json"));
  EXPECT_EQ(cli("run " + vector_file() + " --replications 5 --out " + dir.file("link.json")).status, 2);
  EXPECT_EQ(test::read_file(scenario), before);
  EXPECT_EQ(cli("run " + vector_file() + " --replications 5 --out " + dir.file("")).status, 2);
  EXPECT_EQ(cli("run " + vector_file() + " --replications 5 --out /dev/null").status, 2);
  const std::string kept = dir.write("kept.json", "{}");
  fs::permissions(kept, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_EQ(cli("run " + vector_file() + " --replications 5 --format json --out " + kept).status, 0);
  EXPECT_EQ(fs::status(kept).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(dir.entries(), 3u) << "no temporary file is left behind";
}

TEST(Cli, FailedWritesToStandardOutputExit1AndDevicesAreBounded) {
  Outcome o = run_shell("bash -c '" + std::string(EXTRASIM_CLI) + " run " + vector_file() + " --replications 5 > /dev/full'");
  EXPECT_EQ(o.status, 1) << o.output;
  EXPECT_NE(o.output.find("No space left on device"), std::string::npos) << o.output;
  o = bounded_cli("run /dev/zero");  // 1 GiB of address space (not under the sanitizers' shadow memory)
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_NE(o.output.find("/dev/zero"), std::string::npos) << o.output;
}

TEST(Cli, SpreadTotalAddsUpAndEscapesNeverReachTheTerminal) {
  const Outcome o = cli("bonus " + test::source_path("data/units-2017.csv") + " --spread-total 1000 --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  double sum = 0;
  const auto j = nlohmann::json::parse(o.output);
  for (const auto& u : j["units"]) sum += u["count"].get<double>();
  EXPECT_EQ(sum, 1000.0);
  const Outcome e = cli("run " + vector_file() + " --replications 5 --set 'name=red\x1b[31m'");
  ASSERT_EQ(e.status, 0) << e.output;
  EXPECT_EQ(e.output.find('\x1b'), std::string::npos);
  EXPECT_NE(e.output.find("red\\x1B[31m"), std::string::npos) << e.output;
}

// A name with the CSV separator or a quote stays one cell (RFC 4180).
TEST(Cli, CsvQuotesNamesThatNeedIt) {
  TempDir dir;
  std::string text = test::read_file(vector_file());
  text.replace(text.find("name: vector-2"), 14, "name: 'plan A, \"low\"'");
  const std::string a = dir.write("a.yaml", text);
  const Outcome o = cli("compare " + a + " " + vector_file() + " --replications 5 --format csv");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find(",\"plan A, \"\"low\"\"\","), std::string::npos) << o.output.substr(0, 400);
}

// The planner's desk: the effect against no programme per budget year and payer comes first,
// partial years are named, and the JSON holds the same numbers as the yearly summaries.
TEST(Cli, EffectPerBudgetYearComesFirst) {
  const std::string motala = test::source_path("scenarios/motala.yaml");
  Outcome o = cli("run " + motala + " --replications 50");
  ASSERT_EQ(o.status, 0) << o.output;
  const std::size_t effect = o.output.find("Effect of the programme");
  ASSERT_NE(effect, std::string::npos) << o.output;
  EXPECT_LT(effect, o.output.find("Whole period"));
  EXPECT_NE(o.output.find("\n2015 (Dec only) "), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("\n2017 (Jan-Jun) "), std::string::npos) << o.output;
  o = cli("run " + motala + " --replications 50 --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto j = nlohmann::json::parse(o.output);
  const auto& e = j["effect"];
  ASSERT_EQ(e.size(), 4u);  // 2015, 2016, 2017, total
  EXPECT_EQ(e[0]["period"], "2015");
  EXPECT_TRUE(e[0]["partial"].get<bool>());
  EXPECT_EQ(e[0]["months"], 1);
  EXPECT_FALSE(e[1]["partial"].get<bool>());
  EXPECT_EQ(e[3]["period"], "total");
  EXPECT_EQ(e[1]["municipality.net"]["mean"], j["yearly"]["2016"]["difference"]["municipality.net"]);
  EXPECT_EQ(e[3]["public.net"]["p025"], j["metrics"]["difference"]["public.net"]["p025"]);
}

// Silent traps are said in every format: empty places, a cost never set, scenarios a --set
// made identical.
TEST(Cli, WarningsNameTheTraps) {
  const std::string norrkoping = test::source_path("scenarios/norrkoping-200.yaml");
  Outcome o = cli("run " + norrkoping + " --replications 20 --format json --set programme.intake.places=100000");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto messages = nlohmann::json::parse(o.output)["warnings"]["messages"];
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages[0].get<std::string>().find("of the place-months stayed empty"), std::string::npos) << messages;
  TempDir dir;
  std::string text = test::read_file(vector_file());
  const std::string unset = dir.write("unset.yaml", text);
  o = cli("run " + unset + " --replications 5");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("warning: programme.supervision_cost is not set"), std::string::npos) << o.output;
  const std::string a = test::source_path("scenarios/norrkoping-120.yaml");
  o = cli("compare " + a + " " + norrkoping + " --replications 5 --set programme.intake.places=120");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("are identical after the overrides"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("Each scenario's effect"), std::string::npos) << o.output;
  // For programs, a code and its figures beside the words.
  o = cli("run " + norrkoping + " --replications 20 --format json --set programme.intake.places=100000");
  const auto codes = nlohmann::json::parse(o.output)["warnings"]["codes"];
  ASSERT_FALSE(codes.empty());
  EXPECT_EQ(codes[0]["code"], "unfilled_places");
  EXPECT_GT(codes[0]["share"].get<double>(), 0.5);
  o = cli("compare " + a + " " + norrkoping + " --replications 5 --set programme.intake.places=120 --format json");
  EXPECT_EQ(nlohmann::json::parse(o.output)["warning_codes"][0]["code"], "identical_scenarios") << o.output;
  // In Swedish, in the planner's words.
  o = cli("run " + norrkoping + " --replications 20 --lang sv --set programme.intake.places=100000");
  EXPECT_NE(o.output.find("varning: "), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("av platsmånaderna förblev tomma"), std::string::npos) << o.output;
  o = cli("compare " + a + " " + norrkoping + " --replications 5 --lang sv --set programme.intake.places=120");
  EXPECT_NE(o.output.find("är identiska efter ändringarna"), std::string::npos) << o.output;
}

// An uncertain probability drawn from a normal wide enough to fall below 0 is held at 0: the
// mean is then not the distribution's, and the result says so (N(0.05, 0.1): P(< 0) = 31 %).
TEST(Cli, ClampedDrawsAreAWarning) {
  TempDir dir;
  std::string text = test::read_file(test::source_path("tests/data/uncertain-intake.yaml"));
  const std::string beta = "transitions.fs.job: {beta: [2, 98]}";
  text.replace(text.find(beta), beta.size(), "transitions.fs.job: {normal: [0.05, 0.1]}");
  const std::string file = dir.write("clamped.yaml", text);
  Outcome o = cli("run " + file + " --replications 200 --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const auto j = nlohmann::json::parse(o.output);
  const auto codes = j["warnings"]["codes"];
  const auto it = std::find_if(codes.begin(), codes.end(), [](const auto& c) { return c["code"] == "draws_clamped"; });
  ASSERT_NE(it, codes.end()) << codes;
  EXPECT_EQ((*it)["parameter"], "transitions.fs.job");
  EXPECT_NEAR((*it)["share"].get<double>(), 0.31, 0.08);
  // The original beta never leaves [0, 1]: no warning.
  o = cli("run " + test::source_path("tests/data/uncertain-intake.yaml") + " --replications 50 --format json");
  EXPECT_EQ(o.output.find("draws_clamped"), std::string::npos);
  o = cli("run " + file + " --replications 200 --lang sv");
  EXPECT_NE(o.output.find("transitions.fs.job: i "), std::string::npos) << o.output;
}

// The report in Swedish: headings, labels, periods, numbers and warnings; nothing left in
// English but the code paths of the assumptions and the scenario names.
TEST(Cli, SwedishReport) {
  TempDir dir;
  const std::string html = dir.file("rapport.html");
  Outcome o = cli("report " + test::source_path("scenarios/motala.yaml") + " --replications 20 --lang sv --html " + html);
  ASSERT_EQ(o.status, 0) << o.output;
  const std::string page = test::read_file(html);
  for (const char* text : {"<html lang='sv'>", "Programmets effekt per budgetår", "kommunens netto", "2015 (endast dec)",
                           "2017 (jan-jun)", "hela perioden", "Personer per månad", "försörjningsstöd (fs)", "kommunens nettoeffekt, mnkr",
                           "Antaganden för", "standardvärde", "en dödviktsandel på", "replikeringar"}) {
    EXPECT_NE(page.find(text), std::string::npos) << text;
  }
  for (const char* english : {"budget year", "People per month", "Read before quoting", "Assumptions of", "deadweight share",
                              "(Dec only)", "MSEK"}) {
    EXPECT_EQ(page.find(english), std::string::npos) << english;
  }
  o = cli("report " + test::source_path("scenarios/norrkoping-200.yaml") + " --replications 20 --lang sv --set "
          "programme.intake.places=100000 --html " + html);
  ASSERT_EQ(o.status, 0) << o.output;
  const std::string warned = test::read_file(html);
  EXPECT_NE(warned.find("Läs innan du citerar"), std::string::npos);
  EXPECT_NE(warned.find("av platsmånaderna förblev tomma"), std::string::npos);
}

// --lang sv: the planner's words and number format; it implies the Swedish CSV locale, whose
// headers are Swedish too (the rows keep the code names).
TEST(Cli, SwedishLabelsAndNumbers) {
  const std::string motala = test::source_path("scenarios/motala.yaml");
  Outcome o = cli("run " + motala + " --replications 20 --lang sv");
  ASSERT_EQ(o.status, 0) << o.output;
  for (const char* text : {"Programmets effekt", "budgetår", "kommunens netto", "2015 (endast dec)", "2017 (jan-jun)", "hela perioden",
                           "kommunen: försörjningsstöd"}) {
    EXPECT_NE(o.output.find(text), std::string::npos) << text << "\n" << o.output;
  }
  EXPECT_EQ(o.output.find("municipality.fs_benefit"), std::string::npos);
  o = cli("run " + motala + " --replications 20 --lang sv --format csv");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output.rfind("\xEF\xBB\xBFsida;mått;medelvärde;", 0), 0u) << o.output.substr(0, 120);
  EXPECT_NE(o.output.find("\nscenario;municipality.net;"), std::string::npos);
  EXPECT_EQ(cli("run " + motala + " --lang de").status, 2);
}

// A marginal table of zeros says why (every unit at its beting leaves no remainder).
TEST(Cli, BonusSaysWhyMarginalValuesAreZero) {
  const Outcome o = cli("bonus " + test::source_path("data/units-2017.csv") + " --spread-total 11168 --marginal Gävle --steps 2");
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_NE(o.output.find("Each extra extratjänst pays 0 kr here"), std::string::npos) << o.output;
  const Outcome below = cli("bonus " + test::source_path("data/units-2017.csv") + " --spread-total 3000 --marginal Gävle --steps 2");
  ASSERT_EQ(below.status, 0) << below.output;
  EXPECT_EQ(below.output.find("Each extra extratjänst pays 0 kr here"), std::string::npos) << below.output;
}

TEST(Cli, SamplesCsvHasEachReplicationsValues) {
  TempDir dir;
  const std::string samples = dir.file("samples.csv");
  Outcome o = cli("run " + vector_file() + " --replications 12 --samples " + samples +
                  " --samples-metric difference.municipality.net --samples-metric scenario.months.xj.2017 --format json");
  ASSERT_EQ(o.status, 0) << o.output;
  const std::string text = test::read_file(samples);
  EXPECT_EQ(text.rfind("replication,difference.municipality.net,scenario.months.xj.2017\n0,", 0), 0u) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 12);
  o = cli("run " + vector_file() + " --replications 12 --samples " + dir.file("bad.csv") + " --samples-metric difference.municipality.net.1999");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.output.find("--samples-metric difference.municipality.net.1999"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(dir.file("bad.csv")));
  EXPECT_EQ(cli("run " + vector_file() + " --samples-metric difference.state.net").status, 2);  // without --samples
}

}  // namespace extrasim
