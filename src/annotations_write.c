/*
 * annotations_write.c — posting and deleting annotations: post_annotations,
 * delete_annotation, delete_annotations.
 *
 * A post goes request → resolve → store: the batch is parsed into
 * AnnotationRequest structs, the regions labeled by id are looked up, then
 * one INSERT per table. The inputs named are checked by the foreign key
 * of annotations, which locks each one (FOR KEY SHARE) as it finds it: an
 * input deleted concurrently is either gone before the check (reported as
 * not found) or deleted after the post commits (and takes the new
 * annotations with it). The key's refusal, and that of the primary key for
 * a taken id, are turned into the API's errors naming the request item.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "acting.h"
#include "catalogue.h"
#include "api.h"
#include "bbox.h"
#include "concepts.h"
#include "json_read.h"
#include "order.h"
#include "citus_route.h"
#include "plans.h"
#include "region_info.h"
#include "request.h"
#include "rows.h"
#include "store.h"

/* ---- arrays for the set-based statements ---- */

/* A text[] of n C strings (NULL elements where a string is NULL). */
static Datum
text_array(char **strs, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	bool	   *nulls = palloc(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};

	for (int i = 0; i < n; i++)
	{
		nulls[i] = (strs[i] == NULL);
		elems[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(strs[i]);
	}
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
}

/* A jsonb[] of n values (NULL elements where a value is NULL). */
static Datum
jsonb_array(Jsonb **vals, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	bool	   *nulls = palloc(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};

	for (int i = 0; i < n; i++)
	{
		nulls[i] = (vals[i] == NULL);
		elems[i] = nulls[i] ? (Datum) 0 : JsonbPGetDatum(vals[i]);
	}
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, JSONBOID, -1, false, TYPALIGN_INT));
}

/* An int4[] of n values, NULL where has[i] is false. */
static Datum
int4_array(const int32 *vals, const bool *has, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		elems[i] = Int32GetDatum(vals[i]);
	return api_nullable_array(elems, has, n, INT4OID);
}

static Datum
bool_array(const bool *vals, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	bool	   *has = palloc(sizeof(bool) * n);

	for (int i = 0; i < n; i++)
	{
		elems[i] = BoolGetDatum(vals[i]);
		has[i] = true;
	}
	return api_nullable_array(elems, has, n, BOOLOID);
}

