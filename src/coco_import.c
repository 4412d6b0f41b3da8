/*
 * coco_import.c — import_coco and the validating reader behind it.
 *
 * The whole document is read into C structs and validated before anything
 * is written (every error names the item, e.g. coco.annotations[3].bbox).
 * Its images and boxes then become input and annotation request structs,
 * stored a chunk at a time by the code behind post_inputs and
 * post_annotations (store.h), so the rules of any other post apply; no
 * request JSON is written to be parsed again.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
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
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/resowner.h"
#include "utils/tuplestore.h"

#include "acting.h"
#include "api.h"
#include "bbox.h"
#include "catalogue.h"
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

/*
 * A COCO id: a whole JSON number from 0 to 2^53 - 1, or a string of
 * digits that reads as one (some tools write "397133").
 */
static int64
coco_id_value(const JsonbValue *v, const char *path)
{
	if (v->type == jbvString)
	{
		int64		id = 0;
		int			len = v->val.string.len;
		bool		ok = len >= 1 && len <= 16;

		for (int i = 0; ok && i < len; i++)
		{
			char		c = v->val.string.val[i];

			ok = c >= '0' && c <= '9';
			id = id * 10 + (c - '0');
		}
		if (!ok || id > MAX_COCO_ID)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: expected a whole number from 0 to " INT64_FORMAT ", got \"%s\"",
							path, MAX_COCO_ID, jr_clip(v->val.string.val, len))));
		return id;
	}
	return jr_integer(v, path, 0, MAX_COCO_ID);
}

static int64
coco_id(const JsonbValue *obj, const char *path, const char *key)
{
	return coco_id_value(coco_key(obj, path, key), jr_key_path(path, key));
}

/* An optional key of an object checked by coco_object: false when absent or null. */
static bool
coco_opt_key(const JsonbValue *obj, const char *key, JsonbValue *out)
{
	return getKeyJsonValueFromContainer(obj->val.binary.data, key, strlen(key), out) != NULL &&
		out->type != jbvNull;
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
		detail = psprintf("%s (%s) must be at least 0; a start down to %s is clipped to 0.", c[0] < 0 ? "x" : "y",
						  double_text(c[0] < 0 ? c[0] : c[1]), double_text(-COCO_UNDERSHOOT));
	else if (c[0] + c[2] > img->width)
		detail = psprintf("x + w (%s) must be at most the image width (%d); up to %s px past it is clipped.",
						  double_text(c[0] + c[2]), img->width, double_text(COCO_OVERSHOOT));
	else if (c[1] + c[3] > img->height)
		detail = psprintf("y + h (%s) must be at most the image height (%d); up to %s px past it is clipped.",
						  double_text(c[1] + c[3]), img->height, double_text(COCO_OVERSHOOT));
	else
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: box [%s,%s,%s,%s] lies outside image " INT64_FORMAT " (%dx%d)",
					where, double_text(c[0]), double_text(c[1]), double_text(c[2]),
					double_text(c[3]), img->id, img->width, img->height),
			 errdetail_internal("%s", detail)));
}

/*
 * Moves one side of a box inside [0, size] when it is out by no more than
 * tolerated: a start a little below 0 (the extent shrinks with it), an end
 * a hair past the edge. Returns whether it moved.
 */
