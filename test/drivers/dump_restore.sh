#!/usr/bin/env bash
# Nothing committed is lost by a dump and restore (the tables are
# registered with pg_extension_config_dump): a
# database holding every kind of annotation (concepts, boxes, frames,
# model-written, pending, input-level with concepts, regions labeled by id,
# collaborators, annotation_info, task ids) is dumped with pg_dump -Fc and
# restored with pg_restore into a new database, and dumped as plain SQL and
# restored with psql into another. Each copy must hold identical rows in
# every table (ordered dumps of each table compared) and a sequence that
# continues past the old seq values, and the API must keep working on it:
# post, list with after, patch, delete.
# Runs on the cluster in the PG* environment; exits non-zero on a difference.
set -euo pipefail
src=annotations_dump_src
dst_c=annotations_dump_custom
dst_p=annotations_dump_plain
work=$(mktemp -d)
# collaborators are roles (dumps do not hold roles: the cluster keeps them)
roles="dump_collab_1 dump_collab_2"
cleanup() {
  for d in "$src" "$dst_c" "$dst_p"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done
  for r in $roles; do psql -qX -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for d in "$src" "$dst_c" "$dst_p"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done
for r in $roles; do
  psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$r') THEN CREATE ROLE $r; END IF; END\$\$" >/dev/null
done
createdb "$src"

psql -qX -v ON_ERROR_STOP=1 -d "$src" >/dev/null <<'SQL'
CREATE EXTENSION annotations;
SET search_path = annotations, public;
SELECT create_app('dump-a');
SELECT create_app('dump-b');
SELECT add_collaborator('dump-a', 'dump_collab_1');
SELECT add_collaborator('dump-a', 'dump_collab_2');
SELECT add_collaborator('dump-b', 'dump_collab_1');
SELECT post_inputs('dump-a', '[
  {"id": "img-1", "data": {"image": {"url": "https://x/1.jpg", "image_info": {"width": 640, "height": 480, "format": "jpeg"}},
                           "concepts": [{"id": "cat", "name": "Cat", "value": 1}], "metadata": {"source": "camera", "n": [1, 2]}}},
  {"id": "img-2", "data": {"image": {"base64": "aGVsbG8="}}},
  {"id": "vid-1", "data": {"video": {"url": "https://x/v.mp4"}}},
  {"id": "txt-1", "data": {"text": {"raw": "unicode: żółw 🐢 \"quoted\" \\ back"}}},
  {"id": "aud-1", "data": {"audio": {"url": "https://x/a.wav"}}}]');
SELECT post_inputs('dump-b', '[{"id": "img-1", "data": {"image": {"url": "https://y/1.jpg"}}}]');
SELECT post_annotations('dump-a', '[
  {"id": "concepts", "input_id": "img-1", "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0, "name": "Water"}]},
   "annotation_info": {"reviewer": {"name": "kim", "round": 2}}, "task_id": "task-1", "embed_model_version_id": "emb-1"},
  {"id": "boxed", "input_id": "img-1", "data": {"regions": [{"id": "r1",
      "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.3333333, "right_col": 0.9}},
      "data": {"concepts": [{"id": "bike", "value": 0.75}]}}]}},
  {"id": "by-model", "input_id": "img-2", "model_version_id": "det-7",
   "data": {"regions": [{"id": "det-r", "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}},
                         "data": {"concepts": [{"id": "car", "value": 0.12345678901234567}]}}]}},
  {"id": "framed", "input_id": "vid-1", "status": {"code": "ANNOTATION_PENDING"},
   "data": {"frames": [{"frame_info": {"index": 12, "time": 480}, "data": {"concepts": [{"id": "x"}],
      "regions": [{"id": "fr", "region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.75, "right_col": 0.75}}}]}}]}},
  {"id": "other-user", "input_id": "txt-1", "user_id": "dump_collab_1", "status": {"code": 24157},
   "data": {"concepts": [{"id": "greeting"}]}},
  {"id": "failed", "input_id": "aud-1", "status": {"code": "ANNOTATION_FAILED"}, "data": {"concepts": [{"id": "noise", "value": 0}]}}]');
-- a user annotation labeling the model's region by id
SELECT post_annotations('dump-a', '[{"id": "labels-det", "input_id": "img-2", "data": {"regions": [{"id": "det-r", "data": {"concepts": [{"id": "truck"}]}}]}}]');
SELECT post_annotations('dump-b', '[{"id": "concepts", "input_id": "img-1", "data": {"concepts": [{"id": "dog"}]}}]');
-- bulk, so seq values run well past the first few
SELECT count(*) FROM post_annotations('dump-a', (
  SELECT jsonb_agg(jsonb_build_object('id', 'bulk-' || i, 'input_id', 'img-' || (1 + i % 2),
      'data', jsonb_build_object('regions', jsonb_build_array(jsonb_build_object(
          'region_info', jsonb_build_object('bounding_box', annotations.bbox(0, 0, (1 + i % 9) / 10.0, 0.5)::jsonb),
          'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'c' || i % 7, 'value', (i % 11) / 10.0))))))))
  FROM generate_series(1, 128) i));
-- patched and deleted ones, so the history is not just inserts
SELECT count(*) FROM patch_annotations('dump-a', 'merge', '[{"id": "concepts", "data": {"concepts": [{"id": "sky"}]}}]');
SELECT delete_annotation('dump-a', 'img-1', 'bulk-2');
SQL

# every table, and the sequence, in a fixed order
snapshot() {
  psql -qXAt -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT 'apps', a::text FROM annotations.apps a ORDER BY id;
SELECT 'collaborators', c::text FROM annotations.collaborators c ORDER BY app_id, user_id;
SELECT 'inputs', i::text FROM annotations.inputs i ORDER BY app_id, id;
SELECT 'annotations', a::text FROM annotations.annotations a ORDER BY app_id, id;
SELECT 'regions', r::text FROM annotations.regions r ORDER BY app_id, annotation_id;
SELECT 'bbox_bits', r.annotation_id, annotations.bbox_send(r.bbox) FROM annotations.regions r ORDER BY app_id, annotation_id;
SELECT 'concept_labels', count(*), md5(string_agg(l::text, '|' ORDER BY l::text)) FROM annotations.concept_labels l;
SELECT 'seq', last_value, is_called FROM annotations.annotation_seq;
SQL
}
snapshot "$src" > "$work/src.txt"
rows=$(grep -cv '^seq\|^concept_labels\|^bbox_bits' "$work/src.txt")
maxseq=$(psql -XAt -d "$src" -c 'SELECT max(seq) FROM annotations.annotations')

# the API must keep working on a restored copy, and seq must continue
check_api() {
  local db=$1
  psql -qXAt -v ON_ERROR_STOP=1 -v maxseq="$maxseq" -d "$db" <<'SQL'
SET search_path = annotations, public;
CREATE TEMP TABLE posted AS
  SELECT * FROM post_annotations('dump-a', '[{"id": "after-restore", "input_id": "img-1",
     "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "again"}]}}]}}]');
-- labels the region r1 by id: its box comes from the restored rows
SELECT CASE WHEN (SELECT seq FROM posted) > :maxseq THEN 'ok' ELSE 'FAIL: new seq ' || (SELECT seq FROM posted) || ' not past ' || :maxseq END;
SELECT CASE WHEN (SELECT bbox FROM posted) = (SELECT bbox FROM annotations.regions WHERE app_id = 'dump-a' AND annotation_id = 'boxed')
            THEN 'ok' ELSE 'FAIL: region by id lost its box' END;
SELECT CASE WHEN (SELECT string_agg(id, ',') FROM list_annotations('dump-a', after => :maxseq)) = 'after-restore'
            THEN 'ok' ELSE 'FAIL: list after old max seq' END;
SELECT CASE WHEN (SELECT count(*) FROM list_annotations('dump-a', list_all_annotations => true, per_page => 1000))
                 = (SELECT count(*) FROM annotations.annotations WHERE app_id = 'dump-a' AND listed)
            THEN 'ok' ELSE 'FAIL: list count' END;
SELECT CASE WHEN (SELECT concepts FROM patch_annotations('dump-a', 'merge', '[{"id": "concepts", "data": {"concepts": [{"id": "restored"}]}}]'))
                 @> '[{"id": "restored"}, {"id": "sky"}, {"id": "tree"}]'
            THEN 'ok' ELSE 'FAIL: patch' END;
SELECT CASE WHEN (SELECT region_concepts FROM patch_annotations('dump-a', 'merge', '[{"id": "boxed", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bike", "value": 1}]}}]}}]'))
                 = '[{"id": "bike", "value": 1}]' THEN 'ok' ELSE 'FAIL: patch region' END;
SELECT CASE WHEN delete_annotations('dump-a', ARRAY['img-2']) = 129 - 64 + 1
            THEN 'ok' ELSE 'FAIL: delete_annotations' END;
SELECT CASE WHEN (SELECT count(*) FROM annotations.regions WHERE app_id = 'dump-a' AND input_id = 'img-2') = 0
            THEN 'ok' ELSE 'FAIL: regions left behind' END;
SELECT CASE WHEN count(*) = 1 THEN 'ok' ELSE 'FAIL: post_inputs' END
  FROM post_inputs('dump-a', '[{"id": "img-new", "data": {"image": {"url": "u"}}}]');
SELECT CASE WHEN (SELECT count(*) FROM annotations.annotations WHERE app_id = 'dump-a' AND input_id = 'img-new' AND input_level) = 1
            THEN 'ok' ELSE 'FAIL: input-level annotation' END;
SQL
}

status=0
compare() {
  local what=$1 db=$2
  snapshot "$db" > "$work/$db.txt"
  if diff -u "$work/src.txt" "$work/$db.txt" > "$work/$db.diff"; then
    echo "$what: $rows rows identical in all tables, sequence at $(grep '^seq' "$work/$db.txt" | cut -d'|' -f2)"
  else
    echo "$what: FAIL, restored rows differ:"; head -40 "$work/$db.diff"; status=1
  fi
  local out
  out=$(check_api "$db" 2>&1) || { echo "$what: FAIL, API on the restored copy: $out"; status=1; return; }
  if grep -q FAIL <<<"$out"; then
    echo "$what: API on the restored copy:"; grep FAIL <<<"$out"; status=1
  else
    echo "$what: API works on the restored copy ($(grep -c '^ok$' <<<"$out") checks: post past old seq, region by id, list after, patch, delete, post_inputs)"
  fi
}

# custom format, pg_restore
pg_dump -Fc -d "$src" -f "$work/dump.custom"
createdb "$dst_c"
pg_restore --exit-on-error -d "$dst_c" "$work/dump.custom"
compare "pg_dump -Fc | pg_restore" "$dst_c"

# plain SQL, psql
pg_dump -Fp -d "$src" -f "$work/dump.sql"
createdb "$dst_p"
psql -qX -v ON_ERROR_STOP=1 -d "$dst_p" -f "$work/dump.sql" >/dev/null
compare "pg_dump (plain) | psql" "$dst_p"

exit $status
