/*
 * coco_export.c — export_coco: an app's image inputs and region labels as a
 * COCO object detection document.
 *
 * Region annotations stream through an SPI cursor and the jsonb result is
 * written directly in its binary form, one element at a time (jsonb_writer.c):
 * memory holds the growing result and one batch of rows, never a JsonbValue
 * tree of the whole document (that tree is several times larger than the
 * result). Boxes are written in pixels that import turns back into the same
 * stored values (coco_pixels.c).
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
#include "region_info.h"
#include "json_read.h"

#include "acting.h"
#include "api.h"
#include "coco.h"
#include "coco_pixels.h"
#include "jsonb_writer.h"

/* Rows fetched from the SPI cursor at a time. */
#define EXPORT_FETCH 1000

typedef struct ImageEntry
{
	char	   *input_id;		/* key */
	Numeric		number;			/* COCO image id */
	int32		width;
	int32		height;
	char	   *file_name;
	int64		imported_id;	/* the id an imported document gave it, or -1 */
	int64		id;				/* its id in this export */
} ImageEntry;

typedef struct UsedId
{
	int64		key;
} UsedId;

typedef struct CategoryEntry
{
	char	   *concept_id;		/* key */
	Numeric		number;			/* COCO category id */
} CategoryEntry;

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

/* The value of one hex digit, or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * s[0..len) with its percent-escapes decoded, or NULL when the result would
 * not be a valid file name (bad UTF-8, a control character).
 */
static char *
percent_decoded(const char *s, int len)
{
	char	   *out = palloc(len + 1);
	int			n = 0;

	for (int i = 0; i < len; i++)
	{
		int			hi = (s[i] == '%' && i + 2 < len) ? hex_value(s[i + 1]) : -1;
		int			lo = hi >= 0 ? hex_value(s[i + 2]) : -1;

		if (lo >= 0)
		{
			out[n++] = (char) (hi * 16 + lo);
			i += 2;
		}
		else
			out[n++] = s[i];
	}
	out[n] = '\0';
	if (!pg_verifymbstr(out, n, true) || !jr_id_ok(out, n))
		return NULL;
	return out;
}

/*
 * An image url's file name: for a URL with a scheme, the path below its
 * host (query and fragment cut off, percent-escapes decoded), so
 * train2017/000000397133.jpg keeps its folder; otherwise the url itself (an
 * imported file_name comes back as it went in). NULL when there is none.
 */
static char *
url_file_name(const char *url, int len)
{
	const char *scheme = memmem(url, len, "://", 3);
	const char *start;
	const char *end = url + len;
	const char *slash;

	if (scheme == NULL)
		return len > 0 && jr_id_ok(url, len) ? pnstrdup(url, len) : NULL;
	start = scheme + 3;
	for (const char *p = start; p < end; p++)
		if (*p == '?' || *p == '#')
		{
			end = p;
			break;
		}
	slash = memchr(start, '/', end - start);
	if (slash == NULL || slash + 1 >= end)
		return NULL;
	return percent_decoded(slash + 1, end - slash - 1);
}

/* The file extension of an image format name or of base64 image data, or "". */
static const char *
image_extension(JsonbContainer *image)
{
	static const struct
	{
		const char *format;
		const char *base64;
		const char *ext;
	}			kinds[] = {
		{"jpeg", "/9j/", ".jpg"}, {"jpg", NULL, ".jpg"}, {"png", "iVBORw0KGgo", ".png"},
		{"gif", "R0lGOD", ".gif"}, {"webp", "UklGR", ".webp"}, {"bmp", "Qk", ".bmp"},
		{"tiff", "SUkqA", ".tiff"}
	};
	JsonbValue	v;
	JsonbValue	info;

	if (getKeyJsonValueFromContainer(image, "image_info", 10, &info) != NULL &&
		info.type == jbvBinary && JsonContainerIsObject(info.val.binary.data) &&
		getKeyJsonValueFromContainer(info.val.binary.data, "format", 6, &v) != NULL &&
		v.type == jbvString)
		for (int i = 0; i < (int) lengthof(kinds); i++)
			if (v.val.string.len == (int) strlen(kinds[i].format) &&
				pg_strncasecmp(v.val.string.val, kinds[i].format, v.val.string.len) == 0)
				return kinds[i].ext;
	if (getKeyJsonValueFromContainer(image, "base64", 6, &v) != NULL && v.type == jbvString)
		for (int i = 0; i < (int) lengthof(kinds); i++)
			if (kinds[i].base64 && v.val.string.len >= (int) strlen(kinds[i].base64) &&
				memcmp(v.val.string.val, kinds[i].base64, strlen(kinds[i].base64)) == 0)
				return kinds[i].ext;
	return "";
}

