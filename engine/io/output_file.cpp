#include "extrasim/io/output_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "extrasim/error.hpp"
#include "extrasim/io/input_file.hpp"

namespace extrasim::io {

// A stream buffer over a file descriptor that keeps the errno of a failed write, which
// std::ofstream loses: "No space left on device" instead of "writing failed".
class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd) : fd_(fd), buffer_(std::make_unique<char[]>(kBufferBytes)) {
    setp(buffer_.get(), buffer_.get() + kBufferBytes);
  }
  int error() const { return error_; }  // 0 while every write succeeded

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  static constexpr std::size_t kBufferBytes = std::size_t{64} << 10;

  bool drain() {
    for (const char* p = pbase(); error_ == 0 && p < pptr();) {
      const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? errno : EIO;  // 0 bytes for a non-empty write: no progress
      if (n > 0) p += n;
    }
    setp(buffer_.get(), buffer_.get() + kBufferBytes);
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  std::unique_ptr<char[]> buffer_;
};

namespace {

// ---- The signal handler's registry of pending temporaries -------------------------------
// Fixed storage, so registering never allocates and the handler reads only plain memory and
// lock-free atomics. A slot names its file by folder descriptor and a short name, so the
// handler's unlinkat() (async-signal-safe) needs no path building.

constexpr int kMaxPending = 16;
constexpr std::size_t kNameBytes = 32;
enum SlotState : int { kFree, kFilling, kReady };
static_assert(std::atomic<int>::is_always_lock_free);

struct PendingSlot {
  std::atomic<int> state{kFree};
  int folder_fd = -1;
  char name[kNameBytes] = {};
};

PendingSlot pending_slots[kMaxPending];

int claim_slot(int folder_fd, const std::string& name) {
  if (name.size() >= kNameBytes)
    throw std::logic_error("OutputFile: temporary name too long: " + name);
  for (int i = 0; i < kMaxPending; ++i) {
    int expected = kFree;
    if (!pending_slots[i].state.compare_exchange_strong(expected, kFilling)) continue;
    pending_slots[i].folder_fd = folder_fd;
    std::snprintf(pending_slots[i].name, kNameBytes, "%s", name.c_str());
    pending_slots[i].state.store(kReady, std::memory_order_release);
    return i;
  }
  throw std::logic_error("OutputFile: more than 16 outputs open at once");
}

void release_slot(int slot) {
  if (slot >= 0) pending_slots[slot].state.store(kFree, std::memory_order_release);
}

extern "C" void remove_pending_and_reraise(int sig) {
  for (PendingSlot& slot : pending_slots) {
    if (slot.state.load(std::memory_order_acquire) == kReady)
      ::unlinkat(slot.folder_fd, slot.name, 0);
  }
  // SA_RESETHAND restored the default action; the signal is blocked until we return, and
  // then kills the process, so the parent sees "killed by SIGHUP" as without the handler.
  ::raise(sig);
}

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

// Blocks the cleanup signals so a file is never created without being registered.
class SignalBlock {
 public:
  SignalBlock() {
    sigset_t set;
    sigemptyset(&set);
    for (const int sig : kCleanupSignals) sigaddset(&set, sig);
    pthread_sigmask(SIG_BLOCK, &set, &saved_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;

 private:
  sigset_t saved_;
};

// ---- Paths and messages ------------------------------------------------------------------

[[noreturn]] void refuse(const std::string& target, const std::string& why) {
  throw InputError(SourceLocation{target}, why);
}

[[noreturn]] void fail_output(const std::string& target, const std::string& step, int error) {
  throw OutputError(target + ": " + step + ": " + std::strerror(error != 0 ? error : EIO));
}

struct SplitPath {
  std::string folder;
  std::string name;
};

SplitPath split(const std::string& target) {
  const std::size_t slash = target.rfind('/');
  if (slash == std::string::npos) return {".", target};
  return {slash == 0 ? "/" : target.substr(0, slash), target.substr(slash + 1)};
}

const char* kind_of(mode_t mode) {
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Read-only where possible: fsync() of the folder needs it. A folder we may write but not
// list (mode 0300) still works through O_PATH, without the folder fsync.
int open_folder(const std::string& target, const std::string& folder, bool& can_sync) {
  can_sync = true;
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == EACCES) {
    can_sync = false;
    fd = ::open(folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd < 0)
    refuse(target,
           "cannot write the output in the folder '" + folder + "': " + std::strerror(errno));
  return fd;
}

// Unpredictability is not what keeps the temporary safe (O_EXCL is); the name only has to
// differ between processes and attempts.
std::string temporary_name() {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t x =
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
      (static_cast<std::uint64_t>(::getpid()) << 32) ^ (++counter * 0x9E3779B97F4A7C15ull);
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;  // splitmix64 finaliser
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  x ^= x >> 31;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string name = ".extrasim-";
  for (int i = 0; i < 6; ++i, x /= kAlphabet.size()) name += kAlphabet[x % kAlphabet.size()];
  return name;
}

// Throws for an existing target that must not be replaced by rename.
void refuse_unreplaceable(const std::string& target, const struct stat& st,
                          const std::vector<std::string>& inputs) {
  if (S_ISLNK(st.st_mode)) {
    refuse(target,
           "is a symbolic link; the output would replace the link, not the file it points "
           "to: give the real path");
  }
  if (S_ISDIR(st.st_mode))
    refuse(target, "is a folder; expected a file path such as " + target + "/result.csv");
  if (!S_ISREG(st.st_mode)) {
    refuse(target, std::string("is ") + kind_of(st.st_mode) +
                       "; the output replaces the file at its path: write to standard output ('-') "
                       "and redirect instead");
  }
  const FileIdentity self{static_cast<std::uint64_t>(st.st_dev),
                          static_cast<std::uint64_t>(st.st_ino)};
  for (const std::string& input : inputs) {
    if (identify(input) == self) {
      refuse(target, "is the input file '" + input +
                         "'; writing there would destroy it: choose another path");
    }
  }
}

// std::cout's buffer after capture_stdout_errors(). Never freed: std::cout is flushed at
// exit, after every static object could have been destroyed.
FdStreamBuf* captured_stdout = nullptr;

constexpr int kUnknownError = -1;  // a write failed and its errno is gone

// Pushes std::cout and C stdio out to fd 1: 0, the errno of the failure, or kUnknownError.
int flush_standard_output() {
  errno = 0;
  std::cout.flush();
  int error = 0;
  if (captured_stdout != nullptr && captured_stdout->error() != 0) {
    error = captured_stdout->error();
  } else if (!std::cout.good()) {
    error = errno != 0 ? errno : kUnknownError;  // unknown when stdio failed earlier, mid-run
  }
  errno = 0;
  if ((std::fflush(stdout) != 0 || std::ferror(stdout)) && error == 0) {
    error = errno != 0 ? errno : kUnknownError;
  }
  return error;
}

std::string describe_error(int error) {
  return error == kUnknownError ? std::string("a write failed") : std::string(std::strerror(error));
}

}  // namespace

// ---- Signals and standard output ---------------------------------------------------------

void install_output_cleanup() {
  for (const int sig : kCleanupSignals) {
    // SIGHUP ignored (nohup) stays ignored; SIGINT and SIGTERM always end the run cleanly:
    // a shell starts background jobs with SIGINT ignored, yet a kill -INT means stop.
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0) continue;
    if (sig == SIGHUP && old.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = remove_pending_and_reraise;
    sigemptyset(&action.sa_mask);
    for (const int other : kCleanupSignals) sigaddset(&action.sa_mask, other);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(sig, &action, nullptr);
  }
}

void capture_stdout_errors() {
  if (captured_stdout != nullptr) return;
  std::cout.flush();
  std::fflush(stdout);
  captured_stdout = new FdStreamBuf(STDOUT_FILENO);
  std::cout.rdbuf(captured_stdout);
}

std::string finish_stdout() {
  int error = flush_standard_output();
  errno = 0;
  // close() reports what a network file system kept for last. EBADF alone means standard
  // output was closed and nothing was written to it: no output was lost.
  if (std::fclose(stdout) != 0 && error == 0 && errno != EBADF)
    error = errno != 0 ? errno : kUnknownError;
  return error == 0 ? std::string() : "standard output: " + describe_error(error);
}

// ---- OutputFile --------------------------------------------------------------------------

OutputFile::OutputFile(std::string target, const std::vector<std::string>& inputs)
    : target_(std::move(target)) {
  if (is_stdout()) return;
  try {
    check_target(inputs);
    create_temporary();
  } catch (...) {
    close_descriptors();  // no destructor runs for a constructor that throws
    throw;
  }
  buffer_ = std::make_unique<FdStreamBuf>(fd_);
  file_stream_.rdbuf(buffer_.get());
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
  close_descriptors();
}

void OutputFile::close_descriptors() noexcept {
  if (fd_ >= 0) ::close(fd_);
  if (folder_fd_ >= 0) ::close(folder_fd_);
  fd_ = folder_fd_ = -1;
}

void OutputFile::check_target(const std::vector<std::string>& inputs) {
  if (target_.empty()) refuse("output", "an empty path; expected a file path or '-'");
  const SplitPath path = split(target_);
  if (path.name.empty()) refuse(target_, "ends with '/'; expected a file path, not a folder");
  name_ = path.name;
  folder_fd_ = open_folder(target_, path.folder, folder_syncable_);
  struct stat st {};
  if (::fstatat(folder_fd_, name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT)
      refuse(target_, std::string("cannot examine the output path: ") + std::strerror(errno));
    return;  // a new file
  }
  refuse_unreplaceable(target_, st, inputs);
  replaces_ = true;
  mode_ = st.st_mode & 0777;  // no set-id bits on a file we wrote
  owner_ = st.st_uid;
  group_ = st.st_gid;
}

// A replaced file's content is private (0600) until commit() gives it the old mode; a new
// file is created 0666 so the umask and a default ACL apply as to any new file.
void OutputFile::create_temporary() {
  constexpr int kAttempts = 100;
  const mode_t mode = replaces_ ? 0600 : 0666;
  const SignalBlock block;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    temporary_name_ = temporary_name();
    fd_ = ::openat(folder_fd_, temporary_name_.c_str(),
                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd_ >= 0) {
      register_temporary();
      return;
    }
    if (errno != EEXIST && errno != EINTR) break;
  }
  refuse(target_, std::string("cannot create a file in its folder: ") + std::strerror(errno));
}

void OutputFile::register_temporary() {
  try {
    slot_ = claim_slot(folder_fd_, temporary_name_);
  } catch (...) {
    ::unlinkat(folder_fd_, temporary_name_.c_str(), 0);
    throw;
  }
}

std::ostream& OutputFile::stream() { return is_stdout() ? std::cout : file_stream_; }

void OutputFile::commit() {
  if (committed_) throw std::logic_error("OutputFile::commit called twice for " + target_);
  if (is_stdout()) {
    if (const int error = flush_standard_output()) {
      throw OutputError("standard output: writing failed: " + describe_error(error));
    }
    committed_ = true;
    return;
  }
  sync_and_close();
  if (::renameat(folder_fd_, temporary_name_.c_str(), folder_fd_, name_.c_str()) != 0) {
    fail_output(target_, "renaming the finished temporary file failed", errno);
  }
  release_slot(slot_);
  slot_ = -1;
  committed_ = true;
  // Makes the rename itself durable. Some file systems cannot sync a folder (EINVAL).
  if (folder_syncable_ && ::fsync(folder_fd_) != 0 && errno != EINVAL) {
    fail_output(target_, "syncing its folder failed", errno);
  }
}

void OutputFile::sync_and_close() {
  file_stream_.flush();
  if (!file_stream_ || buffer_->error() != 0)
    fail_output(target_, "writing failed", buffer_->error());
  if (::fsync(fd_) != 0) fail_output(target_, "writing failed", errno);
  if (replaces_) {
    // Keeps the replaced file's owner when we may (as root); otherwise the file is ours, like
    // any file we create, and that is no reason to fail.
    if (owner_ != ::geteuid() || group_ != ::getegid()) {
      [[maybe_unused]] const int ignored = ::fchown(fd_, owner_, group_);
    }
    if (::fchmod(fd_, mode_) != 0) fail_output(target_, "setting its permissions failed", errno);
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail_output(target_, "writing failed", errno);  // NFS reports late
}

// Unlinks before releasing the slot: a signal in between unlinks a missing file, harmless.
void OutputFile::discard() noexcept {
  if (slot_ < 0) return;
  ::unlinkat(folder_fd_, temporary_name_.c_str(), 0);
  release_slot(slot_);
  slot_ = -1;
}

}  // namespace extrasim::io
