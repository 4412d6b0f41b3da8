#!/usr/bin/env python3
"""Where a small read's time goes on a Citus cluster: the CPU time each
backend spends per call, read from /proc/PID/schedstat (nanoseconds), so the
load of a shared machine, which stretches wall times, weighs little.

Usage: read_cpu.py CLUSTER_DB SINGLE_DB PORT [CALLS]
  on a cluster made by bench.sh (or cluster.sh with the same set-up) whose
  nodes run on this machine; CALLS per call kind (default 1000). As the
  superuser of PG* it finds the backends; the calls run as bench_owner on
  the apps bench.py fills (bench-single, bench-cluster), which it fills
  first when they are missing.

For each call: the CPU per call of the one-server backend; of the
coordinator backend and of the worker backend that serves the delegated
call; the median wall time of each side; and what the wall time leaves
beyond the backends' CPU on each side (the client's own time and the
wake-ups on one server; the same plus the hop from coordinator to worker
and back on the cluster).
"""
import statistics
import sys
import time

import psycopg

import bench

CALLS = {
    "get_annotation": ("SELECT id FROM annotations.get_annotation(%s, 'in-1', 'pre0-1')", lambda a, m: [a]),
    "list first page": ("SELECT id FROM annotations.list_annotations(%s, per_page => 20)", lambda a, m: [a]),
    "list deep page": ("SELECT id FROM annotations.list_annotations(%s, per_page => 20, after => %s)",
                       lambda a, m: [a, m]),
    "no-op call": ("SELECT bench_noop(%s)", lambda a, m: [a]),
}


def cpu_ns(pid):
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def app_ready(db, port, tag):
    """The app bench.py fills on one side (filled here when missing) and the seq of its middle row."""
    c = bench.conn(db, port)
    app = f"bench-{tag}"
    if c.execute("SELECT count(*) FROM annotations.visible_apps WHERE id = %s", [app]).fetchone()[0] == 0:
        c.close()
        c, app, mid = bench.prepare(db, port, tag)
        c.close()
        return app, mid
    mid = c.execute("SELECT seq FROM annotations.list_annotations(%s, page => %s, per_page => 1)",
                    [app, bench.PREFILL_BATCHES * bench.BATCH // 2]).fetchone()[0]
    c.close()
    return app, mid


def timed(c, pids, sql, args, calls):
    """CPU per call of each backend in pids (ms) and the median wall time (ms)."""
    for _ in range(20):
        c.execute(sql, args).fetchall()
    before = [cpu_ns(p) for p in pids]
    walls = []
    for _ in range(calls):
        t = time.perf_counter()
        c.execute(sql, args).fetchall()
        walls.append(time.perf_counter() - t)
    return [(cpu_ns(p) - b) / calls / 1e6 for p, b in zip(pids, before)], statistics.median(walls) * 1000


def worker_backend(cluster_db, port, app, coordinator_pid):
    """The port of the worker holding app and the pid of the backend serving coordinator_pid there."""
    with psycopg.connect(host="127.0.0.1", port=port, dbname=cluster_db, autocommit=True) as su:
        wport = su.execute(
            "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)"
            " WHERE p.shardid = get_shard_id_for_distribution_column('annotations.apps', %s::text)", [app]).fetchone()[0]
    with psycopg.connect(host="127.0.0.1", port=wport, dbname=cluster_db, autocommit=True) as w:
        # Citus names its connections by the global pid, which ends with the coordinator backend's pid
        return w.execute("SELECT pid FROM pg_stat_activity WHERE usename = 'bench_owner'"
                         " AND application_name LIKE %s", ["%0" + str(coordinator_pid)]).fetchone()[0]


def main():
    cluster_db, single_db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    single_app, single_mid = app_ready(single_db, port, "single")
    cluster_app, cluster_mid = app_ready(cluster_db, port, "cluster")
    print(f"{'call':<16} {'one server':>10} {'coordinator':>11} {'worker':>7} | {'wall: one':>9} {'cluster':>7}"
          f" | {'rest: one':>9} {'cluster':>7}   (ms per call: CPU, wall, wall less CPU)")
    for name, (sql, args_of) in CALLS.items():
        with bench.conn(single_db, port) as s, bench.conn(cluster_db, port) as c:
            s_pid = s.execute("SELECT pg_backend_pid()").fetchone()[0]
            c_pid = c.execute("SELECT pg_backend_pid()").fetchone()[0]
            c.execute(sql, args_of(cluster_app, cluster_mid)).fetchall()
            w_pid = worker_backend(cluster_db, port, cluster_app, c_pid)
            (s_cpu,), s_wall = timed(s, [s_pid], sql, args_of(single_app, single_mid), calls)
            (c_cpu, w_cpu), c_wall = timed(c, [c_pid, w_pid], sql, args_of(cluster_app, cluster_mid), calls)
        print(f"{name:<16} {s_cpu:>10.3f} {c_cpu:>11.3f} {w_cpu:>7.3f} | {s_wall:>9.3f} {c_wall:>7.3f}"
              f" | {s_wall - s_cpu:>9.3f} {c_wall - c_cpu - w_cpu:>7.3f}", flush=True)


if __name__ == "__main__":
    main()
