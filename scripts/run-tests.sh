#!/usr/bin/env bash
# Builds picsec and runs every test: the unit/exchange/interop suite in a
# normal build, the root-free suite in a Release build and again under
# ASan+UBSan (a Debug build), then each fuzz target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPICSEC_WERROR=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPICSEC_WERROR=ON
cmake --build build-release -j "$jobs"
ctest --test-dir build-release --output-on-failure -j "$jobs" -LE interop

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPICSEC_SANITIZE=ON -DPICSEC_WERROR=ON
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE interop

if [[ -x /usr/bin/clang++-14 ]]; then
  CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPICSEC_FUZZ=ON -DPICSEC_SANITIZE=ON -DPICSEC_TESTS=OFF -DPICSEC_WERROR=ON
  cmake --build build-fuzz -j "$jobs"
  bash fuzz/run-all.sh build-fuzz "${PICSEC_FUZZ_SECONDS:-30}"
fi
echo "all tests passed"
