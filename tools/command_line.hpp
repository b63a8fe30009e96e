// What the commands share: flag parsing (Boost.Program_Options) and durations for people.
#pragma once

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <boost/program_options.hpp>

namespace extrasim::cli {

// Parses argv past the command: `options` plus one positional argument stored in `value`.
// On --help prints `usage`, a blank line and the options, and returns nullopt.
inline std::optional<boost::program_options::variables_map> parse_command_line(
    int argc, char** argv, const boost::program_options::options_description& options, std::string& value,
    const std::string& usage) {
  namespace po = boost::program_options;
  po::options_description all(options);
  all.add_options()("positional", po::value(&value));
  po::positional_options_description positional;
  positional.add("positional", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << usage << "\n\n" << options;
    return std::nullopt;
  }
  po::notify(vm);
  return vm;
}

// A duration for people: "40 s", "12 minutes", "3.5 hours", "9 days".
inline std::string human_time(double s) {
  char buf[32];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%.0f minutes", s / 60);
  else if (s < 3 * 86400) std::snprintf(buf, sizeof buf, "%.1f hours", s / 3600);
  else std::snprintf(buf, sizeof buf, "%.0f days", s / 86400);
  return buf;
}

}  // namespace extrasim::cli
