// `extrasim serve`: the workbench over HTTP on the loopback interface (cpp-httplib). Only
// plumbing lives here: the security checks every request passes, routing to Workbench, and
// the page's files (compiled into the binary, so the page works offline).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "extrasim/write/labels.hpp"

namespace extrasim::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                           // 0: any free port
  std::filesystem::path project_root;        // its scenarios/ and data/ are read
  std::filesystem::path user_scenarios;      // --scenarios DIR (read as "user/...")
  Language language = Language::kEnglish;    // the page's first language
  std::size_t max_jobs = 4;                  // running at once; more get 429
  int threads_per_job = 1;
  double max_run_seconds = 600;              // refuse runs estimated longer
  std::size_t max_body_bytes = 1u << 20;     // larger requests get 413
};

// Serves until SIGINT or SIGTERM. `listening` is called once with the address
// ("http://127.0.0.1:PORT/"). Everything written goes into a private work folder under the
// system's temporary folder, removed at exit. Returns the exit status.
int serve(const ServeOptions& options, const std::function<void(const std::string&)>& listening);

}  // namespace extrasim::serve
