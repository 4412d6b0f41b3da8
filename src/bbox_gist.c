/*
 * bbox_gist.c — GiST operator class for annotations.bbox.
 *
 * Keys are BBox structs, leaf and internal alike (16 bytes, half of a core
 * box key).  An internal key is the min/max union of float4 values, hence
 * exact: no rounding, so the index never misses a match and never needs a
 * recheck.  Internal keys are never validated; only their geometry is used.
 * No compress/decompress/fetch: the leaf key is the value itself, which
 * also allows index-only scans.
 *
 * The split is an R*-tree style topological split (see bbox_gist_picksplit).
 */
#include "postgres.h"

#include <math.h>

#include "access/gist.h"
#include "access/stratnum.h"
#include "fmgr.h"

#include "bbox.h"

PG_FUNCTION_INFO_V1(bbox_gist_consistent);
PG_FUNCTION_INFO_V1(bbox_gist_union);
PG_FUNCTION_INFO_V1(bbox_gist_penalty);
PG_FUNCTION_INFO_V1(bbox_gist_picksplit);
PG_FUNCTION_INFO_V1(bbox_gist_same);

/* Smallest share of the entries each side of a split must get. */
#define SPLIT_MIN_FILL 0.4

/* Grows a to cover b. */
static inline void
bbox_extend(BBox *a, const BBox *b)
{
	a->top_row = Min(a->top_row, b->top_row);
	a->left_col = Min(a->left_col, b->left_col);
	a->bottom_row = Max(a->bottom_row, b->bottom_row);
	a->right_col = Max(a->right_col, b->right_col);
}

/* Half perimeter: the R* "margin". */
static inline double
bbox_margin(const BBox *b)
{
	return ((double) b->bottom_row - b->top_row) + ((double) b->right_col - b->left_col);
}

/* Area shared by two boxes (0 when they only touch or are apart). */
static inline double
bbox_overlap_area(const BBox *a, const BBox *b)
{
	double		h = (double) Min(a->bottom_row, b->bottom_row) - Max(a->top_row, b->top_row);
	double		w = (double) Min(a->right_col, b->right_col) - Max(a->left_col, b->left_col);

	return (h > 0 && w > 0) ? h * w : 0.0;
}

/*
 * Exact answers at the leaves; at internal keys, "could a leaf below match".
 * The strategies are core box_ops' numbers (= uses RTSame).
 */
Datum
bbox_gist_consistent(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	BBox	   *query = PG_GETARG_BBOX_P(1);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);
	BBox	   *key = DatumGetBBoxP(entry->key);
	bool		leaf = GIST_LEAF(entry);

	*recheck = false;
	switch (strategy)
	{
		case RTOverlapStrategyNumber:
			PG_RETURN_BOOL(bbox_overlaps_internal(key, query));
		case RTSameStrategyNumber:
			PG_RETURN_BOOL(leaf ? bbox_equal_internal(key, query)
						   : bbox_contains_internal(key, query));
		case RTContainsStrategyNumber:
			PG_RETURN_BOOL(bbox_contains_internal(key, query));
		case RTContainedByStrategyNumber:
			/* a leaf inside query lies inside key too, so key meets query */
			PG_RETURN_BOOL(leaf ? bbox_contains_internal(query, key)
						   : bbox_overlaps_internal(key, query));
		default:
			elog(ERROR, "unrecognized bbox GiST strategy number: %d", strategy);
	}
	PG_RETURN_BOOL(false);		/* keep compiler quiet */
}

/* Covering box of entries 0..n-1. */
Datum
bbox_gist_union(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	int		   *sizep = (int *) PG_GETARG_POINTER(1);
	BBox	   *u = palloc(sizeof(BBox));
	int			i;

	*u = *DatumGetBBoxP(entryvec->vector[0].key);
	for (i = 1; i < entryvec->n; i++)
		bbox_extend(u, DatumGetBBoxP(entryvec->vector[i].key));
	*sizep = sizeof(BBox);
	PG_RETURN_POINTER(u);
}

