// extrasim sensitivity: Sobol indices from the results file of a sweep with a Sobol design.
#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "extrasim/io/output_file.hpp"
#include "command_line.hpp"
#include "format_option.hpp"
#include "commands.hpp"
#include "extrasim/studies/sensitivity.hpp"
#include "extrasim/studies/sweep_run.hpp"
#include "extrasim/results/sweep_results.hpp"

namespace extrasim::cli {

namespace {

}  // namespace

int command_sensitivity(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string file, format = "table", out;
  BootstrapOptions bootstrap;
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("bootstrap", po::value(&bootstrap.resamples), "B: bootstrap resamples for the intervals (default 1000)")
      ("level", po::value(&bootstrap.level), "the intervals' coverage (default 0.95)")
      ("seed", po::value(&bootstrap.seed), "the bootstrap's seed (default 1)")
      ("format", po::value(&format), "table (default), json or csv")
      ("out", po::value(&out), "write to FILE (atomically)");
  if (!parse_command_line(argc, argv, o, file, "usage: extrasim sensitivity results.csv [options]\n\nFirst-order and total Sobol indices of each "
                                              "kept metric, from a sweep with design: {type: sobol, samples: N}.")) {
    return 0;
  }
  if (file.empty()) throw po::error("missing the results file (extrasim sensitivity results.csv)");
  if (bootstrap.resamples < 10 || bootstrap.resamples > 1'000'000) {
    throw InputError({"--bootstrap"}, "", std::to_string(bootstrap.resamples), "an integer in [10, 1000000]");
  }
  if (!(bootstrap.level > 0 && bootstrap.level < 1)) throw InputError({"--level"}, "", std::to_string(bootstrap.level), "a number in (0, 1)");
  const OutputFormat fmt = parse_format(format);
  io::OutputFile target(out.empty() ? "-" : out, {file});
  std::ifstream in(file);
  if (!in || std::filesystem::is_directory(file)) throw InputError({file}, "cannot open the results file (missing, unreadable or a directory)");
  const SweepResultsTable table = read_sweep_results(in, file);
  if (const auto note = check_sobol_manifest(file, table.points.size())) std::cerr << "note: " << *note << "\n";
  const SweepSensitivity s = sweep_sensitivity(table, file, bootstrap);
  write_sensitivity(s, fmt, target.stream());
  target.commit();
  return 0;
}

}  // namespace extrasim::cli
