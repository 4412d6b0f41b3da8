/*
 * shape_ops.c — geometry between shapes: iou for every pair of polygon,
 * bbox and mask, the precise overlap test &&, and contains(shape, keypoint).
 *
 * Polygons and boxes meet exactly (geom.c).  Anything with a mask is
 * measured in the mask's pixels: the polygon or box is rasterized at the
 * mask's size the way pycocotools does, so results agree with COCO's
 * evaluation of segmentations.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "bbox.h"
#include "geom.h"
#include "mask.h"
#include "rle.h"
#include "shapes.h"

PG_FUNCTION_INFO_V1(polygon_polygon_iou);
PG_FUNCTION_INFO_V1(polygon_bbox_iou);
PG_FUNCTION_INFO_V1(bbox_polygon_iou);
PG_FUNCTION_INFO_V1(polygon_polygon_overlaps);
PG_FUNCTION_INFO_V1(polygon_bbox_overlaps);
PG_FUNCTION_INFO_V1(bbox_polygon_overlaps);
PG_FUNCTION_INFO_V1(mask_mask_iou);
PG_FUNCTION_INFO_V1(mask_polygon_iou);
PG_FUNCTION_INFO_V1(polygon_mask_iou);
PG_FUNCTION_INFO_V1(mask_bbox_iou);
PG_FUNCTION_INFO_V1(bbox_mask_iou);
PG_FUNCTION_INFO_V1(bbox_contains_keypoint);
PG_FUNCTION_INFO_V1(polygon_contains_keypoint);
PG_FUNCTION_INFO_V1(mask_contains_keypoint);

/* ------------------------------------------------- polygons and boxes */

Datum
polygon_polygon_iou(PG_FUNCTION_ARGS)
{
	Ring		a;
	Ring		b;

	ring_from_polygon(PG_GETARG_POLYGON_P(0), &a);
	ring_from_polygon(PG_GETARG_POLYGON_P(1), &b);
	PG_RETURN_FLOAT8(ring_iou(&a, &b));
}

Datum
polygon_bbox_iou(PG_FUNCTION_ARGS)
{
	Ring		a;
	Ring		b;

	ring_from_polygon(PG_GETARG_POLYGON_P(0), &a);
	ring_from_bbox((BBox *) PG_GETARG_POINTER(1), &b);
	PG_RETURN_FLOAT8(ring_iou(&a, &b));
}

Datum
bbox_polygon_iou(PG_FUNCTION_ARGS)
{
	Ring		a;
	Ring		b;

	ring_from_bbox((BBox *) PG_GETARG_POINTER(0), &a);
	ring_from_polygon(PG_GETARG_POLYGON_P(1), &b);
	PG_RETURN_FLOAT8(ring_iou(&a, &b));
}

/* The box of a polygon's stored points, for the cheap first test of &&. */
static void
polygon_box(const Polygon *p, BBox *box)
{
	int			n = POLYGON_NPOINTS(p);
	int			i;

	box->top_row = box->bottom_row = p->points[0].row;
	box->left_col = box->right_col = p->points[0].col;
	for (i = 1; i < n; i++)
	{
		box->top_row = Min(box->top_row, p->points[i].row);
		box->bottom_row = Max(box->bottom_row, p->points[i].row);
		box->left_col = Min(box->left_col, p->points[i].col);
		box->right_col = Max(box->right_col, p->points[i].col);
	}
}

/* a && b: the closed polygons share a point; their boxes first, then exactly. */
static bool
polygons_overlap(const Polygon *a, const Polygon *b)
{
	BBox		ba;
	BBox		bb;
	Ring		ra;
	Ring		rb;

	polygon_box(a, &ba);
	polygon_box(b, &bb);
	if (!bbox_overlaps_internal(&ba, &bb))
		return false;
	ring_from_polygon(a, &ra);
	ring_from_polygon(b, &rb);
	return ring_overlaps(&ra, &rb);
}

/* a && box: the quick test on the stored values, and exactly when it cannot tell. */
static bool
polygon_box_overlap(const Polygon *a, const BBox *box)
{
	GeomAnswer	quick = polygon_box_overlap_quick(a, box);
	Ring		ra;
	Ring		rb;

	if (quick != GEOM_UNSURE)
		return quick == GEOM_YES;
	ring_from_polygon(a, &ra);
	ring_from_bbox(box, &rb);
	return ring_overlaps(&ra, &rb);
}

Datum
polygon_polygon_overlaps(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygons_overlap(PG_GETARG_POLYGON_P(0), PG_GETARG_POLYGON_P(1)));
}

Datum
polygon_bbox_overlaps(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygon_box_overlap(PG_GETARG_POLYGON_P(0), (BBox *) PG_GETARG_POINTER(1)));
}

Datum
bbox_polygon_overlaps(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(polygon_box_overlap(PG_GETARG_POLYGON_P(1), (BBox *) PG_GETARG_POINTER(0)));
}

/* -------------------------------------------------------------- masks */