/* The input id with the image's extension, unless it already ends so. */
static char *
id_file_name(const char *input_id, JsonbContainer *image)
{
	const char *ext = image_extension(image);
	size_t		il = strlen(input_id);
	size_t		el = strlen(ext);

	if (il >= el && pg_strcasecmp(input_id + il - el, ext) == 0)
		return pstrdup(input_id);
	return psprintf("%s%s", input_id, ext);
}

/*
 * A file name no earlier image of the export has: the first image keeps
 * it, a later one gets its input id before the extension (a.jpg, then
 * a~img-7.jpg), and a number after that if even that is taken.
 */
static char *
unique_file_name(HTAB *names, char *name, const char *input_id, MemoryContext cxt)
{
	bool		found;
	char	   *candidate = name;

	for (int k = 1;; k++)
	{
		char	  **e;

		CHECK_FOR_INTERRUPTS();
		e = hash_search(names, &candidate, HASH_FIND, &found);
		if (!found)
		{
			candidate = MemoryContextStrdup(cxt, candidate);
			e = hash_search(names, &candidate, HASH_ENTER, &found);
			*e = candidate;
			return candidate;
		}
		{
			const char *dot = strrchr(name, '.');
			const char *sl = strrchr(name, '/');
			int			stem = (dot && (!sl || dot > sl) && dot != name) ? (int) (dot - name) : (int) strlen(name);

			candidate = k == 1 ? psprintf("%.*s~%s%s", stem, name, input_id, name + stem)
				: psprintf("%.*s~%s~%d%s", stem, name, input_id, k, name + stem);
		}
	}
}

/*
 * A COCO id written where export reads it back: a whole JSON number from 0
 * to 2^53 - 1, or -1 for anything else (the places are free-form JSON a
 * user may fill as they like).
 */
static int64
coco_id_at(JsonbContainer *c, const char *const *keys, int nkeys)
{
	JsonbValue	v;

	for (int i = 0; i < nkeys; i++)
	{
		if (!JsonContainerIsObject(c) ||
			getKeyJsonValueFromContainer(c, keys[i], strlen(keys[i]), &v) == NULL)
			return -1;
		if (i < nkeys - 1)
		{
			if (v.type != jbvBinary)
				return -1;
			c = v.val.binary.data;
		}
	}
	if (v.type != jbvNumeric || numeric_is_nan(v.val.numeric))
		return -1;
	{
		double		d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
														   NumericGetDatum(v.val.numeric)));

		return (d >= 0 && d <= (double) MAX_COCO_ID && d == floor(d)) ? (int64) d : -1;
	}
}

/* data.metadata.coco.image_id: the id import_coco kept. */
static int64
imported_image_id(JsonbContainer *data)
{
	static const char *const keys[3] = {"metadata", "coco", "image_id"};

	return coco_id_at(data, keys, 3);
}

static int
by_image_id(const void *a, const void *b)
{
	int64		x = (*(ImageEntry *const *) a)->id;
	int64		y = (*(ImageEntry *const *) b)->id;

	return (x > y) - (x < y);
}

/*
 * Image ids: an imported image keeps its document's id unless an earlier
 * one has it; the others are numbered 1, 2, … around them, in order.
 */
