/*
 * catalogue.c — the concept catalogue of each app: post_concepts,
 * list_concepts, set_closed_vocabulary, and the fill that every write
 * (post, patch, post_inputs, import_coco) runs for the concepts it uses.
 *
 * A concept's coco_id is handed out once from a counter on the app's own
 * row (apps.last_coco_id), so concurrent writers in one app take turns only
 * when they add new concepts, and writers in other apps never wait for
 * each other. The counter is kept at least as high as every coco_id in the
 * catalogue, so a coco_id given explicitly is never handed out again.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "acting.h"
#include "api.h"
#include "catalogue.h"
#include "citus_catalogue.h"
#include "coco.h"
#include "json_read.h"
#include "plans.h"
#include "tablerow.h"
#include "visible.h"

/* A text[] of n C strings, NULL elements where a string is NULL. */
static Datum
strings_array(const char *const *strs, int n)
{
	ArrayBuildState *ab = initArrayResult(TEXTOID, CurrentMemoryContext, false);

	for (int i = 0; i < n; i++)
		accumArrayResult(ab, strs[i] ? CStringGetTextDatum(strs[i]) : (Datum) 0, strs[i] == NULL,
						 TEXTOID, CurrentMemoryContext);
	return makeArrayResult(ab, CurrentMemoryContext);
}

/* An int4[] of n values, NULL elements where given[i] is false. */
static Datum
ints_array(const int32 *vals, const bool *given, int n)
{
	ArrayBuildState *ab = initArrayResult(INT4OID, CurrentMemoryContext, false);

	for (int i = 0; i < n; i++)
		accumArrayResult(ab, Int32GetDatum(vals[i]), !given[i], INT4OID, CurrentMemoryContext);
	return makeArrayResult(ab, CurrentMemoryContext);
}

/*
 * The batch's concepts (each once) that are not catalogued yet get the next coco_ids of
 * the app, in order of first use; the counter row is updated only when
 * there are such concepts and the vocabulary is open. When it is closed
 * the statement adds nothing and returns the first concept it would have
 * added. A concurrent writer that added the same concept first wins (ON
 * CONFLICT): its coco_id stays, the one taken here is left unused. Each
 * concept is looked up by the catalogue's key (OFFSET 0 keeps the look-up a
 * probe per concept): a hash of the app's whole catalogue would make every
 * write cost more as the catalogue grows.
 */
static KeptPlan fill_plan = {
	.sql = "WITH u AS ("
	"       SELECT DISTINCT ON (u.id) u.id, u.name, u.n"
	"         FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) WITH ORDINALITY u(id, name, n)"
	"        ORDER BY u.id, u.n),"
	"     missing AS ("
	"       SELECT u.id, u.name, u.n, pg_catalog.row_number() OVER (ORDER BY u.n) AS k"
	"         FROM u"
	"        WHERE NOT EXISTS (SELECT 1 FROM annotations.concepts c"
	"                           WHERE c.app_id = $1 AND c.id = u.id OFFSET 0)),"
	"     counter AS ("
	"       UPDATE annotations.apps a"
	"          SET last_coco_id = a.last_coco_id + (SELECT pg_catalog.count(*) FROM missing)"
	"        WHERE a.id = $1 AND NOT a.closed_vocabulary AND EXISTS (SELECT 1 FROM missing)"
	"    RETURNING a.last_coco_id - (SELECT pg_catalog.count(*) FROM missing) AS base),"
	"     added AS ("
	"       INSERT INTO annotations.concepts (app_id, id, name, coco_id)"
	"       SELECT $1, m.id, m.name, c.base + m.k FROM missing m, counter c"
	"        ORDER BY m.k"
	"       ON CONFLICT DO NOTHING)"
	" SELECT m.id, m.n FROM missing m"
	"  WHERE NOT EXISTS (SELECT 1 FROM counter)"
	"  ORDER BY m.n LIMIT 1",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID}
};

/* ---- what this backend knows to be catalogued ---- */

/*
 * A write whose concepts are all catalogued already needs no statement for
 * them. A concept leaves an app's catalogue only with the app, and an app
 * created again under the same id has another creation time (the start of
 * the transaction that created it) unless the transaction that deleted it
 * created it again (so delete_app forgets everything, catalogue_forget), so a concept this backend saw
 * catalogued, in an app of that id and creation time, still is, once the
 * transaction that saw it has committed: what a write makes sure of is
 * entered at once (its own transaction sees the rows it added) and removed
 * again when that transaction, or any subtransaction, rolls back. Entries
 * are made during the write, so nothing is allocated when a transaction
 * ends. The key is the creation time, the app id and the concept id, each
 * id ending in a NUL; longer keys are not remembered, and a full table is
 * emptied, which only makes the next writes run their statement again.
 */
