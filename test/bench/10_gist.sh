#!/usr/bin/env bash
# GiST benchmark: 1,000,000 random boxes as annotations.bbox and as core box
# (the same geometry), a GiST index on each, 400 random && windows (200 medium,
# 200 small) timed over 5 passes.  Prints median query time, index size and build time of each and
# the ratios bbox/box; fails when the two give different row counts or the
# indexes are not used.  Runs in its own database on the PG* cluster.
set -euo pipefail
cd "$(dirname "$0")"
db=annotations_bench_gist
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -qX -d "$db" -c 'CREATE EXTENSION annotations;'
out=$(psql -qX -d "$db" -f 10_gist.sql)
dropdb --if-exists "$db"

val() { sed -n "s/^$1: //p" <<<"$out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
bbox_sz=$(val index_bytes_bbox); box_sz=$(val index_bytes_box)
bbox_build=$(val build_ms_bbox); box_build=$(val build_ms_box)

echo "1,000,000 boxes; 200 medium (side 0.01-0.05) and 200 small (0.001-0.005) && windows, 5 timed passes"
printf '%-26s %10s %10s %8s\n' "" "bbox" "box" "ratio"
for size in medium small; do
  a=$(val median_ms_${size}_bbox); b=$(val median_ms_${size}_box)
  printf '%-26s %10s %10s %8s\n' "median query ms, $size" "$a" "$b" "$(ratio "$a" "$b")"
  a=$(val pass_ms_${size}_bbox); b=$(val pass_ms_${size}_box)
  printf '%-26s %10s %10s %8s\n' "ms per 200 queries, $size" "$a" "$b" "$(ratio "$a" "$b")"
done
printf '%-26s %10s %10s %8s\n' "index MB" "$(ratio "$bbox_sz" 1048576)" "$(ratio "$box_sz" 1048576)" \
  "$(ratio "$bbox_sz" "$box_sz")"
printf '%-26s %10s %10s %8s\n' "index build ms" "$bbox_build" "$box_build" "$(ratio "$bbox_build" "$box_build")"
printf '%-26s %10s %10s\n' "rows found (pass 1)" "$(val rows_bbox)" "$(val rows_box)"

fail=0
if [ "$(val rows_bbox)" != "$(val rows_box)" ] || [ "$(val windows_differing)" != 0 ]; then
  echo "FAIL: bbox and box found different rows ($(val windows_differing) windows differ)"; fail=1
fi
for k in bbox box; do
  if ! sed -n "/^plan_$k:/,/^plan_\|^median/p" <<<"$out" | grep -q "Index Scan on boxes_${k}_gist\|Index Scan using boxes_${k}_gist\|Index Only Scan using boxes_${k}_gist"; then
    echo "FAIL: the $k query does not use its GiST index"; sed -n "/^plan_$k:/,+6p" <<<"$out"; fail=1
  fi
done
exit $fail
