#!/usr/bin/env bash
# Fuzzes the manager frame parsers with libFuzzer for SECONDS (default 30),
# starting from tests/fuzz_corpus/manager_protocol. New interesting inputs
# go to build-fuzz/corpus; copy the ones worth keeping into the corpus.
# Needs clang and its runtime (scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; the corpus is still replayed by the tests" >&2
  exit 0
fi
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCTRBENCH_FUZZ=ON -DCTRBENCH_BUILD_TESTS=OFF -DCTRBENCH_BUILD_BENCH=OFF \
  >/dev/null
cmake --build build-fuzz --target manager_protocol_fuzz -j "$(nproc)"
mkdir -p build-fuzz/corpus
build-fuzz/manager_protocol_fuzz -max_total_time="$seconds" -max_len=256 \
  -print_final_stats=1 build-fuzz/corpus tests/fuzz_corpus/manager_protocol