#define KNOWN_KEY_LEN 128
#define KNOWN_MAX 16384

typedef struct KnownKey
{
	char		bytes[KNOWN_KEY_LEN];
} KnownKey;

static HTAB *known = NULL;
static KnownKey *pending = NULL;	/* entered by the open transaction */
static int	npending = 0;
static int	pending_size = 0;

static bool
known_key(const AppAccess *access, const char *concept, KnownKey *key)
{
	size_t		app_len = strlen(access->app_id) + 1;
	size_t		concept_len = strlen(concept) + 1;
	size_t		at = sizeof(TimestampTz);

	if (at + app_len + concept_len > KNOWN_KEY_LEN)
		return false;
	memset(key->bytes, 0, KNOWN_KEY_LEN);
	memcpy(key->bytes, &access->created_at, at);
	memcpy(key->bytes + at, access->app_id, app_len);
	memcpy(key->bytes + at + app_len, concept, concept_len);
	return true;
}

static bool
known_has(const AppAccess *access, const char *concept)
{
	KnownKey	key;

	return known != NULL && known_key(access, concept, &key) &&
		hash_search(known, &key, HASH_FIND, NULL) != NULL;
}

/* Keeps (commit) or removes (rollback) what the transaction entered. */
static void
known_settle(bool commit)
{
	for (int i = 0; !commit && i < npending; i++)
		hash_search(known, &pending[i], HASH_REMOVE, NULL);
	npending = 0;
}

static void
known_xact_end(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT)
		known_settle(true);
	else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
			 event == XACT_EVENT_PREPARE)
		known_settle(false);
}

static void
known_subxact_end(SubXactEvent event, SubTransactionId sub, SubTransactionId parent, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		known_settle(false);
}

static void
known_create(void)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(KnownKey);
	ctl.entrysize = sizeof(KnownKey);
	known = hash_create("annotations catalogued concepts", 1024, &ctl, HASH_ELEM | HASH_BLOBS);
	pending_size = 64;
	pending = MemoryContextAlloc(TopMemoryContext, sizeof(KnownKey) * pending_size);
	RegisterXactCallback(known_xact_end, NULL);
	RegisterSubXactCallback(known_subxact_end, NULL);
}

/*
 * Forgets every concept remembered, which only makes the next writes run
 * their statement again. Deleting an app calls it: an app created again
 * under the same id in the transaction that deleted it has the same
 * creation time (that transaction's start) and an empty catalogue.
 */
void
catalogue_forget(void)
{
	HASH_SEQ_STATUS scan;
	KnownKey   *entry;

	if (known == NULL)
		return;
	hash_seq_init(&scan, known);
	while ((entry = hash_seq_search(&scan)) != NULL)
		hash_search(known, entry, HASH_REMOVE, NULL);
	npending = 0;
}

/* Enters a concept this transaction has made sure of. */
static void
known_pend(const AppAccess *access, const char *concept)
{
	KnownKey	key;
	bool		found;

	if (!known_key(access, concept, &key))
		return;
	if (known == NULL)
		known_create();
	if (hash_get_num_entries(known) >= KNOWN_MAX)
	{
		if (npending > 0)
			return;
		catalogue_forget();
	}
	if (npending == pending_size)
	{
		pending = repalloc(pending, sizeof(KnownKey) * pending_size * 2);
		pending_size *= 2;
	}
	hash_search(known, &key, HASH_ENTER, &found);
	if (!found)
		pending[npending++] = key;
}

static int
by_id_then_position(const void *a, const void *b, void *arg)
{
	const CatalogueUse *uses = arg;
	int			x = *(const int *) a;
	int			y = *(const int *) b;
	int			c = strcmp(uses[x].id, uses[y].id);

	return c != 0 ? c : (x > y) - (x < y);
}

