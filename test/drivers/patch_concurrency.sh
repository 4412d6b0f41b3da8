#!/usr/bin/env bash
# Concurrent patches of one annotation never lose each other's changes
# (SPEC §6). 8 clients each merge 50 new concepts of their own into the same
# annotation at the same time; afterwards all 400 must be there. Without the
# row lock patch_annotations takes before reading the stored state, merges
# read the same old list and overwrite each other, and this test fails.
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
SQL
script=$(mktemp)
# each transaction merges one concept named after the client and a counter
# kept in a per-session variable, so every client writes 50 distinct ids
cat > "$script" <<'SQL'
SELECT count(*) FROM annotations.patch_annotations('conc', 'merge',
  jsonb_build_array(jsonb_build_object('id', 'target', 'data', jsonb_build_object(
    'concepts', jsonb_build_array(jsonb_build_object('id', 'c' || :client_id || '-' ||
        set_config('bench.n', (coalesce(nullif(current_setting('bench.n', true), ''), '0')::int + 1)::text, false)))))));
SQL
pgbench -n -d "$db" -c "$clients" -j "$clients" -t "$per_client" -f "$script" 2>&1 | grep -E "transactions actually processed|failed|aborted" || true
rm -f "$script"
got=$(psql -XAt -d "$db" -c "SELECT jsonb_array_length(concepts) FROM annotations.annotations WHERE app_id = 'conc' AND id = 'target'")
distinct=$(psql -XAt -d "$db" -c "SELECT count(DISTINCT c->>'id') FROM annotations.annotations, jsonb_array_elements(concepts) c WHERE app_id = 'conc' AND id = 'target'")
want=$((clients * per_client))
echo "concepts merged concurrently: $got (distinct $distinct), expected $want"
[ "$got" -eq "$want" ] && [ "$distinct" -eq "$want" ]
