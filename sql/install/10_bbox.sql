-- ---------------------------------------------------------------------------
-- annotations.bbox: a normalized bounding box (src/bbox.c, src/bbox_gist.c).
-- Four float4 in Clarifai order, 16 bytes, ALIGNMENT int4: every field is a
-- float4, so 4-byte alignment is all the C code needs, and it adds no
-- padding next to int4 columns (double alignment could waste 4 bytes).
-- ---------------------------------------------------------------------------

CREATE TYPE annotations.bbox;

CREATE FUNCTION annotations.bbox_in(pg_catalog.cstring)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'bbox_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION annotations.bbox_out(annotations.bbox)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'bbox_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION annotations.bbox_recv(pg_catalog.internal)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'bbox_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION annotations.bbox_send(annotations.bbox)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'bbox_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE annotations.bbox (
    INPUT = annotations.bbox_in,
    OUTPUT = annotations.bbox_out,
    RECEIVE = annotations.bbox_recv,
    SEND = annotations.bbox_send,
    INTERNALLENGTH = 16,
    ALIGNMENT = int4,
    STORAGE = plain,
    -- the preferred type of its category: iou('…', '…') with untyped
    -- literals means two boxes, although iou also takes polygons and masks
    PREFERRED = true
);

COMMENT ON TYPE annotations.bbox IS
  'normalized bounding box (top_row,left_col,bottom_row,right_col), four float4 in [0,1] with top_row < bottom_row and left_col < right_col';
COMMENT ON FUNCTION annotations.bbox_in(pg_catalog.cstring) IS
  'text input of bbox: (top_row,left_col,bottom_row,right_col)';
COMMENT ON FUNCTION annotations.bbox_out(annotations.bbox) IS
  'text output of bbox, shortest spelling that reads back to the same value';
COMMENT ON FUNCTION annotations.bbox_recv(pg_catalog.internal) IS
  'binary input of bbox (four float4), validated';
COMMENT ON FUNCTION annotations.bbox_send(annotations.bbox) IS
  'binary output of bbox (four float4)';

-- Constructor ---------------------------------------------------------------

CREATE FUNCTION annotations.bbox(top_row pg_catalog.float8, left_col pg_catalog.float8,
                                 bottom_row pg_catalog.float8, right_col pg_catalog.float8)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'bbox_construct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.bbox(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
  'builds a bbox from top_row, left_col, bottom_row, right_col (rounded to float4, then validated)';

-- JSON ----------------------------------------------------------------------

CREATE FUNCTION annotations.bbox(pg_catalog.jsonb)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'bbox_from_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION annotations.bbox_to_jsonb(annotations.bbox)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'bbox_to_jsonb_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION annotations.bbox_to_json(annotations.bbox)
RETURNS pg_catalog.json
AS 'MODULE_PATHNAME', 'bbox_to_json_cast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (pg_catalog.jsonb AS annotations.bbox)
  WITH FUNCTION annotations.bbox(pg_catalog.jsonb);
CREATE CAST (annotations.bbox AS pg_catalog.jsonb)
  WITH FUNCTION annotations.bbox_to_jsonb(annotations.bbox);
CREATE CAST (annotations.bbox AS pg_catalog.json)
  WITH FUNCTION annotations.bbox_to_json(annotations.bbox);

COMMENT ON FUNCTION annotations.bbox(pg_catalog.jsonb) IS
  'bbox from the Clarifai object {"top_row":…,"left_col":…,"bottom_row":…,"right_col":…} (all four keys, numbers only)';
COMMENT ON FUNCTION annotations.bbox_to_jsonb(annotations.bbox) IS
  'the Clarifai bounding_box object of a bbox, as jsonb';
COMMENT ON FUNCTION annotations.bbox_to_json(annotations.bbox) IS
  'the Clarifai bounding_box object of a bbox, as json in Clarifai key order (used by to_json, to_jsonb, jsonb_build_object)';
COMMENT ON CAST (pg_catalog.jsonb AS annotations.bbox) IS
  'Clarifai bounding_box object to bbox';
COMMENT ON CAST (annotations.bbox AS pg_catalog.jsonb) IS
  'bbox to the Clarifai bounding_box object';
COMMENT ON CAST (annotations.bbox AS pg_catalog.json) IS
  'bbox to the Clarifai bounding_box object';

-- B-tree and hash -----------------------------------------------------------

