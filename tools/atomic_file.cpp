#include "atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <stdexcept>

#include "extrasim/error.hpp"

namespace extrasim::cli {

namespace {

// The temporary file being written, for the signal handler. One output at a time.
std::atomic<const char*> pending_temporary{nullptr};

// SIGINT/SIGTERM: remove the unfinished output, then die of the signal (a non-zero status).
// unlink, signal and raise are async-signal-safe.
extern "C" void remove_unfinished_output(int sig) {
  if (const char* path = pending_temporary.load()) ::unlink(path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void install_interrupt_cleanup() {
  std::signal(SIGINT, remove_unfinished_output);
  std::signal(SIGTERM, remove_unfinished_output);
}

AtomicFile::AtomicFile(std::string target)
    : target_(std::move(target)), temporary_(target_ + ".tmp." + std::to_string(::getpid())) {
  pending_temporary.store(temporary_.c_str());
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    pending_temporary.store(nullptr);
    throw InputError({"--out " + target_}, "", "a path that cannot be written",
                     "a writable file path (does the folder exist?)");
  }
}

AtomicFile::~AtomicFile() {
  pending_temporary.store(nullptr);
  if (!committed_) std::remove(temporary_.c_str());
}

void AtomicFile::commit() {
  out_.flush();
  out_.close();
  if (!out_) throw std::runtime_error("writing " + temporary_ + " failed");
  const int fd = ::open(temporary_.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(temporary_.c_str(), target_.c_str()) != 0) {
    throw std::runtime_error("renaming " + temporary_ + " to " + target_ + " failed");
  }
  committed_ = true;
  pending_temporary.store(nullptr);
}

}  // namespace extrasim::cli
