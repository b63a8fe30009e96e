#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs every test layer (unit,
# statistical, regression, CLI) with CTest, first in Release, then again under
# AddressSanitizer + UndefinedBehaviorSanitizer, and builds once more under Clang with
# warnings as errors. `--quick` stops after the Release run.
# (ThreadSanitizer: tools/tsan.sh.)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -j "$(nproc)"
if [ "${1:-}" = "--quick" ]; then exit 0; fi
echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan -j "$(nproc)"
echo "== warnings: the library, CLI and benchmarks under Clang with -Wall -Wextra -Wpedantic -Werror"
cmake --preset clang >/dev/null
cmake --build --preset clang
