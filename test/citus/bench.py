#!/usr/bin/env python3
"""make bench-citus: API calls through a Citus coordinator against the same
calls on one server, side by side on this machine (run by
test/citus/bench.sh).

Usage: bench.py CLUSTER_DB SINGLE_DB PORT
  CLUSTER_DB: a database of the coordinator where the store is distributed
  SINGLE_DB:  a database of the same server without Citus (the peer)

Both are called as the LOGIN role bench_owner. For each call: the median
latency of a run of calls, the two sides taking turns, and the ratio
cluster / single. The last call is a function that does nothing
(bench_noop, made by bench.sh), delegated on the cluster like the API: the
fixed cost of a routed call. Then the order
design under concurrency: 4 clients posting into one app against 4 clients
posting into 4 apps, rows per second, on each.
"""
import statistics
import sys
import threading
import time

import psycopg
from psycopg.types.json import Jsonb

BATCH = 128
PREFILL_BATCHES = 80          # 10,240 annotations before the timed calls
RUNS = 30
CONCURRENT_BATCHES = 25       # per client


def conn(db, port):
    return psycopg.connect(host="127.0.0.1", port=port, user="bench_owner", dbname=db, autocommit=True)


def items(prefix, n, with_box=True):
    out = []
    for k in range(n):
        a = {"id": f"{prefix}-{k}", "input_id": f"in-{k % 16}",
             "data": {"concepts": [{"id": "c1", "value": 1}, {"id": "c2", "value": 0}]}}
        if with_box:
            a["data"]["regions"] = [{"region_info": {"bounding_box": {
                "top_row": 0.1, "left_col": 0.1, "bottom_row": 0.5, "right_col": 0.5}},
                "data": {"concepts": [{"id": "box", "value": 1}]}}]
        out.append(a)
    return out


def setup_app(c, app):
    c.execute("SELECT annotations.create_app(%s)", [app])
    c.execute("SELECT count(*) FROM annotations.post_inputs(%s, %s)",
              [app, Jsonb([{"id": f"in-{k}", "data": {"image": {"url": f"https://e/{k}.jpg",
                  "image_info": {"width": 640, "height": 480}}}} for k in range(16)])])


def prepare(db, port, tag):
    """The app of one side, filled, analyzed; its session and the seq of its middle row."""
    c = conn(db, port)
    app = f"bench-{tag}"
    setup_app(c, app)
    for b in range(PREFILL_BATCHES):
        c.execute("SELECT count(*) FROM annotations.post_annotations(%s, %s)", [app, Jsonb(items(f"pre{b}", BATCH))])
    # statistics for the grown tables: without them the plans PostgreSQL
    # keeps for the foreign-key checks may scan the whole app (both sides)
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=db, autocommit=True) as su:
        su.execute("ANALYZE annotations.inputs, annotations.annotations, annotations.regions")
    mid = c.execute("SELECT seq FROM annotations.list_annotations(%s, page => %s, per_page => 1)",
                    [app, PREFILL_BATCHES * BATCH // 2]).fetchone()[0]
    return c, app, mid


CALLS = [
    # name, SQL, arguments of run i (app, middle seq, i), runs
    ("post 128", "SELECT count(*) FROM annotations.post_annotations(%s, %s)",
     lambda app, mid, i: [app, Jsonb(items(f"run{i}", BATCH))], RUNS),
    ("list first page", "SELECT id FROM annotations.list_annotations(%s, per_page => 20)",
     lambda app, mid, i: [app], RUNS * 4),
    ("list deep page", "SELECT id FROM annotations.list_annotations(%s, per_page => 20, after => %s)",
     lambda app, mid, i: [app, mid], RUNS * 4),
    ("patch merge 128", "SELECT count(*) FROM annotations.patch_annotations(%s, 'merge', %s)",
     lambda app, mid, i: [app, Jsonb([{"id": f"pre{i}-{k}", "data": {"concepts": [{"id": f"p{i}", "value": 1}]}}
                                      for k in range(BATCH)])], RUNS),
    ("get_annotation", "SELECT id FROM annotations.get_annotation(%s, 'in-1', 'pre0-1')",
     lambda app, mid, i: [app], RUNS * 4),
    # the floor: a function that does nothing, delegated like the API
    ("no-op call", "SELECT bench_noop(%s)", lambda app, mid, i: [app], RUNS * 4),
]


def measure(single, cluster):
    """Median latency of each call on each side, the two sides taking turns
    call by call, so the load of a shared machine weighs on both alike."""
    r = {"single": {}, "cluster": {}}
    for name, sql, args_of, runs in CALLS:
        times = {"single": [], "cluster": []}
        for i in range(runs):
            for side, (c, app, mid) in (("single", single), ("cluster", cluster)):
                args = args_of(app, mid, i)
                t = time.perf_counter()
                c.execute(sql, args).fetchall()
                times[side].append(time.perf_counter() - t)
        for side in times:
            r[side][name] = statistics.median(times[side]) * 1000
    return r["single"], r["cluster"]


def concurrent(db, port, apps, tag):
    """4 clients, each posting CONCURRENT_BATCHES batches; rows per second."""
    c = conn(db, port)
    names = [f"conc-{tag}-{a}" for a in range(apps)]
    for n in names:
        setup_app(c, n)
    conns = [conn(db, port) for _ in range(4)]
    start = threading.Barrier(5)

    def client(k):
        app = names[k % apps]
        start.wait()
        for b in range(CONCURRENT_BATCHES):
            conns[k].execute("SELECT count(*) FROM annotations.post_annotations(%s, %s)",
                             [app, Jsonb(items(f"c{k}-{b}", BATCH, with_box=False))])

    threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    # order held: seq strictly increasing in each app, every row there once
    for n in names:
        seqs = [s for (s,) in c.execute(
            "SELECT seq FROM annotations.list_annotations(%s, per_page => 1000, after => 0)", [n])]
        assert len(seqs) == len(set(seqs)), f"duplicate seq in {n}"
    return 4 * CONCURRENT_BATCHES * BATCH / elapsed


def main():
    cluster_db, single_db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    single, cluster = measure(prepare(single_db, port, "single"), prepare(cluster_db, port, "cluster"))
    print(f"{'call':<20} {'single ms':>10} {'cluster ms':>11} {'ratio':>7}")
    worst = 0.0
    for k in single:
        ratio = cluster[k] / single[k]
        if k != "no-op call":       # the floor, not an API call
            worst = max(worst, ratio)
        print(f"{k:<20} {single[k]:>10.2f} {cluster[k]:>11.2f} {ratio:>6.2f}x")
    print(f"worst ratio of the API calls: {worst:.2f}x (target: within 2x; the no-op call is the floor, for reference)")
    print()
    print(f"{'4 posting clients':<20} {'single rows/s':>14} {'cluster rows/s':>15}")
    for apps in (1, 4):
        s = concurrent(single_db, port, apps, f"s{apps}")
        c = concurrent(cluster_db, port, apps, f"c{apps}")
        print(f"{'into ' + str(apps) + ' app' + ('s' if apps > 1 else ''):<20} {s:>14.0f} {c:>15.0f}")


if __name__ == "__main__":
    main()
