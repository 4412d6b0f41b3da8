/*
 * geom.h — exact plane geometry of polygons (src/geom.c): area,
 * intersection area, overlap and point-in-polygon on rings of doubles.
 */
#ifndef ANNOTATIONS_GEOM_H
#define ANNOTATIONS_GEOM_H

#include "postgres.h"

#include "bbox.h"
#include "shapes.h"

/*
 * A polygon as doubles, x = col and y = row, from the decimal values of
 * the stored float4 (so a polygon drawn on 0.1 and 0.3 has the area people
 * expect), oriented counterclockwise in (x, y), without repeated
 * consecutive points.
 */
typedef struct Ring
{
	int			n;
	double	   *x;
	double	   *y;
	double		minx,
				miny,
				maxx,
				maxy;
	double		area;			/* > 0 */
} Ring;

extern void ring_from_polygon(const Polygon *poly, Ring *out);

/* A polygon's area, as ring_from_polygon's, at less cost. */
#define RING_AREA_STACK_POINTS 64
extern double polygon_ring_area(const Polygon *poly);
extern void ring_from_bbox(const BBox *box, Ring *out);

/* Area of the intersection of two simple polygons (see geom.c for limits). */
extern double ring_intersection_area(const Ring *a, const Ring *b);

/* Intersection over union; 0 when the shared part has no area. */
extern double ring_iou(const Ring *a, const Ring *b);

/* Whether the closed polygons share at least one point. */
extern bool ring_overlaps(const Ring *a, const Ring *b);

/* What a quick test can say: yes, no, or that only the exact test can tell. */
typedef enum GeomAnswer
{
	GEOM_NO,
	GEOM_YES,
	GEOM_UNSURE
} GeomAnswer;

/*
 * Whether polygon p and the closed box share a point, decided on the stored
 * float4 values where their distance from the decimals the exact test
 * reads cannot change the answer; GEOM_UNSURE otherwise.
 */
extern GeomAnswer polygon_box_overlap_quick(const Polygon *p, const BBox *box);

/* Whether (x, y) is in the closed polygon (even-odd rule, edges included). */
extern bool ring_contains_point(const Ring *r, double x, double y);

#endif							/* ANNOTATIONS_GEOM_H */
