#!/usr/bin/env python3
"""Random-mutation test of every way into annotations.polygon, keypoint and mask.

Feeds mutated text literals (the types' input functions), random binary
payloads (sent as binary parameters of each type) and mutated JSON (the
jsonb casts) to the server.  Each must either give a value that reads back
to itself through text, binary-equivalent JSON and the geometry functions,
or fail with one of the promised SQLSTATEs: 22P02 (text that does not
parse), 22023 (a value that is not valid), and for binary payloads shorter
than they say, core's 08P01 or 22P03.  Any other SQLSTATE or a lost connection is a failure.

Usage: shapes_fuzz.py [--seed N] [--rounds N]
"""
import argparse
import collections
import json
import math
import random
import struct
import sys
import time

import psycopg
from psycopg import pq
from psycopg.adapt import Dumper

ALLOWED = {"22P02", "22023"}
# a payload shorter than it says: core's message reader raises 08P01
ALLOWED_BINARY = ALLOWED | {"22P03", "08P01"}


class Failure(Exception):
    pass


class Raw:
    def __init__(self, kind, data):
        self.kind = kind
        self.data = data


def make_dumper(oid):
    class RawDumper(Dumper):
        format = pq.Format.BINARY

        def dump(self, obj):
            return obj.data

    RawDumper.oid = oid
    return RawDumper


NOISE = list("0123456789.,()eE+- \t\n") + ["nan", "inf", "(", ")", ",,", "é", "\u00a0",
         "\x01", "\x7f", "'", '"', "\\", "[", "]", "{", "}", "1e39", "-0", "1e-50"]
EXTREMES = ["1e39", "-1e39", "nan", "inf", "-inf", "-0", "1.0000001", "0.99999994",
            "1e-45", "2", "-0.5", "0x1p-2", "1" + "0" * 400, ".5", "5."]


def random_polygon_points(rng, n=None):
    n = n or rng.choice([3, 3, 4, 5, 8, 16, 40])
    cx, cy = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)
    pts = []
    for i in range(n):
        a = 2 * math.pi * (i + 0.8 * rng.random()) / n
        r = rng.uniform(0.01, 0.29)
        pts.append((cy + r * math.sin(a), cx + r * math.cos(a)))
    return pts


def fmt(rng, v):
    return rng.choice(["{:.%dg}" % rng.randint(1, 9), "{!r}", "{:.3f}"]).format(v)


def polygon_text(rng):
    pts = random_polygon_points(rng)
    if rng.random() < 0.1:      # collinear, repeated, out of range
        pts = rng.choice([[(0.1 * i, 0.1 * i) for i in range(1, 5)], [(0.5, 0.5)] * 4,
                          pts + [(1.5, 0.2)]])
    sp = lambda: rng.choice(["", "", " ", "\t"])
    return "(" + ",".join(f"{sp()}({fmt(rng, r)},{sp()}{fmt(rng, c)})" for r, c in pts) + ")"


def mutate(rng, s):
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(8)
        if op == 0 and s:
            i = rng.randrange(len(s))
            s = s[:i] + s[i + 1:]
        elif op == 1:
            i = rng.randrange(len(s) + 1)
            s = s[:i] + rng.choice(NOISE) + s[i:]
        elif op == 2 and s:
            i = rng.randrange(len(s))
            s = s[:i] + rng.choice(NOISE) + s[i + 1:]
        elif op == 3:                       # replace a number with an extreme one
            parts = s.split(",")
            if len(parts) > 1:
                i = rng.randrange(len(parts))
                parts[i] = parts[i].rstrip(")").lstrip("(").strip() and \
                    parts[i].replace(parts[i].strip("() \t"), rng.choice(EXTREMES), 1)
                s = ",".join(parts)
        elif op == 4 and s:
            i = rng.randrange(len(s))
            j = rng.randrange(i, len(s) + 1)
            s = s[:j] + s[i:j] + s[j:]
        elif op == 5:
            s = s[:rng.randrange(len(s) + 1)]
        elif op == 6 and rng.random() < 0.05:
            s = rng.choice([s * 200, "(" * 20000, "(" + "(0.5,0.5)," * 10001 + "(0,0))"])
        else:
            i = rng.randrange(len(s) + 1)
            s = s[:i] + chr(rng.choice([rng.randint(1, 31), rng.randint(0x80, 0x2fff)])) + s[i:]
    return "".join(c for c in s if c != "\0" and not 0xD800 <= ord(c) <= 0xDFFF)


def keypoint_text(rng):
    return f"({fmt(rng, rng.random())},{fmt(rng, rng.random())})"