/* Area the subtree key must grow by to take the new entry. */
Datum
bbox_gist_penalty(PG_FUNCTION_ARGS)
{
	GISTENTRY  *origentry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *newentry = (GISTENTRY *) PG_GETARG_POINTER(1);
	float	   *result = (float *) (void *) PG_GETARG_POINTER(2);
	BBox	   *orig = DatumGetBBoxP(origentry->key);
	BBox		u = *orig;

	bbox_extend(&u, DatumGetBBoxP(newentry->key));
	*result = (float) (bbox_area_internal(&u) - bbox_area_internal(orig));
	PG_RETURN_POINTER(result);
}

/* Same key? (Lets GiST skip rewriting an unchanged parent.) */
Datum
bbox_gist_same(PG_FUNCTION_ARGS)
{
	BBox	   *a = PG_GETARG_BBOX_P(0);
	BBox	   *b = PG_GETARG_BBOX_P(1);
	bool	   *result = (bool *) PG_GETARG_POINTER(2);

	*result = bbox_equal_internal(a, b);
	PG_RETURN_POINTER(result);
}

/* ------------------------------------------------------------- picksplit */

typedef struct SplitItem
{
	BBox		box;
	OffsetNumber off;
} SplitItem;

/* Sort orders tried: axis (0 rows, 1 cols) x bound (0 lower, 1 upper). */
#define SORT_MODE(axis, upper) ((axis) * 2 + (upper))

/* Lower and upper bound of a box on an axis. */
static inline void
axis_bounds(const BBox *b, int axis, float4 *lo, float4 *hi)
{
	if (axis == 0)
	{
		*lo = b->top_row;
		*hi = b->bottom_row;
	}
	else
	{
		*lo = b->left_col;
		*hi = b->right_col;
	}
}

/* qsort_arg comparator: by the chosen bound, then the other, then offset. */
static int
split_item_cmp(const void *a, const void *b, void *arg)
{
	const SplitItem *ia = (const SplitItem *) a;
	const SplitItem *ib = (const SplitItem *) b;
	int			mode = *(const int *) arg;
	float4		alo,
				ahi,
				blo,
				bhi;
	float4		a1,
				a2,
				b1,
				b2;

	axis_bounds(&ia->box, mode / 2, &alo, &ahi);
	axis_bounds(&ib->box, mode / 2, &blo, &bhi);
	a1 = (mode % 2) ? ahi : alo;
	a2 = (mode % 2) ? alo : ahi;
	b1 = (mode % 2) ? bhi : blo;
	b2 = (mode % 2) ? blo : bhi;
	if (a1 != b1)
		return a1 < b1 ? -1 : 1;
	if (a2 != b2)
		return a2 < b2 ? -1 : 1;
	return (int) ia->off - (int) ib->off;
}

/* Covering boxes of every prefix (pre[k] = items 0..k-1) and suffix (suf[k] = items k..n-1). */
static void
prefix_suffix(const SplitItem *items, int n, BBox *pre, BBox *suf)
{
	int			k;

	pre[1] = items[0].box;
	for (k = 2; k <= n; k++)
	{
		pre[k] = pre[k - 1];
		bbox_extend(&pre[k], &items[k - 1].box);
	}
	suf[n - 1] = items[n - 1].box;
	for (k = n - 2; k >= 0; k--)
	{
		suf[k] = suf[k + 1];
		bbox_extend(&suf[k], &items[k].box);
	}
}

/*
 * R*-tree split (Beckmann et al. 1990), written for GiST pages:
 * 1. For each axis, sort the entries by lower and by upper bound; every cut
 *    of a sorted list leaving at least SPLIT_MIN_FILL of the entries on each
 *    side is a candidate.  Pick the axis whose candidates have the smallest
 *    total margin (perimeter): square-ish pages answer window queries best.
 * 2. On that axis take the candidate with the least overlap area between the
 *    two covering boxes, then the least total area, then the best balance.
 * Prefix/suffix unions make each sort's candidates O(n), O(n log n) in all.
 */
