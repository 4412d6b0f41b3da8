#!/usr/bin/env bash
# Evaluation by shapes: evaluate_detections with iou_type 'segm' against
# 'bbox' on the same rows, 10,000 ground-truth polygons and 20,000 box
# predictions of 5 concepts on 1,000 images (640 x 480), posted through
# post_annotations. Prints the best of 3 runs of each and the ratio.
set -euo pipefail
db=annotations_bench_segm
dropdb --if-exists "$db" 2>/dev/null || true
createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qXAt -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION annotations;
SET search_path = annotations, public;
SET client_min_messages = warning;
SELECT id FROM create_app('bs');
SELECT count(*) FROM generate_series(0, 9) b, LATERAL post_inputs('bs', (SELECT jsonb_agg(jsonb_build_object('id', 'i' || g,
  'data', jsonb_build_object('image', jsonb_build_object('url', 'https://x/' || g || '.jpg', 'image_info', '{"width": 640, "height": 480}'::jsonb))))
  FROM generate_series(b * 100 + 1, b * 100 + 100) g));
DO $$
DECLARE b int;
BEGIN
  FOR b IN 0..249 LOOP
    PERFORM count(*) FROM annotations.post_annotations('bs', (SELECT jsonb_agg(j) FROM (
      SELECT jsonb_build_object('input_id', 'i' || g, 'data', jsonb_build_object('regions', jsonb_build_array(jsonb_build_object(
        'region_info', jsonb_build_object('polygon', jsonb_build_object('points', jsonb_build_array(
            jsonb_build_object('row', r0, 'col', c0), jsonb_build_object('row', r0, 'col', c0 + 0.2),
            jsonb_build_object('row', r0 + 0.25, 'col', c0 + 0.1), jsonb_build_object('row', r0 + 0.2, 'col', c0)))),
        'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'c' || (k % 5)))))))) AS j
      FROM generate_series(b * 4 + 1, b * 4 + 4) g, generate_series(1, 10) k,
           LATERAL (SELECT (k * 0.07)::numeric(4,3) AS r0, (k * 0.075)::numeric(4,3) AS c0) p
      UNION ALL
      SELECT jsonb_build_object('input_id', 'i' || g, 'model_version_id', 'm', 'data', jsonb_build_object('regions', jsonb_build_array(jsonb_build_object(
        'region_info', jsonb_build_object('bounding_box', jsonb_build_object('top_row', r0, 'left_col', c0, 'bottom_row', r0 + 0.22, 'right_col', c0 + 0.2)),
        'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'c' || (k % 5), 'value', (k % 7) / 7.0 + 0.1))))))) AS j
      FROM generate_series(b * 4 + 1, b * 4 + 4) g, generate_series(1, 20) k,
           LATERAL (SELECT ((k % 10) * 0.07 + 0.01)::numeric(4,3) AS r0, ((k % 10) * 0.075)::numeric(4,3) AS c0) p) s));
  END LOOP;
END $$;
SQL
best() {
  local best=
  for _ in 1 2 3; do
    local t
    t=$(psql -qXAt -d "$db" -c '\timing on' -c "SELECT count(*) FROM annotations.evaluate_detections('bs', '{m}', iou_type => '$1')" \
        | awk '/^Time:/ { print $2 }')
    best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
  done
  echo "$best"
}
bbox=$(best bbox)
segm=$(best segm)
printf '%-52s %10s\n' "evaluate_detections, iou_type bbox (ms)" "$bbox" "evaluate_detections, iou_type segm (ms)" "$segm"
printf 'ratio segm / bbox: %s\n' "$(awk -v a="$segm" -v b="$bbox" 'BEGIN { printf "%.1f", a / b }')"
