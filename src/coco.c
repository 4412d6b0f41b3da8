/*
 * coco.c — COCO object detection documents: export_coco and import_coco.
 *
 * Export streams region annotations through an SPI cursor and writes the
 * jsonb result directly in its binary form, one element at a time: memory
 * holds the growing result and one batch of rows, never a JsonbValue tree of
 * the whole document (that tree is several times larger than the result).
 *
 * Import walks and validates the whole document before anything is written
 * (every error names the item, e.g. coco.annotations[3].bbox) and hands
 * validated Clarifai request items to PL/pgSQL (75_coco.sql), which posts
 * the new ones in batches through post_inputs and post_annotations, so the
 * request rules and row-level security apply exactly as for any other post.
 *
 * Pixel boxes survive import -> export: a stored coordinate is a float4
 * fraction of the image size, and export writes the shortest decimal pixel
 * value that maps back to that same float4 under import's arithmetic.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "common/md5.h"
#include "common/shortest_dec.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "bbox.h"
#include "concepts.h"
#include "json_read.h"

/* COCO ids are JSON integers; beyond 2^53 - 1 JavaScript readers lose them. */
#define MAX_COCO_ID INT64CONST(9007199254740991)

/* Rows fetched from the SPI cursor at a time. */
#define EXPORT_FETCH 1000

/* Decimal places tried when looking for the shortest pixel value. */
#define MAX_PIXEL_DECIMALS 17

/* ------------------------------------------------- string-keyed hash tables */

/* Keys are char * owned by the table's memory context. */
static uint32
strptr_hash(const void *key, Size keysize)
{
	const char *s = *(const char *const *) key;

	return hash_bytes((const unsigned char *) s, (int) strlen(s));
}

static int
strptr_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(const char *const *) key1, *(const char *const *) key2);
}

