#!/usr/bin/env python3
"""Checks of the store on a Citus cluster that the single-node suites cannot
make (run by test/citus/run.sh, after distribute()).

  cluster_checks.py order COORD W1 W2     oldest-first order and keyset paging
                                           with posts entering through every
                                           node, before and after the app's
                                           shard moves to the other worker
  cluster_checks.py routing COORD          every API call on one app is one
                                           delegated statement on the worker
                                           holding it, no two-phase commit
  cluster_checks.py plans COORD            direct SQL on one app's rows is one
                                           task on one worker, which uses the
                                           app-led indexes
  cluster_checks.py lifecycle COORD W1 W2 the extension's life on a cluster
                                           where it was dropped: 1.0 created,
                                           updated to 1.1 through the
                                           coordinator, distributed, the drop
                                           guard, an update of the distributed
                                           store, dropped again leaving nothing

Roles citus_owner, citus_collab and citus_stranger (LOGIN, as Citus needs)
are made by `order`, which runs first; `lifecycle` runs after the store
was dropped. Prints one line per check and exits
non-zero when any fails.
"""
import random
import re
import sys

import psycopg
from psycopg.types.json import Jsonb

DB = "contrib_regression"
APP = "order-app"
failures = []


def conn(port, user):
    return psycopg.connect(host="127.0.0.1", port=port, user=user, dbname=DB, autocommit=True)


def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        failures.append(what)


def post_round(sessions, tag, posted):
    """Each session (one per node and role) posts a batch of 3, in turn."""
    for i, (name, c) in enumerate(sessions):
        ids = [f"{tag}-{i}-{k}" for k in range(3)]
        items = [{"id": a, "input_id": "in-1", "data": {"concepts": [{"id": name}]}} for a in ids]
        got = [r[0] for r in c.execute(
            "SELECT id FROM annotations.post_annotations(%s, %s)", [APP, Jsonb(items)])]
        check(got == ids, f"{tag}: batch {i} posted through {name}")
        posted.extend(ids)


def listing(c, after=None, per_page=4):
    """Every listed annotation, page by page with after, as (id, seq)."""
    rows = []
    while True:
        page = c.execute(
            "SELECT id, seq FROM annotations.list_annotations(%s, per_page => %s, after => %s)",
            [APP, per_page, after]).fetchall()
        if not page:
            return rows
        rows.extend(page)
        after = page[-1][1]


def check_order(sessions, posted, tag):
    for name, c in sessions:
        rows = listing(c)
        seqs = [s for _, s in rows]
        check([i for i, _ in rows] == posted, f"{tag}: oldest first, every row once, read through {name}")
        check(all(a < b for a, b in zip(seqs, seqs[1:])), f"{tag}: seq strictly increasing, read through {name}")


def placement(su):
    shard = su.execute("SELECT get_shard_id_for_distribution_column('annotations.apps', %s::text)", [APP]).fetchone()[0]
    port = su.execute(
        "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = %s",
        [shard]).fetchone()[0]
    return shard, port


def order(ports):
    coord, w1, w2 = ports
    su = conn(coord, "postgres")
    for role in ("citus_owner", "citus_collab", "citus_stranger"):
        su.execute(f"DROP ROLE IF EXISTS {role}")
        su.execute(f"CREATE ROLE {role} LOGIN")
    owner = conn(coord, "citus_owner")
    owner.execute("SELECT annotations.create_app(%s)", [APP])
    owner.execute("SELECT annotations.add_collaborator(%s, 'citus_collab')", [APP])
    owner.execute("SELECT count(*) FROM annotations.post_inputs(%s, %s)",
                  [APP, Jsonb([{"id": "in-1", "data": {"text": {"raw": "x"}}}])])
    sessions = []
    for role in ("citus_owner", "citus_collab"):
        for label, port in (("coordinator", coord), ("worker1", w1), ("worker2", w2)):
            sessions.append((f"{role}@{label}", conn(port, role)))

    posted = []
    post_round(sessions, "before", posted)
    check_order(sessions, posted, "before the move")
    last_before = listing(sessions[0][1])[-1][1]

    shard, source = placement(su)
    target = w2 if source == w1 else w1
    # the target's sequence far behind the app, as on a worker just added
    conn(target, "postgres").execute("SELECT setval('annotations.annotation_seq', 1)")
    su.execute("SELECT citus_move_shard_placement(%s, '127.0.0.1', %s, '127.0.0.1', %s,"
               " shard_transfer_mode => 'block_writes')", [shard, source, target])
    check(placement(su)[1] == target, f"the app's shard moved from worker :{source} to :{target}")

    new = []
    post_round(sessions, "after", new)
    posted.extend(new)
    check_order(sessions, posted, "after the move")
    for name, c in sessions:
        page = [i for i, _ in listing(c, after=last_before)]
        check(page == new, f"after the move: paging after the last old seq finds exactly the new rows, through {name}")


