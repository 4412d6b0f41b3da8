/*
 * status.h — annotation review statuses: enum label, Clarifai code and name.
 */
#ifndef ANNOTATIONS_STATUS_H
#define ANNOTATIONS_STATUS_H

#include "postgres.h"
#include "utils/jsonb.h"

typedef struct StatusInfo
{
	const char *label;			/* annotations.status enum label */
	int			code;			/* Clarifai status code */
	const char *name;			/* Clarifai status name */
	const char *description;	/* text of status.description in to_json */
} StatusInfo;

/* The status given as {"code": 24151} or {"code": "ANNOTATION_PENDING"}. */
extern const StatusInfo *status_parse(const JsonbValue *v, const char *path);

extern const StatusInfo *status_by_label(const char *label);

/* A status written as an enum label, a Clarifai name or a code ("24151"). */
extern const StatusInfo *status_from_text(const char *s, const char *path);

#endif