static bool
clip_side(double *start, double *extent, int32 size)
{
	bool		moved = false;

	if (*start < 0 && *start >= -COCO_UNDERSHOOT)
	{
		*extent += *start;
		*start = 0;
		moved = true;
	}
	if (*start + *extent > size && *start + *extent <= size + COCO_OVERSHOOT)
	{
		*extent = size - *start;
		moved = true;
	}
	return moved;
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
	if (img->width > 0)
	{
		push_key(st, "image_info");
		pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
		push_key(st, "width");
		push_numeric(st, WJB_VALUE, int64_to_numeric(img->width));
		push_key(st, "height");
		push_numeric(st, WJB_VALUE, int64_to_numeric(img->height));
		pushJsonbValue(st, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(st, WJB_END_OBJECT, NULL);
	/* the document's image id comes back on export */
	push_key(st, "metadata");
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	push_key(st, "coco");
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	push_key(st, "image_id");
	push_numeric(st, WJB_VALUE, int64_to_numeric(img->id));
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

const char *const coco_skip_names[COCO_SKIP_COUNT] = {
	NULL, "no_bbox", "empty_box", "unsized_image", "unknown_category", "degenerate_segmentation"
};

/* An image: id, file_name (the input id), width and height (both or neither). */
static void
read_image(const JsonbValue *v, int i, CocoImage *img)
{
	JsonbValue	w;
	JsonbValue	h;
	bool		has_w;
	bool		has_h;

	img->path = jr_index_path("coco.images", i);
	coco_object(v, img->path);
	img->id = coco_id(v, img->path, "id");
	img->file_name = jr_id(coco_key(v, img->path, "file_name"), jr_key_path(img->path, "file_name"));
	has_w = coco_opt_key(v, "width", &w);
	has_h = coco_opt_key(v, "height", &h);
	if (has_w != has_h)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s without %s", img->path, has_w ? "width" : "height", has_w ? "height" : "width"),
				 errdetail("An image gives both its width and height, or neither.")));
	if (has_w)
	{
		img->width = (int32) jr_integer(&w, jr_key_path(img->path, "width"), 1, PG_INT32_MAX);
		img->height = (int32) jr_integer(&h, jr_key_path(img->path, "height"), 1, PG_INT32_MAX);
	}
}

/* A category: id, name (the concept id), supercategory. */
static void
read_category(const JsonbValue *v, int i, CocoDocCategory *cat)
{
	JsonbValue	super;

	cat->path = jr_index_path("coco.categories", i);
	coco_object(v, cat->path);
	cat->id = coco_id(v, cat->path, "id");
	cat->name = jr_id(coco_key(v, cat->path, "name"), jr_key_path(cat->path, "name"));
	if (coco_opt_key(v, "supercategory", &super))
		cat->supercategory = jr_string(&super, jr_key_path(cat->path, "supercategory"));
}

/* iscrowd: 0 or 1 (or false / true). */
static bool
read_iscrowd(const JsonbValue *v, const char *path)
{
	JsonbValue	c;

	if (!coco_opt_key(v, "iscrowd", &c))
		return false;
	if (c.type == jbvBool)
		return c.val.boolean;
	return jr_integer(&c, jr_key_path(path, "iscrowd"), 0, 1) == 1;
}

/* area: a finite number of at least 0, kept as written (in cxt), or NULL. */
static Numeric
read_area(const JsonbValue *v, const char *path, MemoryContext cxt)
{
	JsonbValue	a;
	double		d;

	if (!coco_opt_key(v, "area", &a))
		return NULL;
	d = jr_number(&a, jr_key_path(path, "area"));
	if (!isfinite(d) || d < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s.area: expected a finite number of at least 0, got %s", path,
						jr_numeric_text(a.val.numeric))));
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);
		Numeric		copy = DatumGetNumeric(datumCopy(NumericGetDatum(a.val.numeric), false, -1));

		MemoryContextSwitchTo(old);
		return copy;
	}
}

/*
 * The box of an annotation, normalized: 4 finite numbers, w and h at least
 * 0, inside the image once tolerated overshoot is clipped. A box that is
 * empty, or on an image without a size, is kept out (out->skip).
 */