static int
by_position(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

/*
 * Keeps, of the m uses listed in from (positions in uses, ascending), the
 * first use of each concept, in their order; returns how many are left.
 */
static int
first_uses(const CatalogueUse *uses, int *from, int m)
{
	int			kept = 0;

	qsort_arg(from, m, sizeof(int), by_id_then_position, (void *) uses);
	for (int k = 0; k < m; k++)
	{
		CHECK_FOR_INTERRUPTS();
		if (kept == 0 || strcmp(uses[from[kept - 1]].id, uses[from[k]].id) != 0)
			from[kept++] = from[k];
	}
	qsort(from, kept, sizeof(int), by_position);
	return kept;
}

/*
 * Adds the m concepts of args (app, ids, names) the catalogue lacks;
 * returns 0, or, when the vocabulary is closed and some are missing, the
 * position (from 1) of the first of them. Citus cannot route fill_plan's
 * inserting common table expressions, so there it takes one-table
 * statements (citus_catalogue.c).
 */
static int64
fill_statement(Datum *args, int m)
{
	bool		isnull;
	int64		pos;

	if (kept_via_citus())
		return citus_catalogue_fill(args[0], args[1], args[2], m);
	kept_execute(&fill_plan, args, NULL, false, 0);
	if (SPI_processed == 0)
		return 0;
	pos = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	return isnull ? -1 : pos;
}

/*
 * Runs fill_statement for the uses; access, when given, skips the uses
 * known to be catalogued and remembers the others once the statements
 * have made sure of them.
 */
static void
fill_uses(const char *app_id, const AppAccess *access, const CatalogueUse *uses, int n)
{
	const char **ids;
	const char **names;
	int		   *from = palloc(sizeof(int) * Max(n, 1));
	int			m = 0;
	Datum		args[3];
	int64		pos;

	for (int i = 0; i < n; i++)
		if (access == NULL || !known_has(access, uses[i].id))
			from[m++] = i;
	m = first_uses(uses, from, m);
	if (m == 0)
		return;
	ids = palloc(sizeof(char *) * m);
	names = palloc(sizeof(char *) * m);
	for (int k = 0; k < m; k++)
	{
		ids[k] = uses[from[k]].id;
		names[k] = uses[from[k]].name;
	}
	args[0] = CStringGetTextDatum(app_id);
	args[1] = strings_array(ids, m);
	args[2] = strings_array(names, m);
	pos = fill_statement(args, m);
	if (pos == 0)
	{
		/* every concept of the batch is in the catalogue now */
		for (int k = 0; access != NULL && k < m; k++)
			known_pend(access, ids[k]);
		return;
	}
	if (pos < 1 || pos > m)
		elog(ERROR, "the catalogue fill returned position " INT64_FORMAT " of %d", pos, m);
	pos = from[pos - 1] + 1;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: concept \"%s\" is not in the catalogue of app \"%s\"",
					uses[pos - 1].path, uses[pos - 1].id, app_id),
			 errdetail("The app has a closed vocabulary: only concepts in its catalogue may be used."),
			 errhint("The app's owner adds concepts with post_concepts.")));
}

void
catalogue_fill(const char *app_id, const CatalogueUse *uses, int n)
{
	fill_uses(app_id, NULL, uses, n);
}

/* Appends the concepts of a list to uses. */
static int
add_uses(CatalogueUse *uses, int m, const ConceptList *list, const char *path)
{
	for (int j = 0; j < list->n; j++)
	{
		uses[m].id = list->items[j].id;
		uses[m].name = list->items[j].name;
		uses[m].path = path;
		m++;
	}
	return m;
}

void
catalogue_fill_annotations(const AppAccess *access, const AnnotationRequest *reqs, int n)
{
	int			total = 0;
	CatalogueUse *uses;
	int			m = 0;

	for (int i = 0; i < n; i++)
		total += reqs[i].concepts.n + (reqs[i].region.present ? reqs[i].region.concepts.n : 0);
	uses = palloc(sizeof(CatalogueUse) * Max(total, 1));
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		m = add_uses(uses, m, &reqs[i].concepts, reqs[i].path);
		if (reqs[i].region.present)
			m = add_uses(uses, m, &reqs[i].region.concepts, reqs[i].path);
	}
	fill_uses(access->app_id, access, uses, m);
}

void
catalogue_fill_inputs(const char *app_id, const InputRequest *reqs, int n)
{
	int			total = 0;
	CatalogueUse *uses;
	int			m = 0;

	for (int i = 0; i < n; i++)
		total += reqs[i].concepts.n;
	uses = palloc(sizeof(CatalogueUse) * Max(total, 1));
	for (int i = 0; i < n; i++)
		m = add_uses(uses, m, &reqs[i].concepts, reqs[i].path);
	catalogue_fill(app_id, uses, m);
}

/* ---- post_concepts and import_coco's categories ---- */

