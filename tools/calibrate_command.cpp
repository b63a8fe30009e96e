// extrasim calibrate: flags, the output folder and progress; the fit is the library's
// (calibrate/calibration.hpp).
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "extrasim/calibrate/calibration.hpp"
#include "extrasim/io/numbers.hpp"
#include "extrasim/io/output_file.hpp"
#include "process_group.hpp"
#include "progress.hpp"

namespace extrasim::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

constexpr const char* kOutputs[] = {"fitted.yaml", "posterior.csv", "fit.csv", "manifest.json"};

// The folder is made only once the inputs have been checked; if it was made here and the run
// fails, it goes again (bad input writes nothing).
class OutputFolder {
 public:
  OutputFolder(const std::string& dir, bool force) : dir_(dir) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(dir_, ec)) && !fs::is_directory(dir_, ec)) {
      throw InputError({"--out " + dir}, "", "'" + printable(dir) + "', which is not a folder", "a folder for the calibration's files");
    }
    if (!force) {
      for (const char* name : kOutputs) {
        if (fs::exists(fs::symlink_status(fs::path(dir_) / name, ec))) {
          throw InputError({"--out " + dir}, "", "a folder that already holds " + std::string(name),
                           "a new or empty folder (--force replaces the calibration files in it)");
        }
      }
    }
    created_ = fs::create_directories(dir_, ec);
    if (ec) throw InputError({"--out " + dir}, "", "'" + printable(dir) + "' (" + ec.message() + ")", "a folder that can be made");
  }
  ~OutputFolder() {
    std::error_code ec;
    if (created_ && !kept_ && fs::is_empty(dir_, ec)) fs::remove(dir_, ec);
  }
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;
  std::string file(const char* name) const { return (fs::path(dir_) / name).string(); }
  void keep() { kept_ = true; }

 private:
  std::string dir_;
  bool created_ = false;
  bool kept_ = false;
};

struct CalibrateArgs {
  std::string file, out;
  int threads = 0;
  bool force = false;
};

// Parses the flags; nullopt after --help.
std::optional<CalibrateArgs> parse_calibrate_args(int argc, char** argv) {
  CalibrateArgs a;
  std::string threads_text;
  po::options_description o("options");
  o.add_options()("help,h", "this help")("out", po::value(&a.out), "DIR: the folder for fitted.yaml, posterior.csv, fit.csv and manifest.json (required)")
      ("threads", po::value(&threads_text), "T: worker threads (default: all cores)")
      ("force", po::bool_switch(&a.force), "replace the calibration files already in DIR");
  const auto vm = parse_command_line(argc, argv, o, a.file, "usage: extrasim calibrate CALIBRATION.yaml --out DIR [--threads T] [--force]\n"
                                      "       mpirun -n K extrasim calibrate ...   (abc-smc: particles split over K processes)");
  if (!vm) return std::nullopt;
  if (a.file.empty()) throw po::error("missing the calibration file (extrasim calibrate CALIBRATION.yaml --out DIR)");
  if (a.out.empty()) throw po::error("missing --out DIR");
  if (!threads_text.empty()) a.threads = static_cast<int>(io::parse_int(threads_text, 1, 1024, {"--threads " + threads_text}, "--threads"));
  return a;
}

// The root's part: the output folder and files, opened before the work, written after it.
struct RootOutputs {
  OutputFolder folder;
  io::OutputFile fitted, posterior, fit, manifest;
  RootOutputs(const CalibrateArgs& a, const std::vector<std::string>& inputs)
      : folder(a.out, a.force), fitted(folder.file("fitted.yaml"), inputs), posterior(folder.file("posterior.csv"), inputs),
        fit(folder.file("fit.csv"), inputs), manifest(folder.file("manifest.json"), inputs) {}
};

}  // namespace

int command_calibrate(int argc, char** argv) {
  ProcessGroup group;
  // The root checks everything and opens the outputs; the others wait for its word, so an
  // error is reported once, by the root (as in `extrasim sweep`).
  std::optional<CalibrateArgs> args;
  std::optional<CalibrationSpec> spec;
  std::optional<RootOutputs> outputs;
  const std::string word = group.root_decides([&] {
    args = parse_calibrate_args(argc, argv);
    if (!args) return std::string("exit 0");
    spec = load_calibration_file(args->file);
    std::vector<std::string> inputs = {args->file};
    for (const SourceFile& f : spec->scenario.inputs) inputs.push_back(f.path);
    outputs.emplace(*args, inputs);
    return std::string("go");
  });
  if (const std::optional<int> status = group.exit_status(word)) return *status;
  try {
    if (!group.is_root()) {
      args = parse_calibrate_args(argc, argv);
      spec = load_calibration_file(args->file);
    }
    ProgressBar bar("calibrating " + spec->name);
    CalibrationProgress progress;
    if (group.is_root()) progress.update = [&bar](const std::string&, std::int64_t done, std::int64_t total) { bar.update(done, total); };
    const CalibrationResult result = calibrate(*spec, args->threads, progress, &group);
    if (!group.is_root()) return 0;
    bar.finish();
    outputs->fitted.stream() << fitted_scenario_text(*spec, result.point_texts, "posterior.csv", args->out);
    write_posterior_csv(*spec, result, outputs->posterior.stream());
    write_fit_csv(*spec, result, outputs->fit.stream());
    write_calibration_manifest(*spec, result, outputs->manifest.stream());
    for (io::OutputFile* f : {&outputs->posterior, &outputs->fit, &outputs->fitted, &outputs->manifest}) f->commit();
    outputs->folder.keep();
    write_calibration_table(*spec, result, std::cout);
    std::cerr << "wrote " << outputs->folder.file("fitted.yaml") << ", posterior.csv, fit.csv and manifest.json";
    if (group.size() > 1) std::cerr << " (" << group.size() << " processes)";
    std::cerr << "\n";
    return 0;
  } catch (const std::exception& e) {
    // Another process would wait in a collective for ever: end the whole job.
    group.fail(e);
  }
}

}  // namespace extrasim::cli