static void
read_box(const JsonbValue *v, const char *path, const CocoImage *img, CocoDocBox *out)
{
	char	   *bbox_path = jr_key_path(path, "bbox");
	JsonbValue	bbox_v;
	double		c[4];
	int			n;

	if (!coco_opt_key(v, "bbox", &bbox_v))
	{
		out->skip = COCO_SKIP_NO_BBOX;
		return;
	}
	n = jr_array_length(&bbox_v, bbox_path);
	if (n != 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected 4 numbers [x,y,w,h], got %d items", bbox_path, n)));
	for (int j = 0; j < 4; j++)
	{
		static const char *const names[4] = {"x", "y", "w", "h"};

		c[j] = jr_number(jr_array_element(&bbox_v, j), jr_index_path(bbox_path, j));
		if (!isfinite(c[j]) || (j >= 2 && c[j] < 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s (%s) must be a finite number%s", bbox_path, names[j], double_text(c[j]),
							j >= 2 ? " of at least 0" : "")));
	}
	if (img->width == 0)
	{
		out->skip = COCO_SKIP_UNSIZED_IMAGE;
		return;
	}
	out->clipped = clip_side(&c[0], &c[2], img->width);
	out->clipped |= clip_side(&c[1], &c[3], img->height);
	if (!(c[2] > 0) || !(c[3] > 0))
	{
		out->skip = COCO_SKIP_EMPTY_BOX;
		return;
	}
	check_inside(c, img, bbox_path);
	memcpy(out->pixels, c, sizeof(out->pixels));
	bbox_from_coco(c[0], c[1], c[2], c[3], img->width, img->height, bbox_path, &out->box);
}

/*
 * Reads and validates a whole COCO document (22023 naming the item for
 * anything wrong): images with their file names and sizes, categories,
 * annotations with their image, category and normalized box, in document
 * order. What the import tolerates (see CocoSkip) is marked, not refused;
 * a category_id the document does not list is left for the catalogue.
 */
