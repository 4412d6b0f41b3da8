#!/usr/bin/env bash
# Random SQL: sqlsmith (Debian package) generates random queries
# over a database holding the extension and sample data (every kind of
# annotation, in an app the sqlsmith role owns), calling the bbox operators,
# casts, geometry and API functions in random combinations. Bounded by
# MAX_QUERIES and a timeout. A crash shows in the server log as a backend
# "terminated by signal" (the postmaster then restarts every backend);
# the run fails on any. Usage: sqlsmith.sh [max queries] [seed]; PG* env.
set -euo pipefail
max=${1:-20000}
seed=${2:-$RANDOM}
db=annotations_sqlsmith
role=regress_sqlsmith
command -v sqlsmith >/dev/null || { echo "sqlsmith: not installed (apt-get install sqlsmith)"; exit 1; }

log=$(psql -XAtc "SELECT CASE WHEN pg_current_logfile() IS NOT NULL THEN current_setting('data_directory') || '/' || pg_current_logfile() END")
if [ -z "$log" ] && command -v pg_lsclusters >/dev/null; then
  datadir=$(psql -XAtc 'SHOW data_directory')
  log=$(pg_lsclusters -h | awk -v d="$datadir" '$6 == d {print $7}')
fi
[ -n "$log" ] && [ -r "$log" ] || { echo "sqlsmith: cannot find the server log"; exit 1; }
crashes_before=$(grep -c "terminated by signal" "$log" || true)

dropdb --if-exists "$db" >/dev/null 2>&1 || true
psql -qXc "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
createdb "$db"
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db" >/dev/null 2>&1 || true; psql -qXc "DROP ROLE IF EXISTS '"$role"'" >/dev/null 2>&1 || true' EXIT
psql -qX -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
CREATE EXTENSION annotations;
CREATE ROLE $role LOGIN PASSWORD '${PGPASSWORD:-sqlsmith}';
ALTER ROLE $role SET statement_timeout = '2s';
ALTER ROLE $role SET track_functions = 'all';
ALTER ROLE $role SET search_path = annotations, public;
GRANT ALL ON SCHEMA public TO $role;
SELECT annotations.create_app('smith', '$role');
SELECT annotations.create_app('other');
SELECT annotations.add_collaborator('other', '$role');
SELECT annotations.post_inputs('smith', (SELECT jsonb_agg(jsonb_build_object('id', 'in-' || i,
  'data', jsonb_build_object('image', jsonb_build_object('url', 'https://x/' || i || '.jpg',
     'image_info', jsonb_build_object('width', 640, 'height', 480)))))
  FROM generate_series(1, 20) i));
SELECT annotations.post_inputs('other', '[{"id": "v", "data": {"video": {"url": "u"}}}]');
SELECT count(*) FROM annotations.post_annotations('smith', (SELECT jsonb_agg(jsonb_build_object(
    'input_id', 'in-' || (1 + i % 20),
    'status', jsonb_build_object('code', 24150 + i % 2),
    'annotation_info', jsonb_build_object('i', i),
    'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'c' || i % 5, 'value', (i % 3) / 2.0)),
        'regions', jsonb_build_array(jsonb_build_object('id', 'r' || i % 7, 'region_info', jsonb_build_object('bounding_box',
            annotations.bbox((i % 5) / 10.0, (i % 3) / 10.0, 0.5 + (i % 5) / 10.0, 0.4 + (i % 6) / 10.0)::jsonb))))))
  FROM generate_series(1, 100) i));
SELECT count(*) FROM annotations.post_annotations('smith', '[
  {"input_id": "in-1", "model_version_id": "det", "data": {"regions": [{"id": "m1", "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}}]}},
  {"input_id": "in-2", "data": {"frames": [{"frame_info": {"index": 4, "time": 160}, "data": {"concepts": [{"id": "f"}]}}]}}]');
SELECT count(*) FROM annotations.post_annotations('other', '[{"input_id": "v", "user_id": "$role", "data": {"concepts": [{"id": "x"}]}}]');
-- a table of boxes for sqlsmith to join and index
CREATE TABLE public.boxes (id int PRIMARY KEY, b annotations.bbox, j jsonb);
INSERT INTO public.boxes SELECT i, annotations.bbox(0, 0, (1 + i % 9) / 10.0, 0.5), annotations.bbox(0, 0, 0.5, 0.5)::jsonb FROM generate_series(1, 200) i;
CREATE INDEX ON public.boxes USING gist (b);
ALTER TABLE public.boxes OWNER TO $role;
ANALYZE;
SQL

host=${PGHOST:-/var/run/postgresql}
target="host=$host port=${PGPORT:-5432} dbname=$db user=$role"
target="$target password=${PGPASSWORD:-sqlsmith}"
echo "sqlsmith: up to $max queries, seed $seed, as $role"
start=$(date +%s)
set +e
timeout 900 sqlsmith --target="$target" --seed="$seed" --max-queries="$max" --verbose > "$work/out" 2> "$work/err"
rc=$?
set -e
elapsed=$(( $(date +%s) - start ))
crashes_after=$(grep -c "terminated by signal" "$log" || true)
crashes=$((crashes_after - crashes_before))
queries=$(grep -oE 'queries: [0-9]+' "$work/err" | tail -1 | grep -oE '[0-9]+' || true)
echo "sqlsmith: exit $rc after ${elapsed} s; $(tail -c 2000 "$work/err" | tr '\r' '\n' | grep -E 'queries:|error' | tail -2 | tr '\n' ' ')"
echo "sqlsmith: top errors:"
tr '\r' '\n' < "$work/err" | grep -E '^ *[0-9]+\s+ERROR' \
  | awk '{c = $1; $1 = ""; if (c > m[$0]) m[$0] = c} END {for (k in m) print m[k] "\t" k}' | sort -rn | head -8 | sed 's/^/  /' || true
sleep 1   # let the last statistics reach the cumulative stats system
reached=$(psql -XAt -d "$db" -c "SELECT count(*) || ' extension functions called ' || COALESCE(sum(calls), 0) || ' times'
  FROM pg_stat_user_functions WHERE schemaname = 'annotations'")
echo "sqlsmith: $reached" 
psql -XAtc 'SELECT 1' >/dev/null || { echo "sqlsmith: FAIL, the server is not answering"; exit 1; }
if [ "$crashes" -gt 0 ]; then
  echo "sqlsmith: FAIL, $crashes backend crashes; from the server log:"
  grep -B2 -A8 "terminated by signal" "$log" | tail -60
  exit 1
fi
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && [ -z "$queries" ]; then
  echo "sqlsmith: FAIL, it did not run:"; tail -20 "$work/err"; exit 1
fi
echo "sqlsmith: ${queries:-$max} queries, ${reached}, crashes: 0"
