#!/usr/bin/env bash
# COCO export benchmark: export_coco over 1,000,000 region annotations on
# 10,000 images, against a plain jsonb_agg of the same rows (one object per
# box, no pixel conversion) in one query.  Prints the best of 3 runs of each,
# the ratio, the document size and the backend's peak memory growth.
# Runs in its own database on the PG* cluster.
set -euo pipefail
db=annotations_bench_export
n=${EXPORT_ROWS:-1000000}
dropdb --if-exists "$db" 2>/dev/null || true
createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# data straight into the tables, as superuser (the API is benchmarked elsewhere)
t0=$(date +%s.%N)
q <<SQL
\o /dev/null
CREATE EXTENSION annotations;
SELECT annotations.create_app('bench');
INSERT INTO annotations.inputs (app_id, id, data)
SELECT 'bench', 'img-' || i, jsonb_build_object('image', jsonb_build_object(
         'url', 'https://example.com/img-' || i || '.jpg',
         'image_info', jsonb_build_object('width', 1024, 'height', 768)))
  FROM generate_series(1, 10000) i;
INSERT INTO annotations.annotations (app_id, id, input_id, user_id)
SELECT 'bench', 'a-' || i, 'img-' || (1 + i % 10000), 'labeler'
  FROM generate_series(1, $n) i;
INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox, concepts)
SELECT 'bench', 'a-' || i, 'r-' || i, 'img-' || (1 + i % 10000),
       annotations.bbox((i % 900) / 1000.0, (i * 7 % 900) / 1000.0,
                        (i % 900) / 1000.0 + 0.1, (i * 7 % 900) / 1000.0 + 0.05),
       jsonb_build_array(jsonb_build_object('id', 'concept-' || (i % 20), 'value', 1))
  FROM generate_series(1, $n) i;
-- the concepts in the app's catalogue, as the API would have put them there
INSERT INTO annotations.concepts (app_id, id, coco_id)
SELECT 'bench', 'concept-' || i, i + 1 FROM generate_series(0, 19) i;
UPDATE annotations.apps SET last_coco_id = 20 WHERE id = 'bench';
VACUUM ANALYZE annotations.inputs, annotations.annotations, annotations.regions;
SQL
t1=$(date +%s.%N)

# best of 3, in ms, of one statement; prints "ms bytes"
best() {
  local best_ms= bytes=
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N)
    bytes=$(q -c "$1")
    e=$(date +%s%N)
    local ms=$(( (e - s) / 1000000 ))
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
  done
  echo "$best_ms $bytes"
}
exp_sql="SELECT pg_column_size(annotations.export_coco('bench'))"
agg_sql="
  SELECT pg_column_size(jsonb_agg(jsonb_build_object(
           'id', a.seq, 'image_id', a.input_id, 'category_id', r.concepts -> 0 ->> 'id',
           'bbox', r.bbox::jsonb) ORDER BY a.seq))
    FROM annotations.annotations a
    JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
   WHERE a.app_id = 'bench' AND a.model_version_id IS NULL"
read -r exp_ms exp_bytes < <(best "$exp_sql")
read -r agg_ms agg_bytes < <(best "$agg_sql")

# memory: growth of the backend's peak resident set (VmHWM) over one run
hwm="substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') from 'VmHWM:\\s+(\\d+)')::bigint"
peak_mb() {
  q <<SQL
SELECT $hwm AS before \gset
\o /dev/null
$1;
\o
SELECT round(($hwm - :before) / 1024.0);
SQL
}
exp_mb=$(peak_mb "$exp_sql")
agg_mb=$(peak_mb "$agg_sql")

printf 'setup: %s boxes on 10,000 images in %.1f s\n' "$n" "$(echo "$t1 - $t0" | bc)"
printf '%-44s %10s %12s %10s\n' "" "ms" "jsonb bytes" "peak +MB"
printf '%-44s %10s %12s %10s\n' "export_coco (pixels, categories, images)" "$exp_ms" "$exp_bytes" "$exp_mb"
printf '%-44s %10s %12s %10s\n' "plain jsonb_agg of the same rows" "$agg_ms" "$agg_bytes" "$agg_mb"
printf 'ratio export_coco / jsonb_agg: %s\n' "$(awk -v a="$exp_ms" -v b="$agg_ms" 'BEGIN { printf "%.2f", a / b }')"