/* One concept given to the catalogue (by post_concepts, or a COCO category). */
typedef struct PostedConcept
{
	const char *path;			/* "concepts[2]", "coco.categories[2]" */
	const char *id;
	const char *name;			/* NULL when not given */
	const char *supercategory;	/* NULL when not given */
	bool		has_coco_id;
	int32		coco_id;
	/* decided against the catalogue */
	bool		exists;
	bool		changes;		/* renames an existing concept */
	bool		clash;			/* its coco_id was not free: it got another */
} PostedConcept;

/* How a batch of concepts is taken: as post_concepts asks, or as import_coco does. */
typedef enum PostMode
{
	POST_CONCEPTS,				/* renames (owner), coco_id fixed, clashes refused */
	POST_IMPORT					/* never renames, clashes reported, closed vocabulary refuses */
} PostMode;

enum
{
	PC_ID, PC_NAME, PC_SUPERCATEGORY, PC_COCO_ID, PC_COUNT
};
static const char *const posted_keys[PC_COUNT] = {"id", "name", "supercategory", "coco_id"};

/* Reads a batch of 1..128 concepts; an id given twice is 22023. */
static PostedConcept *
parse_concepts(Jsonb *batch, int *count)
{
	JsonbValue	root;
	int			n = jr_batch_length(batch, "concepts", &root);
	PostedConcept *items = palloc0(sizeof(PostedConcept) * n);

	for (int i = 0; i < n; i++)
	{
		PostedConcept *c = &items[i];
		JsonbValue	vals[PC_COUNT];
		bool		has[PC_COUNT];
		char	   *path = jr_index_path("concepts", i);

		CHECK_FOR_INTERRUPTS();
		c->path = path;
		jr_object(jr_array_element(&root, i), path, posted_keys, PC_COUNT, vals, has);
		if (!has[PC_ID])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.id is required", path)));
		c->id = jr_id(&vals[PC_ID], jr_key_path(path, "id"));
		if (has[PC_NAME])
			c->name = jr_string(&vals[PC_NAME], jr_key_path(path, "name"));
		if (has[PC_SUPERCATEGORY])
			c->supercategory = jr_string(&vals[PC_SUPERCATEGORY], jr_key_path(path, "supercategory"));
		c->has_coco_id = has[PC_COCO_ID];
		if (has[PC_COCO_ID])
			c->coco_id = (int32) jr_integer(&vals[PC_COCO_ID], jr_key_path(path, "coco_id"),
											1, PG_INT32_MAX);
		for (int j = 0; j < i; j++)
			if (strcmp(items[j].id, c->id) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s.id: concept \"%s\" is also given by %s", path, c->id, items[j].path)));
	}
	*count = n;
	return items;
}

/* The app's counter and vocabulary, its row locked so coco_ids are handed out one writer at a time. */
static KeptPlan lock_counter = {
	.sql = "SELECT a.last_coco_id, a.closed_vocabulary FROM annotations.apps a"
	" WHERE a.id = $1 FOR NO KEY UPDATE",
	.nargs = 1,
	.argtypes = {TEXTOID}
};

static KeptPlan read_catalogued = {
	.sql = "SELECT c.id, c.name, c.supercategory, c.coco_id FROM annotations.concepts c"
	" WHERE c.app_id = $1 AND c.id = ANY ($2)",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

static KeptPlan coco_ids_taken = {
	.sql = "SELECT c.coco_id, c.id FROM annotations.concepts c"
	" WHERE c.app_id = $1 AND c.coco_id = ANY ($2)",
	.nargs = 2,
	.argtypes = {TEXTOID, INT4ARRAYOID}
};

/*
 * What is not given keeps its value; modified_at moves only when something
 * changed. The time is written into the new row as a parameter ($6, the
 * transaction's start, what now() gives) and an update takes it from
 * there: Citus sends an upsert to a shard only when its DO UPDATE calls
 * immutable functions alone, and reads a parameter only outside it.
 */
static KeptPlan upsert_concepts = {
	.sql = "INSERT INTO annotations.concepts AS c (app_id, id, name, supercategory, coco_id,"
	"                                       created_at, modified_at)"
	" SELECT $1, u.id, u.name, u.supercategory, u.coco_id, $6, $6"
	"   FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
	"                   pg_catalog.unnest($5)) WITH ORDINALITY u(id, name, supercategory, coco_id, n)"
	"  ORDER BY u.n"
	" ON CONFLICT (app_id, id) DO UPDATE"
	"    SET name = excluded.name, supercategory = excluded.supercategory,"
	"        modified_at = CASE WHEN c.name IS DISTINCT FROM excluded.name"
	"                             OR c.supercategory IS DISTINCT FROM excluded.supercategory"
	"                           THEN excluded.modified_at ELSE c.modified_at END"
	" RETURNING c.app_id, c.id, c.name, c.coco_id, c.supercategory, c.created_at, c.modified_at",
	.nargs = 6,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT4ARRAYOID, TIMESTAMPTZOID}
};

