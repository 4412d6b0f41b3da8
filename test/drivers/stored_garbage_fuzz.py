"""Random garbage written straight into the tables, then every reader.

The API never stores a malformed value, but a superuser's UPDATE or a
restore that skipped the checks can. Each round writes one random value
(wrong JSON kinds, wrong types inside concept lists, deep nesting, huge or
control-character strings, a second shape beside a region's first, a box
that does not enclose its shape, a mask with no pixel set) into one column of one row, as the superuser and
with the tables' shape checks dropped (as such a restore would leave them),
then calls every function that reads that row back: export_coco, list and
get (with to_json), concept_labels and the visible_* views, patch merge /
overwrite / remove, evaluation, import_coco. Any error is fine as long as it
is an error: what must never happen is a lost connection (a crashed
backend) or an internal error (XX000). The value is put back after each
round.

Usage: stored_garbage_fuzz.py [--seed N] [--rounds N]; PG* environment.
"""
import argparse
import json
import os
import random
import sys

import psycopg

DB = "annotations_garbage"

COLUMNS = [
    ("annotations", "concepts", "jsonb"),
    ("annotations", "annotation_info", "jsonb"),
    ("regions", "concepts", "jsonb"),
    ("inputs", "data", "jsonb"),
    ("annotations", "user_id", "text"),
    ("annotations", "input_id", "text"),
    ("regions", "id", "text"),
    ("annotations", "task_id", "text"),
    # shapes: valid values of their types, but a second shape next to the
    # first, a shape with the wrong box, or a mask with no pixel set
    ("regions", "polygon", "polygon"),
    ("regions", "point", "point"),
    ("regions", "mask", "mask"),
    ("regions", "bbox", "bbox"),
]

SHAPE_VALUES = {
    "polygon": ["((0,0),(0,1),(1,1))", "((0.9,0.9),(0.9,1),(1,0.95))", None],
    "point": ["(0,0)", "(1,1)", "(0.3,0.3)", None],
    "mask": ['{"rle": {"size": [2, 2], "counts": [4]}}', '{"rle": {"size": [3, 3], "counts": [4, 1, 4]}}',
             '{"rle": {"size": [1, 1], "counts": [0, 1]}}', None],
    "bbox": ["(0,0,1,1)", "(0.9,0.9,1,1)", "(0.1,0.1,0.2,0.2)"],
}


