#!/usr/bin/env bash
# Installs what is missing, builds ctrbench in Release mode, runs the
# shipped scenarios on every available backend, and prints where the CSV
# files went.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target ctrbench

written=()
for scenario in hot_key spread skewed lost_updates row_lock; do
  echo "== scenario $scenario"
  out="results/$(date +%Y%m%d-%H%M%S)-$scenario.csv"
  mkdir -p results
  build/ctrbench run "scenarios/$scenario.toml" --out "$out" --quiet
  written+=("$out")
done

echo
echo "results:"
printf '  %s\n' "${written[@]}"
