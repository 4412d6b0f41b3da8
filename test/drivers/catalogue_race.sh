#!/usr/bin/env bash
# Concurrent writers of one app add concepts to its catalogue without
# errors, losses or a coco_id given twice.
# 8 clients post 40 batches each at the same time; every batch uses two
# concepts shared by all clients (the same new concept reaches the
# catalogue from several writers at once) and one of its own. Afterwards
# the catalogue must hold every concept used, once, with distinct coco_ids
# above 0 and the app's counter at least the highest of them; and writers
# of another app must have gone on meanwhile.
set -euo pipefail
db=annotations_catalogue_race
clients=8
per_client=40
dropdb --if-exists "$db" && createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qX -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION annotations;
SELECT annotations.create_app('race');
SELECT annotations.create_app('other');
SELECT annotations.post_inputs('race', '[{"id": "img", "data": {"image": {"url": "u"}}}]');
SELECT annotations.post_inputs('other', '[{"id": "img", "data": {"image": {"url": "u"}}}]');
SQL
script=$(mktemp)
cat > "$script" <<'SQL'
\set n random(1, 1000000000)
SELECT count(*) FROM annotations.post_annotations('race', jsonb_build_array(jsonb_build_object(
  'input_id', 'img', 'data', jsonb_build_object('concepts', jsonb_build_array(
    jsonb_build_object('id', 'shared-a' || (:n % 20)),
    jsonb_build_object('id', 'shared-b' || ((:n / 20) % 20)),
    jsonb_build_object('id', 'own-' || :client_id || '-' || :n))))));
SELECT count(*) FROM annotations.post_annotations('other', '[{"input_id": "img", "data": {"concepts": [{"id": "x"}]}}]');
SQL
out=$(pgbench -n -d "$db" -c "$clients" -j "$clients" -t "$per_client" -f "$script" 2>&1) || true
echo "$out" | grep -E "transactions actually processed|failed|aborted" || true
failed=$(echo "$out" | grep -cE "ERROR|aborted in command" || true)
echo "$out" | grep -E "ERROR|DETAIL" | sort | uniq -c | head -5 || true
rm -f "$script"
read -r used catalogued distinct_ids low counter_ok <<<"$(psql -XAt -F ' ' -d "$db" <<'SQL'
SELECT (SELECT count(DISTINCT c->>'id') FROM annotations.annotations a, jsonb_array_elements(a.concepts) c
         WHERE a.app_id = 'race'),
       (SELECT count(*) FROM annotations.concepts WHERE app_id = 'race'),
       (SELECT count(DISTINCT coco_id) FROM annotations.concepts WHERE app_id = 'race'),
       (SELECT coalesce(min(coco_id), 1) FROM annotations.concepts WHERE app_id = 'race'),
       (SELECT a.last_coco_id >= (SELECT max(coco_id) FROM annotations.concepts WHERE app_id = 'race')
          FROM annotations.apps a WHERE a.id = 'race')
SQL
)"
echo "catalogue_race: $((clients * per_client)) batches, $failed errors; $used concepts used, $catalogued catalogued, $distinct_ids distinct coco_ids, counter ahead: $counter_ok"
[ "$failed" -eq 0 ] && [ "$used" -eq "$catalogued" ] && [ "$catalogued" -eq "$distinct_ids" ] \
  && [ "$low" -ge 1 ] && [ "$counter_ok" = t ]
