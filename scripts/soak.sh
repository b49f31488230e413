#!/usr/bin/env bash
# Soak test (not in CI): builds ctrbench (Release) and runs every backend
# under a long mixed sweep for MINUTES (default 30), sampling memory, file
# descriptors and disk use each second; fails if any grows without bound
# or anything is left behind. See scripts/soak.py.
#
#   scripts/soak.sh        # 30 minutes
#   scripts/soak.sh 5      # 5 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target ctrbench
exec python3 scripts/soak.py --build build "${1:-30}"