def routing(ports):
    coord = ports[0]
    c = conn(coord, "citus_owner")
    c.execute("SET citus.log_remote_commands = on")
    c.execute("SET client_min_messages = log")
    sent = []
    c.add_notice_handler(lambda d: sent.append(d.message_primary or ""))
    calls = [
        ("get_annotation", "SELECT id FROM annotations.get_annotation(%s, 'in-1', 'before-0-0')"),
        ("list_annotations", "SELECT id FROM annotations.list_annotations(%s, per_page => 5)"),
        ("list_annotations", "SELECT id FROM annotations.list_annotations(%s, after => 3, user_ids => '{citus_owner}')"),
        ("count_annotations", "SELECT annotations.count_annotations(%s)"),
        ("post_inputs", "SELECT id FROM annotations.post_inputs(%s, '[{\"id\": \"in-2\", \"data\": {\"text\": {\"raw\": \"y\"}}}]')"),
        ("post_annotations", "SELECT id FROM annotations.post_annotations(%s, '[{\"id\": \"r-1\", \"input_id\": \"in-2\", "
         "\"data\": {\"regions\": [{\"region_info\": {\"bounding_box\": {\"top_row\": 0, \"left_col\": 0, "
         "\"bottom_row\": 0.5, \"right_col\": 0.5}}, \"data\": {\"concepts\": [{\"id\": \"box\"}]}}]}}]')"),
        ("patch_annotations", "SELECT id FROM annotations.patch_annotations(%s, 'merge', "
         "'[{\"id\": \"r-1\", \"status\": {\"code\": \"ANNOTATION_PENDING\"}}]')"),
        ("export_coco", "SELECT annotations.export_coco(%s)"),
        ("evaluate_detections", "SELECT count(*) FROM annotations.evaluate_detections(%s, '{m}')"),
        ("app_annotations", "SELECT count(*) FROM annotations.app_annotations(%s)"),
        ("delete_annotation", "SELECT annotations.delete_annotation(%s, 'in-2', 'r-1')"),
        ("delete_inputs", "SELECT annotations.delete_inputs(%s, '{in-2}')"),
    ]
    for name, sql in calls:
        sent.clear()
        c.execute(sql, [APP])
        issued = [m for m in sent if m.startswith("issuing ")]
        one = len(issued) == 1 and f"annotations.{name}(" in issued[0]
        check(one, f"{name}: one statement, the call itself, sent to the app's worker"
              + ("" if one else f" (sent: {issued})"))
    # inside a transaction block too, committed in one phase
    sent.clear()
    with c.transaction():
        c.execute("SELECT id FROM annotations.post_annotations(%s, '[{\"id\": \"t-1\", \"input_id\": \"in-1\"}]')", [APP])
        c.execute("SELECT id FROM annotations.list_annotations(%s, per_page => 1)", [APP])
    issued = [m for m in sent if m.startswith("issuing ")]
    calls_sent = [m for m in issued if "annotations." in m]
    two_phase = [m for m in issued if "PREPARE TRANSACTION" in m or "COMMIT PREPARED" in m]
    check(len(calls_sent) == 2 and not two_phase,
          f"in a transaction block: both calls delegated, no two-phase commit (sent: {issued})")
    # what the worker itself does while it runs a call: the app's shards are
    # there, so the call's statements name them and PostgreSQL runs them as
    # on one server; Citus neither sends anything to another node nor
    # executes anything itself, also for writes that add a concept to the
    # catalogue (SET LOCAL travels to the worker's session with the
    # transaction, and its notices come back)
    worker_sent = []
    c.add_notice_handler(lambda d: worker_sent.append(d.message_primary or "")
                         if (d.message_detail or "").startswith("from ") else None)
    writes = [
        ("post_inputs", "SELECT id FROM annotations.post_inputs(%s, '[{\"id\": \"in-3\", "
         "\"data\": {\"text\": {\"raw\": \"z\"}, \"concepts\": [{\"id\": \"new-in-input\"}]}}]')"),
        ("post_annotations", "SELECT id FROM annotations.post_annotations(%s, '[{\"id\": \"r-2\", "
         "\"input_id\": \"in-1\", \"data\": {\"concepts\": [{\"id\": \"new-in-post\"}]}}]')"),
        ("patch_annotations", "SELECT id FROM annotations.patch_annotations(%s, 'merge', "
         "'[{\"id\": \"r-2\", \"data\": {\"concepts\": [{\"id\": \"new-in-patch\"}]}}]')"),
    ]
    for name, sql in writes:
        worker_sent.clear()
        with c.transaction():
            c.execute("SET LOCAL citus.propagate_set_commands = 'local'")
            c.execute("SET LOCAL citus.log_remote_commands = on")
            c.execute("SET LOCAL citus.log_local_commands = on")
            c.execute("SET LOCAL client_min_messages = debug2")
            c.execute("SET LOCAL citus.worker_min_messages = debug2")
            c.execute(sql, [APP])
        remote = [m for m in worker_sent if m.startswith("issuing ")]
        by_citus = [m for m in worker_sent if m.startswith("executing the ")]
        routed = [m for m in worker_sent if m.startswith(f'annotations: statements of app "{APP}" run on its local shard group')]
        check(not remote and not by_citus and len(routed) == 1,
              f"{name} adding a concept: the worker runs it on the app's own shards, Citus sends and executes nothing"
              + ("" if not remote else f" (the worker sent: {remote})")
              + ("" if not by_citus else f" (Citus executed: {by_citus})")
              + ("" if len(routed) == 1 else f" (routed {len(routed)} times)"))
    c.execute("SELECT annotations.delete_inputs(%s, '{in-3}')", [APP])
    c.execute("SELECT annotations.delete_annotation(%s, 'in-1', 'r-2')", [APP])