static KeptPlan raise_counter = {
	.sql = "UPDATE annotations.apps a SET last_coco_id = $2"
	" WHERE a.id = $1 AND a.last_coco_id < $2",
	.nargs = 2,
	.argtypes = {TEXTOID, INT4OID}
};

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

typedef struct ItemEntry
{
	const char *key;
	int			index;
} ItemEntry;

typedef struct CocoIdEntry
{
	int64		key;
	int			index;
} CocoIdEntry;

/*
 * Matches the stored rows (the result of read_catalogued) to the items. An
 * existing concept keeps its coco_id: another one given is 22023 for
 * post_concepts and a reported clash for an import. post_concepts renames
 * it (owner only: 42501) with what is given; an import leaves it as it is.
 */
static void
match_catalogued(PostedConcept *items, HTAB *by_id, const char *app_id, const AppAccess *access,
				 PostMode mode)
{
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *id = SPI_getvalue(tup, desc, 1);
		char	   *name = SPI_getvalue(tup, desc, 2);
		char	   *super = SPI_getvalue(tup, desc, 3);
		bool		isnull;
		int32		coco_id = DatumGetInt32(SPI_getbinval(tup, desc, 4, &isnull));
		ItemEntry  *e = id ? hash_search(by_id, &id, HASH_FIND, NULL) : NULL;
		PostedConcept *c;

		CHECK_FOR_INTERRUPTS();
		if (e == NULL)
			continue;
		c = &items[e->index];
		c->exists = true;
		if (c->has_coco_id && c->coco_id != coco_id && mode == POST_CONCEPTS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s.coco_id: concept \"%s\" already has coco_id %d", c->path, c->id, coco_id),
					 errdetail("A concept's coco_id is given once and never changes.")));
		c->clash = c->has_coco_id && c->coco_id != coco_id;
		c->coco_id = coco_id;
		c->has_coco_id = true;
		if (mode == POST_IMPORT)
		{
			c->name = name;
			c->supercategory = super;
			continue;
		}
		c->changes = (c->name != NULL && !same_text(c->name, name)) ||
			(c->supercategory != NULL && !same_text(c->supercategory, super));
		if (c->name == NULL)
			c->name = name;
		if (c->supercategory == NULL)
			c->supercategory = super;
		if (c->changes && access->role != APP_ROLE_OWNER)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("%s: permission denied to rename concept \"%s\" of app \"%s\"",
							c->path, c->id, app_id),
					 errdetail("Only the app's owner changes the name or supercategory of a concept in its catalogue.")));
	}
}

/*
 * A new concept in a closed vocabulary: post_concepts lets only the owner
 * add it (42501); an import, like any other write, may not (22023).
 */
static void
check_closed(const PostedConcept *items, int n, const char *app_id, const AppAccess *access,
			 PostMode mode)
{
	for (int i = 0; i < n; i++)
	{
		if (items[i].exists)
			continue;
		if (mode == POST_IMPORT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: concept \"%s\" is not in the catalogue of app \"%s\"",
							items[i].path, items[i].id, app_id),
					 errdetail("The app has a closed vocabulary: only concepts in its catalogue may be used."),
					 errhint("The app's owner adds concepts with post_concepts.")));
		if (access->role != APP_ROLE_OWNER)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("%s: permission denied to add concept \"%s\" to app \"%s\"",
							items[i].path, items[i].id, app_id),
					 errdetail("The app has a closed vocabulary: only its owner adds concepts.")));
	}
}

/*
 * New concepts with a coco_id of their own keep it when it is free; when it
 * is not (another concept has it, or an earlier item asks for it)
 * post_concepts refuses (23505) and an import gives the concept the next
 * free one, marked as a clash. The others get the next free ones after the
 * app's counter. Returns the highest coco_id the batch uses.
 */
