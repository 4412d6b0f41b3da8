/*
 * patch_api.c — patch_annotations: merge, overwrite or remove on 1..128
 * annotations, all or nothing.
 *
 * One statement locks the batch's annotations in id order (two batches
 * never deadlock) and reads them with their regions; every element is then
 * checked in request order, the patch engine (patch.c) computes each new
 * state, and one statement per table writes what changed.
 */
#include "postgres.h"

#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/itemptr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "acting.h"
#include "catalogue.h"
#include "api.h"
#include "bbox.h"
#include "patch.h"
#include "plans.h"
#include "region_info.h"
#include "request.h"
#include "rows.h"
#include "store.h"

/*
 * With the store owner's rights no policy hides a row, so the lock reaches
 * every row of the batch, whoever may patch it; the checks come after.
 * The ids arrive sorted, and rows are locked in that order (two batches
 * never deadlock); one index probe per id, driven by the array, costs less
 * than an index scan over the array's values followed by a sort. Once it
 * holds a lock the statement returns the annotation as its last writer
 * committed it (xmin says which version that is); ctid is where that
 * version is, and stays there while the lock is held.
 */
static KeptPlan lock_read = {
	.sql = "SELECT " ANNOTATION_COLUMNS ", a.xmin, a.ctid, u.n"
	"  FROM pg_catalog.unnest($2) WITH ORDINALITY u(id, n)"
	"  JOIN annotations.annotations a ON a.app_id = $1 AND a.id = u.id"
	"  LEFT JOIN annotations.regions r ON r.app_id = $1 AND r.annotation_id = a.id"
	" ORDER BY u.n"
	"   FOR UPDATE OF a",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

/*
 * The same lock on a Citus cluster, where a join goes through Citus's
 * router planner (written out as SQL and parsed again at every call): the
 * annotations alone, by one table's statement planned on the app's local
 * shard, locked in byte order of their ids; their regions are read after.
 */
static KeptPlan lock_read_one_table = {
	.sql = "SELECT " ANNOTATION_COLUMNS_NO_REGION ", a.xmin, a.ctid"
	"  FROM annotations.annotations a"
	" WHERE a.app_id = $1 AND a.id OPERATOR(pg_catalog.=) ANY ($2)"
	" ORDER BY a.id COLLATE \"C\""
	"   FOR UPDATE",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID},
	.fold = true
};

/*
 * The new content of the patched annotations; NULL (for frames -1, which
 * no frame is) keeps a column as it is. The rows are found by the ctids
 * the locking read returned (a locked version cannot move), all of them by
 * one TID scan of the array, and each is matched to its new content by id
 * (a hash join), with its app checked again: a TID scan driven row by row
 * from the new content asks the table's size once per row, a system call
 * that cost as much as the rest of finding the row. The status text
 * becomes the enum in FROM, not in COALESCE: the cast is not immutable,
 * and Citus refuses such a function inside CASE or COALESCE of an UPDATE
 * (and its shard query cannot carry the simple CASE x WHEN form).
 */
static KeptPlan update_annotations = {
	.sql = "UPDATE annotations.annotations a"
	"   SET concepts = COALESCE(u.concepts, a.concepts),"
	"       status = COALESCE(u.status, a.status),"
	"       embed_model_version_id = COALESCE(u.embed_model_version_id, a.embed_model_version_id),"
	"       task_id = COALESCE(u.task_id, a.task_id),"
	"       annotation_info = COALESCE(u.annotation_info, a.annotation_info),"
	"       trusted = COALESCE(u.trusted, a.trusted),"
	"       consensus_info = COALESCE(u.consensus_info, a.consensus_info),"
	"       frame_index = CASE WHEN u.frame_index = -1 THEN a.frame_index ELSE u.frame_index END,"
	"       frame_time = CASE WHEN u.frame_time = -1 THEN a.frame_time ELSE u.frame_time END,"
	"       modified_at = pg_catalog.now()"
	"  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3),"
	"                  pg_catalog.unnest($4::annotations.status[]),"
	"                  pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7),"
	"                  pg_catalog.unnest($8), pg_catalog.unnest($9), pg_catalog.unnest($10),"
	"                  pg_catalog.unnest($11), pg_catalog.unnest($12))"
	"       AS u(id, concepts, status, embed_model_version_id, task_id, annotation_info,"
	"            frame_index, frame_time, tid, trusted, consensus_info)"
	" WHERE a.ctid OPERATOR(pg_catalog.=) ANY ($10) AND a.app_id = $1 AND a.id = u.id",
	.nargs = 12,
	.argtypes = {TEXTOID, TEXTARRAYOID, JSONBARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	JSONBARRAYOID, INT4ARRAYOID, INT4ARRAYOID, TIDARRAYOID, BOOLARRAYOID, JSONBARRAYOID}
};

