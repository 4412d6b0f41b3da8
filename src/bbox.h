/*
 * bbox.h — the annotations.bbox type: a normalized bounding box.
 *
 * Four float4 in Clarifai order (top_row, left_col, bottom_row, right_col),
 * each in [0,1] with top_row < bottom_row and left_col < right_col.  A value
 * of the SQL type is always valid: every way in (text, binary, constructor,
 * JSON, COCO) goes through bbox_validate().  Stored values are canonical:
 * -0 is stored as +0, so equal boxes have equal bytes.
 *
 * GiST internal keys use the same struct but are unions that are never
 * validated (see bbox_gist.c).
 */
#ifndef ANNOTATIONS_BBOX_H
#define ANNOTATIONS_BBOX_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/jsonb.h"

typedef struct BBox
{
	float4		top_row;
	float4		left_col;
	float4		bottom_row;
	float4		right_col;
} BBox;

#define DatumGetBBoxP(X)  ((BBox *) DatumGetPointer(X))
#define BBoxPGetDatum(X)  PointerGetDatum(X)
#define PG_GETARG_BBOX_P(n) DatumGetBBoxP(PG_GETARG_DATUM(n))
#define PG_RETURN_BBOX_P(x) return BBoxPGetDatum(x)

/* The errdetail attached to every "invalid value" error. */
#define BBOX_VALID_DETAIL \
	"A bounding box is four numbers between 0 and 1 with top_row < bottom_row and left_col < right_col."

/*
 * Raises 22023 "<where>: <reason>" when invalid; where is e.g.
 * "annotations[3].data.regions[0].region_info.bounding_box".  Does not
 * canonicalize -0; the builders below do.
 */
extern void bbox_validate(const BBox *box, const char *where);

/* Builds and validates a box from doubles (rounded to float4 first, then checked). */
extern void bbox_from_doubles(double top, double left, double bottom, double right,
							  const char *where, BBox *out);

/*
 * Parses a Clarifai {"top_row","left_col","bottom_row","right_col"} object
 * given as a JsonbValue (a jbvBinary object container; an unpacked jbvObject
 * is accepted too).  Anything else, a missing key, a non-number value or an
 * extra key -> 22023 naming where and the key.  Numbers are rounded straight
 * from their decimal form to float4, so huge values are errors, not crashes.
 */
extern void bbox_from_jsonb_value(const JsonbValue *v, const char *where, BBox *out);

/*
 * The same for a request, read as proto3 JSON: a side left out is 0, the
 * default proto3 writers omit (a box touching the top or left edge).
 */
extern void bbox_from_request_json(const JsonbValue *v, const char *where, BBox *out);

/* Adds the four keys of box to an object being built with pushJsonbValue (caller did WJB_BEGIN_OBJECT). */
extern void bbox_push_jsonb(JsonbParseState **state, const BBox *box);
extern Jsonb *bbox_to_jsonb(const BBox *box);

/*
 * COCO pixel box [x,y,w,h] <-> normalized box; where names the item in
 * errors.  bbox_from_coco checks x, y, w, h are finite, w and h positive and
 * width, height positive (22023), then validates the result.  bbox_to_coco
 * expects width, height > 0 (the caller checks) and never fails.
 */
extern void bbox_from_coco(double x, double y, double w, double h,
						   int32 width, int32 height, const char *where, BBox *out);
extern void bbox_to_coco(const BBox *box, int32 width, int32 height, double out[4]);

/* Geometry shared with the GiST support (no validation; any float4 box). */
static inline bool
bbox_overlaps_internal(const BBox *a, const BBox *b)
{
	return a->top_row <= b->bottom_row && b->top_row <= a->bottom_row &&
		a->left_col <= b->right_col && b->left_col <= a->right_col;
}

static inline bool
bbox_contains_internal(const BBox *a, const BBox *b)
{
	return a->top_row <= b->top_row && a->left_col <= b->left_col &&
		a->bottom_row >= b->bottom_row && a->right_col >= b->right_col;
}

static inline bool
bbox_equal_internal(const BBox *a, const BBox *b)
{
	return a->top_row == b->top_row && a->left_col == b->left_col &&
		a->bottom_row == b->bottom_row && a->right_col == b->right_col;
}

/* Area in double; 0 for a degenerate (flat) box. */
static inline double
bbox_area_internal(const BBox *b)
{
	double		h = (double) b->bottom_row - (double) b->top_row;
	double		w = (double) b->right_col - (double) b->left_col;

	return (h > 0 && w > 0) ? h * w : 0.0;
}

#endif							/* ANNOTATIONS_BBOX_H */
