/*
 * coco_eval.c — COCO's box detection evaluator (pycocotools' COCOeval for
 * iouType 'bbox') as a pure kernel.
 *
 * What is mirrored, step by step, so results agree to the last digits:
 *
 *  - IoU as maskApi's bbIou: overlap of [x, y, w, h] boxes over the union,
 *    or over the detection's own area when the ground truth is a crowd;
 *  - evaluateImg: detections sorted by descending score with ties kept in
 *    input order (numpy's mergesort is stable), cut to the largest maxDets;
 *    ground truth reordered so ignored objects come last (stable again);
 *    per IoU threshold the same greedy walk (a matched object is skipped
 *    unless crowd, the walk stops at the first ignored object once a
 *    regular one matched, ties in IoU go to the later object, the bar is
 *    min(t, 1 - 1e-10)); unmatched detections outside the area range are
 *    ignored;
 *  - accumulate: per category, area range and maxDets, the detections of
 *    every image in one list sorted by descending score (ties: image order,
 *    then rank in the image), cumulative TP and FP counts over every
 *    position (ignored ones included, as numpy's cumsum does), precision
 *    tp / (tp + fp + DBL_EPSILON), the precision envelope, and for each of
 *    the 101 recall thresholds the precision at the first position whose
 *    recall reaches it (numpy's searchsorted, side 'left'), 0 past the end;
 *  - summarize: means over the entries that are not -1.
 *
 * Thresholds are computed as numpy's linspace does (i * step + start, the
 * last one set to the stop value), since a recall of 7/100 compares with
 * 7 * 0.01, not with 0.07.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "utils/memutils.h"

#include "coco_eval.h"

/* COCO's area ranges in square pixels: all, small, medium, large. */
static const double area_lo[COCO_AREAS] = {0.0, 0.0, 32.0 * 32.0, 96.0 * 96.0};
static const double area_hi[COCO_AREAS] = {1e10, 32.0 * 32.0, 96.0 * 96.0, 1e10};

/* numpy.linspace(start, stop, num) */
static void
linspace(double start, double stop, int num, double *out)
{
	double		step = (stop - start) / (double) (num - 1);

	for (int i = 0; i < num; i++)
	{
		double		v = (double) i * step;

		out[i] = v + start;
	}
	out[num - 1] = stop;
}

/* 0.50:0.05:0.95 as COCO's Params builds them. */
void
coco_default_thresholds(double *out)
{
	linspace(0.5, 0.95, COCO_DEFAULT_THRESHOLDS, out);
}

/* bbIou of maskApi.c for one pair. */
double
coco_iou(const CocoBox *dt, const CocoBox *gt)
{
	double		w;
	double		h;
	double		i;
	double		u;
	double		da = dt->w * dt->h;
	double		ga = gt->w * gt->h;

	w = fmin(dt->w + dt->x, gt->w + gt->x) - fmax(dt->x, gt->x);
	if (w <= 0)
		return 0.0;
	h = fmin(dt->h + dt->y, gt->h + gt->y) - fmax(dt->y, gt->y);
	if (h <= 0)
		return 0.0;
	i = w * h;
	u = gt->crowd ? da : da + ga - i;
	return i / u;
}

/* The IoU the evaluation compares with its thresholds. */
double
coco_eval_iou(const CocoEval *ev, const CocoBox *dt, const CocoBox *gt)
{
	return ev->iou ? ev->iou(dt, gt, ev->iou_arg) : coco_iou(dt, gt);
}

/* Whether an area lies outside one of COCO's ranges (the bounds belong to it). */
bool
coco_out_of_range(double area, int range)
{
	return area < area_lo[range] || area > area_hi[range];
}

void
coco_eval_init(CocoEval *ev, const double *thr, int nthr, const int *maxdets)
{
	ev->cxt = CurrentMemoryContext;
	ev->nthr = nthr;
	ev->thr = palloc(sizeof(double) * nthr);
	memcpy(ev->thr, thr, sizeof(double) * nthr);
	memcpy(ev->maxdets, maxdets, sizeof(int) * COCO_MAXDETS);
	ev->ncat = 0;
	ev->capcat = 16;
	ev->cats = palloc(sizeof(CocoCategory) * ev->capcat);
	ev->iou = NULL;
	ev->iou_arg = NULL;
}

