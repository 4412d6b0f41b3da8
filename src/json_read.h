/*
 * json_read.h — reading request JSON with the item path in every error.
 *
 * Every value handed around is a JsonbValue; objects and arrays are
 * jbvBinary containers. A "path" is the human-readable location used in
 * error messages, e.g. "annotations[3].data.regions[0]".
 */
#ifndef ANNOTATIONS_JSON_READ_H
#define ANNOTATIONS_JSON_READ_H

#include "postgres.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

/* Longest id (app, input, annotation, region, user, model, concept). */
#define MAX_ID_LENGTH 255
/* Items per post/patch call (Clarifai's limit). */
#define MAX_BATCH 128
/* Concepts in one list: bounds the work one request can ask for. */
#define MAX_CONCEPTS 1000
/*
 * Free-form objects (annotation_info, input metadata) are walked again by
 * every patch, recursively: their nesting depth (the object itself is level
 * 1) and their keys and array elements at all depths are bounded.
 */
#define MAX_JSON_DEPTH 64
#define MAX_JSON_ITEMS 10000

/* Wraps a whole Jsonb datum as a jbvBinary value. */
extern void jr_root(Jsonb *jb, JsonbValue *out);

/* The JSON type name of a value, for messages ("object", "string", …). */
extern const char *jr_type_name(const JsonbValue *v);

/* True when v is absent (NULL pointer) or a JSON null. */
static inline bool
jr_is_missing(const JsonbValue *v)
{
	return v == NULL || v->type == jbvNull;
}

/*
 * Reads an object whose keys must all be in keys[0..nkeys-1]; values[i] gets
 * the value of keys[i] and present[i] whether it was there (a JSON null
 * counts as not there). Anything else is a 22023 error naming path.
 */
extern void jr_object(const JsonbValue *v, const char *path,
					  const char *const *keys, int nkeys,
					  JsonbValue *values, bool *present);

/* A list of keys (a field list of a Clarifai message). */
typedef struct JrKeys
{
	const char *const *keys;
	int			n;
} JrKeys;

/*
 * jr_object where the keys in unkept (fields of the Clarifai message that
 * have no meaning here) are also accepted when they hold their default value
 * (see jr_is_default), and ignored; any other value of theirs is an error.
 */
extern void jr_object_unkept(const JsonbValue *v, const char *path,
							 const char *const *keys, int nkeys, const JrKeys *unkept,
							 JsonbValue *values, bool *present);

/*
 * Whether a value is a proto3 default: null, "", "0", 0, false, [] or {}.
 * In an unkept key list, "name=ZERO" names an enum field whose zero value
 * is also accepted by its name.
 */
extern bool jr_is_default(const JsonbValue *v);

/*
 * Steps an iterator made by JsonbIteratorInit over an object's key/value
 * pairs (nested containers come back whole, as jbvBinary); false at the end.
 */
extern bool jr_next_pair(JsonbIterator **it, JsonbValue *key, JsonbValue *val);

/* Checks v is an array and returns its length. */
extern int	jr_array_length(const JsonbValue *v, const char *path);

/* Element i of an array checked by jr_array_length. */
extern JsonbValue *jr_array_element(const JsonbValue *v, int i);

/* Checks a request batch: an array of 1..MAX_BATCH elements. */
extern int	jr_batch_length(Jsonb *jb, const char *what, JsonbValue *root);

/* A string value (a copy, NUL-terminated). */
extern char *jr_string(const JsonbValue *v, const char *path);

/* An id: a string of 1..MAX_ID_LENGTH characters with no control characters. */
extern char *jr_id(const JsonbValue *v, const char *path);

/*
 * An optional id: NULL when not present or "" (proto3's "not set"),
 * else as jr_id.
 */
extern char *jr_optional_id(const JsonbValue *v, bool present, const char *path);

/* Validates a C-string id the same way (for SQL arguments). */
extern void jr_check_id(const char *id, const char *path);

/* A number's text for a message, shortened when it is long. */
extern char *jr_numeric_text(Numeric num);

/* A key or text for a message: at most 100 bytes, cut on a character boundary. */
extern char *jr_clip(const char *s, int len);

/* A JSON number as double (huge values come back infinite, never an error). */
extern double jr_number(const JsonbValue *v, const char *path);

/* A JSON number that must be a whole number in [min, max]. */
extern int64 jr_integer(const JsonbValue *v, const char *path, int64 min, int64 max);

/*
 * A time in RFC 3339 form (2024-01-31T12:00:00Z, with a fraction of a second
 * and an offset optional), as proto3 JSON writes a Timestamp.
 */
extern TimestampTz jr_timestamp(const JsonbValue *v, const char *path);

/* A JSON boolean. */
extern bool jr_bool(const JsonbValue *v, const char *path);

/* Checks v is an object (any keys) and returns it as a Jsonb. */
extern Jsonb *jr_any_object(const JsonbValue *v, const char *path);

/* The same for a free-form object that is stored: also within the limits above. */
extern Jsonb *jr_free_object(const JsonbValue *v, const char *path);

/* 22023 unless a container is within MAX_JSON_DEPTH and MAX_JSON_ITEMS. */
extern void jr_check_limits(JsonbContainer *c, const char *path);

/* Whether a counted string satisfies the id rule (no error raised). */
extern bool jr_id_ok(const char *s, int len);

/* The JSON type of a container for messages, a scalar root by its own type. */
extern const char *jr_container_type_name(JsonbContainer *c);

/* path + "." + key and path + "[i]" */
extern char *jr_key_path(const char *path, const char *key);
extern char *jr_index_path(const char *path, int i);

/* A new random id: 32 lowercase hex characters. */
extern char *jr_new_id(void);

#endif