static int
cmp_cstring(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* ---- post_annotations ---- */

/*
 * The inputs named, locked against deletion until the post commits. A row
 * deleted by a transaction that commits while this waits is skipped, so a
 * delete that won the race shows as "not found". Run only where the
 * foreign key cannot report a missing input first (see post_resolve_inputs).
 */
static KeptPlan post_inputs_lookup = {
	.sql = "SELECT i.id FROM annotations.inputs i"
	" WHERE i.app_id = $1 AND i.id = ANY ($2)"
	"   FOR KEY SHARE OF i",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

/*
 * Regions labeled by id: shape and frame of the earliest annotation on the
 * same input that has a region with that id.
 */
static KeptPlan post_regions_lookup = {
	.sql = "SELECT u.n, src.frame_index, src.frame_time, " SHAPE_COLUMNS("src")
	"  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) WITH ORDINALITY u(input_id, region_id, n)"
	"  JOIN LATERAL ("
	"       SELECT a.frame_index, a.frame_time, " SHAPE_COLUMNS("g")
	"         FROM annotations.regions g"
	"         JOIN annotations.annotations a ON a.app_id = $1 AND a.id = g.annotation_id"
	"        WHERE g.app_id = $1 AND g.input_id = u.input_id AND g.id = u.region_id"
	"        ORDER BY a.seq LIMIT 1"
	"       ) src ON true",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID}
};

/* The columns of a stored annotation given back (POSTED_COLUMNS), in this order. */
enum
{
	PR_ID, PR_INPUT_ID, PR_SEQ, PR_USER_ID, PR_MODEL_VERSION_ID, PR_EMBED_MODEL_VERSION_ID,
	PR_TASK_ID, PR_STATUS, PR_INPUT_LEVEL, PR_CONCEPTS, PR_FRAME_INDEX, PR_FRAME_TIME,
	PR_ANNOTATION_INFO, PR_CREATED_AT, PR_MODIFIED_AT, PR_TRUSTED, PR_CONSENSUS_INFO, PR_NCOLS
};

/*
 * The annotations, in request order (so seq follows it): the insert, the
 * columns given back, and the insert on one server, where a taken id and a
 * missing input stop it (the primary key and the foreign key refuse the
 * row; post_insert_refused names the item).
 */
#define POST_INSERT_ANNOTATIONS \
	"INSERT INTO annotations.annotations AS a" \
	"       (app_id, id, input_id, seq, user_id, model_version_id, embed_model_version_id," \
	"        task_id, status, concepts, frame_index, frame_time, annotation_info," \
	"        created_at, modified_at, trusted, consensus_info)" \
	" SELECT $1, u.id, u.input_id, u.seq, u.user_id, u.model_version_id, u.embed_model_version_id," \
	"        u.task_id, u.status::annotations.status, u.concepts, u.frame_index, u.frame_time," \
	"        COALESCE(u.annotation_info, '{}'::jsonb)," \
	"        COALESCE(u.created_at, pg_catalog.now())," \
	"        COALESCE(u.modified_at, u.created_at, pg_catalog.now())," \
	"        u.trusted, COALESCE(u.consensus_info, '{}'::jsonb)" \
	"   FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4)," \
	"                   pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7)," \
	"                   pg_catalog.unnest($8), pg_catalog.unnest($9), pg_catalog.unnest($10)," \
	"                   pg_catalog.unnest($11), pg_catalog.unnest($12), pg_catalog.unnest($13)," \
	"                   pg_catalog.unnest($14), pg_catalog.unnest($15), pg_catalog.unnest($16)," \
	"                   pg_catalog.unnest($17))" \
	"        WITH ORDINALITY u(id, input_id, user_id, model_version_id, embed_model_version_id," \
	"                          task_id, status, concepts, frame_index, frame_time, annotation_info," \
	"                          created_at, modified_at, seq, trusted, consensus_info, n)" \
	"  ORDER BY u.n"
#define POSTED_COLUMNS \
	"a.id, a.input_id, a.seq, a.user_id, a.model_version_id, a.embed_model_version_id," \
	" a.task_id, a.status, a.input_level, a.concepts, a.frame_index, a.frame_time," \
	" a.annotation_info, a.created_at, a.modified_at, a.trusted, a.consensus_info"
#define POST_INSERT_ARGTYPES \
	{TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, \
	 TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, JSONBARRAYOID, INT4ARRAYOID, \
	 INT4ARRAYOID, JSONBARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID, INT8ARRAYOID, \
	 BOOLARRAYOID, JSONBARRAYOID}

static KeptPlan post_insert_annotations = {
	.sql = POST_INSERT_ANNOTATIONS
	" RETURNING " POSTED_COLUMNS,
	.nargs = 17,
	.argtypes = POST_INSERT_ARGTYPES
};

/*
 * Where Citus runs: the insert alone, then the rows read back. Citus runs
 * an INSERT ... SELECT with RETURNING or ON CONFLICT by collecting the
 * rows and writing out an insert for every shard of the table, which cost
 * more than the insert itself; without them it copies the rows into the
 * app's shard. Taken ids were looked for before (kept_first_taken), and
 * the read-back is a one-table read Citus plans on the local shard.
 */
static KeptPlan post_insert_annotations_citus = {
	.sql = POST_INSERT_ANNOTATIONS,
	.nargs = 17,
	.argtypes = POST_INSERT_ARGTYPES
};

static KeptPlan posted_rows_citus = {
	.sql = "SELECT " POSTED_COLUMNS " FROM annotations.annotations a"
	" WHERE a.app_id = $1 AND a.id = ANY ($2) ORDER BY a.seq",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

/*
 * Inserts the annotations of args (post_insert_annotations's parameters);
 * SPI_tuptable holds the rows stored, in the order of POSTED_COLUMNS.
 */
static void
post_insert(Datum *args)
{
	if (!kept_via_citus())
	{
		kept_execute(&post_insert_annotations, args, NULL, false, 0);
		return;
	}
	kept_execute(&post_insert_annotations_citus, args, NULL, false, 0);
	kept_execute(&posted_rows_citus, args, NULL, false, 0);
}

/* Shapes travel as text, like boxes: only built-in parameter types. */
static KeptPlan post_insert_regions = {
	.sql = "INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, concepts,"
	"                                 bbox, polygon, point, mask, iscrowd)"
	" SELECT $1, u.annotation_id, u.id, u.input_id, u.concepts, u.bbox, u.polygon, u.point, u.mask,"
	"        u.iscrowd"
	"   FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
	"                   pg_catalog.unnest($5), pg_catalog.unnest($6::annotations.bbox[]),"
	"                   pg_catalog.unnest($7::annotations.polygon[]),"
	"                   pg_catalog.unnest($8::annotations.keypoint[]),"
	"                   pg_catalog.unnest($9::annotations.mask[]), pg_catalog.unnest($10))"
	"        u(annotation_id, id, input_id, concepts, bbox, polygon, point, mask, iscrowd)",
	.nargs = 10,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, JSONBARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, BOOLARRAYOID}
};

/* where Citus is installed: taken ids, looked for before the insert */
static KeptPlan taken_annotations = {
	.sql = "SELECT u.n FROM pg_catalog.unnest($2) WITH ORDINALITY AS u(id, n)"
	" WHERE EXISTS (SELECT 1 FROM annotations.annotations a WHERE a.app_id = $1 AND a.id = u.id)"
	" ORDER BY u.n LIMIT 1",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

static pg_attribute_noreturn() void
annotation_taken(const AnnotationRequest *req, const char *app_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("%s.id: annotation \"%s\" already exists in app \"%s\"",
					req->path, req->id, app_id)));
}

