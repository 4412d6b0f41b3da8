#!/usr/bin/env python3
"""Random-mutation test of every way into annotations.bbox.

Feeds mutated text literals (bbox_in), random binary payloads (bbox_recv,
sent as binary parameters of type bbox) and random JSON objects (the
jsonb -> bbox cast) to the server.  Each must either give a valid box
(values in [0,1], top < bottom, left < right, exact text round trip) or fail
with 22P02 / 22023.  Any other SQLSTATE or a lost connection is a failure.
For binary input the expected answer is computed here exactly (the payload
is four float32), so acceptance must match it too.

Usage: bbox_fuzz.py [--seed N] [--text N] [--binary N] [--json N]
Connection settings come from the PG* environment; the database must have
the annotations extension.
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
FIELDS = ("top_row", "left_col", "bottom_row", "right_col")


class Failure(Exception):
    pass


class RawBBox:
    """Bytes to be sent as a binary parameter of type bbox."""

    def __init__(self, data):
        self.data = data


def make_dumper(oid):
    class RawBBoxDumper(Dumper):
        format = pq.Format.BINARY

        def dump(self, obj):
            return obj.data

    RawBBoxDumper.oid = oid
    return RawBBoxDumper


# ---------------------------------------------------------------- inputs

EXTREMES = ["1e39", "-1e39", "1e-50", "-1e-50", "nan", "NaN", "-nan", "inf",
            "-inf", "Infinity", "-Infinity", "-0", "+0", "1e999999", "-1e999999",
            "0" * 1000 + "1", "1" + "0" * 5000, "0." + "0" * 3000 + "1", ".5",
            "5.", "1e", "e5", "1.0000001", "0.99999994", "1.00000001",
            "3.4028235e38", "1.4e-45", "0x1p-2", "1_0", "١", "0.5e-", "--1",
            "+.e1", "1e+38", "0.30000001"]
NOISE = list("0123456789.,()eE+- \t\n\r") + ["nan", "inf", "(", ")", ",,",
         "é", "数", "\u00a0", "\u2003", "\u0660", "\x01", "\x1f", "\x7f",
         "\u200b", "\U0001F600", "'", '"', "\\", "[", "]", "{", "}", ";"]


def random_valid(rng):
    t = rng.random() * 0.9
    l = rng.random() * 0.9
    b = t + 0.0001 + rng.random() * (1 - t - 0.0001)
    r = l + 0.0001 + rng.random() * (1 - l - 0.0001)
    vals = [t, l, b, r]
    fmt = rng.choice(["{:.%dg}" % rng.randint(1, 17), "{!r}", "{:e}", "{:.3f}"])
    nums = [fmt.format(v) for v in vals]
    sp = lambda: rng.choice(["", "", " ", "  ", "\t", "\n"])
    return sp() + "(" + ",".join(sp() + n + sp() for n in nums) + ")" + sp()


def split_numbers(s):
    inner = s.strip()
    if inner.startswith("(") and inner.endswith(")"):
        return inner[1:-1].split(",")
    return None


def mutate(rng, s):
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(10)
        if op == 0 and s:                       # delete a character
            i = rng.randrange(len(s))
            s = s[:i] + s[i + 1:]
        elif op == 1:                           # insert noise
            i = rng.randrange(len(s) + 1)
            s = s[:i] + rng.choice(NOISE) + s[i:]
        elif op == 2 and s:                     # replace a character
            i = rng.randrange(len(s))
            s = s[:i] + rng.choice(NOISE) + s[i + 1:]
        elif op == 3:                           # swap two numbers
            nums = split_numbers(s)
            if nums and len(nums) >= 2:
                i, j = rng.sample(range(len(nums)), 2)
                nums[i], nums[j] = nums[j], nums[i]
                s = "(" + ",".join(nums) + ")"
        elif op == 4:                           # an extreme number
            nums = split_numbers(s)
            if nums:
                nums[rng.randrange(len(nums))] = rng.choice(EXTREMES)
                s = "(" + ",".join(nums) + ")"
        elif op == 5 and s:                     # duplicate a slice
            i = rng.randrange(len(s))
            j = rng.randrange(i, len(s) + 1)
            s = s[:j] + s[i:j] + s[j:]
        elif op == 6:                           # truncate
            s = s[:rng.randrange(len(s) + 1)]
        elif op == 7 and rng.random() < 0.05:   # a huge string
            s = rng.choice([s * 5000, "(" + "9" * 200000 + ",0,1,1)",
                            "(" + " " * 100000 + "0,0,1,1)", "(" * 50000])
        elif op == 8:                           # drop or add a number
            nums = split_numbers(s)
            if nums:
                if rng.random() < 0.5 and len(nums) > 1:
                    nums.pop(rng.randrange(len(nums)))
                else:
                    nums.insert(rng.randrange(len(nums) + 1), rng.choice(EXTREMES + ["0.5"]))
                s = "(" + ",".join(nums) + ")"
        else:                                   # a control or unicode character
            i = rng.randrange(len(s) + 1)
            s = s[:i] + chr(rng.choice([rng.randint(1, 31), rng.randint(0x80, 0x2fff),
                                        rng.randint(0x10000, 0x10ffff)])) + s[i:]
    # a text parameter cannot hold NUL or lone surrogates
    return "".join(c for c in s if c != "\0" and not 0xD800 <= ord(c) <= 0xDFFF)


def random_float32_bytes(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randbytes(16)
    specials = [0.0, -0.0, 1.0, float("nan"), float("inf"), float("-inf"),
                1.4e-45, -1.4e-45, 0.99999994, 1.0000001, 3.4e38, 0.5]
    vals = []
    for _ in range(4):
        if kind == 1:
            vals.append(rng.choice(specials))
        elif kind == 2:
            vals.append(rng.uniform(-0.1, 1.1))
        else:
            vals.append(rng.random())
    if kind >= 4:                              # mostly valid: sort the pairs
        t, b = sorted(vals[0::2])
        l, r = sorted(vals[1::2])
        vals = [t, l, b, r]
    return struct.pack(">4f", *vals)


def expected_binary(data):
    """Exact expectation for a 16-byte payload: the box tuple or None."""
    v = struct.unpack(">4f", data)
    if not all(math.isfinite(x) and 0.0 <= x <= 1.0 for x in v):
        return None
    if not (v[0] < v[2] and v[1] < v[3]):
        return None
    return tuple(x + 0.0 for x in v)            # -0 becomes 0


def random_json_number(rng):
    return rng.choice([
        lambda: repr(rng.random()),
        lambda: repr(rng.uniform(-0.5, 1.5)),
        lambda: rng.choice(["0", "1", "-0", "0.5", "1e-50", "1e400", "-1e400", "1e39",
                            "1.00000001", "0.99999994", "1E-45", "0e0", "1" + "0" * 500,
                            "0." + "0" * 500 + "1", "123456789012345678901234567890"]),
    ])()


def random_json_value(rng):
    r = rng.random()
    if r < 0.8:
        return random_json_number(rng)
    return rng.choice(['"0.5"', "null", "true", "false", "[0.5]", '{"v":0.5}', '""', "[]"])


def random_json(rng):
    r = rng.random()
    if r < 0.05:
        return rng.choice(["[0,0,1,1]", '"(0,0,1,1)"', "0.5", "null", "true", "{}", "[]",
                           '{"bounding_box":{"top_row":0,"left_col":0,"bottom_row":1,"right_col":1}}'])
    keys = list(FIELDS)
    if r < 0.15:
        keys.remove(rng.choice(keys))
    if rng.random() < 0.1:
        keys.append(rng.choice(["id", "TOP_ROW", "top_row ", "", "x" * 300, "é"]))
    rng.shuffle(keys)
    if r > 0.5:                                # mostly valid geometry
        t = rng.random() * 0.9
        l = rng.random() * 0.9
        vals = {"top_row": repr(t), "left_col": repr(l),
                "bottom_row": repr(t + rng.random() * (1 - t)),
                "right_col": repr(l + rng.random() * (1 - l))}
        if rng.random() < 0.3:
            vals[rng.choice(FIELDS)] = random_json_value(rng)
    else:
        vals = {k: random_json_value(rng) for k in FIELDS}
    parts = [json.dumps(k) + ":" + vals.get(k, random_json_value(rng)) for k in keys]
    return "{" + ",".join(parts) + "}"


# ---------------------------------------------------------------- checks

def check_box_text(text, what):
    """Invariants of an accepted box, from its text output."""
    nums = split_numbers(text)
    if nums is None or len(nums) != 4:
        raise Failure(f"{what}: bad output {text!r}")
    v = [float(n) for n in nums]
    if not all(0.0 <= x <= 1.0 for x in v) or not (v[0] < v[2] and v[1] < v[3]):
        raise Failure(f"{what}: accepted an invalid box {text!r}")
    if any(n.startswith("-") for n in nums):
        raise Failure(f"{what}: -0 was not canonicalized: {text!r}")
    return v


def run(cur, sql, params, what, counts, kind):
    """Runs one probe; returns the text result or None when rejected."""
    counts[kind, "tried"] += 1
    try:
        cur.execute(sql, params)
        row = cur.fetchone()
    except psycopg.errors.Error as e:
        code = e.sqlstate
        if code is None or isinstance(e, psycopg.OperationalError):
            raise Failure(f"{what}: connection lost or no SQLSTATE ({e!r}) -- server crash?")
        counts[kind, "rejected " + code] += 1
        if code not in ALLOWED:
            raise Failure(f"{what}: unexpected SQLSTATE {code}: {e}")
        return None
    counts[kind, "accepted"] += 1
    text, round_trip, valid = row
    if not round_trip or not valid:
        raise Failure(f"{what}: accepted {text!r} but round trip={round_trip} valid={valid}")
    check_box_text(text, what)
    return text


CHECKS = """ b::text, b::text::annotations.bbox OPERATOR(annotations.=) b AND b::text = b::text::annotations.bbox::text,
  annotations.area(b) > 0 AND b OPERATOR(annotations.&&) b AND b OPERATOR(annotations.@>) b """


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--text", type=int, default=20000)
    ap.add_argument("--binary", type=int, default=10000)
    ap.add_argument("--json", type=int, default=10000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counts = collections.Counter()
    start = time.time()

    with psycopg.connect("", autocommit=True) as conn:
        cur = conn.cursor()
        cur.execute("SELECT 'annotations.bbox'::regtype::oid")
        oid = cur.fetchone()[0]
        conn.adapters.register_dumper(RawBBox, make_dumper(oid))
        cur = conn.cursor()                     # a cursor copies the adapters

        seeds = ["(0,0,1,1)", "(0.1,0.2,0.3,0.4)", "( 0 , 0.25 , 1 , 0.75 )",
                 "(1e-5,0,1,1)", "(0.5,0.5,0.50001,0.50001)", "(-0,0,1,1)"]
        text_sql = "SELECT" + CHECKS + "FROM (SELECT (%s::text)::annotations.bbox AS b) x"
        for i in range(args.text):
            base = rng.choice(seeds) if rng.random() < 0.3 else random_valid(rng)
            lit = base if i < len(seeds) else mutate(rng, base)
            run(cur, text_sql, [lit], f"text {lit[:200]!r}", counts, "text")

        bin_sql = "SELECT" + CHECKS + "FROM (SELECT %b AS b) x"
        for i in range(args.binary):
            data = random_float32_bytes(rng)
            got = run(cur, bin_sql, [RawBBox(data)], f"binary {data.hex()}", counts, "binary")
            want = expected_binary(data)
            if (got is None) != (want is None):
                raise Failure(f"binary {data.hex()}: server {'accepted ' + got if got else 'rejected'}, "
                              f"expected {'acceptance' if want else 'rejection'}")
            if got is not None:
                vals = tuple(struct.unpack(">f", struct.pack(">f", float(n)))[0]
                             for n in split_numbers(got))
                if vals != want:
                    raise Failure(f"binary {data.hex()}: got {got}, expected {want}")

        json_sql = "SELECT" + CHECKS + "FROM (SELECT (%s::jsonb)::annotations.bbox AS b) x"
        for i in range(args.json):
            js = random_json(rng)
            got = run(cur, json_sql, [js], f"json {js[:200]!r}", counts, "json")
            if got is not None:                 # and back: the object round trips
                cur.execute("SELECT (%s::annotations.bbox)::jsonb::annotations.bbox::text", [got])
                if cur.fetchone()[0] != got:
                    raise Failure(f"json {js!r}: jsonb round trip changed {got}")

        cur.execute("SELECT 1")                 # the server is still there

    print(f"bbox fuzz: seed {args.seed}, {time.time() - start:.1f} s")
    for kind in ("text", "binary", "json"):
        detail = ", ".join(f"{k[1]} {v}" for k, v in sorted(counts.items())
                           if k[0] == kind and k[1] != "tried")
        print(f"  {kind:6}: tried {counts[kind, 'tried']}: {detail}")
    print(f"  total : tried {sum(v for k, v in counts.items() if k[1] == 'tried')}")


if __name__ == "__main__":
    try:
        main()
    except Failure as f:
        print(f"bbox fuzz FAILED: {f}", file=sys.stderr)
        sys.exit(1)