def plan_lines(c, sql):
    return [r[0] for r in c.execute("EXPLAIN (COSTS OFF) " + sql).fetchall()]


def plans(ports):
    """The cluster's side of the *_plans regression files: a query on one
    app's rows goes to one worker as one task, and the worker's plan reads
    the same index as one server's (planner settings travel with the
    transaction, as region_search sets them)."""
    c = conn(ports[0], "postgres")
    # an app with enough boxes and inputs for the worker's planner to care,
    # and statistics taken (Citus sends ANALYZE to every shard)
    c.execute("SELECT annotations.create_app('plans-app')")
    for first in (0, 128):
        c.execute("SELECT count(*) FROM annotations.post_inputs('plans-app', %s)",
                  [Jsonb([{"id": f"img-{i}", "data": {"image": {"url": f"https://x/{i}.jpg"}}}
                          for i in range(first, first + 128)])])
    rnd = random.Random(42)
    for batch in range(3):
        boxes = []
        for _ in range(128):
            top, left, side = rnd.random() * 0.7, rnd.random() * 0.7, 0.01 + rnd.random() * 0.2
            boxes.append({"input_id": f"img-{rnd.randrange(256)}", "data": {"regions": [{"region_info": {"bounding_box": {
                "top_row": top, "left_col": left, "bottom_row": top + side, "right_col": left + side}}}]}})
        c.execute("SELECT count(*) FROM annotations.post_annotations('plans-app', %s)", [Jsonb(boxes)])
    c.execute("ANALYZE annotations.inputs, annotations.regions")
    queries = [
        ("a deep page of inputs", "inputs_created_idx",
         "SELECT i.id FROM annotations.inputs i WHERE i.app_id = %s AND (i.created_at, i.id) > (now(), 'x')"
         " ORDER BY i.created_at, i.id LIMIT 5"),
        ("a search by box", "regions_bbox_idx",
         "SELECT g.annotation_id FROM annotations.regions g WHERE g.app_id = %s"
         " AND g.bbox OPERATOR(annotations.&&) '(0.1,0.1,0.3,0.3)'"),
    ]
    for what, index, sql in queries:
        with c.transaction():
            c.execute("SET LOCAL citus.propagate_set_commands = 'local'")
            c.execute("SET LOCAL enable_seqscan = off")
            lines = plan_lines(c, sql.replace("%s", "'plans-app'"))
        text = "\n".join(lines)
        ok = ("Task Count: 1" in text and re.search(r"Index Cond: \(\(app_id = 'plans-app'::text\)", text)
              and re.search(rf"(Index Scan using|Index Only Scan using|Bitmap Index Scan on) {index}_[0-9]+", text) is not None)
        check(ok, f"plans: {what} is one task on one worker, by {index} with app_id"
              + ("" if ok else f" (plan: {lines})"))


def error_of(c, sql):
    """The SQLSTATE and message a statement fails with, or None."""
    try:
        c.execute(sql)
    except psycopg.Error as e:
        return (e.sqlstate, e.diag.message_primary)
    return None


def versions(nodes):
    """The installed version of the extension on every node (None: absent)."""
    return [c.execute("SELECT (SELECT extversion FROM pg_extension WHERE extname = 'annotations')").fetchone()[0]
            for c in nodes]


