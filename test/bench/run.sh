#!/usr/bin/env bash
# Runs every benchmark in test/bench/ (NN_name.sh, in name order) against the
# cluster in the PG* environment. Each prints its own ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(psql -XAtc 'select version()')"
for b in test/bench/[0-9]*.sh; do
  echo; echo "== $b"; bash "$b"
done
