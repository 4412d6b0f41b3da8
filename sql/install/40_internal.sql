-- Internal C functions (not for direct use; closed to other roles).

CREATE FUNCTION annotations._check_id(id text, what text) RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_check_id'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._check_id(text, text) IS
  'Internal: raises 22023 unless id is 1 to 255 characters without control characters';
