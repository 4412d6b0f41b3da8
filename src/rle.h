/*
 * rle.h — COCO run-length encoding (src/rle.c): runs of alternating 0 and
 * 1 pixels in column-major order, starting with a (possibly empty) run of
 * 0s; COCO's compressed string form; polygon rasterization as pycocotools
 * does it; area, box and intersection on runs, never on a decoded bitmap.
 */
#ifndef ANNOTATIONS_RLE_H
#define ANNOTATIONS_RLE_H

#include "postgres.h"

typedef struct Rle
{
	int32		h;
	int32		w;
	int32		m;				/* number of runs */
	int32	   *cnts;			/* canonical: cnts[i] > 0 for i > 0 */
} Rle;

/*
 * Decodes a compressed string of len bytes (22023 "<where>: …" when it is
 * not one: a character out of range, a count cut short or too long, a
 * negative count).  Returns the raw counts, possibly with empty runs, in
 * *counts and their number.
 */
extern int	rle_decode_string(const char *s, int len, const char *where, int64 **counts);

/*
 * Builds canonical runs from raw counts (each >= 0, 22023 otherwise) that
 * must add up to h * w (22023 otherwise): empty runs are merged away, but
 * for a leading one.
 */
extern void rle_from_counts(const int64 *counts, int n, int32 h, int32 w,
							const char *where, Rle *out);

/* COCO's compressed string of canonical runs (palloc'd, NUL-terminated). */
extern char *rle_encode_string(const Rle *r, int *len);

/* Number of 1 pixels. */
extern int64 rle_area(const Rle *r);

/* Number of pixels that are 1 in both (same size: the caller checks). */
extern int64 rle_intersection(const Rle *a, const Rle *b);

/* Pixel box of the 1 pixels: false when there are none. */
extern bool rle_pixel_box(const Rle *r, int32 *x0, int32 *y0, int32 *x1, int32 *y1);

/* Value of the pixel at column-major index idx. */
extern bool rle_pixel(const Rle *r, int64 idx);

/*
 * Rasterizes a polygon given in pixel coordinates (x = column, y = row,
 * k points) into an h x w mask exactly as pycocotools' frPyObjects does
 * for a COCO polygon.
 */
extern void rle_from_polygon(const double *x, const double *y, int k,
							 int32 h, int32 w, Rle *out);

#endif							/* ANNOTATIONS_RLE_H */
