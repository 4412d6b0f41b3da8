/*
 * polygon.c — the annotations.polygon type: validation, text/binary/JSON
 * I/O, the constructor from a flat array, equality, ordering and hashing,
 * area and the enclosing box.  Geometry between shapes is in shape_ops.c.
 *
 * A polygon is valid when it has 3 to POLYGON_MAX_POINTS points, every
 * coordinate finite and in [0,1], at least 3 distinct points, and an area
 * greater than 0.  Self-intersection is not checked: it costs as much as an
 * intersection, and Clarifai does not refuse such outlines either.
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "bbox.h"
#include "geom.h"
#include "shapes.h"
#include "json_read.h"

#define POLYGON_SYNTAX_HINT "Write a polygon as ((row,col),(row,col),(row,col),...)."
#define POLYGON_JSON_DETAIL \
	"A polygon is a JSON object {\"points\": [{\"row\": …, \"col\": …}, …]} with numbers between 0 and 1."

PG_FUNCTION_INFO_V1(polygon_in);
PG_FUNCTION_INFO_V1(polygon_out);
PG_FUNCTION_INFO_V1(polygon_recv);
PG_FUNCTION_INFO_V1(polygon_send);
PG_FUNCTION_INFO_V1(polygon_construct);
PG_FUNCTION_INFO_V1(polygon_from_jsonb_cast);
PG_FUNCTION_INFO_V1(polygon_to_jsonb_cast);
PG_FUNCTION_INFO_V1(polygon_to_json_cast);
PG_FUNCTION_INFO_V1(polygon_eq);
PG_FUNCTION_INFO_V1(polygon_ne);
PG_FUNCTION_INFO_V1(polygon_lt);
PG_FUNCTION_INFO_V1(polygon_le);
PG_FUNCTION_INFO_V1(polygon_gt);
PG_FUNCTION_INFO_V1(polygon_ge);
PG_FUNCTION_INFO_V1(polygon_cmp);
PG_FUNCTION_INFO_V1(polygon_hash);
PG_FUNCTION_INFO_V1(polygon_hash_extended);
PG_FUNCTION_INFO_V1(polygon_area);
PG_FUNCTION_INFO_V1(polygon_bbox);
PG_FUNCTION_INFO_V1(polygon_npoints);

/* ------------------------------------------------------------ validation */

static void
too_few_points(const char *where, int n)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: a polygon needs at least %d points, got %d",
					where, POLYGON_MIN_POINTS, n),
			 errdetail(POLYGON_VALID_DETAIL)));
}

static void
too_many_points(const char *where)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: a polygon may have at most %d points",
					where, POLYGON_MAX_POINTS),
			 errdetail(POLYGON_VALID_DETAIL)));
}

/*
 * Twice the signed area of the stored points (x = col, y = row), and
 * whether it is distinguishable from 0.  Each product of two float4 is
 * exact in double, and Neumaier's summation leaves an error far below
 * 2^-80 of the sum of the terms' magnitudes, so a polygon whose points are
 * exactly collinear is refused whatever its coordinates, and one whose
 * area is below that bound has none worth keeping.
 */
static bool
stored_area_positive(const PolyPoint *p, int n)
{
	double		sum = 0.0;
	double		comp = 0.0;
	double		mag = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		const PolyPoint *a = &p[i];
		const PolyPoint *b = &p[(i + 1) % n];
		double		terms[2];
		int			k;

		terms[0] = (double) a->col * (double) b->row;
		terms[1] = -((double) b->col * (double) a->row);
		for (k = 0; k < 2; k++)
		{
			double		t = sum + terms[k];

			if (fabs(sum) >= fabs(terms[k]))
				comp += (sum - t) + terms[k];
			else
				comp += (terms[k] - t) + sum;
			sum = t;
			mag += fabs(terms[k]);
		}
		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
	}
	sum += comp;
	return fabs(sum) > ldexp(mag, -80);
}

/* Three distinct points: the first, one unlike it, one unlike both. */
static bool
three_distinct(const PolyPoint *p, int n)
{
	int			second = -1;
	int			i;

	for (i = 1; i < n && second < 0; i++)
		if (p[i].row != p[0].row || p[i].col != p[0].col)
			second = i;
	for (i = second + 1; second > 0 && i < n; i++)
		if ((p[i].row != p[0].row || p[i].col != p[0].col) &&
			(p[i].row != p[second].row || p[i].col != p[second].col))
			return true;
	return false;
}