static HTAB *
strptr_table(const char *name, Size entrysize, MemoryContext cxt)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(char *);
	ctl.entrysize = entrysize;
	ctl.hash = strptr_hash;
	ctl.match = strptr_match;
	ctl.hcxt = cxt;
	return hash_create(name, 256, &ctl, HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

static HTAB *
int64_table(const char *name, Size entrysize, MemoryContext cxt)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(int64);
	ctl.entrysize = entrysize;
	ctl.hcxt = cxt;
	return hash_create(name, 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* Shortest text that reads back to d (palloc'd), for messages. */
static char *
double_text(double d)
{
	char	   *buf = palloc(DOUBLE_SHORTEST_DECIMAL_LEN);

	double_to_shortest_decimal_buf(d, buf);
	return buf;
}

/* ======================================================== binary jsonb arrays */

/*
 * A jsonb array written element by element in the on-disk format of
 * utils/jsonb.h: a header word, one JEntry per element (every
 * JB_OFFSET_STRIDE'th holding an end offset, the others a length), then the
 * elements, each container padded to a 4-byte boundary.  Offset 0 of data
 * must land on a 4-byte boundary of the final value, which the writer below
 * guarantees; element containers come from JsonbValueToJsonb, whose internal
 * padding is relative to a 4-byte boundary too, so they can be copied as is.
 */
typedef struct JbArray
{
	StringInfoData data;		/* the elements */
	uint32	   *entries;		/* one JEntry per element */
	int			n;
	int			cap;
} JbArray;

static void
jba_init(JbArray *a)
{
	initStringInfo(&a->data);
	a->n = 0;
	a->cap = 64;
	a->entries = palloc(sizeof(uint32) * a->cap);
}

/* Bytes of the array as a container: header, JEntries, elements. */
static Size
jba_size(const JbArray *a)
{
	return sizeof(uint32) * (1 + (Size) a->n) + (Size) a->data.len;
}

static void
coco_too_large(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("COCO document exceeds the maximum jsonb size of %u bytes", JENTRY_OFFLENMASK),
			 errhint("Export fewer annotations at a time, for example by input_ids, statuses or task_id.")));
}

/* Appends one object or array (the root container of elem). */
static void
jba_append(JbArray *a, Jsonb *elem)
{
	static const char zeros[4] = {0, 0, 0, 0};
	uint32		len = VARSIZE(elem) - VARHDRSZ;
	int			pad = INTALIGN(a->data.len) - a->data.len;

	Assert(!JB_ROOT_IS_SCALAR(elem));
	/* the whole document must fit in one JEntry length (256 MB) */
	if (jba_size(a) + sizeof(uint32) + pad + len > JENTRY_OFFLENMASK)
		coco_too_large();
	if (a->n == a->cap)
	{
		a->cap *= 2;
		a->entries = repalloc(a->entries, sizeof(uint32) * a->cap);
	}
	appendBinaryStringInfo(&a->data, zeros, pad);
	appendBinaryStringInfo(&a->data, VARDATA(elem), len);
	if (a->n % JB_OFFSET_STRIDE == 0)
		a->entries[a->n] = JENTRY_ISCONTAINER | JENTRY_HAS_OFF | (uint32) a->data.len;
	else
		a->entries[a->n] = JENTRY_ISCONTAINER | (uint32) (pad + len);
	a->n++;
}

/* Writes the header and JEntries of an array; out->len must be 4-aligned. */
static void
jba_write_head(StringInfo out, const JbArray *a)
{
	uint32		header = (uint32) a->n | JB_FARRAY;

	Assert(out->len % 4 == 0);
	appendBinaryStringInfo(out, (const char *) &header, sizeof(uint32));
	appendBinaryStringInfo(out, (const char *) a->entries, sizeof(uint32) * a->n);
}

/* One member of the document object: a small jsonb or a built array. */
typedef struct DocPart
{
	const char *key;
	Jsonb	   *small;
	JbArray    *array;
} DocPart;

/*
 * Assembles the root object.  parts must be in jsonb key order (shorter
 * keys first, then bytewise) and the last one must be an array: its element
 * bytes become the tail of the result in place (the rest is moved in front
 * of them), so the biggest part is never copied into a second buffer.
 */
static Jsonb *
coco_assemble(DocPart *parts, int nparts)
{
	static const char zeros[4] = {0, 0, 0, 0};
	JbArray    *last = parts[nparts - 1].array;
	StringInfoData pre;
	uint32		header = (uint32) nparts | JB_FOBJECT;
	uint32	   *entries = palloc0(sizeof(uint32) * 2 * nparts);
	int			entries_at;
	Size		totallen = 0;
	Size		total;
	int			i;

	initStringInfo(&pre);
	appendBinaryStringInfo(&pre, zeros, VARHDRSZ);
	appendBinaryStringInfo(&pre, (const char *) &header, sizeof(uint32));
	entries_at = pre.len;
	appendBinaryStringInfo(&pre, (const char *) entries, sizeof(uint32) * 2 * nparts);

	for (i = 0; i < nparts; i++)
	{
		uint32		len = strlen(parts[i].key);

		appendBinaryStringInfo(&pre, parts[i].key, len);
		totallen += len;
		entries[i] = (i % JB_OFFSET_STRIDE == 0) ? (JENTRY_HAS_OFF | (uint32) totallen) : len;
	}
	for (i = 0; i < nparts; i++)
	{
		int			start = pre.len;
		Size		len;

		appendBinaryStringInfo(&pre, zeros, INTALIGN(pre.len) - pre.len);
		if (parts[i].small)
			appendBinaryStringInfo(&pre, VARDATA(parts[i].small), VARSIZE(parts[i].small) - VARHDRSZ);
		else
		{
			jba_write_head(&pre, parts[i].array);
			if (parts[i].array != last)
				appendBinaryStringInfo(&pre, parts[i].array->data.data, parts[i].array->data.len);
		}
		len = pre.len - start;
		if (parts[i].array == last)
			len += last->data.len;
		totallen += len;
		if (totallen > JENTRY_OFFLENMASK)
			coco_too_large();
		entries[nparts + i] = JENTRY_ISCONTAINER |
			(((i + nparts) % JB_OFFSET_STRIDE == 0) ? (JENTRY_HAS_OFF | (uint32) totallen) : (uint32) len);
	}
	memcpy(pre.data + entries_at, entries, sizeof(uint32) * 2 * nparts);
	Assert(pre.len % 4 == 0);

	/* move the last array's elements behind everything else */
	total = (Size) pre.len + last->data.len;
	enlargeStringInfo(&last->data, pre.len);
	memmove(last->data.data + pre.len, last->data.data, last->data.len);
	memcpy(last->data.data, pre.data, pre.len);
	SET_VARSIZE(last->data.data, total);
	pfree(pre.data);
	return (Jsonb *) last->data.data;
}

/* ===================================================== pixels <-> float4 */

/*
 * A pixel value the import side would turn back into a stored float4:
 * target == (float4) ((base + c) / size), with c >= 0 (c > 0 for an extent)
 * and base + c <= size.  base is 0 for x and y, the emitted x or y for w, h.
 */
typedef struct PixelFit
{
	double		base;
	bool		extent;
	int32		size;
	float4		target;
} PixelFit;

static bool
pixel_fits(const PixelFit *f, double c)
{
	double		edge = f->base + c;

	if (f->extent ? !(c > 0.0) : !(c >= 0.0))
		return false;
	if (edge > (double) f->size)
		return false;
	return (float4) (edge / f->size) == f->target;
}

/* A pixel value written as n / 10^k, or (k < 0) as the double d in full. */
typedef struct Pixel
{
	int64		n;
	int			k;
	double		d;
} Pixel;

/*
 * The decimal with the fewest places that fits, searched around estimate:
 * the fitting values form an interval containing the exact value, so when
 * some k-place decimal fits, the k-place neighbours of estimate include one.
 */
static void
pixel_shortest(double estimate, const PixelFit *f, Pixel *out)
{
	double		scale = 1.0;
	int			k;

	for (k = 0; k <= MAX_PIXEL_DECIMALS; k++, scale *= 10.0)
	{
		double		s = estimate * scale;
		double		near;
		double		far;

		/* beyond 2^52 n / 10^k would no longer be exact */
		if (!(fabs(s) < 4503599627370496.0))
			break;
		near = rint(s);
		far = (near <= s) ? near + 1.0 : near - 1.0;
		if (pixel_fits(f, near / scale) || pixel_fits(f, (near = far) / scale))
		{
			out->n = (int64) near;
			out->k = k;
			out->d = near / scale;
			/* no trailing zeros: 12.50 fits at k = 1 already */
			return;
		}
	}
	/* cannot happen for a valid box; write the estimate in full */
	out->n = 0;
	out->k = -1;
	out->d = estimate;
}

static Numeric
pixel_numeric(const Pixel *p)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (p->k >= 0)
		return int64_div_fast_to_numeric(p->n, p->k);
	double_to_shortest_decimal_buf(p->d, buf);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

/* w * h, exact in decimal. */
static Numeric
pixel_area(const Pixel *w, const Pixel *h)
{
	int64		prod;
	int			k = w->k + h->k;

	if (w->k >= 0 && h->k >= 0 && k <= MAX_PIXEL_DECIMALS * 2 &&
		!pg_mul_s64_overflow(w->n, h->n, &prod))
	{
		while (k > 0 && prod % 10 == 0)
		{
			prod /= 10;
			k--;
		}
		return int64_div_fast_to_numeric(prod, k);
	}
	return numeric_mul_opt_error(pixel_numeric(w), pixel_numeric(h), NULL);
}

/* ======================================================== export */

typedef struct ImageEntry
{
	char	   *input_id;		/* key */
	Numeric		number;			/* COCO image id */
	int32		width;
	int32		height;
} ImageEntry;

typedef struct CategoryEntry
{
	char	   *concept_id;		/* key */
	Numeric		number;			/* COCO category id */
} CategoryEntry;

static void
push_key(JsonbParseState **st, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
}

static void
push_numeric(JsonbParseState **st, JsonbIteratorToken tok, Numeric num)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = num;
	pushJsonbValue(st, tok, &v);
}

