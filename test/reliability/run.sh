#!/usr/bin/env bash
# The reliability proofs too slow for every CI run (RELIABILITY.md):
# crash recovery, pgbench load with invariants, sqlsmith random SQL, garbage
# written straight into every column followed by every reader (a long run of
# the stored-garbage fuzzer the test suite runs briefly), and the regression
# suite under valgrind. Runs against the cluster in the PG*
# environment (`make reliability` gives a pg_virtualenv one; the crash test
# kills and restarts it). Prints one summary line per proof and exits
# non-zero when any failed. Environment knobs: SQLSMITH_QUERIES (20000),
# LOAD_CLIENTS (8), LOAD_TX (500), CRASH_ROUNDS (3), SKIP (space-separated
# names of proofs to leave out: crash load sqlsmith garbage memcheck),
# GARBAGE_ROUNDS (5000).
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp -d /tmp/annotations_reliability.XXXXXX)
results=()
failed=0
run() {
  local name=$1; shift
  if [[ " ${SKIP:-} " == *" $name "* ]]; then results+=("$name: skipped"); return; fi
  echo "== $name: $*"
  local start=$(date +%s)
  "$@" 2>&1 | tee "$log/$name.log"
  local rc=${PIPESTATUS[0]}
  local secs=$(( $(date +%s) - start ))
  local last
  last=$(grep -E "^(crash_recovery|load|sqlsmith|memcheck|stored garbage fuzz):" "$log/$name.log" | tail -1)
  if [ "$rc" -eq 0 ]; then results+=("PASS $name (${secs} s) ${last}"); else results+=("FAIL $name (${secs} s, exit $rc) ${last}"); failed=$((failed + 1)); fi
}

echo "reliability: $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname), $(nproc) CPUs, $(psql -XAtc 'SELECT version()' | cut -d, -f1)"
run crash bash crash_recovery.sh --rounds "${CRASH_ROUNDS:-3}"
run load bash load.sh "${LOAD_CLIENTS:-8}" "${LOAD_TX:-500}"
run sqlsmith bash sqlsmith.sh "${SQLSMITH_QUERIES:-20000}"
run garbage bash ../drivers/stored_garbage_fuzz.sh --rounds "${GARBAGE_ROUNDS:-5000}"
run memcheck bash memcheck.sh

echo
echo "== summary (logs in $log)"
printf '%s\n' "${results[@]}"
[ "$failed" -eq 0 ] && echo "reliability: all proofs passed" || echo "reliability: $failed failed"
[ "$failed" -eq 0 ]
