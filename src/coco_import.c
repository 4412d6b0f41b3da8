/*
 * coco_import.c — import_coco and the validating reader behind it.
 *
 * The whole document is read into C structs and validated before anything
 * is written (every error names the item, e.g. coco.annotations[3].bbox).
 * Its images and boxes then become input and annotation request structs,
 * stored 128 at a time by the code behind post_inputs and post_annotations
 * (store.h), so the rules of any other post apply; no request JSON is
 * written to be parsed again.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
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
#include "utils/tuplestore.h"

#include "acting.h"
#include "api.h"
#include "bbox.h"
#include "concepts.h"
#include "json_read.h"
#include "plans.h"
#include "request.h"
#include "store.h"

#include "coco.h"
#include "jsonb_writer.h"

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
char *
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

/* Pushes an image's input data: {"image": {"url", "image_info": {"width", "height"}}}. */
static void
push_image_data(JsonbParseState **st, const CocoImage *img)
{
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	push_key(st, "image");
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	push_key(st, "url");
	push_string(st, WJB_VALUE, img->file_name, strlen(img->file_name));
	push_key(st, "image_info");
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	push_key(st, "width");
	push_numeric(st, WJB_VALUE, int64_to_numeric(img->width));
	push_key(st, "height");
	push_numeric(st, WJB_VALUE, int64_to_numeric(img->height));
	pushJsonbValue(st, WJB_END_OBJECT, NULL);
	pushJsonbValue(st, WJB_END_OBJECT, NULL);
}

