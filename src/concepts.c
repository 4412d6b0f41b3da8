/*
 * concepts.c — parse, normalize, merge and remove concept lists.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "concepts.h"
#include "json_read.h"
#include "proto_fields.h"

enum
{
	CK_ID, CK_NAME, CK_VALUE, CK_COUNT
};
static const char *const concept_keys[CK_COUNT] = {"id", "name", "value"};

/* ---- finding a concept by id ---- */

/*
 * A scan of the list finds an id; when the scans of one operation would
 * compare more than this many ids (a merge of 1000 concepts into 1000 is a
 * million), a hash table over the list does it instead, so every operation
 * on concept lists stays linear in their length.
 */
#define LINEAR_COMPARISONS 1024

typedef struct IdEntry
{
	const char *id;				/* key: points into the list */
	int			at;
} IdEntry;

typedef struct IdLookup
{
	const ConceptList *list;
	HTAB	   *index;			/* NULL: scan the list */
} IdLookup;

static uint32
id_hash(const void *key, Size keysize)
{
	const char *s = *(const char *const *) key;

	return hash_bytes((const unsigned char *) s, (int) strlen(s));
}

static int
id_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(const char *const *) key1, *(const char *const *) key2);
}

/* Indexes item at of the list; returns the earlier position of the same id, or -1. */
static int
lookup_added(IdLookup *lk, int at)
{
	bool		found;
	IdEntry    *e;

	if (lk->index == NULL)
		return -1;
	e = hash_search(lk->index, &lk->list->items[at].id, HASH_ENTER, &found);
	if (found)
		return e->at;
	e->at = at;
	return -1;
}

/*
 * Prepares lookups in list, which will hold up to size items and be
 * searched up to lookups times.
 */
static void
lookup_init(IdLookup *lk, const ConceptList *list, int size, int lookups)
{
	lk->list = list;
	lk->index = NULL;
	if ((int64) size * lookups > LINEAR_COMPARISONS)
	{
		HASHCTL		ctl;
		int			i;

		ctl.keysize = sizeof(char *);
		ctl.entrysize = sizeof(IdEntry);
		ctl.hash = id_hash;
		ctl.match = id_match;
		ctl.hcxt = CurrentMemoryContext;
		lk->index = hash_create("concept ids", Max(size, 16), &ctl,
								HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
		for (i = 0; i < list->n; i++)
			(void) lookup_added(lk, i);
	}
}

/* Position of id in the list, or -1. */
static int
lookup_find(const IdLookup *lk, const char *id)
{
	int			i;

	if (lk->index != NULL)
	{
		IdEntry    *e = hash_search(lk->index, &id, HASH_FIND, NULL);

		return e ? e->at : -1;
	}
	for (i = 0; i < lk->list->n; i++)
		if (strcmp(lk->list->items[i].id, id) == 0)
			return i;
	return -1;
}

static void
lookup_done(IdLookup *lk)
{
	if (lk->index != NULL)
		hash_destroy(lk->index);
}

void
concepts_parse(const JsonbValue *v, const char *path, ConceptList *out)
{
	int			n = jr_array_length(v, path);
	int			i;
	IdLookup	seen;

	if (n > MAX_CONCEPTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: a concept list holds at most %d concepts, got %d", path, MAX_CONCEPTS, n)));
	out->n = 0;
	out->items = palloc0(sizeof(Concept) * Max(n, 1));
	lookup_init(&seen, out, n, n);
	for (i = 0; i < n; i++)
	{
		char	   *item_path = jr_index_path(path, i);
		JsonbValue	vals[CK_COUNT];
		bool		has[CK_COUNT];
		Concept    *c = &out->items[out->n];

		CHECK_FOR_INTERRUPTS();
		jr_object_unkept(jr_array_element(v, i), item_path, concept_keys, CK_COUNT,
						 &proto_concept_unkept, vals, has);
		c->id = jr_optional_id(&vals[CK_ID], has[CK_ID], jr_key_path(item_path, "id"));
		if (c->id == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: concept needs an \"id\"", item_path)));
		if (lookup_find(&seen, c->id) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: concept \"%s\" appears more than once in this list",
							item_path, c->id)));
		c->name = has[CK_NAME] ? jr_string(&vals[CK_NAME], jr_key_path(item_path, "name")) : NULL;
		if (c->name != NULL && c->name[0] == '\0')
			c->name = NULL;		/* proto3's "not set" */
		c->value = 1.0;
		if (has[CK_VALUE])
		{
			Numeric		num;

			c->value = jr_number(&vals[CK_VALUE], jr_key_path(item_path, "value"));
			num = vals[CK_VALUE].val.numeric;
			/* judged on the number as written (1.00000000000000000001 is above 1) */
			if (numeric_is_nan(num) ||
				DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
												  NumericGetDatum(int64_to_numeric(0)))) < 0 ||
				DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
												  NumericGetDatum(int64_to_numeric(1)))) > 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s.value: concept value must be between 0 and 1, got %s",
								item_path, jr_numeric_text(num)),
						 errdetail("1 means the concept is present, 0 that it is absent; model scores lie between.")));
			/*
			 * Stored as the float8 it reads as, which every reader can cast
			 * back; what float8 cannot hold as a normal number (1e-400,
			 * 1e-310, -0) is 0.
			 */
			if (fabs(c->value) < DBL_MIN)
				c->value = 0.0;
		}
		out->n++;
		(void) lookup_added(&seen, out->n - 1);
	}
	lookup_done(&seen);
}