/*
 * The same UPDATE on a Citus cluster, on one table so that Citus plans it
 * on the app's local shard with its values as constants (with the arrays
 * in FROM it wrote the statement out for the shard with every array as a
 * literal, which the worker parsed again at every call). Each row picks
 * its new values out of the arrays by its id (src/patch_value.c; the ids
 * come sorted), the statuses given as the oids of their labels; only
 * immutable functions take the row's columns, which Citus requires. The
 * time of the change is a parameter, not now(): Citus evaluates a
 * statement's non-immutable functions before it runs a write and writes
 * the statement out again with their values, which undoes the plan made
 * on the shard.
 */
/* A column set to the batch's value for the row, or kept where that is NULL. */
#define PICKED(col, param) \
	" " col " = annotations._patch_value($2, a.id, " param ", a." col "),"

/* A frame column: the batch's value, NULL included, except -1, which keeps it. */
#define PICKED_FRAME(col, param) \
	" " col " = CASE WHEN annotations._patch_value($2, a.id, " param ", NULL::pg_catalog.int4) = -1" \
	" THEN a." col " ELSE annotations._patch_value($2, a.id, " param ", NULL::pg_catalog.int4) END,"

static KeptPlan update_annotations_one_table = {
	.sql = "UPDATE annotations.annotations a SET"
	PICKED("concepts", "$3")
	" status = annotations._patch_enum($2, a.id, $4, a.status),"
	PICKED("embed_model_version_id", "$5")
	PICKED("task_id", "$6")
	PICKED("annotation_info", "$7")
	PICKED_FRAME("frame_index", "$8")
	PICKED_FRAME("frame_time", "$9")
	PICKED("trusted", "$11")
	PICKED("consensus_info", "$12")
	" modified_at = $13"
	" WHERE a.app_id = $1 AND a.ctid OPERATOR(pg_catalog.=) ANY ($10)"
	"   AND a.id OPERATOR(pg_catalog.=) ANY ($2)",
	.nargs = 13,
	.argtypes = {TEXTOID, TEXTARRAYOID, JSONBARRAYOID, OIDARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	JSONBARRAYOID, INT4ARRAYOID, INT4ARRAYOID, TIDARRAYOID, BOOLARRAYOID, JSONBARRAYOID,
	TIMESTAMPTZOID},
	.fold = true
};

static KeptPlan delete_regions = {
	.sql = "DELETE FROM annotations.regions r WHERE r.app_id = $1 AND r.annotation_id = ANY ($2)",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

static KeptPlan upsert_regions = {
	.sql = "INSERT INTO annotations.regions AS g (app_id, annotation_id, id, input_id, concepts,"
	"                                      bbox, polygon, point, mask)"
	" SELECT $1, u.annotation_id, u.id, u.input_id, u.concepts, u.bbox, u.polygon, u.point, u.mask"
	"   FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
	"                   pg_catalog.unnest($5), pg_catalog.unnest($6::annotations.bbox[]),"
	"                   pg_catalog.unnest($7::annotations.polygon[]),"
	"                   pg_catalog.unnest($8::annotations.keypoint[]),"
	"                   pg_catalog.unnest($9::annotations.mask[]))"
	"        AS u(annotation_id, id, input_id, concepts, bbox, polygon, point, mask)"
	" ON CONFLICT (app_id, annotation_id) DO UPDATE"
	"    SET id = excluded.id, concepts = excluded.concepts, bbox = excluded.bbox,"
	"        polygon = excluded.polygon, point = excluded.point, mask = excluded.mask,"
	/* a crowd region replaced by another region is no longer a crowd */
	"        iscrowd = g.iscrowd AND g.id = excluded.id",
	.nargs = 9,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, JSONBARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID}
};

static KeptPlan delete_annotations = {
	.sql = "DELETE FROM annotations.annotations a WHERE a.app_id = $1 AND a.id = ANY ($2)",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

/* One array parameter being filled. */
typedef struct ArrayArg
{
	Oid			elemtype;
	int			n;
	Datum	   *values;
	bool	   *nulls;
} ArrayArg;

static void
arg_init(ArrayArg *a, Oid elemtype, int size)
{
	a->elemtype = elemtype;
	a->n = 0;
	a->values = palloc(sizeof(Datum) * Max(size, 1));
	a->nulls = palloc(sizeof(bool) * Max(size, 1));
}

static void
arg_add(ArrayArg *a, Datum value, bool isnull)
{
	a->values[a->n] = isnull ? (Datum) 0 : value;
	a->nulls[a->n] = isnull;
	a->n++;
}

static void
arg_text(ArrayArg *a, const char *s)
{
	arg_add(a, s ? CStringGetTextDatum(s) : (Datum) 0, s == NULL);
}

static Datum
arg_datum(const ArrayArg *a)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1] = {a->n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(a->elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(a->values, a->nulls, 1, dims, lbs,
											  a->elemtype, typlen, typbyval, typalign));
}

