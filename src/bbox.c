/*
 * bbox.c — the annotations.bbox type: I/O, validation, JSON and COCO
 * conversion, comparison and geometry.
 *
 * Every way a box gets in (text, binary, constructor, JSON, COCO) ends in
 * bbox_check(), so no invalid value can be stored.  Numbers are rounded to
 * float4 first and checked afterwards: the check is about what is stored.
 * A decimal number too large for float4 (1e39) is reported as out of range
 * (22023) with its original spelling, not as "Infinity".
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "bbox.h"
#include "shapes.h"
#include "json_read.h"

#define NFIELDS 4

/* Field names in storage (and Clarifai) order. */
static const char *const field_names[NFIELDS] = {
	"top_row", "left_col", "bottom_row", "right_col"
};

#define BBOX_SYNTAX_HINT \
	"Write a bounding box as (top_row,left_col,bottom_row,right_col)."
#define BBOX_JSON_DETAIL \
	"A bounding box is a JSON object with the four number keys top_row, left_col, bottom_row and right_col."

PG_FUNCTION_INFO_V1(bbox_in);
PG_FUNCTION_INFO_V1(bbox_out);
PG_FUNCTION_INFO_V1(bbox_recv);
PG_FUNCTION_INFO_V1(bbox_send);
PG_FUNCTION_INFO_V1(bbox_construct);
PG_FUNCTION_INFO_V1(bbox_from_jsonb_cast);
PG_FUNCTION_INFO_V1(bbox_to_jsonb_cast);
PG_FUNCTION_INFO_V1(bbox_to_json_cast);
PG_FUNCTION_INFO_V1(bbox_eq);
PG_FUNCTION_INFO_V1(bbox_ne);
PG_FUNCTION_INFO_V1(bbox_lt);
PG_FUNCTION_INFO_V1(bbox_le);
PG_FUNCTION_INFO_V1(bbox_gt);
PG_FUNCTION_INFO_V1(bbox_ge);
PG_FUNCTION_INFO_V1(bbox_cmp);
PG_FUNCTION_INFO_V1(bbox_hash);
PG_FUNCTION_INFO_V1(bbox_hash_extended);
PG_FUNCTION_INFO_V1(bbox_overlaps);
PG_FUNCTION_INFO_V1(bbox_contains);
PG_FUNCTION_INFO_V1(bbox_contained);
PG_FUNCTION_INFO_V1(bbox_area);
PG_FUNCTION_INFO_V1(bbox_iou);
PG_FUNCTION_INFO_V1(bbox_intersection);
PG_FUNCTION_INFO_V1(bbox_to_coco_sql);
PG_FUNCTION_INFO_V1(bbox_from_coco_sql);

/* ---------------------------------------------------------------- helpers */

/* The four values as an array, in field order. */
static inline void
bbox_get(const BBox *b, float4 v[NFIELDS])
{
	v[0] = b->top_row;
	v[1] = b->left_col;
	v[2] = b->bottom_row;
	v[3] = b->right_col;
}

/* Sets a box from four values; -0 becomes +0 so equal boxes have equal bytes. */
static inline void
bbox_set(BBox *b, const float4 v[NFIELDS])
{
	b->top_row = v[0] + 0.0f;
	b->left_col = v[1] + 0.0f;
	b->bottom_row = v[2] + 0.0f;
	b->right_col = v[3] + 0.0f;
}

/* The cheap test every entry point runs before building any message. */
static inline bool
bbox_is_valid(const BBox *b)
{
	/*
	 * NaN fails every comparison; an infinity fails either its range test or
	 * the top < bottom / left < right test, so no isfinite() is needed.
	 */
	return b->top_row >= 0.0f && b->left_col >= 0.0f &&
		b->bottom_row <= 1.0f && b->right_col <= 1.0f &&
		b->top_row < b->bottom_row && b->left_col < b->right_col;
}

/* Shortest text that reads back to d (palloc'd). */
static char *
float8_text(double d)
{
	char	   *buf = palloc(DOUBLE_SHORTEST_DECIMAL_LEN);

	double_to_shortest_decimal_buf(d, buf);
	return buf;
}