static void
push_string(JsonbParseState **st, JsonbIteratorToken tok, const char *s, int len)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = len;
	pushJsonbValue(st, tok, &v);
}

/*
 * Stored input data that export cannot read: XX001 naming the input. A
 * role may write the tables directly, so what post_inputs guarantees is
 * checked again here.
 */
static pg_attribute_noreturn() void
input_malformed(const char *app_id, const char *input_id, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored data of input \"%s\" in app \"%s\" is malformed", input_id, app_id),
			 errdetail_internal("%s", detail),
			 errhint("The API never stores such a value. Correct it with UPDATE or delete the input.")));
}

/*
 * image_info.width or .height: a whole JSON number in [1, INT32_MAX], or 0
 * when absent (the image has no known size); anything else is malformed.
 */
static int32
image_size(JsonbContainer *info, const char *key, const char *app_id, const char *input_id)
{
	JsonbValue	v;
	double		d = 0;

	if (getKeyJsonValueFromContainer(info, key, strlen(key), &v) == NULL || v.type == jbvNull)
		return 0;
	if (v.type == jbvNumeric && !numeric_is_nan(v.val.numeric))
		d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(v.val.numeric)));
	if (v.type != jbvNumeric || !(d >= 1.0 && d <= PG_INT32_MAX) || d != floor(d))
		input_malformed(app_id, input_id,
						psprintf("annotations.inputs.data.image.image_info.%s is %s, expected a whole number from 1 to %d.",
								 key, v.type == jbvNumeric ? jr_numeric_text(v.val.numeric) : jr_type_name(&v),
								 PG_INT32_MAX));
	return (int32) d;
}

/*
 * The last path segment of an image url (query and fragment cut off when it
 * is a URL with a scheme), or NULL when there is none.
 */
static char *
url_file_name(const char *url, int len)
{
	int			end = len;
	int			start;

	if (memmem(url, len, "://", 3) != NULL)
	{
		const char *q = memchr(url, '?', len);
		const char *h = memchr(url, '#', len);

		if (q && q - url < end)
			end = q - url;
		if (h && h - url < end)
			end = h - url;
	}
	for (start = end; start > 0 && url[start - 1] != '/'; start--)
		;
	if (start == end)
		return NULL;
	return pnstrdup(url + start, end - start);
}

/* A text[] or enum[] filter argument: NULL for NULL or empty; 22023 for NULL elements. */
static ArrayType *
filter_array(FunctionCallInfo fcinfo, int argno, const char *name)
{
	ArrayType  *arr;

	if (PG_ARGISNULL(argno))
		return NULL;
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) == 0)
		return NULL;
	if (array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain NULL", name)));
	return arr;
}