static int32
assign_coco_ids(PostedConcept *items, int n, const char *app_id, int32 last, PostMode mode)
{
	HTAB	   *wanted = int64_table("coco_ids asked for", sizeof(CocoIdEntry), CurrentMemoryContext);
	int32	   *ask = palloc(sizeof(int32) * Max(n, 1));
	bool	   *asking = palloc0(sizeof(bool) * Max(n, 1));
	int32		high = last;
	Datum		args[2];

	for (int i = 0; i < n; i++)
	{
		PostedConcept *c = &items[i];
		int64		key = c->coco_id;
		bool		found;
		CocoIdEntry *e;

		CHECK_FOR_INTERRUPTS();
		if (c->exists || !c->has_coco_id)
			continue;
		e = hash_search(wanted, &key, HASH_ENTER, &found);
		if (found && mode == POST_CONCEPTS)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("%s.coco_id: coco_id %d is also given by %s", c->path, c->coco_id,
							items[e->index].path)));
		if (found)
		{
			c->has_coco_id = false;
			c->clash = true;
			continue;
		}
		e->index = i;
		ask[i] = c->coco_id;
		asking[i] = true;
	}
	args[0] = CStringGetTextDatum(app_id);
	args[1] = ints_array(ask, asking, n);
	kept_execute(&coco_ids_taken, args, NULL, false, 0);
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		bool		isnull;
		int64		taken = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1, &isnull));
		CocoIdEntry *e = hash_search(wanted, &taken, HASH_FIND, NULL);
		PostedConcept *c;

		if (e == NULL)
			elog(ERROR, "coco_id " INT64_FORMAT " is taken but was not asked for", taken);
		c = &items[e->index];
		if (mode == POST_CONCEPTS)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("%s.coco_id: coco_id %d is already used by concept \"%s\" in app \"%s\"",
							c->path, c->coco_id, SPI_getvalue(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 2),
							app_id)));
		c->has_coco_id = false;
		c->clash = true;
		/* the id stays in wanted: another concept has it */
	}
	for (int i = 0; i < n; i++)
		if (!items[i].exists && items[i].has_coco_id)
			high = Max(high, items[i].coco_id);
	for (int i = 0; i < n; i++)
	{
		int64		next;

		if (items[i].has_coco_id)
			continue;
		/* the next id after the counter that nothing in the batch asked for */
		do
		{
			CHECK_FOR_INTERRUPTS();
			if (last == PG_INT32_MAX)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("app \"%s\" has no coco_id left for concept \"%s\"", app_id, items[i].id)));
			next = ++last;
		} while (hash_search(wanted, &next, HASH_FIND, NULL) != NULL);
		items[i].coco_id = last;
		items[i].has_coco_id = true;
		high = Max(high, last);
	}
	return high;
}

/*
 * Writes the items that are new or change (all of them for post_concepts)
 * and, with rsinfo, returns every item's row in request order.
 */
static void
store_posted(ReturnSetInfo *rsinfo, const PostedConcept *items, int n, const char *app_id)
{
	const char **ids = palloc(sizeof(char *) * Max(n, 1));
	const char **names = palloc(sizeof(char *) * Max(n, 1));
	const char **supers = palloc(sizeof(char *) * Max(n, 1));
	int32	   *cocos = palloc(sizeof(int32) * Max(n, 1));
	bool	   *given = palloc(sizeof(bool) * Max(n, 1));
	Datum		args[6];
	TableRowShape shape;
	Datum	   *values;
	bool	   *nulls;
	int			m = 0;

	for (int i = 0; i < n; i++)
	{
		if (rsinfo == NULL && items[i].exists)
			continue;
		ids[m] = items[i].id;
		names[m] = items[i].name;
		supers[m] = items[i].supercategory;
		cocos[m] = items[i].coco_id;
		given[m] = true;
		m++;
	}
	if (m == 0)
		return;
	args[0] = CStringGetTextDatum(app_id);
	args[1] = strings_array(ids, m);
	args[2] = strings_array(names, m);
	args[3] = strings_array(supers, m);
	args[4] = ints_array(cocos, given, m);
	args[5] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	kept_execute(&upsert_concepts, args, NULL, false, 0);
	if (SPI_processed != (uint64) m)
		elog(ERROR, "the catalogue stored " UINT64_FORMAT " of %d concepts", SPI_processed, m);
	if (rsinfo == NULL)
		return;
	values = palloc(sizeof(Datum) * Max(rsinfo->setDesc->natts, 1));
	nulls = palloc(sizeof(bool) * Max(rsinfo->setDesc->natts, 1));
	tablerow_shape(rsinfo->setDesc, SPI_tuptable->tupdesc, "annotations.concepts", &shape);
	for (int i = 0; i < n; i++)
		for (uint64 k = 0; k < SPI_processed; k++)
		{
			HeapTuple	tup = SPI_tuptable->vals[k];
			char	   *id = SPI_getvalue(tup, SPI_tuptable->tupdesc, 2);

			if (id == NULL || strcmp(id, items[i].id) != 0)
				continue;
			tablerow_values(&shape, tup, SPI_tuptable->tupdesc, values, nulls);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
}

/*
 * Takes a batch of concepts into the catalogue (SPI connected, store
 * rights): the app's counter locked, the items matched with the stored
 * concepts, coco_ids assigned, the rows written.
 */
static void
post_concept_batch(PostedConcept *items, int n, const char *app_id, const AppAccess *access,
				   PostMode mode, ReturnSetInfo *rsinfo)
{
	const char **ids = palloc(sizeof(char *) * Max(n, 1));
	HTAB	   *by_id = strptr_table("concepts given", sizeof(ItemEntry), CurrentMemoryContext);
	Datum		args[2];
	bool		isnull;
	int32		last;
	int32		high;
	bool		closed;

	args[0] = CStringGetTextDatum(app_id);
	kept_execute(&lock_counter, args, NULL, false, 0);
	if (SPI_processed != 1)
		elog(ERROR, "app \"%s\" has no row to lock", app_id);
	last = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	closed = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));

	for (int i = 0; i < n; i++)
	{
		ItemEntry  *e = hash_search(by_id, &items[i].id, HASH_ENTER, NULL);

		e->index = i;
		ids[i] = items[i].id;
	}
	args[1] = strings_array(ids, n);
	kept_execute(&read_catalogued, args, NULL, false, 0);
	match_catalogued(items, by_id, app_id, access, mode);
	if (closed)
		check_closed(items, n, app_id, access, mode);

	high = assign_coco_ids(items, n, app_id, last, mode);
	store_posted(rsinfo, items, n, app_id);
	if (high > last)
	{
		args[1] = Int32GetDatum(high);
		kept_execute(&raise_counter, args, NULL, false, 0);
	}
}