static pg_attribute_noreturn() void
input_missing(const AnnotationRequest *req, const char *app_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("%s.input_id: input \"%s\" not found in app \"%s\"",
					req->path, req->input_id, app_id)));
}

/* One stored annotation: its RETURNING row and the request it came from. */
typedef struct PostedRow
{
	int64		seq;
	int			req;
	HeapTuple	tup;
} PostedRow;

static int
cmp_posted(const void *a, const void *b)
{
	int64		x = ((const PostedRow *) a)->seq;
	int64		y = ((const PostedRow *) b)->seq;

	return (x > y) - (x < y);
}

/*
 * trusted vouches for a label beyond review, so only the owner sets it
 * (a post) or changes it (a patch); anyone else gets 42501.
 */
void
check_trusted(const AppAccess *access, const AnnotationRequest *req)
{
	if (req->trusted && access->role != APP_ROLE_OWNER)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s.trusted: only the owner of app \"%s\" may mark annotations trusted",
						req->path, access->app_id),
				 errhint("Leave trusted out (or false).")));
}

/*
 * Dates given with a post keep those of labels and inputs migrated from
 * elsewhere; only the owner may give them (42501 for anyone else).
 */
void
check_dates(const AppAccess *access, const char *path, bool has_created_at, bool has_modified_at,
			const char *what)
{
	if ((has_created_at || has_modified_at) && access->role != APP_ROLE_OWNER)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s.%s: only the owner of app \"%s\" may post %s with their own dates",
						path, has_created_at ? "created_at" : "modified_at", access->app_id, what),
				 errhint("Leave created_at and modified_at out (or \"\"): a post is dated by the time of the call.")));
}

/* Only the owner names another author (user or model), dates or trusts a label. */
static void
post_check_authors(const Acting *acting, const AppAccess *access,
				   const AnnotationRequest *reqs, int n)
{
	if (access->role == APP_ROLE_OWNER)
		return;
	for (int i = 0; i < n; i++)
	{
		const AnnotationRequest *r = &reqs[i];

		check_trusted(access, r);

		check_dates(access, r->path, r->has_created_at, r->has_modified_at, "annotations");
		if (r->model_version_id == NULL &&
			(r->user_id == NULL || strcmp(r->user_id, acting->user_name) == 0))
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s: only the owner of app \"%s\" may post annotations written by %s",
						r->path, access->app_id,
						r->model_version_id != NULL
						? psprintf("model version \"%s\"", r->model_version_id)
						: psprintf("another user (\"%s\")", r->user_id))));
	}
}

/*
 * Every input named exists (and stays until this transaction ends). The
 * foreign key of annotations checks that too, and on one server that is
 * the only check. The inputs are looked up first where a region labeled by
 * id is resolved before the insert (a missing input is reported before a
 * missing region, as it is the more basic mistake) and where Citus runs
 * (its workers' refusals name shards, not the tables).
 */
static void
post_resolve_inputs(Datum app, const char *app_id, const AnnotationRequest *reqs, int n)
{
	char	  **names = palloc(sizeof(char *) * n);
	char	  **found;
	int			nfound;
	Datum		args[2];
	bool		labels = false;

	for (int i = 0; i < n; i++)
	{
		names[i] = reqs[i].input_id;
		labels |= reqs[i].region.present && !reqs[i].region.has_shape;
	}
	if (!labels && !kept_via_citus())
		return;
	args[0] = app;
	args[1] = text_array(names, n);
	kept_execute(&post_inputs_lookup, args, NULL, false, 0);
	nfound = (int) SPI_processed;
	found = palloc(sizeof(char *) * (nfound + 1));
	for (int k = 0; k < nfound; k++)
	{
		bool		isnull;

		found[k] = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1, &isnull));
	}
	qsort(found, nfound, sizeof(char *), cmp_cstring);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (nfound == 0 || bsearch(&reqs[i].input_id, found, nfound, sizeof(char *), cmp_cstring) == NULL)
			input_missing(&reqs[i], app_id);
	}
}

