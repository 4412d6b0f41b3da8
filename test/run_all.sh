#!/usr/bin/env bash
# Runs every suite against the cluster in the PG* environment (pg_virtualenv
# provides one): pg_regress files, pgTAP suites, the upgrade test (1.0 with
# data updated in place, then every suite again), then the driver scripts in
# test/drivers/ (fuzzers, concurrency, dump/restore, the README, the Python
# example). Prints a summary
# line and exits non-zero when any suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0; failures=()
record() { if [ "$1" -eq 0 ]; then passed=$((passed+1)); else failed=$((failed+1)); failures+=("$2"); fi; }

echo "== pg_regress"
make -s installcheck; rc=$?
if [ $rc -ne 0 ] && [ -f regression.diffs ]; then echo "--- regression.diffs"; cat regression.diffs; fi
record $rc pg_regress

echo "== pgTAP"
db=annotations_tap
dropdb --if-exists "$db" && createdb "$db" &&
  psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION pgtap; CREATE EXTENSION annotations;'
pg_prove -f -d "$db" test/pgtap/*.sql; record $? pgTAP

echo "== upgrade"
bash test/upgrade/run.sh; record $? upgrade

for t in test/drivers/*.sh; do
  [ -e "$t" ] || continue
  echo "== $t"
  bash "$t"; record $? "$t"
done

echo
[ ${#failures[@]} -gt 0 ] && echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
