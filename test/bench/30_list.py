#!/usr/bin/env python3
"""list_annotations page cost vs app size (each ratio <= 1.5) and vs a hand-written query (<= 2).

Builds, directly in the tables (superuser, FK triggers off, secondary indexes
rebuilt after the load), a big app of 1,000,000 inputs (each with its empty,
unlisted input-level annotation) and 2,000,000 regular annotations, and a
small app of 5,000 inputs and 10,000 regular annotations of the same shape
(see bench.build_app in 30_list.sql), then VACUUM ANALYZE.

For each filter kind it measures, as the plain role that owns both apps (a
caller as deployed, not a superuser), the median server-side time
(clock_timestamp around EXECUTE in plpgsql) of
  big-first   the first page (per_page 20) in the big app
  big-keyset  the page after the row at depth D (after => that row's seq),
              D = 1,000,000, or the deepest full page when fewer rows match
  small-first the first page in the small app
  big-offset  the same page as big-keyset by OFFSET (page => D/20 + 1)
  *-hand      big-first and big-keyset by a hand-written query with a cached
              plan: the same SQL PREPAREd (generic plan) as the store owner,
              joined to the page's regions (the functions read those with a
              second statement)
  *-call      the same two by the function call PREPAREd (compared to *-hand)
All (filter, measure) pairs are run in a shuffled order in every round, so
drift hits all alike. Prints the ratios big-first/small-first and
big-keyset/small-first, and saves EXPLAIN (ANALYZE, BUFFERS) of the generated
query (annotations._list_sql_for(...), the query the functions keep for the
filters' shape, PREPAREd with a generic plan as they keep it, EXPLAIN EXECUTE)
to test/bench/out/, checking that no plan sorts the filtered set and that a big
app page reads about as many buffers as a small app page.
"""
import json
import os
import random
import time


from benchlib import BENCH_ROLE, connect, drop_db, fresh_db, log, median, sql_str


HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
DB = os.environ.get("BENCH_LIST_DB", "bench_list")
BIG, SMALL = "bench_big", "bench_small"
BIG_INPUTS = int(os.environ.get("BENCH_LIST_BIG_INPUTS", "1000000"))
SMALL_INPUTS = 5000
PER_INPUT = 2                       # regular annotations per input
DEPTH = int(os.environ.get("BENCH_LIST_DEPTH", "1000000"))
RUNS = int(os.environ.get("BENCH_LIST_RUNS", "20"))
OFFSET_RUNS = int(os.environ.get("BENCH_LIST_OFFSET_RUNS", "5"))
PER_PAGE = 20
TARGET = 1.5
HAND_TARGET = 2.0
EXTRA = {"statuses x1 (rare)", "statuses x1 (absent)"}
rng = random.Random(30)


def build(su):
    t0 = time.time()
    su.execute(open(os.path.join(HERE, "30_list.sql")).read())
    for app in (BIG, SMALL):
        su.execute("SELECT annotations.create_app(%s, %s)", (app, BENCH_ROLE))
    # bulk load: secondary indexes rebuilt afterwards, FK triggers off (the
    # data is consistent by construction); an index behind a constraint
    # (UNIQUE (app_id, seq)) stays
    idx = su.execute("""
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
          FROM pg_index i
         WHERE i.indrelid IN ('annotations.annotations'::regclass, 'annotations.regions'::regclass)
           AND NOT i.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
         ORDER BY 1""").fetchall()
    for name, _ in idx:
        su.execute(f"DROP INDEX {name}")
    su.execute("SET session_replication_role = replica")
    su.execute("SET maintenance_work_mem = '1GB'")
    # the small app is loaded half before and half after the big one would be
    # nicer; one before is enough: every index leads with app_id
    su.execute("SELECT bench.build_app(%s, %s, %s)", (SMALL, SMALL_INPUTS, SMALL_INPUTS * PER_INPUT))
    log(f"  small app loaded, {time.time() - t0:.0f}s")
    su.execute("SELECT bench.build_app(%s, %s, %s)", (BIG, BIG_INPUTS, BIG_INPUTS * PER_INPUT))
    log(f"  big app loaded, {time.time() - t0:.0f}s")
    for name, ddl in idx:
        su.execute(ddl)
    su.execute("RESET session_replication_role")
    log(f"  indexes rebuilt ({len(idx)}), {time.time() - t0:.0f}s")
    su.execute("VACUUM ANALYZE")
    log(f"  vacuum analyze done, {time.time() - t0:.0f}s")
    return time.time() - t0


