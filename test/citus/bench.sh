#!/usr/bin/env bash
# make bench-citus: API call latency through a Citus coordinator (store
# distributed over two workers) against one server, side by side on this
# machine: the peer is a database of the coordinator's own server without
# Citus, so both run on the same binaries, settings and hardware.
# Environment: PG_CONFIG; CITUS_BENCH_DIR (default a new directory in /tmp).
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}
export PATH="$("$PG_CONFIG" --bindir):$PATH"
dir=${CITUS_BENCH_DIR:-$(mktemp -d /tmp/citus-bench.XXXXXX)}
chmod 755 "$dir"
export CITUS_DB=annotations_bench
bash test/citus/cluster.sh start "$dir"
eval "$(bash test/citus/cluster.sh env "$dir")"
trap 'bash test/citus/cluster.sh stop "$dir"' EXIT
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -d "$CITUS_DB" <<'SQL'
CREATE ROLE bench_owner LOGIN;
CREATE EXTENSION annotations;
SELECT annotations.distribute();
CREATE DATABASE annotations_single;
SQL
# the floor of a routed call: a function that does nothing, delegated by its
# app id like the API's functions (a plain function on one server)
noop="CREATE FUNCTION public.bench_noop(app_id text) RETURNS int LANGUAGE plpgsql AS 'BEGIN RETURN 1; END'"
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -d annotations_single -c 'CREATE EXTENSION annotations' -c "$noop"
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -d "$CITUS_DB" -c "$noop" -c "SELECT create_distributed_function('public.bench_noop(text)', 'app_id', colocate_with := 'annotations.apps', force_delegation := true)" >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql -X -At -h 127.0.0.1 -d "$CITUS_DB" -c "SELECT version()" | cut -d, -f1), Citus $(psql -X -At -h 127.0.0.1 -d "$CITUS_DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'")"
/usr/bin/python3 test/citus/bench.py "$CITUS_DB" annotations_single "$PGPORT"
# where a small read's time goes: CPU per call of each backend involved
echo
/usr/bin/python3 test/citus/read_cpu.py "$CITUS_DB" annotations_single "$PGPORT"
