/*
 * rle.c — COCO run-length encoding: the compressed string form, canonical
 * runs, measures on runs, and polygon rasterization.
 *
 * The compressed string is COCO's: each count is stored as the difference
 * from the count two places before it (from the fourth count on; the first
 * three are stored as they are), then written 5 bits at a time, low bits
 * first, as characters '0' + v where bit 0x20 says another character
 * follows and, in the last character, bit 0x10 is the sign.  Written here
 * from that description and checked against strings pycocotools produced.
 */
#include "postgres.h"

#include <math.h>
#include <stdlib.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "rle.h"

/* 7 characters carry 35 bits: enough for any difference of two counts up to 2^30. */
#define MAX_CHARS_PER_COUNT 7

int
rle_decode_string(const char *s, int len, const char *where, int64 **counts)
{
	int64	   *c;
	int			n = 0;
	int			p = 0;

	if ((Size) len + 1 > MaxAllocSize / sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: counts: the string is too long (%d characters)", where, len)));
	c = palloc(((Size) len + 1) * sizeof(int64));
	while (p < len)
	{
		int64		x = 0;
		int			k = 0;
		bool		more = true;

		while (more)
		{
			int			ch;

			if (p >= len)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: counts: the string ends in the middle of count %d",
								where, n + 1)));
			ch = (unsigned char) s[p] - 48;
			if (ch < 0 || ch > 63)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: counts: character %d is not a compressed RLE character (\"0\" to \"o\")",
								where, p + 1)));
			if (k == MAX_CHARS_PER_COUNT)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: counts: count %d is longer than %d characters",
								where, n + 1, MAX_CHARS_PER_COUNT)));
			x |= (int64) (ch & 0x1f) << (5 * k);
			more = (ch & 0x20) != 0;
			p++;
			k++;
			if (!more && (ch & 0x10))
				x |= -((int64) 1 << (5 * k));	/* negative: extend the sign */
		}
		if (n > 2)
			x += c[n - 2];
		if (x < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: counts: count %d (" INT64_FORMAT ") must not be negative",
							where, n + 1, x)));
		if (x > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: counts: count %d (" INT64_FORMAT ") is larger than any mask",
							where, n + 1, x)));
		c[n++] = x;
		if ((n & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	*counts = c;
	return n;
}

void
rle_from_counts(const int64 *counts, int n, int32 h, int32 w, const char *where, Rle *out)
{
	int64		total = (int64) h * w;
	int64		sum = 0;
	int32	   *r = palloc(((Size) n + 2) * sizeof(int32));
	int			m = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		int64		c = counts[i];
		int			v = i & 1;

		if (c < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: counts: count %d (" INT64_FORMAT ") must not be negative",
							where, i + 1, c)));
		if (c > total - sum)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: counts add up to more than height x width (" INT64_FORMAT ")",
							where, total)));
		sum += c;
		if ((i & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
		if (c == 0)
			continue;
		if (m == 0)
		{
			if (v == 1)
				r[m++] = 0;
			r[m++] = (int32) c;
		}
		else if (((m - 1) & 1) == v)
			r[m - 1] += (int32) c;
		else
			r[m++] = (int32) c;
	}
	if (sum != total)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: counts add up to " INT64_FORMAT ", not height x width (" INT64_FORMAT ")",
						where, sum, total)));
	out->h = h;
	out->w = w;
	out->m = m;
	out->cnts = r;
}

