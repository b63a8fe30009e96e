#!/usr/bin/env bash
# One command from a fresh clone: install what is missing, build (Release), run Motala.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
echo
build/release/tools/extrasim run scenarios/motala.yaml
