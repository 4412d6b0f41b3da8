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
