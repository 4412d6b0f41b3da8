-- annotations 1.0 -> 1.1, run by ALTER EXTENSION annotations UPDATE.
-- Every change made to the install script in 1.1 is made here too, so an
-- updated database ends up with exactly the catalog of a fresh 1.1 install
-- (the upgrade test compares the two).

\echo Use "ALTER EXTENSION annotations UPDATE" to load this file. \quit

-- Dropping the extension drops its tables and every label in them. An event
-- trigger refuses DROP EXTENSION annotations (and DROP SCHEMA annotations)
-- while the store holds data, unless the session has SET
-- annotations.confirm_drop = on.
CREATE FUNCTION annotations._guard_drop() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'annotations_guard_drop'
    LANGUAGE C;
COMMENT ON FUNCTION annotations._guard_drop() IS
  'Internal: refuses to drop the extension while it holds data, unless annotations.confirm_drop is on';
REVOKE EXECUTE ON FUNCTION annotations._guard_drop() FROM PUBLIC;

CREATE EVENT TRIGGER annotations_guard_drop ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
    EXECUTE FUNCTION annotations._guard_drop();
COMMENT ON EVENT TRIGGER annotations_guard_drop IS
  'Refuses DROP EXTENSION annotations while apps, inputs or annotations remain (SET annotations.confirm_drop = on to allow)';

-- A GiST operator class for text equality (src/app_gist.c), so the regions'
-- geometry index can lead with app_id: a box search within one app then
-- descends only into that app's part of the tree, however many other apps
-- share the table.
CREATE FUNCTION annotations.app_gist_compress(pg_catalog.internal) RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_compress' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_consistent(pg_catalog.internal, pg_catalog.text, pg_catalog.int2,
                                                pg_catalog.oid, pg_catalog.internal) RETURNS boolean
AS 'MODULE_PATHNAME', 'app_gist_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_union(pg_catalog.internal, pg_catalog.internal) RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'app_gist_union' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal)
    RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_penalty' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_picksplit(pg_catalog.internal, pg_catalog.internal) RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_picksplit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_same(pg_catalog.int8, pg_catalog.int8, pg_catalog.internal)
    RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_same' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.app_gist_compress(pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: a text becomes the range [h, h] of its hash';
