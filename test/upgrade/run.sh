#!/usr/bin/env bash
# The upgrade test. A database made by the released 1.0 install script and
# filled through the 1.0 functions (which then run on the current shared
# library) is updated in place with ALTER EXTENSION annotations UPDATE. It
# must then
#   (a) hold exactly the catalog of a fresh install of the current version
#       (test/upgrade/catalog.sql describes every member object, grant,
#       comment and dump registration, without OIDs),
#   (b) read back every row exactly as before, through the tables and the
#       API, and
#   (c) pass the whole regression and pgTAP suites.
# A change to sql/install/ that forgets the upgrade script fails (a).
# Runs on the cluster in the PG* environment; exits non-zero on a difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
upg=annotations_upgraded
fresh=annotations_fresh
work=$(mktemp -d)
drop_dbs() { for d in "$upg" "$fresh"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done; }
cleanup() { drop_dbs; rm -rf "$work"; }
trap cleanup EXIT
drop_dbs
q() { psql -qX -v ON_ERROR_STOP=1 "$@"; }

for r in upg_owner upg_collab; do
  q -d postgres -c "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$r') THEN CREATE ROLE $r; END IF; END\$\$"
done

createdb "$upg"
q -d "$upg" -c "CREATE EXTENSION annotations VERSION '1.0'"
q -d "$upg" -f test/upgrade/data.sql > "$work/data.out"
q -d "$upg" -f test/upgrade/read.sql > "$work/before.txt"
# the internal functions only 1.0 declares, fed garbage on the new library
psql -X -q -d "$upg" -f test/upgrade/internals_1_0.sql > "$work/internals.out" 2>&1 || true
if ! diff -u test/upgrade/internals_1_0.out "$work/internals.out"; then
  echo "upgrade: 1.0's internal functions answered garbage differently (- expected, + got)"; exit 1
fi
q -d "$upg" -c 'ALTER EXTENSION annotations UPDATE'
version=$(psql -AtX -d "$upg" -c "SELECT extversion FROM pg_extension WHERE extname = 'annotations'")
default=$(psql -AtX -d "$upg" -c "SELECT default_version FROM pg_available_extensions WHERE name = 'annotations'")
if [ "$version" != "$default" ]; then
  echo "upgrade: the database is on $version after ALTER EXTENSION UPDATE, not $default"; exit 1
fi

status=0
q -d "$upg" -f test/upgrade/read.sql > "$work/after.txt"
if ! diff -u "$work/before.txt" "$work/after.txt"; then
  echo "upgrade: rows read differently after the update"; status=1
fi

createdb "$fresh"
q -d "$fresh" -c 'CREATE EXTENSION annotations'
q -d "$upg" -f test/upgrade/catalog.sql > "$work/catalog-upgraded.txt"
q -d "$fresh" -f test/upgrade/catalog.sql > "$work/catalog-fresh.txt"
if ! diff -u "$work/catalog-fresh.txt" "$work/catalog-upgraded.txt"; then
  echo "upgrade: the updated catalog differs from a fresh $default install (- fresh, + updated)"; status=1
fi
echo "upgrade: $version catalog: $(wc -l < "$work/catalog-fresh.txt") facts compared, $(grep -c '' "$work/before.txt") lines of data compared"
[ $status -eq 0 ] || exit $status

# (c) every suite on the updated database
echo "upgrade: pg_regress on the updated database"
if ! make -s installcheck REGRESS_OPTS="--inputdir=. --use-existing --dbname=$upg"; then
  [ -f regression.diffs ] && cat regression.diffs
  exit 1
fi
echo "upgrade: pgTAP on the updated database"
q -d "$upg" -c 'CREATE EXTENSION pgtap'
pg_prove -f -d "$upg" test/pgtap/*.sql
