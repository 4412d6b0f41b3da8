#!/usr/bin/env python3
"""patch_annotations 'merge' vs a plain UPDATE (target: ratio >= 0.75).

An app of annotations that each have 2 concepts and a bbox region (loaded
directly). Each patch batch merges one new concept into 128 annotations; each
UPDATE batch sets, on 128 other annotations of the same shape, the values the
merge produces (concepts = the old two + the new one, modified_at = now()),
as one UPDATE ... FROM (VALUES ...) prepared once with parameters for
the 128 rows (its plan cached, like the API's). Each batch merges a concept
the app has not used yet, which the API adds to the app's concept catalogue
(a concepts row and the app's coco_id counter); the UPDATE statement writes
the same catalogue row for its own new concept the same way (two
data-modifying WITH clauses), so both sides leave the same rows behind. Batches alternate (patch, update,
update, patch, ...); each is one autocommit call timed on the client with
perf_counter (patch: including the arrival of the 128 returned rows,
undecoded). The API is called as a plain login role that owns the app, as
deployed; the UPDATEs run as the tables' owner, the only role that may write
the tables directly.
"""
import json
import os
import random
import time


from benchlib import BENCH_ROLE, connect, drop_db, fresh_db, median, sql_str


DB = "bench_patch"
APP = "bench_patch"
BATCH = 128
BATCHES = int(os.environ.get("BENCH_PATCH_BATCHES", "400"))   # per side
N_INPUTS = 20_000
TARGET = 0.75
rng = random.Random(40)


def setup():
    fresh_db(DB)
    n = 2 * BATCHES * BATCH + 10_000
    with connect(DB) as c:
        c.execute("SELECT annotations.create_app(%s, %s)", (APP, BENCH_ROLE))
        c.execute("""
            INSERT INTO annotations.inputs (app_id, id, data)
            SELECT %(app)s, 'in' || g, jsonb_build_object('image', jsonb_build_object(
                       'url', 'https://example.com/img/' || g || '.jpg'))
              FROM generate_series(1, %(n)s) g""", {"app": APP, "n": N_INPUTS})
        c.execute("""
            INSERT INTO annotations.annotations (app_id, id, input_id, user_id, input_level)
            SELECT %(app)s, md5('lvl' || g), 'in' || g, %(role)s, true
              FROM generate_series(1, %(n)s) g""", {"app": APP, "n": N_INPUTS, "role": BENCH_ROLE})
        # annotations with 2 concepts and a region, by 50 users
        c.execute("""
            INSERT INTO annotations.annotations (app_id, id, input_id, user_id, concepts)
            SELECT %(app)s, md5('a' || g), 'in' || (1 + g %% %(ni)s), 'user' || lpad((g %% 50)::text, 2, '0'),
                   jsonb_build_array(jsonb_build_object('id', 'concept' || g %% 200, 'value', 1),
                                     jsonb_build_object('id', 'concept' || (g + 7) %% 200, 'value', 0.5))
              FROM generate_series(1, %(n)s) g""", {"app": APP, "n": n, "ni": N_INPUTS})
        c.execute("""
            INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox)
            SELECT a.app_id, a.id, md5(a.id || ':r'), a.input_id,
                   annotations.bbox(0.1, 0.2, 0.3 + (a.seq %% 50) / 100.0, 0.4 + (a.seq %% 40) / 100.0)
              FROM annotations.annotations a WHERE a.app_id = %(app)s AND NOT a.input_level""", {"app": APP})
        c.execute("VACUUM ANALYZE")
        rows = c.execute("""SELECT id, input_id, concepts FROM annotations.annotations
                             WHERE app_id = %s AND NOT input_level ORDER BY id""", (APP,)).fetchall()
    rng.shuffle(rows)
    return rows


def patch_payload(rows, concept):
    return json.dumps([{"id": aid, "input_id": inp, "data": {"concepts": [{"id": concept, "value": 1}]}}
                       for aid, inp, _ in rows])


def merged(old, concept):
    return old + [{"id": concept, "value": 1}]