static Jsonb *
image_data(const CocoImage *img)
{
	JsonbParseState *st = NULL;

	push_image_data(&st, img);
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

/* The post_inputs item of an image (for _coco_items). */
static Jsonb *
image_item(const CocoImage *img)
{
	JsonbParseState *st = NULL;
	JsonbValue *res;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "id");
	push_string(&st, WJB_VALUE, img->file_name, strlen(img->file_name));
	push_key(&st, "data");
	push_image_data(&st, img);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

/* The post_annotations item of a box (for _coco_items). */
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

/*
 * Reads and validates a whole COCO document (22023 naming the item for
 * anything wrong): images with their file names and sizes, boxes with their
 * image, category name and normalized box, in document order.
 */
void
coco_read_document(Jsonb *coco, CocoDocument *doc)
{
	JsonbValue	root;
	JsonbValue *images_v;
	JsonbValue *categories_v;
	JsonbValue *annotations_v;
	int			nimages;
	int			ncategories;
	int			nannotations;
	CocoImage  *images;
	CocoCategory *categories;
	CocoDocBox    *boxes;
	HTAB	   *image_ids;
	HTAB	   *file_names;
	HTAB	   *category_ids;
	HTAB	   *category_names;
	HTAB	   *annotation_ids;
	MemoryContext itemcxt;
	int			i;

	if (coco == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coco must not be NULL")));
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

	/*
	 * annotations: id, image_id, category_id, bbox [x,y,w,h] in pixels. What
	 * reading one item takes (its paths, values) lives in a context reset for
	 * the next, so memory grows only by the box kept.
	 */
	boxes = coco_alloc(nannotations, sizeof(CocoDocBox));
	itemcxt = AllocSetContextCreate(CurrentMemoryContext, "coco item", ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < nannotations; i++)
	{
		CocoDocBox    *out = &boxes[i];
		MemoryContext old;
		JsonbValue *v;
		char	   *path;
		char	   *bbox_path;
		JsonbValue *bbox_v;
		int64		image_id;
		int64		category_id;
		Int64Entry *ie;
		const CocoImage *img;
		double		c[4];
		int			n;
		int			j;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(itemcxt);
		v = jr_array_element(annotations_v, i);
		path = jr_index_path("coco.annotations", i);
		bbox_path = jr_key_path(path, "bbox");
		coco_object(v, path);
		out->id = coco_id(v, path, "id");
		image_id = coco_id(v, path, "image_id");
		category_id = coco_id(v, path, "category_id");
		claim_id(annotation_ids, out->id, i, "coco.annotations", "annotation");
		ie = hash_search(image_ids, &image_id, HASH_FIND, NULL);
		if (ie == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.image_id: image " INT64_FORMAT " is not in coco.images", path, image_id)));
		out->image = ie->index;
		img = &images[ie->index];
		ie = hash_search(category_ids, &category_id, HASH_FIND, NULL);
		if (ie == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.category_id: category " INT64_FORMAT " is not in coco.categories",
							path, category_id)));
		out->category = categories[ie->index].name;

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
		bbox_from_coco(c[0], c[1], c[2], c[3], img->width, img->height, bbox_path, &out->box);
		MemoryContextSwitchTo(old);
		MemoryContextReset(itemcxt);
	}
	MemoryContextDelete(itemcxt);
	hash_destroy(annotation_ids);

	doc->nimages = nimages;
	doc->images = images;
	doc->nboxes = nannotations;
	doc->boxes = boxes;
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
 * items for post_inputs / post_annotations, in document order. The 1.0
 * import_coco calls it; 1.1 reads the document with coco_read_document
 * directly.
 */
Datum
annotations_coco_items(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *kind;
	CocoDocument doc;
	MemoryContext itemcxt;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coco must not be NULL")));
	kind = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(kind, "image") != 0 && strcmp(kind, "annotation") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown COCO item kind \"%s\"", kind),
				 errhint("The kinds are image and annotation.")));

	InitMaterializedSRF(fcinfo, 0);
	coco_read_document(PG_GETARG_JSONB_P(0), &doc);
	if (kind[0] == 'i')
	{
		for (int i = 0; i < doc.nimages; i++)
		{
			CHECK_FOR_INTERRUPTS();
			put_item(rsinfo, "image", i, doc.images[i].file_name, &doc.images[i],
					 image_item(&doc.images[i]));
		}
		return (Datum) 0;
	}
	/* one item's id and request live in a context reset for the next */
	itemcxt = AllocSetContextCreate(CurrentMemoryContext, "coco item", ALLOCSET_DEFAULT_SIZES);
	for (int i = 0; i < doc.nboxes; i++)
	{
		const CocoDocBox *b = &doc.boxes[i];
		const CocoImage *img = &doc.images[b->image];
		MemoryContext old;
		char	   *aid;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(itemcxt);
		aid = coco_annotation_id(img->file_name, b->id);
		put_item(rsinfo, "annotation", i, aid, img,
				 annotation_item(aid, img->file_name, b->category, &b->box));
		MemoryContextSwitchTo(old);
		MemoryContextReset(itemcxt);
	}
	MemoryContextDelete(itemcxt);
	return (Datum) 0;
}

/* ---- import_coco ---- */

/* the box's text form, for messages */
extern PGDLLEXPORT Datum bbox_out(PG_FUNCTION_ARGS);

/* Images and boxes are stored this many at a time, as one post would. */
#define IMPORT_BATCH 128

/*
 * The inputs that already exist among the document's file names, in
 * document order, and whether each has the image's size (compared as
 * jsonb, so 640.0 is 640 and "640" is not).
 */
static KeptPlan import_existing_inputs = {
	.sql = "SELECT u.n,"
	"       (i.data #> '{image,image_info,width}') IS NOT DISTINCT FROM pg_catalog.to_jsonb(u.width)"
	"   AND (i.data #> '{image,image_info,height}') IS NOT DISTINCT FROM pg_catalog.to_jsonb(u.height),"
	"       COALESCE((i.data #> '{image,image_info}')::text, 'missing')"
	"  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))"
	"       WITH ORDINALITY u(id, width, height, n)"
	"  JOIN annotations.inputs i ON i.app_id = $1 AND i.id = u.id"
	" ORDER BY u.n",
	.nargs = 4,
	.argtypes = {TEXTOID, TEXTARRAYOID, INT4ARRAYOID, INT4ARRAYOID}
};

/*
 * The annotations that already exist among a batch's ids, in document
 * order. Each table is read once, by one index scan for all the ids,
 * whatever the statistics say: right after a large import they still
 * describe a small app, and a plan that reads the whole app, or probes it
 * again for every id, makes a second import of a large document slow.
 */
