// Output files that appear whole or not at all, checked before any computation.
//
// Contract:
// - Construct an OutputFile before the run starts. It refuses (InputError, naming the path
//   and why) a target that is a folder, a symbolic link, a device, FIFO or socket, or the
//   same file as one of the run's inputs (same device and inode, however spelt), and it
//   creates its temporary file at once, so an unwritable folder fails fast.
// - Output goes to a temporary `.extrasim-XXXXXX` in the target's folder, created with
//   O_CREAT|O_EXCL|O_NOFOLLOW (nothing planted at that name can redirect the write; the
//   short name keeps a 255-character target name legal). commit() flushes, fsyncs, gives it
//   the replaced file's permission bits (a new file gets 0666 & ~umask) and, where allowed
//   (root), its owner, renames it over the target and fsyncs the folder. Failures are
//   OutputErrors carrying strerror(errno), e.g. "No space left on device"; the target is
//   then untouched.
// - The destructor removes an uncommitted temporary; after install_output_cleanup(), so does
//   SIGINT, SIGTERM or SIGHUP, which then kills the process as the default action would.
// - "-" is standard output: stream() is std::cout and commit() flushes it, throwing an
//   OutputError when the write failed.
//
// Replacing by rename gives the target a new inode: other hard links keep the old content.
// At most 16 OutputFiles may be pending at once (the signal handler's fixed registry).
#pragma once

#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace extrasim::io {

// Writing an output failed for a reason outside the user's input (a full disk, a closed
// pipe). The CLI reports it as an error, not as an internal error.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Installs the SIGINT/SIGTERM/SIGHUP handlers that remove pending temporaries. A signal the
// process ignores (nohup, a background job's SIGINT) stays ignored.
void install_output_cleanup();

// Routes std::cout through a buffer that keeps the errno of a failed write, so that
// finish_stdout() can say "No space left on device" even when the write failed mid-run (C
// stdio forgets why). Call at the start of main, before any output; afterwards std::cout no
// longer shares C stdio's buffer, so do not mix printf into standard output.
void capture_stdout_errors();

// Flushes std::cout and stdout and closes standard output, so that a failed write (EPIPE,
// ENOSPC on /dev/full, EBADF on a closed stdout) is seen. Returns the reason, e.g.
// "standard output: No space left on device" ("... a write failed" when the errno is lost,
// without capture_stdout_errors()), or an empty string. Call once, at the end of main.
std::string finish_stdout();

class FdStreamBuf;

class OutputFile {
 public:
  OutputFile(std::string target, const std::vector<std::string>& inputs);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream();
  void commit();

  const std::string& target() const { return target_; }

 private:
  bool is_stdout() const { return target_ == "-"; }
  void check_target(const std::vector<std::string>& inputs);
  void create_temporary();
  void register_temporary();
  void sync_and_close();
  void discard() noexcept;
  void close_descriptors() noexcept;

  std::string target_;
  std::string name_;            // the target's last path component
  std::string temporary_name_;  // in the same folder
  int folder_fd_ = -1;          // the target's folder: *at() calls survive a chdir
  int fd_ = -1;
  bool folder_syncable_ = true;  // opened read-only, not O_PATH
  int slot_ = -1;                // in the signal handler's registry
  unsigned mode_ = 0;            // permission bits to give the output
  bool replaces_ = false;        // the target exists
  unsigned owner_ = 0, group_ = 0;
  bool committed_ = false;
  std::unique_ptr<FdStreamBuf> buffer_;
  std::ostream file_stream_{nullptr};
};

}  // namespace extrasim::io
