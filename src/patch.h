/*
 * patch.h — the patch engine: a stored annotation and one parsed patch
 * element give the annotation's new state, or "delete it".
 *
 * The engine reads no table: patch_annotations locks and reads the stored
 * rows, runs the engine on each, and writes what changed.
 */
#ifndef ANNOTATIONS_PATCH_H
#define ANNOTATIONS_PATCH_H

#include "postgres.h"

#include "request.h"
#include "rows.h"

typedef enum PatchAction
{
	PATCH_MERGE, PATCH_OVERWRITE, PATCH_REMOVE
} PatchAction;

/* The action named by a patch call; 22023 for any other name (or NULL). */
extern PatchAction patch_action(const char *name);

/* An annotation after a patch, and what the writes must do about it. */
typedef struct PatchResult
{
	bool		deleted;		/* remove with delete_if_empty left it empty */
	AnnotationValues row;		/* the new state (modified_at as stored) */
	bool		concepts_changed;
	bool		info_changed;
	bool		frame_changed;
	bool		region_written;	/* a region that is new or differs from the stored one */
	RegionShape region_shape;	/* its geometry, when there is a region */
	bool		region_removed; /* it had a region and has none now */
} PatchResult;

/*
 * Applies one patch element to a stored annotation (fields by
 * AnnotationField, as read with ANNOTATION_COLUMNS); status_type is the
 * type of its status field. The element is a parsed, valid request.
 */
extern void patch_apply(PatchAction action, const AnnotationValues *stored, Oid status_type,
						const AnnotationRequest *req, bool delete_if_empty, PatchResult *result);

#endif
