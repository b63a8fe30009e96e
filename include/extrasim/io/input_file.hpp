// Reading input files with a size limit that holds for every kind of file.
//
// Contract: read_bounded() reads regular files, pipes, FIFOs and devices (/dev/stdin,
// /dev/zero) alike, in chunks, and throws InputError as soon as more than `limit_bytes` have
// arrived; it never holds more than limit_bytes plus one chunk in memory. A stat()-based size
// check alone is not enough: a pipe or a device reports size 0 and would be read without end.
// Directories and unreadable paths are InputErrors that name the path and the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace extrasim::io {

// Who a path is, independent of how it is spelt: ./a/../a, a hard link and a symbolic link
// to a file all have the identity of the file.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// The identity of the file at `path` (symbolic links followed); nothing when it does not
// exist or cannot be examined.
std::optional<FileIdentity> identify(const std::string& path);

// The whole content of `path`. `what` names the kind of file for messages, e.g. "a scenario
// file": "s.yaml: larger than 16 MiB; a scenario file is at most 16 MiB".
std::string read_bounded(const std::string& path, std::size_t limit_bytes, std::string_view what);

// "16 MiB", "4 KiB" or "1000 bytes": a limit as people write it.
std::string describe_size(std::size_t bytes);

}  // namespace extrasim::io