bool
polygon_points_degenerate(const PolyPoint *points, int n)
{
	return n < POLYGON_MIN_POINTS || !three_distinct(points, n) ||
		!stored_area_positive(points, n);
}

Polygon *
polygon_make(const PolyPoint *points, int n, const char *where, char *const *overflow)
{
	Polygon    *poly;
	int			i;

	if (n < POLYGON_MIN_POINTS)
		too_few_points(where, n);
	if (n > POLYGON_MAX_POINTS)
		too_many_points(where);
	for (i = 0; i < n; i++)
	{
		float4		v[2] = {points[i].row, points[i].col};
		int			k;

		for (k = 0; k < 2; k++)
		{
			const char *name = k == 0 ? "row" : "col";

			if (overflow != NULL && overflow[2 * i + k] != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: point %d (%s %s) must be between 0 and 1",
								where, i + 1, name, overflow[2 * i + k]),
						 errdetail(POLYGON_VALID_DETAIL)));
			if (isnan(v[k]) || isinf(v[k]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: point %d (%s %s) must be a finite number",
								where, i + 1, name, shape_float4_text(v[k])),
						 errdetail(POLYGON_VALID_DETAIL)));
			if (v[k] < 0.0f || v[k] > 1.0f)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: point %d (%s %s) must be between 0 and 1",
								where, i + 1, name, shape_float4_text(v[k])),
						 errdetail(POLYGON_VALID_DETAIL)));
		}
	}

	/* fold -0 so that equal polygons have equal bytes */
	poly = palloc(POLYGON_SIZE(n));
	SET_VARSIZE(poly, POLYGON_SIZE(n));
	for (i = 0; i < n; i++)
	{
		poly->points[i].row = points[i].row + 0.0f;
		poly->points[i].col = points[i].col + 0.0f;
	}

	if (!three_distinct(poly->points, n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: a polygon needs at least 3 distinct points", where),
				 errdetail(POLYGON_VALID_DETAIL)));
	if (!stored_area_positive(poly->points, n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the polygon has no area (its points are collinear)", where),
				 errdetail(POLYGON_VALID_DETAIL)));
	return poly;
}

/* ------------------------------------------------------------ text I/O */

static void
syntax_error(const char *str, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type annotations.polygon: \"%s\"",
					shape_shown_text(str, strlen(str))),
			 errdetail("Expected %s.", expected),
			 errhint(POLYGON_SYNTAX_HINT)));
}

static inline const char *
skip_space(const char *p)
{
	while (isspace((unsigned char) *p))
		p++;
	return p;
}