/*
 * Reports the first problem of an invalid box as 22023 "<where>: <reason>".
 * overflow[i], when not NULL, is the spelling of a finite number that was
 * too large for float4 (the stored value is then infinite).
 */
static void
bbox_report(const BBox *box, const char *where, char *const overflow[NFIELDS])
{
	float4		v[NFIELDS];
	int			i;

	bbox_get(box, v);
	for (i = 0; i < NFIELDS; i++)
	{
		if (overflow != NULL && overflow[i] != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be between 0 and 1",
							where, field_names[i], overflow[i]),
					 errdetail(BBOX_VALID_DETAIL)));
		if (isnan(v[i]) || isinf(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be a finite number",
							where, field_names[i], shape_float4_text(v[i])),
					 errdetail(BBOX_VALID_DETAIL)));
		if (v[i] < 0.0f || v[i] > 1.0f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be between 0 and 1",
							where, field_names[i], shape_float4_text(v[i])),
					 errdetail(BBOX_VALID_DETAIL)));
	}
	for (i = 0; i < 2; i++)
	{
		if (!(v[i] < v[i + 2]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be less than %s (%s)",
							where, field_names[i], shape_float4_text(v[i]),
							field_names[i + 2], shape_float4_text(v[i + 2])),
					 errdetail(BBOX_VALID_DETAIL)));
	}
	/* bbox_is_valid() and the checks above must agree */
	elog(ERROR, "bounding box failed validation without a reason");
}

/* Shared check of every entry point. */
void
bbox_validate(const BBox *box, const char *where)
{
	if (!bbox_is_valid(box))
		bbox_report(box, where, NULL);
}

/*
 * Rounds a double to float4 without undefined behaviour: a finite value
 * beyond float4's range is flagged (its spelling goes into *overflow).
 */
static float4
double_to_float4(double d, char **overflow)
{
	*overflow = NULL;
	if (!isnan(d) && !isinf(d) && fabs(d) > FLT_MAX)
	{
		*overflow = float8_text(d);
		return d > 0 ? INFINITY : -INFINITY;
	}
	return (float4) d;
}

/* Builds and validates a box from doubles (rounded to float4 first). */
void
bbox_from_doubles(double top, double left, double bottom, double right,
				  const char *where, BBox *out)
{
	double		d[NFIELDS] = {top, left, bottom, right};
	float4		v[NFIELDS];
	char	   *overflow[NFIELDS];
	bool		any_overflow = false;
	int			i;

	for (i = 0; i < NFIELDS; i++)
	{
		v[i] = double_to_float4(d[i], &overflow[i]);
		any_overflow |= (overflow[i] != NULL);
	}
	bbox_set(out, v);
	if (any_overflow || !bbox_is_valid(out))
		bbox_report(out, where, overflow);
}

/* ------------------------------------------------------------ text input */

/* Raises the 22P02 error for text input, with what was expected. */
static void
syntax_error(const char *str, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type bbox: \"%s\"", str),
			 errdetail("Expected %s.", expected),
			 errhint(BBOX_SYNTAX_HINT)));
}

/* Text input: (top_row,left_col,bottom_row,right_col). */
Datum
bbox_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	float4		v[NFIELDS];
	char	   *overflow[NFIELDS];
	bool		any_overflow = false;
	BBox	   *box;
	int			i;

	while (isspace((unsigned char) *p))
		p++;
	if (*p != '(')
		syntax_error(str, "\"(\" at the start");
	p++;
	for (i = 0; i < NFIELDS; i++)
	{
		int			len;

		while (isspace((unsigned char) *p))
			p++;
		len = shape_number_length(p);
		if (len == 0)
			syntax_error(str, psprintf("a number for %s", field_names[i]));
		v[i] = shape_decimal_to_float4(p, len, &overflow[i]);
		any_overflow |= (overflow[i] != NULL);
		p += len;
		while (isspace((unsigned char) *p))
			p++;
		if (*p != (i < NFIELDS - 1 ? ',' : ')'))
			syntax_error(str, psprintf("\"%c\" after %s",
									   i < NFIELDS - 1 ? ',' : ')',
									   field_names[i]));
		p++;
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		syntax_error(str, "nothing after \")\"");

	box = palloc(sizeof(BBox));
	bbox_set(box, v);
	if (any_overflow || !bbox_is_valid(box))
		bbox_report(box, psprintf("invalid bounding box \"%s\"", str), overflow);
	PG_RETURN_BBOX_P(box);
}

