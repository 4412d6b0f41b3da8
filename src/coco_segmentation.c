/*
 * coco_segmentation.c — COCO segmentation both ways: polygons in pixels
 * ([[x1,y1,x2,y2,...], ...]) and RLE masks ({"size": [h, w], "counts"}).
 *
 * Import turns a segmentation into the region's shape (the largest ring of
 * a polygon list, or the mask) and keeps the segmentation as written next to
 * the COCO id, so export gives every ring back; a region drawn through the
 * API is written from its stored shape.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "json_read.h"
#include "mask.h"
#include "rle.h"
#include "shapes.h"

#include "coco.h"
#include "jsonb_writer.h"

extern PGDLLEXPORT Datum polygon_area(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum polygon_bbox(PG_FUNCTION_ARGS);

static Jsonb *
jsonb_copy_in(const JsonbValue *v, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Jsonb	   *j = JsonbValueToJsonb((JsonbValue *) v);

	MemoryContextSwitchTo(old);
	return j;
}

static void *
varlena_copy_in(const void *p, MemoryContext cxt)
{
	void	   *copy = MemoryContextAlloc(cxt, VARSIZE(p));

	memcpy(copy, p, VARSIZE(p));
	return copy;
}

/*
 * One pixel coordinate of a ring point on an image side of size pixels: a
 * point up to COCO_UNDERSHOOT px outside the image (outlines drawn on the
 * edge, float noise, the overshoot of real datasets) is moved onto the
 * edge, and *clipped set; one farther out is left for polygon_make to
 * refuse.
 */
static double
ring_coordinate(double c, int32 size, bool *clipped)
{
	if (c < 0 && c >= -COCO_UNDERSHOOT)
		c = 0, *clipped = true;
	else if (c > size && c <= size + COCO_UNDERSHOOT)
		c = size, *clipped = true;
	return c;
}

/*
 * Whether a ring in pixels has no area: its points on one line up to the
 * rounding of the decimals they were written as (the sum of the shoelace
 * terms, taken from the first point, is tiny beside their magnitudes).
 * Points collinear in pixels need not stay so once divided by the image's
 * size and rounded to float4, so this is decided here, on the numbers as
 * written.
 */
static bool
pixel_ring_flat(const double *x, const double *y, int n)
{
	double		sum = 0.0;
	double		mag = 0.0;

	for (int i = 1; i + 1 < n; i++)
	{
		double		a = (x[i] - x[0]) * (y[i + 1] - y[0]);
		double		b = (x[i + 1] - x[0]) * (y[i] - y[0]);

		sum += a - b;
		mag += fabs(a) + fabs(b);
	}
	return fabs(sum) <= ldexp(mag, -40);
}

/*
 * One ring [x1,y1,x2,y2,...] in pixels as a polygon of image fractions, or
 * NULL when it encloses nothing (fewer than 3 points, fewer than 3 distinct
 * ones, or no area), which the caller drops.
 */
static Polygon *
read_ring(const JsonbValue *ring, const char *path, const CocoImage *img, bool *clipped)
{
	int			n = jr_array_length(ring, path);
	PolyPoint  *pts;
	double	   *xs;
	double	   *ys;

	if (n % 2 != 0 || n > 2 * POLYGON_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected an even number of at most %d coordinates [x1,y1,x2,y2,...], got %d items",
						path, 2 * POLYGON_MAX_POINTS, n)));
	pts = palloc(sizeof(PolyPoint) * Max(n / 2, 1));
	xs = palloc(sizeof(double) * Max(n / 2, 1));
	ys = palloc(sizeof(double) * Max(n / 2, 1));
	for (int j = 0; j < n; j++)
	{
		char	   *cpath = jr_index_path(path, j);
		double		c = jr_number(jr_array_element(ring, j), cpath);

		CHECK_FOR_INTERRUPTS();
		if (!isfinite(c))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: expected a finite number, got %s", cpath, double_text(c))));
		if (j % 2 == 0)
		{
			xs[j / 2] = ring_coordinate(c, img->width, clipped);
			pts[j / 2].col = (float4) (xs[j / 2] / img->width);
		}
		else
		{
			ys[j / 2] = ring_coordinate(c, img->height, clipped);
			pts[j / 2].row = (float4) (ys[j / 2] / img->height);
		}
	}
	if (n / 2 < POLYGON_MIN_POINTS)
		return NULL;
	/* a point still outside the image is wrong data, refused even in a ring that encloses nothing */
	for (int k = 0; k < n / 2; k++)
		if (!(pts[k].row >= 0 && pts[k].row <= 1 && pts[k].col >= 0 && pts[k].col <= 1))
			return polygon_make(pts, n / 2, path, NULL);
	if (pixel_ring_flat(xs, ys, n / 2) || polygon_points_degenerate(pts, n / 2))
		return NULL;
	return polygon_make(pts, n / 2, path, NULL);
}