/*
 * A region named by id without geometry labels an existing region: take
 * its shape (and frame) from the earliest annotation on the input that has
 * it. The labeled region's frame wins; the request's only where it has
 * none.
 */
static void
post_resolve_regions(Datum app, AnnotationRequest *reqs, int n)
{
	int		   *which = palloc(sizeof(int) * n);
	char	  **inputs = palloc(sizeof(char *) * n);
	char	  **regions = palloc(sizeof(char *) * n);
	bool	   *resolved;
	int			m = 0;
	Datum		args[3];

	for (int i = 0; i < n; i++)
		if (reqs[i].region.present && !reqs[i].region.has_shape)
		{
			which[m] = i;
			inputs[m] = reqs[i].input_id;
			regions[m] = reqs[i].region.id;
			m++;
		}
	if (m == 0)
		return;
	args[0] = app;
	args[1] = text_array(inputs, m);
	args[2] = text_array(regions, m);
	kept_execute(&post_regions_lookup, args, NULL, true, 0);
	resolved = palloc0(sizeof(bool) * m);
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		bool		no_index;
		bool		no_time;
		int64		pos = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		Datum		index = SPI_getbinval(tup, desc, 2, &no_index);
		Datum		time = SPI_getbinval(tup, desc, 3, &no_time);
		ShapeDatums shape;
		AnnotationRequest *r;

		if (pos < 1 || pos > m)
			elog(ERROR, "region look-up returned position " INT64_FORMAT " of %d", pos, m);
		r = &reqs[which[pos - 1]];
		resolved[pos - 1] = true;
		for (int c = 0; c < SC_NCOLS; c++)
			shape.values[c] = SPI_getbinval(tup, desc, 4 + c, &shape.nulls[c]);
		region_shape_from_datums(&shape, &r->region.shape, "region \"%s\" of input \"%s\"",
								 r->region.id, r->input_id);
		r->region.has_shape = true;
		if (!no_index || !no_time)
		{
			r->has_frame = true;
			r->has_frame_index = !no_index;
			r->frame_index = no_index ? 0 : DatumGetInt32(index);
			r->has_frame_time = !no_time;
			r->frame_time = no_time ? 0 : DatumGetInt32(time);
		}
	}
	for (int k = 0; k < m; k++)
	{
		const AnnotationRequest *r = &reqs[which[k]];

		if (resolved[k])
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("%s.data.%sregions[0].id: region \"%s\" not found on input \"%s\"",
						r->path, r->has_frame ? "frames[0].data." : "",
						r->region.id, r->input_id),
				 errhint("To label an existing region, give the id of a region listed on the same input.")));
	}
}

/*
 * What a refusal of the annotations insert says in its detail when the
 * request r caused it, in the server's language: the primary key's for a
 * taken id, the foreign key's for a missing input.
 */
static char *
refusal_detail(bool taken, const char *app_id, const AnnotationRequest *r)
{
	if (taken)
		return psprintf(_("Key %s already exists."),
						psprintf("(app_id, id)=(%s, %s)", app_id, r->id));
	return psprintf(_("Key (%s)=(%s) is not present in table \"%s\"."),
					"app_id, input_id", psprintf("%s, %s", app_id, r->input_id),
					route_relname("inputs"));
}

/*
 * Turns a refusal of the annotations insert into the API's error for the
 * request that caused it (the first in request order: rows are inserted,
 * and their keys checked, in that order); returns if it is another error.
 * The transaction is failing already, so this reads nothing: the request
 * is found by the key the refusal's detail names.
 */
static void
post_insert_refused(const ErrorData *edata, const char *app_id, const AnnotationRequest *reqs, int n)
{
	bool		taken = edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION;

	if ((!taken && edata->sqlerrcode != ERRCODE_FOREIGN_KEY_VIOLATION) || edata->detail == NULL)
		return;
	for (int i = 0; i < n; i++)
	{
		if (strcmp(edata->detail, refusal_detail(taken, app_id, &reqs[i])) != 0)
			continue;
		FlushErrorState();
		if (taken)
			annotation_taken(&reqs[i], app_id);
		input_missing(&reqs[i], app_id);
	}
}