/* Text input: ((r1,c1),(r2,c2),…), whitespace anywhere between tokens. */
Datum
polygon_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = skip_space(str);
	int			cap = 16;
	int			n = 0;
	PolyPoint  *pts = palloc(cap * sizeof(PolyPoint));
	char	  **overflow = palloc0(2 * cap * sizeof(char *));

	if (*p != '(')
		syntax_error(str, "\"(\" at the start");
	p = skip_space(p + 1);
	for (;;)
	{
		float4		v[2];
		int			k;

		if (*p != '(')
			syntax_error(str, psprintf("\"(\" to open point %d", n + 1));
		if (n == POLYGON_MAX_POINTS)
			too_many_points(psprintf("invalid polygon \"%s\"",
									 shape_shown_text(str, strlen(str))));
		if (n == cap)
		{
			int			old = cap;

			cap = Min(cap * 2, POLYGON_MAX_POINTS);
			pts = repalloc(pts, cap * sizeof(PolyPoint));
			overflow = repalloc(overflow, 2 * cap * sizeof(char *));
			memset(overflow + 2 * old, 0, 2 * (cap - old) * sizeof(char *));
		}
		p++;
		for (k = 0; k < 2; k++)
		{
			int			len;

			p = skip_space(p);
			len = shape_number_length(p);
			if (len == 0)
				syntax_error(str, psprintf("a number for the %s of point %d",
										   k == 0 ? "row" : "col", n + 1));
			v[k] = shape_decimal_to_float4(p, len, &overflow[2 * n + k]);
			p = skip_space(p + len);
			if (*p != (k == 0 ? ',' : ')'))
				syntax_error(str, psprintf("\"%c\" after the %s of point %d",
										   k == 0 ? ',' : ')',
										   k == 0 ? "row" : "col", n + 1));
			p++;
		}
		pts[n].row = v[0];
		pts[n].col = v[1];
		n++;
		if ((n & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		p = skip_space(p);
		if (*p == ',')
		{
			p = skip_space(p + 1);
			continue;
		}
		if (*p == ')')
			break;
		syntax_error(str, psprintf("\",\" or \")\" after point %d", n));
	}
	p = skip_space(p + 1);
	if (*p != '\0')
		syntax_error(str, "nothing after the closing \")\"");

	PG_RETURN_POINTER(polygon_make(pts, n,
								   psprintf("invalid polygon \"%s\"",
											shape_shown_text(str, strlen(str))),
								   overflow));
}

/* Text output: shortest round-trip spelling of every number. */
Datum
polygon_out(PG_FUNCTION_ARGS)
{
	Polygon    *poly = PG_GETARG_POLYGON_P(0);
	int			n = POLYGON_NPOINTS(poly);
	char	   *buf = palloc((Size) n * (2 * FLOAT_SHORTEST_DECIMAL_LEN + 4) + 3);
	char	   *p = buf;
	int			i;

	*p++ = '(';
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ',';
		*p++ = '(';
		p += float_to_shortest_decimal_bufn(poly->points[i].row, p);
		*p++ = ',';
		p += float_to_shortest_decimal_bufn(poly->points[i].col, p);
		*p++ = ')';
	}
	*p++ = ')';
	*p = '\0';
	PG_RETURN_CSTRING(buf);
}

/* ---------------------------------------------------------- binary I/O */

/* Binary input: int4 count, then count pairs of float4 (row, col); validated. */
Datum
polygon_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *where = "invalid polygon in binary input";
	int32		n = pq_getmsgint(buf, 4);
	PolyPoint  *pts;
	int			i;

	if (n < POLYGON_MIN_POINTS)
		too_few_points(where, n);
	if (n > POLYGON_MAX_POINTS)
		too_many_points(where);
	if ((Size) n * 8 > (Size) (buf->len - buf->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("insufficient data left in message")));
	pts = palloc(n * sizeof(PolyPoint));
	for (i = 0; i < n; i++)
	{
		pts[i].row = pq_getmsgfloat4(buf);
		pts[i].col = pq_getmsgfloat4(buf);
	}
	PG_RETURN_POINTER(polygon_make(pts, n, where, NULL));
}

Datum
polygon_send(PG_FUNCTION_ARGS)
{
	Polygon    *poly = PG_GETARG_POLYGON_P(0);
	int			n = POLYGON_NPOINTS(poly);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, n);
	for (i = 0; i < n; i++)
	{
		pq_sendfloat4(&buf, poly->points[i].row);
		pq_sendfloat4(&buf, poly->points[i].col);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* annotations.polygon(float8[]): from a flat array [r1,c1,r2,c2,…]. */
Datum
polygon_construct(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	const char *where = "invalid polygon";
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	PolyPoint  *pts;
	char	  **overflow;
	int			n;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected a one-dimensional array [row1,col1,row2,col2,...], got %d dimensions",
						where, ARR_NDIM(arr))));
	if (ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) > 2 * POLYGON_MAX_POINTS)
		too_many_points(where);
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elems, &nulls, &nelems);
	if (nelems % 2 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected pairs [row1,col1,row2,col2,...], got %d numbers",
						where, nelems)));
	n = nelems / 2;
	pts = palloc((n + 1) * sizeof(PolyPoint));
	overflow = palloc0((nelems + 1) * sizeof(char *));
	for (i = 0; i < nelems; i++)
	{
		double		d;
		float4		f;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: point %d (%s) must not be NULL",
							where, i / 2 + 1, i % 2 == 0 ? "row" : "col")));
		d = DatumGetFloat8(elems[i]);
		if (!isnan(d) && !isinf(d) && fabs(d) > FLT_MAX)
		{
			char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

			double_to_shortest_decimal_buf(d, buf);
			overflow[i] = pstrdup(buf);
			f = d > 0 ? INFINITY : -INFINITY;
		}
		else
			f = (float4) d;
		if (i % 2 == 0)
			pts[i / 2].row = f;
		else
			pts[i / 2].col = f;
	}
	PG_RETURN_POINTER(polygon_make(pts, n, where, overflow));
}

