#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds (Release) and runs every test layer
# (unit, statistical, regression, CLI) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -j "$(nproc)"