/* Text output: shortest round-trip spelling, whatever extra_float_digits says. */
Datum
bbox_out(PG_FUNCTION_ARGS)
{
	BBox	   *box = PG_GETARG_BBOX_P(0);
	float4		v[NFIELDS];
	char	   *buf = palloc(NFIELDS * FLOAT_SHORTEST_DECIMAL_LEN + 8);
	char	   *p = buf;
	int			i;

	bbox_get(box, v);
	*p++ = '(';
	for (i = 0; i < NFIELDS; i++)
	{
		if (i > 0)
			*p++ = ',';
		p += float_to_shortest_decimal_bufn(v[i], p);
	}
	*p++ = ')';
	*p = '\0';
	PG_RETURN_CSTRING(buf);
}

/* Binary input: four float4; re-validated, since clients send it. */
Datum
bbox_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	float4		v[NFIELDS];
	BBox	   *box = palloc(sizeof(BBox));
	int			i;

	for (i = 0; i < NFIELDS; i++)
		v[i] = pq_getmsgfloat4(buf);
	bbox_set(box, v);
	bbox_validate(box, "invalid bounding box in binary input");
	PG_RETURN_BBOX_P(box);
}

/* Binary output: four float4 in field order. */
Datum
bbox_send(PG_FUNCTION_ARGS)
{
	BBox	   *box = PG_GETARG_BBOX_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendfloat4(&buf, box->top_row);
	pq_sendfloat4(&buf, box->left_col);
	pq_sendfloat4(&buf, box->bottom_row);
	pq_sendfloat4(&buf, box->right_col);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* annotations.bbox(top_row, left_col, bottom_row, right_col) */
Datum
bbox_construct(PG_FUNCTION_ARGS)
{
	BBox	   *box = palloc(sizeof(BBox));

	bbox_from_doubles(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
					  PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
					  "invalid bounding box", box);
	PG_RETURN_BBOX_P(box);
}

/* ------------------------------------------------------------------ JSON */

/* Index of a key in field_names, or -1. */
static int
field_index(const char *key, int len)
{
	int			i;

	for (i = 0; i < NFIELDS; i++)
		if (strlen(field_names[i]) == (size_t) len &&
			memcmp(field_names[i], key, len) == 0)
			return i;
	return -1;
}

/* Takes one key/value pair of a bounding_box object. */
static void
json_field(const JsonbValue *key, const JsonbValue *val, const char *where, bool null_is_missing,
		   float4 v[NFIELDS], char *overflow[NFIELDS], bool seen[NFIELDS])
{
	int			i = field_index(key->val.string.val, key->val.string.len);

	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: unknown key \"%s\"", where,
						shape_shown_text(key->val.string.val, key->val.string.len)),
				 errdetail("Allowed keys here: top_row, left_col, bottom_row, right_col.")));
	if (val->type == jbvNull && null_is_missing)
		return;
	if (val->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s.%s: expected a number, got %s",
						where, field_names[i], shape_json_type_name(val)),
				 errdetail(BBOX_JSON_DETAIL)));
	v[i] = shape_numeric_to_float4(val->val.numeric, &overflow[i]);
	seen[i] = true;
}

