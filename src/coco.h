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

#include "bbox.h"

/* COCO ids are JSON integers; beyond 2^53 - 1 JavaScript readers lose them. */
#define MAX_COCO_ID INT64CONST(9007199254740991)

/* An image of a COCO document: its file_name is the input id. */
typedef struct CocoImage
{
	char	   *path;			/* "coco.images[3]", for messages */
	int64		id;
	char	   *file_name;
	int32		width;
	int32		height;
} CocoImage;

/* A box of a COCO document, already normalized. */
typedef struct CocoDocBox
{
	int64		id;
	int			image;			/* index into CocoDocument.images */
	const char *category;		/* the category's name: the concept id */
	BBox		box;
} CocoDocBox;

/* A whole document, read and validated (coco_import.c). */
typedef struct CocoDocument
{
	int			nimages;
	CocoImage  *images;
	int			nboxes;
	CocoDocBox    *boxes;
} CocoDocument;

extern void coco_read_document(Jsonb *coco, CocoDocument *doc);
extern char *coco_annotation_id(const char *file_name, int64 id);

extern HTAB *strptr_table(const char *name, Size entrysize, MemoryContext cxt);
extern HTAB *int64_table(const char *name, Size entrysize, MemoryContext cxt);
extern char *double_text(double d);

#endif