/* ------------------------------------------------------------------ JSON */

static const char *const polygon_keys[] = {"points"};
static const char *const point_keys[] = {"row", "col"};

/* One {"row": r, "col": c} object at point number (from 1) num. */
static void
json_point(const JsonbValue *elem, const char *where, int num,
		   PolyPoint *out, char **overflow)
{
	char	   *here = psprintf("%s: point %d", where, num);
	JsonbContainer *obj = shape_json_object(elem, here, POLYGON_JSON_DETAIL);
	int			k;

	shape_json_only_keys(obj, point_keys, 2, here, POLYGON_JSON_DETAIL);
	for (k = 0; k < 2; k++)
	{
		JsonbValue	v;
		float4		f;

		if (!shape_json_get(obj, point_keys[k], &v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: missing key \"%s\"", here, point_keys[k]),
					 errdetail(POLYGON_JSON_DETAIL)));
		if (v.type != jbvNumeric)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s: expected a number, got %s",
							here, point_keys[k], shape_json_type_name(&v)),
					 errdetail(POLYGON_JSON_DETAIL)));
		f = shape_numeric_to_float4(v.val.numeric, &overflow[k]);
		if (k == 0)
			out->row = f;
		else
			out->col = f;
	}
	pfree(here);
}

Polygon *
polygon_from_jsonb_value(const JsonbValue *v, const char *where)
{
	JsonbContainer *obj = shape_json_object(v, where, POLYGON_JSON_DETAIL);
	JsonbValue	points;
	JsonbContainer *arr;
	JsonbIterator *it;
	JsonbValue	elem;
	JsonbIteratorToken tok;
	PolyPoint  *pts;
	char	  **overflow;
	int			size;
	int			n = 0;

	shape_json_only_keys(obj, polygon_keys, 1, where, POLYGON_JSON_DETAIL);
	if (!shape_json_get(obj, "points", &points))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: missing key \"points\"", where),
				 errdetail(POLYGON_JSON_DETAIL)));
	if (points.type != jbvBinary || !JsonContainerIsArray(points.val.binary.data) ||
		JsonContainerIsScalar(points.val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: points: expected an array, got %s",
						where, shape_json_type_name(&points)),
				 errdetail(POLYGON_JSON_DETAIL)));
	arr = points.val.binary.data;
	size = JsonContainerSize(arr);
	if (size < POLYGON_MIN_POINTS)
		too_few_points(where, size);
	if (size > POLYGON_MAX_POINTS)
		too_many_points(where);
	pts = palloc(size * sizeof(PolyPoint));
	overflow = palloc0(2 * size * sizeof(char *));
	it = JsonbIteratorInit(arr);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (n >= size)
			elog(ERROR, "jsonb array holds more elements than its size");
		json_point(&elem, where, n + 1, &pts[n], &overflow[2 * n]);
		n++;
		if ((n & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return polygon_make(pts, n, where, overflow);
}

Jsonb *
polygon_to_jsonb(const Polygon *poly)
{
	JsonbParseState *state = NULL;
	JsonbValue *res;
	int			n = POLYGON_NPOINTS(poly);
	int			i;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	shape_push_key(&state, "points");
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < n; i++)
	{
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		shape_push_key(&state, "row");
		shape_push_float4(&state, poly->points[i].row);
		shape_push_key(&state, "col");
		shape_push_float4(&state, poly->points[i].col);
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

Datum
polygon_from_jsonb_cast(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbValue	v;

	jr_root(jb, &v);
	PG_RETURN_POINTER(polygon_from_jsonb_value(&v, "polygon"));
}

Datum
polygon_to_jsonb_cast(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(polygon_to_jsonb(PG_GETARG_POLYGON_P(0)));
}

/* Cast polygon -> json, keys in Clarifai order (row, then col). */
Datum
polygon_to_json_cast(PG_FUNCTION_ARGS)
{
	Polygon    *poly = PG_GETARG_POLYGON_P(0);
	int			n = POLYGON_NPOINTS(poly);
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	appendStringInfoString(&s, "{\"points\": [");
	for (i = 0; i < n; i++)
	{
		char		r[FLOAT_SHORTEST_DECIMAL_LEN];
		char		c[FLOAT_SHORTEST_DECIMAL_LEN];

		float_to_shortest_decimal_buf(poly->points[i].row, r);
		float_to_shortest_decimal_buf(poly->points[i].col, c);
		appendStringInfo(&s, "%s{\"row\": %s, \"col\": %s}", i > 0 ? ", " : "", r, c);
	}
	appendStringInfoString(&s, "]}");
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s.data, s.len));
}

