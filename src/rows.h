/*
 * rows.h — the annotations.annotation row every API function returns: one
 * list of its fields, read from the store in that order and written into
 * the result row type by attribute name.
 */
#ifndef ANNOTATIONS_ROWS_H
#define ANNOTATIONS_ROWS_H

#include "postgres.h"
#include "access/tupdesc.h"
#include "funcapi.h"

/* The fields of an annotation with its region, in ANNOTATION_COLUMNS order. */
typedef enum AnnotationField
{
	AF_APP_ID, AF_ID, AF_INPUT_ID, AF_SEQ, AF_USER_ID, AF_MODEL_VERSION_ID,
	AF_EMBED_MODEL_VERSION_ID, AF_TASK_ID, AF_STATUS, AF_INPUT_LEVEL, AF_CONCEPTS,
	AF_REGION_ID, AF_BBOX, AF_REGION_CONCEPTS, AF_FRAME_INDEX, AF_FRAME_TIME,
	AF_ANNOTATION_INFO, AF_CREATED_AT, AF_MODIFIED_AT,
	/* fields a 1.0 row type does not have: the region's shape beyond its box, trust */
	AF_POLYGON, AF_POINT, AF_MASK, AF_TRUSTED, AF_CONSENSUS_INFO,
	AF_NFIELDS
} AnnotationField;

/*
 * The select list that reads those fields, in the enum's order, from
 * annotations a with the region's columns given (id, bbox, concepts,
 * polygon, point, mask).
 */
#define ANNOTATION_COLUMNS_WITH(rid, rbbox, rconcepts, rpolygon, rpoint, rmask) \
	"a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id, " \
	"a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts, " \
	rid ", " rbbox ", " rconcepts ", a.frame_index, a.frame_time, a.annotation_info, " \
	"a.created_at, a.modified_at, " rpolygon ", " rpoint ", " rmask ", a.trusted, a.consensus_info"

/* From annotations a LEFT JOIN regions r. */
#define ANNOTATION_COLUMNS \
	ANNOTATION_COLUMNS_WITH("r.id", "r.bbox", "r.concepts", "r.polygon", "r.point", "r.mask")

/*
 * From annotations a alone: the region's fields are NULL until
 * annotation_regions_read fills them in.
 */
#define ANNOTATION_COLUMNS_NO_REGION \
	ANNOTATION_COLUMNS_WITH("NULL", "NULL", "NULL", "NULL", "NULL", "NULL")

/* The first field a row type may lack (its attribute is then -1). */
#define AF_FIRST_OPTIONAL AF_POLYGON

/* One annotation's values, by field. */
typedef struct AnnotationValues
{
	Datum		values[AF_NFIELDS];
	bool		nulls[AF_NFIELDS];
} AnnotationValues;

/*
 * Where each field goes in a result row type (found by name). Fields that
 * version 1.0's row type lacks (its internal _patch_apply still hands this
 * library such rows until the update) have attno -1.
 */
typedef struct AnnotationShape
{
	TupleDesc	desc;
	int			attno[AF_NFIELDS];	/* 0-based attribute index, -1 for none */
} AnnotationShape;

extern void annotation_shape(TupleDesc desc, AnnotationShape *shape);
extern void annotation_field_default(AnnotationField f, AnnotationValues *row);
extern void annotation_from_spi(HeapTuple tup, TupleDesc desc, AnnotationValues *out);
extern void annotation_from_spi_with(HeapTuple tup, TupleDesc desc, AnnotationValues *out,
									 Datum *extra, int nextra);
extern HeapTuple annotation_tuple(const AnnotationShape *shape, const AnnotationValues *row);
extern int *row_columns_by_name(TupleDesc out, TupleDesc in);
extern void annotation_put(ReturnSetInfo *rsinfo, const AnnotationShape *shape, const AnnotationValues *row);
extern void annotation_regions_read(Datum app_id, AnnotationValues **rows, int n, bool latest);

#endif
