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

