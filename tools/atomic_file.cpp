#include "atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "extrasim/error.hpp"

namespace extrasim::cli {

AtomicFile::AtomicFile(std::string target)
    : target_(std::move(target)), temporary_(target_ + ".tmp." + std::to_string(::getpid())) {
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    throw InputError({"--out " + target_}, "", "a path that cannot be written",
                     "a writable file path (does the folder exist?)");
  }
}

AtomicFile::~AtomicFile() {
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
}

}  // namespace extrasim::cli
