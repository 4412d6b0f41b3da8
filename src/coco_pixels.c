/*
 * coco_pixels.c — the shortest decimal pixel value that import turns back
 * into the same stored float4.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "coco_pixels.h"


bool
pixel_fits(const PixelFit *f, double c)
{
	double		edge = f->base + c;

	if (f->extent ? !(c > 0.0) : !(c >= 0.0))
		return false;
	if (edge > (double) f->size)
		return false;
	return (float4) (edge / f->size) == f->target;
}



/*
 * The decimal with the fewest places that fits, searched around estimate:
 * the fitting values form an interval containing the exact value, so when
 * some k-place decimal fits, the k-place neighbours of estimate include one.
 */
void
pixel_shortest(double estimate, const PixelFit *f, Pixel *out)
{
	double		scale = 1.0;
	int			k;

	for (k = 0; k <= MAX_PIXEL_DECIMALS; k++, scale *= 10.0)
	{
		double		s = estimate * scale;
		double		near;
		double		far;

		/* beyond 2^52 n / 10^k would no longer be exact */
		if (!(fabs(s) < 4503599627370496.0))
			break;
		near = rint(s);
		far = (near <= s) ? near + 1.0 : near - 1.0;
		if (pixel_fits(f, near / scale) || pixel_fits(f, (near = far) / scale))
		{
			out->n = (int64) near;
			out->k = k;
			out->d = near / scale;
			/* no trailing zeros: 12.50 fits at k = 1 already */
			return;
		}
	}
	/* cannot happen for a valid box; write the estimate in full */
	out->n = 0;
	out->k = -1;
	out->d = estimate;
}

Numeric
pixel_numeric(const Pixel *p)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (p->k >= 0)
		return int64_div_fast_to_numeric(p->n, p->k);
	double_to_shortest_decimal_buf(p->d, buf);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

/* w * h, exact in decimal. */
Numeric
pixel_area(const Pixel *w, const Pixel *h)
{
	int64		prod;
	int			k = w->k + h->k;

	if (w->k >= 0 && h->k >= 0 && k <= MAX_PIXEL_DECIMALS * 2 &&
		!pg_mul_s64_overflow(w->n, h->n, &prod))
	{
		while (k > 0 && prod % 10 == 0)
		{
			prod /= 10;
			k--;
		}
		return int64_div_fast_to_numeric(prod, k);
	}
	return numeric_mul_opt_error(pixel_numeric(w), pixel_numeric(h), NULL);
}
