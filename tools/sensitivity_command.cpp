// extrasim sensitivity: Sobol indices from the results file of a sweep with a Sobol design.
#include <boost/program_options.hpp>
#include <filesystem>
#include <sstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "extrasim/io/input_file.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/io/output_file.hpp"
#include "command_line.hpp"
#include "format_option.hpp"
#include "commands.hpp"
#include "extrasim/studies/sensitivity.hpp"
#include "extrasim/studies/sweep_run.hpp"
#include "extrasim/studies/workflows.hpp"
#include "extrasim/results/sweep_results.hpp"

namespace extrasim::cli {

int command_sensitivity(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string file, format = "table", out, resamples = "1000", level = "0.95", seed = "1";
  BootstrapOptions bootstrap;
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("bootstrap", po::value(&resamples), "B: bootstrap resamples for the intervals (default 1000)")
      ("level", po::value(&level), "the intervals' coverage (default 0.95)")
      ("seed", po::value(&seed), "the bootstrap's seed (default 1)")
      ("format", po::value(&format), "table (default), json or csv")
      ("out", po::value(&out), "write to FILE (atomically)");
  if (!parse_command_line(argc, argv, o, file, "usage: extrasim sensitivity results.csv [options]\n\nFirst-order and total Sobol indices of each "
                                              "kept metric, from a sweep with design: {type: sobol, samples: N}.")) {
    return 0;
  }
  if (file.empty()) throw po::error("missing the results file (extrasim sensitivity results.csv)");
  bootstrap.resamples = static_cast<int>(io::parse_int(resamples, 10, 1'000'000, {"--bootstrap " + resamples}, "--bootstrap"));
  bootstrap.level = io::parse_double(level, 1e-6, 1 - 1e-6, {"--level " + level}, "--level");
  bootstrap.seed = io::parse_uint64(seed, 0, UINT64_MAX, {"--seed " + seed}, "--seed");
  const OutputFormat fmt = parse_format(format);
  io::OutputFile target(out.empty() ? "-" : out, {file});
  const SensitivityAnalysis a = analyse_sensitivity(file, bootstrap);
  if (a.note) std::cerr << "note: " << *a.note << "\n";
  write_sensitivity(a.sensitivity, fmt, target.stream());
  target.commit();
  return 0;
}

}  // namespace extrasim::cli
