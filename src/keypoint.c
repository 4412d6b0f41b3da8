/*
 * keypoint.c — the annotations.keypoint type: Clarifai's region "point",
 * one (row, col) pair in [0,1].
 *
 * Its own fixed-size type rather than a one-point polygon: a point has no
 * area and no outline, so every polygon rule (3 points, area > 0) would
 * have to be waived for it, and 8 fixed bytes beat a varlena.  It is not
 * called "point" because core PostgreSQL has a point type, and an
 * unqualified name would silently mean the other one.
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "bbox.h"
#include "shapes.h"
#include "json_read.h"

#define KEYPOINT_VALID_DETAIL "A keypoint is two numbers (row, col) between 0 and 1."
#define KEYPOINT_JSON_DETAIL \
	"A keypoint is a JSON object {\"row\": …, \"col\": …} with numbers between 0 and 1."

PG_FUNCTION_INFO_V1(keypoint_in);
PG_FUNCTION_INFO_V1(keypoint_out);
PG_FUNCTION_INFO_V1(keypoint_recv);
PG_FUNCTION_INFO_V1(keypoint_send);
PG_FUNCTION_INFO_V1(keypoint_construct);
PG_FUNCTION_INFO_V1(keypoint_from_jsonb_cast);
PG_FUNCTION_INFO_V1(keypoint_to_jsonb_cast);
PG_FUNCTION_INFO_V1(keypoint_to_json_cast);
PG_FUNCTION_INFO_V1(keypoint_eq);
PG_FUNCTION_INFO_V1(keypoint_ne);
PG_FUNCTION_INFO_V1(keypoint_hash);
PG_FUNCTION_INFO_V1(keypoint_bbox);

static const char *const names[2] = {"row", "col"};

/* The one check of every entry point; folds -0 to +0. */
static void
keypoint_check(Keypoint *k, const char *where, char *const overflow[2])
{
	float4		v[2] = {k->row, k->col};
	int			i;

	for (i = 0; i < 2; i++)
	{
		if (overflow != NULL && overflow[i] != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be between 0 and 1", where, names[i], overflow[i]),
					 errdetail(KEYPOINT_VALID_DETAIL)));
		if (isnan(v[i]) || isinf(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be a finite number",
							where, names[i], shape_float4_text(v[i])),
					 errdetail(KEYPOINT_VALID_DETAIL)));
		if (v[i] < 0.0f || v[i] > 1.0f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be between 0 and 1",
							where, names[i], shape_float4_text(v[i])),
					 errdetail(KEYPOINT_VALID_DETAIL)));
	}
	k->row = v[0] + 0.0f;
	k->col = v[1] + 0.0f;
}

static void
syntax_error(const char *str, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type annotations.keypoint: \"%s\"",
					shape_shown_text(str, strlen(str))),
			 errdetail("Expected %s.", expected),
			 errhint("Write a keypoint as (row,col).")));
}

/* Text input: (row,col). */
Datum
keypoint_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	float4		v[2];
	char	   *overflow[2];
	Keypoint   *k;
	int			i;

	while (isspace((unsigned char) *p))
		p++;
	if (*p != '(')
		syntax_error(str, "\"(\" at the start");
	p++;
	for (i = 0; i < 2; i++)
	{
		int			len;

		while (isspace((unsigned char) *p))
			p++;
		len = shape_number_length(p);
		if (len == 0)
			syntax_error(str, psprintf("a number for %s", names[i]));
		v[i] = shape_decimal_to_float4(p, len, &overflow[i]);
		p += len;
		while (isspace((unsigned char) *p))
			p++;
		if (*p != (i == 0 ? ',' : ')'))
			syntax_error(str, psprintf("\"%c\" after %s", i == 0 ? ',' : ')', names[i]));
		p++;
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		syntax_error(str, "nothing after \")\"");
	k = palloc(sizeof(Keypoint));
	k->row = v[0];
	k->col = v[1];
	keypoint_check(k, psprintf("invalid keypoint \"%s\"", shape_shown_text(str, strlen(str))),
				   overflow);
	PG_RETURN_POINTER(k);
}

Datum
keypoint_out(PG_FUNCTION_ARGS)
{
	Keypoint   *k = PG_GETARG_KEYPOINT_P(0);
	char	   *buf = palloc(2 * FLOAT_SHORTEST_DECIMAL_LEN + 4);
	char	   *p = buf;

	*p++ = '(';
	p += float_to_shortest_decimal_bufn(k->row, p);
	*p++ = ',';
	p += float_to_shortest_decimal_bufn(k->col, p);
	*p++ = ')';
	*p = '\0';
	PG_RETURN_CSTRING(buf);
}

/* Binary input: two float4 (row, col), validated. */
Datum
keypoint_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Keypoint   *k = palloc(sizeof(Keypoint));

	k->row = pq_getmsgfloat4(buf);
	k->col = pq_getmsgfloat4(buf);
	keypoint_check(k, "invalid keypoint in binary input", NULL);
	PG_RETURN_POINTER(k);
}

