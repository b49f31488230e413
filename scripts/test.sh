#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: a RelWithDebInfo
# build, an ASan+UBSan build of everything, a TSan build of the thread-mode
# tests (TSan does not survive fork after threads), and 30 s of libFuzzer
# on the manager frame parsers.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

jobs=$(nproc)

build() {  # build DIR [cmake args...]
  local dir=$1
  shift
  cmake -S . -B "$dir" -DCTRBENCH_BUILD_BENCH=OFF "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

echo "== RelWithDebInfo build and tests"
build build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCTRBENCH_BUILD_BENCH=ON
ctest --test-dir build-test --output-on-failure -j "$jobs"

echo "== ASan+UBSan build and tests"
build build-asan -DCMAKE_BUILD_TYPE=Debug -DCTRBENCH_SANITIZE=address,undefined
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== TSan build, thread-mode tests"
build build-tsan -DCMAKE_BUILD_TYPE=Debug -DCTRBENCH_SANITIZE=thread
TSAN_OPTIONS=halt_on_error=1 \
  ctest --test-dir build-tsan --output-on-failure -j "$jobs" \
  -R '(_threads( |$)|^(ParseDuration|FormatDuration|SpinFor|Csv|ParseCsv|Histogram|ScenarioTest|Distribution|KeyChooser)\.)'

echo "== libFuzzer, manager frame parsers"
scripts/fuzz.sh 30