static void
number_images(ImageEntry **entries, int n, MemoryContext cxt)
{
	HTAB	   *used = int64_table("export_coco image ids", sizeof(UsedId), cxt);
	int64		next = 0;
	MemoryContext old = MemoryContextSwitchTo(cxt);

	for (int i = 0; i < n; i++)
	{
		bool		found = true;

		CHECK_FOR_INTERRUPTS();
		if (entries[i]->imported_id >= 0)
			hash_search(used, &entries[i]->imported_id, HASH_ENTER, &found);
		if (!found)
			entries[i]->id = entries[i]->imported_id;
		else
			entries[i]->imported_id = -1;
	}
	for (int i = 0; i < n; i++)
	{
		if (entries[i]->imported_id >= 0)
			continue;
		do
			next++;
		while (hash_search(used, &next, HASH_FIND, NULL) != NULL);
		entries[i]->id = next;
	}
	for (int i = 0; i < n; i++)
		entries[i]->number = int64_to_numeric(entries[i]->id);
	/* listed by id, so an imported document comes back in its own order */
	qsort(entries, n, sizeof(ImageEntry *), by_image_id);
	MemoryContextSwitchTo(old);
	hash_destroy(used);
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
	HTAB	   *file_names = strptr_table("export_coco file names", sizeof(char *), cxt);
	int			maxentries = 64;
	int			nentries = 0;
	ImageEntry **entries = MemoryContextAlloc(cxt, sizeof(ImageEntry *) * maxentries);

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
				file_name = id_file_name(input_id, image.val.binary.data);
			file_name = unique_file_name(file_names, file_name, input_id, cxt);

			MemoryContextSwitchTo(cxt);
			e = hash_search(images, &input_id, HASH_ENTER, NULL);
			e->input_id = pstrdup(input_id);
			e->width = width;
			e->height = height;
			e->file_name = file_name;
			e->imported_id = imported_image_id(&data->root);
			if (nentries == maxentries)
			{
				maxentries *= 2;
				entries = repalloc_huge(entries, sizeof(ImageEntry *) * maxentries);
			}
			entries[nentries++] = e;
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	number_images(entries, nentries, cxt);
	for (int i = 0; i < nentries; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(rowcxt);
		JsonbParseState *st = NULL;
		ImageEntry *e = entries[i];

		CHECK_FOR_INTERRUPTS();
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_key(&st, "id");
		push_numeric(&st, WJB_VALUE, e->number);
		push_key(&st, "file_name");
		push_string(&st, WJB_VALUE, e->file_name, strlen(e->file_name));
		push_key(&st, "width");
		push_numeric(&st, WJB_VALUE, int64_to_numeric(e->width));
		push_key(&st, "height");
		push_numeric(&st, WJB_VALUE, int64_to_numeric(e->height));
		jba_append(out, JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL)));
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
}

/*
 * The app's catalogue (or the concepts named by concept_ids) as categories,
 * by coco_id: every export of the app numbers a concept alike, whatever
 * its filters, and lists the concepts no exported box uses too. A concept
 * named in concept_ids that the catalogue lacks is P0002.
 */
static void
export_categories(Datum app, const char *app_id, ArrayType *concept_ids, HTAB *categories,
				  MemoryContext cxt, JbArray *out)
{
	Oid			types[2] = {TEXTOID, TEXTARRAYOID};
	Datum		values[2] = {app, PointerGetDatum(concept_ids)};
	char		nulls[2] = {' ', concept_ids ? ' ' : 'n'};

	if (SPI_execute_with_args("SELECT c.id, c.coco_id, c.supercategory FROM annotations.concepts c"
							  " WHERE c.app_id OPERATOR(pg_catalog.=) $1"
							  "   AND ($2 IS NULL OR c.id OPERATOR(pg_catalog.=) ANY ($2))"
							  " ORDER BY c.coco_id",
							  2, types, values, nulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the concept catalogue");
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *id = SPI_getvalue(tup, desc, 1);
		char	   *super = SPI_getvalue(tup, desc, 3);
		bool		isnull;
		int32		coco_id = DatumGetInt32(SPI_getbinval(tup, desc, 2, &isnull));
		CategoryEntry *cat;
		bool		found;
		JsonbParseState *st = NULL;

		CHECK_FOR_INTERRUPTS();
		if (id == NULL || isnull || coco_id < 1)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored concept catalogue of app \"%s\" is malformed", app_id),
					 errdetail_internal("A row of annotations.concepts has id %s and coco_id %s.",
										id ? id : "NULL", isnull ? "NULL" : psprintf("%d", coco_id)),
					 errhint("The API never stores such a row. Correct it with UPDATE.")));
		cat = hash_search(categories, &id, HASH_ENTER, &found);
		if (found)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored concept catalogue of app \"%s\" is malformed", app_id),
					 errdetail_internal("Concept \"%s\" has two rows in annotations.concepts.", id)));
		cat->concept_id = MemoryContextStrdup(cxt, id);
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			cat->number = int64_to_numeric(coco_id);
			MemoryContextSwitchTo(old);
		}
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_key(&st, "id");
		push_numeric(&st, WJB_VALUE, cat->number);
		push_key(&st, "name");
		push_string(&st, WJB_VALUE, id, strlen(id));
		if (super != NULL)
		{
			push_key(&st, "supercategory");
			push_string(&st, WJB_VALUE, super, strlen(super));
		}
		jba_append(out, JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL)));
	}
	if (concept_ids != NULL)
	{
		Datum	   *elems;
		int			n;

		deconstruct_array(concept_ids, TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &n);
		for (int i = 0; i < n; i++)
		{
			char	   *id = TextDatumGetCString(elems[i]);

			if (hash_search(categories, &id, HASH_FIND, NULL) == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_NO_DATA_FOUND),
						 errmsg("concept_ids: concept \"%s\" is not in the catalogue of app \"%s\"", id, app_id)));
		}
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * Annotation ids of one export: a box an import kept the id of gets it
 * back unless it is taken; the others are numbered 1, 2, … Until the first
 * kept id appears the numbers are dense and need no table.
 */