Datum
keypoint_send(PG_FUNCTION_ARGS)
{
	Keypoint   *k = PG_GETARG_KEYPOINT_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendfloat4(&buf, k->row);
	pq_sendfloat4(&buf, k->col);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A double rounded to float4, a too-large finite one flagged. */
static float4
to_float4(double d, char **overflow)
{
	*overflow = NULL;
	if (!isnan(d) && !isinf(d) && fabs(d) > FLT_MAX)
	{
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

		double_to_shortest_decimal_buf(d, buf);
		*overflow = pstrdup(buf);
		return d > 0 ? INFINITY : -INFINITY;
	}
	return (float4) d;
}

/* annotations.keypoint(row, col) */
Datum
keypoint_construct(PG_FUNCTION_ARGS)
{
	Keypoint   *k = palloc(sizeof(Keypoint));
	char	   *overflow[2];

	k->row = to_float4(PG_GETARG_FLOAT8(0), &overflow[0]);
	k->col = to_float4(PG_GETARG_FLOAT8(1), &overflow[1]);
	keypoint_check(k, "invalid keypoint", overflow);
	PG_RETURN_POINTER(k);
}

void
keypoint_from_jsonb_value(const JsonbValue *v, const char *where, Keypoint *out)
{
	JsonbContainer *obj = shape_json_object(v, where, KEYPOINT_JSON_DETAIL);
	char	   *overflow[2];
	float4		f[2];
	int			i;

	shape_json_only_keys(obj, names, 2, where, KEYPOINT_JSON_DETAIL);
	for (i = 0; i < 2; i++)
	{
		JsonbValue	val;

		if (!shape_json_get(obj, names[i], &val))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: missing key \"%s\"", where, names[i]),
					 errdetail(KEYPOINT_JSON_DETAIL)));
		if (val.type != jbvNumeric)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.%s: expected a number, got %s",
							where, names[i], shape_json_type_name(&val)),
					 errdetail(KEYPOINT_JSON_DETAIL)));
		f[i] = shape_numeric_to_float4(val.val.numeric, &overflow[i]);
	}
	out->row = f[0];
	out->col = f[1];
	keypoint_check(out, where, overflow);
}

Jsonb *
keypoint_to_jsonb(const Keypoint *k)
{
	JsonbParseState *state = NULL;
	JsonbValue *res;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	shape_push_key(&state, "row");
	shape_push_float4(&state, k->row);
	shape_push_key(&state, "col");
	shape_push_float4(&state, k->col);
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

Datum
keypoint_from_jsonb_cast(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbValue	v;
	Keypoint   *k = palloc(sizeof(Keypoint));

	jr_root(jb, &v);
	keypoint_from_jsonb_value(&v, "point", k);
	PG_RETURN_POINTER(k);
}

Datum
keypoint_to_jsonb_cast(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(keypoint_to_jsonb(PG_GETARG_KEYPOINT_P(0)));
}

/* Cast keypoint -> json, in Clarifai key order. */
Datum
keypoint_to_json_cast(PG_FUNCTION_ARGS)
{
	Keypoint   *k = PG_GETARG_KEYPOINT_P(0);
	char		r[FLOAT_SHORTEST_DECIMAL_LEN];
	char		c[FLOAT_SHORTEST_DECIMAL_LEN];

	float_to_shortest_decimal_buf(k->row, r);
	float_to_shortest_decimal_buf(k->col, c);
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("{\"row\": %s, \"col\": %s}", r, c)));
}

Datum
keypoint_eq(PG_FUNCTION_ARGS)
{
	Keypoint   *a = PG_GETARG_KEYPOINT_P(0);
	Keypoint   *b = PG_GETARG_KEYPOINT_P(1);

	PG_RETURN_BOOL(a->row == b->row && a->col == b->col);
}

Datum
keypoint_ne(PG_FUNCTION_ARGS)
{
	Keypoint   *a = PG_GETARG_KEYPOINT_P(0);
	Keypoint   *b = PG_GETARG_KEYPOINT_P(1);

	PG_RETURN_BOOL(a->row != b->row || a->col != b->col);
}

/* Stored keypoints have no -0, so equal keypoints have equal bytes. */
Datum
keypoint_hash(PG_FUNCTION_ARGS)
{
	return hash_any((const unsigned char *) PG_GETARG_KEYPOINT_P(0), sizeof(Keypoint));
}

/*
 * The enclosing box of a point: a box cannot be flat, so it is the
 * smallest one there is, one float4 step tall and wide, reaching down and
 * right from the point (up or left when the point is on the bottom or
 * right edge).  It contains the point, so a box search finds point regions.
 */
Datum
keypoint_bbox(PG_FUNCTION_ARGS)
{
	Keypoint   *k = PG_GETARG_KEYPOINT_P(0);
	BBox	   *box = palloc(sizeof(BBox));

	if (k->row < 1.0f)
	{
		box->top_row = k->row;
		box->bottom_row = nextafterf(k->row, 2.0f);
	}
	else
	{
		box->top_row = nextafterf(k->row, 0.0f);
		box->bottom_row = k->row;
	}
	if (k->col < 1.0f)
	{
		box->left_col = k->col;
		box->right_col = nextafterf(k->col, 2.0f);
	}
	else
	{
		box->left_col = nextafterf(k->col, 0.0f);
		box->right_col = k->col;
	}
	bbox_validate(box, "enclosing box of a keypoint");
	PG_RETURN_POINTER(box);
}
