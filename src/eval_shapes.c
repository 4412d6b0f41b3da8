/*
 * eval_shapes.c — evaluation by the IoU of stored shapes, as COCO's 'segm'
 * evaluation measures it on run-length masks at the image's size: a box,
 * a polygon or a mask becomes a mask of height x width pixels (boxes and
 * polygons rasterized as pycocotools does, src/rle.c), and IoU is the
 * count of shared pixels over the count in the union, both taken on runs,
 * never on a decoded bitmap.  A region's mask is made once per input, the
 * first time a pair needs it, however many of its concepts take part.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "eval_shapes.h"
#include "mask.h"
#include "region_info.h"

bool
eval_raster_size(double width, double height, int32 *w, int32 *h)
{
	/* cut to whole pixels as export_coco's areas take them; NaN fails both tests */
	if (!(width >= 1 && width < MASK_MAX_SIDE + 1 && height >= 1 && height < MASK_MAX_SIDE + 1))
		return false;
	*w = (int32) width;
	*h = (int32) height;
	return true;
}

static void *
copy_varlena(Datum d, MemoryContext cxt)
{
	struct varlena *v = PG_DETOAST_DATUM(d);
	void	   *copy = MemoryContextAlloc(cxt, VARSIZE(v));

	memcpy(copy, v, VARSIZE(v));
	return copy;
}

EvalShape *
eval_shape_keep(Datum box, Datum polygon, bool polygon_null, Datum mask, bool mask_null,
				const char *ann_id, const char *region_id, const char *input_id,
				MemoryContext cxt)
{
	EvalShape  *s = MemoryContextAllocZero(cxt, sizeof(EvalShape));
	ShapeDatums d;
	RegionShape shape;

	d.values[SC_BBOX] = box;
	d.nulls[SC_BBOX] = false;
	d.values[SC_POLYGON] = polygon;
	d.nulls[SC_POLYGON] = polygon_null;
	d.values[SC_POINT] = (Datum) 0;
	d.nulls[SC_POINT] = true;
	d.values[SC_MASK] = mask;
	d.nulls[SC_MASK] = mask_null;
	region_shape_from_datums(&d, &shape, "region \"%s\" of annotation \"%s\" on input \"%s\"",
							 region_id, ann_id, input_id);
	s->box = shape.box;
	if (shape.kind == SHAPE_POLYGON)
		s->polygon = copy_varlena(polygon, cxt);
	else if (shape.kind == SHAPE_MASK)
		s->mask = copy_varlena(mask, cxt);
	s->ann_id = ann_id;
	s->region_id = region_id;
	return s;
}

void
shape_raster_init(ShapeRaster *r, const EvalShape *const *shapes, int n, int32 h, int32 w,
				  const char *input_id)
{
	r->h = h;
	r->w = w;
	r->n = n;
	r->shapes = shapes;
	r->rles = palloc(sizeof(Rle) * Max(n, 1));
	r->areas = palloc(sizeof(int64) * Max(n, 1));
	r->done = palloc0(sizeof(bool) * Max(n, 1));
	/*
	 * Pixels compare only on one grid; scaling a mask to another would
	 * invent pixels nobody drew, so a mask must have the image's size.
	 */
	for (int i = 0; i < n; i++)
	{
		const Mask *m = shapes[i]->mask;

		if (m != NULL && (m->height != h || m->width != w))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the mask of region \"%s\" of annotation \"%s\" on input \"%s\" is %dx%d, the image %dx%d",
							shapes[i]->region_id, shapes[i]->ann_id, input_id,
							m->height, m->width, h, w),
					 errdetail("Sizes are height x width; iou_type 'segm' compares masks at the image's size (data.image.image_info)."),
					 errhint("Use iou_type 'bbox', or store the mask at the image's size.")));
	}
}

/* Shape i as a mask of the image's size, made on first use. */
static const Rle *
raster(ShapeRaster *r, int i)
{
	const EvalShape *s = r->shapes[i];

	if (!r->done[i])
	{
		CHECK_FOR_INTERRUPTS();
		if (s->mask != NULL)
			mask_to_rle(s->mask, &r->rles[i]);
		else if (s->polygon != NULL)
			rle_of_polygon(s->polygon, r->h, r->w, &r->rles[i]);
		else
			rle_of_bbox(&s->box, r->h, r->w, &r->rles[i]);
		r->areas[i] = rle_area(&r->rles[i]);
		r->done[i] = true;
	}
	return &r->rles[i];
}

int64
shape_raster_area(ShapeRaster *r, int i)
{
	raster(r, i);
	return r->areas[i];
}

double
shape_raster_iou(ShapeRaster *r, int dt, int gt, bool crowd)
{
	int64		inter = rle_intersection(raster(r, dt), raster(r, gt));
	int64		uni;

	if (inter == 0)
		return 0.0;
	uni = crowd ? r->areas[dt] : r->areas[dt] + r->areas[gt] - inter;
	return (double) inter / (double) uni;
}
