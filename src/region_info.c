/*
 * region_info.c — a region's geometry: Clarifai's region_info parsed into a
 * RegionShape, the shape's enclosing box, and the shape to and from the
 * regions table's columns.
 *
 * The shape types do their own validation (src/polygon.c, keypoint.c,
 * mask.c); this file adds what a region needs on top: exactly one shape,
 * and a shape that encloses some area, since its box is what the geometry
 * index searches.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "json_read.h"
#include "mask.h"
#include "proto_fields.h"
#include "region_info.h"

extern PGDLLEXPORT Datum bbox_out(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum polygon_out(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum polygon_eq(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum polygon_bbox(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum keypoint_out(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum keypoint_bbox(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mask_out(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mask_eq(PG_FUNCTION_ARGS);

/* The Clarifai keys of region_info, in ShapeKind order. */
static const char *const shape_keys[SHAPE_NKINDS] = {"bounding_box", "polygon", "point", "mask"};

const char *
region_shape_kind_name(ShapeKind kind)
{
	if (kind < 0 || kind >= SHAPE_NKINDS)
		elog(ERROR, "unknown shape kind %d", (int) kind);
	return shape_keys[kind];
}

/* The enclosing box of the shape s holds; false for a mask with no pixel set. */
static bool
enclose(RegionShape *s)
{
	switch (s->kind)
	{
		case SHAPE_BOX:
			return true;
		case SHAPE_POLYGON:
			s->box = *(BBox *) DatumGetPointer(DirectFunctionCall1(polygon_bbox, PointerGetDatum(s->polygon)));
			return true;
		case SHAPE_POINT:
			s->box = *(BBox *) DatumGetPointer(DirectFunctionCall1(keypoint_bbox, PointerGetDatum(&s->point)));
			return true;
		case SHAPE_MASK:
			return mask_enclosing_box(s->mask, &s->box);
		case SHAPE_NKINDS:
			break;
	}
	elog(ERROR, "unknown shape kind %d", (int) s->kind);
	return false;
}

void
region_shape_box(const BBox *box, RegionShape *out)
{
	memset(out, 0, sizeof(RegionShape));
	out->kind = SHAPE_BOX;
	out->box = *box;
}

void
region_info_parse(const JsonbValue *v, const char *path, RegionShape *out)
{
	JsonbValue	vals[SHAPE_NKINDS];
	bool		has[SHAPE_NKINDS];
	int			given = 0;
	const char *where;

	jr_object_unkept(v, path, shape_keys, SHAPE_NKINDS, &proto_region_info_unkept, vals, has);
	memset(out, 0, sizeof(RegionShape));
	for (int k = SHAPE_NKINDS - 1; k >= 0; k--)
		/*
		 * As in proto3 JSON, a polygon, point or mask left at its default
		 * ({}) is not given; an empty box is given, a box of zeros.
		 */
		if (has[k] && (k == SHAPE_BOX || !jr_is_default(&vals[k])))
		{
			given++;
			out->kind = (ShapeKind) k;
		}
	if (given != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: region_info needs exactly one of \"bounding_box\", \"polygon\", \"point\" or \"mask\", got %d",
						path, given),
				 given > 1 ? errhint("A region has one shape: post one annotation per shape.") : 0));
	where = jr_key_path(path, shape_keys[out->kind]);
	switch (out->kind)
	{
		case SHAPE_BOX:
			bbox_from_request_json(&vals[SHAPE_BOX], where, &out->box);
			return;
		case SHAPE_POLYGON:
			out->polygon = polygon_from_jsonb_value(&vals[SHAPE_POLYGON], where);
			break;
		case SHAPE_POINT:
			keypoint_from_jsonb_value(&vals[SHAPE_POINT], where, &out->point);
			break;
		case SHAPE_MASK:
			out->mask = mask_from_jsonb_value(&vals[SHAPE_MASK], where);
			break;
		case SHAPE_NKINDS:
			elog(ERROR, "unknown shape kind");
	}
	if (!enclose(out))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: a region's mask needs at least one pixel set", where),
				 errdetail("A region covers some part of the image; an empty mask covers none.")));
}

static pg_attribute_noreturn() void
stored_malformed(const char *whose, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored %s is malformed", whose),
			 errdetail_internal("%s", detail),
			 errhint("The API never stores such a value. Correct it with UPDATE or delete the annotation.")));
}

/*
 * The shape stored in d, into out; NULL, or what is wrong with it (what no
 * write of the API leaves behind).
 */
