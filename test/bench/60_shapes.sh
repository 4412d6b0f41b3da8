#!/usr/bin/env bash
# Polygon benchmark: N (default 1,000,000) pairs of random 16-point
# star-shaped polygons (simple, mostly concave), stored both as
# annotations.polygon and as PostGIS geometry (x = col, y = row).  Times
# annotations.iou against ST_Area(ST_Intersection(a,b)) / ST_Area(ST_Union(a,b))
# and annotations.area against ST_Area on the same pairs in one run, checks
# that the two iou agree, and prints the stored bytes of a 16-point polygon
# in each.  PostGIS is only needed here (Debian: postgresql-15-postgis-3);
# without it the benchmark says so and is skipped.
set -euo pipefail
cd "$(dirname "$0")"
n=${N:-1000000}
if [ "$(psql -XAtc "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")" != 1 ]; then
  echo "PostGIS is not installed: polygon benchmark skipped"
  exit 0
fi
db=annotations_bench_shapes
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -qX -d "$db" -c 'CREATE EXTENSION annotations; CREATE EXTENSION postgis;'
# 16 points around a center with no angular gap of half a turn: simple
# polygons, 6-digit coordinates (exact in float4 as decimals)
psql -qX -v ON_ERROR_STOP=1 -v n="$n" -d "$db" <<'SQL' >/dev/null
SELECT setseed(0.6);
CREATE TABLE pts AS
SELECT id, k, 2 * pi() * (k + 0.8 * random()) / 16 AS a, 0.02 + 0.2 * random() AS r
FROM generate_series(1, 2 * :n) id, generate_series(0, 15) k;
CREATE TABLE centers AS
SELECT id, 0.25 + 0.5 * random() AS cx, 0.25 + 0.5 * random() AS cy FROM generate_series(1, 2 * :n) id;
CREATE TABLE shapes AS
SELECT p.id,
       array_agg(v ORDER BY p.k, j) AS flat,
       'POLYGON((' || string_agg(CASE WHEN j = 1 THEN '' ELSE format('%s %s', col, row) END, ',' ORDER BY p.k, j)
         FILTER (WHERE j = 2) || ',' || (array_agg(format('%s %s', col, row) ORDER BY p.k))[1] || '))' AS wkt
FROM (SELECT p.id, p.k, round((c.cy + p.r * sin(p.a))::numeric, 6)::float8 AS row,
             round((c.cx + p.r * cos(p.a))::numeric, 6)::float8 AS col
      FROM pts p JOIN centers c USING (id)) p,
     LATERAL (VALUES (1, p.row), (2, p.col)) v(j, v)
GROUP BY p.id;
DROP TABLE pts, centers;
CREATE TABLE pairs AS
SELECT a.id / 2 + 1 AS pair,
       annotations.polygon(a.flat) AS pa, annotations.polygon(b.flat) AS pb,
       ST_GeomFromText(a.wkt) AS ga, ST_GeomFromText(b.wkt) AS gb
FROM shapes a JOIN shapes b ON b.id = a.id + 1 AND a.id % 2 = 1;
DROP TABLE shapes;
VACUUM ANALYZE pairs;
SQL
out=$(psql -qX -At -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
-- one process per side, so the ratio is the cost of a call, not of a plan
SET max_parallel_workers_per_gather = 0;
CREATE FUNCTION pg_temp.ms(q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; BEGIN
  t0 := clock_timestamp(); EXECUTE q; RETURN extract(epoch FROM clock_timestamp() - t0) * 1000; END $$;
SELECT 'pairs: ' || count(*) FROM pairs;
SELECT 'valid_postgis: ' || count(*) FILTER (WHERE ST_IsValid(ga) AND ST_IsValid(gb)) FROM pairs;
SELECT 'overlapping: ' || count(*) FILTER (WHERE annotations.iou(pa, pb) > 0) FROM pairs;
-- warm the cache, then time each side twice, alternating so that load from
-- other processes falls on both alike, and keep the faster of each
SELECT pg_temp.ms('SELECT count(*) FROM pairs');
CREATE TEMP TABLE t (what text, ms float8);
INSERT INTO t SELECT 'iou_ms_ours', pg_temp.ms('SELECT sum(annotations.iou(pa, pb)) FROM pairs');
INSERT INTO t SELECT 'iou_ms_postgis', pg_temp.ms('SELECT sum(ST_Area(ST_Intersection(ga, gb)) / ST_Area(ST_Union(ga, gb))) FROM pairs');
INSERT INTO t SELECT 'iou_ms_ours', pg_temp.ms('SELECT sum(annotations.iou(pa, pb)) FROM pairs');
INSERT INTO t SELECT 'iou_ms_postgis', pg_temp.ms('SELECT sum(ST_Area(ST_Intersection(ga, gb)) / ST_Area(ST_Union(ga, gb))) FROM pairs');
INSERT INTO t SELECT 'area_ms_ours', pg_temp.ms('SELECT sum(annotations.area(pa)) FROM pairs');
INSERT INTO t SELECT 'area_ms_postgis', pg_temp.ms('SELECT sum(ST_Area(ga)) FROM pairs');
INSERT INTO t SELECT 'area_ms_ours', pg_temp.ms('SELECT sum(annotations.area(pa)) FROM pairs');
INSERT INTO t SELECT 'area_ms_postgis', pg_temp.ms('SELECT sum(ST_Area(ga)) FROM pairs');
SELECT what || ': ' || min(ms) FROM t GROUP BY what;
SELECT 'max_iou_diff: ' || max(abs(annotations.iou(pa, pb) - ST_Area(ST_Intersection(ga, gb)) / ST_Area(ST_Union(ga, gb))))
FROM pairs;
SELECT 'max_area_diff: ' || max(abs(annotations.area(pa) - ST_Area(ga))) FROM pairs;
SELECT 'bytes_ours: ' || round(avg(pg_column_size(pa)), 1) FROM pairs;
SELECT 'bytes_postgis: ' || round(avg(pg_column_size(ga)), 1) FROM pairs;
SQL
)
dropdb --if-exists "$db"
val() { sed -n "s/^$1: //p" <<<"$out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "$(val pairs) pairs of 16-point polygons ($(val overlapping) overlapping; $(val valid_postgis) valid in PostGIS)"
printf '%-34s %12s %12s %8s\n' "" "annotations" "PostGIS" "ratio"
a=$(val iou_ms_ours); b=$(val iou_ms_postgis)
printf '%-34s %12.0f %12.0f %8s\n' "iou, ms for all pairs" "$a" "$b" "$(ratio "$a" "$b")"
a=$(val area_ms_ours); b=$(val area_ms_postgis)
printf '%-34s %12.0f %12.0f %8s\n' "area, ms for all pairs" "$a" "$b" "$(ratio "$a" "$b")"
a=$(val bytes_ours); b=$(val bytes_postgis)
printf '%-34s %12s %12s %8s\n' "stored bytes per polygon" "$a" "$b" "$(ratio "$a" "$b")"
echo "largest |iou difference|: $(val max_iou_diff); largest |area difference|: $(val max_area_diff)"
