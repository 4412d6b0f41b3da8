/*
 * mask.c — the annotations.mask type: I/O (text is the JSON form, binary is
 * the size and the runs), the JSON casts, equality, area and enclosing box.
 *
 * The text form is the JSON object itself: the compressed string may hold
 * backslashes, brackets and quotes, and one spelling for text and JSON
 * spares a second grammar and its quoting rules.  Output is always the
 * compressed string of canonical runs, whatever form came in.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "bbox.h"
#include "mask.h"
#include "rle.h"
#include "shapes.h"
#include "json_read.h"

#define MASK_JSON_DETAIL \
	"A mask is a JSON object {\"rle\": {\"size\": [height, width], \"counts\": \"<COCO compressed RLE>\" or [n0, n1, …]}} with height and width from 1 to 32768 and counts adding up to height x width."

PG_FUNCTION_INFO_V1(mask_in);
PG_FUNCTION_INFO_V1(mask_out);
PG_FUNCTION_INFO_V1(mask_recv);
PG_FUNCTION_INFO_V1(mask_send);
PG_FUNCTION_INFO_V1(mask_construct);
PG_FUNCTION_INFO_V1(mask_counts);
PG_FUNCTION_INFO_V1(mask_from_jsonb_cast);
PG_FUNCTION_INFO_V1(mask_to_jsonb_cast);
PG_FUNCTION_INFO_V1(mask_to_json_cast);
PG_FUNCTION_INFO_V1(mask_eq);
PG_FUNCTION_INFO_V1(mask_ne);
PG_FUNCTION_INFO_V1(mask_hash);
PG_FUNCTION_INFO_V1(mask_area);
PG_FUNCTION_INFO_V1(mask_bbox);

/* ---------------------------------------------------------- storage */

void
mask_to_rle(const Mask *mask, Rle *out)
{
	int64	   *counts;
	int			n;

	n = rle_decode_string(mask->rle, MASK_RLE_LEN(mask), "stored mask", &counts);
	rle_from_counts(counts, n, mask->height, mask->width, "stored mask", out);
	pfree(counts);
}

Mask *
mask_from_rle(const Rle *r)
{
	int			len;
	char	   *s = rle_encode_string(r, &len);
	Size		size = offsetof(Mask, rle) + len;
	Mask	   *mask = palloc0(size);

	SET_VARSIZE(mask, size);
	mask->height = r->h;
	mask->width = r->w;
	mask->nruns = r->m;
	memcpy(mask->rle, s, len);
	pfree(s);
	return mask;
}

/* Height or width, checked. */
static void
check_side(int64 v, const char *where, const char *name)
{
	if (v < 1 || v > MASK_MAX_SIDE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s (" INT64_FORMAT ") must be between 1 and %d",
						where, name, v, MASK_MAX_SIDE),
				 errdetail(MASK_JSON_DETAIL)));
}

/* ------------------------------------------------------------------ JSON */

/*
 * A JSON number that must be an integer in [min, max]; what names it in
 * messages.  1.0 is an integer; 1.5 and 1e100 are errors.
 */
static int64
json_integer(const JsonbValue *v, const char *where, const char *what, int64 min, int64 max)
{
	char	   *s;
	const char *p;
	int64		val;

	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s: expected an integer, got %s",
						where, what, shape_json_type_name(v)),
				 errdetail(MASK_JSON_DETAIL)));
	s = numeric_normalize(v->val.numeric);
	p = s;
	if (*p == '-')
		p++;
	while (isdigit((unsigned char) *p))
		p++;
	if (*p != '\0' || p == s || (p - s) > 15)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s (%s) must be an integer between " INT64_FORMAT " and " INT64_FORMAT,
						where, what, shape_shown_text(s, strlen(s)), min, max),
				 errdetail(MASK_JSON_DETAIL)));
	val = strtoll(s, NULL, 10);
	if (val < min || val > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s (" INT64_FORMAT ") must be between " INT64_FORMAT " and " INT64_FORMAT,
						where, what, val, min, max),
				 errdetail(MASK_JSON_DETAIL)));
	return val;
}

static const char *const mask_keys[] = {"rle"};
static const char *const rle_keys[] = {"size", "counts"};