/*
 * The largest ring of a polygon list (the first of equal ones), or NULL
 * when it has none that encloses anything; *dropped counts the rings that
 * do not.
 */
static Polygon *
read_rings(const JsonbValue *seg, const char *path, const CocoImage *img, bool *clipped,
		   int *dropped)
{
	int			n = jr_array_length(seg, path);
	Polygon    *best = NULL;
	double		best_area = -1;

	for (int i = 0; i < n; i++)
	{
		Polygon    *p = read_ring(jr_array_element(seg, i), jr_index_path(path, i), img, clipped);
		double		a;

		if (p == NULL)
		{
			(*dropped)++;
			continue;
		}
		a = DatumGetFloat8(DirectFunctionCall1(polygon_area, PointerGetDatum(p)));
		if (a > best_area)
		{
			best = p;
			best_area = a;
		}
	}
	return best;
}

/* An RLE object (compressed or uncompressed counts) of the image's size. */
static Mask *
read_rle(const JsonbValue *seg, const char *path, const CocoImage *img, int64 image_id)
{
	JsonbParseState *st = NULL;
	JsonbValue	wrapped;
	Jsonb	   *j;
	Mask	   *mask;

	/* the mask reader takes the region_info form, {"rle": {...}} */
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "rle");
	pushJsonbValue(&st, WJB_VALUE, (JsonbValue *) seg);
	j = JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
	wrapped.type = jbvBinary;
	wrapped.val.binary.data = &j->root;
	wrapped.val.binary.len = VARSIZE(j) - VARHDRSZ;
	mask = mask_from_jsonb_value(&wrapped, path);
	if (mask->height != img->height || mask->width != img->width)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: mask of %dx%d pixels on image " INT64_FORMAT " (%dx%d)",
						path, mask->width, mask->height, image_id, img->width, img->height),
				 errdetail("A COCO RLE's size is [height, width] of its image.")));
	return mask;
}

/*
 * The segmentation of annotation v (at path) on image img, if it has one:
 * out->shape becomes its polygon or mask, with the shape's enclosing box as
 * the region's box (also for an annotation without a bbox or with an empty
 * one); the segmentation as written, and a non-empty bbox, are kept (in
 * keep) for export. An empty list
 * is no segmentation; rings that enclose nothing are dropped and counted,
 * and an annotation left with none is skipped.
 */
void
coco_read_segmentation(const JsonbValue *v, const char *path, const CocoImage *img,
					   CocoDocBox *out, MemoryContext keep)
{
	char	   *spath = jr_key_path(path, "segmentation");
	JsonbValue	seg;
	Polygon    *poly = NULL;
	Mask	   *mask = NULL;
	bool		clipped = false;
	int			dropped = 0;

	if (getKeyJsonValueFromContainer(v->val.binary.data, "segmentation", 12, &seg) == NULL ||
		seg.type == jbvNull)
		return;
	if (img->width == 0)
	{
		if (out->skip == COCO_SKIP_NO_BBOX)
			out->skip = COCO_SKIP_UNSIZED_IMAGE;
		return;
	}
	if (seg.type == jbvBinary && JsonContainerIsArray(seg.val.binary.data))
		poly = read_rings(&seg, spath, img, &clipped, &dropped);
	else if (seg.type == jbvBinary && JsonContainerIsObject(seg.val.binary.data))
		mask = read_rle(&seg, spath, img, img->id);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected a list of polygons or an RLE object, got %s",
						spath, shape_json_type_name(&seg))));
	out->dropped_rings = dropped;
	if (poly == NULL && mask == NULL)
	{
		/* rings that all enclose nothing: no shape to import, and no box to trust */
		if (dropped > 0)
			out->skip = COCO_SKIP_DEGENERATE_SEGMENTATION;
		return;
	}
	out->clipped |= clipped;

	out->shape.kind = poly ? SHAPE_POLYGON : SHAPE_MASK;
	out->shape.polygon = poly ? varlena_copy_in(poly, keep) : NULL;
	out->shape.mask = mask ? varlena_copy_in(mask, keep) : NULL;
	if (poly)
		out->shape.box = *(BBox *) DatumGetPointer(DirectFunctionCall1(polygon_bbox, PointerGetDatum(poly)));
	else if (!mask_enclosing_box(mask, &out->shape.box))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the mask has no pixel set", spath)));
	out->segmentation = jsonb_copy_in(&seg, keep);
	out->keep_pixels = out->skip == COCO_KEPT;
	out->box = out->shape.box;
	out->skip = COCO_KEPT;
}