void
coco_read_document(Jsonb *coco, CocoDocument *doc)
{
	JsonbValue	root;
	JsonbValue *images_v;
	JsonbValue	categories_v;
	JsonbValue *annotations_v;
	int			nimages;
	int			ncategories = 0;
	int			nannotations;
	CocoImage  *images;
	CocoDocCategory *categories;
	CocoDocBox *boxes;
	HTAB	   *image_ids;
	HTAB	   *file_names;
	HTAB	   *category_ids;
	HTAB	   *category_names;
	HTAB	   *annotation_ids;
	MemoryContext itemcxt;
	bool		has_categories;

	if (coco == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coco must not be NULL")));
	jr_root(coco, &root);
	coco_object(&root, "coco");
	images_v = coco_key(&root, "coco", "images");
	has_categories = coco_opt_key(&root, "categories", &categories_v);
	annotations_v = coco_key(&root, "coco", "annotations");
	nimages = jr_array_length(images_v, "coco.images");
	if (has_categories)
		ncategories = jr_array_length(&categories_v, "coco.categories");
	nannotations = jr_array_length(annotations_v, "coco.annotations");

	image_ids = int64_table("coco image ids", sizeof(Int64Entry), CurrentMemoryContext);
	file_names = strptr_table("coco file names", sizeof(NameEntry), CurrentMemoryContext);
	category_ids = int64_table("coco category ids", sizeof(Int64Entry), CurrentMemoryContext);
	category_names = strptr_table("coco category names", sizeof(NameEntry), CurrentMemoryContext);
	annotation_ids = int64_table("coco annotation ids", sizeof(Int64Entry), CurrentMemoryContext);

	images = coco_alloc(nimages, sizeof(CocoImage));
	for (int i = 0; i < nimages; i++)
	{
		CHECK_FOR_INTERRUPTS();
		read_image(jr_array_element(images_v, i), i, &images[i]);
		claim_id(image_ids, images[i].id, i, "coco.images", "image");
		claim_name(file_names, images[i].file_name, i, "coco.images", "file_name", "file name",
				   "An image's file_name becomes its input id, so it must be unique.");
	}

	categories = coco_alloc(ncategories, sizeof(CocoDocCategory));
	for (int i = 0; i < ncategories; i++)
	{
		CHECK_FOR_INTERRUPTS();
		read_category(jr_array_element(&categories_v, i), i, &categories[i]);
		claim_id(category_ids, categories[i].id, i, "coco.categories", "category");
		claim_name(category_names, categories[i].name, i, "coco.categories", "name", "category name",
				   "A category's name becomes its concept id, so it must be unique.");
	}

	/*
	 * annotations: id, image_id, category_id, bbox [x,y,w,h] in pixels,
	 * iscrowd, area. What reading one item takes (its paths, values) lives
	 * in a context reset for the next, so memory grows only by the box kept.
	 */
	boxes = coco_alloc(nannotations, sizeof(CocoDocBox));
	itemcxt = AllocSetContextCreate(CurrentMemoryContext, "coco item", ALLOCSET_DEFAULT_SIZES);
	for (int i = 0; i < nannotations; i++)
	{
		CocoDocBox *out = &boxes[i];
		MemoryContext old;
		JsonbValue *v;
		char	   *path;
		int64		image_id;
		Int64Entry *ie;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(itemcxt);
		v = jr_array_element(annotations_v, i);
		path = jr_index_path("coco.annotations", i);
		coco_object(v, path);
		out->id = coco_id(v, path, "id");
		image_id = coco_id(v, path, "image_id");
		out->category_id = coco_id(v, path, "category_id");
		claim_id(annotation_ids, out->id, i, "coco.annotations", "annotation");
		ie = hash_search(image_ids, &image_id, HASH_FIND, NULL);
		if (ie == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.image_id: image " INT64_FORMAT " is not in coco.images", path, image_id)));
		out->image = ie->index;
		ie = hash_search(category_ids, &out->category_id, HASH_FIND, NULL);
		out->category = ie ? categories[ie->index].name : NULL;
		out->iscrowd = read_iscrowd(v, path);
		out->area = read_area(v, path, old);
		read_box(v, path, &images[out->image], out);
		coco_read_segmentation(v, path, &images[out->image], out, old);
		MemoryContextSwitchTo(old);
		MemoryContextReset(itemcxt);
	}
	MemoryContextDelete(itemcxt);
	hash_destroy(annotation_ids);

	doc->nimages = nimages;
	doc->images = images;
	doc->ncategories = ncategories;
	doc->categories = categories;
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
		/* what 1.1 skips and reports, 1.0's import leaves out */
		if (b->skip != COCO_KEPT || b->category == NULL)
			continue;
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

/*
 * Images and boxes are stored this many at a time through the code of a
 * post: each chunk is a few statements whatever its size, and its request
 * structs and arrays, freed with its SPI connection, are what memory holds
 * beyond the document.
 */
#define IMPORT_BATCH 4096

/*
 * The inputs that already exist among the document's file names, in
 * document order, and whether each has the image's size (compared as
 * jsonb, so 640.0 is 640 and "640" is not).
 */
static KeptPlan import_existing_inputs = {
	.sql = "SELECT u.n,"
	"       (i.data #> '{image,image_info,width}') IS NOT DISTINCT FROM pg_catalog.to_jsonb(NULLIF(u.width, 0))"
	"   AND (i.data #> '{image,image_info,height}') IS NOT DISTINCT FROM pg_catalog.to_jsonb(NULLIF(u.height, 0)),"
	"       COALESCE((i.data #> '{image,image_info}')::text, 'missing')"
	"  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))"
	"       WITH ORDINALITY u(id, width, height, n)"
	"  JOIN annotations.inputs i ON i.app_id = $1 AND i.id = u.id"
	" ORDER BY u.n",
	.nargs = 4,
	.argtypes = {TEXTOID, TEXTARRAYOID, INT4ARRAYOID, INT4ARRAYOID}
};

/*
 * The annotations that already exist among a chunk's ids, in document
 * order. Each table is read once per chunk, by one scan for all the ids:
 * with statistics that still describe a small app (right after a large
 * import) the plan may read the app's rows by app id and filter them, once
 * a chunk, where a probe per id would read them once an id.
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
					 errmsg("%s.file_name: input \"%s\" already exists in app \"%s\" and is not %s",
							img->path, img->file_name, app_id,
							img->width > 0 ? psprintf("a %dx%d image", img->width, img->height)
							: "an image without a size"),
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

/* What an import did, for its result row. */
typedef struct ImportReport
{
	int64		inputs_created;
	int64		inputs_existing;
	int64		annotations_created;
	int64		annotations_existing;
	int64		skipped[COCO_SKIP_COUNT];
	int64		clipped;
	int64		dropped_rings;
	int64		concepts_created;
	Jsonb	   *category_clashes;
} ImportReport;

static void
push_jsonb(JsonbParseState **st, Jsonb *j)
{
	JsonbValue	v;

	v.type = jbvBinary;
	v.val.binary.data = &j->root;
	v.val.binary.len = VARSIZE(j) - VARHDRSZ;
	pushJsonbValue(st, WJB_VALUE, &v);
}

/*
 * annotation_info of an imported box: {"coco": {"id", "area"?,
 * "segmentation"?, "bbox"?}}, what export gives back.
 */
static Jsonb *
box_info(const CocoDocBox *b)
{
	JsonbParseState *st = NULL;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "coco");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "id");
	push_numeric(&st, WJB_VALUE, int64_to_numeric(b->id));
	if (b->area != NULL)
	{
		push_key(&st, "area");
		push_numeric(&st, WJB_VALUE, b->area);
	}
	/* every ring, and the bbox (clipped), come back on export */
	if (b->segmentation != NULL)
	{
		push_key(&st, "segmentation");
		push_jsonb(&st, b->segmentation);
	}
	if (b->keep_pixels)
	{
		push_key(&st, "bbox");
		pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
		for (int i = 0; i < 4; i++)
			push_numeric(&st, WJB_ELEM,
						 DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(b->pixels[i]))));
		pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	}
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

