/*
 * region_info.h — the geometry of one region: Clarifai's region_info with
 * exactly one of bounding_box, polygon, point or mask, and how it is
 * stored (src/region_info.c).
 *
 * Every region keeps its enclosing box in regions.bbox, so the box index
 * finds regions of every shape; the shape itself sits in the one column of
 * its kind (polygon, point or mask), the others NULL.  A box region has
 * none of them.
 */
#ifndef ANNOTATIONS_REGION_INFO_H
#define ANNOTATIONS_REGION_INFO_H

#include "postgres.h"
#include "utils/jsonb.h"

#include "bbox.h"
#include "rows.h"
#include "shapes.h"

typedef enum ShapeKind
{
	SHAPE_BOX, SHAPE_POLYGON, SHAPE_POINT, SHAPE_MASK, SHAPE_NKINDS
} ShapeKind;

/* The stored columns of a region's geometry, in this order. */
typedef enum ShapeColumn
{
	SC_BBOX, SC_POLYGON, SC_POINT, SC_MASK, SC_NCOLS
} ShapeColumn;

/* "bbox, polygon, point, mask" of a regions table alias, in ShapeColumn order. */
#define SHAPE_COLUMNS(alias) alias ".bbox, " alias ".polygon, " alias ".point, " alias ".mask"

/* A region's geometry: its shape and the box enclosing it. */
typedef struct RegionShape
{
	ShapeKind	kind;
	BBox		box;			/* the box itself, or the shape's enclosing box */
	Polygon    *polygon;		/* SHAPE_POLYGON */
	Keypoint	point;			/* SHAPE_POINT */
	Mask	   *mask;			/* SHAPE_MASK */
} RegionShape;

/* Stored values of the ShapeColumns. */
typedef struct ShapeDatums
{
	Datum		values[SC_NCOLS];
	bool		nulls[SC_NCOLS];
} ShapeDatums;

/* Parses region_info at path; 22023 naming the item on any problem. */
extern void region_info_parse(const JsonbValue *v, const char *path, RegionShape *out);

/* A box region. */
extern void region_shape_box(const BBox *box, RegionShape *out);

/*
 * A stored region's geometry, checked as a request is: more than one shape,
 * or a shape without an enclosing box, is XX001 "stored <whose> is
 * malformed" (whose: "region of annotation \"a\" in app \"x\"", …).
 */
extern void region_shape_from_datums(const ShapeDatums *d, RegionShape *out, const char *whose_fmt,...) pg_attribute_printf(3, 4);

/* The values to store (and to return in an annotation row). */
extern void region_shape_datums(const RegionShape *s, ShapeDatums *out);

/* The text of each column (NULL where the column is NULL), for the store's text[] arguments. */
extern void region_shape_texts(const RegionShape *s, char *texts[SC_NCOLS]);

extern bool region_shape_equal(const RegionShape *a, const RegionShape *b);

/* "bounding_box", "polygon", "point" or "mask": the Clarifai key of a kind. */
extern const char *region_shape_kind_name(ShapeKind kind);

/* The geometry fields of an annotation row, in and out. */
extern void annotation_shape_datums(const AnnotationValues *row, ShapeDatums *out);
extern void annotation_set_shape(AnnotationValues *row, const ShapeDatums *d);

#endif							/* ANNOTATIONS_REGION_INFO_H */