static KeptPlan import_existing_annotations = {
	.sql = "WITH a AS MATERIALIZED ("
	"       SELECT a.id, a.input_id, a.user_id, a.model_version_id FROM annotations.annotations a"
	"        WHERE a.app_id = $1 AND a.id = ANY ($2)),"
	"     r AS MATERIALIZED ("
	"       SELECT r.annotation_id, r.bbox, r.concepts FROM annotations.regions r"
	"        WHERE r.app_id = $1 AND r.annotation_id = ANY ($2))"
	" SELECT u.n, a.input_id, a.user_id, a.model_version_id, r.bbox, r.concepts"
	"   FROM pg_catalog.unnest($2) WITH ORDINALITY u(id, n)"
	"   JOIN a ON a.id = u.id"
	"   LEFT JOIN r ON r.annotation_id = a.id"
	"  ORDER BY u.n",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

static Datum
cstring_array(char **strs, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(strs[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static Datum
int4s_array(const int32 *vals, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		elems[i] = Int32GetDatum(vals[i]);
	return PointerGetDatum(construct_array(elems, n, INT4OID, 4, true, TYPALIGN_INT));
}

/*
 * Marks the images whose input already exists (existing[i]); an input with
 * the file name that is not an image of the same size is 23505, the first
 * in document order.
 */
static int64
import_find_inputs(const CocoDocument *doc, Datum app, const char *app_id, bool *existing)
{
	int			n = doc->nimages;
	char	  **names = palloc(sizeof(char *) * Max(n, 1));
	int32	   *widths = palloc(sizeof(int32) * Max(n, 1));
	int32	   *heights = palloc(sizeof(int32) * Max(n, 1));
	Datum		args[4];
	int64		count = 0;

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		names[i] = doc->images[i].file_name;
		widths[i] = doc->images[i].width;
		heights[i] = doc->images[i].height;
	}
	args[0] = app;
	args[1] = cstring_array(names, n);
	args[2] = int4s_array(widths, n);
	args[3] = int4s_array(heights, n);
	kept_execute(&import_existing_inputs, args, NULL, false, 0);
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int64		pos = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		const CocoImage *img;

		CHECK_FOR_INTERRUPTS();
		if (pos < 1 || pos > n)
			elog(ERROR, "input look-up returned position " INT64_FORMAT " of %d", pos, n);
		img = &doc->images[pos - 1];
		if (!DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("%s.file_name: input \"%s\" already exists in app \"%s\" and is not a %dx%d image",
							img->path, img->file_name, app_id, img->width, img->height),
					 errdetail("The stored input has data.image.image_info %s.",
							   SPI_getvalue(tup, desc, 3)),
					 errhint("An image's file_name is its input id; rename the file or delete the input.")));
		existing[pos - 1] = true;
		count++;
	}
	SPI_freetuptable(SPI_tuptable);
	return count;
}

/* Creates the images that are new, IMPORT_BATCH at a time. */
static int64
import_store_inputs(const CocoDocument *doc, const Acting *acting, const char *app_id,
					const bool *existing)
{
	int64		created = 0;
	int			i = 0;

	while (i < doc->nimages)
	{
		InputRequest *reqs;
		int			m = 0;

		/* a batch's requests and arguments go with its SPI connection */
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		reqs = palloc0(sizeof(InputRequest) * IMPORT_BATCH);
		for (; i < doc->nimages && m < IMPORT_BATCH; i++)
		{
			const CocoImage *img = &doc->images[i];
			InputRequest *r;

			CHECK_FOR_INTERRUPTS();
			if (existing[i])
				continue;
			r = &reqs[m];
			r->path = psprintf("inputs[%d]", m);
			r->id = img->file_name;
			r->data = image_data(img);
			r->concepts.n = 0;
			m++;
		}
		if (m > 0)
			store_inputs(acting, app_id, reqs, m, NULL);
		created += m;
		SPI_finish();
	}
	return created;
}

/* The region concepts of an imported box of a category, built once per category. */
typedef struct CategoryConcepts
{
	const char *key;
	Jsonb	   *concepts;
} CategoryConcepts;

static Jsonb *
category_concepts(HTAB *cache, MemoryContext cxt, const char *category, Numeric one)
{
	bool		found;
	CategoryConcepts *e = hash_search(cache, &category, HASH_ENTER, &found);

	if (!found)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);
		Concept    *c = palloc0(sizeof(Concept));
		ConceptList list = {.n = 1, .items = c};

		c->id = (char *) category;
		c->value = 1;
		c->num = one;
		e->concepts = concepts_to_jsonb(&list);
		MemoryContextSwitchTo(old);
	}
	return e->concepts;
}

