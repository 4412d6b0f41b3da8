#!/usr/bin/env bash
# A post that races a delete_inputs of its input fails as "input not found"
# (P0002), never with a raw foreign-key error (23503), and a post that wins
# the race keeps the delete waiting until it commits, which then takes the
# new annotation with the input.
#
# Race 1: session A deletes the input and holds its transaction open; B
# posts on that input meanwhile, so B's check of the input runs while A's
# delete is not yet committed. A commits; B must report P0002.
# Race 2: B posts first and holds its transaction open; A's delete_inputs
# waits for it, then deletes input and annotation together.
set -euo pipefail
db=annotations_post_race
dropdb --if-exists "$db" && createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qX -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION annotations;
SELECT annotations.create_app('race');
SELECT annotations.post_inputs('race', '[{"id": "img", "data": {"image": {"url": "u"}}},
                                         {"id": "img2", "data": {"image": {"url": "u"}}}]');
SQL
post='SELECT count(*) FROM annotations.post_annotations('"'race'"', '"'"'[{"id": "a1", "input_id": "INPUT",
  "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}}]'"'"')'
# waits until a session of this application name is idle in a transaction
# (it has run its statement and holds its locks)
wait_idle_in_tx() {
  for _ in $(seq 1 200); do
    n=$(psql -XAt -d "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND state = 'idle in transaction'")
    [ "$n" = 1 ] && return 0
    sleep 0.05
  done
  echo "session $1 never got to its pause" >&2
  return 1
}
# waits until a session of this application name waits for a lock
wait_blocked() {
  for _ in $(seq 1 200); do
    n=$(psql -XAt -d "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND wait_event_type = 'Lock'")
    [ "$n" = 1 ] && return 0
    sleep 0.05
  done
  echo "session $1 never waited for a lock" >&2
  return 1
}
fail=0
out=$(mktemp)
trap 'rm -f "$out"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT

# Race 1: the delete wins
fifo=$(mktemp -u); mkfifo "$fifo"
PGAPPNAME=race_delete psql -qX -v ON_ERROR_STOP=1 -d "$db" < "$fifo" >/dev/null &
a=$!
exec 3>"$fifo"
echo "BEGIN; SELECT annotations.delete_inputs('race', '{img}');" >&3
wait_idle_in_tx race_delete
PGAPPNAME=race_post psql -qX -d "$db" -v VERBOSITY=sqlstate -c "${post//INPUT/img}" > "$out" 2>&1 &
b=$!
if wait_blocked race_post; then
  echo "COMMIT;" >&3
else
  echo "COMMIT;" >&3; fail=1
fi
exec 3>&-
wait "$a"; wait "$b" || true
rm -f "$fifo"
got=$(grep -o 'ERROR:  [0-9A-Z]*' "$out" | head -1 | sed 's/ERROR:  //')
echo "post racing a delete of its input: ${got:-no error} (expected P0002)"
[ "$got" = P0002 ] || { cat "$out"; fail=1; }

# Race 2: the post wins
fifo=$(mktemp -u); mkfifo "$fifo"
PGAPPNAME=race_post psql -qX -v ON_ERROR_STOP=1 -d "$db" < "$fifo" >/dev/null &
b=$!
exec 3>"$fifo"
echo "BEGIN; ${post//INPUT/img2};" >&3
wait_idle_in_tx race_post
PGAPPNAME=race_delete psql -qX -v ON_ERROR_STOP=1 -d "$db" -At -c "SELECT annotations.delete_inputs('race', '{img2}')" > "$out" 2>&1 &
a=$!
if wait_blocked race_delete; then
  echo "COMMIT;" >&3
else
  echo "COMMIT;" >&3; fail=1
fi
exec 3>&-
wait "$b"; wait "$a" || { cat "$out"; fail=1; }
rm -f "$fifo"
left=$(psql -XAt -d "$db" -c "SELECT count(*) FROM annotations.annotations WHERE app_id = 'race'")
echo "delete_inputs after a concurrent post: deleted $(cat "$out") input, $left annotations left (expected 1, 0)"
[ "$(cat "$out")" = 1 ] && [ "$left" = 0 ] || fail=1
exit "$fail"
