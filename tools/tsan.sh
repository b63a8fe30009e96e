#!/usr/bin/env bash
# The test suite under ThreadSanitizer.
#
# ThreadSanitizer only sees synchronisation in code it instruments, and Debian's libtbb is
# built without it: against it, every hand-off between TBB's tasks looks like a data race.
# So this script builds Debian's own oneTBB source (apt-get source onetbb, the version the
# machine has) with -fsanitize=thread into build/tsan-deps, once, and builds and runs the
# tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
deps=$PWD/build/tsan-deps
prefix=$deps/prefix
if [ ! -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ]; then
  mkdir -p "$deps/apt/lists/partial"
  # deb-src entries from this machine's own Debian sources, with package lists of their own
  # (apt-get update must not replace the machine's lists).
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$deps/apt/src.sources"
  apt_src=(-o Dir::Etc::SourceParts=/dev/null -o Dir::Etc::sourcelist="$deps/apt/src.sources"
           -o Dir::State::Lists="$deps/apt/lists")
  apt-get "${apt_src[@]}" update -qq
  version=$(dpkg-query -W -f='${Version}' libtbb-dev)
  (cd "$deps" && apt-get "${apt_src[@]}" source --download-only "onetbb=$version" 2>/dev/null)
  rm -rf "$deps/src" && mkdir -p "$deps/src"
  tar -xf "$deps"/onetbb_*.orig.tar.* -C "$deps/src" --strip-components=1
  cmake -S "$deps/src" -B "$deps/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_C_FLAGS="-fsanitize=thread" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
    -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
  cmake --build "$deps/build" --target install >/dev/null
fi
cmake --preset tsan -DTBB_DIR="$prefix/lib/cmake/TBB" -DCMAKE_BUILD_RPATH="$prefix/lib" >/dev/null
cmake --build --preset tsan
ctest --preset tsan -j "$(nproc)"
