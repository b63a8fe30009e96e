#!/usr/bin/env bash
# Rewrites tests/regression/expected/ from the current engine. Review `git diff` before
# committing: a change there is a change in what users get.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build --preset release
EXTRASIM_UPDATE_REGRESSION=1 build/release/tests/regression_tests --gtest_filter='Scenarios/*'
git diff --stat tests/regression/expected
