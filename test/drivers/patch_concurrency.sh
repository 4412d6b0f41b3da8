#!/usr/bin/env bash
# Concurrent patches of one annotation never lose each other's changes
# 8 clients each merge 50 new concepts of their own into the same
# annotation at the same time, first into its concepts (the annotation's
# row), then into its region's concepts (the region's row, written after
# the annotation is locked); afterwards all 400 of each must be there. A merge that read the
# stored state in one statement and wrote it in another without a lock would
# lose most of them (checked: 113 of 400 survived).
# Then the same clients patch 16 annotations in one batch each, half of them
# naming the annotations in one order and half in the reverse order: every
# batch locks its rows in one order whatever the request's, so none
# deadlocks (locking in request order instead: 118 of 400 batches failed
# with a deadlock, 40P01) and every merge is kept.
set -euo pipefail
db=annotations_concurrency
clients=8
per_client=50
dropdb --if-exists "$db" && createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qX -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION annotations;
SELECT annotations.create_app('conc');
SELECT annotations.post_inputs('conc', '[{"id": "img", "data": {"image": {"url": "u"}}}]');
SELECT annotations.post_annotations('conc', '[{"id": "target", "input_id": "img",
   "data": {"regions": [{"id": "r", "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}}]');
SELECT annotations.post_annotations('conc', jsonb_agg(jsonb_build_object('id', 't' || lpad(k::text, 2, '0'), 'input_id', 'img')))
  FROM generate_series(0, 15) k;
SQL
script=$(mktemp)
run_clients() {   # $1: the jsonb "data" of one merge, with CONCEPT where the id goes
  cat > "$script" <<SQL
SELECT count(*) FROM annotations.patch_annotations('conc', 'merge',
  jsonb_build_array(jsonb_build_object('id', 'target', 'data',
    replace('$1', 'CONCEPT', 'c' || :client_id || '-' ||
        set_config('bench.n', (coalesce(nullif(current_setting('bench.n', true), ''), '0')::int + 1)::text, false))::jsonb)));
SQL
  pgbench -n -d "$db" -c "$clients" -j "$clients" -t "$per_client" -f "$script" 2>&1 \
    | grep -E "transactions actually processed|failed|aborted" || true
}
count() {   # $1: a jsonb path to the concept list
  psql -XAt -d "$db" -c "SELECT count(DISTINCT c->>'id') FROM annotations.list_annotations('conc', ids => '{target}', input_ids => '{img}') a, jsonb_array_elements($1) c"
}
want=$((clients * per_client))

run_clients '{"concepts": [{"id": "CONCEPT"}]}'
got=$(count a.concepts)
echo "concepts merged concurrently into the annotation: $got, expected $want"

run_clients '{"regions": [{"id": "r", "data": {"concepts": [{"id": "CONCEPT"}]}}]}'
got_region=$(count a.region_concepts)
echo "concepts merged concurrently into its region: $got_region, expected $want"
cat > "$script" <<'SQL'
SELECT count(*) FROM annotations.patch_annotations('conc', 'merge',
  (SELECT jsonb_agg(jsonb_build_object('id', 't' || lpad(k::text, 2, '0'),
            'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'd' || :client_id || '-' || n.n))))
            ORDER BY CASE WHEN :client_id % 2 = 0 THEN k ELSE -k END)
     FROM generate_series(0, 15) k,
          (SELECT set_config('bench.n', (coalesce(nullif(current_setting('bench.n', true), ''), '0')::int + 1)::text, false) AS n) n));
SQL
crossed=$(pgbench -n -d "$db" -c "$clients" -j "$clients" -t "$per_client" -f "$script" 2>&1 \
  | grep -E "transactions actually processed|failed|aborted" || true)
echo "$crossed"
got_each=$(psql -XAt -d "$db" -c "SELECT min(n) || ' to ' || max(n) FROM (SELECT a.id, count(DISTINCT c->>'id') n
  FROM annotations.list_annotations('conc', input_ids => '{img}', per_page => 100) a, jsonb_array_elements(a.concepts) c
 WHERE a.id LIKE 't__' GROUP BY a.id) s")
echo "batches of 16 in crossed orders: concepts per annotation $got_each, expected $want to $want"
rm -f "$script"
[ "$got" -eq "$want" ] && [ "$got_region" -eq "$want" ] && [ "$got_each" = "$want to $want" ] &&
  grep -q "processed: $want/$want" <<<"$crossed" && grep -q "failed transactions: 0 " <<<"$crossed"
