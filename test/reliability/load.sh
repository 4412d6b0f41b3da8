#!/usr/bin/env bash
# Concurrency under load: pgbench runs custom scripts that mix
# post, list, count, patch and delete from CLIENTS clients for TX
# transactions each. Each client writes as its own user (client-N) and keeps
# tallies in the same transactions as its writes; afterwards:
#   - no transaction failed (pgbench reports no aborted client or failure);
#   - every region belongs to an existing annotation on the same input;
#   - seq is unique, the listed column matches its definition, every input
#     has exactly one input-level annotation;
#   - count_annotations per client equals that client's tally of posts minus
#     deletes, and its patched annotation holds every concept it merged;
#   - paging through the app with after visits count_annotations rows once;
#   - amcheck finds every btree index of the extension sound.
# Usage: load.sh [clients] [transactions per client]; PG* environment.
set -euo pipefail
clients=${1:-8}
tx=${2:-400}
db=annotations_load
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
dropdb --if-exists "$db" >/dev/null 2>&1 || true
createdb "$db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -v clients="$clients" >/dev/null <<'SQL'
CREATE EXTENSION annotations;
CREATE EXTENSION amcheck;
SELECT annotations.create_app('load');
SELECT annotations.post_inputs('load', (SELECT jsonb_agg(jsonb_build_object('id', 'in-' || i,
    'data', jsonb_build_object('image', jsonb_build_object('url', 'u' || i)))) FROM generate_series(0, 15) i));
-- one annotation per client that only patches touch
SELECT count(*) FROM annotations.post_annotations('load', (SELECT jsonb_agg(jsonb_build_object(
    'id', 'seed-' || c, 'input_id', 'in-0', 'user_id', 'client-' || c,
    'data', '{"concepts": [{"id": "seed"}]}'::jsonb)) FROM generate_series(1, :clients) c));
CREATE TABLE load_tally (client int, posted int DEFAULT 0, deleted int DEFAULT 0, patched int DEFAULT 0);
SQL

# post: 4 annotations with a box and concepts, written as this client
cat > "$work/post.sql" <<'SQL'
\set input random(0, 15)
\set w random(1, 9)
BEGIN;
INSERT INTO load_tally (client, posted)
SELECT :client_id + 1, count(*) FROM annotations.post_annotations('load', (
  SELECT jsonb_agg(jsonb_build_object('input_id', 'in-' || ((:input + k) % 16), 'user_id', 'client-' || (:client_id + 1),
      'status', jsonb_build_object('code', CASE WHEN k = 0 THEN 24151 ELSE 24150 END),
      'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'k' || k, 'value', :w / 10.0)),
          'regions', jsonb_build_array(jsonb_build_object('region_info', jsonb_build_object('bounding_box',
              jsonb_build_object('top_row', 0, 'left_col', 0, 'bottom_row', :w / 10.0, 'right_col', 0.5)))))))
    FROM generate_series(0, 3) k));