/* Parses a bounding_box object; missing_is_zero reads it as proto3 does. */
static void
bbox_from_json(const JsonbValue *v, const char *where, bool missing_is_zero, BBox *out)
{
	float4		vals[NFIELDS] = {0};
	char	   *overflow[NFIELDS] = {NULL};
	bool		seen[NFIELDS] = {false};
	bool		any_overflow = false;
	int			i;

	if (v != NULL && v->type == jbvBinary &&
		JsonContainerIsObject(v->val.binary.data))
	{
		JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
		JsonbValue	key;
		JsonbValue	val;
		JsonbIteratorToken tok;

		while ((tok = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
		{
			if (tok != WJB_KEY)
				continue;
			tok = JsonbIteratorNext(&it, &val, true);
			if (tok != WJB_VALUE)
				elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
			json_field(&key, &val, where, missing_is_zero, vals, overflow, seen);
		}
	}
	else if (v != NULL && v->type == jbvObject)
	{
		for (i = 0; i < v->val.object.nPairs; i++)
			json_field(&v->val.object.pairs[i].key, &v->val.object.pairs[i].value,
					   where, missing_is_zero, vals, overflow, seen);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected an object, got %s", where,
						v == NULL ? "nothing" : shape_json_type_name(v)),
				 errdetail(BBOX_JSON_DETAIL)));

	for (i = 0; i < NFIELDS; i++)
	{
		if (!seen[i] && !missing_is_zero)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: missing key \"%s\"", where, field_names[i]),
					 errdetail(BBOX_JSON_DETAIL)));
		any_overflow |= (overflow[i] != NULL);
	}
	bbox_set(out, vals);
	if (any_overflow || !bbox_is_valid(out))
		bbox_report(out, where, overflow);
}

/* Parses a Clarifai bounding_box object (see bbox.h). */
void
bbox_from_jsonb_value(const JsonbValue *v, const char *where, BBox *out)
{
	bbox_from_json(v, where, false, out);
}

/* The same, a missing side being 0 (see bbox.h). */
void
bbox_from_request_json(const JsonbValue *v, const char *where, BBox *out)
{
	bbox_from_json(v, where, true, out);
}

/* Adds the four keys to an object under construction. */
void
bbox_push_jsonb(JsonbParseState **state, const BBox *box)
{
	float4		v[NFIELDS];
	int			i;

	bbox_get(box, v);
	for (i = 0; i < NFIELDS; i++)
	{
		JsonbValue	key;
		JsonbValue	val;

		key.type = jbvString;
		key.val.string.val = (char *) field_names[i];
		key.val.string.len = strlen(field_names[i]);
		pushJsonbValue(state, WJB_KEY, &key);
		val.type = jbvNumeric;
		val.val.numeric = shape_float4_numeric(v[i]);
		pushJsonbValue(state, WJB_VALUE, &val);
	}
}

/* The Clarifai object for a box. */
Jsonb *
bbox_to_jsonb(const BBox *box)
{
	JsonbParseState *state = NULL;
	JsonbValue *res;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	bbox_push_jsonb(&state, box);
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

/* Cast jsonb -> bbox. */
Datum
bbox_from_jsonb_cast(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbValue	v;
	BBox	   *box = palloc(sizeof(BBox));

	jr_root(jb, &v);
	bbox_from_jsonb_value(&v, "bounding_box", box);
	PG_RETURN_BBOX_P(box);
}

/* Cast bbox -> jsonb. */
Datum
bbox_to_jsonb_cast(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(bbox_to_jsonb(PG_GETARG_BBOX_P(0)));
}

/*
 * Cast bbox -> json, in Clarifai key order.  Having it makes to_json(),
 * to_jsonb() and jsonb_build_object() write the object, not the text form.
 */
Datum
bbox_to_json_cast(PG_FUNCTION_ARGS)
{
	BBox	   *box = PG_GETARG_BBOX_P(0);
	float4		v[NFIELDS];
	StringInfoData s;
	int			i;

	bbox_get(box, v);
	initStringInfo(&s);
	appendStringInfoChar(&s, '{');
	for (i = 0; i < NFIELDS; i++)
	{
		char		buf[FLOAT_SHORTEST_DECIMAL_LEN];

		float_to_shortest_decimal_buf(v[i], buf);
		appendStringInfo(&s, "%s\"%s\": %s", i > 0 ? ", " : "", field_names[i], buf);
	}
	appendStringInfoChar(&s, '}');
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s.data, s.len));
}