/* Who wrote a stored annotation, for messages. */
static char *
author_text(const char *user_id, const char *model_version_id)
{
	if (user_id != NULL)
		return psprintf("author \"%s\"", user_id);
	if (model_version_id != NULL)
		return psprintf("model version \"%s\" as author", model_version_id);
	return pstrdup("no author");
}

static char *
box_text(const BBox *box)
{
	return psprintf("box %s", DatumGetCString(DirectFunctionCall1(bbox_out, BBoxPGetDatum(box))));
}

/*
 * The boxes, IMPORT_BATCH at a time: those whose annotation already exists
 * as this import would write it are counted, the others stored. An id
 * taken by anything else (another input, box, concept or author) is
 * 23505: the annotation is someone's own, not this document's.
 */
static void
import_store_boxes(const CocoDocument *doc, const Acting *acting, const AppAccess *access,
				   const char *app_id, int64 *created, int64 *existing)
{
	/* what lasts for the whole import lives here, outside the batches' connections */
	MemoryContext keep = CurrentMemoryContext;
	Numeric		one = int64_to_numeric(1);
	HTAB	   *expected = strptr_table("coco region concepts", sizeof(CategoryConcepts),
										CurrentMemoryContext);

	*created = 0;
	*existing = 0;
	for (int start = 0; start < doc->nboxes; start += IMPORT_BATCH)
	{
		int			m = Min(IMPORT_BATCH, doc->nboxes - start);
		char	  **ids;
		bool	   *found;
		AnnotationRequest *reqs;
		int			nreqs = 0;
		Datum		args[2];

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		ids = palloc(sizeof(char *) * m);
		found = palloc0(sizeof(bool) * m);
		for (int k = 0; k < m; k++)
		{
			const CocoDocBox *b = &doc->boxes[start + k];

			CHECK_FOR_INTERRUPTS();
			ids[k] = coco_annotation_id(doc->images[b->image].file_name, b->id);
		}
		args[0] = CStringGetTextDatum(app_id);
		args[1] = cstring_array(ids, m);
		/* a fresh snapshot, as for any statement of a volatile function */
		kept_execute(&import_existing_annotations, args, NULL, false, 0);
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			bool		no_box;
			bool		no_concepts;
			int64		pos = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
			char	   *input_id = SPI_getvalue(tup, desc, 2);
			char	   *user_id = SPI_getvalue(tup, desc, 3);
			char	   *model_version_id = SPI_getvalue(tup, desc, 4);
			Datum		box = SPI_getbinval(tup, desc, 5, &no_box);
			Datum		stored_concepts = SPI_getbinval(tup, desc, 6, &no_concepts);
			const CocoDocBox *b;
			const CocoImage *img;
			bool		same;

			CHECK_FOR_INTERRUPTS();
			if (pos < 1 || pos > m)
				elog(ERROR, "annotation look-up returned position " INT64_FORMAT " of %d", pos, m);
			b = &doc->boxes[start + pos - 1];
			img = &doc->images[b->image];
			same = input_id != NULL && strcmp(input_id, img->file_name) == 0 &&
				!no_box && bbox_equal_internal(DatumGetBBoxP(box), &b->box) &&
				!no_concepts &&
				compareJsonbContainers(&DatumGetJsonbP(stored_concepts)->root,
									   &category_concepts(expected, keep, b->category, one)->root) == 0 &&
				user_id != NULL && strcmp(user_id, acting->user_name) == 0;
			if (!same)
				ereport(ERROR,
						(errcode(ERRCODE_UNIQUE_VIOLATION),
						 errmsg("coco.annotations[%d]: annotation id \"%s\" is already used by a different annotation in app \"%s\"",
								start + (int) pos - 1, ids[pos - 1], app_id),
						 errdetail("The stored annotation has input \"%s\", %s and %s; the document's has input \"%s\", %s and concept \"%s\".",
								   input_id,
								   no_box ? "no region"
								   : psprintf("%s, region concepts %s", box_text(DatumGetBBoxP(box)),
											  no_concepts ? "[]" : SPI_getvalue(tup, desc, 6)),
								   author_text(user_id, model_version_id),
								   img->file_name, box_text(&b->box), b->category),
						 errhint("A box's annotation id is coco-<file_name>-<id>; delete the stored annotation or give the box another id.")));
			found[pos - 1] = true;
			(*existing)++;
		}

		reqs = palloc0(sizeof(AnnotationRequest) * m);
		for (int k = 0; k < m; k++)
		{
			const CocoDocBox *b = &doc->boxes[start + k];
			AnnotationRequest *r;
			Concept    *c;

			CHECK_FOR_INTERRUPTS();
			if (found[k])
				continue;
			r = &reqs[nreqs];
			r->path = psprintf("annotations[%d]", nreqs);
			r->id = ids[k];
			r->input_id = doc->images[b->image].file_name;
			r->has_data = true;
			r->concepts.n = 0;
			r->region.present = true;
			r->region.id = ids[k];
			r->region.has_shape = true;
			region_shape_box(&b->box, &r->region.shape);
			r->region.has_data = true;
			r->region.has_concepts = true;
			c = palloc0(sizeof(Concept));
			c->id = (char *) b->category;
			c->value = 1;
			c->num = one;
			r->region.concepts.n = 1;
			r->region.concepts.items = c;
			nreqs++;
		}
		if (nreqs > 0)
			store_annotations(acting, access, app_id, reqs, nreqs, NULL, NULL);
		*created += nreqs;
		SPI_finish();
	}
}