/* Runs the annotations insert; its refusals name the request item. */
static void
post_insert_run(Datum *args, const char *app_id, const AnnotationRequest *reqs, int n)
{
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		post_insert(args);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		post_insert_refused(CopyErrorData(), app_id, reqs, n);
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/* Inserts the annotations; returns their rows, oldest first. */
static PostedRow *
post_store_annotations(Datum app, const char *app_id, const Acting *acting,
					   const AnnotationRequest *reqs, int n, TupleDesc *rows_desc)
{
	char	  **ids = palloc(sizeof(char *) * n);
	char	  **inputs = palloc(sizeof(char *) * n);
	char	  **users = palloc(sizeof(char *) * n);
	char	  **models = palloc(sizeof(char *) * n);
	char	  **embeds = palloc(sizeof(char *) * n);
	char	  **tasks = palloc(sizeof(char *) * n);
	char	  **statuses = palloc(sizeof(char *) * n);
	Jsonb	  **concepts = palloc(sizeof(Jsonb *) * n);
	int32	   *frame_index = palloc(sizeof(int32) * n);
	bool	   *has_index = palloc(sizeof(bool) * n);
	int32	   *frame_time = palloc(sizeof(int32) * n);
	bool	   *has_time = palloc(sizeof(bool) * n);
	Jsonb	  **infos = palloc(sizeof(Jsonb *) * n);
	TimestampTz *created = palloc(sizeof(TimestampTz) * n);
	bool	   *has_created = palloc(sizeof(bool) * n);
	TimestampTz *modified = palloc(sizeof(TimestampTz) * n);
	bool	   *has_modified = palloc(sizeof(bool) * n);
	bool	   *stored = palloc0(sizeof(bool) * n);
	PostedRow  *rows;
	bool	   *trusted = palloc(sizeof(bool) * n);
	Jsonb	  **consensus = palloc(sizeof(Jsonb *) * n);
	Datum		args[17];
	int			next = 0;
	int			taken;

	for (int i = 0; i < n; i++)
	{
		const AnnotationRequest *r = &reqs[i];

		CHECK_FOR_INTERRUPTS();
		ids[i] = r->id;
		inputs[i] = r->input_id;
		/* a user writes it unless a model does; by default the acting user */
		users[i] = r->model_version_id != NULL ? NULL
			: (r->user_id != NULL ? r->user_id : acting->user_name);
		models[i] = r->model_version_id;
		embeds[i] = r->embed_model_version_id;
		tasks[i] = r->task_id;
		statuses[i] = (char *) (r->status != NULL ? r->status->label : "success");
		concepts[i] = concepts_to_jsonb(&r->concepts);
		frame_index[i] = r->frame_index;
		has_index[i] = r->has_frame_index;
		frame_time[i] = r->frame_time;
		has_time[i] = r->has_frame_time;
		infos[i] = r->annotation_info;
		created[i] = r->created_at;
		has_created[i] = r->has_created_at;
		modified[i] = r->modified_at;
		has_modified[i] = r->has_modified_at;
		trusted[i] = r->trusted;
		consensus[i] = r->consensus_info;
	}
	args[0] = app;
	args[1] = text_array(ids, n);
	args[2] = text_array(inputs, n);
	args[3] = text_array(users, n);
	args[4] = text_array(models, n);
	args[5] = text_array(embeds, n);
	args[6] = text_array(tasks, n);
	args[7] = text_array(statuses, n);
	args[8] = jsonb_array(concepts, n);
	args[9] = int4_array(frame_index, has_index, n);
	args[10] = int4_array(frame_time, has_time, n);
	args[11] = jsonb_array(infos, n);
	args[12] = api_timestamptz_array(created, has_created, n);
	args[13] = api_timestamptz_array(modified, has_modified, n);
	taken = kept_first_taken(&taken_annotations, args);
	if (taken >= 0)
		annotation_taken(&reqs[taken], app_id);
	args[14] = order_take(app_id, n);
	args[15] = bool_array(trusted, n);
	args[16] = jsonb_array(consensus, n);
	post_insert_run(args, app_id, reqs, n);
	/* the result stays until SPI_finish, past the regions insert */
	*rows_desc = SPI_tuptable->tupdesc;
	rows = palloc(sizeof(PostedRow) * (n + 1));
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *id = TextDatumGetCString(SPI_getbinval(tup, desc, PR_ID + 1, &isnull));
		int			j = next;

		/* rows come back in request order; look further only if not */
		while (j < n && strcmp(ids[j], id) != 0)
			j++;
		if (j == n)
			for (j = 0; j < n && strcmp(ids[j], id) != 0; j++)
				;
		if (j == n || stored[j])
			elog(ERROR, "an inserted annotation \"%s\" matches no request", id);
		stored[j] = true;
		next = j + 1;
		rows[k].req = j;
		rows[k].tup = tup;
		rows[k].seq = DatumGetInt64(SPI_getbinval(tup, desc, PR_SEQ + 1, &isnull));
	}
	if (SPI_processed < (uint64) n)
		for (int i = 0; i < n; i++)
			if (!stored[i])
				annotation_taken(&reqs[i], app_id);
	qsort(rows, n, sizeof(PostedRow), cmp_posted);
	return rows;
}

