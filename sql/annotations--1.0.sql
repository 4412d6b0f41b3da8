-- annotations 1.0 install script, assembled by the Makefile from
-- sql/install/NN_kind.sql in name order. Every reference is schema-qualified.

\echo Use "CREATE EXTENSION annotations" to load this file. \quit
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
    STORAGE = plain
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
-- Review statuses: the states a label moves through from posting to review.

CREATE TYPE annotations.status AS ENUM (
    'success', 'pending', 'failed', 'unknown',
    'awaiting_review', 'review_denied', 'awaiting_consensus_review');
COMMENT ON TYPE annotations.status IS
  'Annotation review status; Clarifai codes 24150 (success) to 24159 (awaiting_consensus_review)';

CREATE FUNCTION annotations.status_code(annotations.status) RETURNS integer
    AS 'MODULE_PATHNAME', 'annotations_status_code'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.status_code(annotations.status) IS
  'Clarifai status code of a status, e.g. 24150 for success';

CREATE FUNCTION annotations.status_from_code(integer) RETURNS annotations.status
    AS 'MODULE_PATHNAME', 'annotations_status_from_code'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.status_from_code(integer) IS
  'Status of a Clarifai annotation status code, e.g. pending for 24151; 22023 for any other code';

CREATE FUNCTION annotations.status_description(annotations.status) RETURNS text
    AS 'MODULE_PATHNAME', 'annotations_status_description'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations.status_description(annotations.status) IS
  'Human-readable description of a status, as in Clarifai''s status.description';

-- Comparison operators of its own for the status type. Core enum_eq is not
-- LEAKPROOF, so for a role under row-level security the planner may not use
-- "status = $1" as an index condition below the policies' quals and would
-- walk the app's whole list index filtering; these wrap the same core
-- functions and are declared leakproof (comparing two enum values reveals
-- nothing and cannot fail), so annotations_status_idx serves the list.
CREATE FUNCTION annotations.status_eq(annotations.status, annotations.status) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE AS 'enum_eq';
CREATE FUNCTION annotations.status_ne(annotations.status, annotations.status) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE AS 'enum_ne';
CREATE FUNCTION annotations.status_lt(annotations.status, annotations.status) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'enum_lt';
CREATE FUNCTION annotations.status_le(annotations.status, annotations.status) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'enum_le';
CREATE FUNCTION annotations.status_gt(annotations.status, annotations.status) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'enum_gt';
CREATE FUNCTION annotations.status_ge(annotations.status, annotations.status) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'enum_ge';
CREATE FUNCTION annotations.status_cmp(annotations.status, annotations.status) RETURNS integer
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'enum_cmp';
CREATE FUNCTION annotations.status_hash(annotations.status) RETURNS integer
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE AS 'hashenum';
COMMENT ON FUNCTION annotations.status_eq(annotations.status, annotations.status) IS 'Equality of statuses (leakproof)';
COMMENT ON FUNCTION annotations.status_ne(annotations.status, annotations.status) IS 'Inequality of statuses (leakproof)';
COMMENT ON FUNCTION annotations.status_lt(annotations.status, annotations.status) IS 'Status order: less than';
COMMENT ON FUNCTION annotations.status_le(annotations.status, annotations.status) IS 'Status order: less than or equal';
COMMENT ON FUNCTION annotations.status_gt(annotations.status, annotations.status) IS 'Status order: greater than';
COMMENT ON FUNCTION annotations.status_ge(annotations.status, annotations.status) IS 'Status order: greater than or equal';
COMMENT ON FUNCTION annotations.status_cmp(annotations.status, annotations.status) IS 'B-tree support: compares two statuses';
COMMENT ON FUNCTION annotations.status_hash(annotations.status) IS 'Hash support for statuses';