typedef struct BoxIds
{
	int64		next;			/* the last number given */
	int64		dense;			/* 1..dense were given before the table */
	HTAB	   *used;			/* every id given since, or NULL */
	MemoryContext cxt;
} BoxIds;

static bool
box_id_taken(const BoxIds *ids, int64 id)
{
	return (id >= 1 && id <= ids->dense) ||
		(ids->used != NULL && hash_search(ids->used, &id, HASH_FIND, NULL) != NULL);
}

static int64
box_id(BoxIds *ids, int64 kept)
{
	int64		id;

	if (kept >= 0 && ids->used == NULL)
	{
		ids->used = int64_table("export_coco annotation ids", sizeof(UsedId), ids->cxt);
		ids->dense = ids->next;
	}
	if (ids->used == NULL)
		return ++ids->next;
	if (kept >= 0 && !box_id_taken(ids, kept))
		id = kept;
	else
	{
		do
			id = ++ids->next;
		while (box_id_taken(ids, id));
	}
	hash_search(ids->used, &id, HASH_ENTER, NULL);
	return id;
}

/* A region's polygon or mask, when it has one. */
typedef struct ExportShape
{
	bool		shaped;
	Polygon    *polygon;
	Mask	   *mask;
} ExportShape;

/* The bbox an import kept beside a segmentation: an array of 4 numbers, else NULL. */
static bool
kept_bbox(JsonbContainer *coco, JsonbValue *out)
{
	if (coco == NULL || getKeyJsonValueFromContainer(coco, "bbox", 4, out) == NULL ||
		out->type != jbvBinary || !JsonContainerIsArray(out->val.binary.data) ||
		JsonContainerSize(out->val.binary.data) != 4)
		return false;
	for (int i = 0; i < 4; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(out->val.binary.data, i);

		if (e == NULL || e->type != jbvNumeric)
			return false;
	}
	return true;
}

/*
 * The COCO annotation object of one region: its box, and for a polygon or
 * mask (shape) its segmentation and true area; coco is what an import kept.
 */