Mask *
mask_from_jsonb_value(const JsonbValue *v, const char *where)
{
	JsonbContainer *obj = shape_json_object(v, where, MASK_JSON_DETAIL);
	char	   *rwhere = psprintf("%s.rle", where);
	JsonbValue	rle;
	JsonbContainer *robj;
	JsonbValue	size;
	JsonbValue	counts;
	JsonbValue	elem;
	JsonbIterator *it;
	JsonbIteratorToken tok;
	int64		side[2] = {0, 0};
	int64	   *c = NULL;
	int			n = 0;
	Rle			r;
	Mask	   *mask;

	shape_json_only_keys(obj, mask_keys, 1, where, MASK_JSON_DETAIL);
	if (!shape_json_get(obj, "rle", &rle))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: missing key \"rle\"", where),
				 errdetail(MASK_JSON_DETAIL)));
	robj = shape_json_object(&rle, rwhere, MASK_JSON_DETAIL);
	shape_json_only_keys(robj, rle_keys, 2, rwhere, MASK_JSON_DETAIL);
	if (!shape_json_get(robj, "size", &size))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: missing key \"size\"", rwhere),
				 errdetail(MASK_JSON_DETAIL)));
	if (!shape_json_get(robj, "counts", &counts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: missing key \"counts\"", rwhere),
				 errdetail(MASK_JSON_DETAIL)));

	/* size: [height, width] */
	if (size.type != jbvBinary || !JsonContainerIsArray(size.val.binary.data) ||
		JsonContainerIsScalar(size.val.binary.data) ||
		JsonContainerSize(size.val.binary.data) != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: size: expected an array [height, width]", rwhere),
				 errdetail(MASK_JSON_DETAIL)));
	it = JsonbIteratorInit(size.val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (n >= 2)
			elog(ERROR, "jsonb array holds more elements than its size");
		side[n] = json_integer(&elem, rwhere, n == 0 ? "height" : "width", 1, MASK_MAX_SIDE);
		n++;
	}

	/* counts: the compressed string, or the runs as integers */
	if (counts.type == jbvString)
	{
		n = rle_decode_string(counts.val.string.val, counts.val.string.len, rwhere, &c);
	}
	else if (counts.type == jbvBinary && JsonContainerIsArray(counts.val.binary.data) &&
			 !JsonContainerIsScalar(counts.val.binary.data))
	{
		int			size_n = JsonContainerSize(counts.val.binary.data);

		/* every run but the first holds a pixel: more runs than pixels + 1 is an error anyway */
		if ((int64) size_n > side[0] * side[1] + 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: counts: %d runs for " INT64_FORMAT " pixels",
							rwhere, size_n, side[0] * side[1]),
					 errdetail(MASK_JSON_DETAIL)));
		c = palloc(((Size) size_n + 1) * sizeof(int64));
		n = 0;
		it = JsonbIteratorInit(counts.val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
		{
			char		what[32];

			if (tok != WJB_ELEM)
				continue;
			if (n >= size_n)
				elog(ERROR, "jsonb array holds more elements than its size");
			snprintf(what, sizeof(what), "count %d", n + 1);
			c[n] = json_integer(&elem, rwhere, what, 0, PG_INT32_MAX);
			n++;
			if ((n & 4095) == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: counts: expected a string or an array, got %s",
						rwhere, shape_json_type_name(&counts)),
				 errdetail(MASK_JSON_DETAIL)));
	rle_from_counts(c, n, (int32) side[0], (int32) side[1], rwhere, &r);
	pfree(c);
	mask = mask_from_rle(&r);
	pfree(r.cnts);
	pfree(rwhere);
	return mask;
}

/* The JSON text of a mask, in Clarifai key order. */
static char *
mask_json_text(const Mask *mask)
{
	StringInfoData s;
	char	   *rle = pnstrdup(mask->rle, MASK_RLE_LEN(mask));

	initStringInfo(&s);
	appendStringInfo(&s, "{\"rle\": {\"size\": [%d, %d], \"counts\": ",
					 mask->height, mask->width);
	escape_json(&s, rle);
	appendStringInfoString(&s, "}}");
	pfree(rle);
	return s.data;
}

Jsonb *
mask_to_jsonb(const Mask *mask)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
											  CStringGetDatum(mask_json_text(mask))));
}

Datum
mask_from_jsonb_cast(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbValue	v;

	jr_root(jb, &v);
	PG_RETURN_POINTER(mask_from_jsonb_value(&v, "mask"));
}

Datum
mask_to_jsonb_cast(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(mask_to_jsonb(PG_GETARG_MASK_P(0)));
}

Datum
mask_to_json_cast(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(mask_json_text(PG_GETARG_MASK_P(0))));
}

/* --------------------------------------------------------- text, binary */

/* Text input: the JSON object; bad JSON is 22P02, a bad mask 22023. */
Datum
mask_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(str)));
	JsonbValue	v;

	jr_root(jb, &v);
	PG_RETURN_POINTER(mask_from_jsonb_value(&v, "mask"));
}

Datum
mask_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(mask_json_text(PG_GETARG_MASK_P(0)));
}

