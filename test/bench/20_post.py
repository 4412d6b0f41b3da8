#!/usr/bin/env python3
"""post_annotations vs a plain multi-row INSERT with a cached plan (target: ratio >= 0.9).

Both sides write the same shape of rows into the same tables of one app:
an annotation with 2 concepts and one bbox region, on existing inputs, 128 a
batch. Batches alternate (post, insert, insert, post, ...) so both sides see
the same table size; each batch is one client call in autocommit mode (one
transaction) timed with perf_counter around execute (+ arrival of the rows
post_annotations returns, undecoded). The INSERTs are one prepared
statement (parameters for 128 rows a table), so their plan is cached like
the API's. The API is called as a plain login role that owns the app, as
deployed; the INSERTs run as the tables' owner, the only role that may write
the tables directly.
"""
import json
import math
import os
import random
import sys
import time

import psycopg

from benchlib import BENCH_ROLE, connect, drop_db, fresh_db, log, median


DB = "bench_post"
APP = "bench_post"
ROWS = int(os.environ.get("BENCH_POST_ROWS", "1000000"))
BATCH = 128
N_INPUTS = 100_000
N_CONCEPTS = 200
TARGET = 0.9

rng = random.Random(20)


def setup():
    fresh_db(DB)
    with connect(DB) as c:
        c.execute("SELECT annotations.create_app(%s, %s)", (APP, BENCH_ROLE))
        c.execute("""
            INSERT INTO annotations.inputs (app_id, id, data)
            SELECT %(app)s, 'in' || g, jsonb_build_object('image', jsonb_build_object(
                       'url', 'https://example.com/img/' || g || '.jpg',
                       'image_info', jsonb_build_object('width', 640, 'height', 480)))
              FROM generate_series(1, %(n)s) g""", {"app": APP, "n": N_INPUTS})
        c.execute("""
            INSERT INTO annotations.annotations (app_id, id, input_id, user_id, input_level)
            SELECT %(app)s, md5('lvl' || g), 'in' || g, %(role)s, true
              FROM generate_series(1, %(n)s) g""", {"app": APP, "n": N_INPUTS, "role": BENCH_ROLE})
        c.execute("VACUUM ANALYZE")


def make_batch(n):
    """n annotations: (id, input_id, concepts json, region id, bbox 4-tuple)."""
    rows = []
    for _ in range(n):
        c1, c2 = rng.sample(range(N_CONCEPTS), 2)
        concepts = [{"id": f"concept{c1}", "value": 1}, {"id": f"concept{c2}", "value": 0.5}]
        t, l = rng.randrange(0, 500) / 1000, rng.randrange(0, 500) / 1000
        b, r = t + rng.randrange(1, 500) / 1000, l + rng.randrange(1, 500) / 1000
        rows.append(("%032x" % rng.getrandbits(128), f"in{rng.randrange(1, N_INPUTS + 1)}",
                     concepts, "%032x" % rng.getrandbits(128), (t, l, b, r)))
    return rows


def post_payload(rows):
    return json.dumps([
        {"id": aid, "input_id": inp, "data": {
            "concepts": concepts,
            "regions": [{"id": rid, "region_info": {"bounding_box": {
                "top_row": bb[0], "left_col": bb[1], "bottom_row": bb[2], "right_col": bb[3]}}}]}}
        for aid, inp, concepts, rid, bb in rows])


def insert_statement(n):
    """The plain multi-row INSERTs (one per table) as one statement with n rows
    of parameters: prepared once, its plan cached, one round trip and one
    implicit transaction, like one post call. The regions' INSERT is the
    outer statement and the annotations' a data-modifying WITH, so the
    regions' foreign-key checks (at the end of the statement) see the
    annotations."""
    a = ",".join("(%s,%s,%s,%s,%s::jsonb)" for _ in range(n))
    g = ",".join("(%s,%s,%s,%s,%s::annotations.bbox,'[]'::jsonb)" for _ in range(n))
    return ("WITH a AS (INSERT INTO annotations.annotations (app_id, id, input_id, user_id, concepts) VALUES "
            + a + ") INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox, concepts) VALUES "
            + g)