COMMENT ON FUNCTION annotations.app_gist_consistent(pg_catalog.internal, pg_catalog.text, pg_catalog.int2, pg_catalog.oid, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: could a text equal to the query lie below this key';
COMMENT ON FUNCTION annotations.app_gist_union(pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: the hash range covering all keys';
COMMENT ON FUNCTION annotations.app_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: how much a hash range must widen';
COMMENT ON FUNCTION annotations.app_gist_picksplit(pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: splits a page into two narrow hash ranges';
COMMENT ON FUNCTION annotations.app_gist_same(pg_catalog.int8, pg_catalog.int8, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: are two keys equal';

CREATE OPERATOR CLASS annotations.app_id_gist_ops
FOR TYPE pg_catalog.text USING gist AS
    OPERATOR 3 pg_catalog.= (pg_catalog.text, pg_catalog.text),
    FUNCTION 1 annotations.app_gist_consistent(pg_catalog.internal, pg_catalog.text, pg_catalog.int2, pg_catalog.oid, pg_catalog.internal),
    FUNCTION 2 annotations.app_gist_union(pg_catalog.internal, pg_catalog.internal),
    FUNCTION 3 annotations.app_gist_compress(pg_catalog.internal),
    FUNCTION 5 annotations.app_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal),
    FUNCTION 6 annotations.app_gist_picksplit(pg_catalog.internal, pg_catalog.internal),
    FUNCTION 7 annotations.app_gist_same(pg_catalog.int8, pg_catalog.int8, pg_catalog.internal),
    STORAGE pg_catalog.int8;
COMMENT ON OPERATOR CLASS annotations.app_id_gist_ops USING gist IS
  'Text equality in GiST (hashed keys, rechecked), to lead a multicolumn GiST index with app_id';
COMMENT ON OPERATOR FAMILY annotations.app_id_gist_ops USING gist IS
  'Text equality in GiST (hashed keys, rechecked)';

DROP INDEX annotations.regions_bbox_idx;
-- geometry search within one app: the tree is split by app first, so a
-- search costs the same however many other apps share the table
CREATE INDEX regions_bbox_idx ON annotations.regions
    USING gist (app_id annotations.app_id_gist_ops, bbox);

-- The API in C. Each function captures the acting user, then does its table
-- work with the store owner's rights, deciding what the caller may see and
-- change by one rule (src/acting.c).

-- == reading annotations ==
CREATE OR REPLACE FUNCTION annotations.get_annotation(app_id text, input_id text, annotation_id text)
    RETURNS annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_get_annotation'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
-- == end of reading annotations ==

-- == shapes ==
-- bbox becomes the preferred type of its category, as a fresh install
-- declares it: iou('…', '…') with untyped literals keeps meaning two boxes
-- now that iou also takes polygons and masks.  CREATE TYPE is the only
-- statement that sets this, hence the catalog update.
UPDATE pg_catalog.pg_type SET typispreferred = true
 WHERE oid = 'annotations.bbox'::pg_catalog.regtype;

-- ---------------------------------------------------------------------------
-- Region shapes beyond boxes (src/polygon.c, src/keypoint.c, src/mask.c,
-- src/geom.c, src/rle.c, src/shape_ops.c): annotations.polygon,
-- annotations.keypoint (Clarifai's region "point"; core has a type named
-- point) and annotations.mask, with area, enclosing box, iou, overlap and
-- containment between them and bbox.
-- ---------------------------------------------------------------------------

-- Polygon -------------------------------------------------------------------
-- Points as float4 pairs (row, col), 8 bytes each after the varlena header;
-- ALIGNMENT int4 since every field is a float4.  STORAGE extended: a polygon
-- of 10,000 points (80 kB) does not fit a page.

CREATE TYPE annotations.polygon;

CREATE FUNCTION annotations.polygon_in(pg_catalog.cstring)
RETURNS annotations.polygon
AS 'MODULE_PATHNAME', 'polygon_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.polygon_out(annotations.polygon)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'polygon_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.polygon_recv(pg_catalog.internal)
RETURNS annotations.polygon
AS 'MODULE_PATHNAME', 'polygon_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.polygon_send(annotations.polygon)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'polygon_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE annotations.polygon (
    INPUT = annotations.polygon_in,
    OUTPUT = annotations.polygon_out,
    RECEIVE = annotations.polygon_recv,
    SEND = annotations.polygon_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);

COMMENT ON TYPE annotations.polygon IS
  'normalized polygon ((row,col),…): 3 to 10000 float4 points in [0,1], at least 3 distinct, area > 0';
COMMENT ON FUNCTION annotations.polygon_in(pg_catalog.cstring) IS
  'text input of polygon: ((row,col),(row,col),…)';
COMMENT ON FUNCTION annotations.polygon_out(annotations.polygon) IS
  'text output of polygon, shortest spelling that reads back to the same value';
COMMENT ON FUNCTION annotations.polygon_recv(pg_catalog.internal) IS
  'binary input of polygon (int4 count, then float4 row, col per point), validated';
COMMENT ON FUNCTION annotations.polygon_send(annotations.polygon) IS
  'binary output of polygon (int4 count, then float4 row, col per point)';

CREATE FUNCTION annotations.polygon(pg_catalog.float8[])
RETURNS annotations.polygon
AS 'MODULE_PATHNAME', 'polygon_construct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.polygon(pg_catalog.float8[]) IS
  'builds a polygon from a flat array [row1, col1, row2, col2, …] (rounded to float4, then validated)';

CREATE FUNCTION annotations.polygon(pg_catalog.jsonb)
RETURNS annotations.polygon
AS 'MODULE_PATHNAME', 'polygon_from_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.polygon_to_jsonb(annotations.polygon)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'polygon_to_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.polygon_to_json(annotations.polygon)
RETURNS pg_catalog.json
AS 'MODULE_PATHNAME', 'polygon_to_json_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (pg_catalog.jsonb AS annotations.polygon)
  WITH FUNCTION annotations.polygon(pg_catalog.jsonb);
CREATE CAST (annotations.polygon AS pg_catalog.jsonb)
  WITH FUNCTION annotations.polygon_to_jsonb(annotations.polygon);
CREATE CAST (annotations.polygon AS pg_catalog.json)
  WITH FUNCTION annotations.polygon_to_json(annotations.polygon);

COMMENT ON FUNCTION annotations.polygon(pg_catalog.jsonb) IS
  'polygon from the Clarifai object {"points": [{"row": …, "col": …}, …]} (those keys only, numbers only)';
COMMENT ON FUNCTION annotations.polygon_to_jsonb(annotations.polygon) IS
  'the Clarifai polygon object of a polygon, as jsonb';
COMMENT ON FUNCTION annotations.polygon_to_json(annotations.polygon) IS
  'the Clarifai polygon object of a polygon, as json with row before col';
COMMENT ON CAST (pg_catalog.jsonb AS annotations.polygon) IS 'Clarifai polygon object to polygon';
COMMENT ON CAST (annotations.polygon AS pg_catalog.jsonb) IS 'polygon to the Clarifai polygon object';
COMMENT ON CAST (annotations.polygon AS pg_catalog.json) IS 'polygon to the Clarifai polygon object';

CREATE FUNCTION annotations.polygon_eq(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_ne(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_lt(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_le(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_gt(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_ge(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_cmp(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'polygon_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_hash(annotations.polygon)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'polygon_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.polygon_hash_extended(annotations.polygon, pg_catalog.int8)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'polygon_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION annotations.polygon_eq(annotations.polygon, annotations.polygon) IS 'implementation of = for polygon';
COMMENT ON FUNCTION annotations.polygon_ne(annotations.polygon, annotations.polygon) IS 'implementation of <> for polygon';
COMMENT ON FUNCTION annotations.polygon_lt(annotations.polygon, annotations.polygon) IS 'implementation of < for polygon';
COMMENT ON FUNCTION annotations.polygon_le(annotations.polygon, annotations.polygon) IS 'implementation of <= for polygon';
COMMENT ON FUNCTION annotations.polygon_gt(annotations.polygon, annotations.polygon) IS 'implementation of > for polygon';
COMMENT ON FUNCTION annotations.polygon_ge(annotations.polygon, annotations.polygon) IS 'implementation of >= for polygon';
COMMENT ON FUNCTION annotations.polygon_cmp(annotations.polygon, annotations.polygon) IS
  'B-tree comparison of polygon: point by point (row, then col), a shorter prefix first';
COMMENT ON FUNCTION annotations.polygon_hash(annotations.polygon) IS 'hash of a polygon, consistent with =';
COMMENT ON FUNCTION annotations.polygon_hash_extended(annotations.polygon, pg_catalog.int8) IS
  'seeded 64-bit hash of a polygon, consistent with =';

CREATE OPERATOR annotations.= (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_eq,
    COMMUTATOR = OPERATOR(annotations.=), NEGATOR = OPERATOR(annotations.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR annotations.<> (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_ne,
    COMMUTATOR = OPERATOR(annotations.<>), NEGATOR = OPERATOR(annotations.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR annotations.< (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_lt,
    COMMUTATOR = OPERATOR(annotations.>), NEGATOR = OPERATOR(annotations.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR annotations.<= (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_le,
    COMMUTATOR = OPERATOR(annotations.>=), NEGATOR = OPERATOR(annotations.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR annotations.> (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_gt,
    COMMUTATOR = OPERATOR(annotations.<), NEGATOR = OPERATOR(annotations.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR annotations.>= (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_ge,
    COMMUTATOR = OPERATOR(annotations.<=), NEGATOR = OPERATOR(annotations.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

COMMENT ON OPERATOR annotations.= (annotations.polygon, annotations.polygon) IS 'same points in the same order';
COMMENT ON OPERATOR annotations.<> (annotations.polygon, annotations.polygon) IS 'not the same points in the same order';
COMMENT ON OPERATOR annotations.< (annotations.polygon, annotations.polygon) IS 'less than (point by point)';
COMMENT ON OPERATOR annotations.<= (annotations.polygon, annotations.polygon) IS 'less than or equal (point by point)';
COMMENT ON OPERATOR annotations.> (annotations.polygon, annotations.polygon) IS 'greater than (point by point)';
COMMENT ON OPERATOR annotations.>= (annotations.polygon, annotations.polygon) IS 'greater than or equal (point by point)';

CREATE OPERATOR CLASS annotations.polygon_btree_ops
DEFAULT FOR TYPE annotations.polygon USING btree AS
    OPERATOR 1 annotations.<,
    OPERATOR 2 annotations.<=,
    OPERATOR 3 annotations.=,
    OPERATOR 4 annotations.>=,
    OPERATOR 5 annotations.>,
    FUNCTION 1 annotations.polygon_cmp(annotations.polygon, annotations.polygon);
CREATE OPERATOR CLASS annotations.polygon_hash_ops
DEFAULT FOR TYPE annotations.polygon USING hash AS
    OPERATOR 1 annotations.=,
    FUNCTION 1 annotations.polygon_hash(annotations.polygon),
    FUNCTION 2 annotations.polygon_hash_extended(annotations.polygon, pg_catalog.int8);

COMMENT ON OPERATOR CLASS annotations.polygon_btree_ops USING btree IS
  'default B-tree ordering of polygon: point by point';
COMMENT ON OPERATOR CLASS annotations.polygon_hash_ops USING hash IS
  'default hash operator class of polygon';
COMMENT ON OPERATOR FAMILY annotations.polygon_btree_ops USING btree IS 'B-tree operators of polygon';
COMMENT ON OPERATOR FAMILY annotations.polygon_hash_ops USING hash IS 'hash operators of polygon';

CREATE FUNCTION annotations.npoints(annotations.polygon)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'polygon_npoints' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.npoints(annotations.polygon) IS 'number of points of a polygon';

-- Keypoint ------------------------------------------------------------------
-- Two float4 (row, col), 8 bytes, passed by reference like bbox.

CREATE TYPE annotations.keypoint;

CREATE FUNCTION annotations.keypoint_in(pg_catalog.cstring)
RETURNS annotations.keypoint
AS 'MODULE_PATHNAME', 'keypoint_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.keypoint_out(annotations.keypoint)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'keypoint_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.keypoint_recv(pg_catalog.internal)
RETURNS annotations.keypoint
AS 'MODULE_PATHNAME', 'keypoint_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.keypoint_send(annotations.keypoint)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'keypoint_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE annotations.keypoint (
    INPUT = annotations.keypoint_in,
    OUTPUT = annotations.keypoint_out,
    RECEIVE = annotations.keypoint_recv,
    SEND = annotations.keypoint_send,
    INTERNALLENGTH = 8,
    ALIGNMENT = int4,
    STORAGE = plain
);

COMMENT ON TYPE annotations.keypoint IS
  'normalized point (row,col) of an image (Clarifai''s region point), two float4 in [0,1]';
COMMENT ON FUNCTION annotations.keypoint_in(pg_catalog.cstring) IS 'text input of keypoint: (row,col)';
COMMENT ON FUNCTION annotations.keypoint_out(annotations.keypoint) IS
  'text output of keypoint, shortest spelling that reads back to the same value';
COMMENT ON FUNCTION annotations.keypoint_recv(pg_catalog.internal) IS 'binary input of keypoint (two float4), validated';
COMMENT ON FUNCTION annotations.keypoint_send(annotations.keypoint) IS 'binary output of keypoint (two float4)';

CREATE FUNCTION annotations.keypoint("row" pg_catalog.float8, col pg_catalog.float8)
RETURNS annotations.keypoint
AS 'MODULE_PATHNAME', 'keypoint_construct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.keypoint(pg_catalog.float8, pg_catalog.float8) IS
  'builds a keypoint from row and col (rounded to float4, then validated)';

CREATE FUNCTION annotations.keypoint(pg_catalog.jsonb)
RETURNS annotations.keypoint
AS 'MODULE_PATHNAME', 'keypoint_from_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.keypoint_to_jsonb(annotations.keypoint)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'keypoint_to_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.keypoint_to_json(annotations.keypoint)
RETURNS pg_catalog.json
AS 'MODULE_PATHNAME', 'keypoint_to_json_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (pg_catalog.jsonb AS annotations.keypoint)
  WITH FUNCTION annotations.keypoint(pg_catalog.jsonb);
CREATE CAST (annotations.keypoint AS pg_catalog.jsonb)
  WITH FUNCTION annotations.keypoint_to_jsonb(annotations.keypoint);
CREATE CAST (annotations.keypoint AS pg_catalog.json)
  WITH FUNCTION annotations.keypoint_to_json(annotations.keypoint);

COMMENT ON FUNCTION annotations.keypoint(pg_catalog.jsonb) IS
  'keypoint from the Clarifai point object {"row": …, "col": …} (both keys, numbers only)';
COMMENT ON FUNCTION annotations.keypoint_to_jsonb(annotations.keypoint) IS
  'the Clarifai point object of a keypoint, as jsonb';
COMMENT ON FUNCTION annotations.keypoint_to_json(annotations.keypoint) IS
  'the Clarifai point object of a keypoint, as json with row before col';
COMMENT ON CAST (pg_catalog.jsonb AS annotations.keypoint) IS 'Clarifai point object to keypoint';
COMMENT ON CAST (annotations.keypoint AS pg_catalog.jsonb) IS 'keypoint to the Clarifai point object';
COMMENT ON CAST (annotations.keypoint AS pg_catalog.json) IS 'keypoint to the Clarifai point object';

CREATE FUNCTION annotations.keypoint_eq(annotations.keypoint, annotations.keypoint)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'keypoint_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.keypoint_ne(annotations.keypoint, annotations.keypoint)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'keypoint_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.keypoint_hash(annotations.keypoint)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'keypoint_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION annotations.keypoint_eq(annotations.keypoint, annotations.keypoint) IS 'implementation of = for keypoint';
COMMENT ON FUNCTION annotations.keypoint_ne(annotations.keypoint, annotations.keypoint) IS 'implementation of <> for keypoint';
COMMENT ON FUNCTION annotations.keypoint_hash(annotations.keypoint) IS 'hash of a keypoint, consistent with =';

CREATE OPERATOR annotations.= (
    LEFTARG = annotations.keypoint, RIGHTARG = annotations.keypoint,
    FUNCTION = annotations.keypoint_eq,
    COMMUTATOR = OPERATOR(annotations.=), NEGATOR = OPERATOR(annotations.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
    HASHES
);
CREATE OPERATOR annotations.<> (
    LEFTARG = annotations.keypoint, RIGHTARG = annotations.keypoint,
    FUNCTION = annotations.keypoint_ne,
    COMMUTATOR = OPERATOR(annotations.<>), NEGATOR = OPERATOR(annotations.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR annotations.= (annotations.keypoint, annotations.keypoint) IS 'same keypoint';
COMMENT ON OPERATOR annotations.<> (annotations.keypoint, annotations.keypoint) IS 'different keypoints';

CREATE OPERATOR CLASS annotations.keypoint_hash_ops
DEFAULT FOR TYPE annotations.keypoint USING hash AS
    OPERATOR 1 annotations.=,
    FUNCTION 1 annotations.keypoint_hash(annotations.keypoint);
COMMENT ON OPERATOR CLASS annotations.keypoint_hash_ops USING hash IS 'default hash operator class of keypoint';
COMMENT ON OPERATOR FAMILY annotations.keypoint_hash_ops USING hash IS 'hash operators of keypoint';

-- Mask ----------------------------------------------------------------------
-- Height, width, the number of runs and COCO's compressed run-length string
-- of the canonical runs.  Text form is the JSON object.

CREATE TYPE annotations.mask;

CREATE FUNCTION annotations.mask_in(pg_catalog.cstring)
RETURNS annotations.mask
AS 'MODULE_PATHNAME', 'mask_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.mask_out(annotations.mask)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'mask_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.mask_recv(pg_catalog.internal)
RETURNS annotations.mask
AS 'MODULE_PATHNAME', 'mask_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.mask_send(annotations.mask)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'mask_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE annotations.mask (
    INPUT = annotations.mask_in,
    OUTPUT = annotations.mask_out,
    RECEIVE = annotations.mask_recv,
    SEND = annotations.mask_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);

COMMENT ON TYPE annotations.mask IS
  'pixel mask: height and width (1 to 32768) and COCO run-length encoding, column-major, stored compressed';
COMMENT ON FUNCTION annotations.mask_in(pg_catalog.cstring) IS
  'text input of mask: the JSON object {"rle": {"size": [h, w], "counts": …}}';
COMMENT ON FUNCTION annotations.mask_out(annotations.mask) IS
  'text output of mask: {"rle": {"size": [h, w], "counts": "<COCO compressed RLE>"}}';
COMMENT ON FUNCTION annotations.mask_recv(pg_catalog.internal) IS
  'binary input of mask (int4 height, width, number of runs, then int4 runs), validated';
COMMENT ON FUNCTION annotations.mask_send(annotations.mask) IS
  'binary output of mask (int4 height, width, number of runs, then int4 runs)';

CREATE FUNCTION annotations.mask(height pg_catalog.int4, width pg_catalog.int4, counts pg_catalog.int4[])
RETURNS annotations.mask
AS 'MODULE_PATHNAME', 'mask_construct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.mask(pg_catalog.int4, pg_catalog.int4, pg_catalog.int4[]) IS
  'builds a mask from its size and COCO runs (alternating 0 and 1 pixels, column-major, starting with 0)';
CREATE FUNCTION annotations.mask_counts(annotations.mask)
RETURNS pg_catalog.int4[]
AS 'MODULE_PATHNAME', 'mask_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.mask_counts(annotations.mask) IS
  'the runs of a mask, uncompressed (alternating 0 and 1 pixels, column-major, starting with 0)';

CREATE FUNCTION annotations.mask(pg_catalog.jsonb)
RETURNS annotations.mask
AS 'MODULE_PATHNAME', 'mask_from_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.mask_to_jsonb(annotations.mask)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'mask_to_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.mask_to_json(annotations.mask)
RETURNS pg_catalog.json
AS 'MODULE_PATHNAME', 'mask_to_json_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (pg_catalog.jsonb AS annotations.mask)
  WITH FUNCTION annotations.mask(pg_catalog.jsonb);
CREATE CAST (annotations.mask AS pg_catalog.jsonb)
  WITH FUNCTION annotations.mask_to_jsonb(annotations.mask);
CREATE CAST (annotations.mask AS pg_catalog.json)
  WITH FUNCTION annotations.mask_to_json(annotations.mask);

COMMENT ON FUNCTION annotations.mask(pg_catalog.jsonb) IS
  'mask from {"rle": {"size": [h, w], "counts": "<COCO compressed RLE>" or [n0, n1, …]}}';
COMMENT ON FUNCTION annotations.mask_to_jsonb(annotations.mask) IS
  'the mask object {"rle": {"size": [h, w], "counts": "<COCO compressed RLE>"}}, as jsonb';
COMMENT ON FUNCTION annotations.mask_to_json(annotations.mask) IS
  'the mask object {"rle": {"size": [h, w], "counts": "<COCO compressed RLE>"}}, as json';
COMMENT ON CAST (pg_catalog.jsonb AS annotations.mask) IS 'mask object to mask';
COMMENT ON CAST (annotations.mask AS pg_catalog.jsonb) IS 'mask to its object with the compressed RLE';
COMMENT ON CAST (annotations.mask AS pg_catalog.json) IS 'mask to its object with the compressed RLE';

CREATE FUNCTION annotations.mask_eq(annotations.mask, annotations.mask)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'mask_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.mask_ne(annotations.mask, annotations.mask)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'mask_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.mask_hash(annotations.mask)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'mask_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION annotations.mask_eq(annotations.mask, annotations.mask) IS 'implementation of = for mask';
COMMENT ON FUNCTION annotations.mask_ne(annotations.mask, annotations.mask) IS 'implementation of <> for mask';
COMMENT ON FUNCTION annotations.mask_hash(annotations.mask) IS 'hash of a mask, consistent with =';

CREATE OPERATOR annotations.= (
    LEFTARG = annotations.mask, RIGHTARG = annotations.mask,
    FUNCTION = annotations.mask_eq,
    COMMUTATOR = OPERATOR(annotations.=), NEGATOR = OPERATOR(annotations.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
    HASHES
);
CREATE OPERATOR annotations.<> (
    LEFTARG = annotations.mask, RIGHTARG = annotations.mask,
    FUNCTION = annotations.mask_ne,
    COMMUTATOR = OPERATOR(annotations.<>), NEGATOR = OPERATOR(annotations.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR annotations.= (annotations.mask, annotations.mask) IS 'same size and same pixels';
COMMENT ON OPERATOR annotations.<> (annotations.mask, annotations.mask) IS 'different size or pixels';

CREATE OPERATOR CLASS annotations.mask_hash_ops
DEFAULT FOR TYPE annotations.mask USING hash AS
    OPERATOR 1 annotations.=,
    FUNCTION 1 annotations.mask_hash(annotations.mask);
COMMENT ON OPERATOR CLASS annotations.mask_hash_ops USING hash IS 'default hash operator class of mask';
COMMENT ON OPERATOR FAMILY annotations.mask_hash_ops USING hash IS 'hash operators of mask';

-- Area and enclosing box ----------------------------------------------------

CREATE FUNCTION annotations.area(annotations.polygon)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'polygon_area' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.area(annotations.mask)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'mask_area' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.bbox(annotations.polygon)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'polygon_bbox' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.bbox(annotations.mask)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'mask_bbox' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.bbox(annotations.keypoint)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'keypoint_bbox' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.area(annotations.polygon) IS
  'area of a polygon as a fraction of the image (shoelace formula)';
COMMENT ON FUNCTION annotations.area(annotations.mask) IS
  'area of a mask as a fraction of the image: 1 pixels / (height x width)';
COMMENT ON FUNCTION annotations.bbox(annotations.polygon) IS
  'the smallest bbox enclosing a polygon';
COMMENT ON FUNCTION annotations.bbox(annotations.mask) IS
  'the smallest bbox enclosing the 1 pixels of a mask (whole pixels); NULL for an empty mask';
COMMENT ON FUNCTION annotations.bbox(annotations.keypoint) IS
  'the smallest bbox there is around a keypoint: one float4 step tall and wide, starting at the point';

-- Intersection over union ---------------------------------------------------

CREATE FUNCTION annotations.iou(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'polygon_polygon_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.polygon, annotations.bbox)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'polygon_bbox_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.bbox, annotations.polygon)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'bbox_polygon_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.mask, annotations.mask)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'mask_mask_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.mask, annotations.polygon)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'mask_polygon_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.polygon, annotations.mask)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'polygon_mask_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.mask, annotations.bbox)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'mask_bbox_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.bbox, annotations.mask)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'bbox_mask_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.iou(annotations.polygon, annotations.polygon) IS
  'intersection over union of two polygons, exact (0 when the shared part has no area)';
COMMENT ON FUNCTION annotations.iou(annotations.polygon, annotations.bbox) IS
  'intersection over union of a polygon and a bbox, exact';
COMMENT ON FUNCTION annotations.iou(annotations.bbox, annotations.polygon) IS
  'intersection over union of a bbox and a polygon, exact';
COMMENT ON FUNCTION annotations.iou(annotations.mask, annotations.mask) IS
  'intersection over union of two masks of the same size, in pixels';
COMMENT ON FUNCTION annotations.iou(annotations.mask, annotations.polygon) IS
  'intersection over union of a mask and a polygon rasterized at the mask''s size as pycocotools does';
COMMENT ON FUNCTION annotations.iou(annotations.polygon, annotations.mask) IS
  'intersection over union of a polygon rasterized at the mask''s size as pycocotools does and a mask';
COMMENT ON FUNCTION annotations.iou(annotations.mask, annotations.bbox) IS
  'intersection over union of a mask and a bbox rasterized at the mask''s size as pycocotools does';
COMMENT ON FUNCTION annotations.iou(annotations.bbox, annotations.mask) IS
  'intersection over union of a bbox rasterized at the mask''s size as pycocotools does and a mask';

-- Overlap -------------------------------------------------------------------

CREATE FUNCTION annotations.polygon_overlaps(annotations.polygon, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_polygon_overlaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.polygon_overlaps(annotations.polygon, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_bbox_overlaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.polygon_overlaps(annotations.bbox, annotations.polygon)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_polygon_overlaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.polygon_overlaps(annotations.polygon, annotations.polygon) IS
  'implementation of && for two polygons';
COMMENT ON FUNCTION annotations.polygon_overlaps(annotations.polygon, annotations.bbox) IS
  'implementation of && for a polygon and a bbox';
COMMENT ON FUNCTION annotations.polygon_overlaps(annotations.bbox, annotations.polygon) IS
  'implementation of && for a bbox and a polygon';

CREATE OPERATOR annotations.&& (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_overlaps,
    COMMUTATOR = OPERATOR(annotations.&&),
    RESTRICT = pg_catalog.areasel, JOIN = pg_catalog.areajoinsel
);
CREATE OPERATOR annotations.&& (
    LEFTARG = annotations.polygon, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.polygon_overlaps,
    COMMUTATOR = OPERATOR(annotations.&&),
    RESTRICT = pg_catalog.areasel, JOIN = pg_catalog.areajoinsel
);
CREATE OPERATOR annotations.&& (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.polygon,
    FUNCTION = annotations.polygon_overlaps,
    COMMUTATOR = OPERATOR(annotations.&&),
    RESTRICT = pg_catalog.areasel, JOIN = pg_catalog.areajoinsel
);

COMMENT ON OPERATOR annotations.&& (annotations.polygon, annotations.polygon) IS
  'the polygons share at least a point (touching counts), tested exactly after their boxes';
COMMENT ON OPERATOR annotations.&& (annotations.polygon, annotations.bbox) IS
  'the polygon and the box share at least a point (touching counts), tested exactly after the boxes';
COMMENT ON OPERATOR annotations.&& (annotations.bbox, annotations.polygon) IS
  'the box and the polygon share at least a point (touching counts), tested exactly after the boxes';

-- Containment of a keypoint -------------------------------------------------

CREATE FUNCTION annotations.contains(annotations.bbox, annotations.keypoint)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_contains_keypoint' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.contains(annotations.polygon, annotations.keypoint)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'polygon_contains_keypoint' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.contains(annotations.mask, annotations.keypoint)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'mask_contains_keypoint' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.contains(annotations.bbox, annotations.keypoint) IS
  'the keypoint is in the box, edges included';
COMMENT ON FUNCTION annotations.contains(annotations.polygon, annotations.keypoint) IS
  'the keypoint is in the polygon by the even-odd rule, or on its outline';
COMMENT ON FUNCTION annotations.contains(annotations.mask, annotations.keypoint) IS
  'the pixel the keypoint falls in is 1';
-- == end of shapes ==

-- == apps and inputs ==
CREATE OR REPLACE FUNCTION annotations.create_app(id text, owner_id text DEFAULT current_user)
    RETURNS annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_create_app'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.add_collaborator(app_id text, user_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_add_collaborator'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.remove_collaborator(app_id text, user_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_remove_collaborator'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.post_inputs(app_id text, inputs jsonb)
    RETURNS SETOF annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_post_inputs'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.delete_inputs(app_id text, ids text[])
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_delete_inputs'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
-- used only by the functions above, now in C
DROP FUNCTION annotations._require_owner(text, text, text);
DROP FUNCTION annotations._new_id();
-- == end of apps and inputs ==

-- == who is who ==
-- Owners and collaborators are bound to the role itself, not only its name.
ALTER TABLE annotations.apps ADD COLUMN owner_oid oid;
COMMENT ON COLUMN annotations.apps.owner_oid IS
  'The owning role itself: ownership holds while both its name and its oid match, so a role dropped and created again under the same name does not inherit the app';
UPDATE annotations.apps a SET owner_oid = r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = a.owner_id;
ALTER TABLE annotations.collaborators ADD COLUMN user_oid oid;
COMMENT ON COLUMN annotations.collaborators.user_oid IS
  'The collaborating role itself: membership holds while both its name and its oid match';
UPDATE annotations.collaborators c SET user_oid = r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = c.user_id;
CREATE FUNCTION annotations.transfer_app(app_id text, owner_id text)
    RETURNS annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_transfer_app'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.transfer_app(text, text) IS
  'Gives an app to another role (owner or superuser); also hands an app whose owning role is gone to its role';
-- == end of who is who ==

-- == deleting apps ==
CREATE FUNCTION annotations.delete_app(app_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_delete_app'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.delete_app(text) IS
  'Deletes an app with its collaborators, inputs and annotations (owner only)';

-- == end of deleting apps ==

-- == posting and deleting annotations ==
CREATE OR REPLACE FUNCTION annotations.post_annotations(app_id text, annotations jsonb)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_post_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.delete_annotation(app_id text, input_id text, annotation_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_delete_annotation'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.delete_annotations(app_id text, input_ids text[], ids text[] DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_delete_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
-- now done in C (src/annotations_write.c, src/rows.c)
DROP FUNCTION annotations._check_may_delete(text, text, text, text, text);
DROP FUNCTION annotations._rows(text, text[]);
-- == end of posting and deleting annotations ==

-- == listing and counting ==
DROP FUNCTION annotations._list_plan(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, bigint, boolean);
DROP FUNCTION annotations._list_sql(integer, integer, integer, integer, integer,
    boolean, boolean, boolean, boolean);
DROP FUNCTION annotations._distinct_ids(text[], text);

-- Listing and counting (src/list.c): one planner turns the filters into
-- ordered index scans merged on seq, and keeps one plan per shape of filters.
CREATE OR REPLACE FUNCTION annotations.list_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false,
        per_page integer DEFAULT 20,
        page integer DEFAULT NULL,
        after bigint DEFAULT NULL)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_list_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.list_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, integer, integer, bigint) IS
  'Lists annotations oldest first, one page at a time (keyset paging with after => last seq seen)';

CREATE OR REPLACE FUNCTION annotations.count_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_count_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean) IS
  'How many annotations list_annotations would return over all pages with the same filters';

-- The query the list planner keeps for a shape of filters, so tests can
-- EXPLAIN it; parameters $1 app_id, $2 ids, $3 input_ids, $4 user_ids,
-- $5 model_version_ids, $6 statuses (text[]), $7 task_id, $8 after,
-- $9 per_page, $10 offset.
CREATE FUNCTION annotations._list_sql_for(
        ids text[], input_ids text[], user_ids text[], model_version_ids text[],
        statuses annotations.status[], task_id text, list_all_annotations boolean,
        after bigint, for_count boolean)
    RETURNS text
    AS 'MODULE_PATHNAME', 'annotations_list_sql_for'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._list_sql_for(text[], text[], text[], text[], annotations.status[],
    text, boolean, bigint, boolean) IS
  'Internal: the query list_annotations or count_annotations keeps for the shape of these filters';
REVOKE EXECUTE ON FUNCTION annotations._list_sql_for(text[], text[], text[], text[], annotations.status[],
    text, boolean, bigint, boolean) FROM PUBLIC;

-- == end of listing and counting ==

-- == patching ==
CREATE OR REPLACE FUNCTION annotations.patch_annotations(app_id text, action text, annotations jsonb,
                                                         delete_if_empty_data boolean DEFAULT false)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_patch_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
DROP FUNCTION annotations._patch_refuse(text, text, annotations._request[]);
-- == end of patching ==

-- == COCO export ==
-- export_coco checks membership itself and reads with the store owner's
-- rights (the C function the 1.0 declaration names keeps the old way).
CREATE OR REPLACE FUNCTION annotations.export_coco(
        app_id text,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'annotations_coco_export'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
-- == end of COCO export ==

-- == reading for reporting tools ==
-- Reading for reporting tools and direct SQL (src/visible.c): functions that
-- return the rows of one app to its members, and views that put them
-- together over every app of the caller. A function is opaque to the
-- planner, so no condition of the caller ever runs on another app's rows.
CREATE FUNCTION annotations.member_apps() RETURNS SETOF annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_member_apps'
    LANGUAGE C STABLE ROWS 10
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.member_apps() IS
  'The apps the acting user owns or collaborates in (every app for superusers and BYPASSRLS roles)';

CREATE FUNCTION annotations.app_inputs(app_id text) RETURNS SETOF annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_app_inputs'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_inputs(text) IS
  'The inputs of one app, for its members (P0002 for anyone else)';

CREATE FUNCTION annotations.app_annotations(app_id text) RETURNS SETOF annotations.annotations
    AS 'MODULE_PATHNAME', 'annotations_app_annotations'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_annotations(text) IS
  'The annotations of one app, oldest first, for its members (P0002 for anyone else)';

CREATE FUNCTION annotations.app_regions(app_id text) RETURNS SETOF annotations.regions
    AS 'MODULE_PATHNAME', 'annotations_app_regions'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_regions(text) IS
  'The regions of one app, for its members (P0002 for anyone else)';

CREATE FUNCTION annotations.app_collaborators(app_id text) RETURNS SETOF annotations.collaborators
    AS 'MODULE_PATHNAME', 'annotations_app_collaborators'
    LANGUAGE C STABLE ROWS 10
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_collaborators(text) IS
  'The collaborators of one app: all of them for its owner, their own membership for a collaborator';

CREATE VIEW annotations.visible_apps WITH (security_invoker = true) AS
SELECT m.id, m.owner_id, m.created_at FROM annotations.member_apps() m;
COMMENT ON VIEW annotations.visible_apps IS 'The apps the querying role owns or collaborates in';

CREATE VIEW annotations.visible_collaborators WITH (security_invoker = true) AS
SELECT m.id AS app_id, c.user_id, c.owner_id, c.created_at
  FROM annotations.member_apps() m, LATERAL annotations.app_collaborators(m.id) c;
COMMENT ON VIEW annotations.visible_collaborators IS
  'Collaborators of the querying role''s apps (all for an owner, their own membership for a collaborator)';

CREATE VIEW annotations.visible_inputs WITH (security_invoker = true) AS
SELECT m.id AS app_id, i.id, i.data, i.created_at, i.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_inputs(m.id) i;
COMMENT ON VIEW annotations.visible_inputs IS 'Inputs of the apps the querying role belongs to';

CREATE VIEW annotations.visible_annotations WITH (security_invoker = true) AS
SELECT m.id AS app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
       a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
       a.frame_index, a.frame_time, a.annotation_info, a.created_at, a.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_annotations(m.id) a;
COMMENT ON VIEW annotations.visible_annotations IS 'Annotations of the apps the querying role belongs to';

CREATE VIEW annotations.visible_regions WITH (security_invoker = true) AS
SELECT m.id AS app_id, r.annotation_id, r.id, r.input_id, r.bbox, r.concepts
  FROM annotations.member_apps() m, LATERAL annotations.app_regions(m.id) r;
COMMENT ON VIEW annotations.visible_regions IS 'Regions of the apps the querying role belongs to';

GRANT SELECT ON annotations.visible_apps, annotations.visible_collaborators, annotations.visible_inputs,
                annotations.visible_annotations, annotations.visible_regions TO PUBLIC;
-- == end of reading for reporting tools ==

-- == evaluation ==
-- Evaluation (src/evaluate.c, src/coco_eval.c): how well a model's boxes
-- agree with the boxes people drew, as COCO's evaluator measures it, and
-- how well people agree with each other. Any member of an app may run
-- them; they read with the store owner's rights.

CREATE FUNCTION annotations.evaluate_detections(
        app_id text,
        model_version_ids text[],
        user_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT '{success}',
        iou_thresholds float8[] DEFAULT NULL,
        max_detections integer[] DEFAULT '{1,10,100}',
        input_ids text[] DEFAULT NULL,
        iou_type text DEFAULT 'bbox')
    RETURNS TABLE (concept_id text, ap float8, ap50 float8, ap75 float8,
                   ap_small float8, ap_medium float8, ap_large float8,
                   ar1 float8, ar10 float8, ar100 float8,
                   ar_small float8, ar_medium float8, ar_large float8,
                   gt_count bigint, dt_count bigint, tp50 bigint, fp50 bigint, fn50 bigint)
    AS 'MODULE_PATHNAME', 'annotations_evaluate_detections'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.evaluate_detections(text, text[], text[], annotations.status[], float8[], integer[], text[], text) IS
  'COCO evaluation (iou_type bbox: boxes, segm: shapes at the image''s size) of the model versions'' region concepts against users'' ones (value > 0), per concept and over all (concept_id NULL, first); -1 where COCO gives -1, NULL for a threshold not asked for';

CREATE FUNCTION annotations.match_detections(
        app_id text,
        model_version_ids text[],
        user_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT '{success}',
        input_ids text[] DEFAULT NULL,
        iou_threshold float8 DEFAULT 0.5,
        iou_type text DEFAULT 'bbox')
    RETURNS TABLE (input_id text, concept_id text, prediction_id text, prediction_region_id text,
                   score float8, ground_truth_id text, ground_truth_region_id text,
                   iou float8, matched boolean)
    AS 'MODULE_PATHNAME', 'annotations_match_detections'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.match_detections(text, text[], text[], annotations.status[], text[], float8, text) IS
  'COCO''s greedy matching at one IoU threshold: a row per prediction (matched or a false positive) and per ground-truth box no prediction matched';

CREATE FUNCTION annotations.annotator_agreement(
        app_id text,
        user_ids text[],
        iou_threshold float8 DEFAULT 0.5,
        statuses annotations.status[] DEFAULT NULL)
    RETURNS TABLE (user_a text, user_b text, concept_id text, inputs bigint, matched bigint,
                   only_a bigint, only_b bigint, f1 float8, kappa float8)
    AS 'MODULE_PATHNAME', 'annotations_annotator_agreement'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.annotator_agreement(text, text[], float8, annotations.status[]) IS
  'Per pair of users, over the inputs both labelled: boxes matched one to one by IoU and their F1, Cohen''s kappa of whole-input concepts; per concept, and pooled (concept_id NULL)';

CREATE FUNCTION annotations.disagreements(
        app_id text,
        user_ids text[],
        iou_threshold float8 DEFAULT 0.5,
        statuses annotations.status[] DEFAULT NULL)
    RETURNS TABLE (input_id text, concept_id text, users text[], detail text)
    AS 'MODULE_PATHNAME', 'annotations_disagreements'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.disagreements(text, text[], float8, annotations.status[]) IS
  'Inputs labelled by two or more of the users where they differ on a concept: present for some and absent for others, or boxes without a match';

CREATE FUNCTION annotations._evaluate_boxes(
        images text[], concepts text[], scores float8[], crowd boolean[],
        boxes float8[], areas float8[],
        iou_thresholds float8[] DEFAULT NULL,
        max_detections integer[] DEFAULT '{1,10,100}')
    RETURNS TABLE (concept_id text, ap float8, ap50 float8, ap75 float8,
                   ap_small float8, ap_medium float8, ap_large float8,
                   ar1 float8, ar10 float8, ar100 float8,
                   ar_small float8, ar_medium float8, ar_large float8,
                   gt_count bigint, dt_count bigint, tp50 bigint, fp50 bigint, fn50 bigint)
    AS 'MODULE_PATHNAME', 'annotations_evaluate_boxes'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._evaluate_boxes(text[], text[], float8[], boolean[], float8[], float8[], float8[], integer[]) IS
  'Internal: COCO box evaluation of boxes given as arrays (pixels [x,y,w,h], area, crowd flag; NULL score for ground truth), reading no table';
-- == end of evaluation ==

-- == COCO ==
CREATE OR REPLACE FUNCTION annotations.import_coco(app_id text, coco jsonb,
        OUT inputs_created bigint, OUT inputs_existing bigint,
        OUT annotations_created bigint, OUT annotations_existing bigint)
    AS 'MODULE_PATHNAME', 'annotations_import_coco'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
-- import_coco reads the document in C now (src/coco_import.c)
DROP FUNCTION annotations._coco_items(jsonb, text);
-- == end of COCO ==

-- == the trust boundary ==
-- Who may do what is decided in one place, by the API functions
-- (src/acting.c), which do their table work with the rights of the role
-- that owns the tables; no other role keeps any privilege on the tables or
-- the sequence, and the row-level security policies, which the functions no
-- longer need, are gone (row-level security stays enabled with no policy:
-- a role granted a table by hand still sees no row). Reading with plain SQL
-- goes through the visible_* views and concept_labels.
DROP POLICY apps_select ON annotations.apps;
DROP POLICY apps_insert ON annotations.apps;
DROP POLICY apps_update ON annotations.apps;
DROP POLICY apps_delete ON annotations.apps;
DROP POLICY collaborators_select ON annotations.collaborators;
DROP POLICY collaborators_insert ON annotations.collaborators;
DROP POLICY collaborators_update ON annotations.collaborators;
DROP POLICY collaborators_delete ON annotations.collaborators;
DROP POLICY inputs_select ON annotations.inputs;
DROP POLICY inputs_insert ON annotations.inputs;
DROP POLICY inputs_update ON annotations.inputs;
DROP POLICY inputs_delete ON annotations.inputs;
DROP POLICY annotations_select ON annotations.annotations;
DROP POLICY annotations_insert ON annotations.annotations;
DROP POLICY annotations_update ON annotations.annotations;
DROP POLICY annotations_delete ON annotations.annotations;
DROP POLICY regions_select ON annotations.regions;
DROP POLICY regions_insert ON annotations.regions;
DROP POLICY regions_update ON annotations.regions;
DROP POLICY regions_delete ON annotations.regions;
REVOKE ALL ON annotations.apps, annotations.collaborators, annotations.inputs,
              annotations.annotations, annotations.regions FROM PUBLIC;
REVOKE ALL ON SEQUENCE annotations.annotation_seq FROM PUBLIC;
-- nothing asks the app's role of a SQL function any more (src/acting.c does)
DROP FUNCTION annotations._app_role(text);
-- requests travel as C structs from the parser to the store: the SQL
-- declarations that returned them as composites, and the composites, go
DROP FUNCTION annotations._parse_annotations(jsonb, boolean);
DROP FUNCTION annotations._parse_inputs(jsonb);
DROP FUNCTION annotations._patch_apply(text, annotations.annotation, annotations._request, boolean);
DROP TYPE annotations._request;
DROP TYPE annotations._input_request;

DROP VIEW annotations.concept_labels;

CREATE TYPE annotations.concept_label AS (
    app_id           text,
    annotation_id    text,
    input_id         text,
    region_id        text,
    concept_id       text,
    concept_name     text,
    value            float8,
    user_id          text,
    model_version_id text,
    status           annotations.status,
    bbox             annotations.bbox,
    created_at       timestamptz
);
COMMENT ON TYPE annotations.concept_label IS 'A row of annotations.concept_labels';

CREATE FUNCTION annotations.app_concept_labels(app_id text) RETURNS SETOF annotations.concept_label
    AS 'MODULE_PATHNAME', 'annotations_app_concept_labels'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_concept_labels(text) IS
  'The concept labels of one app, for its members (P0002 for anyone else)';

CREATE VIEW annotations.concept_labels WITH (security_invoker = true) AS
SELECT m.id AS app_id, l.annotation_id, l.input_id, l.region_id, l.concept_id, l.concept_name, l.value,
       l.user_id, l.model_version_id, l.status, l.bbox, l.created_at
  FROM annotations.member_apps() m, LATERAL annotations.app_concept_labels(m.id) l;
COMMENT ON VIEW annotations.concept_labels IS
  'One row per concept label: whole-input concepts (region_id NULL) and region concepts (with their bbox)';
GRANT SELECT ON annotations.concept_labels TO PUBLIC;
-- == end of the trust boundary ==

-- == proto3 wire format ==
-- Status filters accept labels, Clarifai names and codes (text[]); to_json
-- names the author as a worker too, as current Clarifai clients do.
DROP FUNCTION annotations.list_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, integer, integer, bigint);
DROP FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean);
-- Status filters take text[] (labels, Clarifai names or codes); a status[]
-- argument, as 1.0's filters took, still fits them through this cast.
CREATE CAST (annotations.status[] AS text[]) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (annotations.status[] AS text[]) IS
  'so a status[] reaches the text[] status filters of list_annotations and count_annotations';

CREATE FUNCTION annotations.list_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses text[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false,
        per_page integer DEFAULT 20,
        page integer DEFAULT NULL,
        after bigint DEFAULT NULL)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_list_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.list_annotations(text, text[], text[], text[], text[],
    text[], text, boolean, integer, integer, bigint) IS
  'Lists annotations oldest first, one page at a time (keyset paging with after => last seq seen)';

CREATE FUNCTION annotations.count_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses text[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_count_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    text[], text, boolean) IS
  'How many annotations list_annotations would return over all pages with the same filters';

-- to_json writes worker: its whole 1.1 body is defined once, in the section
-- "trusted and consensus_info" below, which carries every change to it.

-- == end of proto3 wire format ==

-- == reading inputs ==
-- get_input, list_inputs (keyset paging on (created_at, id)) and to_json of an input.
-- list_inputs pages oldest first: (created_at, id) is its keyset
CREATE INDEX inputs_created_idx ON annotations.inputs (app_id, created_at, id);

CREATE FUNCTION annotations.get_input(app_id text, input_id text)
    RETURNS annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_get_input'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.get_input(text, text) IS
  'One input; P0002 when it does not exist';

CREATE FUNCTION annotations.list_inputs(
        app_id text,
        ids text[] DEFAULT NULL,
        per_page integer DEFAULT 20,
        page integer DEFAULT NULL,
        after text DEFAULT NULL)
    RETURNS SETOF annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_list_inputs'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.list_inputs(text, text[], integer, integer, text) IS
  'Lists inputs oldest first, one page at a time (keyset paging with after => the id of the last input seen)';

CREATE FUNCTION annotations.to_json(input annotations.inputs)
    RETURNS jsonb
    LANGUAGE sql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'id', ($1).id,
           'created_at', pg_catalog.to_char(($1).created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'modified_at', pg_catalog.to_char(($1).modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
       || pg_catalog.jsonb_build_object('data', COALESCE(($1).data, '{}'::jsonb))
$$;
COMMENT ON FUNCTION annotations.to_json(annotations.inputs) IS
  'The input in Clarifai REST JSON (an Input message)';

-- == end of reading inputs ==
-- == concept catalogue ==
ALTER TABLE annotations.apps ADD COLUMN closed_vocabulary boolean NOT NULL DEFAULT false;
ALTER TABLE annotations.apps ADD COLUMN last_coco_id integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN annotations.apps.closed_vocabulary IS
  'When true, only concepts already in the app''s catalogue (annotations.concepts) may be used';
COMMENT ON COLUMN annotations.apps.last_coco_id IS
  'The highest coco_id handed out in the app''s concept catalogue; the next new concept gets the one after';

-- The concept catalogue of each app (src/catalogue.c): one row per concept
-- the app has ever used or been given, with a COCO category id handed out
-- once, so every COCO export of the app numbers its categories alike.
-- post, patch and import_coco add the concepts they use; post_concepts adds
-- or renames them; an app with a closed vocabulary accepts only catalogued
-- concepts.

CREATE TABLE annotations.concepts (
    app_id        text        NOT NULL REFERENCES annotations.apps (id) ON DELETE CASCADE,
    id            text        NOT NULL,
    name          text,
    coco_id       integer     NOT NULL CHECK (coco_id OPERATOR(pg_catalog.>=) 1),
    supercategory text,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    modified_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (app_id, id),
    UNIQUE (app_id, coco_id)
);
COMMENT ON TABLE annotations.concepts IS
  'The concept catalogue of each app: every concept used in it or posted with post_concepts';
COMMENT ON COLUMN annotations.concepts.app_id IS 'App id';
COMMENT ON COLUMN annotations.concepts.id IS 'Concept id, as in annotations'' concept lists';
COMMENT ON COLUMN annotations.concepts.name IS 'Display name (NULL when none was given)';
COMMENT ON COLUMN annotations.concepts.coco_id IS
  'COCO category id: given once, never changed, unique in the app';
COMMENT ON COLUMN annotations.concepts.supercategory IS 'COCO supercategory (NULL when none was given)';
COMMENT ON COLUMN annotations.concepts.created_at IS 'When the concept was first used or posted';
COMMENT ON COLUMN annotations.concepts.modified_at IS 'When its name or supercategory last changed';

SELECT pg_catalog.pg_extension_config_dump('annotations.concepts', '');
REVOKE ALL ON annotations.concepts FROM PUBLIC;
ALTER TABLE annotations.concepts ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION annotations.post_concepts(app_id text, concepts jsonb)
    RETURNS SETOF annotations.concepts
    AS 'MODULE_PATHNAME', 'annotations_post_concepts'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.post_concepts(text, jsonb) IS
  'Adds concepts {"id", "name"?, "supercategory"?, "coco_id"?} to the app''s catalogue or renames them (renaming: owner only); returns them in request order';

CREATE FUNCTION annotations.list_concepts(app_id text, ids text[] DEFAULT NULL,
        OUT id text, OUT name text, OUT coco_id integer, OUT supercategory text,
        OUT created_at timestamptz, OUT modified_at timestamptz,
        OUT user_input_labels bigint, OUT user_region_labels bigint,
        OUT model_input_labels bigint, OUT model_region_labels bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'annotations_list_concepts'
    LANGUAGE C STABLE ROWS 100
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.list_concepts(text, text[]) IS
  'The app''s catalogue (or the concepts named by ids) by coco_id, with how many positive labels (value > 0) users and models gave each, on whole inputs and on regions';

CREATE FUNCTION annotations.set_closed_vocabulary(app_id text, closed boolean)
    RETURNS annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_set_closed_vocabulary'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.set_closed_vocabulary(text, boolean) IS
  'Owner only: with true, annotations and inputs may use only concepts already in the app''s catalogue';

CREATE FUNCTION annotations.app_concepts(app_id text) RETURNS SETOF annotations.concepts
    AS 'MODULE_PATHNAME', 'annotations_app_concepts'
    LANGUAGE C STABLE ROWS 100
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_concepts(text) IS
  'The concept catalogue of one app, for its members (P0002 for anyone else)';

CREATE VIEW annotations.visible_concepts WITH (security_invoker = true) AS
SELECT m.id AS app_id, c.id, c.name, c.coco_id, c.supercategory, c.created_at, c.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_concepts(m.id) c;
COMMENT ON VIEW annotations.visible_concepts IS 'The concept catalogues of the apps the querying role belongs to';
GRANT SELECT ON annotations.visible_concepts TO PUBLIC;

-- Every concept an app already uses goes into its catalogue, numbered in
-- order of first use (oldest annotation first, whole-input concepts before
-- region ones), the order 1.0's export numbered a whole app's categories in.
INSERT INTO annotations.concepts (app_id, id, name, coco_id, created_at, modified_at)
SELECT u.app_id, u.id, u.name,
       pg_catalog.row_number() OVER (PARTITION BY u.app_id ORDER BY u.seq, u.part, u.ord),
       u.created_at, u.created_at
  FROM (SELECT DISTINCT ON (l.app_id, l.id) l.app_id, l.id, l.name, l.seq, l.part, l.ord, l.created_at
          FROM (SELECT a.app_id, e.value OPERATOR(pg_catalog.->>) 'id' AS id,
                       e.value OPERATOR(pg_catalog.->>) 'name' AS name,
                       a.seq, 0 AS part, e.ord, a.created_at
                  FROM annotations.annotations a
                 CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(a.concepts) WITH ORDINALITY e(value, ord)
                 WHERE pg_catalog.jsonb_typeof(a.concepts) OPERATOR(pg_catalog.=) 'array'
                UNION ALL
                SELECT a.app_id, e.value OPERATOR(pg_catalog.->>) 'id', e.value OPERATOR(pg_catalog.->>) 'name',
                       a.seq, 1, e.ord, a.created_at
                  FROM annotations.regions g
                  JOIN annotations.annotations a
                    ON a.app_id OPERATOR(pg_catalog.=) g.app_id AND a.id OPERATOR(pg_catalog.=) g.annotation_id
                 CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(g.concepts) WITH ORDINALITY e(value, ord)
                 WHERE pg_catalog.jsonb_typeof(g.concepts) OPERATOR(pg_catalog.=) 'array') l
         WHERE l.id IS NOT NULL
         ORDER BY l.app_id, l.id, l.seq, l.part, l.ord) u;
UPDATE annotations.apps a
   SET last_coco_id = m.high
  FROM (SELECT c.app_id, pg_catalog.max(c.coco_id) AS high FROM annotations.concepts c GROUP BY c.app_id) m
 WHERE a.id OPERATOR(pg_catalog.=) m.app_id;

-- views over member_apps() are parsed again, so they name the columns apps has now
CREATE OR REPLACE VIEW annotations.visible_apps WITH (security_invoker = true) AS
SELECT m.id, m.owner_id, m.created_at FROM annotations.member_apps() m;
CREATE OR REPLACE VIEW annotations.visible_collaborators WITH (security_invoker = true) AS
SELECT m.id AS app_id, c.user_id, c.owner_id, c.created_at
  FROM annotations.member_apps() m, LATERAL annotations.app_collaborators(m.id) c;
CREATE OR REPLACE VIEW annotations.visible_inputs WITH (security_invoker = true) AS
SELECT m.id AS app_id, i.id, i.data, i.created_at, i.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_inputs(m.id) i;
CREATE OR REPLACE VIEW annotations.visible_annotations WITH (security_invoker = true) AS
SELECT m.id AS app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
       a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
       a.frame_index, a.frame_time, a.annotation_info, a.created_at, a.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_annotations(m.id) a;
CREATE OR REPLACE VIEW annotations.concept_labels WITH (security_invoker = true) AS
SELECT m.id AS app_id, l.annotation_id, l.input_id, l.region_id, l.concept_id, l.concept_name, l.value,
       l.user_id, l.model_version_id, l.status, l.bbox, l.created_at
  FROM annotations.member_apps() m, LATERAL annotations.app_concept_labels(m.id) l;

-- crowd regions (import_coco keeps iscrowd: 1)
ALTER TABLE annotations.regions ADD COLUMN iscrowd boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN annotations.regions.iscrowd IS
  'A COCO crowd region (iscrowd 1 in an imported document): one box around a group of objects';
CREATE OR REPLACE VIEW annotations.visible_regions WITH (security_invoker = true) AS
SELECT m.id AS app_id, r.annotation_id, r.id, r.input_id, r.bbox, r.concepts, r.iscrowd
  FROM annotations.member_apps() m, LATERAL annotations.app_regions(m.id) r;

-- export_coco takes concept_ids and numbers categories by the catalogue
DROP FUNCTION annotations.export_coco(text, text[], text[], text[], annotations.status[], text, boolean);
CREATE FUNCTION annotations.export_coco(
        app_id text,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false,
        concept_ids text[] DEFAULT NULL)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'annotations_coco_export'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.export_coco(text, text[], text[], text[], annotations.status[], text, boolean, text[]) IS
  'The app''s image inputs and region labels as a COCO object detection document: categories are the app''s concept catalogue (or concept_ids) with coco_id as id, one box per positive region concept, pixels from data.image.image_info; filters as in list_annotations';

-- import_coco reports what it did (skipped boxes, clipping, category clashes) and can dry-run
DROP FUNCTION annotations.import_coco(text, jsonb);
CREATE FUNCTION annotations.import_coco(app_id text, coco jsonb, dry_run boolean DEFAULT false,
        OUT images bigint, OUT annotations bigint, OUT skipped bigint, OUT skipped_reasons jsonb,
        OUT clipped bigint, OUT concepts_created bigint, OUT category_clashes jsonb,
        OUT inputs_created bigint, OUT inputs_existing bigint,
        OUT annotations_created bigint, OUT annotations_existing bigint)
    AS 'MODULE_PATHNAME', 'annotations_import_coco'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.import_coco(text, jsonb, boolean) IS
  'Adds a COCO object detection document to an app as the acting user: an image input per image (id and url = file_name), categories into the concept catalogue, an annotation with one region per box (concept = category name; id, area and iscrowd kept); idempotent, never deletes; returns what it did, or with dry_run what it would do';
-- == end of concept catalogue ==

-- == scaling out on Citus ==
-- Citus refuses a foreign key that cascades updates of a key holding the
-- distribution column: collaborators refer to their app by id alone, and
-- transfer_app rewrites the copied owner itself; the key on apps that the
-- old foreign key needed goes.
ALTER TABLE annotations.collaborators DROP CONSTRAINT collaborators_app_id_owner_id_fkey;
ALTER TABLE annotations.collaborators
    ADD FOREIGN KEY (app_id) REFERENCES annotations.apps (id) ON DELETE CASCADE;
ALTER TABLE annotations.apps DROP CONSTRAINT apps_id_owner_id_key;
COMMENT ON COLUMN annotations.collaborators.owner_id IS
  'The app''s owner, copied when the collaborator is added and rewritten by transfer_app';
-- seq is unique within an app (its values come from the node that runs the call)
ALTER TABLE annotations.annotations ADD UNIQUE (app_id, seq);
COMMENT ON COLUMN annotations.annotations.seq IS 'Creation order within the app, oldest first, unique in the app; the keyset for paging (after => seq)';

-- Scaling out on Citus. distribute() turns the store of a database where
-- Citus runs (coordinator with its workers added) into an app-sharded one:
-- every table distributed by app id in one co-location group, and every
-- API function that names an app registered for delegation, so a call is
-- sent whole to the worker that holds the app and runs there as
-- single-shard work. Written in PL/pgSQL because it only orders Citus's
-- own functions, which do not exist where Citus is absent.
CREATE FUNCTION annotations.distribute() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $distribute$
DECLARE
    t record;
    f record;
    n record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'citus') THEN
        RAISE EXCEPTION 'Citus is not installed in this database'
            USING ERRCODE = '55000',
                  DETAIL = 'annotations.distribute() distributes the store over a Citus cluster.',
                  HINT = 'Load citus (shared_preload_libraries), CREATE EXTENSION citus, add the workers, then call it again.';
    END IF;
    -- the library's planner hook keeps calls with a NULL app id away from
    -- Citus's delegation, which crashes on them: it must run on every node
    FOR n IN SELECT 'this node' AS node, pg_catalog.current_setting('shared_preload_libraries') AS libs
             UNION ALL
             SELECT pg_catalog.format('worker %s:%s', w.nodename, w.nodeport), w.result
               FROM pg_catalog.run_command_on_workers('SHOW shared_preload_libraries') w
    LOOP
        IF NOT 'annotations' OPERATOR(pg_catalog.=) ANY (pg_catalog.string_to_array(
                   pg_catalog.replace(n.libs, ' ', ''), ',')) THEN
            RAISE EXCEPTION 'annotations is not in shared_preload_libraries on %', n.node
                USING ERRCODE = '55000',
                      DETAIL = pg_catalog.format('shared_preload_libraries is ''%s''.', n.libs),
                      HINT = 'Set shared_preload_libraries = ''citus,annotations'' on the coordinator and every worker and restart them.';
        END IF;
    END LOOP;
    -- apps first: the others refer to it and join its co-location group
    FOR t IN SELECT u.tab, u.col, u.n
               FROM ROWS FROM (pg_catalog.unnest(ARRAY['apps', 'collaborators', 'inputs', 'annotations', 'regions', 'concepts']),
                               pg_catalog.unnest(ARRAY['id', 'app_id', 'app_id', 'app_id', 'app_id', 'app_id']))
                    WITH ORDINALITY AS u(tab, col, n)
              ORDER BY u.n
    LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                               WHERE p.logicalrelid OPERATOR(pg_catalog.=)
                                     pg_catalog.format('annotations.%I', t.tab)::pg_catalog.regclass);
        PERFORM pg_catalog.create_distributed_table(pg_catalog.format('annotations.%I', t.tab)::pg_catalog.regclass,
                                                    t.col,
                                                    colocate_with => CASE WHEN t.tab OPERATOR(pg_catalog.=) 'apps'
                                                                          THEN 'none' ELSE 'annotations.apps' END);
    END LOOP;
    -- every API function whose first argument is the app: delegated to the
    -- app's worker, inside transactions too
    FOR f IN SELECT p.oid::pg_catalog.regprocedure AS fn, p.proargnames[1] AS arg
               FROM pg_catalog.pg_proc p
              WHERE p.pronamespace OPERATOR(pg_catalog.=) 'annotations'::pg_catalog.regnamespace
                AND p.proname OPERATOR(pg_catalog.!~~) '\_%'
                AND p.pronargs OPERATOR(pg_catalog.>) 0
                AND p.proargtypes[0] OPERATOR(pg_catalog.=) 'pg_catalog.text'::pg_catalog.regtype
                AND (p.proargnames[1] OPERATOR(pg_catalog.=) 'app_id'
                     OR p.oid OPERATOR(pg_catalog.=) 'annotations.create_app(text, text)'::pg_catalog.regprocedure)
              ORDER BY 1
    LOOP
        PERFORM pg_catalog.create_distributed_function(f.fn, f.arg,
                                                       colocate_with => 'annotations.apps',
                                                       force_delegation => true);
    END LOOP;
END
$distribute$;
COMMENT ON FUNCTION annotations.distribute() IS
  'Distributes the store by app over a Citus cluster and registers the API functions for delegation to the app''s worker; idempotent';
REVOKE EXECUTE ON FUNCTION annotations.distribute() FROM PUBLIC;
-- == end of scaling out on Citus ==

-- == regions of every shape ==
-- A region is a bounding box, a polygon, a point or a mask: the shape sits
-- in the column of its kind, and bbox keeps the box enclosing it, so the
-- geometry index finds regions of every shape. Annotation rows carry the
-- shape; to_json writes it back as Clarifai's region_info; concept_labels
-- tells the kind.
ALTER TABLE annotations.regions
    ADD COLUMN polygon annotations.polygon,
    ADD COLUMN point annotations.keypoint,
    ADD COLUMN mask annotations.mask,
    ADD CONSTRAINT regions_one_shape CHECK (pg_catalog.num_nonnulls(polygon, point, mask) OPERATOR(pg_catalog.<=) 1);
COMMENT ON TABLE annotations.regions IS
  'The region of an annotation (at most one each): a bounding box, polygon, point or mask with its own concepts';
COMMENT ON COLUMN annotations.regions.bbox IS
  'Bounding box, normalized to [0,1]: the region itself, or the box enclosing its polygon, point or mask (what the geometry index searches)';
COMMENT ON COLUMN annotations.regions.polygon IS 'The region''s polygon, when it is one (NULL otherwise)';
COMMENT ON COLUMN annotations.regions.point IS 'The region''s point, when it is one (NULL otherwise)';
COMMENT ON COLUMN annotations.regions.mask IS 'The region''s mask, when it is one (NULL otherwise)';

ALTER TYPE annotations.annotation
    ADD ATTRIBUTE polygon annotations.polygon,
    ADD ATTRIBUTE point annotations.keypoint,
    ADD ATTRIBUTE mask annotations.mask;

-- to_json writes the region's one shape: its whole 1.1 body is defined once,
-- in the section "trusted and consensus_info" below.

CREATE OR REPLACE VIEW annotations.visible_regions WITH (security_invoker = true) AS
SELECT m.id AS app_id, r.annotation_id, r.id, r.input_id, r.bbox, r.concepts, r.iscrowd,
       r.polygon, r.point, r.mask
  FROM annotations.member_apps() m, LATERAL annotations.app_regions(m.id) r;

ALTER TYPE annotations.concept_label ADD ATTRIBUTE shape_kind text;

CREATE OR REPLACE VIEW annotations.concept_labels WITH (security_invoker = true) AS
SELECT m.id AS app_id, l.annotation_id, l.input_id, l.region_id, l.concept_id, l.concept_name, l.value,
       l.user_id, l.model_version_id, l.status, l.bbox, l.created_at, l.shape_kind
  FROM annotations.member_apps() m, LATERAL annotations.app_concept_labels(m.id) l;
COMMENT ON VIEW annotations.concept_labels IS
  'One row per concept label: whole-input concepts (region_id NULL) and region concepts (with the box enclosing the region and its shape_kind: bounding_box, polygon, point or mask)';
-- == end of regions of every shape ==

-- == trusted and consensus_info ==
-- Annotation.trusted and Annotation.consensus_info are kept: columns of the
-- table, fields of the row the API returns (at its end, as ALTER TYPE puts
-- them), read through visible_annotations and written by to_json.
ALTER TABLE annotations.annotations
    ADD COLUMN trusted boolean NOT NULL DEFAULT false,
    ADD COLUMN consensus_info jsonb NOT NULL DEFAULT '{}'
        CHECK (pg_catalog.jsonb_typeof(consensus_info) OPERATOR(pg_catalog.=) 'object');
COMMENT ON COLUMN annotations.annotations.trusted IS 'Clarifai''s trusted flag (deprecated there); set by the app owner only';
COMMENT ON COLUMN annotations.annotations.consensus_info IS
  'Consensus review information (a protobuf Struct: any JSON object), {} when not set';
ALTER TYPE annotations.annotation ADD ATTRIBUTE trusted boolean, ADD ATTRIBUTE consensus_info jsonb;

CREATE OR REPLACE VIEW annotations.visible_annotations WITH (security_invoker = true) AS
SELECT m.id AS app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
       a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
       a.frame_index, a.frame_time, a.annotation_info, a.created_at, a.modified_at,
       a.trusted, a.consensus_info
  FROM annotations.member_apps() m, LATERAL annotations.app_annotations(m.id) a;

CREATE OR REPLACE FUNCTION annotations.to_json(annotation annotations.annotation)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a annotations.annotation := $1;
    v_data jsonb;
    v_info jsonb;
BEGIN
    v_data := pg_catalog.jsonb_build_object('concepts', COALESCE(a.concepts, '[]'::jsonb));
    IF a.region_id IS NOT NULL THEN
        -- exactly one shape per region: the box only when there is no other
        IF pg_catalog.num_nonnulls(a.polygon, a.point, a.mask) OPERATOR(pg_catalog.>) 1 THEN
            RAISE EXCEPTION 'stored region of annotation "%" in app "%" is malformed', a.id, a.app_id
                USING ERRCODE = 'XX001',
                      DETAIL = 'annotations.regions holds more than one of polygon, point and mask.',
                      HINT = 'The API never stores such a value. Correct it with UPDATE or delete the annotation.';
        END IF;
        v_info := CASE WHEN a.polygon IS NOT NULL THEN pg_catalog.jsonb_build_object('polygon', a.polygon::jsonb)
                       WHEN a.point IS NOT NULL THEN pg_catalog.jsonb_build_object('point', a.point::jsonb)
                       WHEN a.mask IS NOT NULL THEN pg_catalog.jsonb_build_object('mask', a.mask::jsonb)
                       ELSE pg_catalog.jsonb_build_object('bounding_box', a.bbox::jsonb) END;
        v_data := v_data || pg_catalog.jsonb_build_object('regions', pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object(
                'id', a.region_id,
                'region_info', v_info,
                'data', pg_catalog.jsonb_build_object('concepts', COALESCE(a.region_concepts, '[]'::jsonb)))));
    END IF;
    IF a.frame_index IS NOT NULL OR a.frame_time IS NOT NULL THEN
        v_data := pg_catalog.jsonb_build_object('frames', pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object(
                'frame_info', pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                    'index', a.frame_index, 'time', a.frame_time)),
                'data', v_data)));
    END IF;
    RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
               'id', a.id,
               'input_id', a.input_id,
               'user_id', a.user_id,
               'model_version_id', a.model_version_id,
               'embed_model_version_id', a.embed_model_version_id,
               'task_id', a.task_id,
               'worker', CASE WHEN a.user_id IS NOT NULL
                              THEN pg_catalog.jsonb_build_object('user', pg_catalog.jsonb_build_object('id', a.user_id))
                              WHEN a.model_version_id IS NOT NULL
                              THEN pg_catalog.jsonb_build_object('model', pg_catalog.jsonb_build_object(
                                       'model_version', pg_catalog.jsonb_build_object('id', a.model_version_id)))
                         END,
               'created_at', pg_catalog.to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'modified_at', pg_catalog.to_char(a.modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
        || pg_catalog.jsonb_build_object(
               'status', pg_catalog.jsonb_build_object(
                   'code', annotations.status_code(a.status),
                   'description', annotations.status_description(a.status)),
               'input_level', a.input_level,
               'annotation_info', COALESCE(a.annotation_info, '{}'::jsonb),
               'data', v_data)
        -- proto3 leaves out a field at its default: trusted only when true,
        -- consensus_info only when it holds something
        || CASE WHEN a.trusted THEN '{"trusted": true}'::jsonb ELSE '{}'::jsonb END
        || CASE WHEN a.consensus_info OPERATOR(pg_catalog.<>) '{}'::jsonb
                THEN pg_catalog.jsonb_build_object('consensus_info', a.consensus_info)
                ELSE '{}'::jsonb END;
END
$$;
COMMENT ON FUNCTION annotations.to_json(annotations.annotation) IS
  'The annotation in Clarifai REST JSON; posting it again (with a new id) recreates the same labels';

-- == end of trusted and consensus_info ==

-- == crowd regions in evaluation ==
COMMENT ON FUNCTION annotations.match_detections(text, text[], text[], annotations.status[], text[], float8, text) IS
  'COCO''s greedy matching at one IoU threshold: a row per prediction (matched, a false positive, or matched NULL inside a crowd region) and per ground-truth box no prediction matched (crowd regions are never missed)';
-- == end of crowd regions in evaluation ==

-- == patch values picked by id ==
-- Internal (src/patch_value.c): a patched row's new value of one column,
-- picked out of the batch's arrays (ids sorted) by the row's id, or the
-- old value where the batch leaves it as it is. On a Citus cluster a
-- patch's UPDATE then names one table only, which Citus plans on the app's
-- local shard.
CREATE FUNCTION annotations._patch_value(ids text[], id text, vals anyarray, old anyelement)
    RETURNS anyelement
    AS 'MODULE_PATHNAME', 'annotations_patch_value'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._patch_value(text[], text, anyarray, anyelement) IS
  'Internal: the value at id''s position among the sorted ids, or old where it is NULL';
CREATE FUNCTION annotations._patch_enum(ids text[], id text, vals oid[], old anyenum)
    RETURNS anyenum
    AS 'MODULE_PATHNAME', 'annotations_patch_enum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._patch_enum(text[], text, oid[], anyenum) IS
  'Internal: like _patch_value, for an enum column whose new values are given as the oids of its labels';
-- == end of patch values picked by id ==

-- == last: internal functions closed (keep this section at the end) ==
-- Functions whose names start with an underscore are internal: the API
-- calls them in C, or tests call them as a superuser. None may be called by
-- other roles, since none was written to be called with arguments a caller
-- crafted.
DO $closed$
DECLARE
    f pg_catalog.regprocedure;
BEGIN
    FOR f IN SELECT p.oid::pg_catalog.regprocedure FROM pg_catalog.pg_proc p
              WHERE p.pronamespace OPERATOR(pg_catalog.=) 'annotations'::pg_catalog.regnamespace
                AND p.proname OPERATOR(pg_catalog.~~) '\_%'
              ORDER BY 1
    LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END
$closed$;
-- == end of internal functions closed ==