/* Reads the image inputs of the app into images (numbered 1.. in order) and out. */
static void
export_images(Datum app, const char *app_id, ArrayType *input_ids, HTAB *images,
			  MemoryContext cxt, MemoryContext rowcxt, JbArray *out)
{
	Oid			types[2] = {TEXTOID, TEXTARRAYOID};
	Datum		values[2] = {app, PointerGetDatum(input_ids)};
	char		nulls[2] = {' ', input_ids ? ' ' : 'n'};
	Portal		portal;
	int64		number = 0;

	/*
	 * Oldest first, so adding inputs never renumbers the others. Inputs whose
	 * data is not an object come along too: they are malformed, and are
	 * reported rather than silently left out.
	 */
	portal = SPI_cursor_open_with_args(NULL,
									   "SELECT i.id, i.data"
									   "  FROM annotations.inputs i"
									   " WHERE i.app_id OPERATOR(pg_catalog.=) $1"
									   "   AND ($2 IS NULL OR i.id OPERATOR(pg_catalog.=) ANY ($2))"
									   "   AND (i.data OPERATOR(pg_catalog.?) 'image'"
									   "        OR pg_catalog.jsonb_typeof(i.data) OPERATOR(pg_catalog.<>) 'object')"
									   " ORDER BY i.created_at, i.id",
									   2, types, values, nulls, true, 0);
	for (;;)
	{
		uint64		r;

		SPI_cursor_fetch(portal, true, EXPORT_FETCH);
		if (SPI_processed == 0)
			break;
		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			MemoryContext old = MemoryContextSwitchTo(rowcxt);
			bool		isnull;
			Datum		datum;
			Jsonb	   *data;
			JsonbValue	image;
			JsonbValue	info;
			JsonbValue	url;
			char	   *input_id;
			char	   *file_name = NULL;
			int32		width;
			int32		height;
			ImageEntry *e;
			JsonbParseState *st = NULL;
			JsonbValue *res;

			datum = SPI_getbinval(tup, desc, 1, &isnull);
			if (isnull)
				elog(ERROR, "input without an id in app \"%s\"", app_id);
			input_id = TextDatumGetCString(datum);
			datum = SPI_getbinval(tup, desc, 2, &isnull);
			if (isnull)
				input_malformed(app_id, input_id, "annotations.inputs.data is NULL, expected an object.");
			data = DatumGetJsonbP(datum);
			if (!JB_ROOT_IS_OBJECT(data) || JB_ROOT_IS_SCALAR(data))
				input_malformed(app_id, input_id,
								psprintf("annotations.inputs.data is %s, expected an object.",
										 jr_container_type_name(&data->root)));
			/* JSON null for image is the same as no image (post_inputs reads it so) */
			if (getKeyJsonValueFromContainer(&data->root, "image", 5, &image) == NULL ||
				image.type == jbvNull)
			{
				MemoryContextSwitchTo(old);
				MemoryContextReset(rowcxt);
				continue;
			}
			if (image.type != jbvBinary || !JsonContainerIsObject(image.val.binary.data))
				input_malformed(app_id, input_id,
								psprintf("annotations.inputs.data.image is %s, expected an object.",
										 jr_type_name(&image)));
			if (getKeyJsonValueFromContainer(image.val.binary.data, "url", 3, &url) == NULL)
				url.type = jbvNull;
			else if (url.type != jbvString && url.type != jbvNull)
				input_malformed(app_id, input_id,
								psprintf("annotations.inputs.data.image.url is %s, expected a string.",
										 jr_type_name(&url)));
			if (getKeyJsonValueFromContainer(image.val.binary.data, "image_info", 10, &info) == NULL ||
				info.type == jbvNull)
			{
				MemoryContextSwitchTo(old);
				MemoryContextReset(rowcxt);
				continue;
			}
			if (info.type != jbvBinary || !JsonContainerIsObject(info.val.binary.data))
				input_malformed(app_id, input_id,
								psprintf("annotations.inputs.data.image.image_info is %s, expected an object.",
										 jr_type_name(&info)));
			width = image_size(info.val.binary.data, "width", app_id, input_id);
			height = image_size(info.val.binary.data, "height", app_id, input_id);
			if (width == 0 || height == 0)
			{
				MemoryContextSwitchTo(old);
				MemoryContextReset(rowcxt);
				continue;
			}
			if (url.type == jbvString)
				file_name = url_file_name(url.val.string.val, url.val.string.len);
			if (file_name == NULL)
				file_name = input_id;

			MemoryContextSwitchTo(cxt);
			e = hash_search(images, &input_id, HASH_ENTER, NULL);
			e->input_id = pstrdup(input_id);
			e->number = int64_to_numeric(++number);
			e->width = width;
			e->height = height;

			MemoryContextSwitchTo(rowcxt);
			pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
			push_key(&st, "id");
			push_numeric(&st, WJB_VALUE, e->number);
			push_key(&st, "file_name");
			push_string(&st, WJB_VALUE, file_name, strlen(file_name));
			push_key(&st, "width");
			push_numeric(&st, WJB_VALUE, int64_to_numeric(width));
			push_key(&st, "height");
			push_numeric(&st, WJB_VALUE, int64_to_numeric(height));
			res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
			jba_append(out, JsonbValueToJsonb(res));
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
}

/* The COCO annotation object of one box. */
static Jsonb *
export_box(int64 id, const ImageEntry *img, const CategoryEntry *cat, const BBox *box,
		   Numeric zero)
{
	double		est[4];
	Pixel		px[4];
	PixelFit	fit;
	JsonbParseState *st = NULL;
	JsonbValue *res;
	int			i;

	bbox_to_coco(box, img->width, img->height, est);
	fit.base = 0.0;
	fit.extent = false;
	fit.size = img->width;
	fit.target = box->left_col;
	pixel_shortest(est[0], &fit, &px[0]);
	fit.size = img->height;
	fit.target = box->top_row;
	pixel_shortest(est[1], &fit, &px[1]);
	fit.extent = true;
	fit.base = px[0].d;
	fit.size = img->width;
	fit.target = box->right_col;
	pixel_shortest(est[0] + est[2] - px[0].d, &fit, &px[2]);
	fit.base = px[1].d;
	fit.size = img->height;
	fit.target = box->bottom_row;
	pixel_shortest(est[1] + est[3] - px[1].d, &fit, &px[3]);

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "id");
	push_numeric(&st, WJB_VALUE, int64_to_numeric(id));
	push_key(&st, "image_id");
	push_numeric(&st, WJB_VALUE, img->number);
	push_key(&st, "category_id");
	push_numeric(&st, WJB_VALUE, cat->number);
	push_key(&st, "bbox");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < 4; i++)
		push_numeric(&st, WJB_ELEM, pixel_numeric(&px[i]));
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	push_key(&st, "area");
	push_numeric(&st, WJB_VALUE, pixel_area(&px[2], &px[3]));
	push_key(&st, "iscrowd");
	push_numeric(&st, WJB_VALUE, zero);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

PG_FUNCTION_INFO_V1(annotations_export_coco);
/*
 * export_coco(app_id, input_ids, user_ids, model_version_ids, statuses,
 * task_id, list_all_annotations) -> jsonb.  Runs with the caller's rights:
 * every query goes through SPI, so row-level security applies.
 */