def pick_values(su, app):
    """Input ids and (input_id, id) pairs of listed annotations in the middle of the app."""
    n = su.execute("SELECT count(*) FROM annotations.annotations WHERE app_id = %s AND listed", (app,)).fetchone()[0]
    rows = su.execute("""
        SELECT input_id, id FROM annotations.annotations
         WHERE app_id = %s AND listed AND NOT input_level AND seq >= (
               SELECT seq FROM annotations.annotations WHERE app_id = %s AND listed
                ORDER BY seq OFFSET %s LIMIT 1)
         ORDER BY seq LIMIT 2000""", (app, app, n // 2)).fetchall()
    rows = random.Random(app).sample(rows, 20)
    inputs = []
    for i, _ in rows:
        if i not in inputs:
            inputs.append(i)
    return inputs[:10], rows[:10]


def filters(su):
    """Filter kinds: name -> {app: list_annotations keyword args}."""
    out = {}
    vals = {app: pick_values(su, app) for app in (BIG, SMALL)}
    for app in (BIG, SMALL):
        inputs, pairs = vals[app]
        f = {
            "default (user-written)": {},
            "list_all_annotations": {"list_all_annotations": True},
            "input_ids x1": {"input_ids": inputs[:1]},
            "input_ids x10": {"input_ids": inputs[:10]},
            "ids+input_ids x10": {"ids": [p[1] for p in pairs], "input_ids": [p[0] for p in pairs]},
            "user_ids x1": {"user_ids": ["user07"]},
            "user_ids x50": {"user_ids": ["user%02d" % i for i in range(50)]},
            "model_version_ids x1": {"model_version_ids": ["model-1"]},
            "model_version_ids x2": {"model_version_ids": ["model-1", "model-2"]},
            "statuses x1": {"statuses": ["success"]},
            "statuses x2": {"statuses": ["success", "pending"]},
            # not in the brief's list; show what rarer statuses cost
            "statuses x1 (rare)": {"statuses": ["failed"]},
            "statuses x1 (absent)": {"statuses": ["review_denied"]},
            "task_id": {"task_id": "task3"},
        }
        for name, kw in f.items():
            out.setdefault(name, {})[app] = kw
    return out


def lit(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return sql_str(v)
    return "ARRAY[" + ",".join(sql_str(x) for x in v) + "]"


def list_call(app, kw, fn="list_annotations", **more):
    args = [sql_str(app)]
    for k, v in {**kw, **more}.items():
        if k == "statuses":
            args.append(f"statuses => {lit(v)}::annotations.status[]")
        else:
            args.append(f"{k} => {lit(v)}")
    return f"annotations.{fn}({', '.join(args)})"


def shape_sql(conn, kw, after):
    """The query list_annotations keeps for the shape of these filters."""
    g = lambda k: kw.get(k)
    return conn.execute(
        f"SELECT annotations._list_sql_for("
        f"{lit(g('ids')) + '::text[]' if g('ids') else 'NULL'}, "
        f"{lit(g('input_ids')) + '::text[]' if g('input_ids') else 'NULL'}, "
        f"{lit(g('user_ids')) + '::text[]' if g('user_ids') else 'NULL'}, "
        f"{lit(g('model_version_ids')) + '::text[]' if g('model_version_ids') else 'NULL'}, "
        f"{lit(g('statuses')) + '::annotations.status[]' if g('statuses') else 'NULL'}, "
        f"{lit(g('task_id')) if g('task_id') else 'NULL'}, "
        f"{lit(bool(g('list_all_annotations')))}, {after if after is not None else 'NULL'}, false)"
    ).fetchone()[0]


def arr_lit(v, typ):
    if v is None:
        return f"NULL::{typ}"
    return "ARRAY[" + ",".join(sql_str(x) for x in v) + f"]::{typ}"


PARAM_TYPES = "text, text[], text[], text[], text[], text[], text, bigint, integer, bigint"


def exec_args(app, kw, after, offset):
    """The shape query's parameters (the bench's filter values have no duplicates)."""
    return ", ".join([sql_str(app), arr_lit(kw.get("ids"), "text[]"), arr_lit(kw.get("input_ids"), "text[]"),
                      arr_lit(kw.get("user_ids"), "text[]"), arr_lit(kw.get("model_version_ids"), "text[]"),
                      arr_lit(kw.get("statuses"), "text[]"),
                      sql_str(kw["task_id"]) if kw.get("task_id") else "NULL",
                      str(after) if after is not None else "NULL", str(PER_PAGE), str(offset)])


def explain(conn, app, kw, after, offset, fmt):
    """EXPLAIN of the kept plan: the shape's query, generic plan, store owner's rights."""
    sql = shape_sql(conn, kw, after)
    conn.execute(f"PREPARE bench_q({PARAM_TYPES}) AS " + sql)
    conn.execute("SET plan_cache_mode = force_generic_plan")
    conn.execute("SET jit = off")
    rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT {fmt}) EXECUTE bench_q({exec_args(app, kw, after, offset)})").fetchall()
    conn.execute("RESET plan_cache_mode")
    conn.execute("RESET jit")
    conn.execute("DEALLOCATE bench_q")
    if fmt == "JSON":
        return sql, rows[0][0][0]
    return sql, "\n".join(r[0] for r in rows)


def walk(node, depth=0):
    yield node, depth
    for c in node.get("Plans", []):
        yield from walk(c, depth + 1)


def plan_summary(plan):
    """Facts about one JSON plan: buffers, sorts over many rows, rows filtered away."""
    top = plan["Plan"]
    bufs = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    sorts, removed, scans = [], 0, {}
    for n, _ in walk(top):
        t = n["Node Type"]
        if t == "Sort":
            child = n["Plans"][0]
            sorts.append(child["Actual Rows"] * child["Actual Loops"])
        removed += (n.get("Rows Removed by Filter", 0) + n.get("Rows Removed by Join Filter", 0)) * n.get("Actual Loops", 1)
        if "Index Name" in n:
            key = f"{t} {n['Index Name']}"
            scans[key] = scans.get(key, 0) + 1
        elif t in ("Seq Scan", "Bitmap Heap Scan", "Function Scan"):
            key = f"{t} {n.get('Relation Name', n.get('Function Name', ''))}"
            scans[key] = scans.get(key, 0) + 1
    types = sorted({n["Node Type"] for n, _ in walk(top)})
    return {"buffers": bufs, "sort_inputs": sorts, "removed": removed, "scans": scans,
            "types": types, "rows": top["Actual Rows"], "ms": plan["Execution Time"],
            "plan_ms": plan["Planning Time"]}


def main():
    os.makedirs(OUT, exist_ok=True)
    fresh_db(DB)
    with connect(DB) as su:
        log("building apps")
        build_secs = build(su)
        sizes = {app: su.execute(
            "SELECT count(*), count(*) FILTER (WHERE listed), count(*) FILTER (WHERE input_level), "
            "(SELECT count(*) FROM annotations.regions g WHERE g.app_id = %s) "
            "FROM annotations.annotations WHERE app_id = %s", (app, app)).fetchone()
            for app in (BIG, SMALL)}
        fl = filters(su)
    print(f"setup: {build_secs:.0f}s; per app: annotations (listed, input-level), regions")
    for app in (BIG, SMALL):
        t, l, il, g = sizes[app]
        print(f"  {app}: {t} annotations ({l} listed, {il} input-level), {g} regions")

    with connect(DB, role=BENCH_ROLE) as conn:
        who = conn.execute("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                           "WHERE rolname = current_user").fetchone()
        print(f"measured as role {who[0]} (superuser={who[1]}, bypassrls={who[2]})")
        # depth per filter, counts
        info = {}
        t0 = time.time()
        for name, per_app in fl.items():
            kw = per_app[BIG]
            count = conn.execute(f"SELECT {list_call(BIG, kw, 'count_annotations')}").fetchone()[0]
            small_count = conn.execute(f"SELECT {list_call(SMALL, per_app[SMALL], 'count_annotations')}").fetchone()[0]
            if count >= DEPTH + PER_PAGE:
                depth = DEPTH
            elif count > 2 * PER_PAGE:
                depth = (count - PER_PAGE) // PER_PAGE * PER_PAGE     # deepest full page
            else:
                depth = count // 2
            after = None
            if depth > 0:
                after = conn.execute(f"SELECT seq FROM {list_call(BIG, kw, per_page=1, page=depth)}").fetchone()[0]
            info[name] = {"count": count, "small_count": small_count, "depth": depth, "after": after,
                          "page": depth // PER_PAGE + 1, "offset_exact": depth % PER_PAGE == 0}
            # the keyset page and the OFFSET page are the same rows
            if info[name]["offset_exact"] and after is not None:
                k = conn.execute(f"SELECT array_agg(seq) FROM {list_call(BIG, kw, after=after)}").fetchone()[0]
                o = conn.execute(f"SELECT array_agg(seq) FROM {list_call(BIG, kw, page=info[name]['page'])}").fetchone()[0]
                assert k == o, (name, k[:3], o[:3])
        log(f"  depths found, {time.time() - t0:.0f}s")

        # the timed queries
        q = {}
        for name, per_app in fl.items():
            d = info[name]
            q[(name, "big-first")] = f"SELECT count(*) FROM {list_call(BIG, per_app[BIG])}"
            q[(name, "small-first")] = f"SELECT count(*) FROM {list_call(SMALL, per_app[SMALL])}"
            if d["after"] is not None:
                q[(name, "big-keyset")] = f"SELECT count(*) FROM {list_call(BIG, per_app[BIG], after=d['after'])}"
                if d["offset_exact"]:
                    q[(name, "big-offset")] = f"SELECT count(*) FROM {list_call(BIG, per_app[BIG], page=d['page'])}"
        # the same page by a hand-written query with a cached plan: the
        # shape's SQL PREPAREd once (generic plan), run as the store owner
        # (the functions do their table work with its rights); a page comes
        # with its annotations' regions, which the functions read with a
        # statement of their own, so the hand-written query reads them too,
        # one probe per row of the page (the page is planned on its own, as
        # the functions' page query is)
        hand = connect(DB, prepare_threshold=None)
        hand.execute("SET plan_cache_mode = force_generic_plan")
        hand.execute("SET jit = off")       # as the functions run their page queries
        on_hand = set()
        for i, (name, per_app) in enumerate(fl.items()):
            d = info[name]
            for measure, after in (("big-first", None), ("big-keyset", d["after"])):
                if measure == "big-keyset" and after is None:
                    continue
                stmt = f"hand_{i}_{measure.replace('-', '_')}"
                hand.execute(f"PREPARE {stmt}({PARAM_TYPES}) AS WITH s AS MATERIALIZED ("
                             + shape_sql(hand, per_app[BIG], after) + ")"
                             " SELECT count((SELECT r.bbox FROM annotations.regions r"
                             "                WHERE r.app_id = $1 AND r.annotation_id = s.id) IS NULL) FROM s")
                q[(name, measure + "-hand")] = f"EXECUTE {stmt}({exec_args(BIG, per_app[BIG], after, 0)})"
                on_hand.add((name, measure + "-hand"))
                # the function call, prepared alike (as a client driver does),
                # so both sides skip parsing and planning the statement
                more = {"after": after} if after is not None else {}
                conn.execute(f"PREPARE call_{i}_{measure.replace('-', '_')} AS "
                             f"SELECT count(*) FROM {list_call(BIG, per_app[BIG], **more)}")
                q[(name, measure + "-call")] = f"EXECUTE call_{i}_{measure.replace('-', '_')}"
        run_on = lambda key: hand if key in on_hand else conn
        # warm-up: each once
        for key, sql in q.items():
            run_on(key).execute("SELECT * FROM bench.time_query(%s)", (sql,))
        times = {k: [] for k in q}
        counts = {}
        t0 = time.time()
        for r in range(RUNS):
            keys = [k for k in q if k[1] != "big-offset" or r < OFFSET_RUNS]
            rng.shuffle(keys)
            for key in keys:
                ms, n = run_on(key).execute("SELECT * FROM bench.time_query(%s)", (q[key],)).fetchone()
                times[key].append(ms)
                counts[key] = n
        log(f"  timed {RUNS} rounds, {time.time() - t0:.0f}s")
        hand.close()

    # plans (own connection: no automatic prepared statements next to bench_q;
    # as the store owner, whose rights the functions' table work runs with)
    with connect(DB, prepare_threshold=None) as conn:
        plans = {}
        t0 = time.time()
        for name, per_app in fl.items():
            d = info[name]
            slug = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_")
            cases = [("big-first", BIG, None, 0), ("small-first", SMALL, None, 0)]
            if d["after"] is not None:
                cases.append(("big-keyset", BIG, d["after"], 0))
                if d["offset_exact"]:
                    cases.append(("big-offset", BIG, None, d["depth"]))
            with open(os.path.join(OUT, f"30_list_{slug}.txt"), "w") as f:
                f.write(f"# filter {name}: big app matches {d['count']} rows, small app {d['small_count']}; "
                        f"depth {d['depth']} (after => {d['after']})\n")
                for measure, app, after, offset in cases:
                    sql, text = explain(conn, app, per_app[app], after, offset, "TEXT")
                    if measure != "big-offset":
                        _, js = explain(conn, app, per_app[app], after, offset, "JSON")
                        plans[(name, measure)] = plan_summary(js)
                    f.write(f"\n## {measure} ({app}, after={after}, offset={offset})\n-- {sql}\n{text}\n")
        log(f"  plans captured, {time.time() - t0:.0f}s")

    # report
    print(f"\nmedian ms over {RUNS} runs (OFFSET: {OFFSET_RUNS} runs), per_page {PER_PAGE}; "
          f"target: big-first/small-first and big-keyset/small-first <= {TARGET}")
    hdr = (f"{'filter':<24} {'big rows':>9} {'depth':>8} {'big-first':>9} {'big-keyset':>10} "
           f"{'small-first':>11} {'first ratio':>11} {'keyset ratio':>12} {'offset':>9}")
    print(hdr)
    misses, extra_misses = [], []
    summary = {}
    for name in fl:
        d = info[name]
        m = {k[1]: median(v) for k, v in times.items() if k[0] == name}
        fr = m["big-first"] / m["small-first"]
        kr = m["big-keyset"] / m["small-first"] if "big-keyset" in m else float("nan")
        ok = fr <= TARGET and (kr != kr or kr <= TARGET)
        if not ok:
            (extra_misses if name in EXTRA else misses).append(name)
        summary[name] = {**d, **m, "first_ratio": fr, "keyset_ratio": kr}
        depth = f"{d['depth']}" + ("" if d["depth"] >= DEPTH else "*")
        off = f"{m['big-offset']:.1f}" if "big-offset" in m else "n/a"
        ks = f"{m['big-keyset']:.3f}" if "big-keyset" in m else "n/a"
        print(f"{name + (' +' if name in EXTRA else ''):<24} {d['count']:>9} {depth:>8} {m['big-first']:>9.3f} {ks:>10} "
              f"{m['small-first']:>11.3f} {fr:>11.2f} {'n/a' if kr != kr else f'{kr:.2f}':>12} {off:>9}" + ("" if ok else "  MISS"))
    print("* fewer rows match than the depth asked for: the deepest full page was used")
    print(f"\nthe function call PREPAREd vs the same page by a hand-written query with a cached plan "
          f"(the shape's SQL PREPAREd, generic plan); target <= {HAND_TARGET}")
    print(f"{'filter':<24} {'big-first':>9} {'hand':>8} {'ratio':>6} {'big-keyset':>10} {'hand':>8} {'ratio':>6}")
    hand_misses = []
    for name in fl:
        m = {k[1]: median(v) for k, v in times.items() if k[0] == name}
        m["big-first"], m["big-keyset"] = m["big-first-call"], m.get("big-keyset-call")
        fr = m["big-first"] / m["big-first-hand"]
        kr = m["big-keyset"] / m["big-keyset-hand"] if "big-keyset-hand" in m else float("nan")
        ok = fr <= HAND_TARGET and (kr != kr or kr <= HAND_TARGET)
        if not ok and name not in EXTRA:
            hand_misses.append(name)
        summary[name].update({"hand_first_ratio": fr, "hand_keyset_ratio": kr,
                              "big-first-hand": m["big-first-hand"], "big-keyset-hand": m.get("big-keyset-hand")})
        ks = f"{m['big-keyset']:.3f}" if m.get("big-keyset") is not None else "n/a"
        kh = f"{m['big-keyset-hand']:.3f}" if "big-keyset-hand" in m else "n/a"
        print(f"{name + (' +' if name in EXTRA else ''):<24} {m['big-first']:>9.3f} {m['big-first-hand']:>8.3f} {fr:>6.2f} "
              f"{ks:>10} {kh:>8} {'n/a' if kr != kr else f'{kr:.2f}':>6}" + ("" if ok else "  MISS"))
    print("+ not in the brief's list of filter values: shown for the diagnosis, not counted")
    print("\nplans (EXPLAIN ANALYZE, BUFFERS; full text in test/bench/out/30_list_*.txt; plan/exec ms):")
    print(f"{'filter':<24} {'measure':<12} {'bufs':>6} {'rows':>5} {'rm by filter':>12} {'sorted rows':>11} {'plan/exec ms':>13}  scans")
    flags = []
    for (name, measure), s in plans.items():
        sorted_rows = max(s["sort_inputs"]) if s["sort_inputs"] else 0
        scans = ", ".join(f"{v}x {k}" for k, v in sorted(s["scans"].items()))
        print(f"{name:<24} {measure:<12} {s['buffers']:>6} {s['rows']:>5} {s['removed']:>12} {sorted_rows:>11} {s['plan_ms']:>6.2f}/{s['ms']:<6.2f}  {scans}")
        if sorted_rows > PER_PAGE + 100:
            flags.append(f"{name} {measure}: a Sort reads {sorted_rows} rows (the filtered set, not a page)")
        if s["removed"] > 1000:
            flags.append(f"{name} {measure}: {s['removed']} rows read and filtered away")
    for name in fl:
        b, sm = plans.get((name, "big-first")), plans.get((name, "small-first"))
        k = plans.get((name, "big-keyset"))
        for label, p in (("big-first", b), ("big-keyset", k)):
            if p and sm and p["buffers"] > 2 * sm["buffers"] + 50:
                flags.append(f"{name} {label}: {p['buffers']} buffers vs {sm['buffers']} for the small app's first page")
    print("\nplan checks: " + ("all plans read a page's worth (no full sort, no long filtered walk)" if not flags
                               else f"{len(flags)} finding(s)"))
    for f in flags:
        print("  - " + f)
    with open(os.path.join(OUT, "30_list_summary.json"), "w") as f:
        json.dump({"summary": summary, "plans": {f"{k[0]} | {k[1]}": v for k, v in plans.items()},
                   "flags": flags}, f, indent=1, default=str)
    n_spec = len([n for n in fl if n not in EXTRA])
    print(f"\nlist targets: {n_spec - len(misses)} of {n_spec} filter kinds meet both ratios"
          + (f"; missed: {', '.join(misses)}" if misses else "")
          + (f" (extra kinds missing: {', '.join(extra_misses)})" if extra_misses else ""))
    print(f"hand-written targets: {n_spec - len(hand_misses)} of {n_spec} filter kinds within {HAND_TARGET}x"
          + (f"; missed: {', '.join(hand_misses)}" if hand_misses else ""))
    drop_db(DB)


if __name__ == "__main__":
    main()