END;
SQL
# list and count: a keyset page somewhere in the app, by filter
cat > "$work/list.sql" <<'SQL'
\set after random(0, 20000)
SELECT count(*) FROM annotations.list_annotations('load', per_page => 50, after => :after);
SELECT count(*) FROM annotations.list_annotations('load', user_ids => ARRAY['client-' || (:client_id + 1)], per_page => 20);
SELECT count(*) FROM annotations.list_annotations('load', statuses => '{pending}', input_ids => ARRAY['in-3', 'in-7'], per_page => 20);
SELECT annotations.count_annotations('load', user_ids => ARRAY['client-' || (:client_id + 1)]);
SQL
# patch: merge a new concept into this client's seed, and overwrite the
# region of one of its other annotations (a region delete + insert)
cat > "$work/patch.sql" <<'SQL'
\set n random(1, 1000000000000)
\set w random(1, 9)
BEGIN;
INSERT INTO load_tally (client, patched)
SELECT :client_id + 1, count(*) FROM annotations.patch_annotations('load', 'merge',
  jsonb_build_array(jsonb_build_object('id', 'seed-' || (:client_id + 1),
      'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'p' || :n))))));
SELECT count(*) FROM annotations.patch_annotations('load', 'overwrite', (
  SELECT COALESCE(jsonb_agg(jsonb_build_object('id', a.id, 'data', jsonb_build_object(
      'concepts', '[{"id": "over"}]'::jsonb,
      'regions', jsonb_build_array(jsonb_build_object('region_info', jsonb_build_object('bounding_box',
          jsonb_build_object('top_row', 0.1, 'left_col', 0.1, 'bottom_row', 0.2 + :w / 20.0, 'right_col', 0.9))))))),
      '[{"id": "seed-0"}]')
    FROM (SELECT id FROM annotations.annotations WHERE app_id = 'load' AND user_id = 'client-' || (:client_id + 1)
            AND NOT input_level AND id NOT LIKE 'seed-%' ORDER BY seq DESC LIMIT 1) a))
 WHERE EXISTS (SELECT 1 FROM annotations.annotations WHERE app_id = 'load' AND user_id = 'client-' || (:client_id + 1)
                 AND NOT input_level AND id NOT LIKE 'seed-%');
END;
SQL
# delete: this client's oldest annotation (never its seed)
cat > "$work/delete.sql" <<'SQL'
BEGIN;
INSERT INTO load_tally (client, deleted)
SELECT :client_id + 1, annotations.delete_annotations('load', ARRAY[input_id], ARRAY[id])
  FROM (SELECT input_id, id FROM annotations.annotations
         WHERE app_id = 'load' AND user_id = 'client-' || (:client_id + 1) AND NOT input_level
           AND id NOT LIKE 'seed-%' ORDER BY seq LIMIT 1) s;
END;
SQL

echo "load: pgbench, $clients clients x $tx transactions (post 4, list 3, patch 2, delete 1 in 10)"
start=$(date +%s)
set +e
pgbench -n -d "$db" -c "$clients" -j "$clients" -t "$tx" \
  -f "$work/post.sql@4" -f "$work/list.sql@3" -f "$work/patch.sql@2" -f "$work/delete.sql@1" \
  > "$work/pgbench.out" 2>&1
rc=$?
set -e
grep -E "number of transactions actually processed|number of failed|tps =|aborted" "$work/pgbench.out" | grep -v "^ *-" | sed 's/^/  /'
errors=$(grep -c -E "aborted|ERROR|FATAL" "$work/pgbench.out" || true)
if [ $rc -ne 0 ] || [ "$errors" -ne 0 ]; then
  echo "load: FAIL, pgbench exit $rc, $errors error lines:"; grep -E "ERROR|FATAL|aborted" "$work/pgbench.out" | sort | uniq -c | head -20
  exit 1
fi

out=$(psql -qXAt -v ON_ERROR_STOP=1 -d "$db" 2>&1 <<'SQL'
SELECT 'orphan or misplaced regions: ' || count(*) FROM annotations.regions r
  LEFT JOIN annotations.annotations a ON a.app_id = r.app_id AND a.id = r.annotation_id
 WHERE a.id IS NULL OR a.input_id <> r.input_id;
SELECT 'duplicate seq: ' || (count(*) - count(DISTINCT seq)) FROM annotations.annotations;
SELECT 'seq past the sequence: ' || count(*) FROM annotations.annotations
 WHERE seq > (SELECT last_value FROM annotations.annotation_seq);
SELECT 'listed wrong: ' || count(*) FROM annotations.annotations
 WHERE listed IS DISTINCT FROM (NOT input_level OR concepts <> '[]'::jsonb);
SELECT 'inputs without exactly one input-level annotation: ' || count(*) FROM annotations.inputs i
 WHERE (SELECT count(*) FROM annotations.annotations a WHERE a.app_id = i.app_id AND a.input_id = i.id AND a.input_level) <> 1;
SELECT 'clients whose count differs from their tally: ' || count(*) FROM (
  SELECT t.client, sum(t.posted) - sum(t.deleted) + 1 AS want,
         annotations.count_annotations('load', user_ids => ARRAY['client-' || t.client]) AS got
    FROM load_tally t GROUP BY t.client) s WHERE want <> got;
SELECT 'clients whose seed lost a merged concept: ' || count(*) FROM (
  SELECT t.client, sum(t.patched) + 1 AS want,
         (SELECT jsonb_array_length(concepts) FROM annotations.annotations
           WHERE app_id = 'load' AND id = 'seed-' || t.client) AS got
    FROM load_tally t GROUP BY t.client) s WHERE want <> got;
SELECT 'rows missed or repeated by paging with after: ' || abs(
  (WITH RECURSIVE p(last, n) AS (
       SELECT (SELECT max(seq) FROM annotations.list_annotations('load', list_all_annotations => true, per_page => 1000)),
              (SELECT count(*) FROM annotations.list_annotations('load', list_all_annotations => true, per_page => 1000))
     UNION ALL
       SELECT (SELECT max(seq) FROM annotations.list_annotations('load', list_all_annotations => true, per_page => 1000, after => p.last)),
              (SELECT count(*) FROM annotations.list_annotations('load', list_all_annotations => true, per_page => 1000, after => p.last))
         FROM p WHERE p.last IS NOT NULL)
   SELECT sum(n) FROM p) - annotations.count_annotations('load', list_all_annotations => true));
SELECT 'amcheck failures: ' || count(*) FROM (
  SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'annotations' AND am.amname = 'btree') s WHERE false;
SELECT 'totals: ' || (SELECT sum(posted) FROM load_tally) || ' posted, ' || (SELECT sum(deleted) FROM load_tally)
    || ' deleted, ' || (SELECT sum(patched) FROM load_tally) || ' merges, '
    || (SELECT count(*) FROM annotations.annotations WHERE app_id = 'load') || ' annotations and '
    || (SELECT count(*) FROM annotations.regions WHERE app_id = 'load') || ' regions now';
SQL
) || { echo "load: FAIL, the invariant checks raised an error:"; echo "$out"; exit 1; }
echo "$out" | sed 's/^/  /'
elapsed=$(( $(date +%s) - start ))
if grep -E ': [1-9][0-9]*$' <<<"$out" | grep -v '^totals' >/dev/null; then
  echo "load: FAIL, an invariant does not hold"
  exit 1
fi
echo "load: $((clients * tx)) transactions, 0 errors, all invariants hold (${elapsed} s)"
