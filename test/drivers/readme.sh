#!/usr/bin/env bash
# The README's examples run as written: every ```sql block, statement by
# statement, in one session of a fresh database, and every ```python block
# against that database; every result the README shows is checked
# (test/readme/run_readme.py has the conventions). The roles the README
# creates are dropped before and after, so the test can run again.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=annotations_readme
readme=${1:-README.md}
roles=$(/usr/bin/python3 test/readme/run_readme.py --roles "$readme") || exit 1
made_postgres=
cleanup() {
  dropdb --if-exists "$db" >/dev/null 2>&1 || true
  for r in $roles ${made_postgres:+postgres}; do
    PGOPTIONS="-c client_min_messages=warning" psql -qX -d postgres -c "DROP ROLE IF EXISTS \"$r\"" >/dev/null || echo "readme: could not drop role $r" >&2
  done
}
cleanup
trap cleanup EXIT
# The README is written for a psql session of the superuser postgres, as on
# Debian; on a cluster whose superuser has another name (pg_virtualenv run by
# a non-root user), the runner switches its session to a postgres role.
if [ -z "$(psql -XAtq -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'postgres'")" ]; then
  psql -qX -d postgres -c 'CREATE ROLE postgres SUPERUSER NOLOGIN' || exit 1
  made_postgres=1
fi
createdb "$db" || exit 1
PGDATABASE=$db /usr/bin/python3 test/readme/run_readme.py "$readme"
