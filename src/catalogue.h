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

/* The same for the concepts of annotation and input requests. */
extern void catalogue_fill_annotations(const char *app_id, const AnnotationRequest *reqs, int n);
extern void catalogue_fill_inputs(const char *app_id, const InputRequest *reqs, int n);

#endif