/* ------------------------------------------------------ B-tree and hash */

/* Order by top_row, then left_col, bottom_row, right_col (never NaN). */
static int
bbox_cmp_internal(const BBox *a, const BBox *b)
{
	float4		va[NFIELDS];
	float4		vb[NFIELDS];
	int			i;

	bbox_get(a, va);
	bbox_get(b, vb);
	for (i = 0; i < NFIELDS; i++)
	{
		if (va[i] < vb[i])
			return -1;
		if (va[i] > vb[i])
			return 1;
	}
	return 0;
}

Datum
bbox_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_equal_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)));
}

Datum
bbox_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!bbox_equal_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)));
}

Datum
bbox_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_cmp_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)) < 0);
}

Datum
bbox_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_cmp_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)) <= 0);
}

Datum
bbox_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_cmp_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)) > 0);
}

Datum
bbox_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_cmp_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)) >= 0);
}

Datum
bbox_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(bbox_cmp_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)));
}

/*
 * Hash of the bytes.  Stored boxes are canonical already; -0 is folded
 * again here so that = and hashing agree even for a box built elsewhere.
 */
static inline void
bbox_hash_key(const BBox *b, BBox *key)
{
	float4		v[NFIELDS];

	bbox_get(b, v);
	bbox_set(key, v);
}

Datum
bbox_hash(PG_FUNCTION_ARGS)
{
	BBox		key;

	bbox_hash_key(PG_GETARG_BBOX_P(0), &key);
	return hash_any((const unsigned char *) &key, sizeof(BBox));
}

Datum
bbox_hash_extended(PG_FUNCTION_ARGS)
{
	BBox		key;

	bbox_hash_key(PG_GETARG_BBOX_P(0), &key);
	return hash_any_extended((const unsigned char *) &key, sizeof(BBox),
							 PG_GETARG_INT64(1));
}

/* --------------------------------------------------------------- geometry */

/* a && b: the boxes share at least a point (touching counts, as for box). */
Datum
bbox_overlaps(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_overlaps_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)));
}

/* a @> b */
Datum
bbox_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_contains_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1)));
}

/* a <@ b */
Datum
bbox_contained(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bbox_contains_internal(PG_GETARG_BBOX_P(1), PG_GETARG_BBOX_P(0)));
}

/* Area of a box whose sides are positive, from decimal values. */
static double
bbox_area_decimal(const BBox *b)
{
	return (shape_float4_decimal(b->bottom_row) - shape_float4_decimal(b->top_row)) *
		(shape_float4_decimal(b->right_col) - shape_float4_decimal(b->left_col));
}

/* Fraction of the image covered. */
Datum
bbox_area(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(bbox_area_decimal(PG_GETARG_BBOX_P(0)));
}

/* The shared part of two boxes (may be flat or inverted: then no area). */
static inline void
bbox_intersect_internal(const BBox *a, const BBox *b, BBox *out)
{
	out->top_row = Max(a->top_row, b->top_row);
	out->left_col = Max(a->left_col, b->left_col);
	out->bottom_row = Min(a->bottom_row, b->bottom_row);
	out->right_col = Min(a->right_col, b->right_col);
}

/* Intersection over union, in double; 0 when the shared part has no area. */
Datum
bbox_iou(PG_FUNCTION_ARGS)
{
	BBox	   *a = PG_GETARG_BBOX_P(0);
	BBox	   *b = PG_GETARG_BBOX_P(1);
	BBox		inter;
	double		ai;

	bbox_intersect_internal(a, b, &inter);
	if (!(inter.top_row < inter.bottom_row && inter.left_col < inter.right_col))
		PG_RETURN_FLOAT8(0.0);
	ai = bbox_area_decimal(&inter);
	/* the union is at least as large as each box, hence positive */
	PG_RETURN_FLOAT8(ai / (bbox_area_decimal(a) + bbox_area_decimal(b) - ai));
}

