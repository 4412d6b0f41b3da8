/*
 * mask.h — the annotations.mask type (src/mask.c): a pixel mask of a given
 * size, stored as COCO's compressed run-length string of canonical runs.
 */
#ifndef ANNOTATIONS_MASK_H
#define ANNOTATIONS_MASK_H

#include "postgres.h"
#include "utils/jsonb.h"

#include "bbox.h"
#include "rle.h"
#include "shapes.h"

/* The runs of a stored mask. */
extern void mask_to_rle(const Mask *mask, Rle *out);

/* The box around the 1 pixels (whole pixels); false for an empty mask. */
extern bool mask_enclosing_box(const Mask *mask, BBox *box);

/*
 * A polygon or a box (fractions of the image) rasterized at h x w pixels
 * as pycocotools rasterizes a COCO polygon (rle_from_polygon); a box as
 * the polygon of its four corners, as frBbox does (src/shape_ops.c).
 */
extern void rle_of_polygon(const Polygon *p, int32 h, int32 w, Rle *out);
extern void rle_of_bbox(const BBox *b, int32 h, int32 w, Rle *out);

/* A stored mask from canonical runs. */
extern Mask *mask_from_rle(const Rle *r);

/*
 * Parses {"rle": {"size": [h, w], "counts": "<compressed>" or [n0, n1, …]}};
 * 22023 "<where>: …" on any problem.
 */
extern Mask *mask_from_jsonb_value(const JsonbValue *v, const char *where);
extern Jsonb *mask_to_jsonb(const Mask *mask);

#endif							/* ANNOTATIONS_MASK_H */
