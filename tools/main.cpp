// extrasim: the command line. Dispatches to a command (tools/commands.hpp), which parses its
// flags, calls the library and prints. Exit status: 0 success, 2 bad input (file, flag or
// value; nothing written), 1 a failure while running or writing.
#include <iostream>
#include <string>

#include <boost/program_options/errors.hpp>

#include "commands.hpp"
#include "extrasim/error.hpp"
#include "extrasim/io/output_file.hpp"
#include "extrasim/version.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitFailure = 1;

const char* const kUsage =
    "usage: extrasim COMMAND SCENARIO.yaml [options]\n"
    "\n"
    "commands:\n"
    "  run       Monte Carlo: scenario, baseline and difference with intervals\n"
    "  compare   several scenarios, same people and random numbers, side by side\n"
    "  report    one self-contained HTML report (charts, comparison, assumptions)\n"
    "  sweep     a base scenario over a grid, Latin hypercube or Sobol design; resumable, MPI\n"
    "  sensitivity  Sobol indices with bootstrap intervals from a Sobol sweep's results.csv\n"
    "  calibrate fit parameters to observed aggregates (CALIBRATION.yaml --out DIR): fitted scenario, posterior\n"
    "  expected  exact expected values from the Markov chain (no capacity intake)\n"
    "  validate  check a scenario file; exit 0 if valid, 2 if not\n"
    "  bonus     the 2018 performance-based grant for a table of units (UNITS.csv)\n"
    "  tax       a person's Swedish income tax lines for a year and a monthly income\n"
    "  serve     a planner's workbench in the browser (a page and a JSON API on 127.0.0.1)\n"
    "\n"
    "`extrasim COMMAND --help` lists a command's options; docs/ has the reference.\n";

int dispatch(int argc, char** argv) {
  using namespace extrasim::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitBadInput;
  }
  const std::string command = argv[1];
  if (command == "run") return command_run(argc, argv);
  if (command == "expected") return command_expected(argc, argv);
  if (command == "validate") return command_validate(argc, argv);
  if (command == "compare") return command_compare(argc, argv);
  if (command == "report") return command_report(argc, argv);
  if (command == "bonus") return command_bonus(argc, argv);
  if (command == "tax") return command_tax(argc, argv);
  if (command == "sweep") return command_sweep(argc, argv);
  if (command == "sensitivity") return command_sensitivity(argc, argv);
  if (command == "serve") return command_serve(argc, argv);
  if (command == "calibrate") return command_calibrate(argc, argv);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "extrasim " << extrasim::kVersion << "\n";
    return 0;
  }
  std::cerr << "extrasim: unknown command '" << extrasim::printable(command) << "'\n\n" << kUsage;
  return kExitBadInput;
}

int run(int argc, char** argv) {
  try {
    return dispatch(argc, argv);
  } catch (const extrasim::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const boost::program_options::error& e) {
    std::cerr << "error: " << extrasim::printable(e.what()) << " (see extrasim " << (argc > 1 ? extrasim::printable(argv[1]) : "") << " --help)\n";
    return kExitBadInput;
  } catch (const extrasim::io::OutputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  extrasim::io::install_output_cleanup();
  extrasim::io::capture_stdout_errors();
  const int status = run(argc, argv);
  // A result that did not reach standard output is a failure, though the command succeeded.
  if (status != 0) return status;
  if (const std::string error = extrasim::io::finish_stdout(); !error.empty()) {
    std::cerr << "error: " << error << "\n";
    return kExitFailure;
  }
  return 0;
}
