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

}  // namespace

int command_calibrate(int argc, char** argv) {
  std::string file, out, threads_text;
  bool force = false;
  po::options_description o("options");
  o.add_options()("help,h", "this help")("out", po::value(&out), "DIR: the folder for fitted.yaml, posterior.csv, fit.csv and manifest.json (required)")
      ("threads", po::value(&threads_text), "T: worker threads for Monte Carlo objectives (default: all cores)")
      ("force", po::bool_switch(&force), "replace the calibration files already in DIR");
  const auto vm = parse_command_line(argc, argv, o, file, "usage: extrasim calibrate CALIBRATION.yaml --out DIR [--threads T] [--force]");
  if (!vm) return 0;
  if (file.empty()) throw po::error("missing the calibration file (extrasim calibrate CALIBRATION.yaml --out DIR)");
  if (out.empty()) throw po::error("missing --out DIR");
  int threads = 0;
  if (!threads_text.empty()) threads = static_cast<int>(io::parse_int(threads_text, 1, 1024, {"--threads " + threads_text}, "--threads"));

  const CalibrationSpec spec = load_calibration_file(file);
  std::vector<std::string> inputs = {file};
  for (const SourceFile& f : spec.scenario.inputs) inputs.push_back(f.path);
  OutputFolder folder(out, force);
  io::OutputFile fitted(folder.file("fitted.yaml"), inputs);
  io::OutputFile posterior(folder.file("posterior.csv"), inputs);
  io::OutputFile fit(folder.file("fit.csv"), inputs);
  io::OutputFile manifest(folder.file("manifest.json"), inputs);

  ProgressBar bar("calibrating " + spec.name);
  CalibrationProgress progress;
  progress.update = [&bar](const std::string&, std::int64_t done, std::int64_t total) { bar.update(done, total); };
  const CalibrationResult result = calibrate(spec, threads, progress);
  bar.finish();

  fitted.stream() << fitted_scenario_text(spec, result.point_texts, "posterior.csv", out);
  write_posterior_csv(spec, result, posterior.stream());
  write_fit_csv(spec, result, fit.stream());
  write_calibration_manifest(spec, result, manifest.stream());
  for (io::OutputFile* f : {&posterior, &fit, &fitted, &manifest}) f->commit();
  folder.keep();
  write_calibration_table(spec, result, std::cout);
  std::cerr << "wrote " << folder.file("fitted.yaml") << ", posterior.csv, fit.csv and manifest.json\n";
  return 0;
}

}  // namespace extrasim::cli
