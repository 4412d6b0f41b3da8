/*
 * request.h — Clarifai request JSON → validated C structs.
 *
 * The request is walked once; every rule of the request format is checked here and
 * every error names the item path (annotations[3].data.regions[0]…).
 * Later stages (resolve, store, patch) only see valid structs.
 */
#ifndef ANNOTATIONS_REQUEST_H
#define ANNOTATIONS_REQUEST_H

#include "postgres.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "bbox.h"
#include "concepts.h"
#include "region_info.h"
#include "status.h"

typedef enum RequestMode
{
	REQUEST_POST,				/* post_annotations: input_id needed, ids generated */
	REQUEST_PATCH				/* patch_annotations: id needed, everything optional */
} RequestMode;

typedef struct RegionRequest
{
	bool		present;
	char	   *id;				/* NULL when not given (post: generated) */
	bool		has_shape;		/* region_info given (or copied from the region labeled) */
	RegionShape shape;
	bool		has_concepts;	/* region data.concepts given */
	ConceptList concepts;
	bool		has_data;		/* region "data" given at all */
	bool		iscrowd;		/* a COCO crowd region (set by an import only) */
} RegionRequest;

typedef struct AnnotationRequest
{
	char	   *path;			/* "annotations[3]" */
	char	   *id;
	char	   *input_id;
	char	   *user_id;
	char	   *model_version_id;
	char	   *embed_model_version_id;
	char	   *task_id;
	const StatusInfo *status;	/* NULL when not given */
	Jsonb	   *annotation_info;	/* NULL when not given */
	bool		trusted;		/* given as true (false is proto3's "not given") */
	Jsonb	   *consensus_info; /* NULL when not given ({} is not given) */
	bool		has_data;
	bool		has_concepts;
	ConceptList concepts;
	RegionRequest region;
	bool		has_frame;
	bool		has_frame_index;
	int32		frame_index;
	bool		has_frame_time;
	int32		frame_time;
	bool		has_created_at;	/* given by the app owner (a post only) */
	TimestampTz created_at;
	bool		has_modified_at;
	TimestampTz modified_at;
} AnnotationRequest;

typedef struct InputRequest
{
	char	   *path;
	char	   *id;
	Jsonb	   *data;			/* as given, concepts normalized */
	ConceptList concepts;
	bool		has_created_at; /* given by the app owner */
	TimestampTz created_at;
	bool		has_modified_at;
	TimestampTz modified_at;
} InputRequest;

/*
 * Parses a batch of 1..128 annotations (an id used twice is refused); with
 * id_order, also gives the element numbers in byte order of their ids.
 */
extern AnnotationRequest *parse_annotation_batch(Jsonb *batch, RequestMode mode, int *count,
												 int **id_order);

/* Parses a batch of 1..128 inputs. */
extern InputRequest *parse_input_batch(Jsonb *batch, int *count);

#endif
