#!/usr/bin/env bash
# The browser tests of `extrasim serve` (CTest: serve_browser). Installs playwright-core from
# the committed lockfile with `npm ci` when node_modules is missing (it downloads no browser:
# the tests drive Debian's /usr/bin/chromium), then runs node's test runner.
# usage: run.sh EXTRASIM SOURCE_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export EXTRASIM="$1" EXTRASIM_ROOT="$2"
for tool in node npm /usr/bin/chromium /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "serve_browser: $tool is missing (tools/install-deps.sh installs it)" >&2; exit 1; }
done
cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  echo "serve_browser: npm ci (playwright-core from package-lock.json)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
exec node --test --test-reporter=spec workbench.test.mjs