Datum
annotations_export_coco(PG_FUNCTION_ARGS)
{
	Datum		app = PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0);
	ArrayType  *input_ids = filter_array(fcinfo, 1, "input_ids");
	ArrayType  *user_ids = filter_array(fcinfo, 2, "user_ids");
	ArrayType  *model_ids = filter_array(fcinfo, 3, "model_version_ids");
	ArrayType  *statuses = filter_array(fcinfo, 4, "statuses");
	bool		list_all = !PG_ARGISNULL(6) && PG_GETARG_BOOL(6);
	const char *app_id = PG_ARGISNULL(0) ? "" : TextDatumGetCString(app);
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext cxt;
	MemoryContext rowcxt;
	HTAB	   *images;
	HTAB	   *categories;
	JbArray    *image_arr;
	JbArray    *cat_arr;
	JbArray    *ann_arr;
	StringInfoData sql;
	Oid			types[6];
	Datum		values[6];
	char		nulls[6];
	Portal		portal;
	int64		next_id = 0;
	int64		next_category = 0;
	int64		skipped = 0;
	Numeric		zero;
	DocPart		parts[5];
	Jsonb	   *result;
	HASH_SEQ_STATUS seq;
	CategoryEntry **cats;
	CategoryEntry *ce;
	int			i;

	cxt = AllocSetContextCreate(callercxt, "export_coco", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(cxt, "export_coco row", ALLOCSET_DEFAULT_SIZES);
	images = strptr_table("export_coco images", sizeof(ImageEntry), cxt);
	categories = strptr_table("export_coco categories", sizeof(CategoryEntry), cxt);

	/* the result's biggest part lives in the caller's context: it becomes the result */
	ann_arr = palloc(sizeof(JbArray));
	jba_init(ann_arr);
	MemoryContextSwitchTo(cxt);
	image_arr = palloc(sizeof(JbArray));
	jba_init(image_arr);
	cat_arr = palloc(sizeof(JbArray));
	jba_init(cat_arr);
	zero = int64_to_numeric(0);
	MemoryContextSwitchTo(callercxt);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* P0002 for an app the acting user may not see */
	types[0] = TEXTOID;
	values[0] = app;
	nulls[0] = PG_ARGISNULL(0) ? 'n' : ' ';
	if (SPI_execute_with_args("SELECT annotations._app_role($1)", 1, types, values, nulls,
							  true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not check app");

	export_images(app, app_id, input_ids, images, cxt, rowcxt, image_arr);

	/* region annotations, oldest first, with the filters of list_annotations */
	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "SELECT a.input_id, r.bbox, r.concepts, a.id"
						   "  FROM annotations.annotations a"
						   "  JOIN annotations.regions r ON r.app_id OPERATOR(pg_catalog.=) a.app_id"
						   "   AND r.annotation_id OPERATOR(pg_catalog.=) a.id"
						   " WHERE a.app_id OPERATOR(pg_catalog.=) $1");
	if (input_ids)
		appendStringInfoString(&sql, " AND a.input_id OPERATOR(pg_catalog.=) ANY ($2)");
	if (user_ids && model_ids)
		appendStringInfoString(&sql, " AND (a.user_id OPERATOR(pg_catalog.=) ANY ($3)"
							   " OR a.model_version_id OPERATOR(pg_catalog.=) ANY ($4))");
	else if (user_ids)
		appendStringInfoString(&sql, " AND a.user_id OPERATOR(pg_catalog.=) ANY ($3)");
	else if (model_ids)
		appendStringInfoString(&sql, " AND a.model_version_id OPERATOR(pg_catalog.=) ANY ($4)");
	else if (!list_all)
		appendStringInfoString(&sql, " AND a.model_version_id IS NULL");
	if (statuses)
		appendStringInfoString(&sql, " AND a.status OPERATOR(pg_catalog.=) ANY ($5)");
	if (!PG_ARGISNULL(5))
		appendStringInfoString(&sql, " AND a.task_id OPERATOR(pg_catalog.=) $6");
	appendStringInfoString(&sql, " ORDER BY a.seq");

	types[1] = TEXTARRAYOID;
	types[2] = TEXTARRAYOID;
	types[3] = TEXTARRAYOID;
	types[4] = get_fn_expr_argtype(fcinfo->flinfo, 4);
	types[5] = TEXTOID;
	values[1] = PointerGetDatum(input_ids);
	values[2] = PointerGetDatum(user_ids);
	values[3] = PointerGetDatum(model_ids);
	values[4] = PointerGetDatum(statuses);
	values[5] = PG_ARGISNULL(5) ? (Datum) 0 : PG_GETARG_DATUM(5);
	nulls[1] = input_ids ? ' ' : 'n';
	nulls[2] = user_ids ? ' ' : 'n';
	nulls[3] = model_ids ? ' ' : 'n';
	nulls[4] = statuses ? ' ' : 'n';
	nulls[5] = PG_ARGISNULL(5) ? 'n' : ' ';
	if (!OidIsValid(types[4]))
		elog(ERROR, "could not determine the type of statuses");

	portal = SPI_cursor_open_with_args(NULL, sql.data, 6, types, values, nulls, true, 0);
	for (;;)
	{
		uint64		r;

		SPI_cursor_fetch(portal, true, EXPORT_FETCH);
		if (SPI_processed == 0)
			break;
		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			MemoryContext old = MemoryContextSwitchTo(rowcxt);
			bool		null_input;
			bool		null_box;
			bool		null_concepts;
			bool		null_id;
			Datum		input_datum = SPI_getbinval(tup, desc, 1, &null_input);
			Datum		box_datum = SPI_getbinval(tup, desc, 2, &null_box);
			Datum		concepts_datum = SPI_getbinval(tup, desc, 3, &null_concepts);
			Datum		id_datum = SPI_getbinval(tup, desc, 4, &null_id);
			char	   *input_id;
			BBox	   *box;
			Jsonb	   *concepts;
			ImageEntry *img;
			ConceptSource src;
			int			nconcepts;
			int			c;

			/* the columns are NOT NULL; a NULL means a broken table, not bad data */
			if (null_input || null_box || null_concepts || null_id)
				elog(ERROR, "region annotation with a NULL column in app \"%s\"", app_id);
			input_id = TextDatumGetCString(input_datum);
			box = DatumGetBBoxP(box_datum);
			concepts = DatumGetJsonbP(concepts_datum);
			img = hash_search(images, &input_id, HASH_FIND, NULL);
			src.column = "annotations.regions.concepts";
			src.what = "region concepts";
			src.app_id = app_id;
			src.annotation_id = TextDatumGetCString(id_datum);
			nconcepts = concepts_check_list(concepts, &src);

			for (c = 0; c < nconcepts; c++)
			{
				JsonbValue *concept = getIthJsonbValueFromContainer(&concepts->root, c);
				JsonbValue	id;
				JsonbValue	name;
				JsonbValue	value;
				char	   *concept_id;
				CategoryEntry *cat;
				bool		found;

				concepts_check_item(concept, c, &src, &id, &name, &value);
				/*
				 * A value of 0 says the concept is absent: no box for it. A
				 * missing value is 1, as everywhere.
				 */
				if (value.type == jbvNumeric &&
					!(DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
														 NumericGetDatum(value.val.numeric))) > 0.0))
					continue;
				if (img == NULL)
				{
					skipped++;
					continue;
				}
				concept_id = pnstrdup(id.val.string.val, id.val.string.len);
				cat = hash_search(categories, &concept_id, HASH_ENTER, &found);
				if (!found)
				{
					/* numbered in order of first use, so new labels never renumber old ones */
					cat->concept_id = MemoryContextStrdup(cxt, concept_id);
					cat->number = NULL;
					MemoryContextSwitchTo(cxt);
					cat->number = int64_to_numeric(++next_category);
					MemoryContextSwitchTo(rowcxt);
				}
				jba_append(ann_arr, export_box(++next_id, img, cat, box, zero));
			}
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();

	if (skipped > 0)
		ereport(NOTICE,
				(errmsg_plural("export_coco skipped %lu box on an input that is not an image with a known size",
							   "export_coco skipped %lu boxes on inputs that are not images with a known size",
							   (unsigned long) skipped, (unsigned long) skipped),
				 errdetail("Pixel boxes need data.image.image_info.width and height on the input."),
				 errhint("Post such images with image_info, or leave them out with input_ids.")));

	/* categories, by number */
	MemoryContextSwitchTo(cxt);
	cats = palloc0(sizeof(CategoryEntry *) * (next_category + 1));
	hash_seq_init(&seq, categories);
	while ((ce = hash_seq_search(&seq)) != NULL)
	{
		int64		n = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(ce->number)));

		cats[n] = ce;
	}
	for (i = 1; i <= next_category; i++)
	{
		JsonbParseState *st = NULL;
		JsonbValue *res;

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_key(&st, "id");
		push_numeric(&st, WJB_VALUE, cats[i]->number);
		push_key(&st, "name");
		push_string(&st, WJB_VALUE, cats[i]->concept_id, strlen(cats[i]->concept_id));
		res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		jba_append(cat_arr, JsonbValueToJsonb(res));
	}

	/* in jsonb key order: by length, then bytewise */
	parts[0].key = "info";
	parts[0].array = NULL;
	{
		JsonbParseState *st = NULL;
		JsonbValue *res;
		char	   *desc = psprintf("annotations of app \"%s\"",
									PG_ARGISNULL(0) ? "" : TextDatumGetCString(app));

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_key(&st, "description");
		push_string(&st, WJB_VALUE, desc, strlen(desc));
		push_key(&st, "version");
		push_string(&st, WJB_VALUE, "1.0", 3);
		res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		parts[0].small = JsonbValueToJsonb(res);
	}
	parts[1].key = "images";
	parts[1].small = NULL;
	parts[1].array = image_arr;
	parts[2].key = "licenses";
	parts[2].small = NULL;
	{
		JbArray    *empty = palloc(sizeof(JbArray));

		jba_init(empty);
		parts[2].array = empty;
	}
	parts[3].key = "categories";
	parts[3].small = NULL;
	parts[3].array = cat_arr;
	parts[4].key = "annotations";
	parts[4].small = NULL;
	parts[4].array = ann_arr;

	result = coco_assemble(parts, 5);
	MemoryContextSwitchTo(callercxt);
	MemoryContextDelete(cxt);
	PG_RETURN_JSONB_P(result);
}