def distribution(coord):
    """How the store is distributed: its tables with their column and
    co-location group, and the functions registered for delegation."""
    tables = coord.execute(
        "SELECT logicalrelid::text, column_to_column_name(logicalrelid, partkey), colocationid"
        "  FROM pg_dist_partition WHERE logicalrelid::text LIKE 'annotations.%' ORDER BY 1").fetchall()
    functions = coord.execute(
        "SELECT p.oid::regprocedure::text, o.distribution_argument_index, o.colocationid, o.force_delegation"
        "  FROM pg_dist_object o JOIN pg_proc p ON o.classid = 'pg_proc'::regclass AND o.objid = p.oid"
        " WHERE p.pronamespace = 'annotations'::regnamespace AND o.distribution_argument_index IS NOT NULL"
        " ORDER BY 1").fetchall()
    return tables, functions


def left_on_workers(workers):
    """Relations left in schema annotations on each worker, shards included."""
    counts = []
    for w in workers:
        w.execute("SET citus.override_table_visibility = off")
        counts.append(w.execute("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                " WHERE n.nspname = 'annotations'").fetchone()[0])
    return counts


def lifecycle(ports):
    nodes = [conn(p, "postgres") for p in ports]
    coord, workers = nodes[0], nodes[1:]
    check(versions(nodes) == [None] * 3, "lifecycle: the extension is on no node (dropped before)")

    coord.execute("CREATE EXTENSION annotations VERSION '1.0'")
    check(versions(nodes) == ["1.0"] * 3, "lifecycle: CREATE EXTENSION VERSION '1.0' on the coordinator made it on every node")
    coord.execute("SELECT annotations.create_app('from-1.0')")
    refused = error_of(workers[0], "ALTER EXTENSION annotations UPDATE")
    check(refused == ("XX000", "operation is not allowed on this node") and versions(nodes) == ["1.0"] * 3,
          f"lifecycle: ALTER EXTENSION UPDATE on a worker is refused and changes nothing (got {refused})")
    coord.execute("ALTER EXTENSION annotations UPDATE")
    check(versions(nodes) == ["1.1"] * 3, "lifecycle: ALTER EXTENSION UPDATE on the coordinator updated every node to 1.1")

    coord.execute("SELECT annotations.distribute()")
    tables, functions = distribution(coord)
    check(len(tables) == 6 and len({t[2] for t in tables}) == 1 and len(functions) >= 20
          and all(f[1] == 0 and f[3] for f in functions),
          f"lifecycle: the updated store distributed: 6 co-located tables, {len(functions)} functions delegated")
    workers[0].execute("SELECT annotations.post_inputs('from-1.0', '[{\"id\": \"i1\", \"data\": {\"text\": {\"raw\": \"x\"}}}]')")
    got = [c.execute("SELECT count(*) FROM annotations.list_inputs('from-1.0')").fetchone()[0] for c in nodes]
    check(got == [1, 1, 1], f"lifecycle: the app made on 1.0 takes inputs through a worker and lists them through every node ({got})")

    guard = error_of(coord, "DROP EXTENSION annotations")
    kept = left_on_workers(workers)
    check(guard is not None and guard[0] == "2BP01" and "still holds data" in guard[1]
          and versions(nodes) == ["1.1"] * 3 and min(kept) > 0,
          f"lifecycle: the drop guard refuses to drop a distributed store holding data, and every node keeps it (got {guard})")

    notice = []
    coord.add_notice_handler(lambda d: notice.append(d.message_primary or ""))
    coord.execute("ALTER EXTENSION annotations UPDATE")
    check(any('version "1.1" of extension "annotations" is already installed' in n for n in notice)
          and distribution(coord) == (tables, functions) and versions(nodes) == ["1.1"] * 3,
          "lifecycle: ALTER EXTENSION UPDATE of the distributed store at its latest version changes nothing:"
          " every table distributed as before, every function delegated as before")
    got = [c.execute("SELECT count(*) FROM annotations.list_inputs('from-1.0')").fetchone()[0] for c in nodes]
    check(got == [1, 1, 1], "lifecycle: and the app still reads through every node")

    coord.execute("SET annotations.confirm_drop = on")
    coord.execute("DROP EXTENSION annotations")
    check(versions(nodes) == [None] * 3 and left_on_workers(workers) == [0, 0],
          "lifecycle: dropped with confirm_drop, no node keeps the extension or anything in schema annotations")


def main():
    what, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
    {"order": order, "routing": routing, "plans": plans, "lifecycle": lifecycle}[what](ports)
    print(f"{what}: {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