def insert_params(rows, user):
    params = []
    for aid, inp, concepts, rid, bb in rows:
        params += [APP, aid, inp, user, json.dumps(concepts)]
    for aid, inp, concepts, rid, bb in rows:
        params += [APP, aid, rid, inp, f"({bb[0]},{bb[1]},{bb[2]},{bb[3]})"]
    return params


def probe_shipped(conn):
    """Can this connection's role post an annotation with a region?"""
    try:
        with conn.transaction():
            conn.execute("SELECT * FROM annotations.post_annotations(%s, %s::jsonb)",
                         (APP, post_payload(make_batch(1))))
            raise psycopg.Rollback()
        return None
    except psycopg.Error as e:
        return f"{e.sqlstate}: {e.diag.message_primary}"


def run(conn, plain, func, user, n_rows, label):
    n_batches = math.ceil(n_rows / BATCH)
    post_q = f"SELECT * FROM {func}(%s, %s::jsonb)"
    ins_q = insert_statement(BATCH)
    t_post, t_ins = [], []
    started = time.time()
    for i in range(n_batches):
        p_rows, i_rows = make_batch(BATCH), make_batch(BATCH)
        payload, ins = post_payload(p_rows), insert_params(i_rows, user)
        order = ("post", "insert") if i % 2 == 0 else ("insert", "post")
        for side in order:
            if side == "post":
                t0 = time.perf_counter()
                cur = conn.execute(post_q, (APP, payload))
                # the whole result has arrived with execute (libpq); rowcount
                # counts it without decoding rows into Python objects
                got = cur.rowcount
                t_post.append(time.perf_counter() - t0)
                assert got == BATCH, got
            else:
                t0 = time.perf_counter()
                plain.execute(ins_q, ins, prepare=True)
                t_ins.append(time.perf_counter() - t0)
        if (i + 1) % 1000 == 0:
            log(f"  {label}: {i + 1}/{n_batches} batches, {time.time() - started:.0f}s")
    rows = n_batches * BATCH
    post_rps, ins_rps = rows / sum(t_post), rows / sum(t_ins)
    return {"label": label, "func": func, "rows": rows, "batches": n_batches,
            "post_rps": post_rps, "ins_rps": ins_rps, "ratio": post_rps / ins_rps,
            "post_med_ms": median(t_post) * 1e3, "ins_med_ms": median(t_ins) * 1e3,
            "secs": time.time() - started}


def report(r):
    verdict = "meets" if r["ratio"] >= TARGET else "MISSES"
    print(f"{r['label']}: {r['rows']} rows each side ({r['batches']} batches of {BATCH}), {r['secs']:.0f}s")
    print(f"  {r['func']:<38} {r['post_rps']:>9.0f} rows/s  (median batch {r['post_med_ms']:.1f} ms)")
    print(f"  {'plain multi-row INSERT, cached plan':<38} {r['ins_rps']:>9.0f} rows/s  (median batch {r['ins_med_ms']:.1f} ms)")
    print(f"  ratio post/insert {r['ratio']:.2f}  (target >= {TARGET}: {verdict})")


def main():
    setup()
    with connect(DB) as su, connect(DB, role=BENCH_ROLE) as user:
        who = user.execute("SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r "
                           "WHERE r.rolname = current_user").fetchone()
        print(f"API calls as role {who[0]} (superuser={who[1]}, bypassrls={who[2]}); the plain INSERTs as the"
              " tables' owner, the only role that may write them")
        err = probe_shipped(user)
        if err is not None:
            sys.exit(f"annotations.post_annotations fails as {BENCH_ROLE}: {err}")
        results = [run(user, su, "annotations.post_annotations", BENCH_ROLE, ROWS,
                       f"API as role {BENCH_ROLE}")]
        total = su.execute("SELECT count(*) FROM annotations.annotations WHERE app_id = %s", (APP,)).fetchone()[0]
        print(f"app {APP} holds {total} annotations at the end ({N_INPUTS} of them input-level)")
    for r in results:
        report(r)
    drop_db(DB)


if __name__ == "__main__":
    main()
