#!/usr/bin/env bash
# Memory checking: runs the pg_regress suite and a short request
# fuzz against a PostgreSQL server running under valgrind memcheck, with
# PostgreSQL's own suppressions (valgrind.supp, copied from
# postgres/postgres src/tools/valgrind.supp). Passes when valgrind reports no
# error whose stack passes through annotations.so; errors elsewhere in the
# server are counted and shown, not failed (Debian's server is not built
# with USE_VALGRIND, so its own reports are noise we do not own).
#
# Makes its own cluster in a temporary directory (as the postgres OS user
# when run as root) on a free port: needs no pg_virtualenv, but runs fine
# inside one. Needs `make install` first. Slow: a few minutes.
# Usage: memcheck.sh [seconds of request fuzz, default 20]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fuzz_seconds=${1:-20}
command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed (apt-get install valgrind)"; exit 1; }
bindir=$(pg_config --bindir)
tmp=$(mktemp -d /tmp/annotations_memcheck.XXXXXX)
run_as() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  run_as "$bindir/pg_ctl -D $tmp/data -m immediate stop" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

run_as "$bindir/initdb -D $tmp/data -A trust -U postgres" > "$tmp/initdb.log"
echo "memcheck: server under valgrind on port $port (logs in $tmp; KEEP=1 keeps them)"
run_as "valgrind --quiet --trace-children=yes --track-origins=no --read-var-info=no --num-callers=40 \
  --leak-check=no --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
  --suppressions=$here/valgrind.supp --log-file=$tmp/valgrind.%p.log \
  $bindir/postgres -D $tmp/data -p $port -k $tmp -c listen_addresses= -c fsync=off \
  -c max_connections=20 -c autovacuum=off -c jit=off -c statement_timeout=0 > $tmp/server.log 2>&1 &"
export PGHOST=$tmp PGPORT=$port PGUSER=postgres PGDATABASE=postgres
unset PGPASSWORD
for _ in $(seq 1 240); do pg_isready -q && break; sleep 1; done
pg_isready -q || { echo "memcheck: FAIL, the server did not start"; tail -20 "$tmp/server.log"; exit 1; }

start=$(date +%s)
set +e
make -s -C "$top" installcheck > "$tmp/installcheck.out" 2>&1
regress_rc=$?
grep -E "^(test|ok|not ok)|tests (passed|failed)" "$tmp/installcheck.out" | sed 's/^/  /'
(cd "$top/test/drivers" && timeout 600 bash request_fuzz.sh --seconds "$fuzz_seconds" --seed 7) > "$tmp/fuzz.out" 2>&1
fuzz_rc=$?
grep -E "^request_fuzz|FAIL" "$tmp/fuzz.out" | sed 's/^/  /'
set -e
run_as "$bindir/pg_ctl -D $tmp/data -m fast -w -t 300 stop" >/dev/null
elapsed=$(( $(date +%s) - start ))

errors=$(cat "$tmp"/valgrind.*.log | grep -c VALGRINDERROR-BEGIN || true)
ours=$(cat "$tmp"/valgrind.*.log | awk '/VALGRINDERROR-BEGIN/ {b=""; on=1} on {b = b $0 "\n"} /VALGRINDERROR-END/ {on=0; if (b ~ /annotations\.so/) {n++; print b > "'"$tmp"'/ours.txt"}} END {print n+0}')
processes=$(ls "$tmp"/valgrind.*.log | wc -l)
echo "memcheck: ${elapsed} s under valgrind, $processes server processes checked; pg_regress exit $regress_rc, request fuzz exit $fuzz_rc"
echo "memcheck: valgrind errors: $errors in all, $ours with annotations.so on the stack"
if [ "$ours" -gt 0 ]; then
  echo "memcheck: FAIL; the first reports:"
  head -120 "$tmp/ours.txt"
  KEEP=1
  exit 1
fi
if [ "$errors" -gt 0 ]; then
  echo "memcheck: errors outside the extension (first one shown):"
  cat "$tmp"/valgrind.*.log | awk '/VALGRINDERROR-BEGIN/ {on=1} on {print} /VALGRINDERROR-END/ {exit}' | head -40
fi
echo "memcheck: clean (no error in annotations.so)"