/* COCO's mask iou: 0 when nothing is shared (also for two empty masks). */
static double
rle_iou(const Rle *a, const Rle *b)
{
	int64		inter = rle_intersection(a, b);
	int64		uni;

	if (inter == 0)
		return 0.0;
	uni = rle_area(a) + rle_area(b) - inter;
	return (double) inter / (double) uni;
}

/* The polygon rasterized at the mask's size, in pixel coordinates of its stored order. */
void
rle_of_polygon(const Polygon *p, int32 h, int32 w, Rle *out)
{
	int			n = POLYGON_NPOINTS(p);
	double	   *x = palloc(n * sizeof(double));
	double	   *y = palloc(n * sizeof(double));
	int			i;

	for (i = 0; i < n; i++)
	{
		x[i] = shape_float4_decimal(p->points[i].col) * w;
		y[i] = shape_float4_decimal(p->points[i].row) * h;
	}
	rle_from_polygon(x, y, n, h, w, out);
	pfree(x);
	pfree(y);
}

/* A box rasterized as pycocotools' frBbox does: as the polygon of its corners. */
void
rle_of_bbox(const BBox *b, int32 h, int32 w, Rle *out)
{
	double		xs = shape_float4_decimal(b->left_col) * w;
	double		ys = shape_float4_decimal(b->top_row) * h;
	double		xe = shape_float4_decimal(b->right_col) * w;
	double		ye = shape_float4_decimal(b->bottom_row) * h;
	double		x[4] = {xs, xs, xe, xe};
	double		y[4] = {ys, ye, ye, ys};

	rle_from_polygon(x, y, 4, h, w, out);
}

Datum
mask_mask_iou(PG_FUNCTION_ARGS)
{
	Rle			a;
	Rle			b;

	mask_to_rle(PG_GETARG_MASK_P(0), &a);
	mask_to_rle(PG_GETARG_MASK_P(1), &b);
	if (a.h != b.h || a.w != b.w)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot compare masks of different sizes (%dx%d and %dx%d)",
						a.h, a.w, b.h, b.w),
				 errdetail("Sizes are height x width.")));
	PG_RETURN_FLOAT8(rle_iou(&a, &b));
}

static double
mask_polygon_iou_internal(const Mask *m, const Polygon *p)
{
	Rle			a;
	Rle			b;

	mask_to_rle(m, &a);
	rle_of_polygon(p, a.h, a.w, &b);
	return rle_iou(&a, &b);
}

Datum
mask_polygon_iou(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(mask_polygon_iou_internal(PG_GETARG_MASK_P(0), PG_GETARG_POLYGON_P(1)));
}

Datum
polygon_mask_iou(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(mask_polygon_iou_internal(PG_GETARG_MASK_P(1), PG_GETARG_POLYGON_P(0)));
}

static double
mask_bbox_iou_internal(const Mask *m, const BBox *box)
{
	Rle			a;
	Rle			b;

	mask_to_rle(m, &a);
	rle_of_bbox(box, a.h, a.w, &b);
	return rle_iou(&a, &b);
}

Datum
mask_bbox_iou(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(mask_bbox_iou_internal(PG_GETARG_MASK_P(0), (BBox *) PG_GETARG_POINTER(1)));
}

Datum
bbox_mask_iou(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(mask_bbox_iou_internal(PG_GETARG_MASK_P(1), (BBox *) PG_GETARG_POINTER(0)));
}

/* ----------------------------------------------------------- contains */

/* A box contains a point on its edges too, as bbox's @> counts edges. */
Datum
bbox_contains_keypoint(PG_FUNCTION_ARGS)
{
	BBox	   *b = (BBox *) PG_GETARG_POINTER(0);
	Keypoint   *k = PG_GETARG_KEYPOINT_P(1);

	PG_RETURN_BOOL(b->top_row <= k->row && k->row <= b->bottom_row &&
				   b->left_col <= k->col && k->col <= b->right_col);
}

/* Even-odd rule, points on the outline included (geom.c). */
Datum
polygon_contains_keypoint(PG_FUNCTION_ARGS)
{
	Ring		r;
	Keypoint   *k = PG_GETARG_KEYPOINT_P(1);

	ring_from_polygon(PG_GETARG_POLYGON_P(0), &r);
	PG_RETURN_BOOL(ring_contains_point(&r, shape_float4_decimal(k->col),
									   shape_float4_decimal(k->row)));
}

/*
 * The pixel the point falls in is 1.  Pixel (x, y) covers [x, x+1) x
 * [y, y+1) in pixel units; a point on the right or bottom edge of the
 * image falls in the last pixel.
 */
Datum
mask_contains_keypoint(PG_FUNCTION_ARGS)
{
	Rle			r;
	Keypoint   *k = PG_GETARG_KEYPOINT_P(1);
	int64		x;
	int64		y;

	mask_to_rle(PG_GETARG_MASK_P(0), &r);
	x = (int64) floor(shape_float4_decimal(k->col) * r.w);
	y = (int64) floor(shape_float4_decimal(k->row) * r.h);
	x = Min(x, r.w - 1);
	y = Min(y, r.h - 1);
	PG_RETURN_BOOL(rle_pixel(&r, x * r.h + y));
}