def garbage_json(rng, depth=0):
    kind = rng.randrange(10 if depth < 6 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, 1, -1, 1.5, 1e308, -1e-308, 2 ** 63, 0.5])
    if kind == 3:
        return rng.choice(["", "x", "\u0001", "é" * 300, "car", "NaN", "{}"])
    if kind == 4:
        return []
    if kind in (5, 6):
        return [garbage_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        # something shaped like a concept, with wrong parts
        c = {}
        if rng.random() < 0.8:
            c["id"] = garbage_json(rng, depth + 1) if rng.random() < 0.4 else "c%d" % rng.randrange(5)
        if rng.random() < 0.7:
            c["value"] = garbage_json(rng, depth + 1) if rng.random() < 0.5 else rng.random()
        if rng.random() < 0.3:
            c["name"] = garbage_json(rng, depth + 1)
        return c
    if kind == 8:
        # an input data object with wrong parts
        return {"image": {"url": garbage_json(rng, depth + 1),
                          "image_info": {"width": garbage_json(rng, depth + 1),
                                         "height": garbage_json(rng, depth + 1)}}}
    return {rng.choice(["a", "id", "value", "image", "k"]): garbage_json(rng, depth + 1)
            for _ in range(rng.randrange(4))}


def deep(rng):
    v = {"leaf": 1}
    for _ in range(rng.randrange(10, 200)):
        v = {"k": v} if rng.random() < 0.5 else [v]
    return v


def garbage_value(rng, kind):
    if kind in SHAPE_VALUES:
        return rng.choice(SHAPE_VALUES[kind])
    if kind == "text":
        return rng.choice(["", "\u0001ctl", "x" * 5000, "é" * 256, "other-input", "img-2", "r-2", " "])
    r = rng.random()
    if r < 0.1:
        return json.dumps(deep(rng))
    return json.dumps(garbage_json(rng))


READERS = [
    "SELECT annotations.export_coco('g') IS NOT NULL",
    "SELECT count(annotations.to_json(a)) FROM annotations.list_annotations('g', list_all_annotations => true, per_page => 1000) a",
    "SELECT annotations.to_json(annotations.get_annotation('g', 'img-1', 'a-1')) IS NOT NULL",
    "SELECT count(*) FROM annotations.concept_labels WHERE app_id = 'g'",
    "SELECT count(*) FROM annotations.visible_annotations WHERE app_id = 'g'",
    "SELECT count(*) FROM annotations.visible_regions WHERE app_id = 'g'",
    "SELECT count(*) FROM annotations.visible_inputs WHERE app_id = 'g'",
    "SELECT count(annotations.to_json(i)) FROM annotations.list_inputs('g', per_page => 1000) i",
    "SELECT count(*) FROM annotations.list_inputs('g', after => 'img-1')",
    "SELECT annotations.to_json(annotations.get_input('g', 'img-1')) IS NOT NULL",
    "SELECT count(*) FROM annotations.patch_annotations('g', 'merge', "
    "'[{\"id\": \"a-1\", \"annotation_info\": {\"k\": 1}, \"data\": {\"concepts\": [{\"id\": \"c9\"}], "
    "\"regions\": [{\"id\": \"r-1\", \"data\": {\"concepts\": [{\"id\": \"c8\"}]}}]}}]')",
    "SELECT count(*) FROM annotations.patch_annotations('g', 'remove', "
    "'[{\"id\": \"a-1\", \"annotation_info\": {\"k\": true}, \"data\": {\"concepts\": [{\"id\": \"c1\"}], "
    "\"regions\": [{\"id\": \"r-1\", \"data\": {\"concepts\": [{\"id\": \"c2\"}]}}]}}]')",
    "SELECT count(*) FROM annotations.patch_annotations('g', 'overwrite', "
    "'[{\"id\": \"a-1\", \"data\": {\"concepts\": [{\"id\": \"c3\"}]}}]')",
    "SELECT count(*) FROM annotations.evaluate_detections('g', model_version_ids => '{m-1}')",
    "SELECT count(*) FROM annotations.match_detections('g', model_version_ids => '{m-1}')",
    "SELECT count(*) FROM annotations.evaluate_detections('g', model_version_ids => '{m-1}', iou_type => 'segm')",
    "SELECT count(*) FROM annotations.match_detections('g', model_version_ids => '{m-1}', iou_type => 'segm')",
    "SELECT count(*) FROM annotations.annotator_agreement('g', '{postgres,other}')",
    "SELECT * FROM annotations.import_coco('g-copy', annotations.export_coco('g'))",
    "SELECT count(*) FROM annotations.post_annotations('g', "
    "'[{\"input_id\": \"img-1\", \"data\": {\"regions\": [{\"id\": \"r-1\", \"data\": {\"concepts\": [{\"id\": \"c5\"}]}}]}}]')",
]

SETUP = """
CREATE EXTENSION annotations;
SET search_path = annotations, public;
SELECT create_app('g');
SELECT create_app('g-copy');
SELECT post_inputs('g', '[{"id": "img-1", "data": {"image": {"url": "https://x/1.jpg", "image_info": {"width": 640, "height": 480}}, "metadata": {"m": 1}}},
                          {"id": "img-2", "data": {"image": {"url": "https://x/2.jpg", "image_info": {"width": 100, "height": 100}}}}]');
SELECT post_annotations('g', '[
  {"id": "a-1", "input_id": "img-1", "annotation_info": {"k": {"j": 1}},
   "data": {"concepts": [{"id": "c1", "value": 1}], "regions": [{"id": "r-1",
     "region_info": {"polygon": {"points": [{"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.5}, {"row": 0.5, "col": 0.3}]}},
     "data": {"concepts": [{"id": "c2", "value": 1}]}}]}},
  {"id": "m-1", "input_id": "img-1", "model_version_id": "m-1",
   "data": {"regions": [{"id": "r-2", "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.45, "right_col": 0.5}},
     "data": {"concepts": [{"id": "c2", "value": 0.9}]}}]}},
  {"id": "a-2", "input_id": "img-2", "data": {"concepts": [{"id": "c1"}]}}]');
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=400)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else (20261201 if os.environ.get("CI") else random.randrange(2 ** 31))
    rng = random.Random(seed)
    print(f"stored garbage fuzz: seed {seed} (rerun with --seed {seed}), {args.rounds} rounds")

    with psycopg.connect(dbname="postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB}")
        c.execute(f"CREATE DATABASE {DB}")
    failures = 0
    outcomes = {}
    try:
        with psycopg.connect(dbname=DB, autocommit=True) as conn:
            for stmt in SETUP.strip().split(";\n"):
                if stmt.strip():
                    conn.execute(stmt)
            # a restore that skipped the shape checks could leave any value
            for (con, tbl) in conn.execute(
                    "SELECT conname, conrelid::regclass::text FROM pg_constraint "
                    "WHERE contype = 'c' AND connamespace = 'annotations'::regnamespace").fetchall():
                conn.execute(f"ALTER TABLE {tbl} DROP CONSTRAINT {con}")
            for rnd in range(args.rounds):
                table, column, kind = rng.choice(COLUMNS)
                key = {"annotations": "app_id = 'g' AND id = %s",
                       "regions": "app_id = 'g' AND annotation_id = %s",
                       "inputs": "app_id = 'g' AND id = %s"}[table]
                row = {"annotations": rng.choice(["a-1", "m-1", "a-2"]),
                       "regions": rng.choice(["a-1", "m-1"]),
                       "inputs": rng.choice(["img-1", "img-2"])}[table]
                value = garbage_value(rng, kind)
                cast = {"jsonb": "::jsonb", "polygon": "::annotations.polygon", "point": "::annotations.keypoint",
                        "mask": "::annotations.mask", "bbox": "::annotations.bbox"}.get(kind, "")
                try:
                    with conn.transaction():
                        old = conn.execute(f"SELECT {column}::text FROM annotations.{table} WHERE {key}", [row]).fetchone()
                        try:
                            with conn.transaction():
                                conn.execute(f"UPDATE annotations.{table} SET {column} = %s{cast} WHERE {key}", [value, row])
                        except psycopg.OperationalError:
                            raise
                        except psycopg.Error:
                            # a key or NOT NULL the table still has refused it
                            outcomes["write refused"] = outcomes.get("write refused", 0) + 1
                            raise psycopg.Rollback()
                        for q in READERS:
                            try:
                                with conn.transaction():
                                    conn.execute(q).fetchall()
                                state = "ok"
                            except psycopg.errors.InternalError_ as e:
                                state = "XX000"
                                failures += 1
                                print(f"round {rnd}: {table}.{column} = {str(value)[:200]!r}\n  {q[:100]}\n  internal error: {e}")
                            except psycopg.OperationalError:
                                raise
                            except psycopg.Error as e:
                                state = e.sqlstate or "?"
                            outcomes[state] = outcomes.get(state, 0) + 1
                        raise psycopg.Rollback()
                except psycopg.OperationalError as e:
                    print(f"round {rnd}: {table}.{column} = {str(value)[:200]!r}: the connection was lost: {e}")
                    failures += 1
                    break
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True) as c:
            try:
                c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
            except psycopg.Error:
                pass
    summary = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    print(f"stored garbage fuzz: reader calls: {summary}")
    print(f"stored garbage fuzz: {args.rounds} rounds, {failures} failures, crashes: {0 if failures == 0 else 'see above'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