PG_FUNCTION_INFO_V1(annotations_import_coco);

/*
 * import_coco(app_id, coco) -> (inputs_created, inputs_existing,
 * annotations_created, annotations_existing): any member of the app adds a
 * document as themself. Everything is checked before anything is written,
 * and a failure anywhere undoes the whole call.
 */
Datum
annotations_import_coco(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	Jsonb	   *coco = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	MemoryContext callcxt = CurrentMemoryContext;
	TupleDesc	desc;
	Acting		acting;
	AppAccess	access;
	CocoDocument doc;
	bool	   *existing;
	Datum		app;
	static const char *const count_names[4] = {
		"inputs_created", "inputs_existing", "annotations_created", "annotations_existing"
	};
	int64		counts[4];
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	HeapTuple	tuple;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "import_coco must return a row");
	desc = BlessTupleDesc(desc);
	if (desc->natts != 4)
		elog(ERROR, "import_coco must return 4 columns, not %d", desc->natts);

	acting_enter(&acting, app_id, &access);
	coco_read_document(coco, &doc);
	app = CStringGetTextDatum(app_id);

	existing = palloc0(sizeof(bool) * Max(doc.nimages, 1));
	counts[1] = import_find_inputs(&doc, app, app_id, existing);
	counts[0] = import_store_inputs(&doc, &acting, app_id, existing);
	import_store_boxes(&doc, &acting, &access, app_id, &counts[2], &counts[3]);

	acting_leave(&acting);

	/* the counts go into the declared result columns by name */
	MemoryContextSwitchTo(callcxt);
	for (int i = 0; i < 4; i++)
	{
		const char *name = NameStr(TupleDescAttr(desc, i)->attname);
		bool		known = false;

		for (int c = 0; c < 4 && !known; c++)
			if (strcmp(name, count_names[c]) == 0)
			{
				values[i] = Int64GetDatum(counts[c]);
				known = true;
			}
		if (!known)
			elog(ERROR, "import_coco has no count named \"%s\"", name);
	}
	tuple = heap_form_tuple(desc, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}
