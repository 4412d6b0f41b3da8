/*
 * coco_pixels.h — COCO pixel values that survive export -> import: a stored
 * coordinate is a float4 fraction of the image size, and export writes the
 * shortest decimal pixel value that maps back to that same float4.
 */
#ifndef ANNOTATIONS_COCO_PIXELS_H
#define ANNOTATIONS_COCO_PIXELS_H

#include "postgres.h"
#include "utils/numeric.h"

/* Decimal places tried when looking for the shortest pixel value. */
#define MAX_PIXEL_DECIMALS 17

/*
 * A pixel value the import side would turn back into a stored float4:
 * target == (float4) ((base + c) / size), with c >= 0 (c > 0 for an extent)
 * and base + c <= size.  base is 0 for x and y, the emitted x or y for w, h.
 */
typedef struct PixelFit
{
	double		base;
	bool		extent;
	int32		size;
	float4		target;
} PixelFit;

/* A pixel value written as n / 10^k, or (k < 0) as the double d in full. */
typedef struct Pixel
{
	int64		n;
	int			k;
	double		d;
} Pixel;

extern bool pixel_fits(const PixelFit *f, double c);
extern void pixel_shortest(double estimate, const PixelFit *f, Pixel *out);
extern Numeric pixel_numeric(const Pixel *p);
extern Numeric pixel_area(const Pixel *w, const Pixel *h);

#endif
