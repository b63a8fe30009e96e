// Progress on stderr for long runs.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace extrasim::cli {

// A progress bar with ETA on stderr, only when stderr is a terminal and the run has lasted
// about two seconds (short runs and pipes see nothing).
class ProgressBar {
 public:
  explicit ProgressBar(std::string label)
      : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) != 0),
        start_(std::chrono::steady_clock::now()) {}
  void update(std::int64_t done, std::int64_t total) {
    if (!enabled_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < 2.0 || elapsed - last_ < 0.2) return;
    last_ = elapsed;
    const double share = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
    const int filled = static_cast<int>(share * 30);
    const double eta = share > 0 ? elapsed * (1 - share) / share : 0.0;
    std::fprintf(stderr, "\r%s [%s%s] %3.0f %% %lld/%lld, ETA %.0f s ", label_.c_str(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(30 - filled), ' ').c_str(), 100 * share,
                 static_cast<long long>(done), static_cast<long long>(total), eta);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\r%s\r", std::string(label_.size() + 70, ' ').c_str());
  }

 private:
  std::string label_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  double last_ = 0;
  bool shown_ = false;
};

}  // namespace extrasim::cli