def update_statement(n):
    """The plain UPDATE of n rows from parameters, prepared once (its plan
    cached, like the API's), with the catalogue row of the batch's new
    concept (the first parameter) written as the API writes it."""
    vals = ",".join("(%s,%s::jsonb)" for _ in range(n))
    app = sql_str(APP)
    return (f"WITH counter AS (UPDATE annotations.apps p SET last_coco_id = p.last_coco_id + 1 "
            f"                  WHERE p.id = {app} RETURNING p.last_coco_id), "
            f"     added AS (INSERT INTO annotations.concepts (app_id, id, coco_id) "
            f"               SELECT {app}, %s, k.last_coco_id FROM counter k) "
            f"UPDATE annotations.annotations a SET concepts = v.c, modified_at = now() "
            f"FROM (VALUES {vals}) v(id, c) WHERE a.app_id = {app} AND a.id = v.id")


def update_params(rows, concept):
    params = [concept]
    for aid, _, old in rows:
        params += [aid, json.dumps(merged(old, concept))]
    return params


SIDES = ("patch", "update")
LABELS = {"patch": "annotations.patch_annotations merge",
          "update": "plain UPDATE, cached plan"}


def main():
    rows = setup()
    # BENCH_PATCH_SUPERUSER=1: the API called as the superuser too, for
    # diagnosis only
    role = None if os.environ.get("BENCH_PATCH_SUPERUSER") else BENCH_ROLE
    with connect(DB, role=role) as conn, connect(DB) as owner:
        who = conn.execute("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                           "WHERE rolname = current_user").fetchone()
        print(f"role {who[0]}: superuser={who[1]}, bypassrls={who[2]}"
              + " for the API; the plain UPDATEs as the tables' owner, the only role that may write them")
        times = {s: [] for s in SIDES}
        started = time.time()
        for i in range(BATCHES):
            chunk = {s: rows[(2 * i + k) * BATCH:(2 * i + k + 1) * BATCH] for k, s in enumerate(SIDES)}
            # a concept new to the app for each side, as each side adds it to the catalogue
            concept = {s: f"merged{i}-{s}" for s in SIDES}
            work = {
                "patch": ("SELECT * FROM annotations.patch_annotations(%s, 'merge', %s::jsonb)",
                          (APP, patch_payload(chunk["patch"], concept["patch"]))),
                "update": (update_statement(BATCH), update_params(chunk["update"], concept["update"])),
            }
            order = SIDES if i % 2 == 0 else SIDES[::-1]   # alternate who goes first
            for side in order:
                q, params = work[side]
                t0 = time.perf_counter()
                cur = conn.execute(q, params) if side == "patch" else owner.execute(q, params, prepare=True)
                # the rows patch returns have arrived with execute; not decoded
                times[side].append(time.perf_counter() - t0)
                assert cur.rowcount == BATCH, (side, cur.rowcount)
            if i == 0:
                # both wrote the same resulting values, and left the regions alone
                want = {aid: merged(old, concept[s]) for s in SIDES for aid, _, old in chunk[s]}
                got = dict(owner.execute("SELECT id, concepts FROM annotations.annotations "
                                        "WHERE app_id = %s AND id = ANY(%s)", (APP, list(want))).fetchall())
                assert got == want, "patch and UPDATE results differ"
                # and the catalogue holds both sides' concept, numbered by the app's counter
                cat = owner.execute("SELECT count(DISTINCT coco_id), max(coco_id) = max(p.last_coco_id) "
                                    "FROM annotations.concepts c JOIN annotations.apps p ON p.id = c.app_id "
                                    "WHERE c.app_id = %s AND c.id = ANY(%s)",
                                    (APP, list(concept.values()))).fetchone()
                assert cat == (2, True), ("catalogue rows differ", cat)
        secs = time.time() - started
        regions = owner.execute("SELECT count(*) FROM annotations.regions WHERE app_id = %s", (APP,)).fetchone()[0]
    n = BATCHES * BATCH
    rps = {s: n / sum(times[s]) for s in SIDES}
    print(f"{n} rows each side ({BATCHES} batches of {BATCH} per side, interleaved), {secs:.0f}s; "
          f"{regions} regions untouched")
    for s in SIDES:
        print(f"  {LABELS[s]:<38} {rps[s]:>8.0f} rows/s  (median batch {median(times[s]) * 1e3:.1f} ms)")
    ratio = rps["patch"] / rps["update"]
    print(f"  ratio patch/update {ratio:.2f}  (target >= {TARGET}: {'meets' if ratio >= TARGET else 'MISSES'})")
    drop_db(DB)


if __name__ == "__main__":
    main()