Datum
bbox_gist_picksplit(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	GIST_SPLITVEC *v = (GIST_SPLITVEC *) PG_GETARG_POINTER(1);
	int			n = entryvec->n - FirstOffsetNumber;
	SplitItem  *items = palloc(n * sizeof(SplitItem));
	BBox	   *pre = palloc((n + 1) * sizeof(BBox));
	BBox	   *suf = palloc((n + 1) * sizeof(BBox));
	int			minfill;
	int			axis,
				upper,
				k;
	int			best_axis = 0;
	double		best_margin = 0;
	int			best_mode = -1;
	int			best_k = 0;
	double		best_overlap = 0,
				best_area = 0;
	int			best_imbalance = 0;
	BBox	   *left,
			   *right;

	for (k = 0; k < n; k++)
	{
		items[k].off = (OffsetNumber) (k + FirstOffsetNumber);
		items[k].box = *DatumGetBBoxP(entryvec->vector[k + FirstOffsetNumber].key);
	}
	minfill = Max(1, (int) ceil(n * SPLIT_MIN_FILL));
	if (2 * minfill > n)
		minfill = n / 2;
	Assert(n >= 2 && minfill >= 1);

	/* step 1: the axis with the least total margin */
	for (axis = 0; axis < 2; axis++)
	{
		double		margin = 0;

		for (upper = 0; upper < 2; upper++)
		{
			int			mode = SORT_MODE(axis, upper);

			qsort_arg(items, n, sizeof(SplitItem), split_item_cmp, &mode);
			prefix_suffix(items, n, pre, suf);
			for (k = minfill; k <= n - minfill; k++)
				margin += bbox_margin(&pre[k]) + bbox_margin(&suf[k]);
		}
		if (axis == 0 || margin < best_margin)
		{
			best_margin = margin;
			best_axis = axis;
		}
	}

	/* step 2: the best cut on that axis */
	for (upper = 0; upper < 2; upper++)
	{
		int			mode = SORT_MODE(best_axis, upper);

		qsort_arg(items, n, sizeof(SplitItem), split_item_cmp, &mode);
		prefix_suffix(items, n, pre, suf);
		for (k = minfill; k <= n - minfill; k++)
		{
			double		overlap = bbox_overlap_area(&pre[k], &suf[k]);
			double		area = bbox_area_internal(&pre[k]) + bbox_area_internal(&suf[k]);
			int			imbalance = abs(n - 2 * k);

			if (best_mode < 0 || overlap < best_overlap ||
				(overlap == best_overlap &&
				 (area < best_area ||
				  (area == best_area && imbalance < best_imbalance))))
			{
				best_mode = mode;
				best_k = k;
				best_overlap = overlap;
				best_area = area;
				best_imbalance = imbalance;
			}
		}
	}

	/* cut the chosen order at best_k */
	qsort_arg(items, n, sizeof(SplitItem), split_item_cmp, &best_mode);
	v->spl_left = palloc(n * sizeof(OffsetNumber));
	v->spl_right = palloc(n * sizeof(OffsetNumber));
	v->spl_nleft = v->spl_nright = 0;
	left = palloc(sizeof(BBox));
	right = palloc(sizeof(BBox));
	*left = items[0].box;
	*right = items[n - 1].box;
	for (k = 0; k < n; k++)
	{
		if (k < best_k)
		{
			v->spl_left[v->spl_nleft++] = items[k].off;
			bbox_extend(left, &items[k].box);
		}
		else
		{
			v->spl_right[v->spl_nright++] = items[k].off;
			bbox_extend(right, &items[k].box);
		}
	}
	v->spl_ldatum = BBoxPGetDatum(left);
	v->spl_rdatum = BBoxPGetDatum(right);

	pfree(items);
	pfree(pre);
	pfree(suf);
	PG_RETURN_POINTER(v);
}