/* Inserts the regions of the annotations (all of them were stored). */
static void
post_store_regions(Datum app, const AnnotationRequest *reqs, int n, Jsonb **region_concepts)
{
	char	  **ids = palloc(sizeof(char *) * n);
	char	  **regions = palloc(sizeof(char *) * n);
	char	  **inputs = palloc(sizeof(char *) * n);
	char	  **geometry[SC_NCOLS];
	Jsonb	  **concepts = palloc(sizeof(Jsonb *) * n);
	bool	   *crowd = palloc(sizeof(bool) * n);
	int			m = 0;
	Datum		args[6 + SC_NCOLS];

	for (int c = 0; c < SC_NCOLS; c++)
		geometry[c] = palloc(sizeof(char *) * n);

	for (int i = 0; i < n; i++)
	{
		const AnnotationRequest *r = &reqs[i];

		CHECK_FOR_INTERRUPTS();
		if (!r->region.present)
			continue;
		ids[m] = r->id;
		regions[m] = r->region.id;
		inputs[m] = r->input_id;
		{
			char	   *texts[SC_NCOLS];

			region_shape_texts(&r->region.shape, texts);
			for (int c = 0; c < SC_NCOLS; c++)
				geometry[c][m] = texts[c];
		}
		concepts[m] = region_concepts[i];
		crowd[m] = r->region.iscrowd;
		m++;
	}
	if (m == 0)
		return;
	args[0] = app;
	args[1] = text_array(ids, m);
	args[2] = text_array(regions, m);
	args[3] = text_array(inputs, m);
	args[4] = jsonb_array(concepts, m);
	for (int c = 0; c < SC_NCOLS; c++)
		args[5 + c] = text_array(geometry[c], m);
	args[5 + SC_NCOLS] = bool_array(crowd, m);
	kept_execute(&post_insert_regions, args, NULL, false, 0);
}

/*
 * Stores parsed annotations: author rules, references resolved, one INSERT
 * per table; the result rows (when asked for) oldest first.
 */
void
store_annotations(const Acting *acting, const AppAccess *access, const char *app_id,
				  AnnotationRequest *reqs, int n,
				  ReturnSetInfo *rsinfo, const AnnotationShape *shape)
{
	Jsonb	  **region_concepts;
	PostedRow  *rows;
	TupleDesc	rows_desc;
	Datum		app = CStringGetTextDatum(app_id);

	post_check_authors(acting, access, reqs, n);
	post_resolve_inputs(app, app_id, reqs, n);
	post_resolve_regions(app, reqs, n);
	catalogue_fill_annotations(access, reqs, n);

	region_concepts = palloc0(sizeof(Jsonb *) * n);
	for (int i = 0; i < n; i++)
		if (reqs[i].region.present)
			region_concepts[i] = concepts_to_jsonb(&reqs[i].region.concepts);
	rows = post_store_annotations(app, app_id, acting, reqs, n, &rows_desc);
	post_store_regions(app, reqs, n, region_concepts);
	if (rsinfo == NULL)
		return;

	for (int k = 0; k < n; k++)
	{
		const AnnotationRequest *r = &reqs[rows[k].req];
		HeapTuple	tup = rows[k].tup;
		AnnotationValues row;
		static const struct
		{
			AnnotationField field;
			int			col;
		}			from_returning[] = {
			{AF_ID, PR_ID}, {AF_INPUT_ID, PR_INPUT_ID}, {AF_SEQ, PR_SEQ},
			{AF_USER_ID, PR_USER_ID}, {AF_MODEL_VERSION_ID, PR_MODEL_VERSION_ID},
			{AF_EMBED_MODEL_VERSION_ID, PR_EMBED_MODEL_VERSION_ID}, {AF_TASK_ID, PR_TASK_ID},
			{AF_STATUS, PR_STATUS}, {AF_INPUT_LEVEL, PR_INPUT_LEVEL}, {AF_CONCEPTS, PR_CONCEPTS},
			{AF_FRAME_INDEX, PR_FRAME_INDEX}, {AF_FRAME_TIME, PR_FRAME_TIME},
			{AF_ANNOTATION_INFO, PR_ANNOTATION_INFO}, {AF_CREATED_AT, PR_CREATED_AT},
			{AF_MODIFIED_AT, PR_MODIFIED_AT}, {AF_TRUSTED, PR_TRUSTED},
			{AF_CONSENSUS_INFO, PR_CONSENSUS_INFO}
		};

		CHECK_FOR_INTERRUPTS();
		row.values[AF_APP_ID] = app;
		row.nulls[AF_APP_ID] = false;
		for (int f = 0; f < (int) lengthof(from_returning); f++)
			row.values[from_returning[f].field] =
				heap_getattr(tup, from_returning[f].col + 1, rows_desc,
							 &row.nulls[from_returning[f].field]);
		row.nulls[AF_REGION_ID] = row.nulls[AF_REGION_CONCEPTS] = !r->region.present;
		row.nulls[AF_BBOX] = row.nulls[AF_POLYGON] = row.nulls[AF_POINT] = row.nulls[AF_MASK] = true;
		if (r->region.present)
		{
			ShapeDatums geometry;

			region_shape_datums(&r->region.shape, &geometry);
			annotation_set_shape(&row, &geometry);
			row.values[AF_REGION_ID] = CStringGetTextDatum(r->region.id);
			row.values[AF_REGION_CONCEPTS] = JsonbPGetDatum(region_concepts[rows[k].req]);
		}
		annotation_put(rsinfo, shape, &row);
	}
}

