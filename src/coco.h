/*
 * coco.h — what COCO export and import share: id limits, string- and
 * integer-keyed hash tables, numbers in messages; the document as import
 * reads it.
 */
#ifndef ANNOTATIONS_COCO_H
#define ANNOTATIONS_COCO_H

#include "postgres.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "bbox.h"
#include "region_info.h"

/* COCO ids are JSON integers; beyond 2^53 - 1 JavaScript readers lose them. */
#define MAX_COCO_ID INT64CONST(9007199254740991)

/* An image of a COCO document: its file_name is the input id. */
typedef struct CocoImage
{
	char	   *path;			/* "coco.images[3]", for messages */
	int64		id;
	char	   *file_name;
	int32		width;			/* 0 when the document gives no size */
	int32		height;
} CocoImage;

/* A category of a COCO document: its name is the concept id. */
typedef struct CocoDocCategory
{
	char	   *path;
	int64		id;
	char	   *name;
	char	   *supercategory;	/* NULL when not given */
} CocoDocCategory;

/* Why an annotation of a document is not imported (the tolerated cases). */
typedef enum CocoSkip
{
	COCO_KEPT = 0,
	COCO_SKIP_NO_BBOX,			/* no bbox (a segmentation-only annotation) */
	COCO_SKIP_EMPTY_BOX,		/* w or h is 0 (after clipping) */
	COCO_SKIP_UNSIZED_IMAGE,	/* its image has no width and height */
	COCO_SKIP_UNKNOWN_CATEGORY, /* a category_id neither the document nor the catalogue knows */
	COCO_SKIP_DEGENERATE_SEGMENTATION,	/* every ring of its segmentation encloses nothing */
	COCO_SKIP_COUNT
} CocoSkip;

extern const char *const coco_skip_names[COCO_SKIP_COUNT];

/* An annotation of a COCO document, its box normalized when it is kept. */
typedef struct CocoDocBox
{
	int64		id;
	int			image;			/* index into CocoDocument.images */
	int64		category_id;
	const char *category;		/* the concept id; NULL until known */
	BBox		box;
	bool		iscrowd;
	Numeric		area;			/* as the document gives it, in pixels; NULL when not */
	bool		clipped;		/* nudged inside the image */
	int			dropped_rings;	/* rings of its segmentation that enclose nothing */
	CocoSkip	skip;
	RegionShape shape;			/* the box, or the polygon or mask of its segmentation */
	Jsonb	   *segmentation;	/* as the document gives it, or NULL */
	double		pixels[4];		/* the bbox [x,y,w,h] after clipping, when it is kept */
	bool		keep_pixels;	/* a bbox beside a segmentation: kept, the region's box being the shape's */
} CocoDocBox;

/* A whole document, read and validated (coco_import.c). */
typedef struct CocoDocument
{
	int			nimages;
	CocoImage  *images;
	int			ncategories;
	CocoDocCategory *categories;
	int			nboxes;
	CocoDocBox *boxes;
} CocoDocument;

/* How far a box may reach past the image's right or bottom edge and still be clipped (px). */
#define COCO_OVERSHOOT 1e-3
/* How far left of or above the image a box may start and still be clipped (px). */
#define COCO_UNDERSHOOT 1.0

extern void coco_read_document(Jsonb *coco, CocoDocument *doc);
extern char *coco_annotation_id(const char *file_name, int64 id);

/* segmentation both ways (coco_segmentation.c) */
extern void coco_read_segmentation(const JsonbValue *v, const char *path, const CocoImage *img,
								   CocoDocBox *out, MemoryContext keep);
extern void coco_push_segmentation(JsonbParseState **st, JsonbContainer *kept, const Polygon *poly,
								   const Mask *mask, int32 width, int32 height);
extern Numeric coco_shape_area(const Polygon *poly, const Mask *mask, int32 width, int32 height);
extern Numeric coco_kept_area(JsonbContainer *coco);

extern HTAB *strptr_table(const char *name, Size entrysize, MemoryContext cxt);
extern HTAB *int64_table(const char *name, Size entrysize, MemoryContext cxt);
extern char *double_text(double d);

#endif
