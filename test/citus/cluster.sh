#!/usr/bin/env bash
# A throwaway three-node Citus cluster (one coordinator, two workers) on this
# machine, for the scale-out tests.
#
# Why this exists: the extension is meant to run with its tables distributed
# by app across Citus workers, and the only honest way to check that is to
# run it on a real cluster. pg_virtualenv, which the single-node tests use,
# makes one server; this script makes three, all on loopback, owned by the
# postgres OS user, with Citus preloaded and the workers registered, and
# tears them down again. It needs Citus and the annotations library
# installed in the server that pg_config names (test/citus/build.sh and
# make install do that), since both are preloaded.
#
# Usage:
#   cluster.sh start DIR   create (or restart) the cluster under DIR
#   cluster.sh stop DIR    stop it; fails if any server crashed while running
#   cluster.sh env DIR     print export lines for psql and the tests:
#                          eval "$(bash test/citus/cluster.sh env DIR)"
# Environment: CITUS_DB (database, default annotations_citus), PG_CONFIG,
#   CITUS_BASE_PORT (first port to try; default a random one).
set -euo pipefail

die() { echo "cluster.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start|stop|env DIR"; }

[ $# -eq 2 ] || usage
cmd=$1
dir=$2
db=${CITUS_DB:-annotations_citus}
PG_CONFIG=${PG_CONFIG:-pg_config}
command -v "$PG_CONFIG" >/dev/null 2>&1 || die "pg_config not found (set PG_CONFIG or put it on PATH)"
bindir=$("$PG_CONFIG" --bindir)
nodes=(coordinator worker1 worker2)

# The servers refuse to run as root, so as root everything that touches the
# data directories runs as the postgres OS user.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no postgres OS user"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

# psql against one node as the postgres role, over loopback TCP.
node_psql() {
  local port=$1 database=$2
  shift 2
  PGOPTIONS='-c client_min_messages=warning' "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
    -U postgres -d "$database" "$@"
}

port_in_use() {
  local p=$1
  # Something listening on TCP, or a socket lock file left by a server.
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then return 0; fi
  [ -e "/tmp/.s.PGSQL.$p.lock" ] || [ -e "/var/run/postgresql/.s.PGSQL.$p.lock" ]
}

pick_ports() {
  local p=${CITUS_BASE_PORT:-$(( 20000 + RANDOM % 20000 ))} found=()
  while [ ${#found[@]} -lt 3 ]; do
    [ "$p" -lt 65000 ] || die "no free ports found"
    port_in_use "$p" || found+=("$p")
    p=$(( p + 1 ))
  done
  echo "${found[@]}"
}

state_file() { echo "$dir/cluster.env"; }

load_state() {
  [ -f "$(state_file)" ] || die "no cluster under $dir (missing $(state_file))"
  # shellcheck disable=SC1090
  . "$(state_file)"
  ports=("$PGPORT" "$WORKER1_PORT" "$WORKER2_PORT")
}

node_running() { as_pg "$bindir/pg_ctl" -D "$dir/$1" status >/dev/null 2>&1; }

init_node() {
  local name=$1 port=$2 pgdata="$dir/$1"
  as_pg "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust --no-sync \
    -E UTF8 --locale=C.UTF-8 >"$dir/$name.initdb.log" 2>&1 \
    || { cat "$dir/$name.initdb.log" >&2; die "initdb of $name failed"; }
  # Trust only on the local socket and loopback: the cluster is for tests.
  as_pg tee "$pgdata/pg_hba.conf" >/dev/null <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128 trust
EOF
  as_pg tee -a "$pgdata/postgresql.conf" >/dev/null <<EOF

# --- cluster.sh ---
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
# annotations too: its planner hook must run before Citus's on every node
shared_preload_libraries = 'citus,annotations'
# The coordinator opens connections to every worker per backend, and the
# workers connect to each other for delegated calls and shard moves.
max_connections = 200
# Shard moves use logical replication; multi-node writes use 2PC.
wal_level = logical
max_prepared_transactions = 200
max_wal_senders = 20
max_replication_slots = 20
# Throwaway data: durability only costs time here.
fsync = off
full_page_writes = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
EOF
}

start_node() {
  local name=$1
  node_running "$name" && return 0
  as_pg "$bindir/pg_ctl" -D "$dir/$name" -l "$dir/$name.log" -w -t 60 start >/dev/null \
    || { tail -20 "$dir/$name.log" >&2 || true; die "$name did not start"; }
}

do_start() {
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  as_pg test -w "$dir" -a -x "$dir" \
    || die "$dir is not writable by the postgres OS user (a parent directory may be private)"

  # Sockets go in DIR when its path is short enough for a Unix socket name.
  sockdir=$dir
  [ ${#dir} -le 80 ] || sockdir=/tmp

  if [ -f "$(state_file)" ]; then
    load_state
    echo "cluster.sh: restarting the existing cluster under $dir"
  else
    read -r -a ports <<<"$(pick_ports)"
    for i in 0 1 2; do init_node "${nodes[$i]}" "${ports[$i]}"; done
    cat >"$(state_file)" <<EOF
export PGHOST=127.0.0.1
export PGPORT=${ports[0]}
export PGUSER=postgres
export PGDATABASE=$db
export WORKER1_PORT=${ports[1]}
export WORKER2_PORT=${ports[2]}
EOF
  fi
  for name in "${nodes[@]}"; do start_node "$name"; done

  # Citus must be created in the same database on every node before the
  # workers can be registered.
  for i in 0 1 2; do
    node_psql "${ports[$i]}" postgres -v db="$db" <<'EOF'
SELECT format('CREATE DATABASE %I', :'db')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
EOF
    node_psql "${ports[$i]}" "$db" -c 'CREATE EXTENSION IF NOT EXISTS citus'
  done
  node_psql "${ports[0]}" "$db" -v cport="${ports[0]}" -v w1="${ports[1]}" -v w2="${ports[2]}" >/dev/null <<'EOF'
SELECT citus_set_coordinator_host('127.0.0.1', :cport);
SELECT citus_add_node('127.0.0.1', :w1);
SELECT citus_add_node('127.0.0.1', :w2);
EOF
  local n
  n=$(node_psql "${ports[0]}" "$db" -At -c 'SELECT count(*) FROM citus_get_active_worker_nodes()')
  [ "$n" = 2 ] || die "expected 2 active workers, found $n"
  echo "cluster.sh: coordinator on 127.0.0.1:${ports[0]}, workers on ${ports[1]} and ${ports[2]}, database $db"
}

do_stop() {
  [ -d "$dir" ] || die "no such directory: $dir"
  dir=$(cd "$dir" && pwd)
  local failed=0 name
  for name in "${nodes[@]}"; do
    [ -d "$dir/$name" ] || continue
    if node_running "$name"; then
      as_pg "$bindir/pg_ctl" -D "$dir/$name" -m fast -w -t 60 stop >/dev/null \
        || { echo "cluster.sh: $name did not stop" >&2; failed=1; }
    fi
  done
  # A crash of any backend (a segfault in Citus or in the extension) shows
  # up in the server log; a test run that caused one must not pass.
  for name in "${nodes[@]}"; do
    if [ -f "$dir/$name.log" ] && grep -q "terminated by signal" "$dir/$name.log"; then
      echo "cluster.sh: $name crashed:" >&2
      grep "terminated by signal" "$dir/$name.log" >&2
      failed=1
    fi
  done
  [ $failed -eq 0 ] || exit 1
  echo "cluster.sh: stopped the cluster under $dir"
}

case $cmd in
  start) do_start ;;
  stop) do_stop ;;
  env) dir=$(cd "$dir" 2>/dev/null && pwd) || die "no such directory: $2"; load_state; cat "$(state_file)" ;;
  *) usage ;;
esac
