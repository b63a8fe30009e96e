#!/usr/bin/env bash
# Installs the Debian packages extrasim needs, only those that are missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build
  libeigen3-dev libboost-program-options-dev libtbb-dev libyaml-cpp-dev librandom123-dev
  nlohmann-json3-dev libgtest-dev libbenchmark-dev
  libssl-dev              # SHA-256 of every input, for provenance
  libnlopt-cxx-dev        # calibration's optimiser (BOBYQA, Sbplx)
  libxlsxwriter-dev python3-openpyxl   # Excel workbooks; the test reads them back
  libopenmpi-dev openmpi-bin openssh-client   # sweeps over MPI processes (mpirun wants ssh present)
  python3 python3-numpy
  python3-dev pybind11-dev python3-pybind11 python3-pytest python3-pandas   # the Python module and its tests
  python3-matplotlib r-base-core r-cran-jsonlite   # docs/python.md's examples (Python, R), run by the tests
  clang libclang-rt-dev   # the Clang warning build, libFuzzer (tools/fuzz.sh)
  chromium                # renders the HTML report in the report test; the workbench's browser tests
  libcpp-httplib-dev      # extrasim serve: the HTTP server (cpp-httplib)
  poppler-utils           # pdfinfo: the printed report's pages
  time                    # GNU time: peak memory in the run-size estimate test
)

# The workbench's browser tests (tests/serve/browser) run playwright-core on Node.js; npm comes
# with Debian's nodejs as its own package, or inside a nodejs that was installed another way.
if ! command -v node >/dev/null; then packages+=(nodejs); fi
if ! command -v npm >/dev/null; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