/* The annotation request of a box (ids[k] its annotation and region id). */
static void
box_request(const CocoDocument *doc, const CocoDocBox *b, char *id, Numeric one, AnnotationRequest *r)
{
	Concept    *c = palloc0(sizeof(Concept));

	r->id = id;
	r->input_id = doc->images[b->image].file_name;
	r->annotation_info = box_info(b);
	r->has_data = true;
	r->concepts.n = 0;
	r->region.present = true;
	r->region.id = id;
	r->region.has_shape = true;
	if (b->shape.kind == SHAPE_BOX)
		region_shape_box(&b->box, &r->region.shape);
	else
		r->region.shape = b->shape;
	r->region.has_data = true;
	r->region.has_concepts = true;
	r->region.iscrowd = b->iscrowd;
	c->id = (char *) b->category;
	c->value = 1;
	c->num = one;
	r->region.concepts.n = 1;
	r->region.concepts.items = c;
}

/*
 * The boxes, IMPORT_BATCH at a time: those whose annotation already exists
 * as this import would write it are counted, the others stored (crowd
 * boxes marked so). An id taken by anything else (another input, box,
 * concept or author) is 23505: the annotation is someone's own, not this
 * document's. Boxes marked to skip are counted by reason.
 */
static void
import_store_boxes(const CocoDocument *doc, const Acting *acting, const AppAccess *access,
				   const char *app_id, ImportReport *report)
{
	/* what lasts for the whole import lives here, outside the batches' connections */
	MemoryContext keep = CurrentMemoryContext;
	Numeric		one = int64_to_numeric(1);
	HTAB	   *expected = strptr_table("coco region concepts", sizeof(CategoryConcepts),
										CurrentMemoryContext);
	int			next = 0;

	const CocoDocBox **batch = palloc(sizeof(CocoDocBox *) * IMPORT_BATCH);
	int		   *index = palloc(sizeof(int) * IMPORT_BATCH);

	while (next < doc->nboxes)
	{
		char	  **ids;
		bool	   *found;
		AnnotationRequest *reqs;
		int			nreqs = 0;
		int			m = 0;
		Datum		args[2];

		/* the next IMPORT_BATCH boxes that are kept */
		for (; next < doc->nboxes && m < IMPORT_BATCH; next++)
		{
			const CocoDocBox *b = &doc->boxes[next];

			CHECK_FOR_INTERRUPTS();
			report->skipped[b->skip]++;
			if (b->skip != COCO_KEPT)
				continue;
			report->clipped += b->clipped;
			report->dropped_rings += b->dropped_rings;
			index[m] = next;
			batch[m++] = b;
		}
		if (m == 0)
			break;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		ids = palloc(sizeof(char *) * m);
		found = palloc0(sizeof(bool) * m);
		for (int k = 0; k < m; k++)
			ids[k] = coco_annotation_id(doc->images[batch[k]->image].file_name, batch[k]->id);
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
			b = batch[pos - 1];
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
								index[pos - 1], ids[pos - 1], app_id),
						 errdetail("The stored annotation has input \"%s\", %s and %s; the document's has input \"%s\", %s and concept \"%s\".",
								   input_id,
								   no_box ? "no region"
								   : psprintf("%s, region concepts %s", box_text(DatumGetBBoxP(box)),
											  no_concepts ? "[]" : SPI_getvalue(tup, desc, 6)),
								   author_text(user_id, model_version_id),
								   img->file_name, box_text(&b->box), b->category),
						 errhint("A box's annotation id is coco-<file_name>-<id>; delete the stored annotation or give the box another id.")));
			found[pos - 1] = true;
			report->annotations_existing++;
		}

		reqs = palloc0(sizeof(AnnotationRequest) * m);
		for (int k = 0; k < m; k++)
		{
			CHECK_FOR_INTERRUPTS();
			if (found[k])
				continue;
			reqs[nreqs].path = psprintf("coco.annotations[%d]", index[k]);
			box_request(doc, batch[k], ids[k], one, &reqs[nreqs]);
			nreqs++;
		}
		if (nreqs > 0)
			store_annotations(acting, access, app_id, reqs, nreqs, NULL, NULL);
		report->annotations_created += nreqs;
		SPI_finish();
	}
	/* what is left after the last kept box */
	for (; next < doc->nboxes; next++)
		report->skipped[doc->boxes[next].skip]++;
}