PG_FUNCTION_INFO_V1(annotations_post_concepts);

/*
 * post_concepts(app_id, concepts jsonb) -> SETOF annotations.concepts: adds
 * new concepts (any member; only the owner when the vocabulary is closed)
 * and renames existing ones (owner only), in request order.
 */
Datum
annotations_post_concepts(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	Jsonb	   *batch = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	ReturnSetInfo *rsinfo;
	Acting		acting;
	AppAccess	access;
	PostedConcept *items;
	int			n;

	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	acting_enter(&acting, app_id, &access);
	items = parse_concepts(batch, &n);
	post_concept_batch(items, n, app_id, &access, POST_CONCEPTS, rsinfo);
	acting_leave(&acting);
	return (Datum) 0;
}

/*
 * The categories of an imported document into the catalogue: a category's
 * name is its concept; a new concept takes the category's id as coco_id
 * when it is free. Sets each category's coco_id and whether it clashed;
 * returns how many concepts were added.
 */
int
catalogue_import(const char *app_id, const AppAccess *access, CatalogueCategory *cats, int n)
{
	PostedConcept *items = palloc0(sizeof(PostedConcept) * Max(n, 1));
	int			added = 0;

	if (n == 0)
		return 0;
	for (int i = 0; i < n; i++)
	{
		items[i].path = cats[i].path;
		items[i].id = cats[i].id;
		items[i].supercategory = cats[i].supercategory;
		items[i].has_coco_id = cats[i].coco_id >= 1 && cats[i].coco_id <= PG_INT32_MAX;
		items[i].coco_id = items[i].has_coco_id ? (int32) cats[i].coco_id : 0;
		/* an id COCO allows but a coco_id cannot hold (0, past 2^31) clashes too */
		items[i].clash = !items[i].has_coco_id;
	}
	post_concept_batch(items, n, app_id, access, POST_IMPORT, NULL);
	for (int i = 0; i < n; i++)
	{
		cats[i].assigned = items[i].coco_id;
		cats[i].clash = items[i].clash || items[i].coco_id != cats[i].coco_id;
		added += !items[i].exists;
	}
	return added;
}

/* ---- list_concepts ---- */

/*
 * The catalogue with its label counts: every positive concept label (value
 * above 0, a missing value being 1) of the app's annotations, by whether a
 * user or a model wrote it and whether it sits on a region. Elements that
 * are not concept objects (never written by the API) are not counted.
 */