char *
rle_encode_string(const Rle *r, int *len)
{
	char	   *s = palloc((Size) r->m * MAX_CHARS_PER_COUNT + 1);
	int			p = 0;
	int			i;

	for (i = 0; i < r->m; i++)
	{
		int64		x = r->cnts[i];
		bool		more = true;

		if (i > 2)
			x -= r->cnts[i - 2];
		while (more)
		{
			int			ch = (int) (x & 0x1f);

			x >>= 5;			/* arithmetic: keeps the sign */
			more = (ch & 0x10) ? x != -1 : x != 0;
			if (more)
				ch |= 0x20;
			s[p++] = (char) (ch + 48);
		}
		if ((i & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
	}
	s[p] = '\0';
	*len = p;
	return s;
}

int64
rle_area(const Rle *r)
{
	int64		a = 0;
	int			i;

	for (i = 1; i < r->m; i += 2)
		a += r->cnts[i];
	return a;
}

int64
rle_intersection(const Rle *a, const Rle *b)
{
	int			ia = 0;
	int			ib = 0;
	int64		ra = a->cnts[0];
	int64		rb = b->cnts[0];
	int64		inter = 0;
	int			steps = 0;

	while (ia < a->m && ib < b->m)
	{
		int64		c = Min(ra, rb);

		if ((ia & 1) && (ib & 1))
			inter += c;
		ra -= c;
		rb -= c;
		if (ra == 0 && ++ia < a->m)
			ra = a->cnts[ia];
		if (rb == 0 && ++ib < b->m)
			rb = b->cnts[ib];
		if ((++steps & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return inter;
}

bool
rle_pixel_box(const Rle *r, int32 *x0, int32 *y0, int32 *x1, int32 *y1)
{
	int64		pos = 0;
	bool		any = false;
	int			i;

	*x0 = r->w;
	*y0 = r->h;
	*x1 = *y1 = -1;
	for (i = 0; i < r->m; i++)
	{
		int64		c = r->cnts[i];

		if ((i & 1) && c > 0)
		{
			int64		start = pos;
			int64		end = pos + c - 1;
			int32		xs = (int32) (start / r->h);
			int32		xe = (int32) (end / r->h);

			any = true;
			*x0 = Min(*x0, xs);
			*x1 = Max(*x1, xe);
			if (xs == xe)
			{
				*y0 = Min(*y0, (int32) (start % r->h));
				*y1 = Max(*y1, (int32) (end % r->h));
			}
			else
			{
				/* a run over a column's end covers its last row and the next one's first */
				*y0 = 0;
				*y1 = r->h - 1;
			}
		}
		pos += c;
		if ((i & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
	}
	return any;
}

bool
rle_pixel(const Rle *r, int64 idx)
{
	int64		pos = 0;
	int			i;

	for (i = 0; i < r->m; i++)
	{
		pos += r->cnts[i];
		if (idx < pos)
			return (i & 1) != 0;
		if ((i & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
	}
	return false;
}

/* ------------------------------------------------------- rasterization */

static int
cmp_uint32(const void *a, const void *b)
{
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Boundary crossings collected while walking the upsampled outline. */
typedef struct Walk
{
	int32		h;
	int32		w;
	bool		have_prev;
	int			pu;
	int			pv;
	uint32	   *a;
	int64		na;
} Walk;

/*
 * One point of the outline, upsampled 5 times.  Where the walk moves to
 * another column and that column's center is a pixel center, the row where
 * the outline crosses it toggles the pixels from there down.
 */
static inline void
walk_point(Walk *wk, int u, int v)
{
	if (wk->have_prev && u != wk->pu)
	{
		double		xd = (double) (u < wk->pu ? u : u - 1);

		xd = (xd + 0.5) / 5.0 - 0.5;
		if (floor(xd) == xd && xd >= 0 && xd <= wk->w - 1)
		{
			double		yd = (double) (v < wk->pv ? v : wk->pv);

			yd = (yd + 0.5) / 5.0 - 0.5;
			if (yd < 0)
				yd = 0;
			else if (yd > wk->h)
				yd = wk->h;
			yd = ceil(yd);
			wk->a[wk->na++] = (uint32) ((int64) xd * wk->h + (int64) yd);
		}
	}
	wk->pu = u;
	wk->pv = v;
	wk->have_prev = true;
}

/*
 * pycocotools' rleFrPoly, rewritten: the outline is upsampled 5x and walked
 * point by point as it does (the same rounding, in the same order), but the
 * points are not stored, only the column crossings, so memory is bounded
 * by the crossings rather than by the outline's length.
 */
void
rle_from_polygon(const double *px, const double *py, int k, int32 h, int32 w, Rle *out)
{
	const double scale = 5.0;
	int		   *x = palloc(((Size) k + 1) * sizeof(int));
	int		   *y = palloc(((Size) k + 1) * sizeof(int));
	int64		bound = 1;
	int64	   *counts;
	Walk		wk;
	uint32		prev;
	int64		j;
	int64		m;
	int64		nb;

	for (j = 0; j < k; j++)
	{
		x[j] = (int) (scale * px[j] + 0.5);
		y[j] = (int) (scale * py[j] + 0.5);
	}
	x[k] = x[0];
	y[k] = y[0];
	/* every crossing needs a change of column: at most |dx| + 1 per edge */
	for (j = 0; j < k; j++)
		bound += Abs(x[j + 1] - x[j]) + 1;
	/* both arrays below hold one entry per crossing; int64 is the larger */
	if ((Size) bound > MaxAllocSize / sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("polygon too long to rasterize at %dx%d", h, w)));
	wk.h = h;
	wk.w = w;
	wk.have_prev = false;
	wk.pu = wk.pv = 0;
	wk.na = 0;
	wk.a = palloc((Size) bound * sizeof(uint32));

	for (j = 0; j < k; j++)
	{
		int			xs = x[j],
					xe = x[j + 1],
					ys = y[j],
					ye = y[j + 1];
		int			dx = Abs(xe - xs);
		int			dy = Abs(ys - ye);
		bool		flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
		int			d;
		double		s;

		CHECK_FOR_INTERRUPTS();
		if (flip)
		{
			int			t;

			t = xs, xs = xe, xe = t;
			t = ys, ys = ye, ye = t;
		}
		if (dx == 0 && dy == 0)
		{
			walk_point(&wk, xs, ys);
			continue;
		}
		s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
		if (dx >= dy)
			for (d = 0; d <= dx; d++)
			{
				int			t = flip ? dx - d : d;

				walk_point(&wk, t + xs, (int) (ys + s * t + 0.5));
			}
		else
			for (d = 0; d <= dy; d++)
			{
				int			t = flip ? dy - d : d;

				walk_point(&wk, (int) (xs + s * t + 0.5), t + ys);
			}
	}
	pfree(x);
	pfree(y);

	/* crossings sorted, as runs between them; paired ones cancel */
	wk.a[wk.na++] = (uint32) ((int64) h * w);
	qsort(wk.a, wk.na, sizeof(uint32), cmp_uint32);
	CHECK_FOR_INTERRUPTS();
	prev = 0;
	for (j = 0; j < wk.na; j++)
	{
		uint32		t = wk.a[j];

		wk.a[j] -= prev;
		prev = t;
	}
	counts = palloc((Size) wk.na * sizeof(int64));
	nb = 0;
	j = 0;
	counts[nb++] = wk.a[j++];
	while (j < wk.na)
	{
		if (wk.a[j] > 0)
			counts[nb++] = wk.a[j++];
		else
		{
			j++;
			if (j < wk.na)
				counts[nb - 1] += wk.a[j++];
		}
	}
	pfree(wk.a);
	m = nb;
	rle_from_counts(counts, (int) m, h, w, "rasterized polygon", out);
	pfree(counts);
}
