#!/usr/bin/env bash
# Random-mutation test of the shape types' entry points (text, binary, JSON
# of polygon, keypoint and mask): see shapes_fuzz.py.  Runs in its own
# database on the cluster in the PG* environment; exits non-zero on any
# unexpected SQLSTATE or a server crash.
set -euo pipefail
cd "$(dirname "$0")"
db=annotations_shapes_fuzz
# Debian's python3-psycopg lives in the system interpreter
py=python3
/usr/bin/python3 -c 'import psycopg' 2>/dev/null && py=/usr/bin/python3
dropdb --if-exists "$db" 2>/dev/null || true
createdb "$db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION annotations;'
rc=0
PGDATABASE="$db" timeout 300 "$py" shapes_fuzz.py "$@" || rc=$?
dropdb --if-exists "$db" || true
exit $rc