/* The shared part as a box; NULL when it has no area (only touching). */
Datum
bbox_intersection(PG_FUNCTION_ARGS)
{
	BBox	   *box = palloc(sizeof(BBox));

	bbox_intersect_internal(PG_GETARG_BBOX_P(0), PG_GETARG_BBOX_P(1), box);
	if (!(box->top_row < box->bottom_row && box->left_col < box->right_col))
		PG_RETURN_NULL();
	/* min/max of valid boxes: valid by construction */
	Assert(bbox_is_valid(box));
	PG_RETURN_BBOX_P(box);
}

/* ------------------------------------------------------------------- COCO */

/* Element names of a COCO box. */
static const char *const coco_names[4] = {"x", "y", "w", "h"};

/* Raises 22023 for a width or height that is not positive. */
static void
check_image_size(int32 width, int32 height, const char *where)
{
	if (width <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: image width (%d) must be greater than 0", where, width)));
	if (height <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: image height (%d) must be greater than 0", where, height)));
}

/* COCO [x,y,w,h] pixels -> normalized box (see bbox.h). */
void
bbox_from_coco(double x, double y, double w, double h,
			   int32 width, int32 height, const char *where, BBox *out)
{
	double		c[4] = {x, y, w, h};
	int			i;

	check_image_size(width, height, where);
	for (i = 0; i < 4; i++)
		if (isnan(c[i]) || isinf(c[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be a finite number",
							where, coco_names[i], float8_text(c[i]))));
	for (i = 2; i < 4; i++)
		if (!(c[i] > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be greater than 0",
							where, coco_names[i], float8_text(c[i]))));
	/* x + w may overflow double only for absurd input; that is an error too */
	bbox_from_doubles(y / height, x / width, (y + h) / height, (x + w) / width,
					  where, out);
}

/* Normalized box -> COCO [x,y,w,h] pixels, in double from decimal values. */
void
bbox_to_coco(const BBox *box, int32 width, int32 height, double out[4])
{
	double		x1 = shape_float4_decimal(box->left_col) * width;
	double		y1 = shape_float4_decimal(box->top_row) * height;

	/* corners first: 0.4 * 480 - 0.2 * 480 is 96, (0.4 - 0.2) * 480 is not */
	out[0] = x1;
	out[1] = y1;
	out[2] = shape_float4_decimal(box->right_col) * width - x1;
	out[3] = shape_float4_decimal(box->bottom_row) * height - y1;
}

/* annotations.to_coco(bbox, width, height) -> float8[] */
Datum
bbox_to_coco_sql(PG_FUNCTION_ARGS)
{
	BBox	   *box = PG_GETARG_BBOX_P(0);
	int32		width = PG_GETARG_INT32(1);
	int32		height = PG_GETARG_INT32(2);
	double		c[4];
	Datum		elems[4];
	int			i;

	check_image_size(width, height, "invalid image size");
	bbox_to_coco(box, width, height, c);
	for (i = 0; i < 4; i++)
		elems[i] = Float8GetDatum(c[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, 4, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* annotations.from_coco(float8[], width, height) -> bbox */
Datum
bbox_from_coco_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int32		width = PG_GETARG_INT32(1);
	int32		height = PG_GETARG_INT32(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	double		c[4];
	char	   *where;
	BBox	   *box = palloc(sizeof(BBox));

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid COCO box: expected a one-dimensional array [x,y,w,h], got %d dimensions",
						ARR_NDIM(arr))));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elems, &nulls, &n);
	if (n != 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid COCO box: expected 4 numbers [x,y,w,h], got %d", n)));
	for (i = 0; i < 4; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid COCO box: %s must not be NULL",
							coco_names[i])));
		c[i] = DatumGetFloat8(elems[i]);
	}
	where = psprintf("invalid COCO box [%s,%s,%s,%s] in a %dx%d image",
					 float8_text(c[0]), float8_text(c[1]), float8_text(c[2]),
					 float8_text(c[3]), width, height);
	bbox_from_coco(c[0], c[1], c[2], c[3], width, height, where, box);
	PG_RETURN_BBOX_P(box);
}
