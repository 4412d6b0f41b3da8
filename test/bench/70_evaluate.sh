#!/usr/bin/env bash
# Evaluation benchmark: evaluate_detections over 100,000 ground-truth boxes
# and 1,000,000 predictions of 80 concepts on 10,000 images (1024 x 768),
# against export_coco of the same rows, in the same run. Prints the best of
# 3 runs of each, the ratio and the backend's peak memory growth. The data
# goes straight into the tables as superuser (posting is benchmarked
# elsewhere). EVAL_SCALE=0.1 builds a tenth of it.
set -euo pipefail
db=annotations_bench_evaluate
scale=${EVAL_SCALE:-1}
ngt=$(awk -v s="$scale" 'BEGIN { printf "%d", 100000 * s }')
ndt=$(awk -v s="$scale" 'BEGIN { printf "%d", 1000000 * s }')
nimg=$(awk -v s="$scale" 'BEGIN { printf "%d", 10000 * s }')
dropdb --if-exists "$db" 2>/dev/null || true
createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

t0=$(date +%s.%N)
q <<SQL
\o /dev/null
CREATE EXTENSION annotations;
SELECT annotations.create_app('bench');
INSERT INTO annotations.inputs (app_id, id, data)
SELECT 'bench', 'img-' || i, jsonb_build_object('image', jsonb_build_object(
         'url', 'https://example.com/img-' || i || '.jpg',
         'image_info', jsonb_build_object('width', 1024, 'height', 768)))
  FROM generate_series(0, $nimg - 1) i;
-- ground truth g on image g % images, concept g % 80; boxes of every size
INSERT INTO annotations.annotations (app_id, id, input_id, user_id)
SELECT 'bench', 'g-' || g, 'img-' || (g % $nimg), 'labeler' FROM generate_series(0, $ngt - 1) g;
INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox, concepts)
SELECT 'bench', 'g-' || g, 'rg-' || g, 'img-' || (g % $nimg),
       annotations.bbox((g % 700) / 1000.0, (g * 7 % 800) / 1000.0,
                        (g % 700) / 1000.0 + 0.01 + (g % 5) * 0.06, (g * 7 % 800) / 1000.0 + 0.01 + (g % 4) * 0.05),
       jsonb_build_array(jsonb_build_object('id', 'c' || (g % 80), 'value', 1))
  FROM generate_series(0, $ngt - 1) g;
-- ten predictions per object, shifted a little more each time, random scores
INSERT INTO annotations.annotations (app_id, id, input_id, model_version_id)
SELECT 'bench', 'p-' || p, 'img-' || ((p % $ngt) % $nimg), 'm1' FROM generate_series(0, $ndt - 1) p;
INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox, concepts)
SELECT 'bench', 'p-' || p, 'rp-' || p, 'img-' || (g % $nimg),
       annotations.bbox((g % 700) / 1000.0 + d, (g * 7 % 800) / 1000.0 + d,
                        (g % 700) / 1000.0 + 0.01 + (g % 5) * 0.06 + d, (g * 7 % 800) / 1000.0 + 0.01 + (g % 4) * 0.05 + d),
       jsonb_build_array(jsonb_build_object('id', 'c' || (g % 80), 'value', round(random()::numeric, 3)))
  FROM generate_series(0, $ndt - 1) p, LATERAL (SELECT p % $ngt AS g, (p / $ngt) * 0.004 AS d) x;
-- the concepts in the app's catalogue, as the API would have put them there
-- (without them export_coco skips every box)
INSERT INTO annotations.concepts (app_id, id, coco_id)
SELECT 'bench', 'c' || i, i + 1 FROM generate_series(0, 79) i;
VACUUM ANALYZE annotations.inputs, annotations.annotations, annotations.regions, annotations.concepts;
SQL
t1=$(date +%s.%N)

# best of 3, in ms, of one statement
best() {
  local best_ms=
  for _ in 1 2 3; do
    local s e ms
    s=$(date +%s%N)
    q -c "$1" >/dev/null
    e=$(date +%s%N)
    ms=$(( (e - s) / 1000000 ))
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
  done
  echo "$best_ms"
}
eval_sql="SELECT count(*) FROM annotations.evaluate_detections('bench', '{m1}')"
exp_sql="SELECT pg_column_size(annotations.export_coco('bench', user_ids => '{labeler}', model_version_ids => '{m1}'))"
eval_ms=$(best "$eval_sql")
exp_ms=$(best "$exp_sql")

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
eval_mb=$(peak_mb "$eval_sql")
exp_mb=$(peak_mb "$exp_sql")

printf 'setup: %s ground-truth boxes, %s predictions, 80 concepts, %s images in %.1f s\n' \
  "$ngt" "$ndt" "$nimg" "$(echo "$t1 - $t0" | bc)"
q -c "SELECT 'all: ap ' || round(ap::numeric, 4) || ', ap50 ' || round(ap50::numeric, 4) || ', ar100 ' || round(ar100::numeric, 4)
             || ', tp50 ' || tp50 || ', fp50 ' || fp50 || ', fn50 ' || fn50
        FROM annotations.evaluate_detections('bench', '{m1}') WHERE concept_id IS NULL"
printf '%-44s %10s %10s\n' "" "ms" "peak +MB"
printf '%-44s %10s %10s\n' "evaluate_detections (COCO, 80 concepts)" "$eval_ms" "$eval_mb"
printf '%-44s %10s %10s\n' "export_coco of the same rows" "$exp_ms" "$exp_mb"
printf 'ratio evaluate_detections / export_coco: %s (target < 1)\n' "$(awk -v a="$eval_ms" -v b="$exp_ms" 'BEGIN { printf "%.2f", a / b }')"