/* ======================================================== import */

typedef struct Int64Entry
{
	int64		key;
	int			index;
} Int64Entry;

typedef struct NameEntry
{
	char	   *key;
	int			index;
} NameEntry;

/*
 * Records that item `index` of the array at array_path has this id; a second
 * item with the same id is 22023 naming both items.
 */
static void
claim_id(HTAB *ids, int64 id, int index, const char *array_path, const char *what)
{
	bool		found;
	Int64Entry *e = hash_search(ids, &id, HASH_ENTER, &found);

	if (found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s.id: %s id " INT64_FORMAT " is also used by %s",
						jr_index_path(array_path, index), what, id,
						jr_index_path(array_path, e->index))));
	e->index = index;
}

/* The same for a name that must be unique (key names it in the item). */
static void
claim_name(HTAB *names, char *name, int index, const char *array_path,
		   const char *key, const char *what, const char *why)
{
	bool		found;
	NameEntry  *e = hash_search(names, &name, HASH_ENTER, &found);

	if (found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s.%s: %s \"%s\" is also used by %s",
						jr_index_path(array_path, index), key, what, name,
						jr_index_path(array_path, e->index)),
				 errdetail("%s", why)));
	e->index = index;
}

typedef struct CocoImage
{
	char	   *path;
	int64		id;
	char	   *file_name;
	int32		width;
	int32		height;
} CocoImage;

typedef struct CocoCategory
{
	char	   *path;
	int64		id;
	char	   *name;
} CocoCategory;

/* Checks v is an object (other keys than those read are ignored). */
static void
coco_object(const JsonbValue *v, const char *path)
{
	if (v == NULL || v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected an object, got %s", path, jr_type_name(v))));
}

/* A required key of an object checked by coco_object. */
static JsonbValue *
coco_key(const JsonbValue *obj, const char *path, const char *key)
{
	JsonbValue *v = palloc(sizeof(JsonbValue));

	if (getKeyJsonValueFromContainer(obj->val.binary.data, key, strlen(key), v) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: missing key \"%s\"", path, key)));
	return v;
}