/* Was this row version committed before snap was taken (or written by us)? */
static bool
seen_by(TransactionId xmin, Snapshot snap)
{
	return TransactionIdIsCurrentTransactionId(xmin) || !XidInMVCCSnapshot(xmin, snap);
}

/* The refusals of one element, in the order the API has always checked them. */
static void
check_element(const Acting *acting, const AppAccess *access, const AnnotationRequest *req,
			  const AnnotationValues *row)
{
	const char *user_id;

	if (row == NULL ||
		(req->input_id != NULL && strcmp(req->input_id, TextDatumGetCString(row->values[AF_INPUT_ID])) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("%s: annotation \"%s\" not found %sin app \"%s\"", req->path, req->id,
						req->input_id ? psprintf("on input \"%s\" ", req->input_id) : "",
						access->app_id)));
	if (!row->nulls[AF_MODEL_VERSION_ID])
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s: annotation \"%s\" was written by model \"%s\" and cannot be patched",
						req->path, req->id, TextDatumGetCString(row->values[AF_MODEL_VERSION_ID])),
				 errhint("Label its region in a new annotation instead (post_annotations with the region id).")));
	user_id = row->nulls[AF_USER_ID] ? NULL : TextDatumGetCString(row->values[AF_USER_ID]);
	if (!acting_may_change(acting, access, user_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s: permission denied to patch annotation \"%s\" of user \"%s\"",
						req->path, req->id, user_id ? user_id : "<NULL>"),
				 errdetail("A collaborator patches only their own annotations; the app owner patches any user's.")));
	check_trusted(access, req);
	if (req->model_version_id != NULL ||
		(req->user_id != NULL && (user_id == NULL || strcmp(req->user_id, user_id) != 0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the author of annotation \"%s\" cannot be changed by a patch",
						req->path, req->id)));
}

/*
 * The element a locked row belongs to. The join says at which position
 * (from 1) of the sorted ids it found the row, and the id there must be
 * the row's; the one-table read (position NULL) does not, and the row's
 * id is looked for among the sorted ids.
 */
