// extrasim sensitivity: Sobol indices from the results file of a sweep with a Sobol design.
#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "atomic_file.hpp"
#include "command_line.hpp"
#include "format_option.hpp"
#include "sweep_command.hpp"
#include "extrasim/studies/sensitivity.hpp"
#include "extrasim/results/sweep_results.hpp"

namespace extrasim::cli {

namespace {

// The sweep's manifest, when it is beside the results, says whether the sweep finished and
// how many points it has: a sweep cut short between two blocks of the design would otherwise
// look like a smaller, complete one.
void check_manifest(const std::string& results, std::size_t points) {
  const std::string path = results + ".manifest.json";
  std::ifstream in(path);
  if (!in) {
    std::cerr << "note: no " << path << " beside the results, so extrasim cannot check that the sweep finished\n";
    return;
  }
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    throw InputError({path}, "", "a file that is not JSON", "the manifest extrasim sweep writes");
  }
  const auto& design = m["design"];
  if (!design.is_object() || design["type"] != "sobol") {
    throw InputError({path}, "design.type", design.is_object() ? design["type"].dump() : "no design", "\"sobol\" (a sweep with design: {type: sobol, samples: N})");
  }
  if (m["finished"].is_null()) {
    throw InputError({path}, "finished", "null (the sweep is running or was cut short)", "a finished sweep: complete it with extrasim sweep SWEEP.yaml --resume --out " + results);
  }
  if (design["points"] != points) {
    throw InputError({results}, "", std::to_string(points) + " points", design["points"].dump() + " as the manifest says (a file changed since?)");
  }
}

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
  std::ifstream in(file);
  if (!in || std::filesystem::is_directory(file)) throw InputError({file}, "cannot open the results file (missing, unreadable or a directory)");
  const SweepResultsTable table = read_sweep_results(in, file);
  check_manifest(file, table.points.size());
  const SweepSensitivity s = sweep_sensitivity(table, file, bootstrap);
  std::optional<AtomicFile> target;
  if (!out.empty()) target.emplace(out);
  write_sensitivity(s, fmt, target ? target->stream() : std::cout);
  if (target) target->commit();
  return 0;
}

}  // namespace extrasim::cli