static const char *
shape_read(const ShapeDatums *d, RegionShape *out)
{
	int			shapes = 0;

	memset(out, 0, sizeof(RegionShape));
	out->kind = SHAPE_BOX;
	for (int c = SC_POLYGON; c < SC_NCOLS; c++)
		if (!d->nulls[c])
		{
			shapes++;
			out->kind = (ShapeKind) c;
		}
	if (shapes > 1)
		return "annotations.regions holds more than one of polygon, point and mask.";
	switch (out->kind)
	{
		case SHAPE_BOX:
			if (d->nulls[SC_BBOX])
				return "annotations.regions.bbox is NULL.";
			out->box = *(BBox *) DatumGetPointer(d->values[SC_BBOX]);
			return NULL;
		case SHAPE_POLYGON:
			out->polygon = DatumGetPolygonP(d->values[SC_POLYGON]);
			break;
		case SHAPE_POINT:
			out->point = *DatumGetKeypointP(d->values[SC_POINT]);
			break;
		case SHAPE_MASK:
			out->mask = DatumGetMaskP(d->values[SC_MASK]);
			break;
		case SHAPE_NKINDS:
			elog(ERROR, "unknown shape kind");
	}
	/* the box is the shape's, whatever bbox says */
	if (!enclose(out))
		return "annotations.regions.mask has no pixel set.";
	return NULL;
}

/*
 * Whose region it is (whose_fmt and its arguments) is written out only
 * for a malformed one: the readers call this once per row.
 */
void
region_shape_from_datums(const ShapeDatums *d, RegionShape *out, const char *whose_fmt,...)
{
	const char *problem = shape_read(d, out);
	StringInfoData whose;

	if (problem == NULL)
		return;
	initStringInfo(&whose);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, whose_fmt);
		needed = appendStringInfoVA(&whose, whose_fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&whose, needed);
	}
	stored_malformed(whose.data, problem);
}

void
region_shape_datums(const RegionShape *s, ShapeDatums *out)
{
	BBox	   *box = palloc(sizeof(BBox));

	*box = s->box;
	for (int c = 0; c < SC_NCOLS; c++)
	{
		out->values[c] = (Datum) 0;
		out->nulls[c] = true;
	}
	out->values[SC_BBOX] = PointerGetDatum(box);
	out->nulls[SC_BBOX] = false;
	switch (s->kind)
	{
		case SHAPE_BOX:
			break;
		case SHAPE_POLYGON:
			out->values[SC_POLYGON] = PointerGetDatum(s->polygon);
			break;
		case SHAPE_POINT:
			{
				Keypoint   *k = palloc(sizeof(Keypoint));

				*k = s->point;
				out->values[SC_POINT] = PointerGetDatum(k);
				break;
			}
		case SHAPE_MASK:
			out->values[SC_MASK] = PointerGetDatum(s->mask);
			break;
		case SHAPE_NKINDS:
			elog(ERROR, "unknown shape kind");
	}
	if (s->kind != SHAPE_BOX)
		out->nulls[(int) s->kind] = false;
}

void
region_shape_texts(const RegionShape *s, char *texts[SC_NCOLS])
{
	static PGFunction const outs[SC_NCOLS] = {bbox_out, polygon_out, keypoint_out, mask_out};
	ShapeDatums d;

	region_shape_datums(s, &d);
	for (int c = 0; c < SC_NCOLS; c++)
		texts[c] = d.nulls[c] ? NULL : DatumGetCString(DirectFunctionCall1(outs[c], d.values[c]));
}

bool
region_shape_equal(const RegionShape *a, const RegionShape *b)
{
	if (a->kind != b->kind || !bbox_equal_internal(&a->box, &b->box))
		return false;
	switch (a->kind)
	{
		case SHAPE_BOX:
			return true;
		case SHAPE_POLYGON:
			return DatumGetBool(DirectFunctionCall2(polygon_eq, PointerGetDatum(a->polygon),
													PointerGetDatum(b->polygon)));
		case SHAPE_POINT:
			return a->point.row == b->point.row && a->point.col == b->point.col;
		case SHAPE_MASK:
			return DatumGetBool(DirectFunctionCall2(mask_eq, PointerGetDatum(a->mask),
													PointerGetDatum(b->mask)));
		case SHAPE_NKINDS:
			break;
	}
	elog(ERROR, "unknown shape kind %d", (int) a->kind);
	return false;
}

/* The annotation row's fields of each ShapeColumn. */
static const AnnotationField shape_fields[SC_NCOLS] = {AF_BBOX, AF_POLYGON, AF_POINT, AF_MASK};

void
annotation_shape_datums(const AnnotationValues *row, ShapeDatums *out)
{
	for (int c = 0; c < SC_NCOLS; c++)
	{
		out->values[c] = row->values[shape_fields[c]];
		out->nulls[c] = row->nulls[shape_fields[c]];
	}
}

void
annotation_set_shape(AnnotationValues *row, const ShapeDatums *d)
{
	for (int c = 0; c < SC_NCOLS; c++)
	{
		row->values[shape_fields[c]] = d->values[c];
		row->nulls[shape_fields[c]] = d->nulls[c];
	}
}
