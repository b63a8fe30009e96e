// Output files appear whole or not at all: written to a temporary file in the same folder,
// flushed, then renamed over the target. Opening happens before any work, so an unwritable
// path fails fast.
#pragma once

#include <fstream>
#include <string>

namespace extrasim::cli {

// Makes SIGINT and SIGTERM remove the temporary file of an unfinished AtomicFile.
void install_interrupt_cleanup();

class AtomicFile {
 public:
  // Throws InputError when the temporary file cannot be created.
  explicit AtomicFile(std::string target);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  void commit();  // flush, fsync, rename; throws on failure

 private:
  std::string target_;
  std::string temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace extrasim::cli
