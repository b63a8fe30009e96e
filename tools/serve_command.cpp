// extrasim serve: flags in, the workbench server (tools/serve/) until Ctrl-C.
#include <iostream>

#include <boost/program_options.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "extrasim/io/numbers.hpp"
#include "serve/server.hpp"

namespace extrasim::cli {

int command_serve(int argc, char** argv) {
  namespace po = boost::program_options;
  serve::ServeOptions options;
  options.project_root = EXTRASIM_PROJECT_ROOT;
  std::string port = "8080", scenarios, lang = "en", root, max_jobs = "4", threads = "1", unused;
  po::options_description o("options");
  o.add_options()("help,h", "this help")
      ("port", po::value(&port), "P: the port on 127.0.0.1 (default 8080; 0 picks a free one and prints it)")
      ("scenarios", po::value(&scenarios), "DIR: offer the scenarios in DIR too (read only)")
      ("lang", po::value(&lang), "en (default) or sv: the page's first language")
      ("max-jobs", po::value(&max_jobs), "N: runs at once (default 4); more are refused with 429")
      ("threads", po::value(&threads), "T: threads per run (default 1)")
      ("root", po::value(&root), "DIR: the folder whose scenarios/ and data/ are offered (default: this build's source tree)");
  if (!parse_command_line(argc, argv, o, unused, "usage: extrasim serve [--port P] [--scenarios DIR] [--lang sv]\n\nA planner's workbench in "
                                                 "the browser: a page and a JSON API on 127.0.0.1 (docs/serve.md).")) {
    return 0;
  }
  if (!unused.empty()) throw po::error("serve takes no file (use --scenarios DIR)");
  options.port = static_cast<int>(io::parse_int(port, 0, 65535, {"--port " + port}, "--port"));
  options.language = parse_language(lang);
  options.max_jobs = static_cast<std::size_t>(io::parse_int(max_jobs, 1, 64, {"--max-jobs " + max_jobs}, "--max-jobs"));
  options.threads_per_job = static_cast<int>(io::parse_int(threads, 1, 1024, {"--threads " + threads}, "--threads"));
  if (!root.empty()) options.project_root = root;
  if (!scenarios.empty()) options.user_scenarios = scenarios;
  return serve::serve(options, [](const std::string& address) {
    // One line the tests (and people) read: the address with the port, flushed at once.
    std::cout << "extrasim serve: listening on " << address << " (Ctrl-C stops)" << std::endl;
  });
}

}  // namespace extrasim::cli