static int
locked_element(const AnnotationRequest *reqs, const int *order, int n,
			   const AnnotationValues *row, const Datum *position)
{
	const char *id = TextDatumGetCString(row->values[AF_ID]);
	int64		lo = position ? DatumGetInt64(*position) - 1 : 0;
	int64		hi = position ? lo : n - 1;

	while (lo >= 0 && hi < n && lo <= hi)
	{
		int64		mid = lo + (hi - lo) / 2;
		int			c = strcmp(reqs[order[mid]].id, id);

		if (c == 0)
			return order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	elog(ERROR, "the store returned annotation \"%s\", which the batch does not name%s",
		 id, position ? psprintf(" at position " INT64_FORMAT, DatumGetInt64(*position)) : "");
	return -1;
}

static int
by_seq(const void *a, const void *b)
{
	const AnnotationValues *x = *(const AnnotationValues *const *) a;
	const AnnotationValues *y = *(const AnnotationValues *const *) b;
	int64		sx = DatumGetInt64(x->values[AF_SEQ]);
	int64		sy = DatumGetInt64(y->values[AF_SEQ]);

	return sx < sy ? -1 : sx > sy ? 1 : 0;
}

/* Writes the batch's results: one statement per table and kind of change. */
static void
write_results(Datum app, Datum now, const AnnotationRequest *reqs, AnnotationValues **stored,
			  ItemPointerData *tids, PatchResult *results, const int *order, int n)
{
	bool		one_table = kept_via_citus();
	ArrayArg	ids, concepts, status, embed, task, info, frame_index, frame_time, where;
	ArrayArg	trusted, consensus;
	ArrayArg	unreg, reg_ann, reg_id, reg_input, reg_concepts, gone;
	ArrayArg	reg_geometry[SC_NCOLS];
	Datum		args[13];

	arg_init(&ids, TEXTOID, n);
	arg_init(&trusted, BOOLOID, n);
	arg_init(&consensus, JSONBOID, n);
	arg_init(&concepts, JSONBOID, n);
	arg_init(&status, one_table ? OIDOID : TEXTOID, n);
	arg_init(&embed, TEXTOID, n);
	arg_init(&task, TEXTOID, n);
	arg_init(&info, JSONBOID, n);
	arg_init(&frame_index, INT4OID, n);
	arg_init(&frame_time, INT4OID, n);
	arg_init(&where, TIDOID, n);
	arg_init(&unreg, TEXTOID, n);
	arg_init(&reg_ann, TEXTOID, n);
	arg_init(&reg_id, TEXTOID, n);
	arg_init(&reg_input, TEXTOID, n);
	for (int c = 0; c < SC_NCOLS; c++)
		arg_init(&reg_geometry[c], TEXTOID, n);
	arg_init(&reg_concepts, JSONBOID, n);
	arg_init(&gone, TEXTOID, n);

	/* in id order, which the one-table UPDATE's look-up by id needs */
	for (int k = 0; k < n; k++)
	{
		int			i = order[k];
		const AnnotationRequest *req = &reqs[i];
		PatchResult *res = &results[i];
		AnnotationValues *row = &res->row;

		CHECK_FOR_INTERRUPTS();
		if (res->deleted)
		{
			arg_add(&gone, stored[i]->values[AF_ID], false);
			continue;
		}
		arg_add(&ids, row->values[AF_ID], false);
		arg_add(&where, PointerGetDatum(&tids[i]), false);
		arg_add(&concepts, row->values[AF_CONCEPTS], !res->concepts_changed);
		if (one_table)
			arg_add(&status, row->values[AF_STATUS], req->status == NULL);
		else
			arg_text(&status, req->status ? req->status->label : NULL);
		arg_text(&embed, req->embed_model_version_id);
		arg_text(&task, req->task_id);
		arg_add(&info, row->values[AF_ANNOTATION_INFO], !res->info_changed);
		arg_add(&trusted, row->values[AF_TRUSTED], !req->trusted);
		arg_add(&consensus, row->values[AF_CONSENSUS_INFO], req->consensus_info == NULL);
		if (res->frame_changed)
		{
			arg_add(&frame_index, row->values[AF_FRAME_INDEX], row->nulls[AF_FRAME_INDEX]);
			arg_add(&frame_time, row->values[AF_FRAME_TIME], row->nulls[AF_FRAME_TIME]);
		}
		else
		{
			arg_add(&frame_index, Int32GetDatum(-1), false);
			arg_add(&frame_time, Int32GetDatum(-1), false);
		}
		if (res->region_removed)
			arg_add(&unreg, row->values[AF_ID], false);
		if (res->region_written)
		{
			char	   *texts[SC_NCOLS];

			arg_add(&reg_ann, row->values[AF_ID], false);
			arg_add(&reg_id, row->values[AF_REGION_ID], false);
			arg_add(&reg_input, row->values[AF_INPUT_ID], false);
			arg_add(&reg_concepts, row->values[AF_REGION_CONCEPTS], false);
			region_shape_texts(&res->region_shape, texts);
			for (int c = 0; c < SC_NCOLS; c++)
				arg_text(&reg_geometry[c], texts[c]);
		}
	}

	args[0] = app;
	if (ids.n > 0)
	{
		args[1] = arg_datum(&ids);
		args[2] = arg_datum(&concepts);
		args[3] = arg_datum(&status);
		args[4] = arg_datum(&embed);
		args[5] = arg_datum(&task);
		args[6] = arg_datum(&info);
		args[7] = arg_datum(&frame_index);
		args[8] = arg_datum(&frame_time);
		args[9] = arg_datum(&where);
		args[10] = arg_datum(&trusted);
		args[11] = arg_datum(&consensus);
		args[12] = now;
		kept_execute(one_table ? &update_annotations_one_table : &update_annotations,
					 args, NULL, false, 0);
		if (SPI_processed != (uint64) ids.n)
			elog(ERROR, "patched %d annotations, expected %d", (int) SPI_processed, ids.n);
	}
	/* regions are written only where the patch changed them */
	if (unreg.n > 0)
	{
		args[1] = arg_datum(&unreg);
		kept_execute(&delete_regions, args, NULL, false, 0);
	}
	if (reg_ann.n > 0)
	{
		args[1] = arg_datum(&reg_ann);
		args[2] = arg_datum(&reg_id);
		args[3] = arg_datum(&reg_input);
		args[4] = arg_datum(&reg_concepts);
		for (int c = 0; c < SC_NCOLS; c++)
			args[5 + c] = arg_datum(&reg_geometry[c]);
		kept_execute(&upsert_regions, args, NULL, false, 0);
	}
	if (gone.n > 0)
	{
		args[1] = arg_datum(&gone);
		kept_execute(&delete_annotations, args, NULL, false, 0);
	}
}

PG_FUNCTION_INFO_V1(annotations_patch_annotations);

/*
 * patch_annotations(app_id, action, annotations jsonb, delete_if_empty_data)
 *   → SETOF annotations.annotation: the patched annotations (not those
 *   deleted), oldest first.
 */
Datum
annotations_patch_annotations(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *action_name = api_text_arg(fcinfo, 1);
	Jsonb	   *batch = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	bool		delete_if_empty = !PG_ARGISNULL(3) && PG_GETARG_BOOL(3);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AnnotationShape shape;
	Acting		acting;
	AppAccess	access;
	PatchAction action;
	AnnotationRequest *reqs;
	int			n;
	ArrayArg	ids;
	Datum		args[2];
	int		   *order;
	ItemPointerData *tids;
	Snapshot	before;
	SPITupleTable *tt;
	AnnotationValues **stored;
	PatchResult *results;
	AnnotationValues **out;
	int			nout = 0;
	bool		regions_stale;
	bool		one_table = kept_via_citus();
	Oid			status_type;
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());

	InitMaterializedSRF(fcinfo, 0);
	annotation_shape(rsinfo->setDesc, &shape);

	acting_enter(&acting, app_id, &access);
	action = patch_action(action_name);
	/* the ids come back in lock order too (byte order, each once) */
	reqs = parse_annotation_batch(batch, REQUEST_PATCH, &n, &order);
	arg_init(&ids, TEXTOID, n);
	for (int k = 0; k < n; k++)
		arg_text(&ids, reqs[order[k]].id);
	args[0] = CStringGetTextDatum(app_id);
	args[1] = arg_datum(&ids);

	/*
	 * Lock and read; a row missing now was never there or was just
	 * deleted. The one-table lock of a cluster reads no region: the
	 * regions are read after it, as for a row committed after the
	 * statement's snapshot.
	 */
	before = RegisterSnapshot(GetTransactionSnapshot());
	kept_execute(one_table ? &lock_read_one_table : &lock_read, args, NULL, false, 0);
	regions_stale = one_table;
	tt = SPI_tuptable;
	status_type = SPI_gettypeid(tt->tupdesc, AF_STATUS + 1);
	stored = palloc0(sizeof(AnnotationValues *) * n);
	tids = palloc0(sizeof(ItemPointerData) * n);
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		AnnotationValues *row = palloc(sizeof(AnnotationValues));
		Datum		version[3];	/* xmin, ctid, position (not in one_table's) */
		int			i;

		CHECK_FOR_INTERRUPTS();
		annotation_from_spi_with(tt->vals[k], tt->tupdesc, row, version, one_table ? 2 : 3);
		i = locked_element(reqs, order, n, row, one_table ? NULL : &version[2]);
		if (stored[i] != NULL)
			elog(ERROR, "the store returned annotation \"%s\" twice", reqs[i].id);
		stored[i] = row;
		ItemPointerCopy((ItemPointer) DatumGetPointer(version[1]), &tids[i]);
		if (!seen_by(DatumGetTransactionId(version[0]), before))
			regions_stale = true;
	}
	UnregisterSnapshot(before);

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		check_element(&acting, &access, &reqs[i], stored[i]);
	}
	/*
	 * The regions again, for a batch where a concurrent patch committed
	 * after the locking statement's snapshot: that statement re-read the
	 * annotations it waited for, but not their regions. (After the
	 * one-table lock, the regions for the first time.)
	 */
	if (regions_stale)
		annotation_regions_read(args[0], stored, n, true);
	/* what a remove names is taken away, never added to the catalogue */
	if (action != PATCH_REMOVE)
		catalogue_fill_annotations(&access, reqs, n);

	results = palloc(sizeof(PatchResult) * n);
	out = palloc(sizeof(AnnotationValues *) * n);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		patch_apply(action, stored[i], status_type, &reqs[i], delete_if_empty, &results[i]);
		if (!results[i].deleted)
		{
			results[i].row.values[AF_MODIFIED_AT] = now;
			results[i].row.nulls[AF_MODIFIED_AT] = false;
			out[nout++] = &results[i].row;
		}
	}
	write_results(args[0], now, reqs, stored, tids, results, order, n);

	qsort(out, nout, sizeof(AnnotationValues *), by_seq);
	for (int i = 0; i < nout; i++)
		annotation_put(rsinfo, &shape, out[i]);
	acting_leave(&acting);
	return (Datum) 0;
}