/* Concepts by coco_id, for boxes whose category_id the document does not list. */
static KeptPlan concepts_by_coco_id = {
	.sql = "SELECT c.coco_id, c.id FROM annotations.concepts c"
	" WHERE c.app_id = $1 AND c.coco_id = ANY ($2)",
	.nargs = 2,
	.argtypes = {TEXTOID, INT4ARRAYOID}
};

typedef struct CocoIdName
{
	int64		key;
	char	   *name;
} CocoIdName;

/*
 * The categories of the document into the catalogue (clashes listed in the
 * report), then the boxes whose category_id the document does not list
 * matched to the catalogue's concepts by coco_id; a box neither knows is
 * skipped.
 */
static void
import_categories(CocoDocument *doc, const AppAccess *access, const char *app_id, ImportReport *report)
{
	CatalogueCategory *cats = palloc0(sizeof(CatalogueCategory) * Max(doc->ncategories, 1));
	HTAB	   *unknown = int64_table("coco category ids not listed", sizeof(CocoIdName), CurrentMemoryContext);
	JsonbParseState *st = NULL;
	int32	   *wanted;
	int			nwanted = 0;
	Datum		args[2];

	for (int i = 0; i < doc->ncategories; i++)
	{
		cats[i].path = doc->categories[i].path;
		cats[i].id = doc->categories[i].name;
		cats[i].supercategory = doc->categories[i].supercategory;
		cats[i].coco_id = doc->categories[i].id;
	}
	report->concepts_created = catalogue_import(app_id, access, cats, doc->ncategories);
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	for (int i = 0; i < doc->ncategories; i++)
	{
		if (!cats[i].clash)
			continue;
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_key(&st, "category_id");
		push_numeric(&st, WJB_VALUE, int64_to_numeric(cats[i].coco_id));
		push_key(&st, "name");
		push_string(&st, WJB_VALUE, cats[i].id, strlen(cats[i].id));
		push_key(&st, "coco_id");
		push_numeric(&st, WJB_VALUE, int64_to_numeric(cats[i].assigned));
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	report->category_clashes = JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_ARRAY, NULL));

	wanted = palloc(sizeof(int32) * Max(doc->nboxes, 1));
	for (int i = 0; i < doc->nboxes; i++)
	{
		CocoDocBox *b = &doc->boxes[i];
		CocoIdName *e;
		bool		found;

		CHECK_FOR_INTERRUPTS();
		if (b->category != NULL || b->skip != COCO_KEPT)
			continue;
		e = hash_search(unknown, &b->category_id, HASH_ENTER, &found);
		if (found)
			continue;
		e->name = NULL;
		if (b->category_id >= 1 && b->category_id <= PG_INT32_MAX)
			wanted[nwanted++] = (int32) b->category_id;
	}
	if (nwanted > 0)
	{
		args[0] = CStringGetTextDatum(app_id);
		args[1] = int4s_array(wanted, nwanted);
		kept_execute(&concepts_by_coco_id, args, NULL, false, 0);
		for (uint64 k = 0; k < SPI_processed; k++)
		{
			bool		isnull;
			int64		coco_id = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1, &isnull));
			CocoIdName *e = hash_search(unknown, &coco_id, HASH_FIND, NULL);

			if (e != NULL)
				e->name = SPI_getvalue(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 2);
		}
	}
	for (int i = 0; i < doc->nboxes; i++)
	{
		CocoDocBox *b = &doc->boxes[i];
		CocoIdName *e;

		if (b->category != NULL || b->skip != COCO_KEPT)
			continue;
		e = hash_search(unknown, &b->category_id, HASH_FIND, NULL);
		if (e != NULL && e->name != NULL)
			b->category = e->name;
		else
			b->skip = COCO_SKIP_UNKNOWN_CATEGORY;
	}
}