# --- masks

def rle_string(counts):
    out = []
    for i, c in enumerate(counts):
        x = c - counts[i - 2] if i > 2 else c
        more = True
        while more:
            ch = x & 0x1f
            x >>= 5
            more = (x != -1) if (ch & 0x10) else (x != 0)
            if more:
                ch |= 0x20
            out.append(chr(ch + 48))
    return "".join(out)


def random_counts(rng, h, w):
    total, counts = h * w, []
    while total > 0:
        c = min(total, rng.randint(0 if not counts else 1, max(1, total // rng.randint(1, 6))))
        counts.append(c)
        total -= c
    return counts


def mask_json(rng):
    h, w = rng.randint(1, 50), rng.randint(1, 50)
    counts = random_counts(rng, h, w)
    use_string = rng.random() < 0.6
    obj = {"rle": {"size": [h, w], "counts": rle_string(counts) if use_string else counts}}
    r = rng.random()
    if r < 0.1:
        obj["rle"]["size"] = rng.choice([[h], [0, w], [h, 40000], [h, 2.5], ["4", w], None])
    elif r < 0.2 and not use_string:
        obj["rle"]["counts"] = counts + [rng.choice([0, 1, -1])]
    elif r < 0.3:
        obj[rng.choice(["id", "rle ", "mask"])] = 1
    elif r < 0.35:
        del obj["rle"][rng.choice(["size", "counts"])]
    text = json.dumps(obj)
    if use_string and rng.random() < 0.3:   # mutate inside the compressed string
        s = obj["rle"].get("counts")
        if isinstance(s, str) and s:
            i = rng.randrange(len(s))
            s2 = s[:i] + chr(rng.randint(32, 126)) + s[i + 1:]
            text = json.dumps({"rle": {"size": [h, w], "counts": s2}})
    return text


def polygon_json(rng):
    pts = random_polygon_points(rng)
    elems = [{"row": r, "col": c} for r, c in pts]
    r = rng.random()
    if r < 0.1:
        del elems[rng.randrange(len(elems))][rng.choice(["row", "col"])]
    elif r < 0.2:
        elems[rng.randrange(len(elems))][rng.choice(["row", "col"])] = rng.choice(
            ["0.5", None, True, [0.5], 1.5, -0.1, 1e39])
    elif r < 0.25:
        elems[rng.randrange(len(elems))]["z"] = 0
    obj = {"points": elems}
    if rng.random() < 0.05:
        obj = rng.choice([[], {}, {"points": {}}, {"points": elems, "id": 1}, "x", elems])
    return json.dumps(obj)


# --- binary

def random_binary(rng, kind):
    if kind == "polygon":
        if rng.random() < 0.2:
            return rng.randbytes(rng.randint(0, 64))
        pts = random_polygon_points(rng)
        n = len(pts) if rng.random() < 0.8 else rng.choice([0, 2, 10001, -1, len(pts) + 1])
        vals = [v for p in pts for v in p]
        if rng.random() < 0.3:
            vals[rng.randrange(len(vals))] = rng.choice([float("nan"), float("inf"), 1.5, -0.0, 2.0])
        return struct.pack(">i", n) + struct.pack(f">{len(vals)}f", *vals)
    if kind == "keypoint":
        if rng.random() < 0.3:
            return rng.randbytes(8)
        return struct.pack(">2f", rng.uniform(-0.1, 1.1), rng.uniform(-0.1, 1.1))
    h, w = rng.randint(1, 40), rng.randint(1, 40)
    counts = random_counts(rng, h, w)
    if rng.random() < 0.2:
        counts[rng.randrange(len(counts))] += rng.choice([-1, 1, -1000])
    n = len(counts) if rng.random() < 0.9 else rng.choice([0, -1, len(counts) + 5])
    if rng.random() < 0.1:
        h = rng.choice([0, -1, 40000])
    return struct.pack(">3i", h, w, n) + struct.pack(f">{len(counts)}i", *counts)


CHECKS = {
    "polygon": """SELECT v::text, v::text::annotations.polygon OPERATOR(annotations.=) v
                    AND (v::jsonb)::annotations.polygon OPERATOR(annotations.=) v
                    AND annotations.area(v) > 0 AND abs(annotations.iou(v, v) - 1) < 1e-9
                    AND v OPERATOR(annotations.&&) v
                    AND annotations.iou(v, annotations.bbox(v)) > 0""",
    "keypoint": """SELECT v::text, v::text::annotations.keypoint OPERATOR(annotations.=) v
                    AND (v::jsonb)::annotations.keypoint OPERATOR(annotations.=) v
                    AND annotations.contains(annotations.bbox(v), v)""",
    "mask": """SELECT v::text, v::text::annotations.mask OPERATOR(annotations.=) v
                    AND (v::jsonb)::annotations.mask OPERATOR(annotations.=) v
                    AND annotations.mask(((v::jsonb)->'rle'->'size'->>0)::int, ((v::jsonb)->'rle'->'size'->>1)::int,
                                         annotations.mask_counts(v)) OPERATOR(annotations.=) v
                    AND annotations.area(v) BETWEEN 0 AND 1
                    AND annotations.iou(v, v) = CASE WHEN annotations.area(v) > 0 THEN 1 ELSE 0 END""",
}


def run(cur, sql, params, what, counts, kind, allowed):
    counts[kind, "tried"] += 1
    try:
        cur.execute(sql, params)
        row = cur.fetchone()
    except psycopg.errors.Error as e:
        code = e.sqlstate
        if code is None or (isinstance(e, psycopg.OperationalError) and code not in allowed):
            raise Failure(f"{what}: connection lost or no SQLSTATE ({e!r}) -- server crash?")
        counts[kind, "rejected " + code] += 1
        if code not in allowed:
            raise Failure(f"{what}: unexpected SQLSTATE {code}: {e}")
        return None
    counts[kind, "accepted"] += 1
    text, ok = row
    if not ok:
        raise Failure(f"{what}: accepted {text[:200]!r} but a check failed")
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--rounds", type=int, default=3000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counts = collections.Counter()
    start = time.time()
    with psycopg.connect("", autocommit=True) as conn:
        cur = conn.cursor()
        oids = {}
        for kind in CHECKS:
            cur.execute(f"SELECT 'annotations.{kind}'::regtype::oid")
            oids[kind] = cur.fetchone()[0]
        # one dumper class per type, chosen by a wrapper class per type
        wrappers = {}
        for kind, oid in oids.items():
            cls = type("Raw_" + kind, (Raw,), {})
            conn.adapters.register_dumper(cls, make_dumper(oid))
            wrappers[kind] = cls
        cur = conn.cursor()
        for i in range(args.rounds):
            # text
            lit = polygon_text(rng)
            lit = lit if rng.random() < 0.3 else mutate(rng, lit)
            run(cur, CHECKS["polygon"] + " FROM (SELECT (%s::text)::annotations.polygon AS v) x",
                [lit], f"polygon text {lit[:200]!r}", counts, "polygon text", ALLOWED)
            lit = keypoint_text(rng)
            lit = lit if rng.random() < 0.3 else mutate(rng, lit)
            run(cur, CHECKS["keypoint"] + " FROM (SELECT (%s::text)::annotations.keypoint AS v) x",
                [lit], f"keypoint text {lit[:200]!r}", counts, "keypoint text", ALLOWED)
            lit = mask_json(rng)
            lit = lit if rng.random() < 0.5 else mutate(rng, lit)
            run(cur, CHECKS["mask"] + " FROM (SELECT (%s::text)::annotations.mask AS v) x",
                [lit], f"mask text {lit[:200]!r}", counts, "mask text", ALLOWED)
            # JSON
            js = polygon_json(rng)
            run(cur, CHECKS["polygon"] + " FROM (SELECT (%s::jsonb)::annotations.polygon AS v) x",
                [js], f"polygon json {js[:200]!r}", counts, "polygon json", ALLOWED)
            js = mask_json(rng)
            run(cur, CHECKS["mask"] + " FROM (SELECT (%s::jsonb)::annotations.mask AS v) x",
                [js], f"mask json {js[:200]!r}", counts, "mask json", ALLOWED)
            # binary
            for kind in CHECKS:
                data = random_binary(rng, kind)
                run(cur, CHECKS[kind] + " FROM (SELECT %b AS v) x", [wrappers[kind](kind, data)],
                    f"{kind} binary {data.hex()[:200]}", counts, kind + " binary", ALLOWED_BINARY)
        cur.execute("SELECT 1")
    print(f"shapes fuzz: seed {args.seed}, {time.time() - start:.1f} s")
    kinds = sorted({k[0] for k in counts})
    for kind in kinds:
        detail = ", ".join(f"{k[1]} {v}" for k, v in sorted(counts.items()) if k[0] == kind and k[1] != "tried")
        print(f"  {kind:16}: tried {counts[kind, 'tried']}: {detail}")


if __name__ == "__main__":
    try:
        main()
    except Failure as f:
        print(f"shapes fuzz FAILED: {f}", file=sys.stderr)
        sys.exit(1)