/* Binary input: int4 height, width, number of runs, then the runs; validated. */
Datum
mask_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *where = "invalid mask in binary input";
	int32		h = pq_getmsgint(buf, 4);
	int32		w = pq_getmsgint(buf, 4);
	int32		n = pq_getmsgint(buf, 4);
	int64	   *c = NULL;
	Rle			r;
	int			i;

	check_side(h, where, "height");
	check_side(w, where, "width");
	if (n < 1 || (Size) n * 4 > (Size) (buf->len - buf->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("%s: %d runs do not match the message", where, n)));
	c = palloc((Size) n * sizeof(int64));
	for (i = 0; i < n; i++)
		c[i] = (int32) pq_getmsgint(buf, 4);
	rle_from_counts(c, n, h, w, where, &r);
	PG_RETURN_POINTER(mask_from_rle(&r));
}

Datum
mask_send(PG_FUNCTION_ARGS)
{
	Mask	   *mask = PG_GETARG_MASK_P(0);
	StringInfoData buf;
	Rle			r;
	int			i;

	mask_to_rle(mask, &r);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, r.h);
	pq_sendint32(&buf, r.w);
	pq_sendint32(&buf, r.m);
	for (i = 0; i < r.m; i++)
		pq_sendint32(&buf, r.cnts[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* annotations.mask(height, width, counts int4[]) */
Datum
mask_construct(PG_FUNCTION_ARGS)
{
	int32		h = PG_GETARG_INT32(0);
	int32		w = PG_GETARG_INT32(1);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(2);
	const char *where = "invalid mask";
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int64	   *c = NULL;
	Rle			r;
	int			i;

	check_side(h, where, "height");
	check_side(w, where, "width");
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected a one-dimensional array of counts, got %d dimensions",
						where, ARR_NDIM(arr))));
	deconstruct_array(arr, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elems, &nulls, &n);
	c = palloc(((Size) n + 1) * sizeof(int64));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: counts: count %d must not be NULL", where, i + 1)));
		c[i] = DatumGetInt32(elems[i]);
	}
	rle_from_counts(c, n, h, w, where, &r);
	PG_RETURN_POINTER(mask_from_rle(&r));
}

/* annotations.mask_counts(mask): the canonical runs as int4[]. */
Datum
mask_counts(PG_FUNCTION_ARGS)
{
	Rle			r;
	Datum	   *elems;
	int			i;

	mask_to_rle(PG_GETARG_MASK_P(0), &r);
	elems = palloc((Size) r.m * sizeof(Datum));
	for (i = 0; i < r.m; i++)
		elems[i] = Int32GetDatum(r.cnts[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, r.m, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}

/* ------------------------------------------------------ equality, hash */

/* Canonical runs: equal masks have equal bytes. */
static bool
mask_equal_internal(const Mask *a, const Mask *b)
{
	return VARSIZE(a) == VARSIZE(b) &&
		memcmp((const char *) a + VARHDRSZ, (const char *) b + VARHDRSZ,
			   VARSIZE(a) - VARHDRSZ) == 0;
}

Datum
mask_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(mask_equal_internal(PG_GETARG_MASK_P(0), PG_GETARG_MASK_P(1)));
}

Datum
mask_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!mask_equal_internal(PG_GETARG_MASK_P(0), PG_GETARG_MASK_P(1)));
}

Datum
mask_hash(PG_FUNCTION_ARGS)
{
	Mask	   *m = PG_GETARG_MASK_P(0);

	return hash_any((const unsigned char *) m + VARHDRSZ, VARSIZE(m) - VARHDRSZ);
}

/* ---------------------------------------------------------- measures */

/* Fraction of the pixels that are 1. */
Datum
mask_area(PG_FUNCTION_ARGS)
{
	Rle			r;

	mask_to_rle(PG_GETARG_MASK_P(0), &r);
	PG_RETURN_FLOAT8((double) rle_area(&r) / ((double) r.h * r.w));
}

/* The box around the 1 pixels (whole pixels); false for an empty mask. */
bool
mask_enclosing_box(const Mask *mask, BBox *box)
{
	Rle			r;
	int32		x0,
				y0,
				x1,
				y1;

	mask_to_rle(mask, &r);
	if (!rle_pixel_box(&r, &x0, &y0, &x1, &y1))
		return false;
	bbox_from_doubles((double) y0 / r.h, (double) x0 / r.w,
					  (double) (y1 + 1) / r.h, (double) (x1 + 1) / r.w,
					  "enclosing box of a mask", box);
	return true;
}

/* The box around the 1 pixels; NULL for an empty mask. */
Datum
mask_bbox(PG_FUNCTION_ARGS)
{
	BBox	   *box = palloc(sizeof(BBox));

	if (!mask_enclosing_box(PG_GETARG_MASK_P(0), box))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(box);
}
