#!/usr/bin/env python3
"""The small reads plan each statement on the app's local shard (run by
test/citus/run.sh after cluster_checks.py, whose `order` made the role
citus_owner and the app order-app).

Usage: local_plans.py COORD_PORT

A call delegated to the worker holding the app runs its statements there
with Citus's local execution. Citus 13.2 plans a one-table statement on the
local shard directly (no SQL written out for the shard and parsed again)
only when the app id in it is a constant; with the app id as a parameter
it takes the deferred-pruning path, which writes out, parses and plans the
shard's query at every execution, and a join goes through the router
planner, which does that too. So each read call, made on the worker that
holds the app (where it runs as it does when delegated), must show at
DEBUG2 one "created local execution plan" per statement Citus plans, that
plan used by the local executor, and no deferred pruning; patch_annotations
too, whose lock and UPDATE are one-table statements planned the same way. Prints one line per call; exits non-zero when any
fails.
"""
import sys

import psycopg

DB = "contrib_regression"
APP = "order-app"
LOCAL = "Fast-path router query: created local execution plan"
PLANNED = "Creating router plan"
DEFERRED = "Deferred pruning"
# the plan made on the shard is the one run (a write whose statement Citus
# must evaluate first is written out and parsed again instead)
CACHED = "Local executor: Using task's cached local plan"


def main():
    coord = int(sys.argv[1])
    with psycopg.connect(host="127.0.0.1", port=coord, user="postgres", dbname=DB, autocommit=True) as c:
        port = c.execute("""
            SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
             WHERE p.shardid = get_shard_id_for_distribution_column('annotations.apps', %s::text)""",
                         [APP]).fetchone()[0]
    w = psycopg.connect(host="127.0.0.1", port=port, user="citus_owner", dbname=DB, autocommit=True)
    seen = []
    w.add_notice_handler(lambda d: seen.append(d.message_primary or ""))
    calls = [
        ("get_annotation", "SELECT id FROM annotations.get_annotation(%s, 'in-1', 'before-0-0')", 3),
        ("list_annotations, first page", "SELECT id FROM annotations.list_annotations(%s, per_page => 5)", 3),
        ("list_annotations, after", "SELECT id FROM annotations.list_annotations(%s, per_page => 5, after => 3)", 3),
        ("count_annotations", "SELECT annotations.count_annotations(%s)", 2),
        # a write: the app, the lock of the annotations, their regions, the UPDATE
        ("patch_annotations", "SELECT id FROM annotations.patch_annotations(%s, 'merge', "
         "'[{\"id\": \"before-0-0\", \"status\": {\"code\": \"ANNOTATION_SUCCESS\"}}]')", 4),
    ]
    failed = 0
    for name, sql, statements in calls:
        w.execute(sql, [APP]).fetchall()        # plans made on first use are not counted
        w.execute("SET client_min_messages = debug2")
        seen.clear()
        w.execute(sql, [APP]).fetchall()
        w.execute("RESET client_min_messages")
        local = sum(LOCAL in m for m in seen)
        planned = sum(PLANNED in m for m in seen)
        deferred = sum(DEFERRED in m for m in seen)
        cached = sum(CACHED in m for m in seen)
        ok = local == planned == cached == statements and deferred == 0
        print(("ok: " if ok else "FAILED: ")
              + f"{name} on worker {port}: {statements} statements, each planned on the local shard"
              + ("" if ok else f" (local plans {local}, router plans {planned}, run as planned {cached},"
                                 f" deferred {deferred})"))
        failed += not ok
    print(f"local plans: {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
