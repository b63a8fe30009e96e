// What the CLI tests share: running the binary under test through a shell, and a scratch
// folder per test that is removed with it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace extrasim::clitest {

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command; its exit status and what it printed (stdout and stderr).
inline Outcome run_shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  Outcome o;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) o.output.append(buf, n);
  const int raw = ::pclose(pipe);
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return o;
}

// The extrasim under test with these arguments.
inline Outcome cli(const std::string& args) { return run_shell(std::string(EXTRASIM_CLI) + " " + args); }

// A folder of its own under the system's temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("extrasim-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
    return file(name);
  }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(path_), std::filesystem::directory_iterator()));
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

}  // namespace extrasim::clitest
