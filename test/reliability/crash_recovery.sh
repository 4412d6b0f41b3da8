#!/usr/bin/env bash
# Crash recovery: concurrent clients post tagged batches while the
# postmaster is killed with SIGKILL; after a restart every batch whose COMMIT
# returned must be there whole and no batch in part (see crash_recovery.py).
# Needs the cluster in the PG* environment to be one we may kill: run it under
# pg_virtualenv (test/reliability/run.sh does). Options go to the .py script
# (--clients N, --rounds N, --load-seconds S, --seed N).
set -euo pipefail
cd "$(dirname "$0")"
db=annotations_crash
py=python3
/usr/bin/python3 -c 'import psycopg' 2>/dev/null && py=/usr/bin/python3

datadir=$(psql -XAtc 'SHOW data_directory')
# how to start this cluster again: pg_ctlcluster for a Debian cluster
# (pg_virtualenv makes one), else pg_ctl as the data directory's owner
restart=""
if command -v pg_lsclusters >/dev/null; then
  read -r ver name < <(pg_lsclusters -h | awk -v d="$datadir" '$6 == d {print $1, $2}') || true
  [ -n "${ver:-}" ] && restart="pg_ctlcluster $ver $name start"
fi
if [ -z "$restart" ]; then
  owner=$(stat -c %U "$datadir")
  bindir=$(pg_config --bindir)
  restart="su $owner -c '$bindir/pg_ctl -D $datadir -w -l $datadir/../crash_restart.log start'"
fi

# pg_virtualenv runs its clusters with fsync=off; a process crash loses
# nothing even then (the kernel keeps the written pages), but test what a
# production cluster runs with
psql -qXAt -c 'ALTER SYSTEM SET fsync = on' -c 'SELECT pg_reload_conf()' >/dev/null
trap 'psql -qXAt -c "ALTER SYSTEM RESET fsync" -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true' EXIT
echo "crash_recovery: fsync=$(psql -XAtc 'SHOW fsync'), data directory $datadir, restart with: $restart"

dropdb --if-exists "$db" 2>/dev/null || true
createdb "$db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION annotations;'
rc=0
PGDATABASE="$db" timeout 600 "$py" crash_recovery.py --restart "$restart" "$@" || rc=$?
dropdb --if-exists "$db" || true
exit $rc
