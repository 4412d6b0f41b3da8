#!/usr/bin/env bash
# The demo: runs demo/NN_*.sql in order against the cluster in the PG*
# environment (pg_virtualenv provides a throwaway one) and shows the results.
set -euo pipefail
cd "$(dirname "$0")/.."
dropdb --if-exists annotations_demo 2>/dev/null || true
createdb annotations_demo
psql -qX -d annotations_demo -c 'CREATE EXTENSION annotations;'
for f in demo/[0-9]*.sql; do
  psql -X -d annotations_demo -v ON_ERROR_STOP=1 --echo-queries -P pager=off -f "$f"
done
