#!/usr/bin/env bash
# Installs the Debian packages ctrbench needs, when they are missing.
# Idempotent. As root it runs apt-get; otherwise it prints the exact command
# to run and exits 2.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libboost-dev          # Boost.Interprocess (header-only)
  libtomlplusplus-dev   # scenario files
  libcli11-dev          # command line
  nlohmann-json3-dev    # JSON Lines results
  libssl-dev            # SHA-256 of scenario files (and the manager's HMAC)
  libsqlite3-dev        # the sqlite backend
  libhiredis-dev redis-server   # the redis backend
  libpq-dev postgresql          # the postgres backend (and pgbench)
  libgtest-dev libgmock-dev
  libbenchmark-dev
  clang libclang-rt-14-dev   # libFuzzer for scripts/fuzz.sh
  gnuplot-nox python3        # report plots; the Python baseline
  libjs-chart.js             # report.html's charts (Chart.js, inlined)
  chromium                   # the test that opens report.html in a browser
  libopenmpi-dev openmpi-bin # several load hosts under MPI (optional at build)
  iproute2 util-linux        # the MPI test's network namespaces (ip, unshare)
  universal-ctags            # scripts/shape_check.py (function lengths)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