CREATE OPERATOR annotations.= (
    LEFTARG = annotations.status, RIGHTARG = annotations.status,
    FUNCTION = annotations.status_eq,
    COMMUTATOR = OPERATOR(annotations.=), NEGATOR = OPERATOR(annotations.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR annotations.<> (
    LEFTARG = annotations.status, RIGHTARG = annotations.status,
    FUNCTION = annotations.status_ne,
    COMMUTATOR = OPERATOR(annotations.<>), NEGATOR = OPERATOR(annotations.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR annotations.< (
    LEFTARG = annotations.status, RIGHTARG = annotations.status,
    FUNCTION = annotations.status_lt,
    COMMUTATOR = OPERATOR(annotations.>), NEGATOR = OPERATOR(annotations.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR annotations.<= (
    LEFTARG = annotations.status, RIGHTARG = annotations.status,
    FUNCTION = annotations.status_le,
    COMMUTATOR = OPERATOR(annotations.>=), NEGATOR = OPERATOR(annotations.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR annotations.> (
    LEFTARG = annotations.status, RIGHTARG = annotations.status,
    FUNCTION = annotations.status_gt,
    COMMUTATOR = OPERATOR(annotations.<), NEGATOR = OPERATOR(annotations.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR annotations.>= (
    LEFTARG = annotations.status, RIGHTARG = annotations.status,
    FUNCTION = annotations.status_ge,
    COMMUTATOR = OPERATOR(annotations.<=), NEGATOR = OPERATOR(annotations.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR annotations.= (annotations.status, annotations.status) IS 'equal (leakproof, indexable under row-level security)';
COMMENT ON OPERATOR annotations.<> (annotations.status, annotations.status) IS 'not equal';
COMMENT ON OPERATOR annotations.< (annotations.status, annotations.status) IS 'less than, in review order';
COMMENT ON OPERATOR annotations.<= (annotations.status, annotations.status) IS 'less than or equal, in review order';
COMMENT ON OPERATOR annotations.> (annotations.status, annotations.status) IS 'greater than, in review order';
COMMENT ON OPERATOR annotations.>= (annotations.status, annotations.status) IS 'greater than or equal, in review order';

CREATE OPERATOR CLASS annotations.status_btree_ops
    DEFAULT FOR TYPE annotations.status USING btree AS
        OPERATOR 1 annotations.<,
        OPERATOR 2 annotations.<=,
        OPERATOR 3 annotations.=,
        OPERATOR 4 annotations.>=,
        OPERATOR 5 annotations.>,
        FUNCTION 1 annotations.status_cmp(annotations.status, annotations.status);
CREATE OPERATOR CLASS annotations.status_hash_ops
    DEFAULT FOR TYPE annotations.status USING hash AS
        OPERATOR 1 annotations.=,
        FUNCTION 1 annotations.status_hash(annotations.status);
COMMENT ON OPERATOR CLASS annotations.status_btree_ops USING btree IS
  'Default B-tree operator class for statuses, built on the leakproof equality';
COMMENT ON OPERATOR CLASS annotations.status_hash_ops USING hash IS
  'Default hash operator class for statuses';
-- Tables. Every table is keyed by app_id first, and every primary
-- key, unique constraint and foreign key between them includes app_id, so a
-- Citus cluster can distribute them all by app_id.

CREATE TABLE annotations.apps (
    id          text        NOT NULL PRIMARY KEY,
    owner_id    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    UNIQUE (id, owner_id)
);
COMMENT ON TABLE annotations.apps IS 'Apps: tenants that own inputs and annotations';
COMMENT ON COLUMN annotations.apps.id IS 'App id';
COMMENT ON COLUMN annotations.apps.owner_id IS 'Role that owns the app';
COMMENT ON COLUMN annotations.apps.created_at IS 'When the app was created';

CREATE TABLE annotations.collaborators (
    app_id      text        NOT NULL,
    user_id     text        NOT NULL,
    owner_id    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (app_id, user_id),
    -- the copied owner must be the app's real owner
    FOREIGN KEY (app_id, owner_id) REFERENCES annotations.apps (id, owner_id)
        ON DELETE CASCADE ON UPDATE CASCADE
);
COMMENT ON TABLE annotations.collaborators IS 'Roles other than the owner that work in an app';
COMMENT ON COLUMN annotations.collaborators.app_id IS 'App id';
COMMENT ON COLUMN annotations.collaborators.user_id IS 'Collaborating role';
COMMENT ON COLUMN annotations.collaborators.owner_id IS
  'The app''s owner, copied so row-level security on this table needs no look-up in apps';
COMMENT ON COLUMN annotations.collaborators.created_at IS 'When the collaborator was added';

CREATE TABLE annotations.inputs (
    app_id      text        NOT NULL REFERENCES annotations.apps (id) ON DELETE CASCADE,
    id          text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    modified_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (app_id, id),
    CHECK (pg_catalog.jsonb_typeof(data) OPERATOR(pg_catalog.=) 'object')
);
COMMENT ON TABLE annotations.inputs IS 'Inputs: images, videos, texts and audio to be labeled';
COMMENT ON COLUMN annotations.inputs.app_id IS 'App id';
COMMENT ON COLUMN annotations.inputs.id IS 'Input id, unique in its app';
COMMENT ON COLUMN annotations.inputs.data IS
  'Clarifai input data: one of image, video, text, audio; concepts; metadata';
COMMENT ON COLUMN annotations.inputs.created_at IS 'When the input was posted';
COMMENT ON COLUMN annotations.inputs.modified_at IS 'When the input last changed';

-- seq orders annotations oldest to newest across the whole database; it is
-- the keyset of every list.
CREATE SEQUENCE annotations.annotation_seq;

CREATE TABLE annotations.annotations (
    app_id                 text        NOT NULL,
    id                     text        NOT NULL,
    input_id               text        NOT NULL,
    seq                    bigint      NOT NULL DEFAULT pg_catalog.nextval('annotations.annotation_seq'),
    user_id                text,
    model_version_id       text,
    embed_model_version_id text,
    task_id                text,
    status                 annotations.status NOT NULL DEFAULT 'success',
    input_level            boolean     NOT NULL DEFAULT false,
    concepts               jsonb       NOT NULL DEFAULT '[]',
    frame_index            integer     CHECK (frame_index OPERATOR(pg_catalog.>=) 0),
    frame_time             integer     CHECK (frame_time OPERATOR(pg_catalog.>=) 0),
    annotation_info        jsonb       NOT NULL DEFAULT '{}',
    created_at             timestamptz NOT NULL DEFAULT pg_catalog.now(),
    modified_at            timestamptz NOT NULL DEFAULT pg_catalog.now(),
    -- listed: what list_annotations shows without naming ids (an input-level
    -- annotation only when it carries concepts); the list indexes are partial on it.
    listed                 boolean     NOT NULL GENERATED ALWAYS AS
        (NOT input_level OR concepts OPERATOR(pg_catalog.<>) '[]'::jsonb) STORED,
    PRIMARY KEY (app_id, id),
    FOREIGN KEY (app_id, input_id) REFERENCES annotations.inputs (app_id, id) ON DELETE CASCADE,
    CHECK ((user_id IS NULL) OPERATOR(pg_catalog.<>) (model_version_id IS NULL)),
    CHECK (NOT input_level OR model_version_id IS NULL),
    CHECK (pg_catalog.jsonb_typeof(concepts) OPERATOR(pg_catalog.=) 'array'),
    CHECK (pg_catalog.jsonb_typeof(annotation_info) OPERATOR(pg_catalog.=) 'object')
);
COMMENT ON TABLE annotations.annotations IS
  'Annotations: labels on inputs (whole-input concepts, at most one region, at most one video frame)';
COMMENT ON COLUMN annotations.annotations.app_id IS 'App id';
COMMENT ON COLUMN annotations.annotations.id IS 'Annotation id, unique in its app';
COMMENT ON COLUMN annotations.annotations.input_id IS 'The input labeled';
COMMENT ON COLUMN annotations.annotations.seq IS 'Creation order, oldest first; the keyset for paging (after => seq)';
COMMENT ON COLUMN annotations.annotations.user_id IS 'User who wrote it (NULL when a model did)';
COMMENT ON COLUMN annotations.annotations.model_version_id IS 'Model version that wrote it (NULL when a user did)';
COMMENT ON COLUMN annotations.annotations.embed_model_version_id IS 'Embedding model version to index it with';
COMMENT ON COLUMN annotations.annotations.task_id IS 'Labeling task it belongs to';
COMMENT ON COLUMN annotations.annotations.status IS 'Review status';
COMMENT ON COLUMN annotations.annotations.input_level IS 'True for the annotation created with its input; deleted only with it';
COMMENT ON COLUMN annotations.annotations.concepts IS 'Whole-input concepts: [{"id", "name"?, "value"}]';
COMMENT ON COLUMN annotations.annotations.frame_index IS 'Video frame index, when the annotation sits in a frame';
COMMENT ON COLUMN annotations.annotations.frame_time IS 'Video frame time in milliseconds';
COMMENT ON COLUMN annotations.annotations.annotation_info IS 'Free-form JSON object';
COMMENT ON COLUMN annotations.annotations.created_at IS 'When it was posted';
COMMENT ON COLUMN annotations.annotations.modified_at IS 'When it last changed';
COMMENT ON COLUMN annotations.annotations.listed IS
  'Whether list_annotations shows it without naming it (false for an input-level annotation without concepts)';

-- One index per list filter, each in keyset (seq) order, partial on what is
-- listed so a page never walks past hidden rows.
CREATE INDEX annotations_user_list_idx ON annotations.annotations (app_id, seq)
    WHERE listed AND model_version_id IS NULL;
CREATE INDEX annotations_all_list_idx ON annotations.annotations (app_id, seq)
    WHERE listed;
CREATE INDEX annotations_input_idx ON annotations.annotations (app_id, input_id, seq);
CREATE INDEX annotations_user_idx ON annotations.annotations (app_id, user_id, seq)
    WHERE listed AND user_id IS NOT NULL;
CREATE INDEX annotations_model_idx ON annotations.annotations (app_id, model_version_id, seq)
    WHERE listed AND model_version_id IS NOT NULL;
CREATE INDEX annotations_status_idx ON annotations.annotations (app_id, status, seq)
    WHERE listed;
-- one input-level annotation per input (post_inputs makes it, delete_inputs
-- takes it away); the index also closes a race in the insert policy
CREATE UNIQUE INDEX annotations_input_level_idx ON annotations.annotations (app_id, input_id)
    WHERE input_level;
CREATE INDEX annotations_task_idx ON annotations.annotations (app_id, task_id, seq)
    WHERE listed AND task_id IS NOT NULL;

CREATE TABLE annotations.regions (
    app_id        text   NOT NULL,
    annotation_id text   NOT NULL,
    id            text   NOT NULL,
    input_id      text   NOT NULL,
    bbox          annotations.bbox NOT NULL,
    concepts      jsonb  NOT NULL DEFAULT '[]',
    PRIMARY KEY (app_id, annotation_id),
    FOREIGN KEY (app_id, annotation_id) REFERENCES annotations.annotations (app_id, id) ON DELETE CASCADE,
    CHECK (pg_catalog.jsonb_typeof(concepts) OPERATOR(pg_catalog.=) 'array')
);
COMMENT ON TABLE annotations.regions IS 'The region of an annotation (at most one each): a bounding box with its own concepts';
COMMENT ON COLUMN annotations.regions.app_id IS 'App id';
COMMENT ON COLUMN annotations.regions.annotation_id IS 'The annotation this region belongs to';
COMMENT ON COLUMN annotations.regions.id IS
  'Region id; annotations that label the same region share it';
COMMENT ON COLUMN annotations.regions.input_id IS 'The input (copied from the annotation, to find regions by id on an input)';
COMMENT ON COLUMN annotations.regions.bbox IS 'Bounding box, normalized to [0,1]';
COMMENT ON COLUMN annotations.regions.concepts IS 'Concepts of the region: [{"id", "name"?, "value"}]';

CREATE INDEX regions_by_id_idx ON annotations.regions (app_id, input_id, id);
CREATE INDEX regions_bbox_idx ON annotations.regions USING gist (bbox);

-- pg_dump keeps the data of these tables (they belong to the extension).
SELECT pg_catalog.pg_extension_config_dump('annotations.apps', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.collaborators', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.inputs', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.annotations', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.regions', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.annotation_seq', '');

-- The row every API function returns.
CREATE TYPE annotations.annotation AS (
    app_id                 text,
    id                     text,
    input_id               text,
    seq                    bigint,
    user_id                text,
    model_version_id       text,
    embed_model_version_id text,
    task_id                text,
    status                 annotations.status,
    input_level            boolean,
    concepts               jsonb,
    region_id              text,
    bbox                   annotations.bbox,
    region_concepts        jsonb,
    frame_index            integer,
    frame_time             integer,
    annotation_info        jsonb,
    created_at             timestamptz,
    modified_at            timestamptz
);
COMMENT ON TYPE annotations.annotation IS
  'An annotation with its region, as returned by the API functions; render with annotations.to_json';

-- A parsed request item (internal): NULL means "not given".
CREATE TYPE annotations._request AS (
    ord              integer,
    id               text,
    input_id         text,
    user_id          text,
    model_version_id text,
    embed_model_version_id text,
    task_id          text,
    status           text,
    annotation_info  jsonb,
    has_data         boolean,
    concepts         jsonb,
    region_present   boolean,
    region_id        text,
    bbox             annotations.bbox,
    region_concepts  jsonb,
    region_has_data  boolean,
    has_frame        boolean,
    frame_index      integer,
    frame_time       integer
);
COMMENT ON TYPE annotations._request IS 'Internal: one validated request item, as parsed in C';

CREATE TYPE annotations._input_request AS (
    ord      integer,
    id       text,
    data     jsonb,
    concepts jsonb
);
COMMENT ON TYPE annotations._input_request IS 'Internal: one validated input of a post_inputs request';
-- Internal C functions used by the API functions (not for direct use).

CREATE FUNCTION annotations._parse_annotations(batch jsonb, patch boolean)
    RETURNS SETOF annotations._request
    AS 'MODULE_PATHNAME', 'annotations_parse_annotations'
    LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._parse_annotations(jsonb, boolean) IS
  'Internal: validates a batch of 1..128 Clarifai annotations and returns one row per item';

CREATE FUNCTION annotations._parse_inputs(batch jsonb)
    RETURNS SETOF annotations._input_request
    AS 'MODULE_PATHNAME', 'annotations_parse_inputs'
    LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._parse_inputs(jsonb) IS
  'Internal: validates a batch of 1..128 Clarifai inputs and returns one row per item';

CREATE FUNCTION annotations._check_id(id text, what text) RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_check_id'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._check_id(text, text) IS
  'Internal: raises 22023 unless id is 1 to 255 characters without control characters';

CREATE FUNCTION annotations._new_id() RETURNS text
    AS 'MODULE_PATHNAME', 'annotations_new_id'
    LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations._new_id() IS 'Internal: a new random id (32 hex characters)';

-- The acting user's standing in an app: 'owner' or 'collaborator'. An app
-- the user may not see does not exist to them: P0002, as for a missing one.
CREATE FUNCTION annotations._app_role(app_id text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_owner text;
BEGIN
    PERFORM annotations._check_id($1, 'app_id');
    SELECT a.owner_id INTO v_owner FROM annotations.apps a WHERE a.id = $1;
    IF FOUND THEN
        IF v_owner = current_user
           OR (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
               WHERE r.rolname = current_user) THEN
            RETURN 'owner';
        END IF;
        IF EXISTS (SELECT 1 FROM annotations.collaborators c
                   WHERE c.app_id = $1 AND c.user_id = current_user) THEN
            RETURN 'collaborator';
        END IF;
    END IF;
    RAISE EXCEPTION 'app "%" not found', $1
        USING ERRCODE = 'P0002',
              HINT = 'An app exists only for its owner and its collaborators.';
END
$$;
COMMENT ON FUNCTION annotations._app_role(text) IS
  'Internal: ''owner'' or ''collaborator'' for the acting user, P0002 when the app is not visible';

-- 42501 unless the acting user owns the app ("permission denied to <doing>
-- app ..."); P0002 when the app is not visible, as everywhere.
CREATE FUNCTION annotations._require_owner(app_id text, doing text, rule text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF annotations._app_role($1) <> 'owner' THEN
        RAISE EXCEPTION 'permission denied to % app "%"', $2, $1
            USING ERRCODE = '42501', DETAIL = $3;
    END IF;
END
$$;
COMMENT ON FUNCTION annotations._require_owner(text, text, text) IS
  'Internal: 42501 unless the acting user owns the app';

-- Rows of annotations.annotation for some annotations of one app (result of
-- get/post/patch), in seq order.
CREATE FUNCTION annotations._rows(app_id text, ids text[])
    RETURNS SETOF annotations.annotation
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
           a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
           r.id, r.bbox, r.concepts, a.frame_index, a.frame_time, a.annotation_info,
           a.created_at, a.modified_at
      FROM annotations.annotations a
      LEFT JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
     WHERE a.app_id = $1 AND a.id = ANY ($2)
     ORDER BY a.seq;
END
$$;
COMMENT ON FUNCTION annotations._rows(text, text[]) IS
  'Internal: annotation rows with their regions, by id, in seq order';
-- Who may do what, enforced by row-level security so it holds for
-- direct SQL on the tables as much as for the API functions (which run with
-- the caller's rights). Any role may use the tables; the policies decide
-- which rows it sees and may change. Superusers and BYPASSRLS roles skip the
-- policies: they act as owner of every app. Foreign-key cascades (deleting
-- an input deletes its annotations) run as the table owner, unfiltered.
--
-- Column privileges keep what identifies a row fixed, since a policy cannot
-- compare a row's old and new values: an UPDATE may change the content of
-- an annotation or region, never its app, id, input, author, creation order
-- or input-level flag (a collaborator could otherwise un-flag their
-- input-level annotation and delete it, or re-point a row elsewhere). seq
-- and created_at are not insertable either: a forged, early seq would break
-- keyset paging and make a region the "earliest" one that new labels copy
-- geometry from; created_at is what the regions policy trusts below.
--
-- No policy of collaborators looks at apps, so the apps policies may look at
-- collaborators without recursion; the other tables look at apps, whose
-- visibility is itself "owner or collaborator".

GRANT USAGE ON SCHEMA annotations TO PUBLIC;
GRANT SELECT, INSERT, DELETE ON annotations.apps, annotations.collaborators,
      annotations.inputs, annotations.regions TO PUBLIC;
GRANT SELECT, DELETE ON annotations.annotations TO PUBLIC;
GRANT INSERT (app_id, id, input_id, user_id, model_version_id, embed_model_version_id,
              task_id, status, input_level, concepts, frame_index, frame_time,
              annotation_info, modified_at)
      ON annotations.annotations TO PUBLIC;
GRANT UPDATE (embed_model_version_id, task_id, status, concepts, frame_index, frame_time,
              annotation_info, modified_at)
      ON annotations.annotations TO PUBLIC;
GRANT UPDATE (data, modified_at) ON annotations.inputs TO PUBLIC;
GRANT UPDATE (id, bbox, concepts) ON annotations.regions TO PUBLIC;
GRANT USAGE ON SEQUENCE annotations.annotation_seq TO PUBLIC;

ALTER TABLE annotations.apps ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.collaborators ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.inputs ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.annotations ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.regions ENABLE ROW LEVEL SECURITY;

-- apps: seen by owner and collaborators; created for oneself or for a role
-- one is a member of; deleted by the owner. Nobody but a superuser updates
-- them (no UPDATE privilege); the policy stays as a second lock.
-- The collaborator test does not depend on the row, so it runs once per
-- query (a hashed subplan), not once per row of apps: every other table's
-- policy reads apps.
CREATE POLICY apps_select ON annotations.apps FOR SELECT
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
           OR id IN (SELECT c.app_id FROM annotations.collaborators c
                      WHERE c.user_id OPERATOR(pg_catalog.=) CURRENT_USER));
CREATE POLICY apps_insert ON annotations.apps FOR INSERT
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                            WHERE r.rolname OPERATOR(pg_catalog.=) apps.owner_id
                              AND pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER')));
CREATE POLICY apps_update ON annotations.apps FOR UPDATE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER)
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER);
CREATE POLICY apps_delete ON annotations.apps FOR DELETE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER);

-- collaborators: seen by the owner and by the collaborator themselves;
-- added and removed by the owner (owner_id is tied to the app's real owner
-- by a foreign key, so it cannot be forged); never the owner themselves.
CREATE POLICY collaborators_select ON annotations.collaborators FOR SELECT
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
           OR user_id OPERATOR(pg_catalog.=) CURRENT_USER);
CREATE POLICY collaborators_insert ON annotations.collaborators FOR INSERT
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                AND user_id OPERATOR(pg_catalog.<>) owner_id);
CREATE POLICY collaborators_update ON annotations.collaborators FOR UPDATE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER)
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                AND user_id OPERATOR(pg_catalog.<>) owner_id);
CREATE POLICY collaborators_delete ON annotations.collaborators FOR DELETE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER);

-- inputs: members see and post them; only the owner changes or deletes them.
CREATE POLICY inputs_select ON annotations.inputs FOR SELECT
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id));
CREATE POLICY inputs_insert ON annotations.inputs FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id));
CREATE POLICY inputs_update ON annotations.inputs FOR UPDATE
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id
                     AND p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER));
CREATE POLICY inputs_delete ON annotations.inputs FOR DELETE
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id
                     AND p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER));