static int64
coco_id(const JsonbValue *obj, const char *path, const char *key)
{
	return jr_integer(coco_key(obj, path, key), jr_key_path(path, key), 0, MAX_COCO_ID);
}

/* Array count guard: the per-item structs must fit in one allocation. */
static void *
coco_alloc(int n, Size size)
{
	Size		bytes = mul_size((Size) Max(n, 1), size);

	if (!AllocSizeIsValid(bytes))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("COCO document has too many items (%d)", n)));
	return palloc0(bytes);
}

/* 22023 unless the pixel box lies inside its image. */
static void
check_inside(const double c[4], const CocoImage *img, const char *where)
{
	char	   *detail;

	if (c[0] < 0 || c[1] < 0)
		detail = psprintf("%s (%s) must be at least 0.", c[0] < 0 ? "x" : "y",
						  double_text(c[0] < 0 ? c[0] : c[1]));
	else if (c[0] + c[2] > img->width)
		detail = psprintf("x + w (%s) must be at most the image width (%d).",
						  double_text(c[0] + c[2]), img->width);
	else if (c[1] + c[3] > img->height)
		detail = psprintf("y + h (%s) must be at most the image height (%d).",
						  double_text(c[1] + c[3]), img->height);
	else
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: box [%s,%s,%s,%s] lies outside image " INT64_FORMAT " (%dx%d)",
					where, double_text(c[0]), double_text(c[1]), double_text(c[2]),
					double_text(c[3]), img->id, img->width, img->height),
			 errdetail_internal("%s", detail)));
}

/* Annotation id of a COCO annotation: coco-<file name>-<id>, shortened by md5 when too long. */
static char *
coco_annotation_id(const char *file_name, int64 id)
{
	char	   *aid = psprintf("coco-%s-" INT64_FORMAT, file_name, id);

	if (pg_mbstrlen(aid) > MAX_ID_LENGTH)
	{
		char		hex[33];
		const char *errstr = NULL;

		if (!pg_md5_hash(file_name, strlen(file_name), hex, &errstr))
			elog(ERROR, "could not compute an md5 hash: %s", errstr ? errstr : "unknown error");
		aid = psprintf("coco-%s-" INT64_FORMAT, hex, id);
	}
	return aid;
}

static Jsonb *
image_item(const CocoImage *img)
{
	JsonbParseState *st = NULL;
	JsonbValue *res;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "id");
	push_string(&st, WJB_VALUE, img->file_name, strlen(img->file_name));
	push_key(&st, "data");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "image");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "url");
	push_string(&st, WJB_VALUE, img->file_name, strlen(img->file_name));
	push_key(&st, "image_info");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "width");
	push_numeric(&st, WJB_VALUE, int64_to_numeric(img->width));
	push_key(&st, "height");
	push_numeric(&st, WJB_VALUE, int64_to_numeric(img->height));
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

static Jsonb *
annotation_item(const char *id, const char *input_id, const char *concept, const BBox *box)
{
	JsonbParseState *st = NULL;
	JsonbValue *res;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "id");
	push_string(&st, WJB_VALUE, id, strlen(id));
	push_key(&st, "input_id");
	push_string(&st, WJB_VALUE, input_id, strlen(input_id));
	push_key(&st, "data");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "regions");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "id");
	push_string(&st, WJB_VALUE, id, strlen(id));
	push_key(&st, "region_info");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "bounding_box");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	bbox_push_jsonb(&st, box);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	push_key(&st, "data");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "concepts");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "id");
	push_string(&st, WJB_VALUE, concept, strlen(concept));
	push_key(&st, "value");
	push_numeric(&st, WJB_VALUE, int64_to_numeric(1));
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

#define COCO_ITEM_COLS 7