/* ---- stored lists ---- */

/* Raises the error for a malformed stored list (or internal argument). */
static pg_attribute_noreturn() void
concepts_malformed(const ConceptSource *src, const char *detail)
{
	if (src->what != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored %s of annotation \"%s\" in app \"%s\" are malformed", src->what,
						src->annotation_id ? src->annotation_id : "(null)",
						src->app_id ? src->app_id : "(null)"),
				 errdetail_internal("%s", detail),
				 errhint("The API never stores such a value. Correct it with UPDATE or delete the annotation.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: malformed concept list", src->column),
			 errdetail_internal("%s", detail)));
}

int
concepts_check_list(Jsonb *jb, const ConceptSource *src)
{
	int			n;

	if (!JB_ROOT_IS_ARRAY(jb) || JB_ROOT_IS_SCALAR(jb))
		concepts_malformed(src, psprintf("%s is %s, expected an array of concepts.",
										 src->column, jr_container_type_name(&jb->root)));
	n = JB_ROOT_COUNT(jb);
	if (n > MAX_CONCEPTS)
		concepts_malformed(src, psprintf("%s holds %d concepts, at most %d are allowed.",
										 src->column, n, MAX_CONCEPTS));
	return n;
}

/*
 * Checks one stored concept; *number is its value as a float8 (1 when it
 * has none), read once here for the check and for the caller.
 */
static void
check_item(const JsonbValue *item, int i, const ConceptSource *src,
		   JsonbValue *id, JsonbValue *name, JsonbValue *value, double *number)
{
	JsonbContainer *obj;
	int			nkeys = 1;

	*number = 1.0;

	if (item == NULL || item->type != jbvBinary || !JsonContainerIsObject(item->val.binary.data))
		concepts_malformed(src, psprintf("Element %d of %s is %s, expected a concept object.",
										 i, src->column, jr_type_name(item)));
	obj = item->val.binary.data;
	if (getKeyJsonValueFromContainer(obj, "id", 2, id) == NULL)
		concepts_malformed(src, psprintf("Element %d of %s has no \"id\".", i, src->column));
	if (id->type != jbvString)
		concepts_malformed(src, psprintf("Element %d of %s has an \"id\" that is %s, expected a string.",
										 i, src->column, jr_type_name(id)));
	if (!jr_id_ok(id->val.string.val, id->val.string.len))
		concepts_malformed(src, psprintf("Element %d of %s has the id \"%s\", but an id is 1 to %d characters without control characters.",
										 i, src->column, jr_clip(id->val.string.val, id->val.string.len),
										 MAX_ID_LENGTH));
	if (getKeyJsonValueFromContainer(obj, "name", 4, name) == NULL)
		name->type = jbvNull;
	else if (name->type != jbvString)
		concepts_malformed(src, psprintf("Element %d of %s has a \"name\" that is %s, expected a string.",
										 i, src->column, jr_type_name(name)));
	else
		nkeys++;
	if (getKeyJsonValueFromContainer(obj, "value", 5, value) == NULL)
		value->type = jbvNull;
	else
	{
		double		d = 0;

		if (value->type == jbvNumeric && !numeric_is_nan(value->val.numeric))
			d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
												   NumericGetDatum(value->val.numeric)));
		if (value->type != jbvNumeric || numeric_is_nan(value->val.numeric) || !(d >= 0.0 && d <= 1.0))
			concepts_malformed(src, psprintf("Element %d of %s has a \"value\" that is %s, expected a number from 0 to 1.",
											 i, src->column,
											 value->type == jbvNumeric
											 ? jr_numeric_text(value->val.numeric) : jr_type_name(value)));
		*number = d;
		nkeys++;
	}
	if (JsonContainerSize(obj) != (uint32) nkeys)
	{
		JsonbIterator *it = JsonbIteratorInit(obj);
		JsonbValue	k;
		JsonbValue	v;

		while (jr_next_pair(&it, &k, &v))
		{
			if ((k.val.string.len == 2 && memcmp(k.val.string.val, "id", 2) == 0) ||
				(k.val.string.len == 4 && memcmp(k.val.string.val, "name", 4) == 0) ||
				(k.val.string.len == 5 && memcmp(k.val.string.val, "value", 5) == 0))
				continue;
			concepts_malformed(src, psprintf("Element %d of %s has the unknown key \"%s\"; a concept holds \"id\", \"name\" and \"value\".",
											 i, src->column, jr_clip(k.val.string.val, k.val.string.len)));
		}
		elog(ERROR, "concept object has %u keys but no unknown one", JsonContainerSize(obj));
	}
}