-- annotations: members see them; the author is the acting user unless the
-- owner says otherwise; nobody patches model-written ones; a collaborator
-- patches and deletes only their own; input-level ones go with their input
-- and come with it: one is written only in the statement that writes its
-- input (as post_inputs does), where the policy cannot see that input yet.
-- (A policy here cannot look at annotations itself: that would recurse.)
CREATE POLICY annotations_select ON annotations.annotations FOR SELECT
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id));
CREATE POLICY annotations_insert ON annotations.annotations FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM annotations.apps p
                         WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                           AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                                OR (annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER
                                    AND annotations.model_version_id IS NULL)))
                AND (NOT input_level
                     OR NOT EXISTS (SELECT 1 FROM annotations.inputs i
                                     WHERE i.app_id OPERATOR(pg_catalog.=) annotations.app_id
                                       AND i.id OPERATOR(pg_catalog.=) annotations.input_id)));
CREATE POLICY annotations_update ON annotations.annotations FOR UPDATE
    USING (model_version_id IS NULL
           AND EXISTS (SELECT 1 FROM annotations.apps p
                        WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                          AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                               OR annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER)))
    WITH CHECK (model_version_id IS NULL
           AND EXISTS (SELECT 1 FROM annotations.apps p
                        WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                          AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                               OR annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
CREATE POLICY annotations_delete ON annotations.annotations FOR DELETE
    USING (NOT input_level
           AND EXISTS (SELECT 1 FROM annotations.apps p
                        WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                          AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                               OR annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));

-- regions follow their annotation: whoever may patch the annotation may
-- write its region, and the region sits on the annotation's input. A
-- model-written annotation gets its region only in the transaction that
-- posts it (created_at is the transaction's start and cannot be updated);
-- afterwards its region is as fixed as the rest of it.
CREATE POLICY regions_select ON annotations.regions FOR SELECT
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) regions.app_id));
CREATE POLICY regions_insert ON annotations.regions FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM annotations.annotations a
                         JOIN annotations.apps p ON p.id OPERATOR(pg_catalog.=) a.app_id
                         WHERE a.app_id OPERATOR(pg_catalog.=) regions.app_id
                           AND a.id OPERATOR(pg_catalog.=) regions.annotation_id
                           AND a.input_id OPERATOR(pg_catalog.=) regions.input_id
                           AND (a.model_version_id IS NULL
                                OR a.created_at OPERATOR(pg_catalog.=) pg_catalog.now())
                           AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                                OR a.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