/* One result row of _coco_items. */
static void
put_item(ReturnSetInfo *rsinfo, const char *kind, int ord, const char *id,
		 const CocoImage *img, Jsonb *item)
{
	Datum		values[COCO_ITEM_COLS];
	bool		nulls[COCO_ITEM_COLS] = {false, false, false, false, false, false, false};
	bool		is_image = (strcmp(kind, "image") == 0);

	values[0] = CStringGetTextDatum(kind);
	values[1] = Int32GetDatum(ord);
	values[2] = CStringGetTextDatum(id);
	values[3] = CStringGetTextDatum(img->file_name);
	/* width and height describe the image: only on image rows */
	values[4] = Int32GetDatum(img->width);
	values[5] = Int32GetDatum(img->height);
	nulls[4] = nulls[5] = !is_image;
	values[6] = JsonbPGetDatum(item);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(annotations_coco_items);
/*
 * _coco_items(coco jsonb, kind text) -> SETOF (kind, ord, id, input_id,
 * width, height, item): validates the whole document, then returns the
 * images (kind 'image') or the boxes (kind 'annotation') as Clarifai request
 * items for post_inputs / post_annotations, in document order.
 */
Datum
annotations_coco_items(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *coco;
	char	   *kind;
	bool		want_images;
	JsonbValue	root;
	JsonbValue *images_v;
	JsonbValue *categories_v;
	JsonbValue *annotations_v;
	int			nimages;
	int			ncategories;
	int			nannotations;
	CocoImage  *images;
	CocoCategory *categories;
	HTAB	   *image_ids;
	HTAB	   *file_names;
	HTAB	   *category_ids;
	HTAB	   *category_names;
	HTAB	   *annotation_ids;
	MemoryContext itemcxt;
	int			i;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coco must not be NULL")));
	coco = PG_GETARG_JSONB_P(0);
	kind = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(kind, "image") != 0 && strcmp(kind, "annotation") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown COCO item kind \"%s\"", kind),
				 errhint("The kinds are image and annotation.")));
	want_images = (kind[0] == 'i');

	InitMaterializedSRF(fcinfo, 0);
	jr_root(coco, &root);
	coco_object(&root, "coco");
	images_v = coco_key(&root, "coco", "images");
	categories_v = coco_key(&root, "coco", "categories");
	annotations_v = coco_key(&root, "coco", "annotations");
	nimages = jr_array_length(images_v, "coco.images");
	ncategories = jr_array_length(categories_v, "coco.categories");
	nannotations = jr_array_length(annotations_v, "coco.annotations");

	image_ids = int64_table("coco image ids", sizeof(Int64Entry), CurrentMemoryContext);
	file_names = strptr_table("coco file names", sizeof(NameEntry), CurrentMemoryContext);
	category_ids = int64_table("coco category ids", sizeof(Int64Entry), CurrentMemoryContext);
	category_names = strptr_table("coco category names", sizeof(NameEntry), CurrentMemoryContext);
	annotation_ids = int64_table("coco annotation ids", sizeof(Int64Entry), CurrentMemoryContext);

	/* images: id, file_name (the input id), width, height */
	images = coco_alloc(nimages, sizeof(CocoImage));
	for (i = 0; i < nimages; i++)
	{
		CocoImage  *img = &images[i];
		JsonbValue *v = jr_array_element(images_v, i);

		CHECK_FOR_INTERRUPTS();
		img->path = jr_index_path("coco.images", i);
		coco_object(v, img->path);
		img->id = coco_id(v, img->path, "id");
		img->file_name = jr_id(coco_key(v, img->path, "file_name"), jr_key_path(img->path, "file_name"));
		img->width = (int32) jr_integer(coco_key(v, img->path, "width"),
										jr_key_path(img->path, "width"), 1, PG_INT32_MAX);
		img->height = (int32) jr_integer(coco_key(v, img->path, "height"),
										 jr_key_path(img->path, "height"), 1, PG_INT32_MAX);
		claim_id(image_ids, img->id, i, "coco.images", "image");
		claim_name(file_names, img->file_name, i, "coco.images", "file_name", "file name",
				   "An image's file_name becomes its input id, so it must be unique.");
	}

	/* categories: id, name (the concept id) */
	categories = coco_alloc(ncategories, sizeof(CocoCategory));
	for (i = 0; i < ncategories; i++)
	{
		CocoCategory *cat = &categories[i];
		JsonbValue *v = jr_array_element(categories_v, i);

		CHECK_FOR_INTERRUPTS();
		cat->path = jr_index_path("coco.categories", i);
		coco_object(v, cat->path);
		cat->id = coco_id(v, cat->path, "id");
		cat->name = jr_id(coco_key(v, cat->path, "name"), jr_key_path(cat->path, "name"));
		claim_id(category_ids, cat->id, i, "coco.categories", "category");
		claim_name(category_names, cat->name, i, "coco.categories", "name", "category name",
				   "A category's name becomes its concept id, so it must be unique.");
	}

	if (want_images)
		for (i = 0; i < nimages; i++)
			put_item(rsinfo, "image", i, images[i].file_name, &images[i], image_item(&images[i]));

	/*
	 * annotations: id, image_id, category_id, bbox [x,y,w,h] in pixels. What
	 * one item needs (its paths, values, request item) lives in a context
	 * reset for the next, so memory does not grow with the document.
	 */
	itemcxt = AllocSetContextCreate(CurrentMemoryContext, "coco item", ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < nannotations; i++)
	{
		MemoryContext old;
		JsonbValue *v;
		char	   *path;
		char	   *bbox_path;
		JsonbValue *bbox_v;
		int64		id;
		int64		image_id;
		int64		category_id;
		Int64Entry *ie;
		const CocoImage *img;
		const CocoCategory *cat;
		double		c[4];
		int			n;
		int			j;
		BBox		box;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(itemcxt);
		v = jr_array_element(annotations_v, i);
		path = jr_index_path("coco.annotations", i);
		bbox_path = jr_key_path(path, "bbox");
		coco_object(v, path);
		id = coco_id(v, path, "id");
		image_id = coco_id(v, path, "image_id");
		category_id = coco_id(v, path, "category_id");
		claim_id(annotation_ids, id, i, "coco.annotations", "annotation");
		ie = hash_search(image_ids, &image_id, HASH_FIND, NULL);
		if (ie == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.image_id: image " INT64_FORMAT " is not in coco.images", path, image_id)));
		img = &images[ie->index];
		ie = hash_search(category_ids, &category_id, HASH_FIND, NULL);
		if (ie == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.category_id: category " INT64_FORMAT " is not in coco.categories",
							path, category_id)));
		cat = &categories[ie->index];

		bbox_v = coco_key(v, path, "bbox");
		n = jr_array_length(bbox_v, bbox_path);
		if (n != 4)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: expected 4 numbers [x,y,w,h], got %d items", bbox_path, n)));
		for (j = 0; j < 4; j++)
			c[j] = jr_number(jr_array_element(bbox_v, j), jr_index_path(bbox_path, j));
		/* pixel bounds first, for a message in the document's own terms */
		if (isfinite(c[0]) && isfinite(c[1]) && isfinite(c[2]) && isfinite(c[3]) &&
			c[2] > 0 && c[3] > 0)
			check_inside(c, img, bbox_path);
		bbox_from_coco(c[0], c[1], c[2], c[3], img->width, img->height, bbox_path, &box);

		if (!want_images)
		{
			char	   *aid = coco_annotation_id(img->file_name, id);

			put_item(rsinfo, "annotation", i, aid, img,
					 annotation_item(aid, img->file_name, cat->name, &box));
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(itemcxt);
	}
	MemoryContextDelete(itemcxt);
	return (Datum) 0;
}
