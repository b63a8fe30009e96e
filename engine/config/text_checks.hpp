// Checks on a scenario's raw text before YAML sees it, so hostile input fails fast, in
// bounded time and memory, with a located message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "extrasim/error.hpp"

namespace extrasim::config {

inline constexpr std::size_t kMaxScenarioBytes = 16u << 20;  // 16 MiB: scenarios are kilobytes
inline constexpr int kMaxFlowNesting = 64;                    // scenarios need about 6

// Throws InputError when a scenario of `bytes` bytes is over kMaxScenarioBytes.
void check_scenario_size(std::uintmax_t bytes, const std::string& file_name);

// Throws InputError for a file over kMaxScenarioBytes, a NUL byte, invalid UTF-8, or flow
// collections ([...] / {...}) nested deeper than kMaxFlowNesting.
void check_scenario_text(const std::string& text, const std::string& file_name);

// The whole of a file (regular or not) up to kMaxScenarioBytes: InputError naming the file when
// it is missing, a directory, unreadable or larger.
// `what` says what the file should be, for messages ("a scenario file (.yaml)").
std::string read_text_file(const std::string& path, const std::string& what = "a file");

using extrasim::printable;

}  // namespace extrasim::config