CREATE POLICY regions_update ON annotations.regions FOR UPDATE
    USING (EXISTS (SELECT 1 FROM annotations.annotations a
                    JOIN annotations.apps p ON p.id OPERATOR(pg_catalog.=) a.app_id
                    WHERE a.app_id OPERATOR(pg_catalog.=) regions.app_id
                      AND a.id OPERATOR(pg_catalog.=) regions.annotation_id
                      AND a.model_version_id IS NULL
                      AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                           OR a.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
CREATE POLICY regions_delete ON annotations.regions FOR DELETE
    USING (EXISTS (SELECT 1 FROM annotations.annotations a
                    JOIN annotations.apps p ON p.id OPERATOR(pg_catalog.=) a.app_id
                    WHERE a.app_id OPERATOR(pg_catalog.=) regions.app_id
                      AND a.id OPERATOR(pg_catalog.=) regions.annotation_id
                      AND a.model_version_id IS NULL
                      AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                           OR a.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
-- Apps, collaborators and inputs.

CREATE FUNCTION annotations.create_app(id text, owner_id text DEFAULT current_user)
    RETURNS annotations.apps
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_app   annotations.apps;
    v_count bigint;
BEGIN
    PERFORM annotations._check_id($1, 'id');
    PERFORM annotations._check_id($2, 'owner_id');
    IF $2 <> current_user
       AND NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
       AND NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = $2)
                AND pg_catalog.pg_has_role(current_user, $2, 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied to create app "%" for owner "%"', $1, $2
            USING ERRCODE = '42501',
                  DETAIL = 'Only members of a role (or superusers) may create apps owned by it.';
    END IF;
    -- no RETURNING: an app made for another role is not visible to its maker
    INSERT INTO annotations.apps AS a (id, owner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count = 0 THEN
        RAISE EXCEPTION 'app "%" already exists', $1 USING ERRCODE = '23505';
    END IF;
    v_app := ROW($1, $2, pg_catalog.now());
    RETURN v_app;
END
$$;
COMMENT ON FUNCTION annotations.create_app(text, text) IS
  'Creates an app owned by owner_id (default: the acting user)';

CREATE FUNCTION annotations.add_collaborator(app_id text, user_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_owner text;
BEGIN
    PERFORM annotations._check_id($2, 'user_id');
    PERFORM annotations._require_owner($1, 'add a collaborator to', 'Only the app owner manages collaborators.');
    SELECT a.owner_id INTO v_owner FROM annotations.apps a WHERE a.id = $1;
    IF v_owner = $2 THEN
        RAISE EXCEPTION 'user "%" owns app "%" and cannot also be a collaborator', $2, $1
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO annotations.collaborators AS c (app_id, user_id, owner_id)
        VALUES ($1, $2, v_owner);
EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'user "%" is already a collaborator of app "%"', $2, $1 USING ERRCODE = '23505';
END
$$;
COMMENT ON FUNCTION annotations.add_collaborator(text, text) IS
  'Adds a collaborator to an app (owner only)';

CREATE FUNCTION annotations.remove_collaborator(app_id text, user_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM annotations._check_id($2, 'user_id');
    PERFORM annotations._require_owner($1, 'remove a collaborator from', 'Only the app owner manages collaborators.');
    DELETE FROM annotations.collaborators c WHERE c.app_id = $1 AND c.user_id = $2;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user "%" is not a collaborator of app "%"', $2, $1 USING ERRCODE = 'P0002';
    END IF;
END
$$;
COMMENT ON FUNCTION annotations.remove_collaborator(text, text) IS
  'Removes a collaborator from an app (owner only); they become a stranger to it';

CREATE FUNCTION annotations.post_inputs(app_id text, inputs jsonb)
    RETURNS SETOF annotations.inputs
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app  text := $1;
    v_reqs annotations._input_request[];
    v_rows annotations.inputs[];
    v_bad  record;
BEGIN
    PERFORM annotations._app_role(v_app);
    v_reqs := ARRAY(SELECT r FROM annotations._parse_inputs($2) r);

    -- Insert what is new; a taken id shows as a missing row and fails the
    -- whole call below (the error rolls back everything written here).
    WITH ins AS (
        INSERT INTO annotations.inputs AS i (app_id, id, data)
        SELECT v_app, r.id, r.data FROM pg_catalog.unnest(v_reqs) r ORDER BY r.ord
        ON CONFLICT DO NOTHING
        RETURNING i.*
    ), lvl AS (
        -- each input gets its input-level annotation, written by the poster
        INSERT INTO annotations.annotations (app_id, id, input_id, user_id, input_level, concepts)
        SELECT v_app, annotations._new_id(), r.id, current_user, true, r.concepts
          FROM pg_catalog.unnest(v_reqs) r JOIN ins ON ins.id = r.id ORDER BY r.ord
    )
    SELECT pg_catalog.array_agg(ins ORDER BY r.ord) INTO v_rows
      FROM ins JOIN pg_catalog.unnest(v_reqs) r ON r.id = ins.id;

    IF COALESCE(pg_catalog.cardinality(v_rows), 0) < pg_catalog.cardinality(v_reqs) THEN
        SELECT r.ord, r.id INTO v_bad FROM pg_catalog.unnest(v_reqs) r
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(v_rows) w WHERE w.id = r.id)
         ORDER BY r.ord LIMIT 1;
        RAISE EXCEPTION 'inputs[%].id: input "%" already exists in app "%"', v_bad.ord, v_bad.id, v_app
            USING ERRCODE = '23505';
    END IF;
    RETURN QUERY SELECT * FROM pg_catalog.unnest(v_rows);
END
$$;
COMMENT ON FUNCTION annotations.post_inputs(text, jsonb) IS
  'Adds 1..128 inputs; each gets its input-level annotation carrying the concepts given with it';

CREATE FUNCTION annotations.delete_inputs(app_id text, ids text[])
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_missing text;
    v_count   bigint;
BEGIN
    PERFORM annotations._require_owner($1, 'delete inputs of', 'Only the app owner deletes inputs.');
    IF $2 IS NULL OR pg_catalog.cardinality($2) = 0 OR pg_catalog.array_position($2, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'ids must be a non-empty array of input ids without NULLs' USING ERRCODE = '22023';
    END IF;
    SELECT u.id INTO v_missing FROM pg_catalog.unnest($2) WITH ORDINALITY u(id, n)
     WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = u.id)
     ORDER BY u.n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'input "%" not found in app "%"', v_missing, $1 USING ERRCODE = 'P0002';
    END IF;
    DELETE FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = ANY ($2);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;
COMMENT ON FUNCTION annotations.delete_inputs(text, text[]) IS
  'Deletes inputs with all their annotations (owner only); returns how many inputs were deleted';
-- Posting, reading and deleting annotations.

CREATE FUNCTION annotations.post_annotations(app_id text, annotations jsonb)
    RETURNS SETOF annotations.annotation
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app  text := $1;
    v_role text;
    v_reqs annotations._request[];
    v_rows annotations.annotation[];
    v_ins  annotations.annotations[];
    v_bad  record;
BEGIN
    v_role := annotations._app_role(v_app);
    v_reqs := ARRAY(SELECT r FROM annotations._parse_annotations($2, false) r);

    -- who may be named as the author
    IF v_role <> 'owner' THEN
        SELECT r.ord, r.user_id, r.model_version_id INTO v_bad
          FROM pg_catalog.unnest(v_reqs) r
         WHERE r.model_version_id IS NOT NULL OR r.user_id <> current_user
         ORDER BY r.ord LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'annotations[%]: only the owner of app "%" may post annotations written by %',
                v_bad.ord, v_app,
                CASE WHEN v_bad.model_version_id IS NOT NULL
                     THEN pg_catalog.format('model version "%s"', v_bad.model_version_id)
                     ELSE pg_catalog.format('another user ("%s")', v_bad.user_id) END
                USING ERRCODE = '42501';
        END IF;
    END IF;

    -- every input named must exist
    SELECT r.ord, r.input_id INTO v_bad
      FROM pg_catalog.unnest(v_reqs) r
     WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs i WHERE i.app_id = v_app AND i.id = r.input_id)
     ORDER BY r.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'annotations[%].input_id: input "%" not found in app "%"', v_bad.ord, v_bad.input_id, v_app
            USING ERRCODE = 'P0002';
    END IF;

    -- a region named by id without geometry labels an existing region: take
    -- its box (and frame) from the earliest annotation on the input that has it
    IF EXISTS (SELECT 1 FROM pg_catalog.unnest(v_reqs) r WHERE r.region_present AND r.bbox IS NULL) THEN
        v_reqs := ARRAY(
            SELECT ROW(r.ord, r.id, r.input_id, r.user_id, r.model_version_id,
                       r.embed_model_version_id, r.task_id, r.status, r.annotation_info,
                       r.has_data, r.concepts, r.region_present, r.region_id,
                       COALESCE(r.bbox, src.bbox), r.region_concepts, r.region_has_data,
                       r.has_frame OR src.frame_index IS NOT NULL OR src.frame_time IS NOT NULL,
                       -- the labeled region's frame wins; the request's only where it has none
                       CASE WHEN src.frame_index IS NOT NULL OR src.frame_time IS NOT NULL
                            THEN src.frame_index ELSE r.frame_index END,
                       CASE WHEN src.frame_index IS NOT NULL OR src.frame_time IS NOT NULL
                            THEN src.frame_time ELSE r.frame_time END
                   )::annotations._request
              FROM pg_catalog.unnest(v_reqs) r
              LEFT JOIN LATERAL (
                    SELECT g.bbox, a.frame_index, a.frame_time
                      FROM annotations.regions g
                      JOIN annotations.annotations a ON a.app_id = g.app_id AND a.id = g.annotation_id
                     WHERE g.app_id = v_app AND g.input_id = r.input_id AND g.id = r.region_id
                     ORDER BY a.seq LIMIT 1
                   ) src ON r.region_present AND r.bbox IS NULL
             ORDER BY r.ord);
        SELECT r.ord, r.input_id, r.region_id, r.has_frame INTO v_bad
          FROM pg_catalog.unnest(v_reqs) r
         WHERE r.region_present AND r.bbox IS NULL
         ORDER BY r.ord LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'annotations[%].data.%regions[0].id: region "%" not found on input "%"',
                v_bad.ord, CASE WHEN v_bad.has_frame THEN 'frames[0].data.' ELSE '' END,
                v_bad.region_id, v_bad.input_id
                USING ERRCODE = 'P0002',
                      HINT = 'To label an existing region, give the id of a region listed on the same input.';
        END IF;
    END IF;

    -- store: one statement per table; a taken id shows as a missing row.
    -- The regions go in a statement of their own: the regions insert policy
    -- must see the new annotations, which a sibling in the same WITH cannot
    -- (one snapshot for all of it), so it would refuse every non-superuser.
    WITH ins AS (
        INSERT INTO annotations.annotations AS a
               (app_id, id, input_id, user_id, model_version_id, embed_model_version_id,
                task_id, status, concepts, frame_index, frame_time, annotation_info)
        SELECT v_app, r.id, r.input_id,
               CASE WHEN r.model_version_id IS NULL THEN COALESCE(r.user_id, current_user::text) END,
               r.model_version_id, r.embed_model_version_id, r.task_id,
               COALESCE(r.status, 'success')::annotations.status,
               COALESCE(r.concepts, '[]'::jsonb), r.frame_index, r.frame_time,
               COALESCE(r.annotation_info, '{}'::jsonb)
          FROM pg_catalog.unnest(v_reqs) r
         ORDER BY r.ord
        ON CONFLICT DO NOTHING
        RETURNING a
    )
    SELECT pg_catalog.array_agg(ins.a) INTO v_ins FROM ins;

    WITH ins AS (
        SELECT * FROM pg_catalog.unnest(v_ins)
    ), reg AS (
        INSERT INTO annotations.regions AS g (app_id, annotation_id, id, input_id, bbox, concepts)
        SELECT v_app, r.id, r.region_id, r.input_id, r.bbox, COALESCE(r.region_concepts, '[]'::jsonb)
          FROM pg_catalog.unnest(v_reqs) r JOIN ins ON ins.id = r.id
         WHERE r.region_present
        RETURNING g.*
    )
    SELECT pg_catalog.array_agg(ROW(ins.app_id, ins.id, ins.input_id, ins.seq, ins.user_id,
               ins.model_version_id, ins.embed_model_version_id, ins.task_id, ins.status,
               ins.input_level, ins.concepts, reg.id, reg.bbox, reg.concepts, ins.frame_index,
               ins.frame_time, ins.annotation_info, ins.created_at, ins.modified_at
           )::annotations.annotation ORDER BY ins.seq)
      INTO v_rows
      FROM ins LEFT JOIN reg ON reg.annotation_id = ins.id;

    IF COALESCE(pg_catalog.cardinality(v_rows), 0) < pg_catalog.cardinality(v_reqs) THEN
        SELECT r.ord, r.id INTO v_bad FROM pg_catalog.unnest(v_reqs) r
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(v_rows) w WHERE w.id = r.id)
         ORDER BY r.ord LIMIT 1;
        RAISE EXCEPTION 'annotations[%].id: annotation "%" already exists in app "%"', v_bad.ord, v_bad.id, v_app
            USING ERRCODE = '23505';
    END IF;
    RETURN QUERY SELECT * FROM pg_catalog.unnest(v_rows);
END
$$;
COMMENT ON FUNCTION annotations.post_annotations(text, jsonb) IS
  'Adds 1..128 annotations given as Clarifai JSON; all or nothing; returns them oldest first';

CREATE FUNCTION annotations.get_annotation(app_id text, input_id text, annotation_id text)
    RETURNS annotations.annotation
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_row annotations.annotation;
BEGIN
    PERFORM annotations._app_role($1);
    PERFORM annotations._check_id($2, 'input_id');
    PERFORM annotations._check_id($3, 'annotation_id');
    SELECT * INTO v_row FROM annotations._rows($1, ARRAY[$3]) x WHERE x.input_id = $2;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'annotation "%" not found on input "%" in app "%"', $3, $2, $1
            USING ERRCODE = 'P0002';
    END IF;
    RETURN v_row;
END
$$;
COMMENT ON FUNCTION annotations.get_annotation(text, text, text) IS
  'One annotation by input id and annotation id; P0002 when there is none';

-- Checks an array argument: no NULL elements; returns it without duplicates.
CREATE FUNCTION annotations._distinct_ids(arr text[], what text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF arr IS NULL OR pg_catalog.cardinality(arr) = 0 THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.array_position(arr, NULL) IS NOT NULL THEN
        RAISE EXCEPTION '% must not contain NULL', what USING ERRCODE = '22023';
    END IF;
    RETURN ARRAY(SELECT DISTINCT x FROM pg_catalog.unnest(arr) x);
END
$$;
COMMENT ON FUNCTION annotations._distinct_ids(text[], text) IS
  'Internal: NULL for an empty array, 22023 for NULL elements, else the distinct elements';

-- The list planner shared by list_annotations and count_annotations.
--
-- It writes one query over annotations.annotations, parameterized as
--   $1 app_id, $2 ids, $3 input_ids, $4 user_ids, $5 model_version_ids,
--   $6 statuses, $7 task_id, $8 after, $9 per_page, $10 offset.
-- A many-valued filter becomes one index scan per value (each already in seq
-- order) under UNION ALL, so the executor merges them (Merge Append) and
-- stops at per_page rows: no sort of the filtered set, no walk past rows
-- that are not listed. Past max_branches values it falls back to = ANY.
CREATE FUNCTION annotations._list_sql(
        n_ids integer, n_inputs integer, n_users integer, n_models integer,
        n_statuses integer, has_task boolean, list_all boolean, has_after boolean,
        for_count boolean)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_branches constant integer := 64;
    cols constant text :=
        'a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id, '
        'a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts, '
        'a.frame_index, a.frame_time, a.annotation_info, a.created_at, a.modified_at';
    worker  boolean := n_users > 0 OR n_models > 0;
    drivers text[] := '{}';
    conds   text[] := ARRAY['a.app_id = $1'];
    base    text;
    branches text;
    i integer;
BEGIN
    -- conditions every row must meet
    IF n_ids > 0 THEN
        conds := conds || '(a.input_id, a.id) IN (SELECT p.i, p.a FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($2)) p(i, a))'::text;
    ELSE
        conds := conds || 'a.listed'::text;
        IF NOT worker AND NOT list_all THEN
            conds := conds || 'a.model_version_id IS NULL'::text;
        END IF;
    END IF;
    IF has_after THEN
        conds := conds || 'a.seq > $8'::text;
    END IF;
    IF has_task THEN
        conds := conds || 'a.task_id = $7'::text;
    END IF;

    -- the driving filter: the one whose index scans are merged
    IF n_ids > 0 THEN
        NULL;                   -- primary-key look-ups; at most n_ids rows
    ELSIF n_inputs > 0 THEN
        IF n_inputs <= max_branches THEN
            FOR i IN 1 .. n_inputs LOOP
                drivers := drivers || pg_catalog.format('a.input_id = $3[%s]', i);
            END LOOP;
        ELSE
            conds := conds || 'a.input_id = ANY ($3)'::text;
        END IF;
    ELSIF worker THEN
        IF n_users + n_models <= max_branches THEN
            FOR i IN 1 .. n_users LOOP
                drivers := drivers || pg_catalog.format('a.user_id = $4[%s]', i);
            END LOOP;
            FOR i IN 1 .. n_models LOOP
                drivers := drivers || pg_catalog.format('a.model_version_id = $5[%s]', i);
            END LOOP;
            worker := false;    -- the branches are the worker filter
        END IF;
    ELSIF n_statuses > 0 AND NOT has_task THEN
        FOR i IN 1 .. n_statuses LOOP
            drivers := drivers || pg_catalog.format('a.status OPERATOR(annotations.=) $6[%s]', i);
        END LOOP;
        n_statuses := 0;        -- the branches are the status filter
    END IF;

    IF worker THEN
        conds := conds || '(a.user_id = ANY ($4) OR a.model_version_id = ANY ($5))'::text;
    END IF;
    IF n_statuses > 0 THEN
        conds := conds || 'a.status OPERATOR(annotations.=) ANY ($6)'::text;
    END IF;
    IF n_inputs > 0 AND n_ids = 0 AND pg_catalog.cardinality(drivers) = 0
       AND NOT ('a.input_id = ANY ($3)' = ANY (conds)) THEN
        conds := conds || 'a.input_id = ANY ($3)'::text;
    END IF;

    base := 'SELECT ' || cols || ' FROM annotations.annotations a WHERE '
            || pg_catalog.array_to_string(conds, ' AND ');
    IF pg_catalog.cardinality(drivers) = 0 THEN
        branches := base;
    ELSE
        -- Each branch is ordered and limited on its own: the planner then
        -- plans it as an ordered index scan that stops early, and merges the
        -- branches (quals of plain UNION ALL leaves make no equivalence
        -- classes, so without this it would sort everything instead).
        SELECT pg_catalog.string_agg('(' || base || ' AND ' || d
                   || CASE WHEN for_count THEN '' ELSE ' ORDER BY a.seq LIMIT $9 + $10' END
                   || ')', ' UNION ALL ')
          INTO branches FROM pg_catalog.unnest(drivers) d;
    END IF;

    IF for_count THEN
        RETURN 'SELECT pg_catalog.count(*) FROM (' || branches || ') u';
    END IF;
    RETURN 'SELECT x.app_id, x.id, x.input_id, x.seq, x.user_id, x.model_version_id, '
        || 'x.embed_model_version_id, x.task_id, x.status, x.input_level, x.concepts, '
        || 'r.id, r.bbox, r.concepts, x.frame_index, x.frame_time, x.annotation_info, '
        || 'x.created_at, x.modified_at '
        || 'FROM (SELECT * FROM (' || branches || ') u ORDER BY u.seq LIMIT $9 OFFSET $10) x '
        || 'LEFT JOIN annotations.regions r ON r.app_id = x.app_id AND r.annotation_id = x.id '
        || 'ORDER BY x.seq';
END
$$;
COMMENT ON FUNCTION annotations._list_sql(integer, integer, integer, integer, integer,
                                          boolean, boolean, boolean, boolean) IS
  'Internal: the query list_annotations and count_annotations run for a set of filters';

-- Validates list filters and returns the normalized arguments with the query.
CREATE FUNCTION annotations._list_plan(
        app_id text, ids text[], input_ids text[], user_ids text[],
        model_version_ids text[], statuses annotations.status[], task_id text,
        list_all_annotations boolean, after bigint, for_count boolean,
        OUT sql text, OUT o_ids text[], OUT o_input_ids text[], OUT o_user_ids text[],
        OUT o_model_version_ids text[], OUT o_statuses annotations.status[])
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM annotations._app_role($1);
    IF $2 IS NOT NULL AND pg_catalog.cardinality($2) > 0 THEN
        IF $3 IS NULL OR pg_catalog.cardinality($2) <> pg_catalog.cardinality($3) THEN
            RAISE EXCEPTION 'ids and input_ids must have the same length (% ids, % input_ids)',
                pg_catalog.cardinality($2), COALESCE(pg_catalog.cardinality($3), 0)
                USING ERRCODE = '22023',
                      DETAIL = 'Annotations are looked up by (input_ids[i], ids[i]) pairs.';
        END IF;
        IF pg_catalog.array_position($2, NULL) IS NOT NULL OR pg_catalog.array_position($3, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'ids and input_ids must not contain NULL' USING ERRCODE = '22023';
        END IF;
        o_ids := $2;
        o_input_ids := $3;
    ELSE
        o_input_ids := annotations._distinct_ids($3, 'input_ids');
    END IF;
    o_user_ids := annotations._distinct_ids($4, 'user_ids');
    o_model_version_ids := annotations._distinct_ids($5, 'model_version_ids');
    IF $6 IS NOT NULL AND pg_catalog.cardinality($6) > 0 THEN
        IF pg_catalog.array_position($6, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'statuses must not contain NULL' USING ERRCODE = '22023';
        END IF;
        o_statuses := ARRAY(SELECT DISTINCT s FROM pg_catalog.unnest($6) s);
    END IF;
    sql := annotations._list_sql(
        COALESCE(pg_catalog.cardinality(o_ids), 0),
        COALESCE(pg_catalog.cardinality(o_input_ids), 0),
        COALESCE(pg_catalog.cardinality(o_user_ids), 0),
        COALESCE(pg_catalog.cardinality(o_model_version_ids), 0),
        COALESCE(pg_catalog.cardinality(o_statuses), 0),
        $7 IS NOT NULL, COALESCE($8, false), $9 IS NOT NULL, for_count);
END
$$;
COMMENT ON FUNCTION annotations._list_plan(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, bigint, boolean) IS
  'Internal: checks list filters and plans the list or count query';

CREATE FUNCTION annotations.list_annotations(
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
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
BEGIN
    IF per_page IS NULL OR per_page < 1 OR per_page > 1000 THEN
        RAISE EXCEPTION 'per_page must be between 1 and 1000, got %', COALESCE(per_page::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    IF page IS NOT NULL AND page < 1 THEN
        RAISE EXCEPTION 'page must be 1 or more, got %', page USING ERRCODE = '22023';
    END IF;
    IF page IS NOT NULL AND after IS NOT NULL THEN
        RAISE EXCEPTION 'page and after cannot be used together'
            USING ERRCODE = '22023',
                  HINT = 'Use after (the seq of the last row seen) for paging; page exists for Clarifai compatibility.';
    END IF;
    p := annotations._list_plan($1, $2, $3, $4, $5, $6, $7, $8, $11, false);
    RETURN QUERY EXECUTE p.sql
        USING $1, p.o_ids, p.o_input_ids, p.o_user_ids, p.o_model_version_ids, p.o_statuses,
              $7, $11, per_page, (COALESCE(page, 1) - 1)::bigint * per_page;
END
$$;
COMMENT ON FUNCTION annotations.list_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, integer, integer, bigint) IS
  'Lists annotations oldest first, one page at a time (keyset paging with after => last seq seen)';

CREATE FUNCTION annotations.count_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    n bigint;
BEGIN
    p := annotations._list_plan($1, $2, $3, $4, $5, $6, $7, $8, NULL, true);
    EXECUTE p.sql INTO n
        USING $1, p.o_ids, p.o_input_ids, p.o_user_ids, p.o_model_version_ids, p.o_statuses,
              $7, NULL::bigint, NULL::integer, NULL::bigint;
    RETURN n;
END
$$;
COMMENT ON FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean) IS
  'How many annotations list_annotations would return over all pages with the same filters';

-- Raises 42501 unless the acting user may delete an annotation written by
-- author.
CREATE FUNCTION annotations._check_may_delete(app_id text, role text, ord text, annotation_id text, author text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF role <> 'owner' AND author IS DISTINCT FROM current_user::text THEN
        RAISE EXCEPTION '%permission denied to delete annotation "%" of app "%"', ord, annotation_id, app_id
            USING ERRCODE = '42501',
                  DETAIL = 'A collaborator deletes only their own annotations; the app owner deletes any.';
    END IF;
END
$$;
COMMENT ON FUNCTION annotations._check_may_delete(text, text, text, text, text) IS
  'Internal: 42501 unless the acting user may delete an annotation by this author';

CREATE FUNCTION annotations.delete_annotation(app_id text, input_id text, annotation_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_role text := annotations._app_role($1);
    v_row  record;
BEGIN
    PERFORM annotations._check_id($2, 'input_id');
    PERFORM annotations._check_id($3, 'annotation_id');
    -- no FOR UPDATE: a row lock needs the UPDATE policy too, which hides
    -- model-written annotations (and from a collaborator, others') and would
    -- turn a refusal into "not found"; the DELETE below locks the row
    SELECT a.user_id, a.input_level INTO v_row
      FROM annotations.annotations a
     WHERE a.app_id = $1 AND a.id = $3 AND a.input_id = $2;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'annotation "%" not found on input "%" in app "%"', $3, $2, $1
            USING ERRCODE = 'P0002';
    END IF;
    IF v_row.input_level THEN
        RAISE EXCEPTION 'annotation "%" is the input-level annotation of input "%"', $3, $2
            USING ERRCODE = '22023',
                  DETAIL = 'An input-level annotation is deleted only with its input (delete_inputs).';
    END IF;
    PERFORM annotations._check_may_delete($1, v_role, '', $3, v_row.user_id);
    DELETE FROM annotations.annotations a WHERE a.app_id = $1 AND a.id = $3;
END
$$;
COMMENT ON FUNCTION annotations.delete_annotation(text, text, text) IS
  'Deletes one annotation; P0002 when it does not exist';

CREATE FUNCTION annotations.delete_annotations(app_id text, input_ids text[], ids text[] DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_role  text := annotations._app_role($1);
    v_bad   record;
    v_count bigint;
BEGIN
    IF $2 IS NULL OR pg_catalog.cardinality($2) = 0 THEN
        RAISE EXCEPTION 'input_ids must not be empty' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.array_position($2, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'input_ids must not contain NULL' USING ERRCODE = '22023';
    END IF;

    IF $3 IS NULL THEN
        -- every annotation of these inputs the acting user may delete,
        -- except the input-level ones (they go with their input)
        SELECT u.i AS input_id INTO v_bad FROM pg_catalog.unnest($2) WITH ORDINALITY u(i, n)
         WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs x WHERE x.app_id = $1 AND x.id = u.i)
         ORDER BY u.n LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'input "%" not found in app "%"', v_bad.input_id, $1 USING ERRCODE = 'P0002';
        END IF;
        DELETE FROM annotations.annotations a
         WHERE a.app_id = $1 AND a.input_id = ANY ($2) AND NOT a.input_level
           AND (v_role = 'owner' OR a.user_id = current_user::text);
        GET DIAGNOSTICS v_count = ROW_COUNT;
        RETURN v_count;
    END IF;

    IF pg_catalog.cardinality($3) <> pg_catalog.cardinality($2) THEN
        RAISE EXCEPTION 'ids and input_ids must have the same length (% ids, % input_ids)',
            pg_catalog.cardinality($3), pg_catalog.cardinality($2)
            USING ERRCODE = '22023', DETAIL = 'Annotations are named by (input_ids[i], ids[i]) pairs.';
    END IF;
    IF pg_catalog.array_position($3, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'ids must not contain NULL' USING ERRCODE = '22023';
    END IF;
    FOR v_bad IN
        SELECT p.n, p.i, p.a, x.id AS found, x.user_id, x.input_level
          FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) WITH ORDINALITY p(i, a, n)
          LEFT JOIN annotations.annotations x ON x.app_id = $1 AND x.id = p.a AND x.input_id = p.i
         ORDER BY p.n
    LOOP
        IF v_bad.found IS NULL THEN
            RAISE EXCEPTION 'ids[%]: annotation "%" not found on input "%" in app "%"',
                v_bad.n - 1, v_bad.a, v_bad.i, $1 USING ERRCODE = 'P0002';
        END IF;
        IF v_bad.input_level THEN
            RAISE EXCEPTION 'ids[%]: annotation "%" is the input-level annotation of input "%"',
                v_bad.n - 1, v_bad.a, v_bad.i
                USING ERRCODE = '22023',
                      DETAIL = 'An input-level annotation is deleted only with its input (delete_inputs).';
        END IF;
        PERFORM annotations._check_may_delete($1, v_role, pg_catalog.format('ids[%s]: ', v_bad.n - 1),
                                              v_bad.a, v_bad.user_id);
    END LOOP;
    DELETE FROM annotations.annotations a
     WHERE a.app_id = $1 AND (a.input_id, a.id) IN (SELECT * FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)));
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;
COMMENT ON FUNCTION annotations.delete_annotations(text, text[], text[]) IS
  'Deletes annotations by (input_ids, ids) pairs, or all deletable non-input-level annotations of some inputs';

CREATE FUNCTION annotations.to_json(annotation annotations.annotation)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a annotations.annotation := $1;
    v_data jsonb;
BEGIN
    v_data := pg_catalog.jsonb_build_object('concepts', COALESCE(a.concepts, '[]'::jsonb));
    IF a.region_id IS NOT NULL THEN
        v_data := v_data || pg_catalog.jsonb_build_object('regions', pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object(
                'id', a.region_id,
                'region_info', pg_catalog.jsonb_build_object('bounding_box', a.bbox::jsonb),
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
               'created_at', pg_catalog.to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'modified_at', pg_catalog.to_char(a.modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
        || pg_catalog.jsonb_build_object(
               'status', pg_catalog.jsonb_build_object(
                   'code', annotations.status_code(a.status),
                   'description', annotations.status_description(a.status)),
               'input_level', a.input_level,
               'annotation_info', COALESCE(a.annotation_info, '{}'::jsonb),
               'data', v_data);
END
$$;
COMMENT ON FUNCTION annotations.to_json(annotations.annotation) IS
  'The annotation in Clarifai REST JSON; posting it again (with a new id) recreates the same labels';
-- Patching annotations: merge, overwrite, remove.

CREATE FUNCTION annotations._patch_apply(action text, stored annotations.annotation,
                                         patch annotations._request, delete_if_empty boolean)
    RETURNS annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_patch_apply'
    LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations._patch_apply(text, annotations.annotation, annotations._request, boolean) IS
  'Internal: the patch engine; the new state of an annotation, or NULL when it is to be deleted';

-- Raises the first refusal of a patch batch, in element order: an unknown
-- annotation or input (P0002), a model-written one or one the acting user
-- may not patch (42501), a changed author (22023). Runs only when the fast
-- path found something wrong, so it may read the table again.
CREATE FUNCTION annotations._patch_refuse(app_id text, role text, reqs annotations._request[])
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad record;
BEGIN
    FOR v_bad IN
        SELECT r.ord, r.id, r.input_id, r.user_id AS given_user, r.model_version_id AS given_model,
               a.id AS found, a.input_id AS stored_input, a.user_id, a.model_version_id
          FROM pg_catalog.unnest(reqs) r
          LEFT JOIN annotations.annotations a ON a.app_id = $1 AND a.id = r.id
         ORDER BY r.ord
    LOOP
        IF v_bad.found IS NULL OR v_bad.input_id <> v_bad.stored_input THEN
            RAISE EXCEPTION 'annotations[%]: annotation "%" not found%in app "%"', v_bad.ord, v_bad.id,
                CASE WHEN v_bad.input_id IS NULL THEN ' ' ELSE pg_catalog.format(' on input "%s" ', v_bad.input_id) END,
                $1
                USING ERRCODE = 'P0002';
        END IF;
        IF v_bad.model_version_id IS NOT NULL THEN
            RAISE EXCEPTION 'annotations[%]: annotation "%" was written by model "%" and cannot be patched',
                v_bad.ord, v_bad.id, v_bad.model_version_id
                USING ERRCODE = '42501',
                      HINT = 'Label its region in a new annotation instead (post_annotations with the region id).';
        END IF;
        IF role <> 'owner' AND v_bad.user_id IS DISTINCT FROM current_user::text THEN
            RAISE EXCEPTION 'annotations[%]: permission denied to patch annotation "%" of user "%"',
                v_bad.ord, v_bad.id, v_bad.user_id
                USING ERRCODE = '42501',
                      DETAIL = 'A collaborator patches only their own annotations; the app owner patches any user''s.';
        END IF;
        IF v_bad.given_model IS NOT NULL
           OR (v_bad.given_user IS NOT NULL AND v_bad.given_user IS DISTINCT FROM v_bad.user_id) THEN
            RAISE EXCEPTION 'annotations[%]: the author of annotation "%" cannot be changed by a patch', v_bad.ord, v_bad.id
                USING ERRCODE = '22023';
        END IF;
    END LOOP;
    -- every element passed on a second look: a concurrent change in between
    RAISE EXCEPTION 'annotations: the annotations changed while they were being patched'
        USING ERRCODE = '40001', HINT = 'Retry the call.';
END
$$;
COMMENT ON FUNCTION annotations._patch_refuse(text, text, annotations._request[]) IS
  'Internal: raises the first reason a patch batch is refused, in element order';

CREATE FUNCTION annotations.patch_annotations(app_id text, action text, annotations jsonb,
                                              delete_if_empty_data boolean DEFAULT false)
    RETURNS SETOF annotations.annotation
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app    text := $1;
    v_role   text;
    v_reqs   annotations._request[];
    v_locked annotations.annotations[];
    v_new    annotations.annotation[];
    v_del    text[];
    v_reg    text[];
    v_unreg  text[];
BEGIN
    v_role := annotations._app_role(v_app);
    IF $2 IS NULL OR $2 NOT IN ('merge', 'overwrite', 'remove') THEN
        RAISE EXCEPTION 'unknown patch action "%"', COALESCE($2, 'NULL')
            USING ERRCODE = '22023', HINT = 'The actions are merge, overwrite and remove.';
    END IF;
    v_reqs := ARRAY(SELECT r FROM annotations._parse_annotations($3, true) r);

    -- Fast path: a merge that touches no region (new concepts, a status,
    -- annotation_info) is one UPDATE that computes each new state from the
    -- row it updates. Under concurrency PostgreSQL re-evaluates that on the
    -- latest committed version of the row (EvalPlanQual), so concurrent
    -- merges still never lose each other's changes; rows are visited in id
    -- order, so two batches never deadlock.
    IF $2 = 'merge' AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(v_reqs) q WHERE q.region_present) THEN
        v_reqs := ARRAY(SELECT q FROM pg_catalog.unnest(v_reqs) q ORDER BY q.id);
        WITH upd AS (
            UPDATE annotations.annotations a
               SET (concepts, status, frame_index, frame_time, annotation_info,
                    embed_model_version_id, task_id, modified_at) =
                   (SELECT n.concepts, n.status, n.frame_index, n.frame_time, n.annotation_info,
                           n.embed_model_version_id, n.task_id, n.modified_at
                      FROM annotations._patch_apply('merge',
                               ROW(a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
                                   a.embed_model_version_id, a.task_id, a.status, a.input_level,
                                   a.concepts, NULL, NULL, NULL, a.frame_index, a.frame_time,
                                   a.annotation_info, a.created_at, pg_catalog.now())::annotations.annotation,
                               r, false) n)
              FROM pg_catalog.unnest(v_reqs) r
             WHERE a.app_id = v_app AND a.id = r.id
               AND (r.input_id IS NULL OR a.input_id = r.input_id)
               AND a.model_version_id IS NULL
               AND (v_role = 'owner' OR a.user_id = current_user::text)
               AND r.model_version_id IS NULL
               AND (r.user_id IS NULL OR r.user_id = a.user_id)
            RETURNING a.*
        )
        SELECT pg_catalog.array_agg(ROW(u.app_id, u.id, u.input_id, u.seq, u.user_id,
                   u.model_version_id, u.embed_model_version_id, u.task_id, u.status,
                   u.input_level, u.concepts, g.id, g.bbox, g.concepts, u.frame_index,
                   u.frame_time, u.annotation_info, u.created_at, u.modified_at
               )::annotations.annotation ORDER BY u.seq)
          INTO v_new
          FROM upd u
          LEFT JOIN annotations.regions g ON g.app_id = u.app_id AND g.annotation_id = u.id;
        IF COALESCE(pg_catalog.cardinality(v_new), 0) < pg_catalog.cardinality(v_reqs) THEN
            PERFORM annotations._patch_refuse(v_app, v_role, v_reqs);
        END IF;
        RETURN QUERY SELECT * FROM pg_catalog.unnest(v_new);
        RETURN;
    END IF;

    -- Lock in id order (two batches never deadlock) with the statement that
    -- reads the stored rows: once it holds a lock it returns the row as the
    -- previous holder committed it, so concurrent patches of one annotation
    -- apply one after the other and none is lost. (Aggregate the whole-row
    -- value: a row of a subquery's own record type would go through text.)
    SELECT pg_catalog.array_agg(l.a) INTO v_locked
      FROM (SELECT a FROM annotations.annotations a
             WHERE a.app_id = v_app AND a.id IN (SELECT r.id FROM pg_catalog.unnest(v_reqs) r)
             ORDER BY a.id
               FOR UPDATE OF a) l;

    -- A row lock needs the UPDATE policy, which hides model-written rows (and
    -- other users' rows from a collaborator): a missing row, a wrong input,
    -- a collaborator's foreign row or a changed author sends us to the
    -- precise error.
    IF COALESCE(pg_catalog.cardinality(v_locked), 0) < pg_catalog.cardinality(v_reqs)
       OR EXISTS (SELECT 1 FROM pg_catalog.unnest(v_reqs) r
                    JOIN pg_catalog.unnest(v_locked) a ON a.id = r.id
                   WHERE r.input_id <> a.input_id
                      OR a.model_version_id IS NOT NULL
                      OR (v_role <> 'owner' AND a.user_id IS DISTINCT FROM current_user::text)
                      OR r.model_version_id IS NOT NULL
                      OR (r.user_id IS NOT NULL AND r.user_id IS DISTINCT FROM a.user_id)) THEN
        PERFORM annotations._patch_refuse(v_app, v_role, v_reqs);
    END IF;

    -- Apply the engine to each locked row and its region (read now, after
    -- the locks) and write the annotations in the same statement; note
    -- which regions change and which go.
    WITH x AS MATERIALIZED (
        SELECT r.ord, r.id, g.id AS g_id, g.concepts AS g_concepts, g.bbox AS g_bbox,
               annotations._patch_apply($2,
                   ROW(a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
                       a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
                       g.id, g.bbox, g.concepts, a.frame_index, a.frame_time, a.annotation_info,
                       a.created_at, pg_catalog.now())::annotations.annotation,
                   r, COALESCE($4, false)) AS res
          FROM pg_catalog.unnest(v_reqs) r
          JOIN pg_catalog.unnest(v_locked) a ON a.id = r.id
          LEFT JOIN annotations.regions g ON g.app_id = v_app AND g.annotation_id = a.id
    ), upd AS (
        UPDATE annotations.annotations a
           SET concepts = (x.res).concepts, status = (x.res).status,
               frame_index = (x.res).frame_index, frame_time = (x.res).frame_time,
               annotation_info = (x.res).annotation_info,
               embed_model_version_id = (x.res).embed_model_version_id,
               task_id = (x.res).task_id, modified_at = (x.res).modified_at
          FROM x
         WHERE a.app_id = v_app AND a.id = x.id AND (x.res).id IS NOT NULL
    )
    SELECT pg_catalog.array_agg(x.res ORDER BY x.ord) FILTER (WHERE (x.res).id IS NOT NULL),
           pg_catalog.array_agg(x.id) FILTER (WHERE (x.res).id IS NULL),
           pg_catalog.array_agg(x.id) FILTER (WHERE (x.res).region_id IS NOT NULL
                 AND (x.g_id IS NULL OR (x.res).region_id <> x.g_id
                      OR (x.res).region_concepts <> x.g_concepts
                      OR (x.res).bbox OPERATOR(annotations.<>) x.g_bbox)),
           pg_catalog.array_agg(x.id) FILTER (WHERE (x.res).id IS NOT NULL
                 AND (x.res).region_id IS NULL AND x.g_id IS NOT NULL)
      INTO v_new, v_del, v_reg, v_unreg
      FROM x;

    -- regions are written only where the patch changed them
    IF v_unreg IS NOT NULL THEN
        DELETE FROM annotations.regions g WHERE g.app_id = v_app AND g.annotation_id = ANY (v_unreg);
    END IF;
    IF v_reg IS NOT NULL THEN
        INSERT INTO annotations.regions AS g (app_id, annotation_id, id, input_id, bbox, concepts)
        SELECT v_app, n.id, n.region_id, n.input_id, n.bbox, n.region_concepts
          FROM pg_catalog.unnest(v_new) n
         WHERE n.id = ANY (v_reg)
        ON CONFLICT ON CONSTRAINT regions_pkey DO UPDATE
           SET id = excluded.id, bbox = excluded.bbox, concepts = excluded.concepts;
    END IF;
    IF v_del IS NOT NULL THEN
        DELETE FROM annotations.annotations a WHERE a.app_id = v_app AND a.id = ANY (v_del);
    END IF;
    RETURN QUERY SELECT * FROM pg_catalog.unnest(v_new) n ORDER BY n.seq;
END
$$;
COMMENT ON FUNCTION annotations.patch_annotations(text, text, jsonb, boolean) IS
  'Changes 1..128 annotations by merge, overwrite or remove; all or nothing; returns those not deleted';
-- COCO object detection documents: export_coco, import_coco.
-- The computational parts are C (src/coco.c); import posts through
-- post_inputs and post_annotations, so the request rules and row-level
-- security are exactly those of any other post.

CREATE FUNCTION annotations.export_coco(
        app_id text,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'annotations_export_coco'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.export_coco(text, text[], text[], text[], annotations.status[], text, boolean) IS
  'The app''s image inputs and region labels as a COCO object detection document: one box per positive region concept, pixels from data.image.image_info; filters as in list_annotations';

CREATE FUNCTION annotations._coco_items(coco jsonb, what text,
        OUT kind text, OUT ord integer, OUT id text, OUT input_id text,
        OUT width integer, OUT height integer, OUT item jsonb)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'annotations_coco_items'
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._coco_items(jsonb, text) IS
  'Internal: validates a COCO document and returns its images (kind ''image'') or boxes (kind ''annotation'') as Clarifai request items';

-- Creates what is new, in batches of 128; what exists is left alone.
CREATE FUNCTION annotations.import_coco(app_id text, coco jsonb,
        OUT inputs_created bigint, OUT inputs_existing bigint,
        OUT annotations_created bigint, OUT annotations_existing bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app   text := $1;
    v_batch jsonb[] := '{}';
    r       record;
BEGIN
    PERFORM annotations._app_role(v_app);
    inputs_created := 0;
    inputs_existing := 0;
    annotations_created := 0;
    annotations_existing := 0;

    -- images: an input with the same id must be the same image (same size)
    FOR r IN
        SELECT c.ord, c.id, c.width, c.height, c.item, i.data AS stored
          FROM annotations._coco_items($2, 'image') c
          LEFT JOIN annotations.inputs i ON i.app_id = v_app AND i.id = c.id
         ORDER BY c.ord
    LOOP
        IF r.stored IS NOT NULL THEN
            IF (r.stored #> '{image,image_info,width}') IS DISTINCT FROM pg_catalog.to_jsonb(r.width)
               OR (r.stored #> '{image,image_info,height}') IS DISTINCT FROM pg_catalog.to_jsonb(r.height) THEN
                RAISE EXCEPTION 'coco.images[%].file_name: input "%" already exists in app "%" and is not a %x% image',
                    r.ord, r.id, v_app, r.width, r.height
                    USING ERRCODE = '23505',
                          DETAIL = pg_catalog.format('The stored input has data.image.image_info %s.',
                                       COALESCE((r.stored #> '{image,image_info}')::text, 'missing')),
                          HINT = 'An image''s file_name is its input id; rename the file or delete the input.';
            END IF;
            inputs_existing := inputs_existing + 1;
            CONTINUE;
        END IF;
        v_batch := v_batch || r.item;
        IF pg_catalog.cardinality(v_batch) = 128 THEN
            PERFORM annotations.post_inputs(v_app, pg_catalog.to_jsonb(v_batch));
            inputs_created := inputs_created + 128;
            v_batch := '{}';
        END IF;
    END LOOP;
    IF pg_catalog.cardinality(v_batch) > 0 THEN
        PERFORM annotations.post_inputs(v_app, pg_catalog.to_jsonb(v_batch));
        inputs_created := inputs_created + pg_catalog.cardinality(v_batch);
        v_batch := '{}';
    END IF;

    -- boxes: ids derive from the document, so a second import finds them all
    FOR r IN
        SELECT c.item, a.id AS found
          FROM annotations._coco_items($2, 'annotation') c
          LEFT JOIN annotations.annotations a ON a.app_id = v_app AND a.id = c.id
         ORDER BY c.ord
    LOOP
        IF r.found IS NOT NULL THEN
            annotations_existing := annotations_existing + 1;
            CONTINUE;
        END IF;
        v_batch := v_batch || r.item;
        IF pg_catalog.cardinality(v_batch) = 128 THEN
            PERFORM annotations.post_annotations(v_app, pg_catalog.to_jsonb(v_batch));
            annotations_created := annotations_created + 128;
            v_batch := '{}';
        END IF;
    END LOOP;
    IF pg_catalog.cardinality(v_batch) > 0 THEN
        PERFORM annotations.post_annotations(v_app, pg_catalog.to_jsonb(v_batch));
        annotations_created := annotations_created + pg_catalog.cardinality(v_batch);
    END IF;
END
$$;
COMMENT ON FUNCTION annotations.import_coco(text, jsonb) IS
  'Adds a COCO object detection document to an app as the acting user: an image input per image (id and url = file_name), an annotation with one region per box (concept = category name); idempotent, never deletes; returns what was created and what already existed';
-- Views for reporting tools. security_invoker: the querying
-- role's row-level security applies, as on the tables.

CREATE VIEW annotations.concept_labels WITH (security_invoker = true) AS
SELECT a.app_id, a.id AS annotation_id, a.input_id, NULL::text AS region_id,
       c.value OPERATOR(pg_catalog.->>) 'id' AS concept_id,
       c.value OPERATOR(pg_catalog.->>) 'name' AS concept_name,
       (c.value OPERATOR(pg_catalog.->>) 'value')::float8 AS value,
       a.user_id, a.model_version_id, a.status, NULL::annotations.bbox AS bbox, a.created_at
  FROM annotations.annotations a
 CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(a.concepts) c
UNION ALL
SELECT g.app_id, g.annotation_id, a.input_id, g.id,
       c.value OPERATOR(pg_catalog.->>) 'id',
       c.value OPERATOR(pg_catalog.->>) 'name',
       (c.value OPERATOR(pg_catalog.->>) 'value')::float8,
       a.user_id, a.model_version_id, a.status, g.bbox, a.created_at
  FROM annotations.regions g
  JOIN annotations.annotations a
    ON a.app_id OPERATOR(pg_catalog.=) g.app_id AND a.id OPERATOR(pg_catalog.=) g.annotation_id
 CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(g.concepts) c;
COMMENT ON VIEW annotations.concept_labels IS
  'One row per concept label: whole-input concepts (region_id NULL) and region concepts (with their bbox)';
GRANT SELECT ON annotations.concept_labels TO PUBLIC;