CREATE FUNCTION annotations.bbox_eq(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_ne(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_lt(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_le(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_gt(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_ge(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_cmp(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'bbox_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_hash(annotations.bbox)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'bbox_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_hash_extended(annotations.bbox, pg_catalog.int8)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'bbox_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION annotations.bbox_eq(annotations.bbox, annotations.bbox) IS 'implementation of = for bbox';
COMMENT ON FUNCTION annotations.bbox_ne(annotations.bbox, annotations.bbox) IS 'implementation of <> for bbox';
COMMENT ON FUNCTION annotations.bbox_lt(annotations.bbox, annotations.bbox) IS 'implementation of < for bbox';
COMMENT ON FUNCTION annotations.bbox_le(annotations.bbox, annotations.bbox) IS 'implementation of <= for bbox';
COMMENT ON FUNCTION annotations.bbox_gt(annotations.bbox, annotations.bbox) IS 'implementation of > for bbox';
COMMENT ON FUNCTION annotations.bbox_ge(annotations.bbox, annotations.bbox) IS 'implementation of >= for bbox';
COMMENT ON FUNCTION annotations.bbox_cmp(annotations.bbox, annotations.bbox) IS
  'B-tree comparison of bbox: by top_row, then left_col, bottom_row, right_col';
COMMENT ON FUNCTION annotations.bbox_hash(annotations.bbox) IS 'hash of a bbox, consistent with =';
COMMENT ON FUNCTION annotations.bbox_hash_extended(annotations.bbox, pg_catalog.int8) IS
  'seeded 64-bit hash of a bbox, consistent with =';

CREATE OPERATOR annotations.= (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_eq,
    COMMUTATOR = OPERATOR(annotations.=), NEGATOR = OPERATOR(annotations.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR annotations.<> (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_ne,
    COMMUTATOR = OPERATOR(annotations.<>), NEGATOR = OPERATOR(annotations.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR annotations.< (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_lt,
    COMMUTATOR = OPERATOR(annotations.>), NEGATOR = OPERATOR(annotations.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR annotations.<= (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_le,
    COMMUTATOR = OPERATOR(annotations.>=), NEGATOR = OPERATOR(annotations.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR annotations.> (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_gt,
    COMMUTATOR = OPERATOR(annotations.<), NEGATOR = OPERATOR(annotations.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR annotations.>= (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_ge,
    COMMUTATOR = OPERATOR(annotations.<=), NEGATOR = OPERATOR(annotations.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

COMMENT ON OPERATOR annotations.= (annotations.bbox, annotations.bbox) IS 'same bounding box';
COMMENT ON OPERATOR annotations.<> (annotations.bbox, annotations.bbox) IS 'different bounding boxes';
COMMENT ON OPERATOR annotations.< (annotations.bbox, annotations.bbox) IS 'less than (by top_row, left_col, bottom_row, right_col)';
COMMENT ON OPERATOR annotations.<= (annotations.bbox, annotations.bbox) IS 'less than or equal (by top_row, left_col, bottom_row, right_col)';
COMMENT ON OPERATOR annotations.> (annotations.bbox, annotations.bbox) IS 'greater than (by top_row, left_col, bottom_row, right_col)';
COMMENT ON OPERATOR annotations.>= (annotations.bbox, annotations.bbox) IS 'greater than or equal (by top_row, left_col, bottom_row, right_col)';

CREATE OPERATOR CLASS annotations.bbox_btree_ops
DEFAULT FOR TYPE annotations.bbox USING btree AS
    OPERATOR 1 annotations.<,
    OPERATOR 2 annotations.<=,
    OPERATOR 3 annotations.=,
    OPERATOR 4 annotations.>=,
    OPERATOR 5 annotations.>,
    FUNCTION 1 annotations.bbox_cmp(annotations.bbox, annotations.bbox);

CREATE OPERATOR CLASS annotations.bbox_hash_ops
DEFAULT FOR TYPE annotations.bbox USING hash AS
    OPERATOR 1 annotations.=,
    FUNCTION 1 annotations.bbox_hash(annotations.bbox),
    FUNCTION 2 annotations.bbox_hash_extended(annotations.bbox, pg_catalog.int8);

COMMENT ON OPERATOR CLASS annotations.bbox_btree_ops USING btree IS
  'default B-tree ordering of bbox: by top_row, then left_col, bottom_row, right_col';
COMMENT ON OPERATOR CLASS annotations.bbox_hash_ops USING hash IS
  'default hash operator class of bbox';
COMMENT ON OPERATOR FAMILY annotations.bbox_btree_ops USING btree IS
  'B-tree operators of bbox';
COMMENT ON OPERATOR FAMILY annotations.bbox_hash_ops USING hash IS
  'hash operators of bbox';

-- Geometry ------------------------------------------------------------------

CREATE FUNCTION annotations.bbox_overlaps(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_overlaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_contains(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION annotations.bbox_contained(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_contained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION annotations.bbox_overlaps(annotations.bbox, annotations.bbox) IS
  'implementation of && for bbox';
COMMENT ON FUNCTION annotations.bbox_contains(annotations.bbox, annotations.bbox) IS
  'implementation of @> for bbox';
COMMENT ON FUNCTION annotations.bbox_contained(annotations.bbox, annotations.bbox) IS
  'implementation of <@ for bbox';

CREATE OPERATOR annotations.&& (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_overlaps,
    COMMUTATOR = OPERATOR(annotations.&&),
    RESTRICT = pg_catalog.areasel, JOIN = pg_catalog.areajoinsel
);
CREATE OPERATOR annotations.@> (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_contains,
    COMMUTATOR = OPERATOR(annotations.<@),
    RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR annotations.<@ (
    LEFTARG = annotations.bbox, RIGHTARG = annotations.bbox,
    FUNCTION = annotations.bbox_contained,
    COMMUTATOR = OPERATOR(annotations.@>),
    RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);

COMMENT ON OPERATOR annotations.&& (annotations.bbox, annotations.bbox) IS
  'overlaps (boxes that only touch overlap)';
COMMENT ON OPERATOR annotations.@> (annotations.bbox, annotations.bbox) IS 'contains';
COMMENT ON OPERATOR annotations.<@ (annotations.bbox, annotations.bbox) IS 'is contained by';

CREATE FUNCTION annotations.area(annotations.bbox)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'bbox_area' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.iou(annotations.bbox, annotations.bbox)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'bbox_iou' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.intersection(annotations.bbox, annotations.bbox)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'bbox_intersection' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.area(annotations.bbox) IS
  'area of a bbox as a fraction of the image';
COMMENT ON FUNCTION annotations.iou(annotations.bbox, annotations.bbox) IS
  'intersection over union of two bboxes (0 when the shared part has no area)';
COMMENT ON FUNCTION annotations.intersection(annotations.bbox, annotations.bbox) IS
  'the shared part of two bboxes (NULL when it has no area)';

-- GiST ----------------------------------------------------------------------

CREATE FUNCTION annotations.bbox_gist_consistent(pg_catalog.internal, annotations.bbox,
                                                 pg_catalog.int2, pg_catalog.oid, pg_catalog.internal)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'bbox_gist_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.bbox_gist_union(pg_catalog.internal, pg_catalog.internal)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'bbox_gist_union' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.bbox_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'bbox_gist_penalty' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.bbox_gist_picksplit(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'bbox_gist_picksplit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.bbox_gist_same(annotations.bbox, annotations.bbox, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'bbox_gist_same' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.bbox_gist_consistent(pg_catalog.internal, annotations.bbox, pg_catalog.int2, pg_catalog.oid, pg_catalog.internal) IS
  'GiST support for bbox: consistent';
COMMENT ON FUNCTION annotations.bbox_gist_union(pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for bbox: union';
COMMENT ON FUNCTION annotations.bbox_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for bbox: penalty (area enlargement)';
COMMENT ON FUNCTION annotations.bbox_gist_picksplit(pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for bbox: picksplit (R*-tree split)';
COMMENT ON FUNCTION annotations.bbox_gist_same(annotations.bbox, annotations.bbox, pg_catalog.internal) IS
  'GiST support for bbox: same';

-- Strategy numbers are core box_ops' (RTOverlap 3, RTSame 6, RTContains 7,
-- RTContainedBy 8).
CREATE OPERATOR CLASS annotations.bbox_gist_ops
DEFAULT FOR TYPE annotations.bbox USING gist AS
    OPERATOR 3 annotations.&&,
    OPERATOR 6 annotations.=,
    OPERATOR 7 annotations.@>,
    OPERATOR 8 annotations.<@,
    FUNCTION 1 annotations.bbox_gist_consistent(pg_catalog.internal, annotations.bbox, pg_catalog.int2, pg_catalog.oid, pg_catalog.internal),
    FUNCTION 2 annotations.bbox_gist_union(pg_catalog.internal, pg_catalog.internal),
    FUNCTION 5 annotations.bbox_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal),
    FUNCTION 6 annotations.bbox_gist_picksplit(pg_catalog.internal, pg_catalog.internal),
    FUNCTION 7 annotations.bbox_gist_same(annotations.bbox, annotations.bbox, pg_catalog.internal);

COMMENT ON OPERATOR CLASS annotations.bbox_gist_ops USING gist IS
  'default GiST operator class of bbox: &&, =, @>, <@';
COMMENT ON OPERATOR FAMILY annotations.bbox_gist_ops USING gist IS
  'GiST operators of bbox';

-- COCO ----------------------------------------------------------------------

CREATE FUNCTION annotations.to_coco(annotations.bbox, width pg_catalog.int4, height pg_catalog.int4)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'bbox_to_coco_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.from_coco(pg_catalog.float8[], width pg_catalog.int4, height pg_catalog.int4)
RETURNS annotations.bbox
AS 'MODULE_PATHNAME', 'bbox_from_coco_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.to_coco(annotations.bbox, pg_catalog.int4, pg_catalog.int4) IS
  'COCO box [x, y, w, h] in pixels of a width x height image';
COMMENT ON FUNCTION annotations.from_coco(pg_catalog.float8[], pg_catalog.int4, pg_catalog.int4) IS
  'bbox from a COCO box [x, y, w, h] in pixels of a width x height image';