static void
push_double(JsonbParseState **st, JsonbIteratorToken tok, double d)
{
	push_numeric(st, tok, DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(d))));
}

/* The segmentation an import kept, when it is a list or an object. */
static bool
kept_segmentation(JsonbContainer *kept, JsonbValue *out)
{
	return kept != NULL &&
		getKeyJsonValueFromContainer(kept, "segmentation", 12, out) != NULL &&
		out->type == jbvBinary &&
		(JsonContainerIsArray(out->val.binary.data) || JsonContainerIsObject(out->val.binary.data));
}

/*
 * "segmentation" of a polygon or mask region: what an import kept, else the
 * polygon as one ring in pixels, or the mask as COCO RLE.
 */
void
coco_push_segmentation(JsonbParseState **st, JsonbContainer *kept, const Polygon *poly,
					   const Mask *mask, int32 width, int32 height)
{
	JsonbValue	seg;

	push_key(st, "segmentation");
	if (kept_segmentation(kept, &seg))
	{
		pushJsonbValue(st, WJB_VALUE, &seg);
		return;
	}
	if (poly != NULL)
	{
		int			n = POLYGON_NPOINTS(poly);

		pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
		pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
		for (int i = 0; i < n; i++)
		{
			push_double(st, WJB_ELEM, shape_float4_decimal(poly->points[i].col) * width);
			push_double(st, WJB_ELEM, shape_float4_decimal(poly->points[i].row) * height);
		}
		pushJsonbValue(st, WJB_END_ARRAY, NULL);
		pushJsonbValue(st, WJB_END_ARRAY, NULL);
	}
	else
	{
		Rle			r;
		int			len;
		char	   *counts;

		mask_to_rle(mask, &r);
		counts = rle_encode_string(&r, &len);
		pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
		push_key(st, "size");
		pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
		push_numeric(st, WJB_ELEM, int64_to_numeric(mask->height));
		push_numeric(st, WJB_ELEM, int64_to_numeric(mask->width));
		pushJsonbValue(st, WJB_END_ARRAY, NULL);
		push_key(st, "counts");
		push_string(st, WJB_VALUE, counts, len);
		pushJsonbValue(st, WJB_END_OBJECT, NULL);
	}
}

/* annotation_info.coco.area as import_coco kept it: a finite number of at least 0, else NULL. */
Numeric
coco_kept_area(JsonbContainer *coco)
{
	JsonbValue	v;

	if (coco == NULL || !JsonContainerIsObject(coco) ||
		getKeyJsonValueFromContainer(coco, "area", 4, &v) == NULL ||
		v.type != jbvNumeric || numeric_is_nan(v.val.numeric) || numeric_is_inf(v.val.numeric) ||
		DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(v.val.numeric),
										 NumericGetDatum(int64_to_numeric(0)))))
		return NULL;
	return v.val.numeric;
}

/* The true area in pixels of a polygon or mask on a width x height image. */
Numeric
coco_shape_area(const Polygon *poly, const Mask *mask, int32 width, int32 height)
{
	double		fraction;

	if (poly != NULL)
		fraction = DatumGetFloat8(DirectFunctionCall1(polygon_area, PointerGetDatum(poly)));
	else
	{
		Rle			r;

		mask_to_rle(mask, &r);
		/* a mask of the image's size counts pixels exactly */
		if (mask->height == height && mask->width == width)
			return int64_to_numeric(rle_area(&r));
		fraction = (double) rle_area(&r) / ((double) mask->height * mask->width);
	}
	return DatumGetNumeric(DirectFunctionCall1(float8_numeric,
											   Float8GetDatum(fraction * width * height)));
}