static KeptPlan list_concepts_plan = {
	.sql = "WITH l AS ("
	"       SELECT e.value ->> 'id' AS id, a.model_version_id IS NULL AS by_user, false AS on_region"
	"         FROM annotations.annotations a"
	"        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements("
	"              CASE WHEN pg_catalog.jsonb_typeof(a.concepts) = 'array' THEN a.concepts ELSE '[]' END) e"
	"        WHERE a.app_id = $1 AND pg_catalog.jsonb_typeof(e.value) = 'object'"
	"          AND COALESCE(e.value -> 'value', '1') > '0'::jsonb"
	"          AND pg_catalog.jsonb_typeof(COALESCE(e.value -> 'value', '1')) = 'number'"
	"       UNION ALL"
	"       SELECT e.value ->> 'id', a.model_version_id IS NULL, true"
	"         FROM annotations.regions g"
	"         JOIN annotations.annotations a ON a.app_id = $1 AND a.id = g.annotation_id"
	"        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements("
	"              CASE WHEN pg_catalog.jsonb_typeof(g.concepts) = 'array' THEN g.concepts ELSE '[]' END) e"
	"        WHERE g.app_id = $1 AND pg_catalog.jsonb_typeof(e.value) = 'object'"
	"          AND COALESCE(e.value -> 'value', '1') > '0'::jsonb"
	"          AND pg_catalog.jsonb_typeof(COALESCE(e.value -> 'value', '1')) = 'number'),"
	"     n AS ("
	"       SELECT l.id,"
	"              pg_catalog.count(*) FILTER (WHERE l.by_user AND NOT l.on_region) AS ui,"
	"              pg_catalog.count(*) FILTER (WHERE l.by_user AND l.on_region) AS ur,"
	"              pg_catalog.count(*) FILTER (WHERE NOT l.by_user AND NOT l.on_region) AS mi,"
	"              pg_catalog.count(*) FILTER (WHERE NOT l.by_user AND l.on_region) AS mr"
	"         FROM l WHERE $2 IS NULL OR l.id = ANY ($2) GROUP BY l.id)"
	" SELECT c.id, c.name, c.coco_id, c.supercategory, c.created_at, c.modified_at,"
	"        COALESCE(n.ui, 0) AS user_input_labels, COALESCE(n.ur, 0) AS user_region_labels,"
	"        COALESCE(n.mi, 0) AS model_input_labels, COALESCE(n.mr, 0) AS model_region_labels"
	"   FROM annotations.concepts c LEFT JOIN n ON n.id = c.id"
	"  WHERE c.app_id = $1 AND ($2 IS NULL OR c.id = ANY ($2))"
	"  ORDER BY c.coco_id",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

PG_FUNCTION_INFO_V1(annotations_list_concepts);

/* list_concepts(app_id, ids): any member of the app. */
Datum
annotations_list_concepts(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	ArrayType  *ids = api_filter_array_arg(fcinfo, 1, "ids");
	ReturnSetInfo *rsinfo;
	Acting		acting;
	AppAccess	access;
	Datum		args[2];
	char		nulls[2] = {' ', ids ? ' ' : 'n'};

	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	acting_enter(&acting, app_id, &access);
	args[0] = CStringGetTextDatum(app_id);
	args[1] = PointerGetDatum(ids);
	visible_stream_rows(rsinfo, &list_concepts_plan, args, nulls);
	acting_leave(&acting);
	return (Datum) 0;
}

/* ---- set_closed_vocabulary ---- */

static KeptPlan set_vocabulary = {
	.sql = "UPDATE annotations.apps a SET closed_vocabulary = $2 WHERE a.id = $1"
	" RETURNING a.id, a.owner_id, a.created_at, a.owner_oid, a.closed_vocabulary, a.last_coco_id",
	.nargs = 2,
	.argtypes = {TEXTOID, BOOLOID}
};

PG_FUNCTION_INFO_V1(annotations_set_closed_vocabulary);

/* set_closed_vocabulary(app_id, closed) -> annotations.apps: owner only. */
Datum
annotations_set_closed_vocabulary(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	MemoryContext caller = CurrentMemoryContext;
	TupleDesc	desc = tablerow_result_type(fcinfo, "set_closed_vocabulary");
	Acting		acting;
	AppAccess	access;
	Datum		args[2];
	HeapTuple	tup;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("closed must not be NULL")));
	acting_enter_owner(&acting, app_id, &access, "set the vocabulary of",
					   "Only the app's owner opens or closes its vocabulary.");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = PG_GETARG_DATUM(1);
	kept_execute(&set_vocabulary, args, NULL, false, 0);
	if (SPI_processed != 1)
		elog(ERROR, "app \"%s\" has no row to update", app_id);
	tup = tablerow_first(desc, "annotations.apps", caller);
	acting_leave(&acting);
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}
