#!/usr/bin/env python3
"""Random-mutation test of the request parsers.

Starts from valid Clarifai requests for post_annotations, patch_annotations
(merge, overwrite, remove) and post_inputs, mutates them (drop keys, swap
types, extreme numbers, "NaN" strings, deep nesting, long strings, unicode
and control characters, duplicate keys, unknown keys, duplicated or extra
items, empty and oversized batches) and sends each to the server. Every call
must either succeed or fail with one of the SQLSTATEs the API promises
(22023, 22P02, 23505, P0002, 42501); any other SQLSTATE, or a lost
connection, is a failure.

Every few hundred calls, and at the end, the stored data is checked: what the
server accepted must be valid (ids 1..255 characters without control
characters, concept values numbers in [0,1], one input-level annotation per
input, every region on an existing annotation of the same input, at most
one shape per region with bbox its enclosing box, the concept_labels view
readable). Violations of a known, reported bug are
counted under its name (KNOWN_BUGS below) instead of failing the run, so the
suite stays green until the fix lands; remove the entry with the fix.

Usage: request_fuzz.py [--seed N] [--seconds S] [--max-calls N]
Connection settings come from the PG* environment; the database must have the
annotations extension.
"""
import argparse
import collections
import copy
import json
import random
import sys
import time

import psycopg

ALLOWED = {"22023", "22P02", "23505", "P0002", "42501"}
# JSON text the server cannot read as jsonb is not a request: counted apart.
NOT_JSON = {"22P02", "22P05", "22003", "54000", "54001"}
MAX_TEXT = 512 * 1024         # requests are cut off at 512 kB of JSON text

# bug id -> description; see RELIABILITY.md "Bugs found"
KNOWN_BUGS = {}   # none open; B1 (concept values judged on their float8) was fixed

APP = "fuzz"
INPUTS = [f"in-{i}" for i in range(8)]