int
coco_eval_add_category(CocoEval *ev)
{
	CocoCategory *c;

	if (ev->ncat == ev->capcat)
	{
		ev->capcat *= 2;
		ev->cats = repalloc_huge(ev->cats, sizeof(CocoCategory) * ev->capcat);
	}
	c = &ev->cats[ev->ncat];
	memset(c, 0, sizeof(CocoCategory));
	return ev->ncat++;
}

static int
det_cmp(const void *a, const void *b)
{
	const CocoBox *x = a;
	const CocoBox *y = b;

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* Descending score, ties in input order: numpy's argsort(-score, 'mergesort'). */
void
coco_sort_detections(CocoBox *dts, int ndt)
{
	if (ndt > 1)
		qsort(dts, ndt, sizeof(CocoBox), det_cmp);
}

/*
 * The greedy walk of evaluateImg at one threshold. dts sorted by score,
 * gts in walking order (ignored ones last), ious[d * ngt + g] in those
 * orders. match[d] is the index of the object matched, or -1.
 */
void
coco_match(const CocoBox *dts, int ndt, const CocoBox *gts, int ngt,
		   const double *ious, const bool *gt_ignore, double thr, int *match)
{
	bool	   *gtm = palloc0(sizeof(bool) * Max(ngt, 1));

	for (int d = 0; d < ndt; d++)
	{
		double		iou = Min(thr, 1 - 1e-10);
		int			m = -1;

		for (int g = 0; g < ngt; g++)
		{
			/* a matched object takes no second detection, unless a crowd */
			if (gtm[g] && !gts[g].crowd)
				continue;
			/* matched a regular object: ignored ones (all after it) cannot win */
			if (m > -1 && !gt_ignore[m] && gt_ignore[g])
				break;
			if (ious[(Size) d * ngt + g] < iou)
				continue;
			iou = ious[(Size) d * ngt + g];
			m = g;
		}
		match[d] = m;
		if (m >= 0)
			gtm[m] = true;
	}
	pfree(gtm);
}

/* Room for n more detections in a category. */
static void
reserve(CocoEval *ev, CocoCategory *c, int n)
{
	Size		per = (Size) COCO_AREAS * ev->nthr;

	if (c->ndet + n <= c->capdet)
		return;
	{
		int32		cap = Max(Max(c->capdet * 2, c->ndet + n), 64);

		if (c->dets == NULL)
		{
			c->dets = MemoryContextAllocHuge(ev->cxt, sizeof(CocoDet) * cap);
			c->codes = MemoryContextAllocHuge(ev->cxt, per * cap);
		}
		else
		{
			c->dets = repalloc_huge(c->dets, sizeof(CocoDet) * cap);
			c->codes = repalloc_huge(c->codes, per * cap);
		}
		c->capdet = cap;
	}
}

/*
 * evaluateImg for one image and category, every area range and threshold
 * at once. dts is sorted here. Scratch memory comes from the current
 * context (the caller resets it per image).
 */
void
coco_eval_image(CocoEval *ev, int32 image, int cat, const CocoBox *gts, int ngt,
				CocoBox *dts, int ndt)
{
	CocoCategory *c = &ev->cats[cat];
	int			nd;
	int			T = ev->nthr;
	double	   *ious;
	double	   *pious;
	CocoBox    *pgts;
	bool	   *gig;
	int		   *match;
	uint8	   *codes;

	c->gt_count += ngt;
	c->dt_count += ndt;
	coco_sort_detections(dts, ndt);
	nd = Min(ndt, ev->maxdets[COCO_MAXDETS - 1]);

	ious = palloc(sizeof(double) * Max((Size) nd * ngt, 1));
	pious = palloc(sizeof(double) * Max((Size) nd * ngt, 1));
	pgts = palloc(sizeof(CocoBox) * Max(ngt, 1));
	gig = palloc(sizeof(bool) * Max(ngt, 1));
	match = palloc(sizeof(int) * Max(nd, 1));
	for (int d = 0; d < nd; d++)
		for (int g = 0; g < ngt; g++)
			ious[(Size) d * ngt + g] = coco_eval_iou(ev, &dts[d], &gts[g]);

	reserve(ev, c, nd);
	codes = c->codes + (Size) c->ndet * COCO_AREAS * T;

	for (int a = 0; a < COCO_AREAS; a++)
	{
		int			k = 0;

		/* regular objects first, then ignored ones, each in input order */
		for (int pass = 0; pass < 2; pass++)
			for (int g = 0; g < ngt; g++)
			{
				bool		ignore = gts[g].crowd || coco_out_of_range(gts[g].area, a);

				if (ignore != (pass == 1))
					continue;
				pgts[k] = gts[g];
				gig[k] = ignore;
				for (int d = 0; d < nd; d++)
					pious[(Size) d * ngt + k] = ious[(Size) d * ngt + g];
				if (!ignore)
					c->npig[a]++;
				k++;
			}

		for (int t = 0; t < T; t++)
		{
			coco_match(dts, nd, pgts, ngt, pious, gig, ev->thr[t], match);
			for (int d = 0; d < nd; d++)
			{
				uint8		code;

				if (match[d] < 0)
					code = coco_out_of_range(dts[d].area, a) ? COCO_IGNORED : COCO_FP;
				else
					code = gig[match[d]] ? COCO_IGNORED : COCO_TP;
				codes[(Size) d * COCO_AREAS * T + a * T + t] = code;
			}
		}
	}

	for (int d = 0; d < nd; d++)
	{
		CocoDet    *r = &c->dets[c->ndet + d];

		r->score = dts[d].score;
		r->image = image;
		r->rank = d;
	}
	c->ndet += nd;
}

/* Sorting a category's detections for accumulate. */
static const int32 *sort_image_rank;
static const CocoDet *sort_dets;

static int
acc_cmp(const void *a, const void *b)
{
	const CocoDet *x = &sort_dets[*(const int32 *) a];
	const CocoDet *y = &sort_dets[*(const int32 *) b];
	int32		ix = sort_image_rank[x->image];
	int32		iy = sort_image_rank[y->image];

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	if (ix != iy)
		return ix < iy ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/*
 * accumulate for one category, area range, maxDets and threshold: the sum
 * of the 101 interpolated precisions and the recall reached. False when
 * the category has no regular object in that range (COCO's -1).
 */
static bool
accumulate(const CocoEval *ev, const CocoCategory *c, const int32 *order,
		   int a, int maxdet, int t, const double *recthr,
		   double *rc, double *pr, double *psum, double *recall)
{
	double		tp = 0;
	double		fp = 0;
	double		npig = (double) c->npig[a];
	int			nd = 0;
	int			j = 0;
	Size		per = (Size) COCO_AREAS * ev->nthr;

	if (c->npig[a] == 0)
		return false;
	for (int i = 0; i < c->ndet; i++)
	{
		int32		k = order[i];
		uint8		code;

		if (c->dets[k].rank >= maxdet)
			continue;
		code = c->codes[(Size) k * per + a * ev->nthr + t];
		if (code == COCO_TP)
			tp += 1;
		else if (code == COCO_FP)
			fp += 1;
		rc[nd] = tp / npig;
		pr[nd] = tp / (fp + tp + DBL_EPSILON);
		nd++;
	}
	*recall = nd > 0 ? rc[nd - 1] : 0.0;
	for (int i = nd - 1; i > 0; i--)
		if (pr[i] > pr[i - 1])
			pr[i - 1] = pr[i];
	*psum = 0;
	for (int r = 0; r < COCO_RECALLS; r++)
	{
		while (j < nd && rc[j] < recthr[r])
			j++;
		if (j >= nd)
			break;
		*psum += pr[j];
	}
	return true;
}

/*
 * One category's summary line. image_rank maps the image numbers given to
 * coco_eval_image to COCO's image order (sorted ids).
 */
void
coco_eval_summarize(CocoEval *ev, int cat, const int32 *image_rank, CocoSummary *out)
{
	CocoCategory *c = &ev->cats[cat];
	int			T = ev->nthr;
	int			big = ev->maxdets[COCO_MAXDETS - 1];
	int32	   *order = palloc(sizeof(int32) * Max(c->ndet, 1));
	double	   *rc = palloc(sizeof(double) * Max(c->ndet, 1));
	double	   *pr = palloc(sizeof(double) * Max(c->ndet, 1));
	double		recthr[COCO_RECALLS];
	double		psum;
	double		rec;
	int			t50 = -1;

	linspace(0.0, 1.0, COCO_RECALLS, recthr);
	for (int i = 0; i < c->ndet; i++)
		order[i] = i;
	sort_image_rank = image_rank;
	sort_dets = c->dets;
	if (c->ndet > 1)
		qsort(order, c->ndet, sizeof(int32), acc_cmp);

	out->gt_count = c->gt_count;
	out->dt_count = c->dt_count;

	/* AP over every threshold, and per area range; AR per area range */
	for (int a = 0; a < COCO_AREAS; a++)
	{
		double		ap = 0;
		double		ar = 0;
		bool		any = false;

		for (int t = 0; t < T; t++)
		{
			if (!accumulate(ev, c, order, a, big, t, recthr, rc, pr, &psum, &rec))
				break;
			any = true;
			ap += psum;
			ar += rec;
		}
		if (a == 0)
		{
			out->ap = any ? ap / ((double) T * COCO_RECALLS) : -1;
			out->ar[COCO_MAXDETS - 1] = any ? ar / T : -1;
		}
		else
		{
			out->ap_area[a - 1] = any ? ap / ((double) T * COCO_RECALLS) : -1;
			out->ar_area[a - 1] = any ? ar / T : -1;
		}
	}

	/* AR at the smaller maxDets */
	for (int m = 0; m < COCO_MAXDETS - 1; m++)
	{
		double		ar = 0;
		bool		any = false;

		for (int t = 0; t < T; t++)
		{
			if (!accumulate(ev, c, order, 0, ev->maxdets[m], t, recthr, rc, pr, &psum, &rec))
				break;
			any = true;
			ar += rec;
		}
		out->ar[m] = any ? ar / T : -1;
	}

	/* AP at IoU 0.5 and 0.75: the mean over the thresholds equal to them */
	for (int which = 0; which < 2; which++)
	{
		double		want = which == 0 ? 0.5 : 0.75;
		double		sum = 0;
		int			n = 0;
		bool		any = false;

		for (int t = 0; t < T; t++)
		{
			if (ev->thr[t] != want)
				continue;
			n++;
			if (t50 < 0 && which == 0)
				t50 = t;
			if (accumulate(ev, c, order, 0, big, t, recthr, rc, pr, &psum, &rec))
			{
				any = true;
				sum += psum;
			}
		}
		if (which == 0)
			out->ap50 = n == 0 ? NAN : any ? sum / ((double) n * COCO_RECALLS) : -1;
		else
			out->ap75 = n == 0 ? NAN : any ? sum / ((double) n * COCO_RECALLS) : -1;
	}

	/* the counts at IoU 0.5, area all, the largest maxDets */
	if (t50 < 0)
		out->tp50 = out->fp50 = out->fn50 = -1;
	else
	{
		Size		per = (Size) COCO_AREAS * T;

		out->tp50 = out->fp50 = 0;
		for (int i = 0; i < c->ndet; i++)
		{
			uint8		code = c->codes[(Size) i * per + t50];

			if (c->dets[i].rank >= big)
				continue;
			if (code == COCO_TP)
				out->tp50++;
			else if (code == COCO_FP)
				out->fp50++;
		}
		out->fn50 = c->npig[0] - out->tp50;
	}
	pfree(order);
	pfree(rc);
	pfree(pr);
}

/* Mean of one figure over the categories where it is not -1 (summarize). */
static double
mean_of(const double *v, int n)
{
	double		sum = 0;
	int			k = 0;

	for (int i = 0; i < n; i++)
	{
		if (isnan(v[i]))
			return v[i];
		if (v[i] > -1)
		{
			sum += v[i];
			k++;
		}
	}
	return k > 0 ? sum / k : -1;
}

/* One figure of every row, then its mean. */
#define MEAN(field) \
	do { \
		for (int i_ = 0; i_ < n; i_++) \
			v[i_] = rows[i_].field; \
		out->field = mean_of(v, n); \
	} while (0)

/*
 * The line for all categories: COCO averages the T x R (or T) entries of
 * every category that has them, and each category has the same number, so
 * this is the mean of the categories' figures.
 */
void
coco_eval_mean(const CocoSummary *rows, int n, CocoSummary *out)
{
	double	   *v = palloc(sizeof(double) * Max(n, 1));

	MEAN(ap);
	MEAN(ap50);
	MEAN(ap75);
	for (int a = 0; a < 3; a++)
	{
		MEAN(ap_area[a]);
		MEAN(ar_area[a]);
	}
	for (int m = 0; m < COCO_MAXDETS; m++)
		MEAN(ar[m]);
	out->gt_count = out->dt_count = out->tp50 = out->fp50 = out->fn50 = 0;
	for (int i = 0; i < n; i++)
	{
		out->gt_count += rows[i].gt_count;
		out->dt_count += rows[i].dt_count;
		if (rows[i].tp50 < 0)
			out->tp50 = out->fp50 = out->fn50 = -1;
		else if (out->tp50 >= 0)
		{
			out->tp50 += rows[i].tp50;
			out->fp50 += rows[i].fp50;
			out->fn50 += rows[i].fn50;
		}
	}
	pfree(v);
}
