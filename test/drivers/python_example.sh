#!/usr/bin/env bash
# The Python example (examples/clarifai_client.py) runs against a fresh
# database of the cluster in the PG* environment and prints what it did.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=annotations_python_example
dropdb --if-exists "$db" 2>/dev/null; createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION annotations;'
# Debian's python3-psycopg lives in the system interpreter
out=$(PGDATABASE="$db" /usr/bin/python3 examples/clarifai_client.py)
echo "$out"
fail() { echo "python_example: $1" >&2; exit 1; }
grep -Eq '^app py-[0-9a-f]{8}: 25 annotations posted, listed in 3 pages of 10$' <<<"$out" || fail "posting or paging"
grep -Fq "patched box-00: region concepts ['cat', 'pet']" <<<"$out" || fail "patch"
grep -Eq '^missing annotation: annotation "no-such-box" not found' <<<"$out" || fail "error handling"
grep -Fq 'COCO: 2 images, 3 categories (cat, dog, pet), 26 boxes, first bbox [0, 0, 320, 120]' <<<"$out" || fail "COCO export"
# a second run in the same database works too
PGDATABASE="$db" /usr/bin/python3 examples/clarifai_client.py >/dev/null || fail "second run"
echo "python example: ok"
