#!/usr/bin/env bash
# COCO import benchmark: import_coco of a document of 1,000,000 boxes on
# 10,000 images (20 categories, ids, areas, every 50th box a crowd), against
# COPY of the same rows into the same tables (the inputs, their input-level
# annotations, the box annotations with their annotation_info, the regions)
# and the same concepts into the catalogue. Each side runs in a fresh
# database of its own; COPY reads files written beforehand on the server.
# Then export_coco of the imported app (whose ids and areas are the ones
# the import kept) against a plain jsonb_agg of the same rows.
# Target: import at least 0.5x the rows/s of COPY.
set -euo pipefail
n=${IMPORT_ROWS:-1000000}
imp=annotations_bench_import
cpy=annotations_bench_copy
work=$(mktemp -d)
chmod 777 "$work"   # the server writes and reads the files
cleanup() { dropdb --if-exists "$imp" >/dev/null 2>&1 || true; dropdb --if-exists "$cpy" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
for d in "$imp" "$cpy"; do dropdb --if-exists "$d" 2>/dev/null || true; createdb "$d"; done
q() { local d=$1; shift; psql -qXAt -v ON_ERROR_STOP=1 -d "$d" "$@"; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

# the document, built in the import database
q "$imp" <<SQL
\o /dev/null
CREATE EXTENSION annotations;
SELECT annotations.create_app('bench');
CREATE TABLE doc AS
SELECT jsonb_build_object(
  'images', (SELECT jsonb_agg(jsonb_build_object('id', i, 'file_name', 'img-' || i || '.jpg',
                                                  'width', 1024, 'height', 768) ORDER BY i)
               FROM generate_series(1, 10000) i),
  'categories', (SELECT jsonb_agg(jsonb_build_object('id', c, 'name', 'concept-' || c, 'supercategory', 'thing') ORDER BY c)
                   FROM generate_series(1, 20) c),
  'annotations', (SELECT jsonb_agg(jsonb_build_object(
                    'id', i, 'image_id', 1 + i % 10000, 'category_id', 1 + i % 20,
                    'bbox', jsonb_build_array((i * 7 % 900), (i % 700), 64.5, 48.25),
                    'area', 3000.5, 'iscrowd', (i % 50 = 0)::int) ORDER BY i)
                    FROM generate_series(1, $n) i)) AS d;
SQL

# the same rows as import writes them, for COPY (ids and JSON as import makes them)
q "$imp" <<SQL
\o /dev/null
COPY (SELECT 'bench', 'img-' || i || '.jpg',
             jsonb_build_object('image', jsonb_build_object('url', 'img-' || i || '.jpg',
                 'image_info', jsonb_build_object('width', 1024, 'height', 768)),
               'metadata', jsonb_build_object('coco', jsonb_build_object('image_id', i)))
        FROM generate_series(1, 10000) i) TO '$work/inputs.csv' (FORMAT csv);
COPY (SELECT 'bench', md5('lvl' || i), 'img-' || i || '.jpg', current_user, true
        FROM generate_series(1, 10000) i) TO '$work/levels.csv' (FORMAT csv);
COPY (SELECT 'bench', 'coco-img-' || (1 + i % 10000) || '.jpg-' || i, 'img-' || (1 + i % 10000) || '.jpg',
             current_user, jsonb_build_object('coco', jsonb_build_object('id', i, 'area', 3000.5))
        FROM generate_series(1, $n) i) TO '$work/annotations.csv' (FORMAT csv);
COPY (SELECT 'bench', 'coco-img-' || (1 + i % 10000) || '.jpg-' || i, 'coco-img-' || (1 + i % 10000) || '.jpg-' || i,
             'img-' || (1 + i % 10000) || '.jpg',
             annotations.from_coco(ARRAY[(i * 7 % 900), (i % 700), 64.5, 48.25]::float8[], 1024, 768),
             jsonb_build_array(jsonb_build_object('id', 'concept-' || (1 + i % 20), 'value', 1)),
             i % 50 = 0
        FROM generate_series(1, $n) i) TO '$work/regions.csv' (FORMAT csv);
COPY (SELECT 'bench', 'concept-' || c, c, 'thing' FROM generate_series(1, 20) c) TO '$work/concepts.csv' (FORMAT csv);
SQL
q "$cpy" -c "CREATE EXTENSION annotations" -c "SELECT annotations.create_app('bench')" >/dev/null
q "$imp" -c "CHECKPOINT"

s=$(date +%s%N)
q "$cpy" <<SQL
BEGIN;
COPY annotations.concepts (app_id, id, coco_id, supercategory) FROM '$work/concepts.csv' (FORMAT csv);
COPY annotations.inputs (app_id, id, data) FROM '$work/inputs.csv' (FORMAT csv);
COPY annotations.annotations (app_id, id, input_id, user_id, input_level) FROM '$work/levels.csv' (FORMAT csv);
COPY annotations.annotations (app_id, id, input_id, user_id, annotation_info) FROM '$work/annotations.csv' (FORMAT csv);
COPY annotations.regions (app_id, annotation_id, id, input_id, bbox, concepts, iscrowd) FROM '$work/regions.csv' (FORMAT csv);
COMMIT;
SQL
e=$(date +%s%N)
copy_ms=$(ms "$s" "$e")

s=$(date +%s%N)
result=$(q "$imp" -F ' ' -c "SELECT images, annotations, skipped, annotations_created FROM annotations.import_coco('bench', (SELECT d FROM doc))")
e=$(date +%s%N)
import_ms=$(ms "$s" "$e")
# what both sides wrote, row by row, up to what each makes up itself (the
# input-level annotations' ids, seq, dates): an order-free sum of each row's md5
digest="
  WITH h(t, x) AS (
    SELECT 'inputs', i.id || i.data::text FROM annotations.inputs i WHERE i.app_id = 'bench'
    UNION ALL
    SELECT 'levels', a.input_id || a.user_id FROM annotations.annotations a WHERE a.app_id = 'bench' AND a.input_level
    UNION ALL
    SELECT 'boxes', concat_ws('|', a.id, a.input_id, a.user_id, a.annotation_info::text, r.id, r.input_id,
                              r.bbox::text, r.concepts::text, r.iscrowd)
      FROM annotations.annotations a
      JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
     WHERE a.app_id = 'bench'
    UNION ALL
    SELECT 'concepts', concat_ws('|', c.id, c.coco_id, c.supercategory) FROM annotations.concepts c WHERE c.app_id = 'bench')
  SELECT string_agg(t || ' ' || n || ' ' || s, ', ' ORDER BY t)
    FROM (SELECT t, count(*) AS n, sum(('x' || substr(md5(x), 1, 15))::bit(60)::bigint) AS s FROM h GROUP BY t) d"
same=$(psql -qXAt -d "$imp" -c "$digest")
same_copy=$(psql -qXAt -d "$cpy" -c "$digest")

# export of the imported app, best of 2, against a plain jsonb_agg of the same rows
q "$imp" -c "VACUUM ANALYZE" >/dev/null
best() {
  local best_ms=
  for _ in 1 2; do
    local s e
    s=$(date +%s%N); q "$imp" -c "$1" >/dev/null; e=$(date +%s%N)
    local t=$(( (e - s) / 1000000 ))
    if [ -z "$best_ms" ] || [ "$t" -lt "$best_ms" ]; then best_ms=$t; fi
  done
  echo "$best_ms"
}
exp_ms=$(best "SELECT pg_column_size(annotations.export_coco('bench'))")
agg_ms=$(best "
  SELECT pg_column_size(jsonb_agg(jsonb_build_object(
           'id', a.seq, 'image_id', a.input_id, 'category_id', r.concepts -> 0 ->> 'id',
           'bbox', r.bbox::jsonb) ORDER BY a.seq))
    FROM annotations.annotations a
    JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
   WHERE a.app_id = 'bench' AND a.model_version_id IS NULL")

printf 'import_coco of %s boxes on 10,000 images: %s ms (images, annotations, skipped, created: %s)\n' "$n" "$import_ms" "$result"
printf 'COPY of the same rows into the same tables:  %s ms\n' "$copy_ms"
printf 'rows written (count and digest per kind): import  %s\n' "$same"
printf '                                          COPY    %s\n' "$same_copy"
if [ "$same" != "$same_copy" ]; then echo "the two sides wrote different rows" >&2; exit 1; fi
printf 'ratio import rows/s / COPY rows/s: %s (target >= 0.5)\n' "$(awk -v a="$copy_ms" -v b="$import_ms" 'BEGIN { printf "%.2f", a / b }')"
printf 'export_coco of the imported app: %s ms; plain jsonb_agg: %s ms; ratio %s (target <= 1)\n' \
  "$exp_ms" "$agg_ms" "$(awk -v a="$exp_ms" -v b="$agg_ms" 'BEGIN { printf "%.2f", a / b }')"
