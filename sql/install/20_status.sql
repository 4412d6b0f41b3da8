-- Review statuses: the enum, Clarifai's codes and names.

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

-- Status filters take text[] (labels, Clarifai names or codes); a status[]
-- argument, as 1.0's filters took, still fits them through this cast.
CREATE CAST (annotations.status[] AS text[]) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (annotations.status[] AS text[]) IS
  'so a status[] reaches the text[] status filters of list_annotations and count_annotations';