PG_FUNCTION_INFO_V1(annotations_post_annotations);

/* post_annotations(app_id, annotations jsonb): the stored rows, oldest first. */
Datum
annotations_post_annotations(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	Jsonb	   *batch = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	ReturnSetInfo *rsinfo;
	AnnotationShape shape;
	Acting		acting;
	AppAccess	access;
	AnnotationRequest *reqs;
	int			n;

	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	annotation_shape(rsinfo->setDesc, &shape);

	acting_enter(&acting, app_id, &access);
	reqs = parse_annotation_batch(batch, REQUEST_POST, &n, NULL);
	store_annotations(&acting, &access, app_id, reqs, n, rsinfo, &shape);
	acting_leave(&acting);
	return (Datum) 0;
}

/* ---- deleting ---- */

static pg_attribute_noreturn() void
refuse_delete(const char *prefix, const char *annotation_id, const char *app_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("%spermission denied to delete annotation \"%s\" of app \"%s\"",
					prefix, annotation_id, app_id),
			 errdetail("A collaborator deletes only their own annotations; the app owner deletes any.")));
}

/* The row is locked so a concurrent delete shows as "not found". */
static KeptPlan delete_one_lookup = {
	.sql = "SELECT a.user_id, a.input_level FROM annotations.annotations a"
	" WHERE a.app_id = $1 AND a.id = $2 AND a.input_id = $3"
	"   FOR UPDATE OF a",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTOID, TEXTOID}
};

static KeptPlan delete_one = {
	.sql = "DELETE FROM annotations.annotations a WHERE a.app_id = $1 AND a.id = $2",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTOID}
};

PG_FUNCTION_INFO_V1(annotations_delete_annotation);

/* delete_annotation(app_id, input_id, annotation_id) */
Datum
annotations_delete_annotation(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *input_id = api_text_arg(fcinfo, 1);
	char	   *annotation_id = api_text_arg(fcinfo, 2);
	Acting		acting;
	AppAccess	access;
	Datum		args[3];
	bool		isnull;
	char	   *author;
	bool		input_level;

	acting_enter(&acting, app_id, &access);
	jr_check_id(input_id, "input_id");
	jr_check_id(annotation_id, "annotation_id");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(annotation_id);
	args[2] = CStringGetTextDatum(input_id);
	kept_execute(&delete_one_lookup, args, NULL, false, 0);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("annotation \"%s\" not found on input \"%s\" in app \"%s\"",
						annotation_id, input_id, app_id)));
	author = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	input_level = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	if (input_level)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("annotation \"%s\" is the input-level annotation of input \"%s\"",
						annotation_id, input_id),
				 errdetail("An input-level annotation is deleted only with its input (delete_inputs).")));
	if (!acting_may_change(&acting, &access, author))
		refuse_delete("", annotation_id, app_id);
	kept_execute(&delete_one, args, NULL, false, 0);
	acting_leave(&acting);
	PG_RETURN_VOID();
}