/* The skipped boxes by reason, as a jsonb object (reasons with none left out), and the rings dropped. */
static Jsonb *
skipped_reasons(const ImportReport *report)
{
	JsonbParseState *st = NULL;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	for (int r = COCO_KEPT + 1; r < COCO_SKIP_COUNT; r++)
		if (report->skipped[r] > 0)
		{
			push_key(&st, coco_skip_names[r]);
			push_numeric(&st, WJB_VALUE, int64_to_numeric(report->skipped[r]));
		}
	/* not annotations left out: rings left out of annotations imported */
	if (report->dropped_rings > 0)
	{
		push_key(&st, "degenerate_rings");
		push_numeric(&st, WJB_VALUE, int64_to_numeric(report->dropped_rings));
	}
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

/* The result row, each value written to the column of its name. */
static Datum
import_result(FunctionCallInfo fcinfo, const CocoDocument *doc, const ImportReport *report)
{
	TupleDesc	desc;
	int64		skipped = 0;
	Datum	   *values;
	bool	   *nulls;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "import_coco must return a row");
	desc = BlessTupleDesc(desc);
	for (int r = COCO_KEPT + 1; r < COCO_SKIP_COUNT; r++)
		skipped += report->skipped[r];
	values = palloc(sizeof(Datum) * Max(desc->natts, 1));
	nulls = palloc0(sizeof(bool) * Max(desc->natts, 1));
	for (int i = 0; i < desc->natts; i++)
	{
		const char *name = NameStr(TupleDescAttr(desc, i)->attname);
		const struct
		{
			const char *name;
			Datum		value;
		}			columns[] = {
			{"inputs_created", Int64GetDatum(report->inputs_created)},
			{"inputs_existing", Int64GetDatum(report->inputs_existing)},
			{"annotations_created", Int64GetDatum(report->annotations_created)},
			{"annotations_existing", Int64GetDatum(report->annotations_existing)},
			{"images", Int64GetDatum(doc->nimages)},
			{"annotations", Int64GetDatum(report->annotations_created + report->annotations_existing)},
			{"skipped", Int64GetDatum(skipped)},
			{"skipped_reasons", JsonbPGetDatum(skipped_reasons(report))},
			{"clipped", Int64GetDatum(report->clipped)},
			{"concepts_created", Int64GetDatum(report->concepts_created)},
			{"category_clashes", JsonbPGetDatum(report->category_clashes)}
		};
		bool		known = false;

		for (int c = 0; c < (int) lengthof(columns) && !known; c++)
			if (strcmp(name, columns[c].name) == 0)
			{
				values[i] = columns[c].value;
				known = true;
			}
		if (!known)
			elog(ERROR, "import_coco has no value named \"%s\"", name);
	}
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* What the import tolerated, said once each. */
static void
import_notices(const ImportReport *report)
{
	if (report->clipped > 0)
		ereport(NOTICE,
				(errmsg_plural("import_coco clipped %lu annotation to its image",
							   "import_coco clipped %lu annotations to their images",
							   (unsigned long) report->clipped, (unsigned long) report->clipped),
				 errdetail("A box may start up to %s px left of or above its image, or end up to %s px past it; such a box is moved inside. A polygon's point up to %s px outside is moved onto the edge.",
						   double_text(COCO_UNDERSHOOT), double_text(COCO_OVERSHOOT), double_text(COCO_UNDERSHOOT))));
	if (report->dropped_rings > 0)
		ereport(NOTICE,
				(errmsg_plural("import_coco left out %lu polygon ring that encloses nothing",
							   "import_coco left out %lu polygon rings that enclose nothing",
							   (unsigned long) report->dropped_rings, (unsigned long) report->dropped_rings),
				 errdetail("A ring of fewer than 3 distinct points or of no area is dropped from its annotation's polygon list; skipped_reasons counts them as degenerate_rings.")));
	if (JB_ROOT_COUNT(report->category_clashes) > 0)
		ereport(NOTICE,
				(errmsg("import_coco numbered %u categories differently from the document",
						JB_ROOT_COUNT(report->category_clashes)),
				 errdetail("A category's id becomes its concept's coco_id only when the concept is new and the id is free; category_clashes lists the others.")));
}

PG_FUNCTION_INFO_V1(annotations_import_coco);

/*
 * import_coco(app_id, coco, dry_run) -> what was done: any member of the
 * app adds a document as themself. Everything is checked before anything
 * is written, and a failure anywhere undoes the whole call; a dry run does
 * everything, reports it, and undoes it.
 */
Datum
annotations_import_coco(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	Jsonb	   *coco = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	bool		dry_run = PG_NARGS() > 2 && !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	MemoryContext callcxt = CurrentMemoryContext;
	MemoryContext workcxt;
	ResourceOwner owner = CurrentResourceOwner;
	Acting		acting;
	AppAccess	access;
	CocoDocument doc;
	ImportReport report;
	bool	   *existing;
	Datum		app;
	Datum		result;

	memset(&report, 0, sizeof(report));
	acting_enter(&acting, app_id, &access);
	workcxt = CurrentMemoryContext;
	coco_read_document(coco, &doc);
	app = CStringGetTextDatum(app_id);
	/* a dry run writes in a subtransaction it rolls back */
	if (dry_run)
	{
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(workcxt);
	}

	import_categories(&doc, &access, app_id, &report);
	existing = palloc0(sizeof(bool) * Max(doc.nimages, 1));
	report.inputs_existing = import_find_inputs(&doc, app, app_id, existing);
	report.inputs_created = import_store_inputs(&doc, &acting, app_id, existing);
	import_store_boxes(&doc, &acting, &access, app_id, &report);

	if (dry_run)
	{
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(workcxt);
		CurrentResourceOwner = owner;
	}
	import_notices(&report);
	/* the row is built before SPI_finish frees what the report points to */
	MemoryContextSwitchTo(callcxt);
	result = import_result(fcinfo, &doc, &report);
	acting_leave(&acting);
	PG_RETURN_DATUM(result);
}
