/*
 * store.h — writing already-built requests: what post_inputs and
 * post_annotations do after parsing, for callers that build the request
 * structs themselves (import_coco) instead of writing request JSON.
 *
 * Both run inside an API call: SPI connected, acting_begin done, the app's
 * access known. Result rows go to rsinfo's tuplestore when rsinfo is given.
 */
#ifndef ANNOTATIONS_STORE_H
#define ANNOTATIONS_STORE_H

#include "postgres.h"
#include "funcapi.h"

#include "acting.h"
#include "request.h"
#include "rows.h"

/* One INSERT into inputs, one into annotations (the input-level ones); 23505 for a taken id. */
extern void store_inputs(const Acting *acting, const char *app_id,
						 const InputRequest *reqs, int n, ReturnSetInfo *rsinfo);

/*
 * Author rules, the inputs looked up and locked, regions labeled by id
 * resolved, one INSERT into annotations and one into regions; 23505 for a
 * taken id. shape is needed only with rsinfo.
 */
extern void store_annotations(const Acting *acting, const AppAccess *access, const char *app_id,
							  AnnotationRequest *reqs, int n,
							  ReturnSetInfo *rsinfo, const AnnotationShape *shape);

/* 42501 unless the app's owner gives a post's created_at or modified_at (what: "inputs"…). */
extern void check_dates(const AppAccess *access, const char *path, bool has_created_at,
						bool has_modified_at, const char *what);

/* 42501 unless the app's owner asks to set or change trusted. */
extern void check_trusted(const AppAccess *access, const AnnotationRequest *req);

#endif
