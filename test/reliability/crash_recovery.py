#!/usr/bin/env python3
"""Crash recovery: nothing whose COMMIT returned is lost, nothing is half there.

Several client threads post tagged batches (BATCH annotations each, ids
c<client>-b<batch>-<k>, every one with a bbox region); every other batch is
an explicit transaction that also patches what it posted (post + merge +
COMMIT), the rest are single autocommitted calls. A client records a batch
as committed only once its COMMIT (or autocommitted call) returned. While
they run, the postmaster is killed with SIGKILL; the cluster is restarted
and the database checked:
  - every batch a client saw committed is present whole (all annotations,
    all regions, and the patch for transaction batches);
  - no batch is present in part (in-doubt batches are whole or absent);
  - input-level annotations, regions and the seq sequence are consistent,
    and every index passes amcheck's bt_index_check / heap checks.
Repeated for --rounds kills. Exits non-zero on any loss or partial batch.

Usage: crash_recovery.py --restart 'command' [--clients N] [--rounds N]
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import psycopg

APP = "crash"
BATCH = 16


def batch_doc(client, batch):
    return [{"id": f"c{client}-b{batch}-{k}", "input_id": f"in-{k % 4}",
             "annotation_info": {"client": client, "batch": batch},
             "data": {"concepts": [{"id": "tag", "value": 1}],
                      "regions": [{"id": f"r{client}-{batch}-{k}",
                                   "region_info": {"bounding_box": {"top_row": 0, "left_col": 0,
                                                                    "bottom_row": 0.5, "right_col": 0.5}}}]}}
            for k in range(BATCH)]


class Client(threading.Thread):
    def __init__(self, n, start_batch, stop):
        super().__init__(daemon=True)
        self.n = n
        self.batch = start_batch
        self.stop = stop
        self.committed = []      # (batch, with_patch)
        self.in_doubt = []
        self.errors = []

    def run(self):
        try:
            conn = psycopg.connect(autocommit=True)
        except psycopg.Error as e:
            self.errors.append(str(e))
            return
        while not self.stop.is_set():
            b = self.batch
            self.batch += 1
            tx = b % 2 == 1
            try:
                if tx:
                    with conn.transaction():
                        conn.execute("SELECT count(*) FROM annotations.post_annotations(%s, %s::jsonb)",
                                     (APP, json.dumps(batch_doc(self.n, b))))
                        conn.execute("SELECT count(*) FROM annotations.patch_annotations(%s, 'merge', %s::jsonb)",
                                     (APP, json.dumps([{"id": f"c{self.n}-b{b}-{k}",
                                                        "data": {"concepts": [{"id": "patched"}]}}
                                                       for k in range(BATCH)])))
                else:
                    conn.execute("SELECT count(*) FROM annotations.post_annotations(%s, %s::jsonb)",
                                 (APP, json.dumps(batch_doc(self.n, b))))
                self.committed.append((b, tx))
            except psycopg.Error:
                # the server went away while this batch was in flight
                self.in_doubt.append((b, tx))
                break


def wait_ready(timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with psycopg.connect(connect_timeout=2) as c:
                c.execute("SELECT 1")
                return True
        except psycopg.Error:
            time.sleep(0.3)
    return False


def verify(clients):
    """Returns (problems, committed_checked, in_doubt_present)."""
    problems = []
    with psycopg.connect(autocommit=True) as conn:
        rows = conn.execute("""
            SELECT (a.annotation_info->>'client')::int, (a.annotation_info->>'batch')::int,
                   count(*), count(r.annotation_id),
                   count(*) FILTER (WHERE a.concepts @> '[{"id": "patched"}]')
              FROM annotations.annotations a
              LEFT JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
             WHERE a.app_id = %s AND NOT a.input_level
             GROUP BY 1, 2""", (APP,)).fetchall()
        present = {(c, b): (n, nr, np) for c, b, n, nr, np in rows}
        for (c, b), (n, nr, np) in present.items():
            if n != BATCH or nr != BATCH:
                problems.append(f"client {c} batch {b}: partly present ({n} annotations, {nr} regions)")
            if b % 2 == 1 and np not in (0, BATCH) or (b % 2 == 1 and np == 0 and n == BATCH):
                problems.append(f"client {c} batch {b}: transaction half applied ({np} of {n} patched)")
        checked = 0
        for cl in clients:
            for b, tx in cl.committed:
                checked += 1
                got = present.get((cl.n, b))
                if got is None:
                    problems.append(f"client {cl.n} batch {b}: COMMIT returned but the batch is gone")
                elif tx and got[2] != BATCH:
                    problems.append(f"client {cl.n} batch {b}: COMMIT returned but the patch is lost")
        doubt_present = sum(1 for cl in clients for b, _ in cl.in_doubt if (cl.n, b) in present)
        # structure: seq unique and below the sequence, regions on their annotation's input
        bad = conn.execute("""
            SELECT (SELECT count(*) - count(DISTINCT seq) FROM annotations.annotations)
                 + (SELECT count(*) FROM annotations.annotations
                     WHERE seq > (SELECT last_value FROM annotations.annotation_seq))
                 + (SELECT count(*) FROM annotations.regions r LEFT JOIN annotations.annotations a
                       ON a.app_id = r.app_id AND a.id = r.annotation_id
                     WHERE a.id IS NULL OR a.input_id <> r.input_id)""").fetchone()[0]
        if bad:
            problems.append(f"{bad} rows break seq / region consistency")
        # every btree index and every table of the extension pass amcheck
        conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        for (idx,) in conn.execute("""
                SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'annotations' AND am.amname = 'btree'""").fetchall():
            try:
                conn.execute("SELECT bt_index_check(%s::regclass, true)", (idx,))
            except psycopg.Error as e:
                problems.append(f"amcheck {idx}: {e.diag.message_primary}")
        for tbl in ("apps", "collaborators", "inputs", "annotations", "regions"):
            for r in conn.execute("SELECT * FROM verify_heapam(%s::regclass)", ("annotations." + tbl,)).fetchall():
                problems.append(f"verify_heapam annotations.{tbl}: {r}")
    return problems, checked, doubt_present


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--load-seconds", type=float, default=4)
    ap.add_argument("--restart", required=True, help="shell command that starts the cluster again")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    with psycopg.connect(autocommit=True) as conn:
        conn.execute("SELECT annotations.create_app(%s)", (APP,))
        conn.execute("SELECT annotations.post_inputs(%s, %s::jsonb)",
                     (APP, json.dumps([{"id": f"in-{i}", "data": {"image": {"url": f"u{i}"}}} for i in range(4)])))
        datadir = conn.execute("SHOW data_directory").fetchone()[0]

    total_committed = total_doubt = total_doubt_present = 0
    all_problems = []
    clients_all = []
    next_batch = 0
    for rnd in range(1, args.rounds + 1):
        stop = threading.Event()
        clients = [Client(n, next_batch, stop) for n in range(args.clients)]
        for c in clients:
            c.start()
        time.sleep(args.load_seconds * (0.5 + rng.random()))
        with open(os.path.join(datadir, "postmaster.pid")) as f:
            pid = int(f.readline())
        # the postmaster and, in the same instant, every process it started:
        # a machine losing power, not a postmaster dying alone (whose
        # backends would go on committing until they noticed)
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        os.kill(pid, signal.SIGKILL)
        for child in children:
            try:
                os.kill(int(child), signal.SIGKILL)
            except ProcessLookupError:
                pass
        killed_at = time.time()
        stop.set()
        for c in clients:
            c.join(timeout=30)
        next_batch = max(c.batch for c in clients) + 1
        clients_all.extend(clients)
        # the orphaned backends exit once they notice; then start again
        while time.time() - killed_at < 30:
            try:
                os.kill(pid, 0)
                time.sleep(0.2)
            except ProcessLookupError:
                break
        subprocess.run(args.restart, shell=True, check=True, stdout=subprocess.DEVNULL)
        if not wait_ready():
            print(f"round {rnd}: the cluster did not come back")
            return 1
        problems, checked, doubt_present = verify(clients_all)
        committed = sum(len(c.committed) for c in clients)
        doubt = sum(len(c.in_doubt) for c in clients)
        total_committed += committed
        total_doubt += doubt
        print(f"round {rnd}: SIGKILL to postmaster {pid} and its {len(children)} processes under {args.clients} clients; "
              f"{committed} batches committed, {doubt} in flight; after restart: "
              f"{checked} committed batches checked, {len(problems)} problems")
        all_problems.extend(problems)
        if problems:
            break
    _, _, total_doubt_present = verify(clients_all)
    n_rows = total_committed * BATCH
    print(f"crash_recovery: {args.rounds} kills, {total_committed} committed batches "
          f"({n_rows} annotations), rows lost: {sum(1 for p in all_problems if 'gone' in p or 'lost' in p)}, "
          f"partial batches: {sum(1 for p in all_problems if 'part' in p or 'half' in p)}, "
          f"in-flight batches found whole afterwards: {total_doubt_present} of {total_doubt}")
    for p in all_problems[:50]:
        print("  FAIL " + p)
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main())