static KeptPlan delete_inputs_missing = {
	.sql = "SELECT u.i FROM pg_catalog.unnest($2) WITH ORDINALITY u(i, n)"
	" WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs x WHERE x.app_id = $1 AND x.id = u.i)"
	" ORDER BY u.n LIMIT 1",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

/* Every annotation of the inputs the acting user may delete, but input-level ones. */
static KeptPlan delete_of_inputs = {
	.sql = "DELETE FROM annotations.annotations a"
	" WHERE a.app_id = $1 AND a.input_id = ANY ($2) AND NOT a.input_level"
	"   AND ($3 OR a.user_id = $4)",
	.nargs = 4,
	.argtypes = {TEXTOID, TEXTARRAYOID, BOOLOID, TEXTOID}
};

static KeptPlan delete_pairs_lookup = {
	.sql = "SELECT p.i, p.a, x.id IS NOT NULL, x.user_id, x.input_level"
	"  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) WITH ORDINALITY p(i, a, n)"
	"  LEFT JOIN annotations.annotations x ON x.app_id = $1 AND x.id = p.a AND x.input_id = p.i"
	" ORDER BY p.n",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID}
};

static KeptPlan delete_pairs = {
	.sql = "DELETE FROM annotations.annotations a"
	" WHERE a.app_id = $1 AND (a.input_id, a.id) IN"
	"       (SELECT p.i, p.a FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) p(i, a))",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID}
};

/* An array argument's elements must not be NULL (searched as a flat list). */
static void
require_no_nulls(ArrayType *arr, const char *what)
{
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("searching for elements in multidimensional arrays is not supported")));
	if (array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain NULL", what)));
}

PG_FUNCTION_INFO_V1(annotations_delete_annotations);

/* delete_annotations(app_id, input_ids, ids DEFAULT NULL): how many were deleted. */
Datum
annotations_delete_annotations(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	ArrayType  *input_ids = PG_ARGISNULL(1) ? NULL : PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *ids = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
	Acting		acting;
	AppAccess	access;
	Datum		args[4];
	int			n_inputs;
	int64		count;

	acting_enter(&acting, app_id, &access);
	n_inputs = input_ids ? ArrayGetNItems(ARR_NDIM(input_ids), ARR_DIMS(input_ids)) : 0;
	if (n_inputs == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("input_ids must not be empty")));
	require_no_nulls(input_ids, "input_ids");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = PointerGetDatum(input_ids);

	if (ids == NULL)
	{
		kept_execute(&delete_inputs_missing, args, NULL, true, 1);
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_NO_DATA_FOUND),
					 errmsg("input \"%s\" not found in app \"%s\"",
							SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), app_id)));
		args[2] = BoolGetDatum(access.role == APP_ROLE_OWNER);
		args[3] = CStringGetTextDatum(acting.user_name);
		kept_execute(&delete_of_inputs, args, NULL, false, 0);
	}
	else
	{
		int			n_ids = ArrayGetNItems(ARR_NDIM(ids), ARR_DIMS(ids));

		if (n_ids != n_inputs)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ids and input_ids must have the same length (%d ids, %d input_ids)",
							n_ids, n_inputs),
					 errdetail("Annotations are named by (input_ids[i], ids[i]) pairs.")));
		require_no_nulls(ids, "ids");
		args[2] = PointerGetDatum(ids);
		kept_execute(&delete_pairs_lookup, args, NULL, true, 0);
		/* the first pair with a problem decides the error */
		for (uint64 k = 0; k < SPI_processed; k++)
		{
			HeapTuple	tup = SPI_tuptable->vals[k];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			char	   *input_id = SPI_getvalue(tup, desc, 1);
			char	   *annotation_id = SPI_getvalue(tup, desc, 2);

			CHECK_FOR_INTERRUPTS();
			if (!DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull)))
				ereport(ERROR,
						(errcode(ERRCODE_NO_DATA_FOUND),
						 errmsg("ids[%d]: annotation \"%s\" not found on input \"%s\" in app \"%s\"",
								(int) k, annotation_id, input_id, app_id)));
			if (DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("ids[%d]: annotation \"%s\" is the input-level annotation of input \"%s\"",
								(int) k, annotation_id, input_id),
						 errdetail("An input-level annotation is deleted only with its input (delete_inputs).")));
			if (!acting_may_change(&acting, &access, SPI_getvalue(tup, desc, 4)))
				refuse_delete(psprintf("ids[%d]: ", (int) k), annotation_id, app_id);
		}
		kept_execute(&delete_pairs, args, NULL, false, 0);
	}
	count = (int64) SPI_processed;
	acting_leave(&acting);
	PG_RETURN_INT64(count);
}
