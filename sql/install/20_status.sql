-- Review statuses (SPEC §4).

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
