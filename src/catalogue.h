/*
 * catalogue.h — the concept catalogue of an app (annotations.concepts):
 * every concept used by a write is added on first use with the next COCO
 * category id of the app, and an app with a closed vocabulary refuses
 * concepts it has not catalogued.
 *
 * The fill functions run inside an API call (SPI connected, store rights).
 */
#ifndef ANNOTATIONS_CATALOGUE_H
#define ANNOTATIONS_CATALOGUE_H

#include "postgres.h"

#include "acting.h"
#include "request.h"

/* A concept as a write uses it; path names the request item for messages. */
typedef struct CatalogueUse
{
	const char *id;
	const char *name;			/* NULL when the request gave none */
	const char *path;
} CatalogueUse;

/*
 * Adds the concepts not yet catalogued (one statement for the batch), or,
 * when the app's vocabulary is closed, refuses the first of them (22023
 * naming its item).
 */
extern void catalogue_fill(const char *app_id, const CatalogueUse *uses, int n);

/* Forgets the concepts this backend remembers as catalogued (an app deleted). */
extern void catalogue_forget(void);

/*
 * The same for the concepts of annotation and input requests; for
 * annotations without a statement when this backend knows them all to be
 * catalogued in this app.
 */
extern void catalogue_fill_annotations(const AppAccess *access, const AnnotationRequest *reqs, int n);
extern void catalogue_fill_inputs(const char *app_id, const InputRequest *reqs, int n);

/* A category of an imported COCO document, for the catalogue. */
typedef struct CatalogueCategory
{
	const char *path;			/* "coco.categories[3]" */
	const char *id;				/* its name: the concept id */
	const char *supercategory;	/* NULL when not given */
	int64		coco_id;		/* the category id in the document */
	/* set by catalogue_import */
	int32		assigned;		/* the concept's coco_id */
	bool		clash;			/* assigned is not the category id */
} CatalogueCategory;

/*
 * Adds the categories' concepts to the catalogue (a new one takes the
 * category id as coco_id when it is free; existing ones are left as they
 * are) and returns how many were added; 22023 for a new one when the
 * vocabulary is closed.
 */
extern int	catalogue_import(const char *app_id, const AppAccess *access, CatalogueCategory *cats, int n);

#endif