void
concepts_check_item(const JsonbValue *item, int i, const ConceptSource *src,
					JsonbValue *id, JsonbValue *name, JsonbValue *value)
{
	double		number;

	check_item(item, i, src, id, name, value, &number);
}

void
concepts_from_jsonb(Jsonb *jb, const ConceptSource *src, ConceptList *out)
{
	JsonbValue	root;
	int			n;
	int			i;
	IdLookup	seen;

	out->n = 0;
	if (jb == NULL)
	{
		out->items = palloc0(sizeof(Concept));
		return;
	}
	n = concepts_check_list(jb, src);
	jr_root(jb, &root);
	out->items = palloc0(sizeof(Concept) * Max(n, 1));
	lookup_init(&seen, out, n, n);
	for (i = 0; i < n; i++)
	{
		JsonbValue	id;
		JsonbValue	name;
		JsonbValue	value;
		Concept    *c = &out->items[i];
		int			earlier;

		CHECK_FOR_INTERRUPTS();
		check_item(jr_array_element(&root, i), i, src, &id, &name, &value, &c->value);
		c->id = pnstrdup(id.val.string.val, id.val.string.len);
		c->name = name.type == jbvString ? pnstrdup(name.val.string.val, name.val.string.len) : NULL;
		c->num = value.type == jbvNumeric ? value.val.numeric : NULL;
		out->n++;
		earlier = seen.index ? lookup_added(&seen, i) : lookup_find(&seen, c->id);
		/* a linear lookup finds the new item itself last; any earlier hit is a repeat */
		if (earlier >= 0 && earlier < i)
			concepts_malformed(src, psprintf("Elements %d and %d of %s have the same id \"%s\".",
											 earlier, i, src->column, c->id));
	}
	lookup_done(&seen);
}

/* Pushes a key with a string value. */
static void
push_string_pair(JsonbParseState **st, const char *key, const char *val)
{
	JsonbValue	k;
	JsonbValue	v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v.type = jbvString;
	v.val.string.val = (char *) val;
	v.val.string.len = strlen(val);
	pushJsonbValue(st, WJB_KEY, &k);
	pushJsonbValue(st, WJB_VALUE, &v);
}

/*
 * The numeric a value is stored as (what float8 reads it as). 1 (the value
 * a concept given without one has) and 0 are made once per backend: the
 * conversion prints the float8 and reads the text back, which cost a large
 * part of writing a list.
 */
static Numeric
value_numeric(double value)
{
	static Numeric one = NULL;
	static Numeric zero = NULL;
	Numeric    *kept = value == 1.0 ? &one : value == 0.0 && !signbit(value) ? &zero : NULL;
	Numeric		num;

	if (kept != NULL && *kept != NULL)
		return *kept;
	num = DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(value)));
	if (kept != NULL)
	{
		*kept = MemoryContextAlloc(TopMemoryContext, VARSIZE(num));
		memcpy(*kept, num, VARSIZE(num));
	}
	return num;
}

Jsonb *
concepts_to_jsonb(const ConceptList *list)
{
	JsonbParseState *st = NULL;
	JsonbValue *res;
	int			i;

	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < list->n; i++)
	{
		const Concept *c = &list->items[i];
		JsonbValue	k;
		JsonbValue	v;

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_string_pair(&st, "id", c->id);
		if (c->name)
			push_string_pair(&st, "name", c->name);
		k.type = jbvString;
		k.val.string.val = "value";
		k.val.string.len = 5;
		v.type = jbvNumeric;
		v.val.numeric = c->num ? c->num : value_numeric(c->value);
		pushJsonbValue(&st, WJB_KEY, &k);
		pushJsonbValue(&st, WJB_VALUE, &v);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	res = pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	return JsonbValueToJsonb(res);
}

void
concepts_merge(ConceptList *into, const ConceptList *patch)
{
	IdLookup	lk;
	int			i;

	into->items = repalloc(into->items, sizeof(Concept) * Max(into->n + patch->n, 1));
	lookup_init(&lk, into, into->n + patch->n, patch->n);
	for (i = 0; i < patch->n; i++)
	{
		int			at = lookup_find(&lk, patch->items[i].id);

		CHECK_FOR_INTERRUPTS();

		if (at < 0)
		{
			into->items[into->n++] = patch->items[i];
			(void) lookup_added(&lk, into->n - 1);
		}
		else
		{
			into->items[at].value = patch->items[i].value;
			into->items[at].num = patch->items[i].num;
			if (patch->items[i].name)
				into->items[at].name = patch->items[i].name;
		}
	}
	lookup_done(&lk);
}

void
concepts_remove(ConceptList *from, const ConceptList *ids)
{
	IdLookup	lk;
	int			i;
	int			kept = 0;

	lookup_init(&lk, ids, ids->n, from->n);
	for (i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (lookup_find(&lk, from->items[i].id) < 0)
			from->items[kept++] = from->items[i];
	}
	from->n = kept;
	lookup_done(&lk);
}
