#!/usr/bin/env bash
# Fuzzes with libFuzzer for SECONDS each (default 10), with a fixed seed so
# that a run is repeatable: the manager frame parsers, the scenario loader,
# and report's CSV and JSON Lines readers, each starting from its corpus in
# tests/fuzz_corpus/. New interesting inputs go to build-fuzz/corpus-NAME;
# copy the ones worth keeping into tests/fuzz_corpus/NAME (the tests replay
# them). Needs clang and its runtime (scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; the corpora are still replayed by the tests" >&2
  exit 0
fi
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_UNITY_BUILD=ON \
  -DCTRBENCH_FUZZ=ON -DCTRBENCH_BUILD_TESTS=OFF -DCTRBENCH_BUILD_BENCH=OFF \
  >/dev/null
cmake --build build-fuzz --target manager_protocol_fuzz scenario_fuzz \
  report_fuzz -j "$(nproc)"
run() {  # run TARGET CORPUS MAX_LEN
  mkdir -p "build-fuzz/corpus-$2"
  echo "== fuzz: $1, ${seconds} s"
  "build-fuzz/$1" -seed=1 -max_total_time="$seconds" -max_len="$3" \
    -print_final_stats=1 "build-fuzz/corpus-$2" "tests/fuzz_corpus/$2"
}
run manager_protocol_fuzz manager_protocol 256
run scenario_fuzz scenario 4096
run report_fuzz results 65536