BOX = {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.6, "right_col": 0.7}
# the other shapes of region_info, so mutations reach their parsers too
POLYGON = {"points": [{"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.5}, {"row": 0.4, "col": 0.3},
                      {"row": 0.3, "col": 0.05}]}
POINT = {"row": 0.5, "col": 0.25}
MASK = {"rle": {"size": [4, 5], "counts": [5, 3, 6, 2, 4]}}
MASK_STRING = {"rle": {"size": [4, 5], "counts": "536ON"}}


def shape(rng):
    """A valid region_info of a random kind."""
    kind = rng.randrange(5)
    return [{"bounding_box": dict(BOX)}, {"polygon": copy.deepcopy(POLYGON)}, {"point": dict(POINT)},
            {"mask": copy.deepcopy(MASK)}, {"mask": copy.deepcopy(MASK_STRING)}][kind]


def seeds_post(rng):
    inp = rng.choice(INPUTS)
    return [
        {"input_id": inp, "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0, "name": "Water"}]}},
        {"input_id": inp, "status": {"code": "ANNOTATION_PENDING"}, "annotation_info": {"k": {"n": 1}},
         "task_id": "t1", "embed_model_version_id": "e1",
         "data": {"regions": [{"id": "reg-" + str(rng.randrange(4)), "region_info": shape(rng),
                               "data": {"concepts": [{"id": "bike", "value": 0.5}]}}]}},
        {"input_id": inp, "model_version_id": "m1",
         "data": {"regions": [{"region_info": shape(rng), "data": {"concepts": [{"id": "car"}]}}]}},
        {"input_id": inp, "data": {"frames": [{"frame_info": {"index": 12, "time": 480},
                                               "data": {"concepts": [{"id": "x"}],
                                                        "regions": [{"region_info": shape(rng)}]}}]}},
        {"input_id": inp, "status": {"code": 24157}, "data": {"regions": [{"id": "reg-0", "data": {"concepts": [{"id": "label"}]}}]}},
    ]


def seeds_patch(rng, ids):
    aid = rng.choice(ids)
    return [
        {"id": aid, "data": {"concepts": [{"id": "apple", "value": 1}, {"id": "tree", "value": 0, "name": "Tree"}]}},
        {"id": aid, "data": {"regions": [{"id": "reg-1", "region_info": shape(rng),
                                          "data": {"concepts": [{"id": "bike"}]}}]}},
        {"id": aid, "status": {"code": "ANNOTATION_SUCCESS"}, "annotation_info": {"k": True}},
        {"id": aid, "input_id": "in-0", "data": {"frames": [{"frame_info": {"index": 3}, "data": {"concepts": [{"id": "y"}]}}]}},
    ]


def seeds_inputs(rng):
    return [
        {"id": "fz-" + str(rng.randrange(10 ** 9)), "data": {"image": {"url": "https://x/a.jpg",
                                                                        "image_info": {"width": 640, "height": 480, "format": "jpeg"}},
                                                              "concepts": [{"id": "cat"}], "metadata": {"a": [1, 2]}}},
        {"data": {"video": {"url": "https://x/v.mp4"}}},
        {"data": {"text": {"raw": "hello"}}},
        {"data": {"audio": {"base64": "aGk="}}},
    ]


EXTREME_NUMBERS = [0, -0.0, 1, -1, 0.5, 2, 1e400, -1e400, 1e-400, -1e-400, 1e308, 1e-320,
                   2 ** 31 - 1, 2 ** 31, -2 ** 31, 2 ** 63, 10 ** 40, 1.00000000000000000001,
                   0.99999999999999999999, 3.4028236e38, 1.5]
STRANGE_STRINGS = ["", " ", "NaN", "Infinity", "-Infinity", "nan", "1e400", "null", "true",
                   "x" * 255, "x" * 256, "é" * 255, "é" * 256, "🐢" * 300, "x" * 100000,
                   "tab\there", "nl\nhere", "\u0001", "\u007f", "\u001f", "\u200b", "\u202e", "e\u0301",
                   "\ufeff", "\uffff", "'; DROP TABLE annotations.annotations; --", "%s%n", "\\", "\"",
                   "ANNOTATION_PENDING", "annotation_pending", "24151"]
UNKNOWN_KEYS = ["colour", "Id", "ID", "input", "regions", "concepts", "bounding_box", "value",
                "polygon", "point", "mask", "points", "row", "rle", "counts", "size",
                "created_at", "modified_at", "input_level", "status", "description", "🔑", "x" * 300]


def random_scalar(rng):
    r = rng.random()
    if r < 0.35:
        return rng.choice(EXTREME_NUMBERS)
    if r < 0.7:
        return rng.choice(STRANGE_STRINGS)
    return rng.choice([None, True, False, [], {}, [1], {"a": 1}])


def deep(rng, value):
    depth = rng.choice([10, 100, 1000])
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"a": value}
    return value


def paths(node, prefix=()):
    """Every (container, key) in a JSON tree."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((node, k))
            out.extend(paths(v))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((node, i))
            out.extend(paths(v))
    return out


class Dup:
    """An object serialized with one key twice (jsonb keeps the last)."""

    def __init__(self, pairs):
        self.pairs = pairs


def mutate(rng, doc):
    """Applies 1..3 random mutations to doc (a list of items) in place."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        # a request already past the size cut is sent no further: growing
        # it again (x3000, x130) could need more memory than the machine has
        if len(encode(doc)) > MAX_TEXT:
            return doc
        spots = paths(doc)
        kind = rng.random()
        if not spots:
            doc.append(random_scalar(rng))
            continue
        container, key = rng.choice(spots)
        if kind < 0.15 and isinstance(container, dict):
            del container[key]                                  # drop a key
        elif kind < 0.40:
            container[key] = random_scalar(rng)                 # swap type / extreme value
        elif kind < 0.47:
            container[key] = deep(rng, container[key])          # deep nesting
        elif kind < 0.55 and isinstance(container, dict):
            container[rng.choice(UNKNOWN_KEYS)] = random_scalar(rng)   # unknown key
        elif kind < 0.62 and isinstance(container, dict):
            pairs = list(container.items())
            pairs.append((key, random_scalar(rng)))             # duplicate key
            if isinstance(doc, list) and container in doc:
                doc[doc.index(container)] = Dup(pairs)
            else:
                for c, k in spots:
                    if c[k] is container:
                        c[k] = Dup(pairs)
                        break
        elif kind < 0.70 and isinstance(container, list):
            container.extend(copy.deepcopy(container[key]) for _ in range(rng.choice([1, 2, 130])))
        elif kind < 0.77:
            v = container[key]
            if isinstance(v, str):
                container[key] = (v * rng.choice([2, 100, 3000]))[:MAX_TEXT + 1]   # long string
            else:
                container[key] = rng.choice(STRANGE_STRINGS)
        elif kind < 0.84 and isinstance(container, list):
            container[key] = [container[key]]                   # wrap in an array
        elif kind < 0.90:
            container[key] = {"id": container[key]}             # wrap in an object
        else:
            container[key] = copy.deepcopy(rng.choice(spots)[0])  # graft another subtree
    # batch-level mutations
    if len(encode(doc)) > MAX_TEXT:
        return doc
    r = rng.random()
    if r < 0.03:
        doc.clear()
    elif r < 0.06:
        doc.extend(copy.deepcopy(doc[:1]) * 129)
    return doc


def encode(v):
    if isinstance(v, Dup):
        return "{" + ", ".join(json.dumps(k) + ": " + encode(x) for k, x in v.pairs) + "}"
    if isinstance(v, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + encode(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(encode(x) for x in v) + "]"
    if isinstance(v, float):
        if v != v:
            return '"NaN"'
        if v in (float("inf"), float("-inf")):
            return "1e400" if v > 0 else "-1e400"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return repr(v)
    return json.dumps(v)


# Raw spellings Python cannot hold as floats, substituted after encoding.
RAW_NUMBERS = ["1e400", "-1e400", "1e-400", "-1e-400", "1.00000000000000000001",
               "0.99999999999999999999", "-0", "1E+2", "0.0000000000000000000000000001"]


def raw_numbers(rng, text):
    """Replaces some numbers in the text with spellings floats cannot keep."""
    if rng.random() < 0.3:
        for token in ("0.5", "0.1", "0.6", "1", "0"):
            if ": " + token in text:
                text = text.replace(": " + token, ": " + rng.choice(RAW_NUMBERS), 1)
                break
    return text


INVARIANTS = """
SELECT 'ids' AS what, count(*) FROM (
  SELECT id AS v FROM annotations.inputs UNION ALL SELECT id FROM annotations.annotations
  UNION ALL SELECT user_id FROM annotations.annotations UNION ALL SELECT model_version_id FROM annotations.annotations
  UNION ALL SELECT task_id FROM annotations.annotations UNION ALL SELECT embed_model_version_id FROM annotations.annotations
  UNION ALL SELECT id FROM annotations.regions) s
 WHERE v IS NOT NULL AND (length(v) NOT BETWEEN 1 AND 255 OR v ~ '[\\x01-\\x1f\\x7f]')
UNION ALL
SELECT 'input_level', count(*) FROM annotations.inputs i
 WHERE (SELECT count(*) FROM annotations.annotations a WHERE a.app_id = i.app_id AND a.input_id = i.id AND a.input_level) <> 1
UNION ALL
SELECT 'region_input', count(*) FROM annotations.regions r JOIN annotations.annotations a
    ON a.app_id = r.app_id AND a.id = r.annotation_id WHERE a.input_id <> r.input_id
UNION ALL
SELECT 'region_shape', count(*) FROM annotations.regions r
 WHERE num_nonnulls(r.polygon, r.point, r.mask) > 1
    OR (r.polygon IS NOT NULL AND r.bbox OPERATOR(annotations.<>) annotations.bbox(r.polygon))
    OR (r.point IS NOT NULL AND r.bbox OPERATOR(annotations.<>) annotations.bbox(r.point))
    OR (r.mask IS NOT NULL AND annotations.bbox(r.mask) IS NULL)
    OR (r.mask IS NOT NULL AND r.bbox OPERATOR(annotations.<>) annotations.bbox(r.mask))
UNION ALL
SELECT 'concept_shape', count(*) FROM (
  SELECT concepts AS c FROM annotations.annotations UNION ALL SELECT concepts FROM annotations.regions) s,
  jsonb_array_elements(s.c) e
 WHERE jsonb_typeof(e) <> 'object' OR jsonb_typeof(e->'id') <> 'string' OR e->>'id' = ''
    OR jsonb_typeof(e->'value') <> 'number'
UNION ALL
SELECT 'B1', count(*) FROM (
  SELECT concepts AS c FROM annotations.annotations UNION ALL SELECT concepts FROM annotations.regions) s,
  jsonb_array_elements(s.c) e
 WHERE jsonb_typeof(e->'value') = 'number'
   AND ((e->>'value')::numeric NOT BETWEEN 0 AND 1
        OR ((e->>'value')::numeric <> 0 AND abs((e->>'value')::numeric) < 2.2250738585072014e-308))
"""


def check_invariants(conn, failures, known):
    with conn.cursor() as cur:
        cur.execute(INVARIANTS)
        for what, n in cur.fetchall():
            if n == 0:
                continue
            if what in KNOWN_BUGS:
                known[what] = max(known[what], n)
            else:
                failures.append(f"invariant {what}: {n} bad rows")
        # the reporting view must stay readable
        try:
            cur.execute("SELECT count(value), count(bbox) FROM annotations.concept_labels")
        except psycopg.Error as e:
            conn.rollback()
            state = e.sqlstate
            if known.get("B1"):
                known["B1 (concept_labels unreadable, %s)" % state] = 1
            else:
                failures.append(f"concept_labels unreadable: {state}: {e.diag.message_primary}")
    conn.commit()


def main():
    sys.setrecursionlimit(50000)
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--max-calls", type=int, default=1000000)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2 ** 32)
    rng = random.Random(seed)
    print(f"request_fuzz: seed {seed} (rerun with --seed {seed})")

    conn = psycopg.connect(autocommit=True)
    conn.execute("SET statement_timeout = '5s'")
    conn.execute("SELECT annotations.create_app(%s)", (APP,))
    conn.execute("SELECT annotations.post_inputs(%s, %s::jsonb)",
                 (APP, json.dumps([{"id": i, "data": {"image": {"url": "u/" + i}}} for i in INPUTS])))
    base = [dict(s, id=f"seed-{n}") for n, s in enumerate(seeds_post(rng)[:4])]
    conn.execute("SELECT count(*) FROM annotations.post_annotations(%s, %s::jsonb)", (APP, json.dumps(base)))
    patchable = [b["id"] for b in base if "model_version_id" not in b]

    counts = collections.Counter()           # (function, outcome) -> n
    failures = []
    known = collections.Counter()
    deadline = time.monotonic() + args.seconds
    calls = 0
    while time.monotonic() < deadline and calls < args.max_calls and len(failures) < 20:
        calls += 1
        r = rng.random()
        if r < 0.45:
            fn = "post_annotations"
            doc = copy.deepcopy(rng.sample(seeds_post(rng), rng.choice([1, 1, 2, 3])))
            if rng.random() < 0.2:
                for d in doc:
                    d["id"] = rng.choice(patchable + ["new-" + str(rng.randrange(10 ** 9))])
            sql = "SELECT count(*) FROM annotations.post_annotations(%s, %s::jsonb)"
            params = (APP,)
        elif r < 0.8:
            fn = "patch_annotations"
            action = rng.choice(["merge", "merge", "overwrite", "remove", "MERGE", "replace"])
            doc = copy.deepcopy(rng.sample(seeds_patch(rng, patchable), rng.choice([1, 1, 2])))
            sql = "SELECT count(*) FROM annotations.patch_annotations(%s, %s, %s::jsonb, %s)"
            params = (APP, action)
        else:
            fn = "post_inputs"
            doc = copy.deepcopy(rng.sample(seeds_inputs(rng), rng.choice([1, 2])))
            sql = "SELECT count(*) FROM annotations.post_inputs(%s, %s::jsonb)"
            params = (APP,)
        if rng.random() < 0.9:
            mutate(rng, doc)
        text = raw_numbers(rng, encode(doc))
        if len(text) > MAX_TEXT:
            counts[(fn, "skipped, over 512 kB")] += 1
            continue
        if fn == "patch_annotations":
            params = params + (text, rng.random() < 0.3)
        else:
            params = params + (text,)
        try:
            # is it JSON the server can read at all?
            conn.execute("SELECT %s::jsonb IS NULL", (text,))
        except psycopg.Error as e:
            if conn.broken or conn.closed:
                failures.append(f"connection lost on jsonb input: {e}")
                break
            if e.sqlstate in NOT_JSON:
                counts[(fn, "not jsonb " + e.sqlstate)] += 1
                continue
            failures.append(f"{fn}: jsonb input failed with {e.sqlstate}: {e.diag.message_primary}")
            continue
        try:
            conn.execute(sql, params)
            counts[(fn, "ok")] += 1
        except psycopg.Error as e:
            if conn.broken or conn.closed:
                failures.append(f"{fn}: connection lost ({e}); request: {text[:2000]}")
                break
            state = e.sqlstate
            counts[(fn, state)] += 1
            if state not in ALLOWED:
                failures.append(f"{fn}: unexpected SQLSTATE {state}: {e.diag.message_primary[:300]}; "
                                f"request: {text[:1000]}")
        if calls % 500 == 0:
            check_invariants(conn, failures, known)

    try:
        conn.execute("SELECT 1")
        check_invariants(conn, failures, known)
    except psycopg.Error as e:
        failures.append(f"server gone at the end: {e}")

    by_fn = collections.defaultdict(dict)
    for (fn, outcome), n in counts.items():
        by_fn[fn][outcome] = n
    for fn in sorted(by_fn):
        parts = ", ".join(f"{k} {v}" for k, v in sorted(by_fn[fn].items()))
        print(f"  {fn}: {sum(by_fn[fn].values())} calls ({parts})")
    print(f"request_fuzz: {calls} requests, {len(failures)} failures, crashes: "
          f"{sum(1 for f in failures if 'connection lost' in f or 'server gone' in f)}")
    for bug, n in sorted(known.items()):
        print(f"  KNOWN BUG {bug}: {n} stored rows show it ({KNOWN_BUGS.get(bug.split()[0], '')})")
    for f in failures:
        print("  FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
