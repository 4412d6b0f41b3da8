/*
 * eval_shapes.h — the stored shapes of one input's regions, rasterized at
 * the image's size for evaluation by the IoU of shapes (COCO's 'segm'
 * iouType), each at most once per input (src/eval_shapes.c).
 */
#ifndef ANNOTATIONS_EVAL_SHAPES_H
#define ANNOTATIONS_EVAL_SHAPES_H

#include "postgres.h"

#include "bbox.h"
#include "rle.h"
#include "shapes.h"

/* A region's shape as read: a box, or its polygon or its mask. */
typedef struct EvalShape
{
	BBox		box;
	Polygon    *polygon;		/* NULL unless a polygon region */
	Mask	   *mask;			/* NULL unless a mask region */
	const char *ann_id;			/* for messages */
	const char *region_id;
} EvalShape;

/* One input's shapes and their masks, made when first asked for. */
typedef struct ShapeRaster
{
	int32		h;
	int32		w;
	int			n;
	const EvalShape *const *shapes;
	Rle		   *rles;
	int64	   *areas;
	bool	   *done;
} ShapeRaster;

/*
 * The image size in whole pixels a rasterization needs: false when the
 * size is missing or outside 1 to MASK_MAX_SIDE once cut to whole pixels.
 */
extern bool eval_raster_size(double width, double height, int32 *w, int32 *h);

/*
 * Keeps a region's shape (stored values, checked as every reader checks
 * them, copied into cxt).
 */
extern EvalShape *eval_shape_keep(Datum box, Datum polygon, bool polygon_null,
								  Datum mask, bool mask_null, const char *ann_id,
								  const char *region_id, const char *input_id,
								  MemoryContext cxt);

/*
 * Prepares the shapes of one input for an h x w image; a mask of another
 * size is refused (22023), naming the region and the input.
 */
extern void shape_raster_init(ShapeRaster *r, const EvalShape *const *shapes, int n,
							  int32 h, int32 w, const char *input_id);

/* Pixels of shape i. */
extern int64 shape_raster_area(ShapeRaster *r, int i);

/*
 * COCO's mask IoU of a prediction (dt) and a ground-truth shape (gt):
 * shared pixels over the union, or over the prediction's pixels when gt is
 * a crowd region; 0 when they share none.
 */
extern double shape_raster_iou(ShapeRaster *r, int dt, int gt, bool crowd);

#endif							/* ANNOTATIONS_EVAL_SHAPES_H */
