#!/usr/bin/env bash
# Box search within one app, however many apps share the table: 300 windows
# searched in app-0 (10,000 boxes) when it is alone in its table and when it
# shares the table with 99 other apps (1,000,000 boxes), both indexed by
# (app_id, bbox) as annotations.regions is; and, for comparison, the shared
# table with 1.0's index on the box alone. Target: the index part of a
# search (time and pages of the bitmap index scan) the same shared as alone;
# the heap part depends on how the app's rows are laid out.
set -euo pipefail
cd "$(dirname "$0")"
db=annotations_bench_gist_apps
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -qX -d "$db" -c 'CREATE EXTENSION annotations;'
out=$(psql -qX -d "$db" -f 11_gist_apps.sql)
dropdb --if-exists "$db"
val() { sed -n "s/^$1: //p" <<<"$out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "app-0: 10,000 boxes; 300 && windows (side 0.01-0.1), 5 timed passes; medians per query"
printf '%-42s %9s %7s %9s %7s %11s %7s\n' "" "query ms" "/alone" "index ms" "/alone" "index pages" "/alone"
row() {
  printf '%-42s %9s %7s %9s %7s %11s %7s\n' "$1" "$(val median_ms_$2)" "$(ratio "$(val median_ms_$2)" "$(val median_ms_alone)")" \
    "$(val median_index_ms_$2)" "$(ratio "$(val median_index_ms_$2)" "$(val median_index_ms_alone)")" \
    "$(val mean_index_pages_$2)" "$(ratio "$(val mean_index_pages_$2)" "$(val mean_index_pages_alone)")"
}
row "alone in its table, (app_id, bbox) index" alone
row "with 99 other apps, (app_id, bbox) index" shared
row "with 99 other apps, 1.0's (bbox) index" v10
fail=0
if [ "$(val rows_alone)" != "$(val rows_shared)" ] || [ "$(val rows_alone)" != "$(val rows_v10)" ]; then
  echo "FAIL: the three searches found different rows"; fail=1
fi
if ! grep -q "Index Cond: ((app_id = 'app-0'::text) AND (b " <<<"$out"; then
  echo "FAIL: the shared search does not use (app_id, bbox) as index conditions"; echo "$out" | sed -n '/plan_shared/,+6p'; fail=1
fi
exit $fail
