/*
 * coco_import.c — the validating reader behind import_coco.
 *
 * The whole document is walked and validated before anything is written
 * (every error names the item, e.g. coco.annotations[3].bbox), and its
 * images and boxes come out as Clarifai request items for posting.
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