static Jsonb *
export_box(int64 id, const ImageEntry *img, const CategoryEntry *cat, const BBox *box,
		   Numeric crowd, Numeric area, const ExportShape *shape, JsonbContainer *coco)
{
	JsonbValue	written;
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
	if (shape->shaped && kept_bbox(coco, &written))
		pushJsonbValue(&st, WJB_VALUE, &written);
	else
	{
		pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
		for (i = 0; i < 4; i++)
			push_numeric(&st, WJB_ELEM, pixel_numeric(&px[i]));
		pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	}
	if (shape->shaped)
	{
		coco_push_segmentation(&st, coco, shape->polygon, shape->mask, img->width, img->height);
		if (area == NULL)
			area = coco_shape_area(shape->polygon, shape->mask, img->width, img->height);
	}
	push_key(&st, "area");
	push_numeric(&st, WJB_VALUE, area ? area : pixel_area(&px[2], &px[3]));
	push_key(&st, "iscrowd");
	push_numeric(&st, WJB_VALUE, crowd);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

/*
 * The stored shape of a region row (columns 7 to 9: polygon, point, mask),
 * checked as every stored region is; false for a point, which COCO has no
 * annotation for.
 */
static bool
region_shape(HeapTuple tup, TupleDesc desc, Datum box_datum, const char *app_id,
			 const Datum *id_datum, ExportShape *out)
{
	ShapeDatums d;
	RegionShape s;

	d.values[SC_BBOX] = box_datum;
	d.nulls[SC_BBOX] = false;
	d.values[SC_POLYGON] = SPI_getbinval(tup, desc, 7, &d.nulls[SC_POLYGON]);
	d.values[SC_POINT] = SPI_getbinval(tup, desc, 8, &d.nulls[SC_POINT]);
	d.values[SC_MASK] = SPI_getbinval(tup, desc, 9, &d.nulls[SC_MASK]);
	out->shaped = false;
	/* a box region, the common case, needs no check beyond its box's */
	if (d.nulls[SC_POLYGON] && d.nulls[SC_POINT] && d.nulls[SC_MASK])
		return true;
	region_shape_from_datums(&d, &s, "region of annotation \"%s\" in app \"%s\"",
							 TextDatumGetCString(*id_datum), app_id);
	out->shaped = s.kind == SHAPE_POLYGON || s.kind == SHAPE_MASK;
	out->polygon = s.kind == SHAPE_POLYGON ? s.polygon : NULL;
	out->mask = s.kind == SHAPE_MASK ? s.mask : NULL;
	return s.kind != SHAPE_POINT;
}

/*
 * A database still on 1.0 calls annotations_export_coco from its own SQL,
 * where export runs with the caller's rights under row-level security and
 * the app is checked by annotations._app_role; 1.1 calls
 * annotations_coco_export, which checks membership itself and reads with the
 * store owner's rights. Both run the same export.
 */
static Datum export_coco(FunctionCallInfo fcinfo, bool as_caller);

PG_FUNCTION_INFO_V1(annotations_export_coco);
Datum
annotations_export_coco(PG_FUNCTION_ARGS)
{
	return export_coco(fcinfo, true);
}

PG_FUNCTION_INFO_V1(annotations_coco_export);
Datum
annotations_coco_export(PG_FUNCTION_ARGS)
{
	return export_coco(fcinfo, false);
}

/*
 * export_coco(app_id, input_ids, user_ids, model_version_ids, statuses,
 * task_id, list_all_annotations) -> jsonb.  Any member of the app may
 * export it; the queries run with the store owner's rights (acting.c).
 */
static Datum
export_coco(FunctionCallInfo fcinfo, bool as_caller)
{
	Datum		app = PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0);
	ArrayType  *input_ids = api_filter_array_arg(fcinfo, 1, "input_ids");
	ArrayType  *user_ids = api_filter_array_arg(fcinfo, 2, "user_ids");
	ArrayType  *model_ids = api_filter_array_arg(fcinfo, 3, "model_version_ids");
	ArrayType  *statuses = api_filter_array_arg(fcinfo, 4, "statuses");
	bool		list_all = !PG_ARGISNULL(6) && PG_GETARG_BOOL(6);
	ArrayType  *concept_ids = PG_NARGS() > 7 ? api_filter_array_arg(fcinfo, 7, "concept_ids") : NULL;
	const char *app_id = PG_ARGISNULL(0) ? "" : TextDatumGetCString(app);
	Acting		acting;
	AppAccess	access;
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
	BoxIds		ids = {0, 0, NULL, NULL};
	int64		next_category = 0;
	int64		skipped = 0;
	int64		uncatalogued = 0;
	int64		points = 0;
	Numeric		zero;
	Numeric		one;
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
	one = int64_to_numeric(1);
	ids.cxt = cxt;
	MemoryContextSwitchTo(callercxt);

	if (!as_caller)
		acting_begin(&acting);
	acting_connect();

	/* P0002 for an app the acting user may not see; any member may export */
	types[0] = TEXTOID;
	values[0] = app;
	nulls[0] = PG_ARGISNULL(0) ? 'n' : ' ';
	if (!as_caller)
		acting_app(&acting, PG_ARGISNULL(0) ? NULL : app_id, &access);
	else if (SPI_execute_with_args("SELECT annotations._app_role($1)", 1, types, values, nulls,
								   true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not check app");

	if (!as_caller)
		export_categories(app, app_id, concept_ids, categories, cxt, cat_arr);
	export_images(app, app_id, input_ids, images, cxt, rowcxt, image_arr);

	/* region annotations, oldest first, with the filters of list_annotations */
	initStringInfo(&sql);
	appendStringInfo(&sql,
						   "SELECT a.input_id, r.bbox, r.concepts, a.id, %s"
						   "  FROM annotations.annotations a"
						   "  JOIN annotations.regions r ON r.app_id OPERATOR(pg_catalog.=) $1"
						   "   AND r.annotation_id OPERATOR(pg_catalog.=) a.id"
						   " WHERE a.app_id OPERATOR(pg_catalog.=) $1",
	/* a 1.0 database has no crowd regions and kept no COCO ids */
					 as_caller ? "false, NULL::jsonb, NULL::text, NULL::text, NULL::text"
					 : "r.iscrowd, a.annotation_info OPERATOR(pg_catalog.->) 'coco', r.polygon, r.point, r.mask");
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
			bool		null_crowd;
			bool		null_coco;
			Datum		crowd_datum = SPI_getbinval(tup, desc, 5, &null_crowd);
			Datum		coco_datum = SPI_getbinval(tup, desc, 6, &null_coco);
			JsonbContainer *coco = NULL;
			int64		kept = -1;
			Numeric		area = NULL;
			Datum		input_datum = SPI_getbinval(tup, desc, 1, &null_input);
			Datum		box_datum = SPI_getbinval(tup, desc, 2, &null_box);
			Datum		concepts_datum = SPI_getbinval(tup, desc, 3, &null_concepts);
			Datum		id_datum = SPI_getbinval(tup, desc, 4, &null_id);
			ExportShape shape = {false, NULL, NULL};
			char	   *input_id;
			BBox	   *box;
			Jsonb	   *concepts;
			ImageEntry *img;
			ConceptSource src;
			int			nconcepts;
			int			c;

			/* the columns are NOT NULL; a NULL means a broken table, not bad data */
			if (null_input || null_box || null_concepts || null_id || null_crowd)
				elog(ERROR, "region annotation with a NULL column in app \"%s\"", app_id);
			/* what an import kept (annotation_info is the user's: anything else is ignored) */
			if (!null_coco && JsonContainerIsObject(&DatumGetJsonbP(coco_datum)->root))
			{
				static const char *const id_key[1] = {"id"};

				coco = &DatumGetJsonbP(coco_datum)->root;
				kept = coco_id_at(coco, id_key, 1);
				area = coco_kept_area(coco);
			}
			input_id = TextDatumGetCString(input_datum);
			box = DatumGetBBoxP(box_datum);
			if (!as_caller && !region_shape(tup, desc, box_datum, app_id, &id_datum, &shape))
			{
				points++;
				MemoryContextSwitchTo(old);
				MemoryContextReset(rowcxt);
				continue;
			}
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
				/* 1.1 exports the catalogue's concepts only (one outside it was written around the API) */
				if (!as_caller && hash_search(categories, &concept_id, HASH_FIND, NULL) == NULL)
				{
					uncatalogued += concept_ids == NULL;
					continue;
				}
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
				/* the kept id and area belong to the region's first box */
				jba_append(ann_arr, export_box(box_id(&ids, kept), img, cat, box,
											   DatumGetBool(crowd_datum) ? one : zero, area,
											   &shape, coco));
				kept = -1;
				area = NULL;
			}
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();
	if (!as_caller)
		acting_end(&acting);

	if (skipped > 0)
		ereport(NOTICE,
				(errmsg_plural("export_coco skipped %lu box on an input that is not an image with a known size",
							   "export_coco skipped %lu boxes on inputs that are not images with a known size",
							   (unsigned long) skipped, (unsigned long) skipped),
				 errdetail("Pixel boxes need data.image.image_info.width and height on the input."),
				 errhint("Post such images with image_info, or leave them out with input_ids.")));

	if (points > 0)
		ereport(NOTICE,
				(errmsg_plural("export_coco skipped %lu point region",
							   "export_coco skipped %lu point regions",
							   (unsigned long) points, (unsigned long) points),
				 errdetail("COCO object detection has no single-point annotations.")));

	if (uncatalogued > 0)
		ereport(NOTICE,
				(errmsg_plural("export_coco skipped %lu box of a concept that is not in the catalogue of app \"%s\"",
							   "export_coco skipped %lu boxes of concepts that are not in the catalogue of app \"%s\"",
							   (unsigned long) uncatalogued, (unsigned long) uncatalogued, app_id),
				 errhint("Add the concepts with post_concepts.")));

	/* 1.0's categories: the concepts used, numbered in order of first use */
	MemoryContextSwitchTo(cxt);
	cats = palloc0(sizeof(CategoryEntry *) * (next_category + 1));
	if (as_caller)
		hash_seq_init(&seq, categories);
	while (as_caller && (ce = hash_seq_search(&seq)) != NULL)
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
