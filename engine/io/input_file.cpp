#include "extrasim/io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "extrasim/error.hpp"

namespace extrasim::io {

namespace {

// Large enough that a scenario takes a handful of reads, small enough to be noise next to
// the limit.
constexpr std::size_t kChunkBytes = std::size_t{64} << 10;

// Closes the descriptor on every path out of read_bounded, exceptions included.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw InputError(SourceLocation{path}, message);
}

[[noreturn]] void too_large(const std::string& path, std::size_t limit, std::string_view what) {
  const std::string size = describe_size(limit);
  fail(path, "larger than " + size + "; " + std::string(what) + " is at most " + size);
}

int open_for_reading(const std::string& path, std::string_view what) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail(path, "cannot open " + std::string(what) + ": " + std::strerror(errno));
  return fd;
}

// Refuses what cannot be a file's content; returns the size to reserve for a regular file.
std::size_t check_kind(int fd, const std::string& path, std::size_t limit, std::string_view what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    fail(path, std::string("cannot examine the file: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail(path, "is a folder; expected " + std::string(what));
  if (!S_ISREG(st.st_mode)) return 0;  // pipes and devices report no useful size
  if (static_cast<std::uintmax_t>(st.st_size) > limit) too_large(path, limit, what);
  return static_cast<std::size_t>(st.st_size);
}

// Grows `text` for `extra` more bytes without the doubling of std::string, which could
// reserve up to twice the limit.
void make_room(std::string& text, std::size_t extra, std::size_t limit) {
  const std::size_t needed = text.size() + extra;
  if (needed <= text.capacity()) return;
  text.reserve(std::min(std::max(needed, 2 * text.capacity()), limit));
}

}  // namespace

std::optional<FileIdentity> identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

std::string read_bounded(const std::string& path, std::size_t limit_bytes, std::string_view what) {
  const Descriptor fd(open_for_reading(path, what));
  std::string text;
  text.reserve(check_kind(fd.get(), path, limit_bytes, what));
  const auto chunk = std::make_unique<char[]>(kChunkBytes);
  for (;;) {
    const ssize_t n = ::read(fd.get(), chunk.get(), kChunkBytes);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, std::string("reading failed: ") + std::strerror(errno));
    if (n == 0) return text;
    const auto got = static_cast<std::size_t>(n);
    if (got > limit_bytes - text.size()) too_large(path, limit_bytes, what);
    make_room(text, got, limit_bytes);
    text.append(chunk.get(), got);
  }
}

std::string describe_size(std::size_t bytes) {
  constexpr std::size_t kKiB = 1024, kMiB = kKiB * 1024;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= kKiB && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

}  // namespace extrasim::io