/* ------------------------------------------------- equality and order */

/* By points in order (row, then col), a shorter prefix first; never NaN. */
static int
polygon_cmp_internal(const Polygon *a, const Polygon *b)
{
	int			na = POLYGON_NPOINTS(a);
	int			nb = POLYGON_NPOINTS(b);
	int			i;

	for (i = 0; i < na && i < nb; i++)
	{
		const PolyPoint *p = &a->points[i];
		const PolyPoint *q = &b->points[i];

		if (p->row != q->row)
			return p->row < q->row ? -1 : 1;
		if (p->col != q->col)
			return p->col < q->col ? -1 : 1;
	}
	return na < nb ? -1 : na > nb ? 1 : 0;
}

/* Stored polygons are canonical (no -0), so equal means equal bytes. */
static bool
polygon_equal_internal(const Polygon *a, const Polygon *b)
{
	return VARSIZE(a) == VARSIZE(b) &&
		memcmp(a->points, b->points, VARSIZE(a) - VARHDRSZ) == 0;
}

Datum
polygon_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygon_equal_internal(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)));
}

Datum
polygon_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!polygon_equal_internal(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)));
}

Datum
polygon_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygon_cmp_internal(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)) < 0);
}

Datum
polygon_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygon_cmp_internal(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)) <= 0);
}

Datum
polygon_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygon_cmp_internal(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)) > 0);
}

Datum
polygon_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygon_cmp_internal(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)) >= 0);
}

Datum
polygon_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(polygon_cmp_internal(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)));
}

Datum
polygon_hash(PG_FUNCTION_ARGS)
{
	Polygon    *p = PG_GETARG_POLYGON_P(0);

	return hash_any((const unsigned char *) p->points, VARSIZE(p) - VARHDRSZ);
}

Datum
polygon_hash_extended(PG_FUNCTION_ARGS)
{
	Polygon    *p = PG_GETARG_POLYGON_P(0);

	return hash_any_extended((const unsigned char *) p->points, VARSIZE(p) - VARHDRSZ,
							 PG_GETARG_INT64(1));
}

/* ------------------------------------------------------- measurements */

/* Fraction of the image covered (shoelace, from the decimal values). */
Datum
polygon_area(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(polygon_ring_area(PG_GETARG_POLYGON_P(0)));
}

/* The enclosing box; never flat, since the polygon has an area. */
Datum
polygon_bbox(PG_FUNCTION_ARGS)
{
	Polygon    *poly = PG_GETARG_POLYGON_P(0);
	int			n = POLYGON_NPOINTS(poly);
	BBox	   *box = palloc(sizeof(BBox));
	int			i;

	box->top_row = box->bottom_row = poly->points[0].row;
	box->left_col = box->right_col = poly->points[0].col;
	for (i = 1; i < n; i++)
	{
		box->top_row = Min(box->top_row, poly->points[i].row);
		box->bottom_row = Max(box->bottom_row, poly->points[i].row);
		box->left_col = Min(box->left_col, poly->points[i].col);
		box->right_col = Max(box->right_col, poly->points[i].col);
	}
	bbox_validate(box, "enclosing box of a polygon");
	PG_RETURN_POINTER(box);
}

/* Number of points. */
Datum
polygon_npoints(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(POLYGON_NPOINTS(PG_GETARG_POLYGON_P(0)));
}
