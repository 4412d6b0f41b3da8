#!/usr/bin/env python3
"""A call on the worker holding its app runs its statements on the app's
shards as PostgreSQL plans them, with plans kept across calls (run by
test/citus/run.sh after cluster_checks.py, whose `order` made the role
citus_owner and the app order-app).

Usage: local_plans.py COORD_PORT

Citus 13.2 plans a statement on a distributed table at every execution
(with the app id as a parameter it even writes the shard's query out and
parses it again), so the store names the app's shard tables itself while
a call about an app whose shards are all on this node runs
(src/citus_route.c). Each call below, made on the worker that holds the
app (as it runs when Citus delegates it), must show at DEBUG2 that it took
that route once, and no statement Citus planned or executed; and after
repeated calls the backend must keep generic plans written for the app's
shards (pg_backend_memory_contexts names each kept plan by its query).
Prints one line per call; exits non-zero when any fails.
"""
import sys

import psycopg

DB = "contrib_regression"
APP = "order-app"
ROUTED = f'annotations: statements of app "{APP}" run on its local shard group'
# what Citus says when it plans or runs a statement on a distributed table
BY_CITUS = ("Creating router plan", "Fast-path router query", "Deferred pruning",
            "Local executor", "Distributed planning", "Plan is router executable")


def main():
    coord = int(sys.argv[1])
    with psycopg.connect(host="127.0.0.1", port=coord, user="postgres", dbname=DB, autocommit=True) as c:
        port, shard = c.execute("""
            SELECT n.nodeport, s.shardid FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
              JOIN pg_dist_shard s ON s.shardid = p.shardid
             WHERE p.shardid = get_shard_id_for_distribution_column('annotations.annotations', %s::text)""",
                                [APP]).fetchone()
    # a superuser, who may read the backend's memory contexts, and who
    # owns every app (the route is the same for any caller)
    w = psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=DB, autocommit=True)
    seen = []
    w.add_notice_handler(lambda d: seen.append(d.message_primary or ""))
    calls = [
        ("get_annotation", "SELECT id FROM annotations.get_annotation(%s, 'in-1', 'before-0-0')"),
        ("list_annotations, first page", "SELECT id FROM annotations.list_annotations(%s, per_page => 5)"),
        ("list_annotations, after", "SELECT id FROM annotations.list_annotations(%s, per_page => 5, after => 3)"),
        ("count_annotations", "SELECT annotations.count_annotations(%s)"),
        ("patch_annotations", "SELECT id FROM annotations.patch_annotations(%s, 'merge', "
         "'[{\"id\": \"before-0-0\", \"status\": {\"code\": \"ANNOTATION_SUCCESS\"}}]')"),
    ]
    failed = 0
    for name, sql in calls:
        w.execute(sql, [APP]).fetchall()        # plans made on first use are not counted
        w.execute("SET client_min_messages = debug2")
        seen.clear()
        w.execute(sql, [APP]).fetchall()
        w.execute("RESET client_min_messages")
        routed = sum(m.startswith(ROUTED) for m in seen)
        citus = [m for m in seen if m.startswith(BY_CITUS)]
        ok = routed == 1 and not citus
        print(("ok: " if ok else "FAILED: ")
              + f"{name} on worker {port}: its statements run on the app's shards, none through Citus"
              + ("" if ok else f" (routed {routed} times; Citus: {citus[:3]})"))
        failed += not ok
    # where Citus would not execute on this node's shards itself (local
    # execution off: it connects to this node instead), the call does not
    # take the route either, so its statements and Citus's see each other
    sql = calls[0][1]
    want = w.execute(sql, [APP]).fetchall()
    w.execute("SET citus.enable_local_execution = off")
    w.execute("SET client_min_messages = debug2")
    seen.clear()
    got = w.execute(sql, [APP]).fetchall()
    w.execute("RESET client_min_messages")
    w.execute("RESET citus.enable_local_execution")
    routed = sum(m.startswith(ROUTED) for m in seen)
    ok = routed == 0 and got == want
    print(("ok: " if ok else "FAILED: ")
          + "with citus.enable_local_execution off the call goes through Citus, same rows"
          + ("" if ok else f" (routed {routed} times; rows {got} against {want})"))
    failed += not ok
    # on the other worker, where the app's shards are not, a call that runs
    # there (not delegated: inside a join) takes no route and reads the
    # app's rows through Citus from the worker that holds them
    with psycopg.connect(host="127.0.0.1", port=coord, user="postgres", dbname=DB, autocommit=True) as c:
        other = c.execute("SELECT nodeport FROM pg_dist_node WHERE groupid > 0 AND nodeport <> %s",
                          [port]).fetchone()[0]
    with psycopg.connect(host="127.0.0.1", port=other, user="postgres", dbname=DB, autocommit=True) as o:
        away = []
        o.add_notice_handler(lambda d: away.append(d.message_primary or ""))
        o.execute("SET client_min_messages = debug2")
        got = o.execute("SELECT g.id FROM generate_series(1, 1) s,"
                        " annotations.get_annotation(%s, 'in-1', 'before-0-0') g", [APP]).fetchall()
        o.execute("RESET client_min_messages")
    routed = sum(m.startswith(ROUTED) for m in away)
    ok = routed == 0 and got == want
    print(("ok: " if ok else "FAILED: ")
          + f"on worker {other}, which does not hold the app, a call takes no route and reads the same rows"
          + ("" if ok else f" (routed {routed} times; rows {got} against {want})"))
    failed += not ok
    # after several calls the plan cache holds generic plans of the store's
    # statements written for the app's shards
    for _ in range(6):
        for _, sql in calls:
            w.execute(sql, [APP]).fetchall()
    kept = w.execute("""
        SELECT count(*) FROM pg_backend_memory_contexts
         WHERE name = 'CachedPlan' AND ident LIKE %s""", [f"%annotations.annotations_{shard}%"]).fetchone()[0]
    ok = kept >= 3
    print(("ok: " if ok else "FAILED: ")
          + f"the worker's backend keeps generic plans written for the app's shard (annotations_{shard}): {kept}")
    failed += not ok
    print(f"local plans: {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
