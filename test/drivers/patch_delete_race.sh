#!/usr/bin/env bash
# A patch racing a delete of the same annotation fails only with P0002, the
# error of an annotation that is not there, never with a retry error
# (40001). One session patches annotation "t" over and over (concepts, then
# its region, then both); another deletes "t" and posts it again in one
# transaction, over and over. A patch that waited for the delete finds the
# row it was about to lock gone: "not found", as if the delete had come
# first. (A patch that read the table again after a missing row lock would
# find the reposted "t" and answer 40001.)
set -euo pipefail
db=annotations_patch_race
rounds=${PATCH_RACE_ROUNDS:-300}
dropdb --if-exists "$db" >/dev/null 2>&1 && createdb "$db"
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
post="SELECT count(*) FROM annotations.post_annotations('race', '[{\"id\": \"t\", \"input_id\": \"img\",
   \"data\": {\"concepts\": [{\"id\": \"c\"}], \"regions\": [{\"id\": \"r\", \"region_info\": {\"bounding_box\":
   {\"top_row\": 0, \"left_col\": 0, \"bottom_row\": 0.5, \"right_col\": 0.5}}}]}}]');"
psql -qX -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
CREATE EXTENSION annotations;
SELECT annotations.create_app('race');
SELECT annotations.post_inputs('race', '[{"id": "img", "data": {"image": {"url": "u"}}}]');
$post
SQL

patches=(
  '{"id": "t", "data": {"concepts": [{"id": "cN"}]}}'
  '{"id": "t", "data": {"regions": [{"id": "r", "data": {"concepts": [{"id": "cN"}]}}]}}'
  '{"id": "t", "input_id": "img", "data": {"concepts": [{"id": "cN"}], "regions": [{"id": "r", "data": {"concepts": [{"id": "cN"}]}}]}}'
)
{
  echo '\set VERBOSITY sqlstate'
  for ((i = 0; i < rounds; i++)); do
    p=${patches[i % 3]}
    echo "SELECT count(*) FROM annotations.patch_annotations('race', 'merge', '[${p//cN/c$i}]');"
  done
} > "$work/patch.sql"
{
  echo '\set VERBOSITY sqlstate'
  for ((i = 0; i < rounds; i++)); do
    echo "BEGIN; SELECT annotations.delete_annotation('race', 'img', 't'); $post COMMIT;"
  done
} > "$work/delete.sql"

psql -qXAt -d "$db" -f "$work/patch.sql" >"$work/patch.out" 2>"$work/patch.err" &
patcher=$!
psql -qXAt -d "$db" -f "$work/delete.sql" >"$work/delete.out" 2>"$work/delete.err" &
deleter=$!
wait "$patcher" "$deleter"

patched=$(grep -c '^1$' "$work/patch.out" || true)
not_found=$(grep -c 'ERROR:  P0002' "$work/patch.err" || true)
other=$(grep -o 'ERROR:  .*' "$work/patch.err" | grep -v '^ERROR:  P0002' | sort | uniq -c || true)
delete_errors=$(grep -c 'ERROR' "$work/delete.err" || true)
echo "patches: $rounds, applied $patched, not found (P0002) $not_found"
[ -z "$other" ] || printf 'patch errors other than P0002:\n%s\n' "$other"
[ "$delete_errors" -eq 0 ] || { echo "the deleting session failed $delete_errors times:"; grep -o 'ERROR:  .*' "$work/delete.err" | sort | uniq -c; }
[ -z "$other" ] && [ "$delete_errors" -eq 0 ] && [ $((patched + not_found)) -eq "$rounds" ]
