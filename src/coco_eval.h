/*
 * coco_eval.h — COCO's box detection evaluator as a pure kernel: no SPI,
 * no catalog, only palloc. The caller feeds it one image and one category
 * at a time; it keeps, per category, one small record per detection
 * (score, image, rank and a match code per area range and IoU threshold)
 * and summarizes at the end exactly as pycocotools' COCOeval does
 * (evaluateImg, accumulate, summarize).
 */
#ifndef ANNOTATIONS_COCO_EVAL_H
#define ANNOTATIONS_COCO_EVAL_H

#include "postgres.h"

/* Area ranges, in COCO's order: all, small, medium, large. */
#define COCO_AREAS 4
/* Recall thresholds 0:0.01:1. */
#define COCO_RECALLS 101
/* The three maxDets of COCO's summary (ascending). */
#define COCO_MAXDETS 3
/* Default IoU thresholds 0.50:0.05:0.95. */
#define COCO_DEFAULT_THRESHOLDS 10

/* One box of an image and category: a detection or a ground-truth object. */
typedef struct CocoBox
{
	double		x;				/* COCO [x, y, w, h] in pixels */
	double		y;
	double		w;
	double		h;
	double		area;			/* what the area ranges look at */
	double		score;			/* detections: the confidence */
	bool		crowd;			/* ground truth: an iscrowd region */
	int32		order;			/* position in the input, for stable ties */
	int32		shape;			/* the caller's number of its shape, for an IoU of shapes */
} CocoBox;

/* IoU of a detection and a ground-truth object, when not their boxes'. */
typedef double (*CocoIouFn) (const CocoBox *dt, const CocoBox *gt, void *arg);

/* A detection kept for accumulation; its match codes are stored apart. */
typedef struct CocoDet
{
	double		score;
	int32		image;			/* image number as given to coco_eval_image */
	int32		rank;			/* place among its image's detections, by score */
} CocoDet;

/* Per detection, area range and threshold. */
#define COCO_FP 0
#define COCO_TP 1
#define COCO_IGNORED 2

typedef struct CocoCategory
{
	int64		npig[COCO_AREAS];	/* ground truth not ignored, per area range */
	int64		gt_count;		/* ground-truth boxes, crowd ones included */
	int64		dt_count;		/* detections, before the maxDets cut */
	int32		ndet;
	int32		capdet;
	CocoDet    *dets;
	uint8	   *codes;			/* ndet x COCO_AREAS x nthr */
} CocoCategory;

typedef struct CocoEval
{
	int			nthr;
	double	   *thr;
	int			maxdets[COCO_MAXDETS];	/* ascending */
	int			ncat;
	int			capcat;
	CocoCategory *cats;
	MemoryContext cxt;			/* where the records live */
	CocoIouFn	iou;			/* NULL: coco_iou of the boxes */
	void	   *iou_arg;
} CocoEval;

/* One category's (or the mean's) line of COCO's summary. */
typedef struct CocoSummary
{
	double		ap;				/* IoU all thresholds, area all, maxDets[2] */
	double		ap50;			/* NaN: 0.5 is not among the thresholds */
	double		ap75;
	double		ap_area[3];		/* small, medium, large */
	double		ar[COCO_MAXDETS];	/* area all, each maxDets */
	double		ar_area[3];
	int64		gt_count;
	int64		dt_count;
	int64		tp50;			/* at IoU 0.5, area all, maxDets[2]; -1 without 0.5 */
	int64		fp50;
	int64		fn50;
} CocoSummary;

extern void coco_default_thresholds(double *out);
extern double coco_iou(const CocoBox *dt, const CocoBox *gt);
extern double coco_eval_iou(const CocoEval *ev, const CocoBox *dt, const CocoBox *gt);
extern bool coco_out_of_range(double area, int range);

extern void coco_eval_init(CocoEval *ev, const double *thr, int nthr, const int *maxdets);
extern int	coco_eval_add_category(CocoEval *ev);
extern void coco_sort_detections(CocoBox *dts, int ndt);
extern void coco_match(const CocoBox *dts, int ndt, const CocoBox *gts, int ngt,
					   const double *ious, const bool *gt_ignore, double thr,
					   int *match);
extern void coco_eval_image(CocoEval *ev, int32 image, int cat,
							const CocoBox *gts, int ngt, CocoBox *dts, int ndt);
extern void coco_eval_summarize(CocoEval *ev, int cat, const int32 *image_rank,
								CocoSummary *out);
extern void coco_eval_mean(const CocoSummary *rows, int n, CocoSummary *out);

#endif
