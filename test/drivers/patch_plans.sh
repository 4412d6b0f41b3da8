#!/usr/bin/env bash
# The statements a patch batch runs, as PostgreSQL plans them (auto_explain
# of the nested statements, one server): the UPDATE finds the batch's rows
# with one TID scan of the ctid array, run once, and matches each to its
# new content by id; a TID scan driven row by row from the new content
# (run once per row) asks the table's size at each row, a system call that
# cost as much as the rest of finding the row.
set -euo pipefail
db=annotations_patch_plans
dropdb --if-exists "$db" >/dev/null 2>&1 && createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
out=$(psql -qX -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<'SQL'
CREATE EXTENSION annotations;
SELECT annotations.create_app('plans');
SELECT annotations.post_inputs('plans', '[{"id": "img", "data": {"image": {"url": "u"}}}]');
SELECT count(*) FROM annotations.post_annotations('plans', (SELECT jsonb_agg(format(
         '{"id": "a%s", "input_id": "img", "data": {"concepts": [{"id": "c%s"}], "regions": [{"region_info":
           {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}}', k, k % 3)::jsonb)
     FROM generate_series(1, 40) k));
-- a table of some size, with statistics; the plan a backend keeps after
-- its first calls is the generic one (the first few are planned for their
-- values, and on a table this small a sequential scan costs less)
SELECT count(*) FROM generate_series(1, 10) b, annotations.post_annotations('plans', (SELECT jsonb_agg(format(
         '{"id": "b%s-%s", "input_id": "img", "data": {"regions": [{"region_info":
           {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}}', b, k)::jsonb)
     FROM generate_series(1, 100) k));
ANALYZE annotations.annotations, annotations.regions;
SET plan_cache_mode = force_generic_plan;
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_timing = off;
SET auto_explain.log_level = notice;
SELECT count(*) FROM annotations.patch_annotations('plans', 'merge', (SELECT jsonb_agg(format(
         '{"id": "a%s", "data": {"concepts": [{"id": "new"}]}}', k)::jsonb) FROM generate_series(1, 40) k));
SQL
)
fail=0
# the UPDATE's plan: from its query text to the next statement's
update=$(printf '%s\n' "$out" | sed -n '/Query Text: UPDATE annotations.annotations/,/Query Text:/p')
check() {   # $1: what, $2: a grep -E pattern the text must match (or must not, with $3 = absent)
  local n
  n=$(printf '%s\n' "$update" | grep -cE "$2" || true)
  if { [ "${3:-}" = absent ] && [ "$n" -ne 0 ]; } || { [ "${3:-}" != absent ] && [ "$n" -eq 0 ]; }; then
    echo "FAIL: $1"; fail=1
  else
    echo "ok: $1"
  fi
}
if [ -z "$update" ]; then
  echo "FAIL: no plan of the patch's UPDATE was shown"; printf '%s\n' "$out" | head -40; exit 1
fi
check "the UPDATE scans the ctid array once" 'Tid Scan on annotations a .*rows=40 loops=1'
check "its TID condition is the whole array" 'TID Cond: \(ctid = ANY \(\$10\)\)'
check "no TID scan is run once per row" 'Tid Scan on annotations a .*loops=40' absent
[ "$fail" -eq 0 ] || { printf '%s\n' "$update"; exit 1; }
echo "patch plans: ok"
