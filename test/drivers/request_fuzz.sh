#!/usr/bin/env bash
# Random-mutation test of the request JSON of post_annotations,
# patch_annotations and post_inputs (see request_fuzz.py): every call must
# succeed or fail with 22023 / 22P02 / 23505 / P0002 / 42501, the server must
# stay up, and what was accepted must be valid. Runs for about 30 s in its own
# database on the cluster in the PG* environment. Pass --seed N to replay a
# run, --seconds S to change its length.
set -euo pipefail
cd "$(dirname "$0")"
db=annotations_request_fuzz
# Debian's python3-psycopg lives in the system interpreter
py=python3
/usr/bin/python3 -c 'import psycopg' 2>/dev/null && py=/usr/bin/python3
dropdb --if-exists "$db" 2>/dev/null || true
createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION annotations;'
# CI runs a fixed seed so a red run can be replayed and a green one stays
# green; anywhere else every run tries a new seed (printed, for --seed).
args=("$@")
if [ -n "${CI:-}" ] && [[ " $* " != *" --seed "* ]]; then args+=(--seed 20261128); fi
PGDATABASE="$db" timeout 300 "$py" request_fuzz.py "${args[@]}"
